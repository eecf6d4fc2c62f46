"""The timeline: load the curated events (data/timeline/events.yml) and prove every one from its sources.

Each source of an event names a text, the witness line where its quote starts and (once the corpus
exists) the paragraph anchor; the quote must occur verbatim there.  A source may state its own date;
when two sources' dates cannot both be true the event carries a disagreement, which the page shows
source by source instead of picking one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Day
from pathlib import Path

from edition.errors import BuildError
from edition.model.witness import check_quote_in_witness, normalize_space
from edition.model.yamlio import load_yaml, schema, strip_lines
from edition.paths import DATA, SOURCES

EVENTS_FILE = DATA / "timeline" / "events.yml"

# ISO 8601 calendar dates at year, month or day precision; a range is two of them joined by "/".
_POINT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Date:
    """An ISO 8601 date or range as written in the data (``1978-11-03``, ``1987-05``, ``1985-06-26/1985-07-01``)."""

    iso: str

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.iso.split("/"))

    @property
    def start(self) -> Day:
        return _bounds(self.parts[0])[0]

    @property
    def end(self) -> Day:
        return _bounds(self.parts[-1])[1]

    def contains(self, other: Date) -> bool:
        return self.start <= other.start and other.end <= self.end

    def compatible(self, other: Date) -> bool:
        """Two statements of a date agree when one is a coarser or equal statement of the other."""
        return self.contains(other) or other.contains(self)

    @property
    def years(self) -> set[str]:
        return {p[:4] for p in self.parts}


def _bounds(point: str) -> tuple[Day, Day]:
    y, m, d = _POINT.match(point).groups()
    if d:
        day = Day(int(y), int(m), int(d))
        return day, day
    if m:
        first = Day(int(y), int(m), 1)
        nxt = Day(int(y) + (m == "12"), int(m) % 12 + 1, 1)
        return first, Day.fromordinal(nxt.toordinal() - 1)
    return Day(int(y), 1, 1), Day(int(y), 12, 31)


def parse_date(value: object, path: Path, line: int) -> Date:
    text = str(value).strip()
    parts = text.split("/")
    if not 1 <= len(parts) <= 2 or not all(_POINT.match(p) for p in parts):
        raise BuildError(path, line, f"date {text!r} is not ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD or start/end)")
    try:
        spans = [_bounds(p) for p in parts]
    except ValueError as exc:
        raise BuildError(path, line, f"date {text!r}: {exc}") from None
    if len(parts) == 2 and spans[0][0] > spans[1][1]:
        raise BuildError(path, line, f"date range {text!r} ends before it starts")
    return Date(text)


@dataclass(frozen=True)
class Source:
    text: str
    line: int  # 1-based witness line where the quote starts
    quote: str
    date: Date  # the date as this source states it (the event's date unless the source says otherwise)
    anchor: str | None  # "<text-id>/<chapter-stem>#<paragraph-id>" once resolved
    data_line: int  # line of this source in events.yml, for error messages

    @property
    def page(self) -> str | None:
        return self.anchor.split("#", 1)[0] if self.anchor else None

    @property
    def fragment(self) -> str | None:
        return self.anchor.split("#", 1)[1] if self.anchor else None


@dataclass(frozen=True)
class Event:
    id: str
    date: Date
    title: str
    category: str
    sources: tuple[Source, ...]
    period: str
    title_en: str | None = None
    note: str | dict | None = None  # the editor's: Vietnamese, or {vi: …, en: …} per interface language
    data_line: int = 0
    texts: tuple[str, ...] = ()

    @property
    def disagreement(self) -> bool:
        """True when two sources state dates that cannot both hold."""
        dates = [s.date for s in self.sources]
        return any(not a.compatible(b) for i, a in enumerate(dates) for b in dates[i + 1:])

    @property
    def conflicting_dates(self) -> list[Date]:
        """The rival dates of a disagreement, each once, in source order: every source date that some other
        source contradicts, minus finer statements of a date already listed (18-05-1987 within tháng 5-1987)."""
        dates = list(dict.fromkeys(s.date for s in self.sources))
        rivals = [d for d in dates if any(not d.compatible(o) for o in dates)]
        return [d for d in rivals if not any(o != d and o.contains(d) for o in rivals)]


@dataclass(frozen=True)
class Timeline:
    events: list[Event]
    categories: dict[str, str]  # id -> Vietnamese label
    periods: list[dict]  # id, title, start, end (Date)
    texts: dict[str, str]  # text id -> witness file name


def _load_source(raw: dict, ev: dict, event_date: Date, texts: dict[str, str], path: Path) -> Source:
    """A source, shape-checked by the schema; here what it cannot check: its text, quote, date and anchor."""
    what = f"source of event {ev['id']!r}"
    line_no, text, witness_line, quote = raw["__line__"], raw["text"], raw["line"], raw["quote"]
    if text not in texts:
        raise BuildError(path, line_no, f"{what}: unknown text {text!r}")
    if quote != normalize_space(quote):
        raise BuildError(path, line_no, f"{what}: quote must have single spaces and no line breaks")
    if not check_quote_in_witness(texts[text], witness_line, quote):
        raise BuildError(path, line_no, f"{what}: quote {quote!r} does not start on line {witness_line} of {texts[text]}")
    src_date = parse_date(raw["date"], path, line_no) if "date" in raw else event_date
    missing = sorted(y for y in src_date.years if y not in quote)
    if missing:
        raise BuildError(path, line_no, f"{what}: the year {missing[0]} of its date is not in the quote")
    anchor = raw.get("anchor")
    if anchor is not None and not anchor.startswith(f"{text}/"):
        raise BuildError(path, line_no, f"{what}: anchor {anchor!r} is not '{text}/<chapter>#<paragraph-id>'")
    return Source(text, witness_line, quote, src_date, anchor, line_no)


def _period_of(date: Date, periods: list[dict]) -> str | None:
    for p in periods:
        if p["start"].start <= date.start <= p["end"].end:
            return p["id"]
    return None


def _load_header(doc: dict, path: Path) -> tuple[dict[str, str], list[dict], dict[str, str]]:
    """Texts, periods and categories (their shapes and ids checked by the schema): witnesses exist, periods
    do not overlap."""
    texts = {k: v for k, v in doc["texts"].items() if k != "__line__"}
    for text_id, witness in texts.items():
        if not (SOURCES / witness).is_file():
            raise BuildError(path, doc["texts"]["__line__"], f"text {text_id!r}: no witness {witness!r} in {SOURCES}")
    categories = {k: v for k, v in doc["categories"].items() if k != "__line__"}
    periods = [{"id": p["id"], "title": p["title"], "start": parse_date(p["start"], path, p["__line__"]),
                "end": parse_date(p["end"], path, p["__line__"]), "line": p["__line__"]} for p in doc["periods"]]
    for a, b in zip(periods, periods[1:]):
        if b["start"].start <= a["end"].end:
            raise BuildError(path, b["line"], f"period {b['id']!r} overlaps {a['id']!r}")
    return texts, periods, categories


def load_timeline(paragraphs: dict[tuple[str, str], str] | None = None, path: Path = EVENTS_FILE) -> Timeline:
    """Read and validate the events file.

    ``paragraphs`` maps ``(page, paragraph-id)`` to the paragraph's text (page = ``<text-id>/<chapter-stem>``);
    when given, every source must have an anchor that exists and whose paragraph contains the quote.
    """
    doc = load_yaml(path, schema("timeline.schema.json"))  # the shape of every key (the schema's job)
    texts, periods, categories = _load_header(doc, path)
    events: list[Event] = []
    seen: dict[str, int] = {}
    for ev in doc["events"]:
        eid = ev["id"]
        if eid in seen:
            raise BuildError(path, ev["__line__"], f"event id {eid!r} already used on line {seen[eid]}")
        seen[eid] = ev["__line__"]
        what = f"event {eid!r}"
        date = parse_date(ev["date"], path, ev["__line__"])
        category = ev["category"]
        if category not in categories:
            raise BuildError(path, ev["__line__"], f"{what}: unknown category {category!r}")
        sources = tuple(_load_source(s, ev, date, texts, path) for s in ev["sources"])
        period = _period_of(date, periods)
        if period is None:
            raise BuildError(path, ev["__line__"], f"{what}: date {date.iso} is in no period")
        event = Event(
            id=eid, date=date, title=ev["title"], category=category,
            sources=sources, period=period, title_en=ev.get("title_en"), note=strip_lines(ev.get("note")),
            data_line=ev["__line__"], texts=tuple(dict.fromkeys(s.text for s in sources)),
        )
        if event.disagreement and not event.note:
            raise BuildError(path, ev["__line__"], f"{what}: its sources give different dates; add a 'note' saying so")
        if not any(s.date.compatible(date) for s in sources):
            raise BuildError(path, ev["__line__"], f"{what}: date {date.iso} is stated by none of its sources")
        events.append(event)
    if paragraphs is not None:
        check_anchors(events, paragraphs, path)
    events.sort(key=lambda e: (e.date.start, e.date.end, e.data_line))
    return Timeline(events, categories, periods, texts)


def check_anchors(events: list[Event], paragraphs: dict[tuple[str, str], str], path: Path = EVENTS_FILE) -> None:
    """Every source points at an existing paragraph that contains its quote verbatim."""
    for ev in events:
        for s in ev.sources:
            if s.anchor is None:
                raise BuildError(path, s.data_line, f"source of event {ev.id!r} has no anchor (run edition.tools.resolve_anchors)")
            key = (s.page, s.fragment)
            if key not in paragraphs:
                raise BuildError(path, s.data_line, f"source of event {ev.id!r}: anchor {s.anchor!r} does not exist"
                                 " (re-run: python -m edition.tools.resolve_anchors)")
            if s.quote not in normalize_space(paragraphs[key]):
                raise BuildError(path, s.data_line, f"source of event {ev.id!r}: quote {s.quote!r} is not in paragraph"
                                 f" {s.anchor!r} (re-run: python -m edition.tools.resolve_anchors)")


def load_events(paragraphs: dict[tuple[str, str], str] | None = None) -> list[Event]:
    """The validated events in chronological order (see ``load_timeline``)."""
    return load_timeline(paragraphs).events


def sources_by_anchor(events: list[Event] | None = None) -> dict[tuple[str, str], list[Event]]:
    """For back-links: ``(page, paragraph-id)`` of every resolved source -> the events it is a source of."""
    index: dict[tuple[str, str], list[Event]] = {}
    for ev in load_events() if events is None else events:
        for s in ev.sources:
            if s.anchor:
                bucket = index.setdefault((s.page, s.fragment), [])
                if ev not in bucket:
                    bucket.append(ev)
    return index
