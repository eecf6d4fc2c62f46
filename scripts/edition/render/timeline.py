"""Write the timeline (Niên biểu): one page per period, an index page, and the JSON/CSV exports.

Pages are plain Markdown with raw HTML (md_in_html): a semantic ordered list, each event an ``<li id>`` with
``<time datetime>``, readable and printable without JavaScript.  Links to passages are relative Markdown
links so MkDocs resolves (and checks) them.  One page per period keeps each page light (the whole timeline
on one page sat at the edge of the Lighthouse budget); the index page lists every event under its
published id, so ``thoi-gian-bieu/index.html#<event>`` links keep resolving (timeline.js forwards them to
the event on its period page).  The filter form (docs/assets/timeline.js) sits in a collapsed
``<details>``; without JavaScript a ``<noscript>`` style in the theme hides it, so no dead controls are
shown (and with it the box is there from the first paint: nothing shifts when the script runs).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from edition.enrich.timeline import Date, Event, Timeline, load_timeline
from edition.model import escape, ui
from edition.render import output
from edition.render.witness_pages import editor_mark, evidence_md

PAGE_DIR = "thoi-gian-bieu"

# The index's heading id as first published (derived from the Vietnamese heading): the same in every interface.
HEADING_ID = "nien-bieu-quan-he-viet-nam-lien-xo-lien-bang-nga"
_text = escape.md_text  # text inside the page's markdown="1" HTML blocks
_attr = escape.attr


def format_date(date: Date) -> str:
    """In the interface language (``date.*``): ``30-01-1950``, ``tháng 5-1975`` (May 1975), ``1975``; a range
    joins two with an en dash."""
    def point(p: str) -> str:
        y, *rest = p.split("-")
        if len(rest) == 2:
            return ui.text("date.day", day=rest[1], month=rest[0], year=y)
        if len(rest) == 1:
            return ui.text("date.month", month=ui.words("date.months")[int(rest[0]) - 1], year=y)
        return y
    return " – ".join(point(p) for p in date.parts)


def time_html(date: Date) -> str:
    """One ``<time>`` per end of the date; HTML's datetime has no interval syntax."""
    shown = [format_date(Date(p)) for p in date.parts]
    return " – ".join(f'<time datetime="{p}">{s}</time>' for p, s in zip(date.parts, shown))


def event_href(event: Event | str) -> str:
    """Link to an event, relative to a chapter page ``<text-id>/<chapter-stem>.md`` (for back-link markers):
    its period page, or for a bare id the index page, where every event id resolves too."""
    if isinstance(event, str):
        return f"../{PAGE_DIR}/index.md#{event}"
    return f"../{PAGE_DIR}/{event.period}.md#{event.id}"


def backlink_markdown(events: list[Event]) -> str:
    """The small marker after a source paragraph on a chapter page: one link per event it is a source of."""
    def title(ev: Event) -> str:  # an attribute cannot mark a language: the English gloss in another interface
        shown = ev.title_en if ev.title_en and ui.language() == "en" else ev.title
        return escape.link_title(ui.text("timeline.backlink-title", event=shown))
    def label(ev: Event) -> str:  # a disputed event has no single date to show
        return ui.text("timeline.title") if ev.disagreement else ui.text("timeline.backlink", date=format_date(ev.date))
    return " ".join(f'[{label(ev)}]({event_href(ev)} "{title(ev)}"){{: .tl-backlink}}' for ev in events)




def titles_from_corpus(texts) -> dict[str, str]:
    """Labels for ``write_page`` from loaded corpus texts: text id -> its navigation title; chapter page ->
    chapter title (only for texts with several chapters: a one-chapter text's chapter is the text)."""
    titles: dict[str, str] = {}
    for text in texts:
        titles[text.id] = text.nav_title
        if len(text.chapters) > 1:
            titles.update({f"{text.id}/{ch.stem}": ch.title for ch in text.chapters})
    return titles


def _source_item(ev: Event, s, titles: dict[str, str], texts: dict) -> str:
    label = texts[s.text].nav_html(_text) if s.text in texts else _text(titles.get(s.text, s.text))
    if s.page in titles:  # the chapter's title, in its text's language
        label += ", " + ui.marked(_text(titles[s.page]), texts[s.text].meta["language"] if s.text in texts else ui.language())
    where = f"[{label}](../{s.page}.md#{s.fragment})" if s.anchor else label
    quote = (evidence_md(texts[s.text], s.line, s.quote) if s.text in texts
             else f"<q>{_text(s.quote)}</q>" + ("" if s.anchor else f" ({ui.text('evidence.line', line=s.line)})"))
    stated = ""
    if s.date != ev.date or ev.disagreement:
        stated = f' <span class="tl-stated">({ui.text("timeline.stated", date=time_html(s.date))})</span>'
    return f'<li markdown="1">{where}: {quote}{stated}</li>'


