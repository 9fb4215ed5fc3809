"""The organisation's health score settings: component weights and band thresholds.

Saved from the Health page into app state (never the source database) so every page, the
board pack and the CLI score accounts the same way. Weights are relative (only their shares
matter); thresholds are scores 0..100.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cs_dashboard.health.scoring import (
    DEFAULT_BANDS,
    DEFAULT_WEIGHT,
    HealthInputError,
    Weights,
    check_bands,
)


@dataclass(frozen=True)
class ScoreSettings:
    """Weights per component (unlisted components keep the default weight) and the bands
    ``(red_below, green_from)``."""

    weights: Weights = ()
    bands: tuple[float, float] = DEFAULT_BANDS

    def __post_init__(self) -> None:
        check_bands(self.bands)
        for name, w in self.weights:
            if not isinstance(name, str) or not math.isfinite(float(w)) or float(w) < 0:
                raise HealthInputError(f"the weight of {name!r} must be zero or positive, not {w}")

    @property
    def is_default(self) -> bool:
        """Equal weights and the reference bands."""
        return (tuple(self.bands) == DEFAULT_BANDS
                and all(float(w) == DEFAULT_WEIGHT.value for _, w in self.weights))

    def weights_for(self, components: Sequence[str]) -> Weights:
        """The weights of the components the data has (saved names it lacks are ignored);
        empty (equal weights) if they would leave every component of the data at zero."""
        known = set(components)
        given = tuple((n, float(w)) for n, w in self.weights if n in known)
        weight = dict(given)
        if components and all(weight.get(n, DEFAULT_WEIGHT.value) == 0 for n in components):
            return ()
        return given

    def to_json(self) -> dict[str, Any]:
        return {"weights": {n: float(w) for n, w in self.weights}, "bands": list(self.bands)}

    @classmethod
    def from_json(cls, body: Any) -> ScoreSettings:
        """Settings from ``to_json`` output; raises ``HealthInputError`` on anything else."""
        if not isinstance(body, dict):
            raise HealthInputError("saved health settings must be an object")
        try:
            weights = tuple((str(n), float(w)) for n, w in dict(body.get("weights", {})).items())
            bands = tuple(float(b) for b in body.get("bands", DEFAULT_BANDS))
        except (TypeError, ValueError) as exc:
            raise HealthInputError(f"saved health settings are malformed ({exc})") from exc
        return cls(weights, check_bands(bands))
