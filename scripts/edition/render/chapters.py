"""Chapter pages: corpus blocks → Material Markdown with heading and paragraph permalinks.

Paragraph ids are section-relative and deterministic: ``<nearest heading id>-p<n>``.
"""

from __future__ import annotations

import re

from ..corpus import Block, Chapter, Text
from .frontmatter import dump_page
from .metadata import chapter_citation, cite_box, jsonld, short_citation
from .safety import sanitize

PARA_LINK = '[¶](#{id}){{: .para-link aria-label="Liên kết cố định đến đoạn {label}"}}'


def paragraph_ids(chapter: Chapter) -> dict[int, str]:
    """Block index → paragraph id, for every paragraph and list item of the chapter."""
    ids, section, counts = {}, chapter.id, {}
    for i, block in enumerate(chapter.blocks):
        if block.kind == "heading":
            section = block.id
        elif block.kind in ("para", "item"):
            counts[section] = counts.get(section, 0) + 1
            ids[i] = f"{section}-p{counts[section]}"
    return ids


def _attr_line(pid: str, attrs: str) -> str:
    return "{: #" + pid + " .para" + (" " + attrs if attrs else "") + "}"


def render_block(block: Block, pid: str | None, inline=None) -> str:
    if block.kind in ("raw", "footnote"):
        return block.markdown
    if block.kind == "heading":
        return block.markdown
    body = sanitize(block.markdown)
    if inline:
        body = inline(body)
    label = pid.rsplit("-p", 1)[-1]
    return f"{body} {PARA_LINK.format(id=pid, label=label)}\n{_attr_line(pid, block.attrs)}"


def render_chapter(text: Text, chapter: Chapter, inline=None, extra_after=None, aliases=None, pdf=False) -> str:
    """``inline(markdown, pid, line) -> markdown`` enriches paragraph text (citations, cross-links);
    ``extra_after(pid) -> str | None`` adds content after a paragraph (timeline back-links)."""
    ids = paragraph_ids(chapter)
    parts = []
    if chapter.meta.get("title_supplied"):
        parts.append(f"# [{chapter.title}] {{#{chapter.id}}}")
        parts.append(cite_box(text, chapter))
    for i, block in enumerate(chapter.blocks):
        pid = ids.get(i)
        rendered = render_block(block, pid, (lambda md, p=pid, n=block.line: inline(md, p, n)) if inline else None)
        if pid and extra_after:
            extra = extra_after(pid)
            if extra:
                rendered = rendered.replace("\n{: #", f" {extra}\n{{: #", 1)
        for old in (aliases or {}).get(pid or block.id, []):
            parts.append(f'<span id="{old}" class="alias-anchor"></span>')  # an old permalink keeps working
        parts.append(rendered)
        if block.kind == "heading" and block.level == 1:
            parts.append(cite_box(text, chapter))
    meta = {
        "title": chapter.title,
        "lang": chapter.lang,
        "text_id": text.id,
        "chapter_id": chapter.id,
        "citation": chapter_citation(text, chapter, pdf),
        "short_citation": short_citation(text, chapter),
        "jsonld": jsonld(text, chapter),
    }
    return dump_page(meta, "\n\n".join(parts))


def section_titles(chapter: Chapter) -> list[tuple[int, str, str]]:
    """(level, id, plain heading text) of every heading, for tables of contents."""
    out = []
    for b in chapter.blocks:
        if b.kind == "heading":
            title = re.sub(r"\s+", " ", b.plain)
            out.append((b.level, b.id, title))
    return out
