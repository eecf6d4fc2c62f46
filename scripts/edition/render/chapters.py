"""Chapter pages: corpus blocks → Material Markdown with heading and paragraph permalinks.

Paragraph ids are section-relative and deterministic: ``<nearest heading id>-p<n>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import escape, ui
from ..model.corpus import Block, Chapter, Text, paragraph_ids
from ..model.markup import note_call
from ..model.printed_pages import PageMarker, paragraph_pages, text_pages
from ..model.source_map import SourceMap
from .frontmatter import dump_page
from .metadata import chapter_meta, cite_box
from .pages import marker_html, protect, restore
from .safety import check_attrs, footnote, heading, raw, sanitize
from .witness_pages import line_href, page_stem, span_label

# a note mark the extraction spelt "^(*)" (004's bylines): shown raised, as printed
NOTE_MARK = re.compile(r"\^\(((?:\\?\*)+)\)")
PARA_LINK = '[¶](#{id}){{: .para-link aria-label="{label}"}}'
# The witness lines of a block, on the witness page (edition.render.witness_pages).
WITNESS_LINK = '[{label}]({href}){{: .wit-link title="{title}"}}'
# A paragraph's height class (.para-h<em>, edition.css): on screens where its pilcrow and page markers run in
# its lines, a paragraph off screen is not laid out (content-visibility) and takes this height instead, which
# must be at least its height on a 320 px phone (at most 0.065 em per character shown there, measured on the
# five texts; tests/browser/test_layout.py checks every class on the longest chapters).
PARA_HEIGHTS = (6, 9, 14, 21, 32, 48, 72, 108, 162, 243)
EM_PER_CHAR, EM_LINES = 0.07, 3
# What a paragraph's Markdown holds that is not shown as characters: attribute lists, link targets, tags,
# emphasis and link brackets (an entity is counted as a few characters: an over-estimate is harmless).
_NOT_SHOWN = re.compile(r"\{:[^}]*\}|\]\([^)]*\)|<[^>]*>|[*_\[\]]")


def _attr_line(pid: str, attrs: str, pages: str = "", lines: str = "") -> str:
    data = (f' data-pages="{pages}"' if pages else "") + (f' data-lines="{lines}"' if lines else "")
    if ".ed-duplicate" in attrs.split():  # its label, shown before it by edition.css
        data += f' data-label="{escape.attr(ui.text("chapter.duplicate"))}"'
    return "{: #" + pid + " .para" + (" " + attrs if attrs else "") + data + "}"


def height_class(markdown: str) -> str:
    """`` .para-h<em>`` for a paragraph of ``markdown``, or nothing for one taller than every class."""
    need = EM_PER_CHAR * len(_NOT_SHOWN.sub("", markdown)) + EM_LINES
    return next((f" .para-h{height}" for height in PARA_HEIGHTS if height >= need), "")


def witness_link(text: Text, lines: tuple[int, int] | None) -> str:
    """`` [dòng 12–15](ban-nguon.md#dong-12)``, or nothing for a block without witness words."""
    if not lines:
        return ""
    label = span_label(*lines)
    return " " + WITNESS_LINK.format(label=label, href=line_href(text, lines[0]),
                                     title=ui.text("chapter.witness-link", lines=label))


def render_block(block: Block, pid: str | None, inline=None, path=None, markers: Sequence[PageMarker] = (),
                 pages: str = "", lines: tuple[int, int] | None = None, source: str = "",
                 marker_lines: dict[str, int] | None = None) -> str:
    """``lines``: the block's witness lines, ``source``: the link to them, ``marker_lines``: each page
    marker's witness line (all empty without a source map)."""
    if block.kind == "pb":
        return '<p class="pb-block">' + "".join(marker_html(m, (marker_lines or {}).get(m.id)) for m in markers) + "</p>"
    if block.kind == "raw":
        return raw(block, path)
    if block.kind == "footnote":
        return footnote(block) + source
    if block.kind == "heading":
        rendered = heading(block, path)
        return rendered[:-1] + f' data-lines="{lines[0]}-{lines[1]}"}}' if lines else rendered
    body, _ = protect(block.markdown)
    body = sanitize(body)
    if inline:
        body = inline(body)
    body = restore(body, list(markers), marker_lines)
    body = NOTE_MARK.sub(lambda m: '<sup class="note-mark">(' + "&#42;" * m.group(1).count("*") + ")</sup>", body)
    label = pid.rsplit("-p", 1)[-1]
    span = f"{lines[0]}-{lines[1]}" if lines else ""
    return (f"{body} {PARA_LINK.format(id=pid, label=ui.text('chapter.para-link', n=label))}{source}\n"
            f"{_attr_line(pid, check_attrs(block.attrs, path, block.line), pages, span)}")


def mark_notes(markdown: str, meta: dict) -> str:
    """At the marker itself, say what the reader would otherwise learn only from the change log: a printed
    marker without a note text, and a marker whose note the witness prints jointly with another's."""
    for n in meta.get("footnotes_missing") or []:
        printed = note_call(meta.get("note_call"), n)
        note = ui.text("chapter.note-missing", n=escape.md_text(n))
        markdown = markdown.replace(printed, f'{printed}<span class="ed-note">[{note}]</span>')
    for n, first in (meta.get("footnotes_shared") or {}).items():
        note = ui.text("chapter.note-shared", n=escape.md_text(n), first=escape.md_text(first))
        markdown = markdown.replace(f"[^{n}]", f'[^{n}]<span class="ed-note">[{note}]</span>')
    return markdown


def render_chapter(text: Text, chapter: Chapter, inline=None, extra_after=None, aliases=None, pdf=False,
                   beside_raw=None, smap: SourceMap | None = None) -> str:
    """``inline(markdown, pid, line) -> markdown`` enriches paragraph text (citations, cross-links);
    ``extra_after(pid) -> str | None`` adds content after a paragraph (timeline back-links);
    ``beside_raw(block) -> str | None`` adds a paragraph before a verbatim block (its rebuilt table); ``smap``
    (the text's source map) links each block to its witness lines and each page marker to its line."""
    ids = paragraph_ids(chapter)
    pages, spans = text_pages(text), paragraph_pages(text)
    parts = []
    if chapter.meta.get("title_supplied"):
        parts.append(f"# [{escape.md_text(chapter.title)}] {{#{chapter.id}}}")
        parts.append(cite_box(text, chapter))
    for i, block in enumerate(chapter.blocks):
        pid = ids.get(i)
        markers = pages.of_block(chapter.id, i, len(block.pages))
        lines = smap.block_lines(chapter.id, i) if smap else None
        rendered = render_block(block, pid, (lambda md, p=pid, n=block.line: inline(md, p, n)) if inline else None,
                                chapter.path, markers, spans.get((chapter.id, i), ""), lines,
                                witness_link(text, lines), smap.markers if smap else None)
        if pid:
            rendered = mark_notes(rendered, chapter.meta)
        if pid and extra_after:
            extra = extra_after(pid)
            if extra:
                rendered = rendered.replace("\n{: #", f" {extra}\n{{: #", 1)
        if pid and block.kind == "para":
            attrs = f"\n{{: #{pid} .para"
            rendered = rendered.replace(attrs, attrs + height_class(rendered), 1)
        beside = beside_raw(block) if block.kind == "raw" and beside_raw else None
        if beside:
            parts.append(beside)
        for old in (aliases or {}).get(pid or block.id, []):
            parts.append(f'<span id="{escape.attr(old)}" class="alias-anchor"></span>')  # an old permalink keeps working
        parts.append(rendered)
        if block.kind == "heading" and block.level == 1:
            parts.append(cite_box(text, chapter))
    meta = {"title": ui.marked(escape.title(chapter.title), chapter.lang), "lang": chapter.lang, "text_id": text.id,
            "chapter_id": chapter.id,
            **chapter_meta(text, chapter, pdf, page_stem(text, chapter) if smap else None)}
    return dump_page(meta, "\n\n".join(parts))


def section_titles(chapter: Chapter) -> list[tuple[int, str, str]]:
    """(level, id, plain heading text) of every heading, for tables of contents."""
    out = []
    for b in chapter.blocks:
        if b.kind == "heading":
            title = re.sub(r"\s+", " ", b.plain)
            out.append((b.level, b.id, title))
    return out
