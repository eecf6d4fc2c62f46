"""Load & validate: the corpus folders → Text/Chapter/Block objects, or one BuildError naming file and line."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from .. import paths
from ..errors import BuildError
from .markup import ATTR_LINE, FOOTNOTE_DEF, HEADING, PAGE_MARK, plain_line
from .printed_pages import text_pages
from .witness import load_manifest
from .yamlio import LineDict, check_schema, load_yaml, parse_yaml, read_text, schema

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class Block:
    kind: str  # heading | para | item | raw | footnote | pb (a printed page begins between two blocks)
    markdown: str  # the block as written in the corpus (without its attribute line)
    line: int  # line in the chapter file
    level: int = 0
    id: str = ""
    attrs: str = ""  # attribute list from the corpus, e.g. '.keywords lang="en"'
    note: int | None = None
    call: str | None = None  # the chapter's note-call template (front matter ``note_call``)

    @property
    def plain(self) -> str:
        return _plain(self.markdown, self.call)

    @property
    def pages(self) -> tuple[str, ...]:
        """Labels of the printed pages that begin in this block (``46``, ``127?``, ``?``)."""
        return _page_labels(self.markdown)

    @property
    def heading_text(self) -> str:
        m = HEADING.match(self.markdown)
        return m.group(2) if m else self.markdown


# A block's plain text and page labels are asked for by every stage (register, timeline, citations, printed
# pages …): worked out once per block text.
@cache
def _plain(markdown: str, call: str | None) -> str:
    return " ".join(plain_line(x, call) for x in markdown.split("\n")).strip()


@cache
def _page_labels(markdown: str) -> tuple[str, ...]:
    return tuple(PAGE_MARK.findall(markdown))


@dataclass
class Chapter:
    path: Path
    meta: LineDict
    blocks: list[Block]

    @property
    def id(self) -> str:
        return self.meta["chapter"]

    @property
    def text_id(self) -> str:
        return self.meta["text"]

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def lang(self) -> str:
        return self.meta["lang"]


@dataclass
class Text:
    id: str
    dir: Path
    meta: LineDict
    chapters: list[Chapter] = dataclasses.field(default_factory=list)

    @property
    def nav_title(self) -> str:
        """The editor's short label of the text in the interface language in force (``nav_title`` of text.yml:
        one label, or one per interface language), else its id."""
        from . import ui

        return ui.localised(self.meta.get("nav_title")) or self.id

    @property
    def nav_lang(self) -> str:
        """The language ``nav_title`` is in: the interface's where text.yml gives one label per interface
        language, else the reference language's (one label for all is written in it)."""
        from . import ui

        return ui.language() if isinstance(self.meta.get("nav_title"), dict) else ui.DEFAULT

    @cached_property
    def changelog(self) -> LineDict:
        """Its changelog.yml, checked against its schema when read (once per loaded text: the source map, the
        change-log page, the permalinks and the downloads read it)."""
        return load_yaml(self.dir / "changelog.yml")

    def nav_html(self, escaped) -> str:
        """``nav_title`` escaped by ``escaped`` (for the place it lands), marked with its language where the
        interface speaks another."""
        from . import ui

        return ui.marked(escaped(self.nav_title), self.nav_lang)


def field(meta: dict, key: str) -> tuple[str, bool]:
    """A text.yml field as (value, supplied): supplied fields are written {value, supplied, evidence …}.
    The value is text even where YAML reads a number (``year: {value: 2001}``)."""
    value = meta.get(key)
    supplied = isinstance(value, dict) and bool(value.get("supplied"))
    if isinstance(value, dict):
        value = value.get("value")
    return ("" if value in (None, "") else str(value), supplied)


