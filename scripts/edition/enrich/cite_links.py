"""Citation markers → links to bibliography entries (with an accessible tooltip), and the index of which
paragraph cites which work (for the bibliography's back-links)."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass

from .. import escape
from ..corpus import Chapter, Text
from . import bibliography, citations

FOOTNOTE_REF = re.compile(r"\[\^(\d+)\](?!:)")
SOURCE_NOTE = re.compile(r"\(Nguồn: ")
REFERENCE_ITEM = re.compile(r"- (\d+)\) ")


@dataclass(frozen=True)
class Citing:
    text_id: str
    page: str  # generated page path, e.g. luan-an-1975-1991/03-chuong-2.md
    anchor: str
    chapter_title: str
    label: str


def style_for(text: Text) -> str:
    return "apa" if text.meta["language"] == "en" else "vn-thesis"


def tooltip(key: str, style: str) -> str:
    e = bibliography.entry(key)
    if e.identified == "no":
        return "Không xác định được trong bản nguồn (bản nguồn không có danh mục tài liệu tham khảo)."
    return html.unescape(re.sub(r"<[^>]+>", "", bibliography.format_reference(key, style)))


def _attr(value: str) -> str:
    """A value inside the quotes of a generated attribute list: character references only."""
    return escape.link_title(value)


class CitationLinker:
    """Callable used by the renderer on each paragraph; remembers every citing passage."""

    def __init__(self) -> None:
        self.index: dict[str, list[Citing]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def cite_from_tables(self) -> list:
        """Appendix tables cite their archival sources in the source note under the table."""
        from .tables import load_tables

        for table in load_tables():
            key = table.meta["source"]["bib_key"]
            if key:
                self.index[key].append(Citing("luan-an-1975-1991", f"phu-luc/{table.id}.md", f"{table.id}-nguon",
                                              f"Phụ lục {table.number}", "nguồn của bảng"))
        return []

    def __call__(self, text: Text, chapter: Chapter, pid: str, md: str, line: int | None = None) -> str:
        page = f"{text.id}/{chapter.stem}.md"
        if chapter.id.startswith("phu-luc") and SOURCE_NOTE.match(md):  # "(Nguồn: Báo Nhân Dân, …)"
            label = "Phụ lục 12" if chapter.id == "phu-luc-12" else None
            for key in citations._labels().get((text.id, label), []):
                self.index[key].append(Citing(text.id, page, pid, chapter.title, "nguồn của văn bản"))
                md = f"{md} ([thư mục](../thu-muc/index.md#{key}))"
            return md
        listed = REFERENCE_ITEM.match(md) if pid.startswith("references-") else None
        if listed:  # 003's numbered REFERENCES list: the list item is where a listed work is cited
            for key in citations._labels().get((text.id, listed.group(1)), []):
                self.index[key].append(Citing(text.id, page, pid, chapter.title, f"REFERENCES {listed.group(1)})"))
            return md
        if text.id == citations.FOOTNOTES:
            for m in FOOTNOTE_REF.finditer(md):
                for key in citations.footnote_keys(int(m.group(1))):
                    self.index[key].append(Citing(text.id, page, pid, chapter.title, f"chú thích {m.group(1)}"))
                self.counts[text.id] += 1
            return md
        markers = citations.find_markers(text.id, md, path=chapter.path, line=line)
        style = style_for(text)
        for marker in reversed(markers):
            links = []
            for cite in marker.cites:
                self.index[cite.key].append(Citing(text.id, page, pid, chapter.title, marker.raw))
                tip = tooltip(cite.key, style)
                links.append((cite.key, tip))
            self.counts[text.id] += 1
            key, tip = links[0]
            label = marker.raw.replace("[", "\\[").replace("]", "\\]")
            extra = "; ".join(t for _, t in links[1:])
            tip_all = _attr(tip + (" — " + extra if extra else ""))
            link = (f"[{label}](../thu-muc/{text.id}.md#{key})"
                    f'{{: .cite data-tip="{tip_all}" aria-label="{_attr(marker.raw)}: {tip_all}"}}')
            md = md[:marker.start] + link + md[marker.end:]
        return md
