"""Persistent memos: values kept in ``build/cache/memo/`` under the SHA-256 of every input they are computed
from, so a build whose inputs did not change reads them instead of computing them again.

A memo's key is the digest of the code that computes its values (the files' bytes, read once per process)
and the versions of the libraries that code calls, plus each entry's own inputs (the caller's ``parts``).
Values are JSON: a computed value is returned as it is read back, so a warm build sees what a cold one saw.
Each memo is one JSON file, read at its first use in a build; ``save_all()`` (at the end of a render) writes
each memo with only the entries that build used (a forked process's too: ``used``, ``merge``), atomically, so
the cache stays one site's worth. An unreadable or damaged file counts as empty (its values are computed
again). The files are entries of the cache store (``edition.cache``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .cache import Store, digest

_memos: list[Memo] = []


class Memo:
    def __init__(self, name: str, code: list[Path], libraries: list[str]) -> None:
        """``code``: the source files of what computes the values; ``libraries``: the distributions it calls."""
        self.name = name
        self._code, self._libraries = code, libraries
        self._salt: str | None = None
        self._stored: dict[str, Any] | None = None  # the file's entries, once read in this build
        self._used: dict[str, Any] = {}  # the entries this build asked for
        _memos.append(self)

    @property
    def path(self) -> Path:
        return Store.named("memo").folder / f"{self.name}.json"

    def get(self, parts: Sequence[bytes | str], compute: Callable[[], Any],
            valid: Callable[[Any], bool] = lambda value: True) -> Any:
        """The value stored under ``parts`` (and the code), or ``compute()``'s, stored unless it is None.
        A stored value that is not ``valid`` (a file edited by hand) is computed again."""
        key = digest(self._code_digest(), *parts)
        if key in self._used:
            return self._used[key]
        value = self._read().get(key)
        if value is None or not valid(value):
            value = compute()
            if value is None:
                return None
            value = json.loads(json.dumps(value, ensure_ascii=False))  # as a warm build will read it
        self._used[key] = value
        return value

    def _code_digest(self) -> str:
        if self._salt is None:
            self._salt = digest(*(p.read_bytes() for p in self._code), *(version(d) for d in self._libraries))
        return self._salt

    def _read(self) -> dict[str, Any]:
        if self._stored is None:
            stored = Store.named("memo").read_json(f"{self.name}.json")
            self._stored = stored if isinstance(stored, dict) else {}
        return self._stored

    def save(self) -> None:
        """Keep the entries this build used, drop the others; the next build starts from the file."""
        if self._used != self._read():
            Store.named("memo").write_json(f"{self.name}.json", self._used)  # keys in order
        self._stored, self._used = None, {}


def save_all() -> None:
    for memo in _memos:
        memo.save()


def used() -> dict[str, dict[str, Any]]:
    """The entries this build used, by memo (what a forked process sends back to the build's own)."""
    return {memo.name: memo._used for memo in _memos}


def merge(entries: dict[str, dict[str, Any]]) -> None:
    """Count another process's ``used()`` entries as used here, to be saved with this build's."""
    for memo in _memos:
        memo._used.update(entries.get(memo.name, {}))
