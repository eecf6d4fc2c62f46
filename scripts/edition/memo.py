"""Persistent memos: values kept in ``build/cache/memo/`` under the SHA-256 of every input they are computed
from, so a build whose inputs did not change reads them instead of computing them again.

A memo's key is the digest of the code that computes its values (the files' bytes, read once per process)
and the versions of the libraries that code calls, plus each entry's own inputs (the caller's ``parts``).
Values are JSON: a computed value is returned as it is read back, so a warm build sees what a cold one saw.
Each memo is one JSON file, read at its first use in a build; ``save_all()`` (at the end of a render) writes
each memo with only the entries that build used, atomically, so the cache stays one site's worth. An
unreadable or damaged file (``read_checked``) counts as empty (its values are computed again)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from . import paths

_memos: list[Memo] = []


def digest(*parts: bytes | str) -> str:
    """SHA-256 of the parts, each prefixed by its length (no two lists of parts hash the same bytes)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def read_checked(path: Path) -> bytes | None:
    """A cache file's bytes as ``write_checked`` stored them, or None when it is missing or damaged (each
    file starts with the SHA-256 of the rest)."""
    try:
        checksum, _, data = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    return data if checksum == hashlib.sha256(data).hexdigest().encode("ascii") else None


def write_checked(path: Path, data: bytes) -> None:
    """Write a cache file atomically (another build may be reading it), preceded by its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)
    os.replace(tmp, path)


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
        return paths.BUILD / "cache" / "memo" / f"{self.name}.json"

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
            try:
                stored = json.loads(read_checked(self.path) or b"{}")
            except ValueError:
                stored = {}
            self._stored = stored if isinstance(stored, dict) else {}
        return self._stored

    def save(self) -> None:
        """Keep the entries this build used, drop the others; the next build starts from the file."""
        if self._used != self._read():
            write_checked(self.path, json.dumps(self._used, ensure_ascii=False).encode("utf-8"))  # keys in order
        self._stored, self._used = None, {}


def save_all() -> None:
    for memo in _memos:
        memo.save()
