"""Citation markers in re-flowed paragraphs: numbered brackets (000, 003), author-year (002), footnotes (004).

Which work a label stands for comes from bibliography.bib (x-cited-by); printed variants of 002's
author-year labels and 004's note data are in data/citations/<text-id>.yml.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import yaml

from edition import paths
from edition.enrich import bibliography
from edition.errors import BuildError
from edition.markup import SUPERSCRIPT

THESIS, ARTICLE_001, AUTHOR_YEAR, ARTICLE_003, FOOTNOTES = (
    "luan-an-1975-1991", "viet-xo-nga-70-nam", "khang-chien-chong-phap", "achievements-1975-1991",
    "hop-tac-quoc-phong-2012-2024")

BRACKET = re.compile(r"\[([^\[\]]*)\]")
# A bracket is a citation when it opens with a number; editorial brackets ([...], [sic], [Nhan đề]) do not.
LOCATOR = re.compile(r"(?:tr\.|tờ|pp?\.)\s*\d[\d\s,\-–]*")
PAREN_YEAR = re.compile(r"\(([^()]+?),\s*(\d{4}[a-z]?)\)")
FOOTNOTE_MARK = re.compile(r"⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾")


class Cite(NamedTuple):
    key: str
    locator: str | None


@dataclass
class Marker:
    start: int
    end: int
    raw: str
    cites: list[Cite] = field(default_factory=list)


@lru_cache(maxsize=1)
def _labels() -> dict[tuple[str, str], list[str]]:
    """(text id, label) -> bibliography keys, from x-cited-by."""
    index: dict[tuple[str, str], list[str]] = {}
    for e in bibliography.entries().values():
        for pair in e.cited_by:
            index.setdefault(pair, []).append(e.key)
    return index


@lru_cache(maxsize=None)
def _data(text_id: str) -> dict:
    """Citation data of a text (read once per build; callers only read it)."""
    return yaml.safe_load((paths.DATA / "citations" / f"{text_id}.yml").read_text(encoding="utf-8"))


def _where(text_id: str, path, line):
    return (path or f"corpus/{text_id}"), line


def find_markers(text_id: str, paragraph: str, path=None, line: int | None = None) -> list[Marker]:
    """Citation markers of one paragraph, in order. ``path``/``line`` only locate a BuildError.

    004's footnote markers are not returned (the renderer makes them Markdown footnotes: see footnote_keys).
    """
    if text_id in (THESIS, ARTICLE_003):
        return _numbered(text_id, paragraph, path, line)
    if text_id == AUTHOR_YEAR:
        return _author_year(paragraph, path, line)
    if text_id in (ARTICLE_001, FOOTNOTES):
        for m in BRACKET.finditer(paragraph):
            if m.group(1).strip()[:1].isdigit():
                raise BuildError(*_where(text_id, path, line), f"{text_id} has no numbered references: {m.group()!r}")
        return []
    raise BuildError(*_where(text_id, path, line), f"unknown text id {text_id!r}")


def _numbered(text_id: str, paragraph: str, path, line) -> list[Marker]:
    markers = []
    for m in BRACKET.finditer(paragraph):
        body = m.group(1).strip()
        if not body[:1].isdigit():
            continue
        cites: list[Cite] = []
        for item in body.split(";"):
            num, _, loc = (s.strip() for s in item.partition(","))
            loc = re.sub(r"\s+", " ", loc) or None
            if cites and not num[:1].isdigit() and LOCATOR.fullmatch(item.strip()):
                cites[-1] = Cite(cites[-1].key, re.sub(r"\s+", " ", item.strip()))  # "[5; p. 54]"
                continue
            if not num.isdigit() or (loc and not LOCATOR.fullmatch(loc)):
                raise BuildError(*_where(text_id, path, line), f"unparseable citation {m.group()!r}")
            cites.append(Cite(_key(text_id, num, path, line), loc))
        markers.append(Marker(m.start(), m.end(), m.group(), cites))
    return markers


def _key(text_id: str, label: str, path, line) -> str:
    keys = _labels().get((text_id, label))
    if not keys:
        raise BuildError(*_where(text_id, path, line), f"citation {label!r} of {text_id} is not in bibliography.bib")
    return keys[0]


def _author_year(paragraph: str, path, line) -> list[Marker]:
    data = _data(AUTHOR_YEAR)
    authors = sorted({label.rsplit(",", 1)[0] for (t, label) in _labels() if t == AUTHOR_YEAR}, key=len, reverse=True)
    roles = "|".join(map(re.escape, data["roles"]))
    narrative = re.compile(rf"({'|'.join(map(re.escape, authors))}) \((?:(?:{roles}), )?(\d{{4}}[a-z]?)\)")
    markers, taken = [], []
    for m in narrative.finditer(paragraph):
        key = _key(AUTHOR_YEAR, f"{m.group(1)}, {m.group(2)}", path, line)
        markers.append(Marker(m.start(), m.end(), m.group(), [Cite(key, None)]))
        taken.append(range(m.start(), m.end()))
    for m in PAREN_YEAR.finditer(paragraph):
        if any(m.start() in r for r in taken):
            continue
        author = re.sub(r"\s+", " ", m.group(1).strip())
        author = data["aliases"].get(author, author)
        key = _key(AUTHOR_YEAR, f"{author}, {m.group(2)}", path, line)
        markers.append(Marker(m.start(), m.end(), m.group(), [Cite(key, None)]))
    return sorted(markers, key=lambda mk: mk.start)


def footnote_keys(note_number: int) -> list[str]:
    """Bibliography keys cited by note ⁽n⁾ of 004 ([] for a note missing from the witness)."""
    if note_number in missing_footnotes():
        return []
    keys = _labels().get((FOOTNOTES, str(note_number)))
    if not keys:
        raise BuildError(paths.BIBLIOGRAPHY, None, f"note {note_number} of {FOOTNOTES} cites nothing in bibliography.bib")
    return keys


def missing_footnotes() -> list[int]:
    """004 markers whose note text is absent from the witness."""
    return sorted(_data(FOOTNOTES)["missing"])


def footnote_data() -> dict:
    """004 note metadata: {'notes': {n: {line, locator?, shared_with?}}, 'missing': {n: {marker_line}}}."""
    return _data(FOOTNOTES)


# --- report ------------------------------------------------------------------------------------

def witness_text(text_id: str, before_line: int | None = None) -> tuple[str, str]:
    """(file name, witness joined with single spaces as the renderer joins a paragraph's lines)."""
    name = bibliography.schema()["texts"][text_id]
    lines = (paths.SOURCES / name).read_text(encoding="utf-8").split("\n")
    if before_line:
        lines = lines[: before_line - 1]
    return name, " ".join(s.strip() for s in lines if s.strip())


def citation_report() -> dict:
    """Per text: markers found/resolved/unresolved and the entries citing it, identified or not."""
    report = {}
    all_entries = bibliography.entries().values()
    for text_id in bibliography.schema()["texts"]:
        name, body = witness_text(text_id)
        if text_id == FOOTNOTES:
            first_note = min(n["line"] for n in footnote_data()["notes"].values())
            body = witness_text(text_id, before_line=first_note)[1]
            numbers = [int(m.group(1).translate(SUPERSCRIPT)) for m in FOOTNOTE_MARK.finditer(body)]
            found = len(numbers)
            unresolved = [n for n in numbers if not footnote_keys(n)]
        else:
            markers = find_markers(text_id, body, path=paths.SOURCES / name)
            found = len(markers)
            unresolved = []
        cited = [e for e in all_entries if any(t == text_id for t, _ in e.cited_by)]
        report[text_id] = {
            "witness": name,
            "markers": found,
            "resolved": found - len(unresolved),
            "unresolved": unresolved,
            "entries": len(cited),
            "identified": sorted(e.key for e in cited if e.identified == "yes"),
            "partial": sorted(e.key for e in cited if e.identified == "partial"),
            "not_identified": sorted(e.key for e in cited if e.identified == "no"),
            "evidence": {e.key: e.get("x-evidence-line") for e in cited if e.identified != "no"},
        }
    report["cited_by_several_texts"] = sorted(
        e.key for e in all_entries if len({t for t, _ in e.cited_by}) > 1)
    return report


if __name__ == "__main__":
    try:
        json.dump(citation_report(), sys.stdout, ensure_ascii=False, indent=1)
    except BuildError as err:
        sys.exit(str(err))
