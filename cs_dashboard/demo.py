"""Deterministic demo portfolio: accounts, monthly MRR, health snapshots and CSMs.

Calibrated to a typical B2B SaaS book (docs/segmentation.md): at the last month the top
10% of active accounts hold about 45% of MRR with a floor near $5,000, and the top 30% hold
about 75% with a floor near $1,700. Churn is likelier in the first year and for low health,
and health falls in the months before a churn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cs_dashboard.months import from_index, last_complete_month, month_index

#: MRR quantile function of active accounts at the last month: log-linear between knots.
MRR_KNOTS_U = np.array([0.0, 0.2, 0.7, 0.9, 0.99, 1.0])
MRR_KNOTS_USD = np.array([99.0, 450.0, 1700.0, 5000.0, 11000.0, 45000.0])

#: Accounts per chunk of rows when the demo is written chunk by chunk (``generate_chunks``).
CHUNK_ACCOUNTS = 100_000
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
    return {name: next(iter(parts)) if isinstance(parts, Chunks) else parts
            for name, parts in generate_chunks(spec, chunk_accounts=max(1, spec.accounts)).items()}


class Chunks:
    """The rows of a large table as DataFrames of consecutive accounts (iterable more than
    once); ``len`` is the number of rows in all of them."""

    def __init__(self, make: Callable[[int, int], pd.DataFrame], n: int, size: int, rows: int):
        self._make, self._n, self._size, self._rows = make, n, size, rows

    def __iter__(self) -> Iterator[pd.DataFrame]:
        for a, b in _bounds(self._n, self._size):
            yield self._make(a, b)

    def __len__(self) -> int:
        return self._rows


def generate_chunks(spec: DemoSpec = DemoSpec(),
                    chunk_accounts: int = CHUNK_ACCOUNTS) -> dict[str, pd.DataFrame | Chunks]:
    """``generate(spec)`` with ``mrr`` and ``health`` as ``Chunks`` of ``chunk_accounts``
    accounts, built as they are written: the same rows in the same order at any chunk size,
    at a fraction of the memory (2,000,000 accounts hold 40 M MRR and 39 M health rows).

    The random draws follow the same sequence as one pass over every account (Generator draws
    of sizes a and b continue each other exactly as one draw of a + b), so a demo is identical
    whatever the chunk size; ``tests/test_demo.py`` checks it.
    """
    rng = np.random.default_rng(spec.seed)
    n, m = spec.accounts, spec.months
    size = max(1, chunk_accounts)
    w0 = month_index(spec.end) - m + 1
    life = _simulate_lifecycles(rng, n, m)
    level = _assign_levels(rng, life)
    ids = _ids(n)
    months = _month_starts(w0 + np.arange(m))
    mrr = _MrrRows(level, life["active"], life["growth"], ids, months)
    health = _HealthRows(rng, life, ids, months, size)
    csms, csm_of = _csms(rng, n, life["size_u"], w0)
    accounts = _accounts(rng, life, level, csm_of, w0, spec.end, ids)
    return {"accounts": accounts, "mrr": Chunks(mrr.frame, n, size, mrr.rows),
            "health": Chunks(health.frame, n, size, health.rows), "csms": csms}


def _simulate_lifecycles(rng: np.random.Generator, n: int, m: int) -> dict[str, np.ndarray]:
    """Month-by-month simulation of start, churn, reactivation, revenue steps and health.

    The month-by-account arrays (``active``, ``z``, ``growth``) are months x accounts, so each
    month writes one contiguous row.
    """
    pre = rng.random(n) < 0.35
    weights = 1.0 + 1.5 * np.arange(m) / m  # new logos grow over the window
    start = np.where(pre, 0, rng.choice(m, size=n, p=weights / weights.sum()))
    tenure0 = np.where(pre, rng.integers(1, 73, size=n), 0)  # months before W0
    size_u = rng.random(n)
    z = rng.normal(0.0, 1.0, n)
    active = np.zeros((m, n), dtype=bool)
    zs = np.zeros((m, n))
    log_steps = np.zeros((m, n))
    alive = np.zeros(n, dtype=bool)
    churn_at = np.full(n, -1)
    intent = np.full(n, -1)  # month at which churn becomes certain (3 months ahead)
    reactivated = np.zeros(n, dtype=bool)
    size_factor = (0.5 + size_u) ** -1.2
    tenure_at_w0 = tenure0 - start  # tenure in month t: tenure_at_w0 + t
    # In place, one month row at a time; each value is the same IEEE expression as written
    # out in the comments (so a demo stays identical to earlier versions).
    for t in range(m):
        previous, z = z, zs[t]
        noise = rng.normal(0.0, 1.0, n)  # z = 0.92 * z + 0.39 * noise
        np.multiply(previous, 0.92, out=z)
        noise *= 0.39
        z += noise
        np.subtract(z, 0.6, out=z, where=intent >= 0)  # health falls before churn
        alive |= start == t
        # hazard = (0.011 if tenure < 12 else 0.005) * exp(-1.1 * z) * size_factor
        hazard = np.where(tenure_at_w0 < 12 - t, 0.011, 0.005)
        hazard *= np.exp(-1.1 * z)
        hazard *= size_factor
        decide = rng.random(n) < hazard
        decide &= alive
        decide &= intent < 0
        intent[decide] = t
        leaving = intent >= 0  # decided at least 3 months ago
        leaving &= intent <= t - 3
        leaving &= alive
        alive &= ~leaving
        churn_at[leaving] = t
        intent[leaving] = -1
        back = rng.random(n) < 0.012  # reactivation, once, 2+ months after churning
        back &= ~alive
        back &= churn_at >= 0
        back &= churn_at <= t - 2
        back &= ~reactivated
        alive |= back
        reactivated |= back
        np.absolute(z, out=z, where=back)
        active[t] = alive
        u = rng.random(n)
        up = rng.uniform(0.08, 0.4, n)
        down = rng.uniform(0.05, 0.25, n)
        np.log1p(np.where(u < 0.06, up, np.where(u < 0.072, -down, 0.0)), out=log_steps[t])
    return {"pre": pre, "start": start, "tenure0": tenure0, "size_u": size_u, "active": active,
            "z": zs, "growth": np.cumsum(log_steps, axis=0, out=log_steps),
            "reactivated": reactivated}


def _assign_levels(rng: np.random.Generator, life: dict[str, np.ndarray]) -> np.ndarray:
    """Each account's MRR at its last active month; stratified for accounts active at the end."""
    size_u = life["size_u"]
    level = mrr_quantile(size_u)
    at_end = life["active"][-1]
    k = int(at_end.sum())
    if k:
        order = np.argsort(size_u[at_end], kind="stable")
        strata = np.empty(k)
        strata[order] = (np.arange(k) + 0.5) / k
        level[at_end] = mrr_quantile(strata)
    return level


