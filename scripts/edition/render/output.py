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


class Written:
    """The files one build writes under a folder: a file is written only when its bytes change, and ``prune``
    then removes the others (the site stage keeps one of these too, edition.outputs.site.site_pages)."""

    def __init__(self) -> None:
        self.paths: set[Path] = set()

    def write_bytes(self, path: Path, data: bytes) -> None:
        path = Path(os.path.abspath(path))
        self.paths.add(path)
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def prune(self, root: Path, keep: Callable[[str], bool] = lambda name: False) -> None:
        """Remove every file under ``root`` this build did not write, then the folders left empty; the entries
        of ``root`` whose names ``keep`` accepts are left alone."""
        root = Path(os.path.abspath(root))
        folders = []
        for folder, dirs, files in os.walk(root):
            if folder == str(root):
                dirs[:] = [d for d in dirs if not keep(d)]
                files = [f for f in files if not keep(f)]
            folders.append(folder)
            for name in files:
                if Path(folder, name) not in self.paths:
                    os.unlink(os.path.join(folder, name))
        for folder in reversed(folders[1:]):
            if not os.listdir(folder):
                os.rmdir(folder)


_written = Written()  # every file of build/docs/ this build produced
_stamp: Callable[[str], str] | None = None  # a draft build's stamp on every Markdown page


def begin(stamp: Callable[[str], str] | None = None) -> None:
    global _stamp
    _written.paths.clear()
    _stamp = stamp


def write_bytes(path: Path, data: bytes) -> None:
    _written.write_bytes(path, data)


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
    _written.prune(root)
