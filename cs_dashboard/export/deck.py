"""The 16:9 PowerPoint deck: a title slide, native KPI tables and one slide per chart.

Every slide has a real title (the headline computed from the data, so the outline view reads
as the story), chart slides carry speaker notes and pictures carry the headline as alt text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from cs_dashboard.charts.theme import ACCENT, NEGATIVE, NEUTRAL, POSITIVE
from cs_dashboard.export.images import png_size
from cs_dashboard.export.sections import ChartSlide, Slide, TableSlide

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in (16:9)
MARGIN = Inches(0.6)
TEXT = RGBColor(0x22, 0x22, 0x22)
GREY = RGBColor.from_string(NEUTRAL.lstrip("#"))
FONT = "Calibri"
_HEX = re.compile(r"^#?[0-9a-fA-F]{6}$")
_BLANK, _TITLE_ONLY = 6, 5
#: What the title slide of a deck built on the demo portfolio says.
DEMO_BADGE = "Demo data"


@dataclass(frozen=True)
class DeckStyle:
    """Company name, accent colour (``#rrggbb``) and the title slide's lines: the as-of month,
    the scope (filters), the "Data source" label (never a URL or path) and whether the data is
    the demo portfolio (the slide then says "Demo data")."""

    company: str = "Customer Success"
    accent: str = ACCENT
    as_of_label: str = ""
    scope: str = "all accounts"
    source: str = ""
    demo: bool = False

    def accent_rgb(self) -> RGBColor:
        return RGBColor.from_string((self.accent if _HEX.match(self.accent) else ACCENT)[-6:])

    def on_accent(self) -> RGBColor:
        """White or near-black text, whichever reads better on the accent colour."""
        r, g, b = self.accent_rgb()
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        return RGBColor(0xFF, 0xFF, 0xFF) if luminance < 150 else TEXT


def build_deck(slides: list[tuple[Slide, bytes | None]], style: DeckStyle) -> bytes:
    """The deck as PPTX bytes; ``slides`` pairs each slide with its chart PNG (tables: None)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(prs, style)
    for number, (slide, png) in enumerate(slides, start=2):
        if isinstance(slide, TableSlide):
            page = _content_slide(prs, slide, style, number)
            _table(page, slide, style)
        else:
            page = _content_slide(prs, slide, style, number)
            _picture(page, slide, png)
        page.notes_slide.notes_text_frame.text = slide.notes
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _title_slide(prs, style: DeckStyle) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_BLANK])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.45), SLIDE_HEIGHT)
    _fill(band, style.accent_rgb())
    _text(slide, style.company, Inches(1.2), Inches(2.3), Inches(11), Inches(1.3), 44, TEXT,
          bold=True)
    _text(slide, "Customer Success board pack", Inches(1.2), Inches(3.55), Inches(11),
          Inches(0.7), 26, style.accent_rgb())
    lines = [f"Data as of {style.as_of_label}" if style.as_of_label else "", style.scope]
    _text(slide, " · ".join(x for x in lines if x), Inches(1.2), Inches(4.4), Inches(11),
          Inches(0.5), 16, GREY)
    if style.demo:
        badge = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(1.2), Inches(1.4),
                                       Inches(1.7), Inches(0.45))
        _fill(badge, style.accent_rgb())
        frame = badge.text_frame
        frame.text = DEMO_BADGE
        frame.paragraphs[0].alignment = PP_ALIGN.CENTER
        _style_run(frame.paragraphs[0].runs[0], 14, style.on_accent(), bold=True)
    if style.source:
        _text(slide, f"Source: {style.source}", Inches(1.2), Inches(6.6), Inches(11),
              Inches(0.4), 11, GREY)


def _content_slide(prs, slide: Slide, style: DeckStyle, number: int):
    page = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY])
    bar = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, SLIDE_WIDTH, Inches(0.12))
    _fill(bar, style.accent_rgb())
    _text(page, slide.section.upper(), MARGIN, Inches(0.3), Inches(8), Inches(0.35), 12,
          style.accent_rgb(), bold=True)
    title = page.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.6), \
        SLIDE_WIDTH - 2 * MARGIN, Inches(0.85)
    frame = title.text_frame
    frame.text = slide.headline
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    _style_run(para.runs[0], 24, TEXT, bold=True)
    owner = style.company if style.company == "Customer Success" else \
        f"{style.company} · Customer Success"
    footer = f"{owner} · data as of {style.as_of_label}"
    _text(page, footer, MARGIN, Inches(7.05), Inches(10), Inches(0.3), 10, GREY)
    _text(page, str(number), SLIDE_WIDTH - MARGIN - Inches(1), Inches(7.05), Inches(1),
          Inches(0.3), 10, GREY, align=PP_ALIGN.RIGHT)
    return page


def _picture(page, slide: ChartSlide, png: bytes | None) -> None:
    if png is None:
        raise ValueError(f"chart slide {slide.name!r} has no image")
    width_px, height_px = png_size(png)
    box_left, box_top = MARGIN, Inches(1.55)
    box_width, box_height = SLIDE_WIDTH - 2 * MARGIN, Inches(5.4)
    scale = min(box_width / width_px, box_height / height_px)
    width, height = Emu(int(width_px * scale)), Emu(int(height_px * scale))
    left = Emu(int(box_left + (box_width - width) / 2))
    picture = page.shapes.add_picture(io.BytesIO(png), left, box_top, width, height)
    picture._element.nvPicPr.cNvPr.set("descr", slide.headline)


def _table(page, slide: TableSlide, style: DeckStyle) -> None:
    rows, cols = len(slide.rows) + 1, len(slide.columns)
    width = SLIDE_WIDTH - 2 * MARGIN
    shape = page.shapes.add_table(rows, cols, MARGIN, Inches(1.8), width, Inches(0.55) * rows)
    table = shape.table
    shares = (0.4, 0.18, 0.18, 0.24) if cols == 4 else (1 / cols,) * cols
    for c, share in enumerate(shares):
        table.columns[c].width = int(width * share)
    for c, header in enumerate(slide.columns):
        cell = table.cell(0, c)
        cell.fill.solid()
        cell.fill.fore_color.rgb = style.accent_rgb()
        _cell_text(cell, header, 15, style.on_accent(), bold=True, right=c > 0)
    for r, row in enumerate(slide.rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor(0xF4, 0xF6, 0xF8) if r % 2 else \
                RGBColor(0xFF, 0xFF, 0xFF)
            color = TEXT
            if c == cols - 1 and value[:1] in "+-":
                color = RGBColor.from_string((POSITIVE if value[0] == "+" else NEGATIVE)[1:])
            _cell_text(cell, value, 16, color, bold=c == 0, right=c > 0)


def _cell_text(cell, value: str, size: int, color: RGBColor, bold: bool = False,
               right: bool = False) -> None:
    cell.text = value
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(0.15)
    para = cell.text_frame.paragraphs[0]
    para.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
    _style_run(para.runs[0], size, color, bold)


def _text(slide, value: str, left, top, width, height, size: int, color: RGBColor,
          bold: bool = False, align=PP_ALIGN.LEFT):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = value
    para = frame.paragraphs[0]
    para.alignment = align
    if para.runs:
        _style_run(para.runs[0], size, color, bold)
    return box


def _style_run(run, size: int, color: RGBColor, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run.font.color.rgb = color


def _fill(shape, color: RGBColor) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    shape.shadow.inherit = False
