"""Reflected source tables and the data's month span are kept per connection pool and data
version: read once however many queries a page runs, again after an import or at a new data
version."""

from __future__ import annotations

import pytest

from cs_dashboard.db import queries, schema, scope
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import BookScope


@pytest.fixture
def engine(tmp_path, tiny_frames):
    made = make_engine(f"duckdb:///{tmp_path / 'src.duckdb'}")
    replace_source(made, tiny_frames)
    return made


def counted(monkeypatch, module, name: str) -> list:
    """Calls of ``module.name`` from now on (one item per call)."""
    calls, original = [], getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a: calls.append(1) or original(*a))
    return calls


def test_reflected_once_per_version_and_again_after_an_import(monkeypatch, engine, tiny_frames):
    calls = counted(monkeypatch, schema, "_reflect")
    first = schema.reflect(engine)
    assert schema.reflect(engine) is first
    assert set(schema.reflect(scope.scoped(engine, BookScope(("Ana",))))) == set(first)
    assert len(calls) == 1  # a scoped engine shares the pool, so the reflection
    schema.track_version(engine, 7)
    schema.reflect(engine)
    assert len(calls) == 2
    replace_source(engine, {k: v for k, v in tiny_frames.items() if k != "health"})
    assert "health" not in schema.reflect(engine)
    assert len(calls) == 3


def test_the_month_span_is_read_once_per_version_and_again_after_an_import(
        monkeypatch, engine, tiny_frames):
    calls = counted(monkeypatch, queries, "_month_range")
    span = queries.month_range(engine)
    assert queries.month_range(scope.scoped(engine, BookScope(("Ana",)))) == span
    assert len(calls) == 1
    schema.track_version(engine, 3)
    assert queries.month_range(engine) == span
    assert len(calls) == 2
    mrr = tiny_frames["mrr"]
    replace_source(engine, {**tiny_frames, "mrr": mrr[mrr["month"] < mrr["month"].max()]})
    assert queries.month_range(engine)[1] < span[1]
    assert len(calls) == 3