def paragraph_ids(chapter: Chapter) -> dict[int, str]:
    """Block index → paragraph id, for every paragraph and list item of the chapter.

    The ingest writes every paragraph's id explicitly (``{: #2-1-1-p3}``), keeping published ids when
    paragraphs are re-cut (edition.ingest.ids). A paragraph without one gets the derived id: its ordinal
    within the nearest numbered or starred section (an unnumbered sub-head, class ``subhead-*``, does not
    restart the count)."""
    ids, section, counts = {}, chapter.id, dict[str, int]()
    for i, block in enumerate(chapter.blocks):
        if block.kind == "heading" and ".subhead-" not in f" {block.attrs}":
            section = block.id
        elif block.kind in ("para", "item"):
            counts[section] = counts.get(section, 0) + 1
            ids[i] = block.id or f"{section}-p{counts[section]}"
    return ids


def corpus_paragraphs(texts: list[Text] | None = None) -> dict[tuple[str, str], str]:
    """``(page, paragraph-id) -> plain paragraph text`` for the whole corpus (page = ``<text-id>/<chapter-stem>``)."""
    out: dict[tuple[str, str], str] = {}
    for text in load_corpus() if texts is None else texts:
        for ch in text.chapters:
            for i, pid in paragraph_ids(ch).items():
                out[(f"{text.id}/{ch.stem}", pid)] = ch.blocks[i].plain
    return out


def _heading_id(raw_attrs: str | None) -> tuple[str, str]:
    """'#2-1' or ': #abstract lang="en"' → (id, remaining attributes)."""
    if not raw_attrs:
        return "", ""
    parts = raw_attrs.lstrip(":").split()
    hid = next((p[1:] for p in parts if p.startswith("#")), "")
    return hid, " ".join(p for p in parts if not p.startswith("#"))


def parse_chapter(path: Path) -> Chapter:
    lines = read_text(path).split("\n")
    if not lines or lines[0].strip() != "---":
        raise BuildError(path, 1, "missing YAML front matter (the file must start with '---')")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise BuildError(path, 1, "front matter is not closed with '---'") from None
    meta: LineDict = parse_yaml("\n".join(lines[1:end]), path, first_line=2)
    if not isinstance(meta, dict):
        raise BuildError(path, 2, "front matter must be a YAML mapping")
    check_schema(path, meta, schema("chapter.schema.json"))
    if len(meta["witness_lines"]) == 2 and meta["witness_lines"][0] > meta["witness_lines"][1]:
        raise BuildError(path, meta.key_lines["witness_lines"], "witness_lines: the first line is after the last")
    blocks: list[Block] = []
    i = end + 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start = i
        if lines[i].startswith("```"):
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                i += 1
            if i >= len(lines):
                raise BuildError(path, start + 1, "raw block is not closed with ```")
            blocks.append(Block("raw", "\n".join(lines[start:i + 1]), start + 1))
            i += 1
            continue
        while i < len(lines) and lines[i].strip():
            i += 1
        chunk = lines[start:i]
        attrs = ""
        m = ATTR_LINE.match(chunk[-1].strip())
        if m and len(chunk) > 1:
            attrs, chunk = m.group(1).strip(), chunk[:-1]
        text = "\n".join(chunk)
        heading = HEADING.match(chunk[0])
        if heading:
            if len(chunk) > 1:
                raise BuildError(path, start + 2, "a heading must be a single line")
            hid, rest = _heading_id(heading.group(3))
            if not hid:
                raise BuildError(path, start + 1, f"heading without an explicit id: {chunk[0]!r} (add {{#id}})")
            blocks.append(Block("heading", text, start + 1, len(heading.group(1)), hid, rest))
        elif PAGE_MARK.fullmatch(text.strip() + " ") or PAGE_MARK.fullmatch(text.strip()):
            blocks.append(Block("pb", text.strip(), start + 1))
        elif FOOTNOTE_DEF.match(chunk[0]):
            blocks.append(Block("footnote", text, start + 1, note=int(FOOTNOTE_DEF.match(chunk[0]).group(1))))
        else:
            kind = "item" if re.match(r"[-+] ", chunk[0]) else "para"
            pid, attrs = _heading_id(attrs)
            blocks.append(Block(kind, text, start + 1, id=pid, attrs=attrs))
    for block in blocks:
        block.call = meta.get("note_call")
    return Chapter(path, meta, blocks)


