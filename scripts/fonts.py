"""Merge Fontsource's "latin" and "vietnamese" subsets of each face into one woff2 per style.

    .venv/bin/python scripts/fonts.py FONTSOURCE_DIR... (unpacked `npm pack @fontsource/<family>@VERSION`)

Fontsource ships each style as separate subsets. A Vietnamese word mixes both ("Việt" = latin V, i, t +
vietnamese ệ), so the browser downloaded two files per style and shaped every word in runs alternating
between two fonts. One file per style holds both subsets' glyphs (fontTools.merge; glyph outlines and
metrics unchanged); docs/assets/edition.css and fonts/sans.css give it the union of the two unicode-ranges.
The output names and the styles merged are in FACES; docs/assets/fonts/SOURCE.txt says what was merged.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from fontTools import merge
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "docs" / "assets" / "fonts"
SUBSETS = ("latin", "vietnamese")
FACES = {  # Fontsource family id: styles kept
    "literata": ("400-normal", "400-italic", "700-normal", "700-italic"),
    "be-vietnam-pro": ("400-normal", "700-normal"),
}


def merge_style(package: Path, family: str, style: str, tmp: Path) -> Path:
    parts = []
    for subset in SUBSETS:  # latin first: for a code point in both subsets its glyph is kept
        font = TTFont(package / "files" / f"{family}-{subset}-{style}.woff2", recalcTimestamp=False)
        font.flavor = None
        parts.append(tmp / f"{subset}.ttf")
        font.save(parts[-1])
    merged = merge.Merger().merge([str(p) for p in parts])
    source = TTFont(parts[0])["head"]  # reproducible: the source's dates (fontTools.merge sets them to now)
    merged["head"].created, merged["head"].modified = source.created, source.modified
    merged.recalcTimestamp = False
    merged.flavor = "woff2"
    out = OUT / f"{family}-latin-vietnamese-{style}.woff2"
    merged.save(out)
    return out


def main(packages: list[str]) -> None:
    if not packages:
        raise SystemExit(__doc__)
    for package in map(Path, packages):
        family = next((f for f in FACES if (package / "files" / f"{f}-latin-400-normal.woff2").exists()), None)
        if family is None:
            raise SystemExit(f"{package}: not an unpacked Fontsource package of {', '.join(FACES)}")
        with tempfile.TemporaryDirectory() as tmp:
            for style in FACES[family]:
                out = merge_style(package, family, style, Path(tmp))
                print(f"{out.relative_to(OUT.parent.parent.parent)}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