def _event_item(ev: Event, tl: Timeline, titles: dict[str, str], texts: dict) -> list[str]:
    cat = ui.localised(tl.categories[ev.category])
    en = f' <span class="tl-en" lang="en">({_text(ev.title_en)})</span>' if ev.title_en else ""
    cls = "tl-event tl-disagree" if ev.disagreement else "tl-event"
    when = time_html(ev.date)
    if ev.disagreement:  # no date is chosen: the rival dates are shown side by side
        when = (ui.text("timeline.date-or").join(time_html(d) for d in ev.conflicting_dates)
                + f' <span class="tl-rival">({ui.text("timeline.sources-differ")})</span>')
    lines = [
        f'<li id="{_attr(ev.id)}" class="{cls}" data-category="{_attr(ev.category)}" '
        f'data-texts="{_attr(" ".join(ev.texts))}" markdown="1">',
        f'<p class="tl-when" markdown="1">{when} '
        f'<a class="tl-permalink" href="#{_attr(ev.id)}" title="{_attr(ui.text("timeline.permalink"))}">¶</a></p>',
        f'<p class="tl-what" markdown="1"><strong>{ui.marked(_text(ev.title), ui.DEFAULT)}</strong>{en} '
        f'<span class="tl-cat" data-category="{_attr(ev.category)}">{_text(cat)}</span></p>',
    ]
    if ev.disagreement:  # the note is the editor's reading of the sources
        lines.append(f'<p class="tl-note" markdown="1"><strong>{ui.text("timeline.disagreement")}</strong> '
                     f'{ui.editors_localised(ev.note, _text)} '
                     f"({editor_mark()})</p>")
    elif ev.note:
        lines.append(f'<p class="tl-note" markdown="1">{ui.editors_localised(ev.note, _text)} ({editor_mark()})</p>')
    lines.append('<ul class="tl-sources" markdown="1">')
    lines += [_source_item(ev, s, titles, texts) for s in ev.sources]
    lines += ["</ul>", "</li>"]
    return lines


def _text_label(tid: str, titles: dict[str, str], texts: dict) -> str:
    """A text's label as HTML: its ``nav_title`` marked with its language, or the title given."""
    return texts[tid].nav_html(escape.html_text) if tid in texts else escape.html_text(titles.get(tid, tid))


def _filters(tl: Timeline, titles: dict[str, str], events: list[Event], texts: dict) -> list[str]:
    def box(name: str, value: str, label: str) -> str:  # label: HTML
        return (f'<label><input type="checkbox" name="{name}" value="{_attr(value)}" checked> '
                f"<span>{label}</span></label>")
    used_cats = [c for c in tl.categories if any(ev.category == c for ev in events)]
    used_texts = [t for t in tl.texts if any(t in ev.texts for ev in events)]
    return [
        # collapsed by default: on a phone the filters would push the events a screen down
        '<details class="tl-filters">',
        f'<summary>{ui.text("timeline.filter.summary")} <output class="tl-count" form="tl-filters" aria-live="polite"></output></summary>',
        f'<form id="tl-filters" aria-label="{_attr(ui.text("timeline.filter.label"))}">',
        f'<fieldset><legend>{ui.text("timeline.filter.category")}</legend>',
        *[box("category", cid, escape.html_text(ui.localised(tl.categories[cid]))) for cid in used_cats],
        "</fieldset>",
        f'<fieldset><legend>{ui.text("timeline.filter.text")}</legend>',
        *[box("text", tid, _text_label(tid, titles, texts)) for tid in used_texts],
        "</fieldset>",
        f'<p><button type="reset">{ui.text("timeline.filter.reset")}</button></p>',
        "</form>",
        "</details>",
    ]


def _front(title: str, search: bool = True) -> list[str]:
    lines = ["---", f"title: {json.dumps(escape.title(title), ensure_ascii=False)}"]
    if not search:  # the index repeats the period pages' events: only those are search records
        lines += ["search:", "  exclude: true"]
    return lines + ["---", ""]


def _periods(tl: Timeline) -> list[tuple[dict, list[Event]]]:
    out = []
    for period in tl.periods:
        events = [ev for ev in tl.events if ev.period == period["id"]]
        if events:
            out.append((period, events))
    return out


def _entry(ev: Event) -> str:
    """One line of the index: the event's published id, its date and a link to it on its period page."""
    differ = ui.text("timeline.sources-differ")
    when = differ[:1].upper() + differ[1:] if ev.disagreement else time_html(ev.date)
    return (f'<li id="{_attr(ev.id)}" class="tl-event tl-entry" data-category="{_attr(ev.category)}" '
            f'data-texts="{_attr(" ".join(ev.texts))}" markdown="1"><span class="tl-entry-when">{when}</span> '
            f"[{ui.marked(_text(ev.title), ui.DEFAULT)}]({ev.period}.md#{ev.id})</li>")


