"""Back-test of the health score: did low scores at snapshot S precede churn by T? (pure)

Definitions: ``docs/definitions.md`` (Health). Churn rates are fractions; the ROC AUC is the
probability that a random churned account had a lower score at S than a random retained one
(ties count half), i.e. the AUC of ``100 - score`` as a churn predictor, computed exactly from
rank statistics (Mann-Whitney U).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_dashboard.health.scoring import BAND_ORDER
from cs_dashboard.presets import declare

#: How the back-test reads its AUC: strong from, useful from, and no better than chance up to.
AUC_STRONG = declare("AUC read as strong", 0.8, "ratio",
                     "A back-test AUC from this up reads as a strong score.",
                     "the usual reading of a ROC AUC (0.8 and above: strong)")
AUC_USEFUL = declare("AUC read as useful", 0.7, "ratio",
                     "A back-test AUC from this up (below strong) reads as a useful score.",
                     "the usual reading of a ROC AUC (0.7 to 0.8: useful)")
AUC_CHANCE = declare("AUC read as chance", 0.55, "ratio",
                     "A back-test AUC up to this reads as no better than chance.",
                     "0.5 is a coin toss; up to 0.55 is within noise on a typical book")


def roc_auc(risk: np.ndarray | pd.Series, churned: np.ndarray | pd.Series) -> float | None:
    """Exact ROC AUC of ``risk`` (higher = riskier) for the boolean outcome ``churned``;
    ``None`` when either class is empty."""
    risk = np.asarray(risk, dtype=float)
    positive = np.asarray(churned, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = pd.Series(risk).rank(method="average").to_numpy()
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def roc_curve(risk: np.ndarray | pd.Series, churned: np.ndarray | pd.Series) -> pd.DataFrame:
    """ROC points (``fpr``, ``tpr``, ``threshold`` on the score) from (0, 0) to (1, 1),
    one point per distinct risk value, riskiest first."""
    risk = np.asarray(risk, dtype=float)
    positive = np.asarray(churned, dtype=bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return pd.DataFrame({"fpr": [0.0, 1.0], "tpr": [0.0, 1.0], "threshold": [np.nan, np.nan]})
    frame = pd.DataFrame({"risk": risk, "pos": positive.astype(int), "neg": (~positive).astype(int)})
    steps = frame.groupby("risk")[["pos", "neg"]].sum().sort_index(ascending=False)
    tpr = np.concatenate([[0.0], steps["pos"].cumsum().to_numpy() / n_pos])
    fpr = np.concatenate([[0.0], steps["neg"].cumsum().to_numpy() / n_neg])
    threshold = np.concatenate([[np.nan], 100.0 - steps.index.to_numpy(dtype=float)])
    return pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": threshold})


@dataclass(frozen=True)
class Backtest:
    """Scores at ``snapshot`` (S) against churn by ``as_of`` (T).

    ``by_band`` has rows red, yellow, green with ``accounts``, ``churned``, ``churn_rate``
    (fraction; NaN for an empty band) and ``arr`` (annual dollars at S). ``auc`` is ``None``
    when nobody (or everybody) churned. ``unscored`` accounts at S are left out.
    """

    snapshot: dt.date
    as_of: dt.date
    by_band: pd.DataFrame
    auc: float | None
    accounts: int
    churned: int
    unscored: int

    def churn_rate(self, band: str) -> float | None:
        value = self.by_band.set_index("band").loc[band, "churn_rate"]
        return None if pd.isna(value) else float(value)

    @property
    def reading(self) -> str:
        """The result in plain words, e.g. "red accounts churned 4.1x as often as green ones"."""
        return reading(self)


def backtest(scored: pd.DataFrame, snapshot: dt.date, as_of: dt.date) -> Backtest:
    """Back-test from account rows at S with ``score``, ``band``, ``churned`` (bool) and
    ``arr`` (annual dollars at S)."""
    has_score = scored["score"].notna()
    pool = scored[has_score]
    churned = pool["churned"].astype(bool)
    rows = []
    for band in BAND_ORDER:
        in_band = pool["band"] == band
        n = int(in_band.sum())
        c = int((in_band & churned).sum())
        rows.append({"band": band, "accounts": n, "churned": c,
                     "churn_rate": c / n if n else np.nan,
                     "arr": float(pool.loc[in_band, "arr"].sum())})
    auc = roc_auc(100.0 - pool["score"].to_numpy(dtype=float), churned.to_numpy())
    return Backtest(snapshot, as_of, pd.DataFrame(rows), auc, int(len(pool)), int(churned.sum()),
                    int((~has_score).sum()))


def reading(result: Backtest) -> str:
    """Plain-words reading of a back-test for a CS leader."""
    if result.accounts == 0:
        return "No account had a score at the back-test snapshot."
    red, green = result.churn_rate("red"), result.churn_rate("green")
    if result.churned == 0:
        return "No scored account churned between the snapshot and the as-of month."
    if red is None or green is None:
        missing = "red" if red is None else "green"
        text = f"No account was {missing} at the snapshot, so the bands cannot be compared."
    elif green == 0:
        text = (f"{red * 100:.1f}% of red accounts churned and no green account did."
                if red > 0 else "Neither red nor green accounts churned.")
    else:
        ratio = red / green
        if ratio >= 1:
            text = f"Red accounts churned {ratio:.1f}x as often as green ones."
        else:
            text = (f"Red accounts churned less often than green ones ({red * 100:.1f}% vs "
                    f"{green * 100:.1f}%): the score did not anticipate churn.")
    if result.auc is not None:
        shown = round(result.auc, 2)
        quality = ("strong" if shown >= AUC_STRONG.value else "useful" if shown >= AUC_USEFUL.value
                   else "weak" if shown > AUC_CHANCE.value else "no better than chance")
        text += (f" AUC {result.auc:.2f} ({quality}): a churned account scored lower than a "
                 f"retained one {result.auc * 100:.0f}% of the time.")
    return text
