"""Server-side timings: off by default, exclusive steps that add up to the run, one JSON line
per run, queries counted through the engine."""

from __future__ import annotations

import sqlalchemy as sa

from cs_dashboard import timings


def test_off_by_default_writes_nothing_and_steps_are_plain_blocks(monkeypatch, tmp_path):
    monkeypatch.delenv(timings.ENV, raising=False)
    timings.begin()
    with timings.step("query"):
        pass
    assert timings.end("Overview") is None
    assert list(tmp_path.iterdir()) == []


def test_steps_are_exclusive_and_add_up_to_the_run(monkeypatch, tmp_path):
    path = tmp_path / "timings.jsonl"
    monkeypatch.setenv(timings.ENV, str(path))
    clock = [100.0]
    monkeypatch.setattr(timings.time, "perf_counter", lambda: clock[0])
    timings.begin()
    clock[0] += 1.0  # other
    with timings.step("cached read"):
        clock[0] += 0.5
        with timings.step("compute"):
            clock[0] += 2.0
    with timings.step("figure"):
        clock[0] += 0.25
    record = timings.end("Health")
    assert record == timings.read(path)[0]
    assert record["page"] == "Health" and record["total"] == 3.75
    assert record["steps"] == {"query": 0.0, "compute": 2.0, "cached read": 0.5, "figure": 0.25,
                               "send": 0.0, "other": 1.0}
    assert record["peak_mb"] > 0


def test_queries_are_counted_through_the_engine(monkeypatch, tmp_path):
    path = tmp_path / "timings.jsonl"
    monkeypatch.setenv(timings.ENV, str(path))
    engine = sa.create_engine("sqlite://")
    timings.instrument_engine(engine)
    timings.begin()
    with timings.step("compute"), engine.connect() as conn:
        conn.execute(sa.text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                             "WHERE i < 200000) SELECT count(*) FROM n")).scalar()
    record = timings.end("Overview")
    assert record["steps"]["query"] > 0
    assert len(timings.read(path)) == 1
