"""Printed-page milestones (``{pb 46}`` in the corpus) → permalinked margin markers, and the printed
page(s) of every paragraph (``data-pages``) for citations "tr. 46–47".

Ids: ``tr-46`` for a counted page (``tr-127-khong-chac`` when uncertain, shown "tr. 127?"); a page whose number
cannot be counted gets ``tr-khong-so-<k>``, k counting such pages through the text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..corpus import Text
from ..markup import PAGE_MARK

SENTINEL = "\ue002{}\ue003"  # a milestone's place while the paragraph is sanitised
INSIDE_BRACKETS = re.compile(r"\[([^\[\]\ue002]*?)(\ue002\d+\ue003)([^\[\]]*?)\]")


@dataclass
class PageMarker:
    id: str
    label: str  # "46", "127?", "?"

    @property
    def number(self) -> int | None:
        digits = self.label.rstrip("?")
        return int(digits) if digits else None

    def html(self) -> str:
        uncertain = self.label.endswith("?")
        shown = f"tr. {self.label}" if self.number is not None else "tr. ?"
        title = ("Đầu trang {} của bản in; số trang suy ra, chưa chắc chắn".format(self.number) if uncertain and self.number
                 else f"Đầu trang {self.number} của bản in" if self.number is not None
                 else "Đầu một trang của bản in; không xác định được số trang")
        cls = "pb pb-uncertain" if uncertain else "pb"
        page = f' data-page="{self.number}"' if self.number is not None else ""
        return (f'<a class="{cls}" id="{self.id}" href="#{self.id}"{page} title="{html.escape(title)}" '
                f'data-pagefind-ignore>{html.escape(shown)}</a>')


@dataclass
class TextPages:
    """Every milestone of a text in reading order, with the page in force at each chapter's start."""

    markers: dict[tuple[str, int, int], PageMarker] = field(default_factory=dict)  # (chapter, block, k)
    start_page: dict[str, PageMarker | None] = field(default_factory=dict)


def text_pages(text: Text) -> TextPages:
    out, unknown, current = TextPages(), 0, None
    for ch in text.chapters:
        out.start_page[ch.id] = current
        for i, block in enumerate(ch.blocks):
            for k, label in enumerate(block.pages):
                number = label.rstrip("?")
                if number:
                    pid = f"tr-{number}-khong-chac" if label.endswith("?") else f"tr-{number}"
                else:
                    unknown += 1
                    pid = f"tr-khong-so-{unknown}"
                current = out.markers[(ch.id, i, k)] = PageMarker(pid, label)
    return out


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


def restore(markdown: str, markers: list[PageMarker]) -> str:
    for k, marker in enumerate(markers):
        markdown = markdown.replace(SENTINEL.format(k), marker.html())
    return markdown


def page_range(first: PageMarker | None, last: PageMarker | None) -> str:
    """``46`` or ``46-47`` (numbers only; empty when the page is not known)."""
    a = first.number if first else None
    b = last.number if last else None
    if a is None or b is None:
        return ""
    return str(a) if a == b else f"{a}-{b}"