def _bounds(n: int, size: int) -> Iterator[tuple[int, int]]:
    """(first, past-last) accounts of each chunk; one empty chunk when there are none."""
    for a in range(0, max(n, 1), size):
        yield a, min(a + size, n)


def _by_account(values: np.ndarray, a: int, b: int) -> np.ndarray:
    """Accounts ``a:b`` of a months x accounts array as a contiguous accounts x months one."""
    return np.ascontiguousarray(values[:, a:b].T)


def _cells(active: np.ndarray, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    """(account, month) of the true cells of months x accounts ``active`` for accounts
    ``a:b``, account by account (accounts counted from ``a``)."""
    return np.nonzero(_by_account(active, a, b))


class _MrrRows:
    """MRR rows, account by account: each account's path of revenue steps scaled so its last
    active month is at its level."""

    def __init__(self, level: np.ndarray, active: np.ndarray, growth: np.ndarray,
                 ids: np.ndarray, months: pd.DatetimeIndex):
        self.level, self.active, self.growth, self.ids, self.months = \
            level, active, growth, ids, months
        self.rows = int(np.count_nonzero(active))

    def frame(self, a: int, b: int) -> pd.DataFrame:
        m = self.active.shape[0]
        active = _by_account(self.active, a, b)
        growth = _by_account(self.growth, a, b)
        any_active = active.any(axis=1)
        last = np.where(any_active, m - 1 - np.argmax(active[:, ::-1], axis=1), 0)
        scale = self.level[a:b] * np.exp(-growth[np.arange(b - a), last])
        rows, cols = np.nonzero(active)
        values = np.round(scale[rows] * np.exp(growth[rows, cols]), 0)
        return pd.DataFrame({
            "account_id": self.ids[a + rows],
            "month": self.months[cols],
            "mrr": np.maximum(values, 1.0),
        })


class _HealthRows:
    """Health snapshots of every active, scored account-month. Each component is drawn for
    every row before the next (the draws' order), and kept as whole points in one byte per
    row (-1: missing) until its rows are written."""

    OFFSETS = {"usage": 0.0, "adoption": -3.0, "support": 4.0, "nps": -2.0, "engagement": -5.0,
               "sponsor": 2.0}
    MISSING = {"nps": 0.35, "sponsor": 0.2}

    def __init__(self, rng: np.random.Generator, life: dict[str, np.ndarray], ids: np.ndarray,
                 months: pd.DatetimeIndex, size: int):
        m, n = life["active"].shape
        self.ids, self.months = ids, months
        self.scored = life["active"] & ~(rng.random(n) < 0.02)[None, :]
        chunks = list(_bounds(n, size))
        self.starts, parts = {}, []
        self.rows = 0
        for a, b in chunks:
            rows, cols = _cells(self.scored, a, b)
            self.starts[a] = self.rows
            self.rows += rows.size
            parts.append(80.0 + 11.0 * _by_account(life["z"], a, b)[rows, cols])
        base = np.concatenate(parts) if parts else np.empty(0)
        del parts
        self.points = {name: np.empty(self.rows, dtype=np.int8) for name in COMPONENTS}
        step = size * m
        for name in COMPONENTS:
            points = self.points[name]
            for start in range(0, self.rows, step):
                part = base[start:start + step]
                points[start:start + part.size] = np.clip(
                    np.round(part + self.OFFSETS[name] + rng.normal(0, 7, part.size)), 0, 100)
            missing = self.MISSING.get(name, 0.0)
            if missing:
                for start in range(0, self.rows, step):
                    part = points[start:start + step]
                    part[rng.random(part.size) < missing] = -1

    def frame(self, a: int, b: int) -> pd.DataFrame:
        rows, cols = _cells(self.scored, a, b)
        start = self.starts[a]
        frame = {"account_id": self.ids[a + rows], "as_of": self.months[cols]}
        for name in COMPONENTS:
            points = self.points[name][start:start + rows.size].astype(float)
            frame[name] = np.where(points < 0, np.nan, points)
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
              csm_of: np.ndarray, w0: int, end: dt.date, ids: np.ndarray) -> pd.DataFrame:
    n = level.size
    size_u = life["size_u"]
    since_idx = w0 + life["start"] - life["tenure0"]
    since = _month_starts(since_idx) + pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    since = pd.Series(since).where(~(life["pre"] & (rng.random(n) < 0.05)))
    end_idx = month_index(end)
    renew_idx = end_idx + 1 + (since_idx - end_idx - 1) % 12
    renewal = _month_starts(renew_idx) + pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    noisy = np.clip(size_u + rng.normal(0, 0.06, n), 0, 1)
    price = rng.uniform(25, 60, n)
    complexity = np.where(noisy + rng.normal(0, 0.2, n) > 0.85, _label("High"),
                          np.where(noisy + rng.normal(0, 0.2, n) > 0.5, _label("Medium"),
                                   _label("Low")))
    return pd.DataFrame({
        "account_id": ids,
        "account_name": _names(n),
        "csm": csm_of,
        "region": _choice(rng, REGIONS, n),
        "industry": _choice(rng, INDUSTRIES, n),
        "segment": np.where(noisy >= 0.88, _label("Enterprise"),
                            np.where(noisy >= 0.6, _label("Mid-Market"), _label("SMB"))),
        "plan": np.where(noisy >= 0.9, _label("Enterprise"),
                         np.where(noisy >= 0.65, _label("Business"),
                                  np.where(noisy >= 0.3, _label("Growth"), _label("Starter")))),
        "seats": np.maximum(1, np.round(level / price)).astype(int),
        "customer_since": since,
        "renewal_date": renewal,
        "potential_arr": np.round(12 * level * rng.lognormal(0.6, 0.5, n), -2),
        "complexity": complexity,
    })


