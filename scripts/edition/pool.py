"""The one way the build shares work between the processor's cores: forked workers, which inherit what the
build process has loaded (corpus, MkDocs' pages, styles) instead of receiving it, each given one share of
the items; the results come back in the items' order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .errors import BuildError


def workers(items: int, cap: int | None = None) -> int:
    """One worker per core, at most one per item (and at most ``cap``)."""
    return min(os.cpu_count() or 1, items, items if cap is None else cap)


def map_shares(function: Callable[..., list], items: list, *args: Any, count: int, where: str | Path) -> list:
    """``function(share, *args)`` for ``count`` shares of ``items`` (every count-th item: long and short ones
    mixed), in forked processes; with fewer than 2 workers, here. ``function`` returns one result per item of
    its share, or fewer when it stops at a failed item (which the caller then finds before any missing one).
    An exception in a worker is raised here as a BuildError naming ``where``."""
    if count < 2:
        return function(items, *args)
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(function, items[i::count], *args) for i in range(count)]
        try:
            shares = [future.result() for future in futures]
        except BuildError:
            raise
        except Exception as error:
            raise BuildError(where, None, f"{type(error).__name__}: {error}") from error
    out = []
    for i in range(len(items)):
        share = shares[i % count]
        if i // count >= len(share):
            break
        out.append(share[i // count])
    return out
