"""The printed pages of a loaded text: every ``{pb …}`` milestone with its permalink id, and the page in
force where each chapter begins. Read by the renderer (margin markers, ``data-pages``), the citation code
and the downloads alike, so they agree on every id.

Ids: ``tr-46`` for a counted page; ``tr-127-khong-chac`` when uncertain (shown "tr. 127?"); a page whose
number cannot be counted gets ``tr-khong-so-<k>``, k counting such pages through the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import ui

if TYPE_CHECKING:  # for annotations only: the loader (edition.model.corpus) imports this module to check page ids
    from .corpus import Text


@dataclass(frozen=True)
class PageMarker:
    id: str
    label: str  # "46", "127?", "?"

    @property
    def number(self) -> int | None:
        digits = self.label.rstrip("?")
        return int(digits) if digits else None

    @property
    def uncertain(self) -> bool:
        return self.label.endswith("?") and self.number is not None

    @property
    def shown(self) -> str:
        """The marker's label in the interface language: "tr. 46", "tr. 127?"."""
        return ui.text("page.label", page=self.label)


@dataclass
class TextPages:
    markers: dict[tuple[str, int, int], PageMarker] = field(default_factory=dict)  # (chapter, block, k)
    start_page: dict[str, PageMarker | None] = field(default_factory=dict)  # in force at a chapter's start

    def of_block(self, chapter_id: str, index: int, count: int) -> list[PageMarker]:
        return [self.markers[(chapter_id, index, k)] for k in range(count)]


# By text id, what was made of the last loaded Text object (an edit loads a new one): every chapter page,
# citation and download of a text asks for its pages.
_made: dict[tuple[str, str], tuple[Text, Any]] = {}


def _once(text: Text, kind: str, make: Callable[[Text], Any]) -> Any:
    held = _made.get((text.id, kind))
    if held is None or held[0] is not text:
        held = _made[text.id, kind] = (text, make(text))
    return held[1]


def text_pages(text: Text) -> TextPages:
    """The text's page markers and the page in force at each chapter's start (made once per loaded text)."""
    return _once(text, "markers", _count)


def _count(text: Text) -> TextPages:
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


def page_range(first: PageMarker | None, last: PageMarker | None) -> str:
    """``46`` or ``46-47`` (numbers only; empty when the page is not known)."""
    a = first.number if first else None
    b = last.number if last else None
    if a is None or b is None:
        return ""
    return str(a) if a == b else f"{a}-{b}"


def paragraph_pages(text: Text) -> dict[tuple[str, int], str]:
    """(chapter id, block index) → printed pages of every paragraph and list item ("46", "46-47"; made once per
    loaded text)."""
    return _once(text, "paragraphs", _spans)


def _spans(text: Text) -> dict[tuple[str, int], str]:
    pages, out = text_pages(text), {}
    for ch in text.chapters:
        current = pages.start_page.get(ch.id)
        for i, block in enumerate(ch.blocks):
            markers = pages.of_block(ch.id, i, len(block.pages))
            first = markers[0] if markers and block.markdown.lstrip("-+ ").startswith("{pb ") else current
            current = markers[-1] if markers else current
            if block.kind in ("para", "item"):
                out[(ch.id, i)] = page_range(first, current)
    return out
