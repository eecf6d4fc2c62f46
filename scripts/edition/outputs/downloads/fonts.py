"""The PDF's fonts: read from fonts.yml, each face checked to have a glyph for every character printed."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ...errors import BuildError
from ...model.yamlio import load_yaml

CONFIG = Path(__file__).with_name("fonts.yml")


@dataclass(frozen=True)
class Family:
    role: str  # body | fallback
    name: str
    debian: str
    faces: dict[str, Path]


def missing_packages(config: Path = CONFIG) -> list[str]:
    """The Debian packages of the font faces this machine lacks."""
    data = load_yaml(config)
    return [spec["debian"] for spec in (data.get(role) for role in ("body", "fallback"))
            if isinstance(spec, dict) and isinstance(spec.get("faces"), dict)
            and not all(Path(v).exists() for k, v in spec["faces"].items() if k != "__line__")]


def families(config: Path = CONFIG) -> dict[str, Family]:
    data = load_yaml(config)
    out = {}
    for role in ("body", "fallback"):
        spec = data.get(role)
        if not isinstance(spec, dict) or not isinstance(spec.get("faces"), dict):
            raise BuildError(config, None, f"fonts: '{role}' needs family, debian and faces")
        faces = {k: Path(v) for k, v in spec["faces"].items() if k != "__line__"}
        for face, path in faces.items():
            if not path.exists():
                raise BuildError(config, spec.get("__line__"),
                                 f"font file {path} ({spec['family']} {face}) is missing: apt-get install {spec['debian']}")
        out[role] = Family(role, spec["family"], spec["debian"], faces)
    return out


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def check_coverage(family: Family, chars: dict[str, tuple[str, int]], fallback: Family | None = None) -> None:
    """Raise BuildError naming the first character (and where the text uses it) that neither a face nor
    the fallback family's face of the same style can draw."""
    for face, path in family.faces.items():
        cmap = _cmap(path) | (_cmap(fallback.faces[face]) if fallback else frozenset())
        for c, (where, line) in chars.items():
            if ord(c) not in cmap and unicodedata.category(c) not in ("Cc", "Cf"):
                name = unicodedata.name(c, f"U+{ord(c):04X}")
                raise BuildError(where, line or None,
                                 f"font {family.name} {face} ({path.name}) has no glyph for {c!r} "
                                 f"(U+{ord(c):04X} {name})")
