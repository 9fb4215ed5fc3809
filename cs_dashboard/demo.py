"""Deterministic demo portfolio: accounts, monthly MRR, health snapshots and CSMs.

Calibrated to the reference example (``domain.md``, Segmentation): at the last month the top
10% of active accounts hold about 45% of MRR with a floor near $5,000, and the top 30% hold
about 75% with a floor near $1,700. Churn is likelier in the first year and for low health,
and health falls in the months before a churn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cs_dashboard.months import from_index, last_complete_month, month_index

#: MRR quantile function of active accounts at the last month: log-linear between knots.
MRR_KNOTS_U = np.array([0.0, 0.2, 0.7, 0.9, 0.99, 1.0])
MRR_KNOTS_USD = np.array([99.0, 450.0, 1700.0, 5000.0, 11000.0, 45000.0])

COMPONENTS = ("usage", "adoption", "support", "nps", "engagement", "sponsor")
REGIONS = (("North America", 0.5), ("EMEA", 0.3), ("APAC", 0.15), ("LATAM", 0.05))
INDUSTRIES = (("Software", 0.25), ("Financial Services", 0.15), ("Healthcare", 0.15),
              ("Retail", 0.12), ("Manufacturing", 0.13), ("Education", 0.1), ("Media", 0.1))
ROLES = (("high touch", "Enterprise", 0.25, 200_000.0), ("low touch", "Mid-Market", 0.5, 170_000.0),
         ("tech touch", "Scale", 0.25, 150_000.0))
_NAME_A = ("North", "Blue", "Bright", "Silver", "Red", "Green", "Iron", "Clear", "Swift", "Stone",
           "Sun", "Oak", "Pine", "River", "Lake", "Summit", "Cedar", "Maple", "Harbor", "Prime")
_NAME_B = ("wind", "field", "bridge", "point", "gate", "wave", "light", "works", "path", "peak",
           "forge", "line", "spring", "view", "stone", "ridge", "way", "crest", "mark", "core")
_NAME_C = ("Labs", "Systems", "Health", "Logistics", "Retail", "Capital", "Media", "Foods",
           "Analytics", "Energy", "Robotics", "Learning", "Partners", "Studios", "Networks")
_FIRST = ("Ava", "Ben", "Chloe", "Dan", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonas",
          "Kira", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq")
_LAST = ("Adams", "Brook", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haas", "Ito", "Jensen",
         "Khan", "Lopez", "Moreau", "Novak", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Weber")


@dataclass(frozen=True)
class DemoSpec:
    """Size and seed of a demo portfolio; ``end`` defaults to the last complete month."""

    accounts: int = 2000
    months: int = 36
    seed: int = 7
    end: dt.date = field(default_factory=last_complete_month)


def mrr_quantile(u: np.ndarray) -> np.ndarray:
    """MRR (dollars) at quantile ``u`` of the calibrated distribution."""
    return np.exp(np.interp(u, MRR_KNOTS_U, np.log(MRR_KNOTS_USD)))


def generate(spec: DemoSpec = DemoSpec()) -> dict[str, pd.DataFrame]:
    """The four source tables of a demo portfolio, deterministic for ``spec``."""
    rng = np.random.default_rng(spec.seed)
    n, m = spec.accounts, spec.months
    w0 = month_index(spec.end) - m + 1
    life = _simulate_lifecycles(rng, n, m)
    level = _assign_levels(rng, life)
    mrr = _mrr_rows(level, life["active"], life["growth"], w0)
    health = _health_rows(rng, life, w0)
    csms, csm_of = _csms(rng, n, life["size_u"], w0)
    accounts = _accounts(rng, life, level, csm_of, w0, spec.end)
    return {"accounts": accounts, "mrr": mrr, "health": health, "csms": csms}


def _simulate_lifecycles(rng: np.random.Generator, n: int, m: int) -> dict[str, np.ndarray]:
    """Month-by-month simulation of start, churn, reactivation, revenue steps and health."""
    pre = rng.random(n) < 0.35
    weights = 1.0 + 1.5 * np.arange(m) / m  # new logos grow over the window
    start = np.where(pre, 0, rng.choice(m, size=n, p=weights / weights.sum()))
    tenure0 = np.where(pre, rng.integers(1, 73, size=n), 0)  # months before W0
    size_u = rng.random(n)
    z = rng.normal(0.0, 1.0, n)
    active = np.zeros((n, m), dtype=bool)
    zs = np.zeros((n, m))
    log_steps = np.zeros((n, m))
    alive = np.zeros(n, dtype=bool)
    churn_at = np.full(n, -1)
    intent = np.full(n, -1)  # month at which churn becomes certain (3 months ahead)
    reactivated = np.zeros(n, dtype=bool)
    size_factor = (0.5 + size_u) ** -1.2
    for t in range(m):
        z = 0.92 * z + 0.39 * rng.normal(0.0, 1.0, n)
        z = np.where(intent >= 0, z - 0.6, z)  # health falls before churn
        starting = start == t
        alive |= starting
        tenure = tenure0 + t - start
        hazard = np.where(tenure < 12, 0.011, 0.005) * np.exp(-1.1 * z) * size_factor
        decide = alive & (intent < 0) & (rng.random(n) < hazard)
        intent = np.where(decide, t, intent)
        leaving = alive & (intent >= 0) & (t - intent >= 3)
        alive &= ~leaving
        churn_at = np.where(leaving, t, churn_at)
        intent = np.where(leaving, -1, intent)
        back = (~alive) & (churn_at >= 0) & (t - churn_at >= 2) & ~reactivated \
            & (rng.random(n) < 0.012)
        alive |= back
        reactivated |= back
        z = np.where(back, np.abs(z), z)
        active[:, t] = alive
        zs[:, t] = z
        u = rng.random(n)
        step = np.where(u < 0.06, rng.uniform(0.08, 0.4, n),
                        np.where(u < 0.072, -rng.uniform(0.05, 0.25, n), 0.0))
        log_steps[:, t] = np.log1p(step)
    return {"pre": pre, "start": start, "tenure0": tenure0, "size_u": size_u, "active": active,
            "z": zs, "growth": np.cumsum(log_steps, axis=1), "reactivated": reactivated}


def _assign_levels(rng: np.random.Generator, life: dict[str, np.ndarray]) -> np.ndarray:
    """Each account's MRR at its last active month; stratified for accounts active at the end."""
    size_u = life["size_u"]
    level = mrr_quantile(size_u)
    at_end = life["active"][:, -1]
    k = int(at_end.sum())
    if k:
        order = np.argsort(size_u[at_end], kind="stable")
        strata = np.empty(k)
        strata[order] = (np.arange(k) + 0.5) / k
        level[at_end] = mrr_quantile(strata)
    return level


