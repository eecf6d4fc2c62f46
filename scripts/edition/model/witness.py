"""The witnesses: vendored source files whose bytes are pinned by SHA-256 in the manifest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import paths
from ..errors import BuildError
from .yamlio import load_yaml, schema


@dataclass(frozen=True)
class Witness:
    text_id: str
    file: str
    sha256: str
    path: Path

    def lines(self) -> list[str]:
        """The witness as lines, 1-based line n is ``lines()[n - 1]``."""
        return self.path.read_text(encoding="utf-8").split("\n")


def load_manifest(sources: Path = paths.SOURCES) -> dict[str, Witness]:
    manifest = sources / "manifest.yml"
    data = load_yaml(manifest, schema("manifest.schema.json"))
    witnesses: dict[str, Witness] = {}
    for item in data["witnesses"]:
        if item["text"] in witnesses:
            raise BuildError(manifest, item["__line__"], f"text '{item['text']}' is listed twice")
        path = sources / item["file"]
        if not path.exists():
            raise BuildError(manifest, item.get("__line__"), f"witness file missing: {item['file']}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != item["sha256"]:
            raise BuildError(path, None, f"witness changed: SHA-256 {digest} does not match manifest {item['sha256']}")
        witnesses[item["text"]] = Witness(item["text"], item["file"], item["sha256"], path)
    return witnesses


def normalize_space(text: str) -> str:
    """Whitespace as the corpus has it: every run (line breaks included) is one space."""
    return " ".join(text.split())


@cache  # witnesses are pinned by their SHA-256 (load_manifest): they never change in a run
def witness_lines(name: str) -> tuple[str, ...]:
    return tuple((paths.SOURCES / name).read_text(encoding="utf-8").splitlines())


def check_quote_in_witness(witness: str, line: int, quote: str) -> bool:
    """The quote starts on witness line ``line`` and may run on over following text lines."""
    lines = witness_lines(witness)
    if not 1 <= line <= len(lines) or not lines[line - 1].strip():
        return False
    first = normalize_space(lines[line - 1])
    joined, i = first, line
    while len(joined) < len(first) + len(quote) + 1 and i < len(lines):
        if lines[i].strip():
            joined += " " + normalize_space(lines[i])
        i += 1
    at = joined.find(quote)
    return 0 <= at < len(first)
