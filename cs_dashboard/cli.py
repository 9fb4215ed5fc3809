"""Command line: ``python -m cs_dashboard <command> --db URL [--json]``.

A run imports only what its command needs: the command modules in ``commands/`` are imported
when their command is chosen (all of them only for the top-level help), and the built-in
commands import the data layer, ingest and demo code inside their ``run`` functions, so
``metrics`` never loads plotting, survival fitting or the deck (``tests/test_cli_imports.py``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from cs_dashboard import commands
from cs_dashboard.months import parse_month

EXIT_INVALID = 2
#: DuckDB memory while the demo is written (its tables are built chunk by chunk beside it).
DEMO_DB_MEMORY_MB = 1024


class UsageError(Exception):
    """A command-line argument that cannot be used (exit status 2)."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(argv)
    args = parser.parse_args(argv)
    from cs_dashboard.db.engine import mask_text, mask_url, resolve_url

    url = resolve_url(args.db)
    try:
        return args.run(args, url)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # noqa: BLE001 - last-resort message without the password
        if _is_input_error(exc):
            print(f"error: {exc} ({mask_url(url)})", file=sys.stderr)
            return EXIT_INVALID
        print(f"error: {mask_text(str(exc), url)}", file=sys.stderr)
        return 1


def _is_input_error(exc: Exception) -> bool:
    """No data, a month outside the data or an unusable tier rule (exit status 2)."""
    from cs_dashboard import api
    from cs_dashboard.tiers import TierRuleError

    return isinstance(exc, (api.NoData, api.OutsideData, TierRuleError))


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    """The parser for ``argv``: the built-in commands, and the command module that ``argv``
    names (every module when it names no command, for the help and the list of choices)."""
    parser = argparse.ArgumentParser(prog="python -m cs_dashboard",
                                     description="CS Dashboard command line.")
    sub = parser.add_subparsers(required=True, metavar="command")

    def command(name: str, run, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text.replace("%", "%%"), description=help_text)
        p.add_argument("--db", help="SQLAlchemy URL (default: $CS_DASHBOARD_DB_URL or the "
                                    "embedded DuckDB file)")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(run=run)
        return p

    p = command("demo", _demo, "Build the demo portfolio into a database (replacing its data).")
    p.add_argument("--accounts", type=int, default=2000)
    p.add_argument("--months", type=int, default=36)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--end", type=parse_month,
                   help="last month, YYYY-MM (default: the last complete month)")
    p.add_argument("--if-missing", action="store_true", help="do nothing if data exists")
    for name, run, text in (("import", _import, "Import CSV/Excel files (all or nothing)."),
                            ("validate", _validate, "Check CSV/Excel files without importing and "
                                                    "print what would be imported.")):
        p = command(name, run, text)
        p.add_argument("--accounts", type=Path,
                       help="accounts file (required with --mrr; with --subscriptions the "
                            "accounts default to the customers in the subscriptions)")
        p.add_argument("--mrr", type=Path, help="monthly MRR file (or give --subscriptions)")
        p.add_argument("--subscriptions", type=Path,
                       help="one row per subscription (Baremetrics template, Stripe export or "
                            "account_id,start,end,amount,interval,quantity); MRR is derived")
        p.add_argument("--fx", type=Path, help="exchange rates for subscriptions in other "
                       "currencies: currency, month (or date), rate to the reporting currency")
        p.add_argument("--currency", help="reporting currency (default USD, or the mapping's)")
        p.add_argument("--through", type=parse_month,
                       help="last month derived from subscriptions, YYYY-MM (default: the last "
                            "complete month)")
        p.add_argument("--health", type=Path)
        p.add_argument("--csms", type=Path)
        p.add_argument("--mapping", type=Path, help="mapping file (JSON or TOML) as the Data page "
                       "downloads it: which column feeds which field, date format, currency")
        p.add_argument("--date-format", help="order of dates that are not ISO: MM/DD/YYYY, "
                       "DD/MM/YYYY or a strftime pattern such as %%d.%%m.%%Y")
    p = command("metrics", _metrics, "Portfolio KPIs at a month.")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")
    chosen = argv[0] if argv else None
    if chosen not in sub.choices:
        commands.register(command, chosen)
    return parser


def emit(args: argparse.Namespace, data: dict | list, text: dict | list | None = None,
         money: tuple[str, ...] = ()) -> None:
    """Print ``data`` as JSON (``--json``, numbers raw) or as plain text (``plaintext.render``:
    money and percentages formatted, records as tables). ``text``: a reshaping of the same
    result that reads better as text; ``money``: key patterns that are dollars in this result
    beyond the shared ones (``plaintext.MONEY_KEYS``)."""
    if args.json:
        print(json.dumps(data, indent=2, default=str))
    else:
        from cs_dashboard import plaintext

        print(plaintext.render(data if text is None else text, money=money))


