"""CLI subcommands contributed per concern.

Each module here defines ``register(command)``, where ``command(name, run, help)`` returns an
``argparse`` subparser that already has ``--db`` and ``--json``; ``run(args, url) -> int``.
A module registers one command named after it (``board_pack`` -> ``board-pack``). Modules are
discovered automatically, so a new concern adds a file and touches nothing else; the CLI
imports only the module of the command being run.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from cs_dashboard.tiers import TierRule

T = TypeVar("T")


def names() -> list[str]:
    """Command names of the modules here, sorted (``board_pack`` -> ``board-pack``)."""
    return sorted(m.name.replace("_", "-") for m in pkgutil.iter_modules(__path__))


def register(command: Callable, name: str | None = None) -> None:
    """Register the module of command ``name``, or every module when ``name`` is not one."""
    chosen = [name] if name in names() else names()
    for each in chosen:
        importlib.import_module(f"{__name__}.{each.replace('-', '_')}").register(command)


def with_saved_tiers(build: Callable[[TierRule], T], rule: TierRule) -> T:
    """``build(rule)`` with the saved tier rule, or with the default tiers (said on stderr, in
    the pages' words) when the data cannot follow it."""
    from cs_dashboard.tiers import TierRule, TierRuleError  # only the commands that tier

    try:
        return build(rule)
    except TierRuleError as exc:
        print(f"warning: {exc.message} Using the default tiers.", file=sys.stderr)
        return build(TierRule())