def validate_chapter(ch: Chapter) -> None:
    path = ch.path
    seen: dict[str, int] = {}
    previous_level = 0 if not ch.meta.get("title_supplied") else 1
    for b in ch.blocks:
        if b.kind != "heading":
            continue
        if not ID.match(b.id):
            raise BuildError(path, b.line, f"heading id '{b.id}' must be lowercase ASCII letters, digits and '-'")
        if b.id in seen:
            raise BuildError(path, b.line, f"duplicate id '{b.id}' (first used on line {seen[b.id]})")
        seen[b.id] = b.line
        if b.level > previous_level + 1:
            raise BuildError(path, b.line, f"heading level jumps from h{previous_level} to h{b.level}")
        previous_level = b.level
    if not any(b.kind in ("para", "item", "raw") for b in ch.blocks):
        raise BuildError(path, None, "empty chapter: no paragraph")


def page_ids(text: Text) -> dict[str, dict[str, int]]:
    """Chapter stem → every id its page publishes (headings, paragraphs, printed-page markers, a supplied
    title's id) → the line of the chapter file that gives it, or one BuildError at an id used twice."""
    markers = text_pages(text).markers
    out = {}
    for ch in text.chapters:
        ids: dict[str, int] = {ch.id: 2} if ch.meta.get("title_supplied") else {}
        found = [(b.id, b.line) for b in ch.blocks if b.kind == "heading"]
        found += [(pid, ch.blocks[i].line) for i, pid in paragraph_ids(ch).items()]
        found += [(m.id, ch.blocks[i].line) for (chapter, i, _), m in markers.items() if chapter == ch.id]
        for pid, line in sorted(found, key=lambda x: x[1]):
            if pid in ids:
                raise BuildError(ch.path, line, f"id '{pid}' is used twice on this page (first on line {ids[pid]})")
            ids[pid] = line
        out[ch.stem] = ids
    return out


def check_aliases(path: Path, texts: list[Text]) -> None:
    """Old ids kept at new targets (corpus/aliases.yml): an old id is no live id of its page, the new one is
    (directly or through other aliases), and no chain of aliases leads back to where it started."""
    data = load_yaml(path, schema("aliases.schema.json"))
    live = {f"{t.id}/{stem}": ids for t in texts for stem, ids in page_ids(t).items()}
    aliases = data.get("aliases") or []
    targets = {(a["page"], a["old"]): a["new"] for a in aliases}
    for a in aliases:
        page, line = a["page"], a["__line__"]
        if page not in live:
            raise BuildError(path, line, f"page '{page}' is not a chapter of the corpus (<text>/<file stem>)")
        if a["old"] in live[page]:
            raise BuildError(path, line, f"old id '{a['old']}' is a live id of {page} (line {live[page][a['old']]}): "
                                         "an alias would publish it twice")
        chain, current = [a["old"]], a["new"]
        while current not in live[page]:
            if current in chain:
                raise BuildError(path, line, f"alias cycle on {page}: {' → '.join(chain + [current])}")
            if (page, current) not in targets:
                raise BuildError(path, line, f"new id '{a['new']}' is not an id of {page}")
            chain.append(current)
            current = targets[(page, current)]


def _starts_on(witness_lines: list[str], start: int, quote: str) -> bool:
    """The quote starts on witness line ``start`` and may run on over the next text lines."""
    quote = " ".join(quote.split())
    first = " ".join(witness_lines[start - 1].split()) if 1 <= start <= len(witness_lines) else ""
    window = " ".join([first, *(" ".join(l.split()) for l in witness_lines[start:start + 12] if l.strip())])
    return bool(first) and 0 <= window.find(quote) < len(first)


def _check_keywords(meta_path: Path, meta: dict, witness_lines: list[str]) -> None:
    """``keywords: {value, line}`` are printed words: the value starts on the line named."""
    kw = meta.get("keywords")
    if isinstance(kw, dict) and not _starts_on(witness_lines, kw["line"], kw["value"]):
        raise BuildError(meta_path, kw.get("__line__"), f"keywords: value not found at witness line {kw['line']}: {kw['value']!r}")