def _mrr_rows(level: np.ndarray, active: np.ndarray, growth: np.ndarray, w0: int) -> pd.DataFrame:
    n, m = active.shape
    any_active = active.any(axis=1)
    last = np.where(any_active, m - 1 - np.argmax(active[:, ::-1], axis=1), 0)
    scale = level * np.exp(-growth[np.arange(n), last])
    values = np.round(scale[:, None] * np.exp(growth), 0)
    rows, cols = np.nonzero(active)
    months = pd.to_datetime([from_index(w0 + c) for c in range(m)])
    return pd.DataFrame({
        "account_id": _ids(n)[rows],
        "month": months[cols],
        "mrr": np.maximum(values[rows, cols], 1.0),
    })


def _health_rows(rng: np.random.Generator, life: dict[str, np.ndarray], w0: int) -> pd.DataFrame:
    active, z = life["active"], life["z"]
    n, m = active.shape
    unscored = rng.random(n) < 0.02
    rows, cols = np.nonzero(active & ~unscored[:, None])
    base = 80.0 + 11.0 * z[rows, cols]
    months = pd.to_datetime([from_index(w0 + c) for c in range(m)])
    frame = {"account_id": _ids(n)[rows], "as_of": months[cols]}
    offsets = {"usage": 0.0, "adoption": -3.0, "support": 4.0, "nps": -2.0, "engagement": -5.0,
               "sponsor": 2.0}
    for name in COMPONENTS:
        values = np.clip(np.round(base + offsets[name] + rng.normal(0, 7, rows.size)), 0, 100)
        missing = {"nps": 0.35, "sponsor": 0.2}.get(name, 0.0)
        if missing:
            values = np.where(rng.random(rows.size) < missing, np.nan, values)
        frame[name] = values
    return pd.DataFrame(frame)


