"""Writing the generated docs: a file is written only when its bytes change, so a repeated build rewrites
nothing (creating a file costs far more than comparing it, and unchanged pages keep their modification
time); ``prune`` then removes what the build no longer produced, as the cleared folder of a first build
would not have it.

Every file of ``build/docs/`` goes through ``write_text``, ``write_bytes`` or ``copy`` between ``begin`` and
``prune``: a file written otherwise would be pruned."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath

_written: set[Path] = set()  # every file this build produced
_stamp: Callable[[str], str] | None = None  # a draft build's stamp on every Markdown page


def begin(stamp: Callable[[str], str] | None = None) -> None:
    global _stamp
    _written.clear()
    _stamp = stamp


def write_bytes(path: Path, data: bytes) -> None:
    path = Path(os.path.abspath(path))
    _written.add(path)
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    if _stamp and path.suffix == ".md":
        text = _stamp(text)
    write_bytes(path, text.encode("utf-8"))


def copy(source: Path, target: Path) -> None:
    if _stamp and target.suffix == ".md":
        write_text(target, source.read_text(encoding="utf-8"))
    else:
        write_bytes(target, source.read_bytes())


def copy_tree(source: Path, target: Path, skip: Callable[[PurePosixPath], bool]) -> None:
    """Every file of ``source`` into ``target``, but those (and the folders) ``skip`` names by their path
    relative to ``source``."""
    for folder, dirs, files in os.walk(source):
        here = PurePosixPath(Path(folder).relative_to(source).as_posix())
        dirs[:] = sorted(d for d in dirs if not skip(here / d))
        for name in sorted(files):
            if not skip(here / name):
                copy(Path(folder) / name, target / here / name)


def prune(root: Path) -> None:
    """Remove every file under ``root`` this build did not write, then the folders left empty."""
    for folder, _, files in os.walk(os.path.abspath(root), topdown=False):
        for name in files:
            if Path(folder, name) not in _written:
                os.unlink(os.path.join(folder, name))
        if folder != os.path.abspath(root) and not os.listdir(folder):
            os.rmdir(folder)
