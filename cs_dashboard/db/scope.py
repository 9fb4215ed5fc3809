"""A CSM's book as a property of the engine: every table the data layer reads is restricted.

``scoped(engine, scope)`` returns an engine (sharing the connection pool) that carries a
``BookScope``; ``schema.reflect`` then hands every query subqueries instead of the tables:
``accounts`` and ``csms`` limited to the scope's CSMs, ``mrr`` and ``health`` to their accounts.
Queries are built only from ``reflect``'s tables, so no query, page widget, filter, download or
deck can read another book; an account without a CSM is in no book.
"""

from __future__ import annotations

import sqlalchemy as sa

from cs_dashboard.filters import BookScope

#: The engine execution option that carries the scope.
OPTION = "cs_dashboard_scope"


def scoped(engine: sa.Engine, scope: BookScope | None) -> sa.Engine:
    """``engine`` restricted to ``scope`` (``None``: the engine itself, every account)."""
    if scope is None:
        return engine
    if not isinstance(scope, BookScope):
        raise TypeError(f"a scope must be a BookScope, not {type(scope).__name__}")
    return engine.execution_options(**{OPTION: scope})


def scope_of(engine: sa.Engine) -> BookScope | None:
    """The scope ``engine`` carries, ``None`` for every account."""
    return engine.get_execution_options().get(OPTION)


def restrict(tables: dict[str, sa.FromClause], scope: BookScope) -> dict[str, sa.FromClause]:
    """``tables`` (our names) as subqueries holding only the rows of ``scope``'s book."""
    accounts = tables.get("accounts")
    in_book: sa.ColumnElement[bool]
    if accounts is not None and "csm" in accounts.c and scope.csms:
        in_book = accounts.c.csm.in_(list(scope.csms))
    else:
        in_book = sa.false()
    out: dict[str, sa.FromClause] = {}
    for name, table in tables.items():
        if name == "accounts":
            where = in_book
        elif name == "csms":
            where = table.c.csm.in_(list(scope.csms)) if scope.csms else sa.false()
        elif "account_id" in table.c and accounts is not None:
            book = sa.select(accounts.c.account_id).where(in_book)
            where = table.c.account_id.in_(book)
        else:
            where = sa.false()
        out[name] = sa.select(table).where(where).subquery(name)
    return out
