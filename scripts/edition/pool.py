"""The one way the build shares work between the processor's cores: forked workers, which inherit what the
build process has loaded (corpus, MkDocs' pages, styles) instead of receiving it, each given one share of
the items; the results come back in the items' order. ``Forked`` runs one whole task beside the build (another
interface's site while the reference one is built)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
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


class Forked:
    """``function(*args)`` in a forked process of its own, started now, while this process goes on; ``result()``
    waits for it and returns its value, or raises its error here (a BuildError as it was, anything else as a
    BuildError naming ``where``). The process is not a daemon: it may share its own work out with map_shares."""

    def __init__(self, function: Callable[..., Any], *args: Any, where: str | Path) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe(duplex=False)
        self._where = where
        self._process = context.Process(target=_run, args=(child, function, args))
        gc.freeze()  # what both inherit is never collected in the child: its pages stay shared, not copied
        try:
            self._process.start()
        finally:
            gc.unfreeze()
        child.close()

    def stop(self) -> None:
        """Stop the process and every process it started (its workers), and wait for it: a build that failed
        here does not wait for the other interface's, nor leaves it writing. (They stay in the build's process
        group, so that ``edition serve`` stops a whole build by its group.)"""
        self._process.terminate()  # _stopped, in the process: its workers first
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()

    def result(self) -> Any:
        try:
            kind, value = self._conn.recv()
        except EOFError:  # killed, or it could not send its result
            kind, value = "error", BuildError(self._where, None, "stopped without a result")
        finally:
            self._conn.close()
            self._process.join()
        if kind == "error":
            raise value
        return value


def _stopped(signum, frame) -> None:
    for worker in multiprocessing.active_children():
        worker.kill()
    os._exit(1)


def _run(conn, function: Callable[..., Any], args: tuple) -> None:
    signal.signal(signal.SIGTERM, _stopped)
    try:
        conn.send(("ok", function(*args)))
    except BuildError as error:
        conn.send(("error", error))
    except Exception as error:  # noqa: BLE001  (given to the parent, which stops the build with it)
        conn.send(("error", BuildError(getattr(error, "filename", None) or "build", None,
                                       f"{type(error).__name__}: {error}")))
    finally:
        conn.close()
