"""A csm's scope is applied in the data layer: every API entry point (and the board pack) on a
scoped engine returns only that CSM's book, and equals the same call filtered to that CSM."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import io
import math
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from cs_dashboard.api import overview as api_overview
from cs_dashboard.capacity.scenario_json import shipped
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.scope import restrict, scope_of, scoped
from cs_dashboard.export.pack import PackOptions
from cs_dashboard.export.sections import available
from cs_dashboard.filters import BookScope, Filters
from cs_dashboard.health import ScoreSettings
from cs_dashboard.months import add_months
from cs_dashboard.tiers import TierRule
from tests.conftest import DEMO_END

API_MODULES = ("cs_dashboard.api", "cs_dashboard.api.capacity", "cs_dashboard.api.forecast",
               "cs_dashboard.api.health", "cs_dashboard.api.overview",
               "cs_dashboard.api.retention", "cs_dashboard.api.segmentation",
               "cs_dashboard.export.pack")


def entry_points() -> list[tuple[str, object]]:
    """Every public function of the API modules that reads a database (engine first)."""
    found = []
    for name in API_MODULES:
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            if (inspect.isfunction(fn) and fn.__module__ == name and not attr.startswith("_")
                    and next(iter(inspect.signature(fn).parameters), None) == "engine"):
                found.append((f"{name.removeprefix('cs_dashboard.')}.{attr}", fn))
    return found


@dataclasses.dataclass(frozen=True)
class Book:
    csm: str
    ids: frozenset[str]
    other_ids: frozenset[str]
    other_names: frozenset[str]
    other_csms: frozenset[str]


@pytest.fixture(scope="module")
def book(demo_frames) -> Book:
    accounts = demo_frames["accounts"]
    csm = sorted(accounts["csm"].dropna().unique())[1]
    mine = accounts["csm"] == csm
    names = set(accounts.loc[mine, "account_name"].dropna())
    csms = set(accounts["csm"].dropna()) | set(demo_frames["csms"]["csm"])
    return Book(csm, frozenset(accounts.loc[mine, "account_id"]),
                frozenset(accounts.loc[~mine, "account_id"]),
                frozenset(set(accounts.loc[~mine, "account_name"].dropna()) - names),
                frozenset(csms - {csm}))


def arguments(param: str, engine, book: Book, filters: Filters):
    """The value each entry point's parameter gets (by name); ``KeyError`` for a new one."""
    shipped_one = next(iter(shipped().values()))
    return {
        "as_of": DEMO_END, "month": DEMO_END, "end": DEMO_END,
        "start": add_months(DEMO_END, -12), "months_back": 1, "filters": filters,
        "months": (DEMO_END, add_months(DEMO_END, -1)),
        "rule": TierRule(), "settings": ScoreSettings(), "scenario": shipped_one,
        "dimension": "segment", "draws": 200,
        "account_mrr": queries.account_mrr_at(engine, DEMO_END, filters),
        "options": PackOptions(DEMO_END, tuple(available()), filters),
    }[param]


def call(fn, engine, book: Book, filters: Filters):
    params = inspect.signature(fn).parameters
    kwargs = {}
    for name, param in list(params.items())[1:]:
        if param.default is inspect.Parameter.empty or name in ("filters", "as_of", "draws"):
            try:
                kwargs[name] = arguments(name, engine, book, filters)
            except KeyError:
                pytest.fail(f"{fn.__module__}.{fn.__name__}: say which {name!r} to call it with "
                            "in tests/test_access_scope.py, so its scoping is checked")
    return fn(engine, **kwargs)


def texts(value, seen: set[int] | None = None):
    """Every string inside a result: frame cells, index labels and column names, dataclass
    fields, dict keys, and the members of ZIP archives (a deck, a pack's ZIP) as text."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):
        if value[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(value)) as archive:
                for member in archive.namelist():
                    yield archive.read(member).decode("utf-8", "replace")
    elif isinstance(value, pd.DataFrame):
        yield from (str(c) for c in value.columns)
        yield from (str(i) for i in value.index)
        for column in value.columns:
            if value[column].dtype == object or isinstance(value[column].dtype, pd.StringDtype):
                yield from (str(v) for v in value[column].dropna())
    elif isinstance(value, pd.Series):
        yield from (str(i) for i in value.index)
        yield from (str(v) for v in value.dropna() if isinstance(v, str))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from texts(getattr(value, f.name), seen)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from texts(k, seen)
            yield from texts(v, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from texts(v, seen)


def leaks(result, book: Book) -> list[str]:
    """Other books' account ids, account names and CSM names found in ``result``."""
    found = set()
    pattern = re.compile("|".join(re.escape(n) for n in sorted(book.other_csms)))
    for text in texts(result):
        if text in book.other_ids or text in book.other_names or text in book.other_csms:
            found.add(text)
        elif len(text) > 40:
            found.update(pattern.findall(text))
            found.update(i for i in re.findall(r"\b[A-Z]+-?\d+\b", text) if i in book.other_ids)
    return sorted(found)


