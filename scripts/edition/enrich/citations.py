"""Citation markers in re-flowed paragraphs, by the convention each text declares in its text.yml
(``citations.convention``): one class per convention behind one interface, chosen by configuration.

- ``numbered``: "[n]", "[n, tr. x]" (locator words as parameters), an optional printed reference list;
- ``author-year``: "(Author, 2011a)", "Author (2022b)", printed variants of names in a data file;
- ``notes``: numbered note calls ⁽n⁾ (the renderer makes them Markdown footnotes), note data in a file;
- ``none``: the text cites nothing (a numbered bracket in it is an error).

Which work a label stands for comes from bibliography.bib (x-cited-by); data files are in data/citations/.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from edition import paths
from edition.enrich import bibliography
from edition.errors import BuildError
from edition.model import features
from edition.model.markup import call_number
from edition.model.witness import load_manifest
from edition.model.yamlio import line_of_path, load_yaml, strip_lines

BRACKET = re.compile(r"\[([^\[\]]*)\]")
# A bracket is a citation when it opens with a number; editorial brackets ([...], [sic], [Nhan đề]) do not.
PAREN_YEAR = re.compile(r"\(([^()]+?),\s*(\d{4}[a-z]?)\)")


class Cite(NamedTuple):
    key: str
    locator: str | None


@dataclass
class Marker:
    start: int
    end: int
    raw: str
    cites: list[Cite] = field(default_factory=list)


_index: tuple[object, dict] = (None, {})


def labels() -> dict[tuple[str, str], list[str]]:
    """(text id, label) -> bibliography keys, from x-cited-by; rebuilt whenever the bibliography is re-read."""
    global _index
    entries = bibliography.entries()
    if _index[0] is not entries:
        index: dict[tuple[str, str], list[str]] = {}
        for e in entries.values():
            for pair in e.cited_by:
                index.setdefault(pair, []).append(e.key)
        _index = (entries, index)
    return _index[1]


def _data_file(name: str) -> dict:
    """A citation data file (data/citations/<name>), read when the convention is made (once per build)."""
    return strip_lines(load_yaml(paths.DATA / "citations" / name))


class Convention:
    """How one text cites. ``find_markers`` returns the markers of a paragraph; note conventions answer
    ``note_keys``. ``path``/``line`` only locate a BuildError."""

    name = ""
    cites = True  # False: the text cites nothing (no bibliography page of its own)

    def __init__(self, text_id: str, config: dict, where=None) -> None:
        self.text_id, self.config, self.where = text_id, config, where

    def _fail(self, path, line, message: str):
        raise BuildError(path or self.where or f"corpus/{self.text_id}", line, message)

    def key(self, label: str, path=None, line=None) -> str:
        keys = labels().get((self.text_id, label))
        if not keys:
            self._fail(path, line, f"citation {label!r} of {self.text_id} is not in bibliography.bib")
        return keys[0]

    def keys(self, label: str | None) -> list[str]:
        """Every work cited under a label ([] when none)."""
        return labels().get((self.text_id, label), []) if label else []

    def find_markers(self, paragraph: str, path=None, line: int | None = None) -> list[Marker]:
        raise NotImplementedError

    def note_keys(self, note_number: int) -> list[str]:
        return []

    def witness_markers(self, body: str, path) -> tuple[int, list]:
        """(markers found, unresolved labels) in the whole witness, for the citation report."""
        return len(self.find_markers(body, path=path)), []

    def check(self, text) -> None:
        """Checks of the convention's data against the loaded text (the notes convention has its own)."""

    def _no_numbers(self, paragraph: str, path, line) -> list[Marker]:
        for m in BRACKET.finditer(paragraph):
            if m.group(1).strip()[:1].isdigit():
                self._fail(path, line, f"{self.text_id} has no numbered references: {m.group()!r}")
        return []


