"""One text as a format-neutral document: sections, blocks and inline runs, read from the loaded corpus
and the citation enrichment. PDF, EPUB and TEI are three writers of this one model, so they cannot
disagree about a word.

Inline runs are tuples: ("text", s), ("em", s), ("strong", s) for a run-in head, ("link", url), ("br",), ("ins", s) for an editorial
insertion, ("note", n) for a note call, ("cite", s, keys) for a citation marker, ("pb", label, id,
uncertain) for a printed-page milestone.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ...enrich import citations
from ...enrich.cite_links import style_for, tooltip
from ...model import markup
from ...model.corpus import Block, Chapter, Text, paragraph_ids
from ...model.corpus import field as meta_field
from ...model.markup import AUTOLINK, ITALIC, PAGE_MARK, STRONG
from ...model.printed_pages import PageMarker, paragraph_pages, text_pages
from ...model.witness import Witness
from ...render.works import persons

INLINE = re.compile(
    r'(?P<ins><ins class="editorial">(?P<ins_body>.*?)</ins>)'
    r"|(?P<br><br>)"
    rf"|(?P<link>{AUTOLINK.pattern})"
    r"|(?P<note>\[\^(?P<n>\d+)\](?!:))"
    rf"|(?P<strong>{STRONG.pattern})"
    rf"|(?P<em>{ITALIC.pattern})"
)
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")
FOOTNOTE_DEF = re.compile(r"^\[\^(\d+)\]: ?")


def literal(s: str) -> str:
    """Corpus Markdown text (no markup left) → the characters a reader sees."""
    return ESCAPE.sub(r"\1", s).replace("&lt;", "<")


def parse_inline(md: str) -> list[tuple]:
    runs: list[tuple] = []
    pos = 0
    for m in INLINE.finditer(md):
        if m.start() > pos:
            runs.append(("text", literal(md[pos:m.start()])))
        if m.group("ins"):
            runs.append(("ins", literal(m.group("ins_body"))))
        elif m.group("br"):
            runs.append(("br",))
        elif m.group("link"):
            runs.append(("link", m.group("link")[1:-1]))
        elif m.group("note"):
            runs.append(("note", int(m.group("n"))))
        elif m.group("strong"):
            runs.append(("strong", literal(m.group("strong")[2:-2])))
        else:
            runs.append(("em", literal(m.group("em")[1:-1])))
        pos = m.end()
    if pos < len(md):
        runs.append(("text", literal(md[pos:])))
    return runs


@dataclass
class Para:
    kind: str  # para | item | raw | heading
    id: str
    runs: list[tuple]
    lang: str
    level: int = 0
    attrs: str = ""
    line: int = 0
    pages: str = ""  # printed page(s) the paragraph spans, e.g. "46-47" (when the corpus knows)


@dataclass
class Part:
    """One chapter file: its blocks in order and its notes."""
    id: str
    stem: str
    title: str
    lang: str
    title_supplied: bool
    blocks: list[Para]
    notes: dict[int, list[tuple]]
    path: str
    permalink: str
    call: str | None = None  # the chapter's note-call template: the downloads print calls as the witness does

    def note_call(self, n: int) -> str:
        return markup.note_call(self.call, n)


@dataclass
class Document:
    text: Text
    witness: Witness
    title: str
    title_supplied: bool
    lang: str
    authors: list[str]
    parts: list[Part]
    changelog: list[dict]
    bibliography: dict[str, str] = field(default_factory=dict)  # key → formatted reference (plain text)

    @property
    def id(self) -> str:
        return self.text.id


def site_url(path: str) -> str:
    base = os.environ.get("SITE_URL", "").rstrip("/")
    return f"{base}/{path}" if base else path


def append_text(parent, text: str) -> None:
    """``text`` at the end of an lxml element's content: after its last child (that child's tail), or as its
    text. The TEI and XHTML writers build mixed content this way."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _with_citations(text: Text, conv: citations.Convention, chapter: Chapter, md: str, line: int,
                    used: dict[str, str]) -> list[tuple]:
    """Inline runs of a paragraph, citation markers as ("cite", raw, keys)."""
    markers = conv.find_markers(md, path=chapter.path, line=line)
    runs, pos = [], 0
    for mk in markers:
        runs += parse_inline(md[pos:mk.start])
        keys = [c.key for c in mk.cites]
        for key in keys:
            used.setdefault(key, tooltip(key, style_for(text)))
        runs.append(("cite", literal(md[mk.start:mk.end]), keys))
        pos = mk.end
    return runs + parse_inline(md[pos:])


