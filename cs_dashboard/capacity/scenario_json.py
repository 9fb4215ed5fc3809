"""Scenario JSON: the file format of ``data/scenarios/`` and of the page's export/import.

Documented in ``docs/capacity.md``. Reading is strict: an unknown key, a negative number of
hours or a share above 1 is a ``ScenarioError`` whose message names the place in the file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path

from cs_dashboard.capacity.model import (
    Activity,
    Availability,
    Growth,
    Scenario,
    ScenarioError,
    Team,
    TierPlan,
)

FORMAT_VERSION = 1
_TOP = ("format", "name", "description", "source", "current_csms", "tiers", "availability",
        "team", "growth")


def _keys(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _check_keys(where: str, data: object, allowed: tuple[str, ...]) -> dict:
    if not isinstance(data, dict):
        raise ScenarioError(f"{where} must be an object ({{...}}), got {type(data).__name__}")
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise ScenarioError(f"unknown key {unknown[0]!r} in {where}; allowed keys: {', '.join(allowed)}")
    return data


def _build(where: str, cls: type, data: dict):
    try:
        return cls(**data)
    except ScenarioError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    except TypeError as exc:
        raise ScenarioError(f"{where}: {exc}") from None


def from_json(data: object) -> Scenario:
    """A validated ``Scenario`` from parsed JSON (a dict)."""
    top = _check_keys("the scenario", data, _TOP)
    if top.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        raise ScenarioError(f"format {top['format']!r} is not supported; use {FORMAT_VERSION}")
    if "name" not in top or not isinstance(top["name"], str):
        raise ScenarioError("the scenario needs a \"name\" (text)")
    raw_tiers = top.get("tiers")
    if not isinstance(raw_tiers, list) or not raw_tiers:
        raise ScenarioError("the scenario needs \"tiers\": a list with one entry per tier, tier 1 first")
    tiers = []
    for i, raw in enumerate(raw_tiers):
        where = f"tiers[{i}]"
        tier = dict(_check_keys(where, raw, _keys(TierPlan)))
        acts = tier.get("activities", [])
        if not isinstance(acts, list):
            raise ScenarioError(f"{where}.activities must be a list")
        tier["activities"] = tuple(
            _build(f"{where}.activities[{j}]", Activity,
                   _check_keys(f"{where}.activities[{j}]", a, _keys(Activity)))
            for j, a in enumerate(acts))
        tiers.append(_build(where, TierPlan, tier))
    parts = {}
    for key, cls in (("availability", Availability), ("team", Team), ("growth", Growth)):
        parts[key] = _build(key, cls, _check_keys(key, top.get(key, {}), _keys(cls)))
    return _build("the scenario", Scenario, {
        "name": top["name"], "tiers": tuple(tiers), **parts,
        "description": top.get("description", ""), "source": top.get("source", ""),
        "current_csms": top.get("current_csms"),
    })


def to_json(scenario: Scenario) -> dict:
    """The scenario as a JSON-ready dict (round-trips through ``from_json``)."""
    data = asdict(scenario)
    out = {"format": FORMAT_VERSION, "name": data["name"], "description": data["description"],
           "source": data["source"]}
    if scenario.current_csms is not None:
        out["current_csms"] = scenario.current_csms
    tiers = []
    for tier in data["tiers"]:
        row = {k: v for k, v in tier.items() if v is not None}
        row["activities"] = [dict(a) for a in tier["activities"]]
        if not row["activities"]:
            del row["activities"]
        tiers.append(row)
    out["tiers"] = tiers
    for key in ("availability", "team", "growth"):
        out[key] = data[key]
    return out


def loads(text: str | bytes) -> Scenario:
    """Parse and validate scenario JSON text."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"not valid JSON: {exc}") from None
    return from_json(data)


def dumps(scenario: Scenario) -> str:
    return json.dumps(to_json(scenario), indent=2)


def load_file(path: str | Path) -> Scenario:
    """A scenario from a JSON file (``ScenarioError`` names the file on any problem)."""
    path = Path(path)
    try:
        return loads(path.read_bytes())
    except OSError as exc:
        raise ScenarioError(f"cannot read {path}: {exc.strerror}") from None
    except ScenarioError as exc:
        raise ScenarioError(f"{path.name}: {exc}") from None


def shipped(directory: str | Path | None = None) -> dict[str, Scenario]:
    """The example scenarios in ``data/scenarios/`` by file stem, sorted."""
    directory = Path(directory) if directory else Path(__file__).resolve().parents[2] / "data" / "scenarios"
    return {p.stem: load_file(p) for p in sorted(directory.glob("*.json"))}
