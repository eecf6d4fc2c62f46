"""The printed pages of a witness, reconstructed from the evidence the PDF extraction left.

Two kinds of evidence mark where a printed page begins:
- a surviving page number (a line holding only the number, removed from the text as ``page-number``):
  the page begins with the next text line;
- the page-break signature: the extraction double-spaces lines (text, blank, text …) except across a
  page boundary, where a text line is followed directly by a line that starts with a space.

Boundaries are numbered by counting from the surviving numbers. Between two surviving numbers the count
of boundaries must equal the difference of the numbers; where it does not, the pages in that interval
are marked uncertain ("127–128?") instead of being guessed. A region whose numbering cannot be counted
(e.g. after pages missing from the witness) gets boundaries without numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BuildError


@dataclass(frozen=True)
class PageStart:
    line: int  # witness line whose first word is the first word of the page
    number: int | None  # printed page number; None where it cannot be counted
    evidence: str  # number | signature | signature-before-first-number | region-start
    uncertain: bool = False
    note: str = ""

    @property
    def label(self) -> str:
        """The milestone's label in the corpus: ``46``, ``127?`` (uncertain) or ``?`` (not counted)."""
        if self.number is None:
            return "?"
        return f"{self.number}?" if self.uncertain else str(self.number)


def _signatures(lines: list[str], start: int, end: int) -> list[int]:
    return [n for n in range(max(start, 2), end + 1)
            if lines[n - 1].startswith(" ") and lines[n - 1].strip() and lines[n - 2].strip()]


def _next_text_line(lines: list[str], n: int, end: int) -> int | None:
    for k in range(n + 1, end + 1):
        if lines[k - 1].strip():
            return k
    return None


def numbered_pages(lines: list[str], start: int, end: int, numbers: dict[int, int], path, *,
                   foot: bool = False, signatures: bool = True) -> list[PageStart]:
    """Page starts in ``start..end``: ``numbers`` maps the witness line of each surviving page number to
    the number printed there. A number at the head of a page (``foot`` false) is followed by its page's
    first line; one at the foot ends its page, whose first line is the boundary before it, and the next
    page begins after it. The region's first text line starts a page too (its first line other than a page
    number: a witness may begin with the number at the head of its first page). ``path``: the witness, named
    with the line of any number the count cannot place."""
    first_line = _next_text_line(lines, start - 1, end)
    while first_line is not None and first_line in numbers:
        first_line = _next_text_line(lines, first_line, end)
    if first_line is None:
        return []
    found: dict[int, tuple[str, int | None]] = {}
    if signatures:
        found = {n: ("signature", None) for n in _signatures(lines, first_line, end)}
    for line, number in numbers.items():
        after = _next_text_line(lines, line, end)
        if foot and after is not None:
            found.setdefault(after, ("signature", None))  # the page after the one this number ends
        elif not foot:
            if after is None:
                raise BuildError(path, line, f"page number {number} heads no text in its pages region "
                                             f"(ending at line {end}): is it at the foot of its page (position: foot)?")
            found[after] = ("number", number)
    found.setdefault(first_line, ("region-start", None))
    bounds = sorted(found)
    if foot:  # a number at the foot anchors the boundary that began its page
        for line, number in sorted(numbers.items()):
            page = max((b for b in bounds if b < line), default=None)
            if page is None:
                raise BuildError(path, line, f"page number {number} at the foot of a page, but no text precedes it")
            if found[page][0] == "number":
                raise BuildError(path, line, f"page numbers {found[page][1]} and {number} end the same page: no page "
                                             f"boundary between them is in the witness")
            found[page] = ("number", number)
    anchors = [(i, found[b][1]) for i, b in enumerate(bounds) if found[b][0] == "number"]
    if not anchors:
        raise BuildError(path, start, f"pages: no surviving page number between witness lines {start} and {end}")
    uncertain: set[int] = set()
    for (i1, p1), (i2, p2) in zip(anchors, anchors[1:]):
        if i2 - i1 != p2 - p1:
            uncertain.update(range(i1 + 1, i2))
    pages = []
    for i, b in enumerate(bounds):
        anchor_i, anchor_p = max((a for a in anchors if a[0] <= i), default=anchors[0])
        number = anchor_p + (i - anchor_i)
        kind = found[b][0]
        if kind == "signature" and i < anchors[0][0]:
            kind = "signature-before-first-number"
        note = ""
        if i in uncertain:
            note = "the boundaries between the surviving numbers around it do not match their difference"
        if number < 1:
            raise BuildError(path, b, f"pages: counting back from page {anchor_p} reaches page {number} here")
        pages.append(PageStart(b, number, kind, i in uncertain, note))
    return pages


def unnumbered_pages(lines: list[str], start: int, end: int, starts: re.Pattern | None,
                     after: re.Pattern | None) -> list[PageStart]:
    """Pages whose numbers cannot be counted: signature boundaries at lines matching ``starts`` (each
    appendix's heading), or the line after each line matching ``after`` (a running head at a page top)."""
    out = [PageStart(n, None, "signature") for n in _signatures(lines, start, end)
           if starts and starts.match(lines[n - 1])]
    for n in range(start, end + 1):
        if after and after.match(lines[n - 1].strip()):
            first = _next_text_line(lines, n, end)
            if first is not None:
                out.append(PageStart(first, None, "running-head"))
    return out


def page_starts(lines: list[str], config: dict, numbers: dict[int, int], path, witness) -> list[PageStart]:
    """All page starts of a witness as configured by its ingest rules' ``pages`` section; ``numbers``: the
    witness line of every page number removed from the text → its number. A number outside every numbered
    region would leave the change log naming a page that has no milestone: an error at its line."""
    out: list[PageStart] = []
    for region in config.get("numbered", []) + config.get("unnumbered", []):
        if not 1 <= region["start"] <= region["end"] <= len(lines):
            raise BuildError(path, region.get("__line__"),
                             f"pages: region {region['start']}–{region['end']} is not within the witness's {len(lines)} lines")
    placed: set[int] = set()
    for region in config.get("numbered", []):
        a, b = region["start"], region["end"]
        here = {n: v for n, v in numbers.items() if a <= n <= b and n not in set(region.get("not_numbers", []))}
        placed |= set(here)
        out.extend(numbered_pages(lines, a, b, here, witness, foot=region.get("position") == "foot",
                                  signatures=region.get("signatures", True)))
    for n in sorted(set(numbers) - placed):
        raise BuildError(witness, n, f"page number {numbers[n]} is removed from the text, but no pages.numbered region "
                                     f"of {path.name} counts it, so its page would have no milestone")
    for region in config.get("unnumbered", []):
        try:
            starts, after = (re.compile(region[k]) if region.get(k) else None for k in ("starts", "after"))
        except re.error as exc:
            raise BuildError(path, region.get("__line__"), f"pages: bad pattern: {exc}") from None
        out.extend(unnumbered_pages(lines, region["start"], region["end"], starts, after))
    return sorted(out, key=lambda p: p.line)
