"""Which witness lines each block of the edition comes from, derived from the fidelity alignment.

The fidelity gate proves that the corpus words, in order, are the witness words minus the logged removals
and with the logged joins applied (``fidelity.expected_words``). So the n-th corpus word *is* the n-th
expected word, whose witness line is known: a block's lines run from its first word's line to its last
word's. Nothing is guessed; a text that fails the gate has no map (the build stops before it is asked).

Also here: the change-log entry on each witness line, with the id it has on the change-log page
(``nk-<line>-<kind>``), and the witness line of each printed-page milestone (its ``page-break`` entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import BuildError
from .corpus import Text, paragraph_ids
from .fidelity import expected_words_with_lines
from .markup import plain_line
from .printed_pages import text_pages
from .witness import Witness


@dataclass(frozen=True)
class Entry:
    """One change-log entry, with its id on the change-log page."""
    id: str
    line: int
    kind: str
    text: str
    next_line: int | None = None
    next_text: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Target:
    """A place in the edition: a chapter page and an id on it (paragraph, heading, note, page marker)."""
    stem: str
    anchor: str
    kind: str  # para | item | heading | footnote | raw | pb


@dataclass
class SourceMap:
    text_id: str
    lines: list[str]  # the witness, line n is lines[n - 1]
    blocks: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)  # (chapter, block) → lines
    targets: dict[int, list[Target]] = field(default_factory=dict)  # line → the blocks its words are in
    entries: dict[int, list[Entry]] = field(default_factory=dict)  # line → change-log entries on it
    continued: dict[int, list[Entry]] = field(default_factory=dict)  # line → joins whose second half it starts
    markers: dict[str, int] = field(default_factory=dict)  # page-marker id → witness line of its page-break

    def block_lines(self, chapter_id: str, index: int) -> tuple[int, int] | None:
        return self.blocks.get((chapter_id, index))

    def entries_in(self, first: int, last: int) -> list[Entry]:
        return [e for n in range(first, last + 1) for e in self.entries.get(n, [])]


def entry_ids(entries: list[dict]) -> list[str]:
    """``nk-<line>-<kind>``, with ``-2``, ``-3`` … for a repeat: stable as long as the entry stays."""
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        base = f"nk-{e['line']}-{e['kind']}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def _block_words(markdown: str) -> int:
    return sum(len(plain_line(line).split()) for line in markdown.split("\n"))


def _anchor(block, pid: str | None, previous: str) -> str:
    if pid:
        return pid
    if block.kind == "heading":
        return block.id
    if block.kind == "footnote":
        return f"fn:{block.note}"
    return previous  # a verbatim block has no id: the nearest one before it


def unaligned(text: Text, witness: Witness) -> SourceMap:
    """The witness lines and their change-log entries, without blocks: for a draft whose words do not align."""
    raw_entries = text.changelog.get("entries") or []
    out = SourceMap(text.id, witness.lines())
    for e, eid in zip(raw_entries, entry_ids(raw_entries)):
        entry = Entry(eid, e["line"], e["kind"], str(e["text"]), e.get("next_line"),
                      None if e.get("next_text") is None else str(e["next_text"]), str(e.get("note") or ""))
        out.entries.setdefault(entry.line, []).append(entry)
        if entry.next_line:
            out.continued.setdefault(entry.next_line, []).append(entry)
    return out


def build(text: Text, witness: Witness) -> SourceMap:
    log_path = text.dir / "changelog.yml"
    raw_entries = text.changelog.get("entries") or []
    out = unaligned(text, witness)
    _, word_lines = expected_words_with_lines(out.lines, raw_entries, log_path)
    position = 0
    for ch in text.chapters:
        pids, previous = paragraph_ids(ch), ch.id
        for i, block in enumerate(ch.blocks):
            count = _block_words(block.markdown)
            anchor = _anchor(block, pids.get(i), previous)
            previous = anchor if block.kind in ("heading", "para", "item") else previous
            if not count:
                continue
            spans = word_lines[position:position + count]
            position += count
            if len(spans) < count:
                raise BuildError(ch.path, block.line, "source map: more corpus words than witness words (edition fidelity)")
            first, last = spans[0][0], max(end for _, end in spans)
            out.blocks[(ch.id, i)] = (first, last)
            target = Target(ch.stem, anchor, block.kind)
            for n in sorted({n for a, b in spans for n in range(a, b + 1)}):
                out.targets.setdefault(n, []).append(target)
    if position != len(word_lines):
        raise BuildError(log_path, None, f"source map: {position} corpus words against {len(word_lines)} witness "
                                         "words (edition fidelity)")
    breaks = sorted((e for es in out.entries.values() for e in es if e.kind == "page-break"), key=lambda e: e.line)
    markers = list(text_pages(text).markers.values())
    if len(breaks) != len(markers):
        raise BuildError(log_path, None, f"source map: {len(markers)} page markers against {len(breaks)} "
                                         "page-break entries")
    out.markers = {m.id: e.line for m, e in zip(markers, breaks)}
    return out


_maps: dict[int, tuple[Text, SourceMap]] = {}


def source_map(text: Text, witness: Witness) -> SourceMap:
    """The map of a loaded text, made once per loaded Text object (the stages share it)."""
    held = _maps.get(id(text))
    if held is None or held[0] is not text:
        held = _maps[id(text)] = (text, build(text, witness))
    return held[1]
