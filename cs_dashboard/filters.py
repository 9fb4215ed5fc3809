"""Portfolio filters shared by every page, the CLI and the data layer, and the book scope a
signed-in CSM's every query carries."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Account attributes the sidebar can filter on, in display order.
FILTER_COLUMNS: tuple[str, ...] = ("segment", "region", "industry", "csm")


@dataclass(frozen=True)
class Filters:
    """Selected values per account attribute; an empty selection means "all"."""

    segment: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    industry: tuple[str, ...] = ()
    csm: tuple[str, ...] = ()
    extra: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def active(self) -> dict[str, tuple[str, ...]]:
        """Only the attributes with a selection."""
        chosen = {c: getattr(self, c) for c in FILTER_COLUMNS if getattr(self, c)}
        chosen.update({c: v for c, v in self.extra if v})
        return chosen

    def describe(self) -> str:
        """Plain-words summary for captions and footnotes."""
        parts = [f"{c}: {', '.join(v)}" for c, v in self.active().items()]
        return "; ".join(parts) if parts else "all accounts"

    @classmethod
    def of(cls, **selected: list[str] | tuple[str, ...] | None) -> Filters:
        known = {c: tuple(selected.pop(c) or ()) for c in FILTER_COLUMNS if c in selected}
        extra = tuple((c, tuple(v or ())) for c, v in sorted(selected.items()))
        return cls(**known, extra=extra)


@dataclass(frozen=True)
class BookScope:
    """The accounts a signed-in user may see: those whose current CSM (``accounts.csm``) is
    one of ``csms``. ``BookScope(())`` sees no account at all (the fail-closed scope).

    Unlike ``Filters`` it is not chosen on a page: the data layer applies it to the tables
    themselves (``db.scope``), so no query, chart, download or deck can read past it.
    """

    csms: tuple[str, ...] = ()

    def describe(self) -> str:
        """Plain words for captions: whose book this is."""
        return f"the book of {', '.join(self.csms)}" if self.csms else "no accounts"
