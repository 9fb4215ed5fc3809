"""Build a board pack from a database: the deck (PPTX) and a ZIP of every PNG, SVG and CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from cs_dashboard.export import images, sections
from cs_dashboard.export.deck import DeckStyle, build_deck
from cs_dashboard.export.files import safe_csv, safe_filename, zip_bytes
from cs_dashboard.export.sections import ChartSlide, Request, Slide
from cs_dashboard.filters import Filters
from cs_dashboard.health import ScoreSettings
from cs_dashboard.months import label
from cs_dashboard.tiers import TierRule


class EmptySelection(ValueError):
    """Nothing to put in the pack (user-facing message)."""


@dataclass(frozen=True)
class PackOptions:
    """Everything a pack depends on (hashable, so pages can cache the built pack).

    ``source_label`` names the data on the title slide, in every chart footnote and in every
    slide's notes: words such as "Demo portfolio", never a URL or file path. ``demo``: the data
    is the demo portfolio, and the title slide says "Demo data".
    """

    as_of: dt.date
    sections: tuple[str, ...]
    filters: Filters = Filters()
    rule: TierRule = TierRule()
    company: str = "Customer Success"
    accent: str = "#1f4e79"
    compare_months: int = 3
    source_label: str = "database"
    score: ScoreSettings = ScoreSettings()
    demo: bool = False

    def file_stem(self) -> str:
        return safe_filename(f"{self.company} board pack {label(self.as_of)}", "board_pack")


@dataclass(frozen=True)
class Pack:
    """The built deck, the ZIP of its charts and data, and the slides' headlines."""

    pptx: bytes
    zip: bytes
    headlines: tuple[str, ...]
    skipped: tuple[str, ...] = field(default=())


def build_pack(engine: sa.Engine, options: PackOptions) -> Pack:
    """The deck and ZIP for ``options`` (``EmptySelection`` if there is nothing to show)."""
    if not options.sections:
        raise EmptySelection("Choose at least one section to build a board pack.")
    request = Request(options.as_of, options.filters, options.rule, options.compare_months,
                      options.source_label, options.score)
    slides: list[tuple[Slide, bytes | None]] = []
    files: list[tuple[str, bytes]] = []
    skipped = []
    for key in options.sections:
        built = sections.build(engine, key, request)
        if not built:
            skipped.append(key)
        for slide in built:
            number = len(slides) + 2
            stem = f"{number:02d}_{key}_{slide.name}"
            png = None
            if isinstance(slide, ChartSlide):
                png = images.altair_png(slide.chart)
                files += [(f"{stem}.png", png), (f"{stem}.svg", images.altair_svg(slide.chart))]
            files.append((f"{stem}.csv", safe_csv(slide.data)))
            slides.append((slide, png))
    if not slides:
        raise EmptySelection("The chosen sections have no data for this month and these "
                             "filters; widen the filters or pick another month.")
    style = DeckStyle(options.company.strip() or "Customer Success", options.accent,
                      f"{options.as_of:%B %Y}", options.filters.describe(), options.source_label,
                      options.demo)
    pptx = build_deck(slides, style)
    return Pack(pptx, zip_bytes(files), tuple(s.headline for s, _ in slides), tuple(skipped))
