"""Printed-page milestones (``{pb 46}`` in the corpus; ids in edition.model.printed_pages) → permalinked margin
markers in the rendered paragraphs."""

from __future__ import annotations

import html
import re

from ..model import ui
from ..model.markup import PAGE_MARK
from ..model.printed_pages import PageMarker

SENTINEL = "\ue002{}\ue003"  # a milestone's place while the paragraph is sanitised
INSIDE_BRACKETS = re.compile(r"\[([^\[\]\ue002]*?)(\ue002\d+\ue003)([^\[\]]*?)\]")


def marker_html(marker: PageMarker, line: int | None = None) -> str:
    """A permalinked margin marker; not indexed by the search (the words are the edition's, not the text's).
    ``line``: the witness line where the page begins (the ¶ dialog shows it)."""
    if marker.uncertain:
        title = ui.text("page.start.uncertain", page=marker.number)
    elif marker.number is not None:
        title = ui.text("page.start.known", page=marker.number)
    else:
        title = ui.text("page.start.unknown")
    cls = "pb pb-uncertain" if marker.uncertain else "pb"
    page = f' data-page="{marker.number}"' if marker.number is not None else ""
    page += f' data-line="{line}"' if line else ""
    return (f'<a class="{cls}" id="{marker.id}" href="#{marker.id}"{page} title="{html.escape(title)}" '
            f'data-pagefind-ignore>{html.escape(marker.shown)}</a>')


def protect(markdown: str) -> tuple[str, int]:
    """Replace each milestone by a sentinel the sanitiser leaves alone; returns the count."""
    count = 0

    def repl(m):
        nonlocal count
        count += 1
        return SENTINEL.format(count - 1) + " "

    markdown = PAGE_MARK.sub(repl, markdown)
    # A page that begins inside a bracketed citation ("[126, | tr.102-103]") is marked just before the
    # bracket, so the citation stays one link.
    markdown = INSIDE_BRACKETS.sub(lambda m: m.group(2) + "[" + m.group(1) + m.group(3).lstrip() + "]", markdown)
    return markdown, count


def restore(markdown: str, markers: list[PageMarker], lines: dict[str, int] | None = None) -> str:
    """``lines``: page-marker id → witness line (edition.model.source_map)."""
    for k, marker in enumerate(markers):
        markdown = markdown.replace(SENTINEL.format(k), marker_html(marker, (lines or {}).get(marker.id)))
    return markdown


