"""``board-pack``: build the board-pack deck (and optionally the ZIP of charts) headless."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cs_dashboard import api
from cs_dashboard.access import command_line_user
from cs_dashboard.api import health as api_health
from cs_dashboard.charts.theme import ACCENT
from cs_dashboard.cli import EXIT_INVALID, emit
from cs_dashboard.db.engine import make_engine, mask_url
from cs_dashboard.db.state import AppState
from cs_dashboard.export import sections
from cs_dashboard.export.pack import EmptySelection, PackOptions, build_pack
from cs_dashboard.months import label, parse_month


def register(command) -> None:
    p = command("board-pack", run, "Build the board-pack PowerPoint deck (16:9) from a database.")
    p.add_argument("--out", required=True, type=Path, help="where to write the .pptx")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")
    p.add_argument("--sections", nargs="+", metavar="SECTION",
                   help=f"sections in any order (default: every available one; known: "
                        f"{', '.join(sections.SECTION_KEYS)})")
    p.add_argument("--zip", type=Path, help="also write a ZIP of every chart PNG, SVG and CSV")
    p.add_argument("--company", default="Customer Success", help="name on the title slide")
    p.add_argument("--accent", default=ACCENT, help="accent colour as #rrggbb")
    p.add_argument("--compare", choices=list(sections.COMPARE_PERIODS), default="quarter",
                   help="KPI change against the prior month, quarter or year")
    p.add_argument("--source-label", metavar="TEXT",
                   help="the 'Data source' label on the title slide, chart footnotes and notes, "
                        "saved for this database (the app uses it too); default: the saved "
                        "label, 'Demo portfolio' on the demo, else the database's name")


def run(args: argparse.Namespace, url: str) -> int:
    offered = sections.available()
    wanted = args.sections or list(offered)
    unknown = [k for k in wanted if k not in offered]
    if unknown:
        print(f"error: section(s) not available: {', '.join(unknown)}; choose from "
              f"{', '.join(offered)}", file=sys.stderr)
        return EXIT_INVALID
    engine = make_engine(url)
    as_of = args.as_of or api.default_as_of(engine)
    state, source = AppState(), mask_url(url)
    if args.source_label is not None:
        state.set_source_label(source, args.source_label, who=command_line_user())
    options = PackOptions(as_of, tuple(k for k in offered if k in wanted),
                          rule=api.saved_tier_rule(state), company=args.company,
                          accent=args.accent, compare_months=sections.COMPARE_PERIODS[args.compare],
                          source_label=state.source_label(source),
                          score=api_health.saved_settings(state),
                          demo=state.demo_accounts(source) is not None)
    started = time.perf_counter()
    try:
        pack = build_pack(engine, options)
    except EmptySelection as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    args.out.write_bytes(pack.pptx)
    if args.zip:
        args.zip.write_bytes(pack.zip)
    emit(args, {"deck": str(args.out), "zip": str(args.zip) if args.zip else None,
                "as_of": label(as_of), "source_label": options.source_label,
                "sections": list(options.sections),
                "slides": len(pack.headlines) + 1, "skipped": list(pack.skipped),
                "seconds": round(time.perf_counter() - started, 2)})
    return 0
