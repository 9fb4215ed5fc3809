"""Command results as plain text: what the CLI prints without ``--json``.

``render(data)`` lays out the JSON-ready dicts and lists the commands build:

- a scalar is a ``key: value`` line (long text wraps); a nested dict is an indented section;
- a list of records is an aligned table (numbers right-aligned), split into blocks that repeat
  the first column when it is wider than the terminal; a record field holding a list (a
  cohort's values by age) spreads over columns headed 0, 1, 2, ...;
- a dict of records with the same fields (health bands) is a table with one row per key;
- two or more number lists of one length in a dict (a survival curve) are the columns of one
  table, shown every 12th row when longer than 25 rows (``--json`` has every row).

Numbers are formatted as the pages show them (``fmt``), by key name (``PERCENT_KEYS``,
``MONEY_KEYS``, and a command's own ``money`` keys): money is compact in ``key: value`` lines
(``$40.6M``, like a tile) and exact in tables (``$2,352,633``, like a page table); fractions are
percentages; a Python int is always a count, whatever its key (``demo`` reports the ``mrr``
table's row count). A key with no rule of its own takes its section's rule
(``churn_rate: {red: 0.2}`` is a percentage).
"""

from __future__ import annotations

import numbers
import shutil
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct

#: Key patterns (``fnmatch``) of fractions shown as percentages and of US-dollar amounts.
#: Percentages are tried first (``cost_share`` is a share, ``annual_cost`` money); ``churn`` is
#: a rate (capacity tiers) unless a command says otherwise (the bridge's churn is dollars).
#: Floats under any other key are plain numbers.
PERCENT_KEYS = ("nrr*", "grr*", "logo*", "*share*", "churn*", "*_rate", "*retention*",
                "survival", "lower", "upper", "s[0-9]*", "values", "time_off", "attrition")
MONEY_KEYS = ("mrr", "arr", "*_mrr", "mrr_*", "*_arr", "arr_*", "*_mrr_*", "*_arr_*", "*cost*",
              "budget*")
#: A curve longer than this is shown every ``CURVE_STEP``-th row (and its last row).
CURVE_ROWS = 25
CURVE_STEP = 12
INDENT = "  "
GAP = "  "


def render(data: object, width: int | None = None, money: Sequence[str] = ()) -> str:
    """``data`` (dicts, lists, scalars) as plain text for a terminal ``width`` wide (default:
    the terminal's, or 100 columns when output is not a terminal). ``money``: the command's
    own money key patterns, tried before the shared ones."""
    layout = _Layout(width or shutil.get_terminal_size((100, 24)).columns, tuple(money))
    lines = layout.block(data, None, "")
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def kind_of(key: str | None, money: Sequence[str] = ()) -> str | None:
    """``"pct"``, ``"money"`` or ``None`` for a key name; ``money`` patterns come first."""
    if key is None:
        return None
    for kind, patterns in (("money", money), ("pct", PERCENT_KEYS), ("money", MONEY_KEYS)):
        if any(fnmatchcase(key, p) for p in patterns):
            return kind
    return None