def render_index(tl: Timeline, titles: dict[str, str], texts: dict) -> str:
    n_multi = sum(len(ev.texts) > 1 for ev in tl.events)
    out = [
        *_front(ui.text("timeline.title"), search=False),
        f"# {ui.text('timeline.heading')} {{#{HEADING_ID}}}", "",
        ui.text("timeline.intro", events=ui.count("count.events", len(tl.events), words=False),
                texts=ui.count("count.texts", len(tl.texts)), several=ui.count("count.events", n_multi, words=False)), "",
        ui.text("timeline.data", files="[JSON](timeline.json) · [CSV](timeline.csv)"), "",
        *_filters(tl, titles, tl.events, texts), "",
    ]
    for period, events in _periods(tl):
        out += ['<section class="tl-period" markdown="1">', "",
                f"## {_text(ui.localised(period['title']))} {{#giai-doan-{period['id']}}}", "",
                f"[{ui.text('timeline.period-link', events=ui.count('count.events', len(events), words=False))}]({period['id']}.md)", "",
                '<ol class="tl-index" markdown="1">', *[_entry(ev) for ev in events], "</ol>", "", "</section>", ""]
    return "\n".join(out)


def render_period(tl: Timeline, titles: dict[str, str], period: dict, events: list[Event], texts: dict) -> str:
    out = [
        *_front(ui.text("timeline.period-title", period=ui.localised(period["title"]))),
        f"# {ui.text('timeline.period-title', period=_text(ui.localised(period['title'])))} {{#giai-doan-{period['id']}}}", "",
        ui.text("timeline.period-intro", events=ui.count("count.events", len(events), words=False), index="index.md"), "",
        *_filters(tl, titles, events, texts), "",
        '<section class="tl-period" markdown="1">', "", '<ol class="tl-events" markdown="1">',
    ]
    for ev in events:
        out += _event_item(ev, tl, titles, texts)
    out += ["</ol>", "", "</section>", ""]
    return "\n".join(out)


def _export_rows(tl: Timeline, titles: dict[str, str]) -> list[dict]:
    return [{
        "id": ev.id, "date": ev.date.iso, "start": ev.date.start.isoformat(), "end": ev.date.end.isoformat(),
        "title": ev.title, "title_en": ev.title_en, "category": ev.category,
        "category_label": ui.localised(tl.categories[ev.category]), "period": ev.period,
        "disagreement": ev.disagreement,
        "note": ui.per_language(ev.note).get(ui.DEFAULT), "note_en": ui.per_language(ev.note).get("en"),
        "sources": [{
            "text": s.text, "text_title": titles.get(s.text, s.text), "date": s.date.iso,
            "anchor": s.anchor, "quote": s.quote, "witness": tl.texts[s.text], "witness_line": s.line,
        } for s in ev.sources],
    } for ev in tl.events]


def write_exports(directory: Path, tl: Timeline, titles: dict[str, str]) -> None:
    rows = _export_rows(tl, titles)
    doc = {"title": ui.text("timeline.title"), "source": "data/timeline/events.yml",
           "categories": tl.categories, "events": rows}
    output.write_text(directory / "timeline.json", json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    table = io.StringIO(newline="")
    w = csv.writer(table)
    w.writerow(["event_id", "date", "title", "title_en", "category", "period", "disagreement", "note", "note_en",
                    "text", "source_date", "anchor", "witness", "witness_line", "quote"])
    for ev in rows:
        for s in ev["sources"]:
            w.writerow([ev["id"], ev["date"], ev["title"], ev["title_en"] or "", ev["category"], ev["period"],
                        "yes" if ev["disagreement"] else "", ev["note"] or "", ev["note_en"] or "", s["text"], s["date"],
                        s["anchor"] or "", s["witness"], s["witness_line"], s["quote"]])
    output.write_text(directory / "timeline.csv", table.getvalue())


def write_page(out_dir: Path, events: list[Event] | Timeline | None, titles: dict[str, str], texts=()) -> list:
    """Write ``out_dir/thoi-gian-bieu/index.md``, one ``<period-id>.md`` per period with events, and
    timeline.json and timeline.csv beside them.

    ``events`` may be the list from ``load_events`` (categories and periods are then read from the data file)
    or a whole ``Timeline``.  ``titles`` names texts (key: text id) and chapters (key: ``<text-id>/<chapter-stem>``).
    ``texts``: the loaded texts, whose witness pages each quote links to.  Returns the nav entries for mkdocs.yml.
    """
    if isinstance(events, Timeline):
        tl = events
    else:
        base = load_timeline()
        tl = Timeline(base.events if events is None else list(events), base.categories, base.periods, base.texts)
    directory = Path(out_dir) / PAGE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    by_id = {t.id: t for t in texts}
    output.write_text(directory / "index.md", render_index(tl, titles, by_id))
    pages: list[str | dict[str, str]] = [f"{PAGE_DIR}/index.md"]
    for period, evs in _periods(tl):
        output.write_text(directory / f"{period['id']}.md", render_period(tl, titles, period, evs, by_id))
        pages.append({escape.title(ui.localised(period["title"])): f"{PAGE_DIR}/{period['id']}.md"})
    write_exports(directory, tl, titles)
    return [{ui.text("timeline.title"): pages}]