def _with_milestones(block: Block, markers: list[PageMarker], md_runs) -> list[tuple]:
    """Inline runs with the printed-page milestones (``{pb 46}``) where they stand in the block."""
    runs, pos = [], 0
    md = block.markdown.replace("\n", " ")
    for marker, m in zip(markers, PAGE_MARK.finditer(md)):
        runs += md_runs(md[pos:m.start()])
        runs.append(("pb", marker.shown, marker.id, marker.uncertain))
        pos = m.end() - m.group(0).endswith(" ")  # the space after the marker stays: words stay apart
    return runs + md_runs(md[pos:])


def load_document(text: Text, witness: Witness) -> Document:
    used: dict[str, str] = {}
    conv = citations.for_text(text)
    parts = []
    pages, spans = text_pages(text), paragraph_pages(text)
    for ch in text.chapters:
        ids = paragraph_ids(ch)
        blocks, notes, waiting = [], {}, []  # waiting: milestones between blocks, set before the next paragraph
        for i, b in enumerate(ch.blocks):
            markers = pages.of_block(ch.id, i, len(b.pages))
            if b.kind == "pb":
                waiting += [run for m in markers for run in (("pb", m.shown, m.id, m.uncertain), ("text", " "))]
                continue
            if b.kind == "footnote":
                notes[b.note] = parse_inline(FOOTNOTE_DEF.sub("", b.markdown).replace("\n", " "))
                for key in conv.note_keys(b.note):
                    used.setdefault(key, tooltip(key, style_for(text)))
                continue
            lang = "en" if 'lang="en"' in b.attrs else ch.lang
            if b.kind == "heading":
                blocks.append(Para("heading", b.id, parse_inline(b.heading_text), lang, b.level, b.attrs, b.line))
            elif b.kind == "raw":
                body = "\n".join(b.markdown.split("\n")[1:-1])
                blocks.append(Para("raw", "", [("text", body)], lang, line=b.line))
            else:
                def cite(s, c=ch, n=b.line):
                    return _with_citations(text, conv, c, s, n, used)
                runs = waiting + _with_milestones(b, markers, cite)
                waiting = []
                blocks.append(Para(b.kind, ids[i], runs, lang, attrs=b.attrs, line=b.line,
                                   pages=spans.get((ch.id, i), "")))
        parts.append(Part(ch.id, ch.stem, ch.title, ch.lang, bool(ch.meta.get("title_supplied")), blocks, notes,
                          str(ch.path), site_url(f"{text.id}/{ch.stem}.html"), ch.meta.get("note_call")))
    title, supplied = meta_field(text.meta, "title")
    log = text.changelog.get("entries") or []
    authors = [p.natural for p in persons(text)]
    return Document(text, witness, title, supplied, text.meta["language"], authors, parts, log, used)


def run_text(run: tuple, part: Part) -> str:
    """The characters of one run as printed (note calls as the witness prints them)."""
    kind = run[0]
    if kind in ("text", "em", "strong", "link", "ins", "cite"):
        return run[1]
    if kind == "note":
        return part.note_call(run[1])
    return " "


def characters(doc: Document, metadata: str = "") -> dict[str, tuple[str, int]]:
    """Every character the downloads print → (corpus file, line) of its first use; ``metadata`` is the
    title page's text (located at text.yml)."""
    seen: dict[str, tuple[str, int]] = {}

    def add(s: str, where: tuple[str, int]) -> None:
        for c in s:
            if not c.isspace() and c not in seen:
                seen[c] = where
    add(doc.title + " ".join(doc.authors) + doc.text.meta["rights"] + metadata, (str(doc.text.dir / "text.yml"), 1))
    for part in doc.parts:
        add(part.title, (part.path, 1))
        for b in part.blocks:
            for r in b.runs:
                add(run_text(r, part) if r[0] != "pb" else r[1], (part.path, b.line))
        for runs in part.notes.values():
            for r in runs:
                add(run_text(r, part), (part.path, 0))
    return seen