class Numbered(Convention):
    name = "numbered"

    def __init__(self, text_id: str, config: dict, where=None) -> None:
        super().__init__(text_id, config, where)
        words = "|".join(map(re.escape, sorted(config["locators"], key=len, reverse=True)))
        self.locator = re.compile(rf"(?:{words})\s*\d[\d\s,\-–]*")

    def find_markers(self, paragraph: str, path=None, line: int | None = None) -> list[Marker]:
        markers = []
        for m in BRACKET.finditer(paragraph):
            body = m.group(1).strip()
            if not body[:1].isdigit():
                continue
            cites: list[Cite] = []
            for item in body.split(";"):
                num, _, loc = (s.strip() for s in item.partition(","))
                loc = re.sub(r"\s+", " ", loc) or None
                if cites and not num[:1].isdigit() and self.locator.fullmatch(item.strip()):
                    cites[-1] = Cite(cites[-1].key, re.sub(r"\s+", " ", item.strip()))  # "[5; p. 54]"
                    continue
                if not num.isdigit() or (loc and not self.locator.fullmatch(loc)):
                    self._fail(path, line, f"unparseable citation {m.group()!r}")
                cites.append(Cite(self.key(num, path, line), loc))
            markers.append(Marker(m.start(), m.end(), m.group(), cites))
        return markers


class AuthorYear(Convention):
    name = "author-year"

    def __init__(self, text_id: str, config: dict, where=None) -> None:
        super().__init__(text_id, config, where)
        data = _data_file(config["variants"])
        self.aliases = data.get("aliases") or {}
        authors = sorted({label.rsplit(",", 1)[0] for (t, label) in labels() if t == text_id}, key=len, reverse=True)
        roles = "|".join(map(re.escape, data.get("roles") or [])) or "(?!)"
        self.narrative = re.compile(
            rf"({'|'.join(map(re.escape, authors)) or '(?!)'}) \((?:(?:{roles}), )?(\d{{4}}[a-z]?)\)")

    def find_markers(self, paragraph: str, path=None, line: int | None = None) -> list[Marker]:
        markers, taken = [], []
        for m in self.narrative.finditer(paragraph):
            key = self.key(f"{m.group(1)}, {m.group(2)}", path, line)
            markers.append(Marker(m.start(), m.end(), m.group(), [Cite(key, None)]))
            taken.append(range(m.start(), m.end()))
        for m in PAREN_YEAR.finditer(paragraph):
            if any(m.start() in r for r in taken):
                continue
            author = re.sub(r"\s+", " ", m.group(1).strip())
            author = self.aliases.get(author, author)
            key = self.key(f"{author}, {m.group(2)}", path, line)
            markers.append(Marker(m.start(), m.end(), m.group(), [Cite(key, None)]))
        return sorted(markers, key=lambda mk: mk.start)