def _csms(rng: np.random.Generator, n: int, size_u: np.ndarray,
          w0: int) -> tuple[pd.DataFrame, np.ndarray]:
    """About one CSM per 100 accounts, with books that follow the touch tiers."""
    total = max(4, round(n / 100))
    names, teams, roles, costs, book = [], [], [], [], {}
    for role, team, share, cost in ROLES:
        count = max(1, round(total * share))
        book[role] = [len(names) + i for i in range(count)]
        for _ in range(count):
            i = len(names)
            names.append(f"{_FIRST[i % 20]} {_LAST[(i // 20 + 7 * i) % 20]}"
                         + ("" if i < 400 else f" {i // 400 + 1}"))
            teams.append(team)
            roles.append(role)
            costs.append(cost + float(rng.integers(-20, 21)) * 1000.0)
    starts = [from_index(w0 - int(x)) for x in rng.integers(-12, 60, size=len(names))]
    csms = pd.DataFrame({"csm": names, "team": teams, "role": roles,
                         "start_date": pd.to_datetime(starts), "hours_per_week": 40.0,
                         "annual_cost": costs})
    tier_role = np.where(size_u >= 0.9, 0, np.where(size_u >= 0.7, 1, 2))
    pick = np.empty(n, dtype=int)
    for r, (role, *_rest) in enumerate(ROLES):
        idx = np.nonzero(tier_role == r)[0]
        pick[idx] = rng.choice(book[role], size=idx.size)
    csm_of = np.array(names, dtype=object)[pick]
    csm_of[rng.random(n) < 0.01] = None
    return csms, csm_of


def _accounts(rng: np.random.Generator, life: dict[str, np.ndarray], level: np.ndarray,
              csm_of: np.ndarray, w0: int, end: dt.date) -> pd.DataFrame:
    n = level.size
    size_u = life["size_u"]
    since_idx = w0 + life["start"] - life["tenure0"]
    since = pd.to_datetime([from_index(int(i)) for i in since_idx]) \
        + pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    since = pd.Series(since).where(~(life["pre"] & (rng.random(n) < 0.05)))
    end_idx = month_index(end)
    renew_idx = end_idx + 1 + (since_idx - end_idx - 1) % 12
    renewal = pd.to_datetime([from_index(int(i)) for i in renew_idx]) \
        + pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    noisy = np.clip(size_u + rng.normal(0, 0.06, n), 0, 1)
    price = rng.uniform(25, 60, n)
    complexity = np.where(noisy + rng.normal(0, 0.2, n) > 0.85, "High",
                          np.where(noisy + rng.normal(0, 0.2, n) > 0.5, "Medium", "Low"))
    return pd.DataFrame({
        "account_id": _ids(n),
        "account_name": _names(n),
        "csm": csm_of,
        "region": _choice(rng, REGIONS, n),
        "industry": _choice(rng, INDUSTRIES, n),
        "segment": np.where(noisy >= 0.88, "Enterprise", np.where(noisy >= 0.6, "Mid-Market", "SMB")),
        "plan": np.where(noisy >= 0.9, "Enterprise", np.where(noisy >= 0.65, "Business",
                         np.where(noisy >= 0.3, "Growth", "Starter"))),
        "seats": np.maximum(1, np.round(level / price)).astype(int),
        "customer_since": since,
        "renewal_date": renewal,
        "potential_arr": np.round(12 * level * rng.lognormal(0.6, 0.5, n), -2),
        "complexity": complexity,
    })


def _ids(n: int) -> np.ndarray:
    return np.array([f"A{i:06d}" for i in range(1, n + 1)], dtype=object)


def _names(n: int) -> list[str]:
    a, b, c = len(_NAME_A), len(_NAME_B), len(_NAME_C)
    names = []
    for i in range(n):
        base = f"{_NAME_A[i % a]}{_NAME_B[(i // a) % b]} {_NAME_C[(i // (a * b)) % c]}"
        cycle = i // (a * b * c)
        names.append(base if cycle == 0 else f"{base} {cycle + 1}")
    return names


def _choice(rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    labels = np.array([o[0] for o in options], dtype=object)
    probs = np.array([o[1] for o in options])
    return labels[rng.choice(len(options), size=n, p=probs / probs.sum())]
