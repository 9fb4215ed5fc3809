"""CLI subcommands contributed per concern.

Each module here defines ``register(command)``, where ``command(name, run, help)`` returns an
``argparse`` subparser that already has ``--db`` and ``--json``; ``run(args, url) -> int``.
Modules are discovered automatically, so a new concern adds a file and touches nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable


def register_all(command: Callable) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(command)