class Notes(Convention):
    """Note calls are not returned as markers: the renderer makes them Markdown footnotes (note_keys).
    ``marker``, the pattern of a call and of a note's label, is read here and by the ingest from text.yml."""

    name = "notes"

    def __init__(self, text_id: str, config: dict, where=None) -> None:
        super().__init__(text_id, config, where)
        self.data = _data_file(config["notes"])
        try:
            self.marker = re.compile(config["marker"])
        except re.error as exc:
            self._fail(where, self._marker_line(), f"citations.marker: bad pattern: {exc}")

    def _marker_line(self) -> int | None:
        """The line of ``citations.marker`` in text.yml (for an error)."""
        if not isinstance(self.where, Path) or not self.where.is_file():
            return None
        return line_of_path(load_yaml(self.where), ["citations", "marker"])

    def find_markers(self, paragraph: str, path=None, line: int | None = None) -> list[Marker]:
        return self._no_numbers(paragraph, path, line)

    def missing(self) -> list[int]:
        """Note calls whose note text is absent from the witness."""
        return sorted(self.data.get("missing") or {})

    def note_keys(self, note_number: int) -> list[str]:
        """Bibliography keys cited by note n ([] for a note missing from the witness)."""
        if note_number in self.missing():
            return []
        keys = labels().get((self.text_id, str(note_number)))
        if not keys:
            raise BuildError(paths.BIBLIOGRAPHY, None, f"note {note_number} of {self.text_id} cites nothing in bibliography.bib")
        return keys

    def witness_markers(self, body: str, path) -> tuple[int, list]:
        numbers = [call_number(m, k) for k, m in enumerate(self.marker.finditer(body), start=1)]
        return len(numbers), [n for n in numbers if not self.note_keys(n)]

    def check(self, text) -> None:
        """Every note the notes file lists is shown (a note of a chapter) and printed on the witness line it
        names; every note a chapter shows is listed, so deleting either side is an error, not a lost note."""
        path = paths.DATA / "citations" / self.config["notes"]
        listed = load_yaml(path).get("notes") or {}
        shown = {b.note: (ch.path, b.line) for ch in text.chapters for b in ch.blocks if b.kind == "footnote"}
        lines = load_manifest()[text.id].lines()
        entries = [(k, v) for k, v in listed.items() if k != "__line__"]
        printed = {n: lines[e["line"] - 1].strip() if e["line"] <= len(lines) else "" for n, e in entries}
        if entries and not any(self.marker.match(x) for x in printed.values()):  # the pattern, not one note
            n, entry = entries[0]
            self._fail(self.where, self._marker_line(), f"citations.marker '{self.marker.pattern}' matches the "
                       f"label of none of the {len(entries)} notes listed in data/citations/{path.name} (note {n}: "
                       f"witness line {entry['line']} begins {printed[n][:12]!r})")
        for n, entry in entries:
            if n not in shown:
                raise BuildError(path, entry["__line__"], f"note {n} is listed, but no chapter of {text.id} shows it")
            numbers = [call_number(m, n) for m in self.marker.finditer(printed[n])]
            if not self.marker.match(printed[n]) or n not in numbers:
                raise BuildError(path, entry["__line__"], f"note {n}: witness line {entry['line']} does not begin "
                                                          f"with its label")
        for n, (md, line) in sorted(shown.items()):
            if n not in listed and n not in self.missing():
                raise BuildError(md, line, f"note {n} is not listed in data/citations/{path.name}")

    @property
    def first_note_line(self) -> int:
        return min(n["line"] for n in self.data["notes"].values())


class NoCitations(Convention):
    name = "none"
    cites = False

    def find_markers(self, paragraph: str, path=None, line: int | None = None) -> list[Marker]:
        return self._no_numbers(paragraph, path, line)


CONVENTIONS: dict[str, type[Convention]] = {c.name: c for c in (Numbered, AuthorYear, Notes, NoCitations)}


def convention_of(feats: features.TextFeatures) -> Convention:
    """The convention object a text's features choose."""
    return CONVENTIONS[feats.convention](feats.text_id, feats.citations, feats.path)


def for_text(text) -> Convention:
    """The convention of a loaded ``corpus.Text``."""
    return convention_of(features.of_text(text))


# --- report ------------------------------------------------------------------------------------

def witness_text(file: str, before_line: int | None = None) -> str:
    """The witness joined with single spaces as the renderer joins a paragraph's lines."""
    lines = (paths.SOURCES / file).read_text(encoding="utf-8").split("\n")
    if before_line:
        lines = lines[: before_line - 1]
    return " ".join(s.strip() for s in lines if s.strip())


def citation_report() -> dict:
    """Per text: markers found/resolved/unresolved and the entries citing it, identified or not."""
    report: dict[str, Any] = {}
    all_entries = bibliography.entries().values()
    witnesses = load_manifest()
    for text_id, feats in features.load_all().items():
        conv = convention_of(feats)
        name = witnesses[text_id].file
        body = witness_text(name, conv.first_note_line if isinstance(conv, Notes) else None)
        found, unresolved = conv.witness_markers(body, paths.SOURCES / name)
        cited = [e for e in all_entries if any(t == text_id for t, _ in e.cited_by)]
        report[text_id] = {
            "witness": name,
            "convention": conv.name,
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
