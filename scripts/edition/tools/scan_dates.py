"""Propose timeline candidates: list date expressions in the witnesses with file, line and context.

The timeline itself is curated by hand (data/timeline/events.yml); this only points at passages worth
reading.  Usage: ``python -m edition.tools.scan_dates [witness-file …] [--year-min 1917]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from edition.paths import SOURCES

_MONTHS_EN = ("January|February|March|April|May|June|July|August|September|October|November|December")
# One alternation per kind of expression, longest forms first (`ngày 3-11-1978` before `1978`); digits may not
# run on either side, so the year range 1975-1991 is not read as month 75.
_YEAR = r"(?:1[89]|20)\d\d(?!\d)"
DATE_RE = re.compile(
    rf"(?P<dmy>(?:ngày\s+)?(?<!\d)\d{{1,2}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*{_YEAR}"
    rf"|ngày\s+\d{{1,2}}\s+tháng\s+\d{{1,2}}\s+năm\s+{_YEAR})"
    rf"|(?P<range>(?<!\d){_YEAR}\s*[-–]\s*{_YEAR})"
    rf"|(?P<my>(?:tháng\s+)?(?<!\d)\d{{1,2}}\s*[-/]\s*{_YEAR}|tháng\s+\d{{1,2}}\s+năm\s+{_YEAR})"
    rf"|(?P<en>(?:{_MONTHS_EN})\s+\d{{1,2}},\s+{_YEAR}|\d{{1,2}}\s+(?:{_MONTHS_EN})\s+{_YEAR}"
    rf"|(?:{_MONTHS_EN})\s+{_YEAR})"
    rf"|(?P<y>(?:năm|in|from|since)\s+{_YEAR})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    file: str
    line: int
    kind: str
    expression: str
    context: str


def scan_text(name: str, text: str) -> list[Candidate]:
    """Date expressions per non-blank line; a line is joined with the next text line so a date split
    across a line break (``ngày 3-11-\\n1978``) is still found, and reported at the line it starts on."""
    lines = text.splitlines()
    numbered = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if ln.strip()]
    found: list[Candidate] = []
    for k, (lineno, ln) in enumerate(numbered):
        nxt = numbered[k + 1][1] if k + 1 < len(numbered) else ""
        joined = f"{ln} {nxt}"
        for m in DATE_RE.finditer(joined):
            if m.start() >= len(ln) + 1:
                break  # starts on the next line: reported there
            ctx = joined[max(0, m.start() - 60): m.end() + 60]
            found.append(Candidate(name, lineno, m.lastgroup or "", m.group(0), ctx))
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--year-min", type=int, default=0)
    args = ap.parse_args(argv)
    files = args.files or sorted(SOURCES.glob("*.txt"))
    for path in files:
        for c in scan_text(path.name, path.read_text(encoding="utf-8")):
            year = int(re.findall(r"(?:1[89]|20)\d\d", c.expression)[-1])
            if year >= args.year_min:
                print(f"{c.file}:{c.line}\t{c.kind}\t{c.expression}\t{c.context}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
