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
from collections.abc import Callable


def names() -> list[str]:
    """Command names of the modules here, sorted (``board_pack`` -> ``board-pack``)."""
    return sorted(m.name.replace("_", "-") for m in pkgutil.iter_modules(__path__))


def register(command: Callable, name: str | None = None) -> None:
    """Register the module of command ``name``, or every module when ``name`` is not one."""
    chosen = [name] if name in names() else names()
    for each in chosen:
        importlib.import_module(f"{__name__}.{each.replace('-', '_')}").register(command)