def _check_evidence(meta_path: Path, node, witness_lines: list[str]) -> None:
    """Every ``evidence: {quote, line}`` in text.yml must start on that witness line (it may run on over the
    next text lines): the line named is the line that holds the value, not one near it."""
    if isinstance(node, dict):
        ev = node.get("evidence")
        if isinstance(ev, dict) and not _starts_on(witness_lines, ev["line"], ev["quote"]):
            raise BuildError(meta_path, ev.get("__line__"), f"evidence quote not found at witness line {ev['line']}: {ev['quote']!r}")
        for value in node.values():
            _check_evidence(meta_path, value, witness_lines)
    elif isinstance(node, list):
        for value in node:
            _check_evidence(meta_path, value, witness_lines)


def load_text(text_dir: Path, witnesses=None) -> Text:
    meta_path = text_dir / "text.yml"
    meta = load_yaml(meta_path, schema("text.schema.json"))
    if meta["id"] != text_dir.name:
        raise BuildError(meta_path, meta["__line__"], f"id '{meta['id']}' does not match folder '{text_dir.name}'")
    witnesses = witnesses if witnesses is not None else load_manifest()
    if meta["id"] not in witnesses:
        raise BuildError(meta_path, meta["__line__"], f"no witness for text '{meta['id']}' in corpus/sources/manifest.yml")
    witness_lines = witnesses[meta["id"]].lines()
    _check_evidence(meta_path, meta, witness_lines)
    _check_keywords(meta_path, meta, witness_lines)
    text = Text(meta["id"], text_dir, meta)
    orders: dict[int, Path] = {}
    chapter_ids: dict[str, Path] = {}
    for md in sorted(text_dir.glob("*.md")):
        ch = parse_chapter(md)
        line = ch.meta.key_lines
        if ch.text_id != text.id:
            raise BuildError(md, line["text"], f"front matter 'text: {ch.text_id}' does not match folder '{text.id}'")
        if ch.id in chapter_ids:
            raise BuildError(md, line["chapter"], f"duplicate chapter id '{ch.id}' (also in {chapter_ids[ch.id].name})")
        if ch.meta["order"] in orders:
            raise BuildError(md, line["order"],
                             f"duplicate chapter order {ch.meta['order']} (also in {orders[ch.meta['order']].name})")
        chapter_ids[ch.id] = orders[ch.meta["order"]] = md
        if ch.meta["witness_lines"][-1] > len(witness_lines):
            raise BuildError(md, line["witness_lines"], f"witness_lines: line {ch.meta['witness_lines'][-1]} is past "
                                                        f"the end of the witness ({len(witness_lines)} lines)")
        validate_chapter(ch)
        text.chapters.append(ch)
    if not text.chapters:
        raise BuildError(text_dir, None, "text has no chapter files")
    text.chapters.sort(key=lambda c: c.meta["order"])
    page_ids(text)
    expected = list(range(1, len(text.chapters) + 1))
    if [c.meta["order"] for c in text.chapters] != expected:
        bad = next(c for c, n in zip(text.chapters, expected) if c.meta["order"] != n)
        raise BuildError(bad.path, bad.meta.key_lines["order"],
                         f"chapter order must run 1..{len(expected)} without gaps; found {bad.meta['order']}")
    return text


def load_corpus(root: Path = paths.CORPUS) -> list[Text]:
    """Every text of the manifest, in the manifest's order (the manifest is the list of texts)."""
    witnesses = load_manifest(root / "sources")
    dirs = [d for d in sorted(root.iterdir()) if d.is_dir() and d.name != "sources"]
    for d in dirs:
        if d.name not in witnesses:
            raise BuildError(d / "text.yml", None, f"text folder '{d.name}' has no witness in corpus/sources/manifest.yml")
    for text_id in witnesses:
        if not (root / text_id).is_dir():
            raise BuildError(root / "sources" / "manifest.yml", None, f"text '{text_id}' has no folder corpus/{text_id}/")
    texts = [load_text(root / text_id, witnesses) for text_id in witnesses]
    if (root / "aliases.yml").exists():
        check_aliases(root / "aliases.yml", texts)
    return texts
