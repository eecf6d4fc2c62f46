"""The one store of content-keyed caches under ``build/cache/``: every cache (the memos, MkDocs' pages, the
search records and bundle, the downloads) keeps its entries here, named by the SHA-256 of their inputs.

A file entry starts with the SHA-256 of the rest and is written atomically (another build may be reading
it); a missing, damaged or undecodable entry reads as None and is made again. A store remembers the
entries this build read or wrote, so that ``sweep`` can drop the others: the cache stays one site's worth.
``rm -rf build/cache`` gives a cold build."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from . import paths

T = TypeVar("T")


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


class Store:
    """The entries of one cache folder (``Store.named("memo")`` is ``build/cache/memo/``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[Path] = set()

    @classmethod
    def named(cls, name: str) -> Store:
        return cls(paths.BUILD / "cache" / name)  # read when made: tests point paths.BUILD elsewhere

    def read(self, name: str) -> bytes | None:
        path = self.folder / name
        self.used.add(path)
        return read_checked(path)

    def write(self, name: str, data: bytes) -> None:
        path = self.folder / name
        self.used.add(path)
        write_checked(path, data)

    def read_json(self, name: str) -> Any:
        data = self.read(name)
        try:
            return json.loads(data) if data else None
        except ValueError:
            return None

    def write_json(self, name: str, value: Any) -> None:
        self.write(name, json.dumps(value, ensure_ascii=False).encode("utf-8"))  # keys in the value's order

    def read_pickle(self, name: str) -> Any:
        """Plain data stored by ``write_pickle`` (faster than JSON for the search's many small strings)."""
        data = self.read(name)
        try:
            return pickle.loads(data) if data else None
        except (ValueError, EOFError, pickle.UnpicklingError):
            return None

    def write_pickle(self, name: str, value: Any) -> None:
        self.write(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def sweep(self, sub: str) -> None:
        """Remove the entries of ``sub`` this build neither read nor wrote."""
        for path in (self.folder / sub).glob("*"):
            if path not in self.used:
                path.unlink(missing_ok=True)

    def make_folder(self, name: str, make: Callable[[Path], T]) -> T:
        """A folder entry (several files made together): ``make(scratch)`` fills a scratch folder, which then
        replaces every other version in its parent folder; a failed make leaves no entry."""
        ready = self.folder / name
        scratch = ready.with_name(f"{ready.name}.partial-{os.getpid()}")  # two builds at once make their own
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        try:
            result = make(scratch)
        except Exception:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        for old in ready.parent.iterdir():  # one version per parent folder (another build's scratch stays)
            if old != scratch and ".partial-" not in old.name:
                shutil.rmtree(old)
        scratch.rename(ready)
        self.used.add(ready)
        return result
