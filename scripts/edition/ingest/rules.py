"""Per-text ingest rules, read from ``corpus/sources/ingest/<text-id>.yml`` (data, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import BuildError
from ..model.yamlio import load_yaml, schema


@dataclass(frozen=True)
class HeadingRule:
    pattern: re.Pattern
    level: int
    id: str  # template: {1}.. regex groups, {parent} nearest higher heading id, {slug} slug of the heading text
    run_in: bool = False  # heading is the run-in lead of a paragraph: cut after the first comma or full stop
    css_class: str | None = None


@dataclass(frozen=True)
class SubheadClass:
    """A class of unnumbered sub-heads (own line, no final punctuation, body text follows). Classes are
    ranked by their order in the rules: a sub-head nests below the nearest preceding head of a higher rank."""

    name: str
    pattern: re.Pattern
    rank: int
    colon: bool = False  # the head may end with a colon ("Về nội dung:")
    max_length: int = 70  # longer lines are prose, not heads


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    start: int
    heading_lines: int  # text lines forming the chapter's h1 (0: no printed heading)
    title_en: str | None = None
    leading_space_starts_paragraph: bool = False
    headings: list[HeadingRule] | None = None  # overrides the text's rules (Mở đầu numbers differently)


@dataclass
class Rules:
    text_id: str
    path: Path
    lang: str
    chapters: list[Chapter]
    headings: list[HeadingRule]
    list_item: re.Pattern | None
    page_number: re.Pattern | None
    page_number_after_space_lines: bool  # a page number counts only after the space-only lines of a page foot
    running_heads: list[str]
    keep_lines: set[int]
    removals: list[dict]
    heading_continuations: set[int]
    not_headings: set[int]
    breaks: set[int]
    joins: set[int]
    raw: list[tuple[int, int]]
    attrs: dict[int, str]
    lang_ranges: list[tuple[int, int, str]]
    footnotes: dict | None = None
    flags: list[dict] = field(default_factory=list)
    subheads: list[SubheadClass] = field(default_factory=list)
    subhead_lines: set[int] = field(default_factory=set)  # heads the class rules miss (e.g. over two lines)
    pages: dict | None = None
    short_line: int = 0  # a line ending in a colon continues its paragraph when at least this long (0: never)
    indent_starts_paragraph: bool = False  # an indented line after a blank line starts a paragraph
    blank_line_paragraphs: bool = False  # single-spaced: only a blank line (after a sentence end) ends a paragraph
    continues: list[re.Pattern] = field(default_factory=list)  # lines that never open a paragraph
    measure: dict | None = None  # line-length evidence at a full line's sentence end (see BlockBuilder._measure)

    def in_raw(self, line: int) -> bool:
        return any(a <= line <= b for a, b in self.raw)

    def lang_at(self, line: int) -> str | None:
        for a, b, lang in self.lang_ranges:
            if a <= line <= b:
                return lang
        return None


def _compile(path: Path, item: dict, key: str) -> re.Pattern:
    try:
        return re.compile(item[key])
    except (re.error, KeyError) as exc:
        raise BuildError(path, item.get("__line__"), f"bad pattern in '{key}': {exc}") from None


def _headings(path: Path, items: list[dict]) -> list[HeadingRule]:
    return [
        HeadingRule(_compile(path, h, "pattern"), h["level"], h["id"], h.get("run_in", False), h.get("class"))
        for h in items
    ]


def _subheads(path: Path, data: dict | None) -> list[SubheadClass]:
    return [SubheadClass(c["name"], _compile(path, c, "pattern"), rank, c.get("colon", False), c.get("max_length", 70))
            for rank, c in enumerate((data or {}).get("classes", []), start=1)]


def load_rules(text_id: str, directory: Path = paths.SOURCES / "ingest") -> Rules:
    path = directory / f"{text_id}.yml"
    data = load_yaml(path, schema("ingest-rules.schema.json"))
    chapters = [
        Chapter(
            id=c["id"],
            title=c["title"],
            start=c["start"],
            heading_lines=c.get("heading_lines", 1),
            title_en=c.get("title_en"),
            leading_space_starts_paragraph=c.get("leading_space_starts_paragraph", False),
            headings=_headings(path, c["headings"]) if "headings" in c else None,
        )
        for c in data["chapters"]
    ]
    headings = _headings(path, data.get("headings", []))
    return Rules(
        text_id=text_id,
        path=path,
        lang=data["lang"],
        chapters=chapters,
        headings=headings,
        list_item=re.compile(data["list_item"]) if data.get("list_item") else None,
        page_number=_compile(path, data, "page_number") if data.get("page_number") else None,
        page_number_after_space_lines=data.get("page_number_after_space_lines", False),
        running_heads=data.get("running_heads", []),
        keep_lines=set(data.get("keep_lines", [])),
        removals=data.get("removals", []),
        heading_continuations=set(data.get("heading_continuations", [])),
        not_headings=set(data.get("not_headings", [])),
        breaks=set(data.get("breaks", [])),
        joins=set(data.get("joins", [])),
        raw=[(r["start"], r["end"]) for r in data.get("raw", [])],
        attrs={a["line"]: a["attrs"] for a in data.get("attrs", [])},
        lang_ranges=[(r["start"], r["end"], r["lang"]) for r in data.get("lang_ranges", [])],
        footnotes=data.get("footnotes"),
        flags=data.get("flags", []),
        subheads=_subheads(path, data.get("subheads")),
        subhead_lines=set((data.get("subheads") or {}).get("lines", [])),
        pages=data.get("pages"),
        short_line=data.get("short_line", 0),
        indent_starts_paragraph=data.get("indent_starts_paragraph", False),
        measure=data.get("measure"),
        blank_line_paragraphs=data.get("blank_line_paragraphs", False),
        continues=[_compile(path, {"pattern": c}, "pattern") for c in data.get("continues", [])],
    )
