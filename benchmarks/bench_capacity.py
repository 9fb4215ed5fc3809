"""Capacity: the model recomputes on every input change (target < 50 ms for model + projection +
sensitivity at 36 months); the data's book per CSM and tier comes from SQL (cached by the page)."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.harness import Case
from cs_dashboard import api
from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import coverage, project, resolve, sensitivity
from cs_dashboard.capacity.scenario_json import shipped
from cs_dashboard.db.engine import make_engine


def cases(size: int, url: str) -> list[Case]:
    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    base = api_capacity.base_book(engine, as_of)
    examples = shipped()
    hours = examples["bottom_up_hours"]
    hours = replace(hours, growth=replace(hours.growth, horizon=36, upgrade_share=0.05))
    wingtip = examples["wingtip"]
    wingtip = replace(wingtip, growth=replace(wingtip.growth, horizon=36))

    def model(scenario):
        def run():
            r = resolve(scenario, base)
            return coverage(r), project(r, as_of), sensitivity(scenario, base)
        return run

    return [
        Case("capacity", "model + projection + sensitivity, 36 months (bottom-up hours, data book)",
             model(hours), target_s=0.05, repeat=20, cached=False),
        Case("capacity", "model + projection + sensitivity, 36 months (Wingtip, 4 tiers)",
             model(wingtip), target_s=0.05, repeat=20, cached=False),
        Case("capacity", "books per CSM and tier at T (SQL + tiers)",
             lambda: api_capacity.current_books(engine, as_of), target_s=1.0),
        Case("capacity", "base book: accounts, ARR and trailing-12 churn per tier",
             lambda: api_capacity.base_book(engine, as_of), target_s=1.0),
        Case("capacity", "health mix per CSM", lambda: api_capacity.health_mix(engine, as_of),
             target_s=1.0),
    ]