def _label(text: str) -> np.ndarray:
    """``text`` as an object scalar: ``np.where`` over these shares one string per label
    instead of making one per account."""
    return np.array(text, dtype=object)


def _ids(n: int) -> np.ndarray:
    return np.array([f"A{i:06d}" for i in range(1, n + 1)], dtype=object)


def _names(n: int) -> list[str]:
    a, b, c = len(_NAME_A), len(_NAME_B), len(_NAME_C)
    period = a * b * c
    bases = [f"{_NAME_A[i % a]}{_NAME_B[(i // a) % b]} {_NAME_C[(i // (a * b)) % c]}"
             for i in range(min(n, period))]
    return [bases[i % period] if i < period else f"{bases[i % period]} {i // period + 1}"
            for i in range(n)]


def _month_starts(index: np.ndarray) -> pd.DatetimeIndex:
    """First days of the months with indexes ``index`` (``months.month_index``)."""
    since_1970 = np.asarray(index, dtype=np.int64) - 1970 * 12
    return pd.DatetimeIndex(since_1970.astype("datetime64[M]").astype("datetime64[ns]"))


def _choice(rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    labels = np.array([o[0] for o in options], dtype=object)
    probs = np.array([o[1] for o in options])
    return labels[rng.choice(len(options), size=n, p=probs / probs.sum())]