def fmt_value(value: object, kind: str | None = None, compact: bool = True) -> str:
    """One value as text: ``kind`` ``pct`` or ``money`` applies to floats; ints are counts."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        if kind == "pct":
            return fmt_pct(float(value))
        if kind == "money":
            return fmt_money(float(value), compact=compact)
        return _number(float(value))
    return str(value)


def _number(value: float) -> str:
    """``1,310.4``, ``19.15``, ``0.797``; whole numbers without decimals."""
    if value != value:  # NaN
        return "–"
    if value.is_integer():
        return fmt_count(value)
    if abs(value) >= 100:
        return f"{value:,.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}".rstrip("0")
    return f"{value:.3g}"


def _is_scalar(value: object) -> bool:
    return not isinstance(value, (Mapping, list, tuple))


def _is_list(value: object) -> bool:
    return isinstance(value, (list, tuple))


@dataclass(frozen=True)
class _Layout:
    width: int
    money: tuple[str, ...]

    def text(self, value: object, key: str | None, parent: str | None,
             compact: bool = True) -> str:
        kind = kind_of(key, self.money) or kind_of(parent, self.money)
        return fmt_value(value, kind, compact)

    def block(self, data: object, key: str | None, indent: str) -> list[str]:
        if isinstance(data, Mapping):
            return self.mapping(data, key, indent)
        if _is_list(data) and data and all(isinstance(v, Mapping) for v in data):
            return self.records(list(data), key, indent)
        if _is_list(data):
            if not data:
                return [indent + "(none)"]
            return self.table(*self.columns([{key or "": list(data)}], None), indent, label=False)
        return [indent + self.text(data, key, None)]

    def inline(self, value: object, key: str, parent: str | None, room: int) -> str | None:
        """The value on its ``key: value`` line, or ``None`` when it needs a section."""
        if _is_scalar(value):
            return self.text(value, key, parent)
        if not value:
            return "(none)"
        if _is_list(value) and all(_is_scalar(v) for v in value):
            text = ", ".join(self.text(v, key, parent) for v in value)
            return text if len(text) <= room else None
        return None

    def mapping(self, data: Mapping, parent: str | None, indent: str) -> list[str]:
        if not data:
            return [indent + "(none)"]
        if _same_records(data):
            return self.table(*self.columns([{"": k, **v} for k, v in data.items()], parent),
                              indent)
        curve = _curve_keys(data)
        pad = max((len(str(k)) for k in data if k not in curve), default=0) + 1
        room = self.width - len(indent) - pad - 1
        lines: list[str] = []
        after_section = False
        for key, value in data.items():
            if key in curve:
                continue
            text = self.inline(value, str(key), parent, room)
            if text is None:
                lines += ["", f"{indent}{key}", *self.block(value, str(key), indent + INDENT)]
                after_section = True
                continue
            first, *rest = textwrap.wrap(text, max(room, 20)) or [""]
            lines += [""] if after_section else []
            lines.append(f"{indent}{str(key) + ':':<{pad}} {first}")
            lines += [f"{indent}{'':<{pad}} {more}" for more in rest]
            after_section = False
        if curve:
            lines += ["", *self.curve(data, curve, indent)]
        return lines

    def curve(self, data: Mapping, keys: list[str], indent: str) -> list[str]:
        n = len(data[keys[0]])
        rows = [i for i in range(n) if n <= CURVE_ROWS or i % CURVE_STEP == 0 or i == n - 1]
        lines = self.table(*self.columns([{k: data[k][i] for k in keys} for i in rows], None),
                           indent)
        if len(rows) < n:
            lines.append(f"{indent}(every {CURVE_STEP}th of {n:,} rows; --json prints them all)")
        return lines

    def records(self, rows: list[Mapping], key: str | None, indent: str) -> list[str]:
        fields = list(dict.fromkeys(k for row in rows for k in row))
        nested = [f for f in fields if any(not _is_scalar(row.get(f)) for row in rows)]
        spread = len(nested) == 1 and all(
            row.get(nested[0]) is None
            or (_is_list(row[nested[0]]) and all(_is_scalar(v) for v in row[nested[0]]))
            for row in rows)
        if nested and not spread:  # one section per record, separated by blank lines
            lines: list[str] = []
            for row in rows:
                lines += ["", *self.mapping(row, key, indent)]
            return lines[1:]
        return self.table(*self.columns(rows, key), indent)

    def columns(self, rows: list[Mapping], parent: str | None):
        """Headers, cell texts and right-alignment of a table of records; a list field spreads
        over columns 0, 1, 2, ... (blank where the list has ``None``, as on the pages)."""
        fields = list(dict.fromkeys(k for row in rows for k in row))
        headers: list[str] = []
        cells: list[list[str]] = []
        right: list[bool] = []
        for field in fields:
            values = [row.get(field) for row in rows]
            if any(_is_list(v) for v in values):
                for i in range(max(len(v or ()) for v in values)):
                    column = [v[i] if v and i < len(v) else None for v in values]
                    headers.append(str(i))
                    cells.append(["" if c is None else self.text(c, field, parent, False)
                                  for c in column])
                    right.append(True)
                continue
            headers.append(str(field))
            cells.append([self.text(v, field, parent, False) for v in values])
            right.append(all(v is None or (isinstance(v, numbers.Real) and not isinstance(v, bool))
                             for v in values))
        return headers, cells, right

    def table(self, headers: list[str], cells: list[list[str]], right: list[bool], indent: str,
              label: bool = True) -> list[str]:
        """Aligned columns under a header and a rule. Wider than the terminal, the columns
        split into blocks, each repeating the first column when it is the row ``label``."""
        widths = [max([len(h), *(len(c) for c in col)]) for h, col in zip(headers, cells,
                                                                          strict=True)]
        blocks: list[list[int]] = [[]]
        used = 0
        for i, w in enumerate(widths):
            block = blocks[-1]
            if (any(c != 0 or not label for c in block)
                    and len(indent) + used + len(GAP) + w > self.width):
                blocks.append([0] if label else [])
                block, used = blocks[-1], widths[0] if label else 0
            used += (len(GAP) if block else 0) + w
            block.append(i)

        def line(texts: list[str], cols: list[int]) -> str:
            parts = [texts[i].rjust(widths[i]) if right[i] else texts[i].ljust(widths[i])
                     for i in cols]
            return (indent + GAP.join(parts)).rstrip()

        lines: list[str] = []
        for cols in blocks:
            lines += ["", line(headers, cols), line(["-" * w for w in widths], cols)]
            lines += [line([col[r] for col in cells], cols) for r in range(len(cells[0]))]
        return lines[1:]


def _same_records(data: Mapping) -> bool:
    """A dict of dicts of scalars with the same keys (``{"red": {"accounts": 3, ...}}``)."""
    values = list(data.values())
    return all(isinstance(v, Mapping) and v and all(_is_scalar(x) for x in v.values())
               for v in values) and len({tuple(v) for v in values}) == 1


def _curve_keys(data: Mapping) -> list[str]:
    """Keys of the two or more number lists of one length in ``data`` (a curve), if any."""
    lists = {k: v for k, v in data.items() if _is_list(v) and v
             and all(x is None or isinstance(x, numbers.Real) for x in v)}
    lengths = {len(v) for v in lists.values()}
    return list(lists) if len(lists) >= 2 and len(lengths) == 1 else []
