"""Citation markers → links to bibliography entries (with an accessible tooltip), and the index of which
paragraph cites which work (for the bibliography's back-links)."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..model import escape, features, ui
from ..model.corpus import Chapter, Text
from . import bibliography, citations

FOOTNOTE_REF = re.compile(r"\[\^(\d+)\](?!:)")


@dataclass(frozen=True)
class Citing:
    text_id: str
    page: str  # generated page path, e.g. <text-id>/03-chuong-2.md
    anchor: str
    chapter_title: str
    label: str
    # whether the title and the label are the text's own words (in its language) or the interface's
    title_printed: bool = True
    label_printed: bool = False


def style_for(text: Text) -> str:
    return "apa" if text.meta["language"] == "en" else "vn-thesis"


def tooltip(key: str, style: str) -> str:
    e = bibliography.entry(key)
    if e.identified == "no":
        return ui.text("cite.not-identified")
    return html.unescape(re.sub(r"<[^>]+>", "", bibliography.format_reference(key, style)))


def _attr(value: str) -> str:
    """A value inside the quotes of a generated attribute list: character references only."""
    return escape.link_title(value)


class CitationLinker:
    """Callable used by the renderer on each paragraph; remembers every citing passage."""

    def __init__(self) -> None:
        self.index: dict[str, list[Citing]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.conventions: dict[str, citations.Convention] = {}  # per build: one linker per build

    def convention(self, text: Text) -> citations.Convention:
        if text.id not in self.conventions:
            self.conventions[text.id] = citations.for_text(text)
            self.conventions[text.id].check(text)
        return self.conventions[text.id]

    def cite_from_tables(self, texts: list[Text], load: Callable[[Path], list] | None = None) -> list:
        """Appendix tables cite their archival sources in the source note under the table. ``load`` reads a
        folder's tables (the build's loads them once for the chapters and the table pages too)."""
        from .tables import load_tables

        owner = features.tables_owner({t.id: features.of_text(t) for t in texts})
        if owner is None:
            return []
        section = owner.appendix_tables["section"]
        for table in (load or load_tables)(paths.DATA / owner.appendix_tables["folder"]):
            key = table.meta["source"]["bib_key"]
            if key:
                self.index[key].append(Citing(owner.text_id, f"{section}/{table.id}.md", f"{table.id}-nguon",
                                              ui.text("tables.appendix", n=table.number),
                                              ui.text("bibliography.cited-in.table-source"), title_printed=False))
        return []

    def _source_note(self, conv, text: Text, chapter: Chapter, page: str, pid: str, md: str) -> str | None:
        """A source note under an appendix ("(Nguồn: Báo Nhân Dân, …)") cites the works of its label."""
        notes = conv.config.get("source_notes")
        if not notes or not re.search(notes["chapters"], chapter.id) or not md.startswith(notes["opens"]):
            return None
        for key in conv.keys(notes["labels"].get(chapter.id)):
            self.index[key].append(Citing(text.id, page, pid, chapter.title, ui.text("bibliography.cited-in.text-source")))
            md = f"{md} ([{ui.text('bibliography.link')}](../thu-muc/index.md#{key}))"
        return md

    def _listed(self, conv, text: Text, chapter: Chapter, page: str, pid: str, md: str) -> bool:
        """A numbered reference list's item is where the listed work is cited."""
        ref_list = conv.config.get("reference_list")
        listed = re.match(ref_list["item"], md) if ref_list and pid.startswith(ref_list["section"] + "-") else None
        if not listed:
            return False
        for key in conv.keys(listed.group(1)):
            self.index[key].append(Citing(text.id, page, pid, chapter.title, ref_list["label"].format(n=listed.group(1)),
                                          label_printed=True))
        return True

    def __call__(self, text: Text, chapter: Chapter, pid: str, md: str, line: int | None = None) -> str:
        page = f"{text.id}/{chapter.stem}.md"
        conv = self.convention(text)
        noted = self._source_note(conv, text, chapter, page, pid, md)
        if noted is not None:
            return noted
        if self._listed(conv, text, chapter, page, pid, md):
            return md
        if isinstance(conv, citations.Notes):
            for m in FOOTNOTE_REF.finditer(md):
                for key in conv.note_keys(int(m.group(1))):
                    self.index[key].append(Citing(text.id, page, pid, chapter.title,
                                                  ui.text("bibliography.cited-in.note", n=m.group(1))))
                self.counts[text.id] += 1
            return md
        markers = conv.find_markers(md, path=chapter.path, line=line)
        style = style_for(text)
        for marker in reversed(markers):
            links = []
            for cite in marker.cites:
                self.index[cite.key].append(Citing(text.id, page, pid, chapter.title, marker.raw, label_printed=True))
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
