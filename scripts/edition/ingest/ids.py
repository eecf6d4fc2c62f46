"""Paragraph ids that outlive a re-ingest.

Before the ingest overwrites a text's chapter files it reads the ids they publish and where each
paragraph begins (the index of its first word in the text: both corpora have the same word sequence,
which the fidelity check guarantees). Each new paragraph then keeps the id of the earliest published
paragraph that begins inside it (or inside the sub-head just before it, when a head was split off a
paragraph); the other published ids that begin inside it become aliases. A paragraph that begins where
no published one did (a paragraph split in two) gets the id of the paragraph it was cut from with a
letter: ``2-1-1-p3a``. A published heading id that no heading carries any more (a run-in head printed as the
lead of its paragraph) becomes an alias of the paragraph that now begins with its words. Without a previous
corpus the ids are derived (see edition.model.corpus.paragraph_ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..model.corpus import paragraph_ids, parse_chapter


@dataclass(frozen=True)
class Published:
    page: str  # chapter file stem
    start: int  # index of the paragraph's first word in the text
    id: str
    alias: bool = False  # an old id kept as an alias (a live id at the same word wins)


def published(text_dir: Path, aliases: list[dict]) -> list[Published]:
    """The paragraph ids a text publishes: those of its current chapter files, and its aliases (each keeps
    where its paragraph began, ``word``), so a paragraph merged away and cut again gets its id back."""
    out, pos = [], 0
    for md in sorted(text_dir.glob("*.md")):
        chapter = parse_chapter(md)
        pids = paragraph_ids(chapter)
        for i, block in enumerate(chapter.blocks):
            if i in pids:
                out.append(Published(md.stem, pos, pids[i]))
            pos += len(block.plain.split())
    prefix = text_dir.name + "/"
    out += [Published(a["page"][len(prefix):], a["word"], a["old"], alias=True) for a in aliases
            if a["page"].startswith(prefix) and "word" in a]
    return sorted(out, key=lambda p: (p.start, p.alias))


def published_headings(text_dir: Path) -> list[Published]:
    """The heading ids a text publishes, each with the index of its first word."""
    out, pos = [], 0
    for md in sorted(text_dir.glob("*.md")):
        for block in parse_chapter(md).blocks:
            if block.kind == "heading" and block.id:
                out.append(Published(md.stem, pos, block.id))
            pos += len(block.plain.split())
    return out


@dataclass
class NewBlock:
    page: str
    start: int
    end: int
    kind: str  # para | item | heading | other
    derived: str = ""  # the id the block would get without a previous corpus
    id: str = ""
    block: Any = None  # the ingest block that receives the id


def assign(blocks: list[NewBlock], previous: list[Published]) -> list[tuple[str, str, str, int]]:
    """Give every paragraph of ``blocks`` its id; returns the aliases (page, old id, new id, old start)."""
    if not previous:
        for b in blocks:
            b.id = b.derived
        return []
    aliases, used = [], {p.id for p in previous}
    pending = sorted(previous, key=lambda p: p.start)
    for i, b in enumerate(blocks):
        if b.kind not in ("para", "item"):
            continue
        lo = b.start
        j = i - 1  # a head split off the front of a paragraph: its old id stays with the paragraph
        while j >= 0 and blocks[j].kind in ("heading", "other") and blocks[j].page == b.page:
            lo = blocks[j].start
            j -= 1
        claimed = sorted((p for p in pending if p.page == b.page and lo <= p.start < b.end),
                         key=lambda p: (p.start, p.alias))
        if claimed:
            b.id = claimed[0].id
            aliases += [(b.page, p.id, b.id, p.start) for p in claimed[1:]]
        else:
            parent = max((p for p in previous if p.page == b.page and p.start <= b.start),
                         key=lambda p: p.start, default=None)
            base = parent.id if parent else b.derived
            b.id = base if not parent and base not in used else _lettered(base, used)
        used.add(b.id)
        pending = [p for p in pending if p not in claimed]
    return aliases


def heading_aliases(blocks: list[NewBlock], headings: list[Published]) -> list[tuple[str, str, str, int]]:
    """Published heading ids that no block carries now: each an alias of the paragraph or list item holding
    its first word (page, old id, new id, old start)."""
    live = {(b.page, b.id or (b.block.id if b.block is not None else "")) for b in blocks}
    out = []
    for h in headings:
        if (h.page, h.id) in live:
            continue
        holder = next((b for b in blocks if b.page == h.page and b.kind in ("para", "item")
                       and b.start <= h.start < b.end), None)
        if holder is None:
            raise BuildError(None, None, f"ingest: published heading {h.page}#{h.id} is gone and no paragraph "
                                         f"holds its words")
        out.append((h.page, h.id, holder.id, h.start))
    return out


def _lettered(base: str, used: set[str]) -> str:
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if base + letter not in used:
            return base + letter
    raise BuildError(None, None, f"ingest: more than 26 paragraphs cut from published paragraph {base}")