def _demo(args: argparse.Namespace, url: str) -> int:
    from cs_dashboard import demo
    from cs_dashboard.db import queries
    from cs_dashboard.db.engine import cap_memory, make_engine, mask_url
    from cs_dashboard.db.state import AppState
    from cs_dashboard.db.writer import load_source

    engine = make_engine(url)
    cap_memory(engine, DEMO_DB_MEMORY_MB)
    if args.if_missing and not queries.source_is_empty(engine):
        emit(args, {"database": mask_url(url), "status": "data present; left as is"})
        return 0
    started = time.perf_counter()
    spec = demo.DemoSpec(accounts=args.accounts, months=args.months, seed=args.seed)
    if args.end is not None:
        spec = dataclasses.replace(spec, end=args.end)
    rows = load_source(engine, url, demo.generate_chunks(spec), AppState(), demo=True,
                       who=_who())
    emit(args, {"database": mask_url(url), **rows,
                 "seconds": round(time.perf_counter() - started, 2)})
    return 0


def _read_files(args: argparse.Namespace) -> dict[str, tuple[str, bytes]]:
    from cs_dashboard.ingest.load import KINDS

    if args.mrr is not None and args.subscriptions is not None:
        raise UsageError("give --mrr (monthly MRR) or --subscriptions (MRR derived from them), "
                         "not both")
    if args.mrr is None and args.subscriptions is None:
        raise UsageError("give --mrr FILE (monthly MRR), or --subscriptions FILE to derive it")
    if args.mrr is not None and args.accounts is None:
        raise UsageError("--accounts FILE is required with --mrr")
    files = {}
    for kind in KINDS:
        path: Path | None = getattr(args, kind)
        if path is None:
            continue
        if not path.is_file():
            raise UsageError(f"no such file for --{kind}: {path}")
        files[kind] = (path.name, path.read_bytes())
    return files


def _options(args: argparse.Namespace):
    """The mapping file's choices (``ImportOptions``), with --date-format and --currency over
    them."""
    from cs_dashboard.ingest.currency import currency_code
    from cs_dashboard.ingest.dates import DateFormat
    from cs_dashboard.ingest.mapping import ImportOptions, MappingError, read_mapping

    options = ImportOptions()
    if args.mapping is not None:
        if not args.mapping.is_file():
            raise UsageError(f"no such file for --mapping: {args.mapping}")
        try:
            options = read_mapping(args.mapping.read_bytes(), args.mapping.name)
        except MappingError as exc:
            raise UsageError(str(exc)) from exc
    if args.date_format:
        try:
            DateFormat.parse(args.date_format)
        except ValueError as exc:
            raise UsageError(f"--date-format: {exc}") from exc
        options = dataclasses.replace(options, date_format=args.date_format)
    if args.currency:
        try:
            options = dataclasses.replace(options, currency=currency_code(args.currency))
        except ValueError as exc:
            raise UsageError(f"--currency: {exc}") from exc
    return options


def _who() -> str:
    from cs_dashboard.access import command_line_user
    return command_line_user()


def _validated(args: argparse.Namespace):
    from cs_dashboard.ingest import load_tables

    result = load_tables(_read_files(args), options=_options(args), through=args.through)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not result.ok:
        print(f"{result.problem_count} problem(s); nothing was imported:", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    return result


def _validate(args: argparse.Namespace, url: str) -> int:
    from cs_dashboard.ingest.preview import summary_json, summary_text

    result = _validated(args)
    if args.json:
        print(json.dumps(summary_json(result), indent=2, default=str))
    else:
        print(summary_text(result))
    return 0 if result.ok else EXIT_INVALID


def _import(args: argparse.Namespace, url: str) -> int:
    import sqlalchemy as sa

    from cs_dashboard.db.engine import describe_error, make_engine, mask_url
    from cs_dashboard.db.state import AppState
    from cs_dashboard.db.writer import load_source
    from cs_dashboard.ingest.load import KINDS

    result = _validated(args)
    if not result.ok:
        return EXIT_INVALID
    try:
        files = {kind: (path.name, path.stat().st_size) for kind in KINDS
                 if (path := getattr(args, kind)) is not None}
        rows = load_source(make_engine(url), url, result.frames, AppState(), who=_who(),
                           files=files)
    except sa.exc.SQLAlchemyError as exc:
        print(f"error: {describe_error(exc, url)}; nothing was imported", file=sys.stderr)
        return 1
    emit(args, {"database": mask_url(url), "status": "imported", **rows})
    return 0


def _metrics(args: argparse.Namespace, url: str) -> int:
    from cs_dashboard import api
    from cs_dashboard.api.retention import retention_by_tier_json
    from cs_dashboard.api.segmentation import tiers_json
    from cs_dashboard.db.engine import make_engine
    from cs_dashboard.db.state import AppState

    engine = make_engine(url)
    result = api.portfolio_at(engine, args.as_of)

    rule = api.saved_tier_rule(AppState())
    tiers = tiers_json(engine, result.as_of, rule)["tiers"]
    by_tier = retention_by_tier_json(engine, result.as_of, rule=rule)
    emit(args, {**result.to_json(), "tiers": tiers, "retention_by_tier": by_tier})
    return 0
