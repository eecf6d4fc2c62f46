"""Enrich stage: the hooks the renderer calls — citations inline, timeline back-links after paragraphs,
and the extra pages (bibliography, appendix tables, timeline)."""

from __future__ import annotations

from ..register import load_register
from ..render import bibliography as bib_pages
from ..render import register as register_pages
from ..render import tables as table_pages
from ..render import timeline as timeline_page
from . import bibliography, timeline
from .cite_links import CitationLinker
from .crosslinks import CrossLinker
from .register_links import RegisterLinker


def enrichers() -> dict:
    bibliography.format_all()
    linker = CitationLinker()
    crosslinker = CrossLinker()
    register = load_register()
    register_linker = RegisterLinker(register)

    def inline(text, chapter, pid, md, line=None):
        md = crosslinker(text, chapter, pid, linker(text, chapter, pid, md, line))
        return register_linker(text, chapter, pid, md)  # last: names inside citation/cross-links stay plain
    events = timeline.load_events()
    by_anchor = timeline.sources_by_anchor(events)

    def after(text, chapter, pid):
        return timeline_page.backlink_markdown(by_anchor.get((f"{text.id}/{chapter.stem}", pid), [])) or None

    def pages_timeline(docs, texts):
        from ..tools.resolve_anchors import corpus_paragraphs

        timeline.check_anchors(events, corpus_paragraphs(texts))  # every quote in its paragraph
        return timeline_page.write_page(docs, events, timeline_page.titles_from_corpus(texts))

    return {
        "inline": inline,
        "after": after,
        "linker": linker,
        "crosslinker": crosslinker,
        "pages": [
            lambda docs, texts: table_pages.write_pages(docs, texts) + linker.cite_from_tables(texts),
            pages_timeline,
            lambda docs, texts: bib_pages.write_pages(docs, texts, linker),
            lambda docs, texts: register_pages.write_pages(docs, texts, register),
        ],
    }
