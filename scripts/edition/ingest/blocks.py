"""Witness lines → blocks (headings, paragraphs, list items, raw layout, footnotes) + the change log.

Only whitespace is re-flowed silently; every other intervention appends an entry to ``log``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import BuildError
from ..model.markup import PAGE_CLOSE, PAGE_OPEN, call_number, note_call
from ..model.slug import slugify
from .pages import PageStart, page_starts
from .rules import Chapter, Rules, SubheadClass

# A paragraph ends where a line ends a sentence and the next line opens one.
SENTENCE_END = re.compile(r"[.!?…:]['\"”’)\]]*$")
OPENS = re.compile(r"^['\"“‘(\[*+\-–•\d]|^[^\W\d_]", re.UNICODE)
HYPHEN_SPLIT = re.compile(r"\w-$")
INITIAL = re.compile(r"(?:^|[\s.])[A-ZĐ]\.$")
ITEM_AFTER = re.compile(r"[.!?…:;]['\"”’)\]]*$")
FINAL_PUNCT = re.compile(r"[.!?…,;]['\"”’)\]]*$")


@dataclass
class Block:
    kind: str  # heading | para | item | raw | footnote | pb (a page milestone between blocks)
    lines: list[int]
    text: str = ""
    level: int = 0
    id: str = ""
    attrs: list[str] = field(default_factory=list)
    raw_lines: list[str] = field(default_factory=list)
    note: int | None = None
    editorial: str | None = None  # supplied text shown as an editorial addition
    shared_with: int | None = None  # a note the witness prints jointly with this note number
    run_in: bool = False  # a paragraph whose lead phrase is the heading; made a paragraph once it is whole
    head: int = 0  # a paragraph opened by a run-in head: the head's length at the start of ``text``
    section: str = ""  # ... and the head's id: the paragraphs from this one on are numbered within it


def _opens(text: str) -> bool:
    first = text[:1]
    return bool(OPENS.match(text)) and (not first.isalpha() or first.isupper())


def _run_in(block: Block) -> Block:
    """``(ii) Về kinh tế, một số …``: a run-in head is printed as the lead phrase of its paragraph, and so it
    stays: one paragraph, the head (up to its first comma or stop) marked by ``head``, the heading's class
    on the paragraph and its id the section the paragraphs from here on are numbered in. A head with no
    words after it stays a heading."""
    if not block.run_in:
        return block
    m = re.search(r"[,.:](?=\s)|[,.:]$", block.text)
    if not m or not block.text[m.end():].strip():
        return block
    return Block("para", block.lines, block.text, attrs=list(block.attrs), head=m.end(), section=block.id)


def _mark(page: PageStart) -> str:
    """The in-text sentinel of a page milestone; ingest.write turns it into the corpus markup."""
    return f"{PAGE_OPEN}{page.label}{PAGE_CLOSE}"


class BlockBuilder:
    """Turns one chapter's witness lines into blocks, recording interventions in ``log``."""

    def __init__(self, rules: Rules, witness: list[str], log: list[dict], source=None):
        self.rules = rules
        self.witness = witness
        self.log = log
        self.source = source or rules.path  # the witness file, named with the line of what cannot be placed
        self.removed = self._removals()
        numbers = {n: self._page_number(n) for n, kind in self.removed.items() if kind == "page-number"}
        self.pages = self._on_text_lines(page_starts(witness, rules.pages or {}, numbers, rules.path, self.source))
        self.placed: set[int] = set()  # pages whose milestone is written; the rest is an error (unplaced)
        self.notes_seen: set[int] = set()
        for page in self.pages.values():
            entry: dict[str, Any] = {"line": page.line, "kind": "page-break", "text": page.label,
                     "note": f"printed page {page.label} begins here; evidence: {page.evidence}"}
            if page.note:
                entry["note"] += f" ({page.note})"
            self.log.append(entry)

    # -- noise ---------------------------------------------------------------------------------
    def _removals(self) -> dict[int, str]:
        rules, removed = self.rules, {}
        not_numbers = {n for region in (rules.pages or {}).get("numbered", []) for n in region.get("not_numbers", [])}
        for n, line in enumerate(self.witness, start=1):
            text = line.strip()
            if not text:
                continue
            # table cells in raw layout are numbers too; only prose pages have stray page numbers
            if rules.page_number and rules.page_number.match(line) and not rules.in_raw(n) and n not in not_numbers \
                    and (not rules.page_number_after_space_lines or self._after_blank_run(n)):
                removed[n] = "page-number"
            elif text in rules.running_heads and n not in rules.keep_lines:
                removed[n] = "running-head"
        for item in rules.removals:
            removed[item["line"]] = item["kind"]
        for flag in rules.flags:  # noted, not changed: the text stays as printed
            self.log.append({"line": flag["line"], "kind": flag["kind"],
                             "text": self.witness[flag["line"] - 1].strip()[:80], "note": flag["note"]})
        for n in sorted(removed):
            entry = {"line": n, "kind": removed[n], "text": self.witness[n - 1].strip()}
            note = next((r.get("note") for r in rules.removals if r["line"] == n), None)
            if note:
                entry["note"] = note
            self.log.append(entry)
        return removed

    def _page_number(self, n: int) -> int:
        """The number a page-number line prints: the pattern's group 1, or its first run of digits."""
        m = self.rules.page_number.match(self.witness[n - 1])
        digits = m.group(1) if m.re.groups else re.search(r"\d+", m.group(0))
        if digits is None:
            raise BuildError(self.source, n, f"page_number matches {m.group(0)!r}, which holds no number")
        return int(digits if isinstance(digits, str) else digits.group(0))

    def _on_text_lines(self, pages: list[PageStart]) -> dict[int, PageStart]:
        """Each page's milestone goes before the first word of the page that stays in the text: a page that
        begins with a blank line, a running head or its own number begins, in the edition, with the line after."""
        out: dict[int, PageStart] = {}
        for page in pages:
            line = next((k for k in range(page.line, len(self.witness) + 1)
                         if self.witness[k - 1].strip() and k not in self.removed), None)
            if line is None:
                raise BuildError(self.source, page.line, f"printed page {page.label} begins here, but no text line "
                                                         f"follows to hold its milestone")
            if line in out:
                raise BuildError(self.source, line, f"printed pages {out[line].label} and {page.label} would both begin "
                                                    f"at this line: check pages in {self.rules.path.name}")
            out[line] = replace(page, line=line)
        return out

    def _place(self, page: PageStart) -> PageStart:
        self.placed.add(page.line)
        return page

    def unplaced(self) -> None:
        """Every page found must have its milestone in the text; one the blocks could not hold is an error."""
        for line in sorted(set(self.pages) - self.placed):
            raise BuildError(self.source, line, f"printed page {self.pages[line].label} begins here, but no "
                                                f"chapter holds this line, so its milestone cannot be placed")

    def _after_blank_run(self, n: int) -> bool:
        """A stray page number follows the run of space-only lines the extraction left at a page foot."""
        k = n - 2
        while k >= 0 and self.witness[k] == "":
            k -= 1
        return k >= 0 and self.witness[k] != "" and self.witness[k].strip() == ""

    # -- blocks --------------------------------------------------------------------------------
    def build(self, chapter: Chapter, start: int, end: int) -> list[Block]:
        rules = self.rules
        blocks: list[Block] = []
        stack: list[tuple[int, str, int]] = [(1, chapter.id, 0)]  # (level, id, sub-head rank; 0: numbered)
        ids: set[str] = {chapter.id}
        heading_left = chapter.heading_lines
        prev_line_text = ""
        title_page: PageStart | None = None  # a page that begins with the chapter's title
        for n in range(start, end + 1):
            line = self.witness[n - 1]
            text = line.strip()
            if not text or n in self.removed:
                continue
            page = self.pages.get(n)
            if page and not heading_left:  # a page beginning with the title is placed after it (below)
                self._place(page)
            if rules.in_raw(n):
                if page:
                    blocks.append(Block("pb", [n], page.label))
                if blocks and blocks[-1].kind == "raw" and blocks[-1].lines[-1] in self._raw_run(n):
                    blocks[-1].lines.append(n)
                    blocks[-1].raw_lines.append(text)
                else:
                    blocks.append(Block("raw", [n], raw_lines=[text]))
                prev_line_text = ""
                continue
            if heading_left:
                if blocks and blocks[-1].kind == "heading" and blocks[-1].level == 1:
                    sep = "<br>" if len(blocks[-1].lines) == 1 else " "
                    blocks[-1].text += sep + text
                    blocks[-1].lines.append(n)
                else:
                    blocks.append(Block("heading", [n], text, 1, chapter.id))
                if page:  # its milestone follows the title, so the title stays the page's first element
                    title_page = page
                heading_left -= 1
                prev_line_text = ""
                continue
            if title_page:
                blocks.append(Block("pb", [title_page.line], self._place(title_page).label))
                title_page = None
            if n in rules.heading_continuations:
                self._append(blocks[-1], n, text, page)
                prev_line_text = text
                continue
            if self._note_runs_on(blocks, n, text, page):
                prev_line_text = ""
                continue
            note = self._footnote(n, text)
            if note:
                if page:
                    blocks.append(Block("pb", [n], page.label))
                blocks.extend(note)
                prev_line_text = ""
                continue
            rule = None if n in rules.not_headings else next(
                (r for r in (chapter.headings or rules.headings) if r.pattern.match(text)), None
            )
            subhead = None if rule else self._subhead(n, text, prev_line_text, end)
            if rule or subhead:
                if page:
                    blocks.append(Block("pb", [n], page.label))
                blocks.extend(self._heading(rule, n, text, stack, ids) if rule else
                              self._subheading(subhead, n, text, stack, ids))
                prev_line_text = text if rule and rule.run_in else ""
                continue
            is_item = bool(rules.list_item and rules.list_item.match(text)) and (
                not blocks or blocks[-1].kind not in ("para", "item") or bool(ITEM_AFTER.search(prev_line_text))
                or n in rules.breaks  # the editor's break before a marker: the next item of the list
            )
            if self._continues(blocks, n, prev_line_text, line, text, is_item, chapter):
                self._append(blocks[-1], n, text, page)
            else:
                if page and is_item:
                    marker = rules.list_item.match(text).group(0)
                    text = marker + _mark(page) + text[len(marker):]
                elif page:
                    text = _mark(page) + text
                blocks.append(Block("item" if is_item else "para", [n], text))
            prev_line_text = line.strip()
        blocks = [_run_in(block) for block in blocks]
        for block in blocks:
            lang = rules.lang_at(block.lines[0])
            if lang and lang != rules.lang:
                block.attrs.append(f'lang="{lang}"')
            if block.lines[0] in rules.attrs:
                block.attrs.append(rules.attrs[block.lines[0]])
        return blocks

    def _raw_run(self, n: int) -> range:
        for a, b in self.rules.raw:
            if a <= n <= b:
                return range(a, b + 1)
        return range(0)

    def _continues(self, blocks, n, prev_text, line, text, is_item, chapter) -> bool:
        """Does witness line ``n`` continue the paragraph before it? The evidence, strongest first: the
        editor's ``breaks``/``joins``; an indented line after a blank one (a paragraph's first line, where
        the extraction kept the indent); a name's initial; the sentence end (or colon) and the capital; at
        a full line, the layout (``_measure``), and without it a colon continues, a full stop ends."""
        rules = self.rules
        if not blocks or not (blocks[-1].kind in ("para", "item") or blocks[-1].run_in) or n in rules.breaks:
            return False
        if n in rules.joins:
            return True
        if is_item:  # "- Liên Xô" after "Việt Nam" is a hyphenated name, not a list item
            return not ITEM_AFTER.search(prev_text)
        if line.startswith(" ") and (chapter.leading_space_starts_paragraph or
                                     rules.indent_starts_paragraph and not self.witness[n - 2].strip()):
            return False
        if INITIAL.search(prev_text):  # "Tổng thống Nga V." / "Putin": a name's initial, not a sentence end
            return True
        if any(c.match(text) for c in rules.continues):
            return True
        if rules.blank_line_paragraphs and self.witness[n - 2].strip():
            return True  # a line printed right under another; a blank line may also be a column break
        if not (SENTENCE_END.search(prev_text) and _opens(text)):
            return True
        if rules.short_line and len(prev_text) >= rules.short_line:
            measured = self._measure(n)
            if measured is not None:
                return measured
            return prev_text.endswith(":")  # a full line's colon leads on; its sentence goes on
        return False

    def _measure(self, n: int) -> bool | None:
        """A full line ends a sentence and the next line opens one: did the measure or the author break it?
        The witness keeps two traces of the layout: two trailing spaces after a paragraph's last line, and
        the length of the next line, which is short by its lost indent when it opens a paragraph
        (``first_line_max``) and fills the measure when it continues one (``full_line_min``). A next line
        that ends its own paragraph, or a length in between, is no evidence (``None``)."""
        m = self.rules.measure
        if not m:
            return None
        prev = next(k for k in range(n - 1, 0, -1) if self.witness[k - 1].strip())
        raw_prev = self.witness[prev - 1]
        if len(raw_prev) - len(raw_prev.rstrip(" ")) >= 2:
            return False
        line = self.witness[n - 1].strip()
        if SENTENCE_END.search(line) and len(line) <= m["first_line_max"]:
            return None
        if len(line) <= m["first_line_max"]:
            return False
        return True if len(line) >= m["full_line_min"] else None

    def _append(self, block: Block, n: int, text: str, page: PageStart | None = None) -> None:
        """Re-flow a line into its block; a word or date split at a hyphen is re-joined (and logged).
        A page that begins on this line gets its milestone before the line's first word (after it when
        the word was split across the page break)."""
        joined = HYPHEN_SPLIT.search(block.text) and text[:1].isalnum()
        if page:
            first, _, rest = text.partition(" ")
            text = f"{first} {_mark(page)}{rest}" if joined else _mark(page) + text
        if block.kind == "heading" and block.level == 1 and len(block.lines) == 1 and block.text.startswith("Chương"):
            block.text += "<br>" + text
        elif joined:
            self.log.append({
                "line": block.lines[-1], "kind": "join", "text": block.text.split()[-1],
                "next_line": n, "next_text": self.witness[n - 1].split()[0],
            })
            block.text += text
        else:
            block.text += " " + text
        block.lines.append(n)

    def _next_text(self, n: int, end: int) -> str:
        for k in range(n + 1, end + 1):
            if self.witness[k - 1].strip() and k not in self.removed:
                return self.witness[k - 1].strip()
        return ""

    def _subhead(self, n: int, text: str, prev_text: str, end: int) -> SubheadClass | None:
        """An unnumbered sub-head: a short line of a sub-head class, without final punctuation, after a
        finished sentence or another head, and followed by a line that opens a sentence."""
        rules = self.rules
        if not rules.subheads or n in rules.not_headings:
            return None
        cls = next((c for c in rules.subheads if c.pattern.match(text)), None)
        if cls and n in rules.subhead_lines:
            return cls
        if not cls or len(text) > cls.max_length or FINAL_PUNCT.search(text) or text.endswith(":") and not cls.colon:
            return None
        if prev_text and not SENTENCE_END.search(prev_text) and not prev_text.endswith(";"):
            return None
        following = self._next_text(n, end)
        return cls if following and _opens(following) else None

    def _subheading(self, cls: SubheadClass, n, text, stack, ids) -> list[Block]:
        while stack and stack[-1][2] >= cls.rank:
            stack.pop()
        level = min(stack[-1][0] + 1, 6)
        section = next(hid for _, hid, rank in reversed(stack) if rank == 0)
        slug = "-".join(slugify(text).split("-")[:8])  # ids stay short enough to cite
        return [self._new_heading(n, text, level, f"{section}-{slug}", cls.rank, stack, ids, f"subhead-{cls.name}")]

    def _heading(self, rule, n, text, stack, ids) -> list[Block]:
        while stack and stack[-1][0] >= rule.level:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        m = rule.pattern.match(text)
        hid = rule.id.format(
            *([None] + list(m.groups())), parent=parent, slug=slugify(text),
            slug1=slugify(m.group(1)) if m.groups() else "",
        ).strip("-")
        block = self._new_heading(n, text, rule.level, hid, 0, stack, ids, rule.css_class)
        block.run_in = rule.run_in
        return [block]

    @staticmethod
    def _new_heading(n, text, level, hid, rank, stack, ids, css_class) -> Block:
        base, k = hid, 2
        while hid in ids:
            hid, k = f"{base}-{k}", k + 1
        ids.add(hid)
        stack.append((level, hid, rank))
        block = Block("heading", [n], text, level, hid)
        if css_class:
            block.attrs.append(f".{css_class}")
        return block

    # -- footnotes -----------------------------------------------------------------------------
    def _note_label(self, n: int, text: str) -> re.Match | None:
        """The label(s) opening a note line of the notes section: ``⁽³⁾ ``, ``(3) ``, ``⁽⁶⁾ và ⁽⁷⁾ ``."""
        fn = self.rules.footnotes
        if not fn or n < fn["notes_start"]:
            return None
        joiner = re.escape(fn["words"]["joiner"])  # the label language's "and" (data/citations/labels.yml)
        return re.match(rf"((?:{fn['marker']})(?:\s+{joiner}\s+(?:{fn['marker']}))*)\s+", text)

    def _note_runs_on(self, blocks: list[Block], n: int, text: str, page: PageStart | None) -> bool:
        """A line of the notes section that opens no note and is no heading continues the note before it
        (a note printed over several lines)."""
        fn = self.rules.footnotes
        if not fn or n < fn["notes_start"] or self._note_label(n, text):
            return False
        if any(r.pattern.match(text) for r in self.rules.headings):
            return False
        note = next((b for b in reversed(blocks) if b.kind == "footnote" and not b.editorial), None)
        if note is None:  # else the notes would silently become paragraphs
            raise BuildError(self.source, n, f"this line of the notes (footnotes.notes_start: {fn['notes_start']}) "
                                             f"opens no note: its label does not match the note-call pattern, "
                                             f"citations.marker of text.yml")
        if blocks[-1].kind not in ("footnote", "pb"):
            return False
        if page:
            raise BuildError(self.source, n, f"printed page {page.label} begins inside note {note.note} (from line "
                                             f"{note.lines[0]}): a note holds no page milestone")
        self._append(note, n, text)
        return True

    def _footnote(self, n: int, text: str) -> list[Block] | None:
        fn = self.rules.footnotes
        labels = self._note_label(n, text)
        if not labels:
            return None
        # calls without a number (``*``) are numbered in the order the notes are printed
        numbers = [call_number(m, len(self.notes_seen) + 1 + k)
                   for k, m in enumerate(re.finditer(fn["marker"], labels.group(1)))]
        self.notes_seen.update(numbers)
        body = text[labels.end():]
        entry = {"line": n, "kind": "footnote-label", "text": labels.group(1)}
        if len(numbers) > 1:
            entry["note"] = (
                f"one note printed for markers {', '.join(map(str, numbers))}; "
                f"the Markdown footnotes {', '.join(map(str, numbers[1:]))} refer to note {numbers[0]}"
            )
        self.log.append(entry)
        blocks = [Block("footnote", [n], body, note=numbers[0])]
        for other in numbers[1:]:
            supplied = fn["words"]["shared_note"].format(first=note_call(fn["call"], numbers[0]),
                                                         other=note_call(fn["call"], other), n=numbers[0])
            self.log.append({"line": n, "kind": "editorial-insertion", "text": supplied,
                             "note": "shared footnote: reference kept, pointing to the printed note"})
            blocks.append(Block("footnote", [n], "", note=other, editorial=supplied, shared_with=numbers[0]))
        return blocks