def assert_same(a, b, where: str) -> None:
    """Equal results (floats to 1e-9 relative), compared field by field; the filters a result
    echoes differ by construction and are left out."""
    if isinstance(a, Filters):
        return
    if isinstance(a, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, obj=where)
        except AssertionError:  # the same rows in another order (a query without ORDER BY)
            def rows(frame: pd.DataFrame) -> pd.DataFrame:
                return frame.sort_values(list(frame.columns)).reset_index(drop=True)
            pd.testing.assert_frame_equal(rows(a), rows(b), check_exact=False, rtol=1e-9,
                                          obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=False, rtol=1e-9, obj=where)
    elif isinstance(a, np.ndarray):
        np.testing.assert_allclose(a, b, rtol=1e-9, err_msg=where)
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9), where
    else:
        assert a == b, where


@pytest.fixture(scope="module")
def engines(demo_url, book):
    engine = make_engine(demo_url)
    return engine, scoped(engine, BookScope((book.csm,)))


def test_every_entry_point_is_covered():
    names = [name for name, _ in entry_points()]
    assert len(names) >= 45, names
    assert "api.overview.overview" in names and "export.pack.build_pack" in names


@pytest.mark.parametrize("name,fn", entry_points(), ids=[n for n, _ in entry_points()])
def test_a_csm_scoped_call_returns_only_their_book(name, fn, engines, book):
    engine, mine = engines
    result = call(fn, mine, book, Filters())
    assert not leaks(result, book), f"{name} shows other books: {leaks(result, book)[:5]}"
    if "filters" in inspect.signature(fn).parameters and name != "export.pack.build_pack":
        filtered = call(fn, engine, book, Filters(csm=(book.csm,)))
        assert_same(result, filtered, name)


def test_the_leak_check_finds_other_books(engines, book):
    """Without the scope the same calls do show other books (the check above is not empty)."""
    engine, _ = engines
    from cs_dashboard.api import account_tiers
    from cs_dashboard.api.capacity import csm_roster
    assert leaks(account_tiers(engine, DEMO_END), book)
    assert leaks(csm_roster(engine), book)


def test_a_widget_filter_cannot_widen_the_scope(engines, book):
    """Filters chosen on a page only narrow a book: another CSM's name gives nothing."""
    _, mine = engines
    other = sorted(book.other_csms & set(queries.filter_options(engines[0])["csm"]))[0]
    view = api_overview.overview(mine, DEMO_END, Filters(csm=(other,)))
    assert view.now.accounts == 0
    assert queries.filter_options(mine)["csm"] == [book.csm]


def test_the_csm_overview_equals_the_overview_filtered_to_that_csm(engines, book):
    engine, mine = engines
    own = api_overview.overview(mine, DEMO_END)
    filtered = api_overview.overview(engine, DEMO_END, Filters(csm=(book.csm,)))
    everyone = api_overview.overview(engine, DEMO_END)
    assert 0 < own.now.accounts < everyone.now.accounts
    assert own.now.accounts == len(book.ids & set(
        queries.account_mrr_at(engine, DEMO_END)["account_id"]))
    assert_same(own, filtered, "overview")


def test_the_scope_is_carried_by_the_engine_and_fails_closed(engines, demo_url, book):
    engine, mine = engines
    assert scope_of(engine) is None and scope_of(mine) == BookScope((book.csm,))
    assert scoped(engine, None) is engine
    nobody = scoped(engine, BookScope(()))
    assert api_overview.overview(nobody, DEMO_END).now.accounts == 0
    assert queries.filter_options(nobody) == {}
    with pytest.raises(TypeError):
        scoped(engine, (book.csm,))
    # every book shares the data's calendar
    assert queries.month_range(mine) == queries.month_range(engine)


def test_tables_without_a_csm_column_show_nothing():
    import sqlalchemy as sa
    md = sa.MetaData()
    accounts = sa.Table("accounts", md, sa.Column("account_id", sa.String))
    mrr = sa.Table("mrr", md, sa.Column("account_id", sa.String), sa.Column("mrr", sa.Float))
    out = restrict({"accounts": accounts, "mrr": mrr}, BookScope(("Ana",)))
    sql = str(sa.select(out["mrr"]).compile(compile_kwargs={"literal_binds": True}))
    assert "false" in sql.lower() or "1 != 1" in sql or "0 = 1" in sql


@pytest.mark.postgres
def test_scoped_overview_on_postgresql(pg_url, demo_frames, book):
    """The same equality on a real PostgreSQL server."""
    from cs_dashboard.db.writer import replace_source
    engine = make_engine(pg_url)
    replace_source(engine, demo_frames)
    own = api_overview.overview(scoped(engine, BookScope((book.csm,))), DEMO_END)
    filtered = api_overview.overview(engine, DEMO_END, Filters(csm=(book.csm,)))
    assert own.now.accounts > 0
    assert_same(own, filtered, "overview")



def test_tables_are_read_only_through_reflect():
    """The scope holds because every query is built from ``schema.reflect``'s tables: only the
    reflection itself (and the source mapping it wraps) names a table directly."""
    from tests.conftest import ROOT
    # db/state.py holds the app's own state, not a source; the writer replaces tables
    allowed = {"db/schema.py", "db/source_map.py", "db/writer.py", "db/state.py"}
    direct = []
    for path in (ROOT / "cs_dashboard").rglob("*.py"):
        name = path.relative_to(ROOT / "cs_dashboard").as_posix()
        if name not in allowed and re.search(r"sa\.table\(|sa\.Table\(|\bFROM\s+\w",
                                             path.read_text()):
            direct.append(name)
    assert direct == []
