"""Timeline: the curated data on the real witnesses and corpus, its validator on bad input, the page."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import textwrap
from collections import Counter
from pathlib import Path

import jsonschema
import lxml.html
import markdown
import pytest
import yaml

from edition.enrich import timeline as tl
from edition.enrich.timeline import Date, load_timeline, sources_by_anchor
from edition.errors import BuildError
from edition.model import ui
from edition.model.corpus import corpus_paragraphs, load_corpus
from edition.paths import DOCS
from edition.render.timeline import backlink_markdown, event_href, format_date, titles_from_corpus, write_page
from edition.tools import resolve_anchors, scan_dates
from tests.helpers import expected

TEXTS = list(expected()["texts"])


@pytest.fixture(scope="module")
def paragraphs():
    return corpus_paragraphs()


@pytest.fixture(scope="module")
def timeline(paragraphs):
    return load_timeline(paragraphs)


# --- the real data -----------------------------------------------------------------------------

def test_coverage(timeline):
    events = timeline.events
    assert len(events) == expected()["timeline_events"]
    per_text = Counter(t for ev in events for t in ev.texts)
    assert set(per_text) == set(timeline.texts)  # every text events.yml lists tells at least five events
    assert min(per_text.values()) >= 5, per_text
    assert sum(len(ev.texts) >= 2 for ev in events) >= 10
    starts = [ev.date.start for ev in events]
    assert starts == sorted(starts)


def test_recognition_1950_is_one_event_told_by_every_text_that_tells_it(timeline):
    ev = next(e for e in timeline.events if e.id == "thiet-lap-quan-he-ngoai-giao-1950")
    assert len(set(ev.texts)) == len(ev.texts) == expected()["timeline_recognition_1950_texts"]
    assert ev.date.iso == "1950-01-30" and not ev.disagreement  # "1950" in 003/004 is coarser, not contrary


@pytest.mark.parametrize("eid, dates", [
    ("nguyen-van-linh-tham-lien-xo-1987", {"1987-05", "1987-09"}),
    ("lien-xo-tan-ra-1991", {"1991-12-21", "1991-12-30"}),
    ("vietsovpetro-thanh-lap", {"1981", "1985"}),
    ("doi-tac-chien-luoc-2001", {"2001", "2011-03-01"}),
])
def test_disagreements_are_explicit(timeline, eid, dates):
    ev = next(e for e in timeline.events if e.id == eid)
    assert ev.disagreement and ev.note
    assert dates <= {s.date.iso for s in ev.sources}


def test_every_source_is_anchored_in_the_corpus(timeline, paragraphs):
    for ev in timeline.events:
        for s in ev.sources:
            assert (s.page, s.fragment) in paragraphs
            assert s.quote in tl.normalize_space(paragraphs[(s.page, s.fragment)])


def test_anchors_are_up_to_date(paragraphs):
    current = {s.data_line: s.anchor for ev in load_timeline().events for s in ev.sources}
    assert resolve_anchors.resolve() == current


def test_schema_accepts_the_data():
    schema = json.loads((DOCS.parent / "schemas" / "timeline.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(tl.EVENTS_FILE.read_text(encoding="utf-8")), schema)


def test_sources_by_anchor(timeline):
    index = sources_by_anchor(timeline.events)
    ev = next(e for e in timeline.events if e.id == "hiep-uoc-huu-nghi-hop-tac-1978")
    for s in ev.sources:
        assert ev in index[(s.page, s.fragment)]
    assert sum(len(v) for v in index.values()) >= len(timeline.events)


def test_backlink_marker(timeline):
    index = sources_by_anchor(timeline.events)
    key = next(k for k, v in index.items() if any(e.id == "lien-xo-tan-ra-1991" for e in v))
    html = markdown.markdown("Đoạn văn. " + backlink_markdown(index[key]), extensions=["attr_list"])
    period = next(e.period for e in timeline.events if e.id == "lien-xo-tan-ra-1991")
    assert f'<a class="tl-backlink" href="../thoi-gian-bieu/{period}.md#lien-xo-tan-ra-1991"' in html
    assert ">Niên biểu</a>" in html  # disputed date: no single date on the marker


# --- dates ---------------------------------------------------------------------------------------

def test_date_precision_and_agreement():
    assert Date("1977").compatible(Date("1977-09-20"))
    assert Date("1985-06-26/1985-07-01").contains(Date("1985-06-27"))
    assert not Date("1987-05").compatible(Date("1987-09"))
    assert Date("1980-02").end.day == 29  # leap year
    assert format_date(Date("1950-01-30")) == "30-01-1950"
    assert format_date(Date("1975-05")) == "tháng 5-1975"
    assert format_date(Date("2019/2020")) == "2019 – 2020"


# --- bad input: one BuildError naming file and line ---------------------------------------------

HEADER = """\
texts:
  luan-an-1975-1991: 000_e1f2f0e4f1247df1.txt
  achievements-1975-1991: 003_620dcb6001c3609b.txt
categories:
  chinh-tri-ngoai-giao: Chính trị – ngoại giao
periods:
  - {id: all, title: Tất cả, start: '1900', end: '2030'}
events:
"""
GOOD = """\
- id: hiep-uoc-1978
  date: '1978-11-03'
  title: Hiệp ước
  category: chinh-tri-ngoai-giao
  sources:
  - text: achievements-1975-1991
    line: 43
    quote: The Treaty of Friendship and Cooperation was signed on November 3, 1978
"""


def _load(tmp_path: Path, body: str, paragraphs=None):
    path = tmp_path / "events.yml"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return load_timeline(paragraphs, path=path)


def test_minimal_file_loads(tmp_path):
    assert [e.id for e in _load(tmp_path, GOOD).events] == ["hiep-uoc-1978"]


@pytest.mark.parametrize("change, line, message", [
    (("line: 43", "line: 45"), 14, "does not start on line 45"),
    (("signed on November 3", "signed in November 3"), 14, "does not start on line 43"),
    (("date: '1978-11-03'", "date: '1978-13'"), 9, "month must be in 1..12"),
    (("date: '1978-11-03'", "date: '3-11-1978'"), 10, "not ISO 8601"),
    (("date: '1978-11-03'", "date: '1979'"), 14, "year 1979 of its date is not in the quote"),
    (("category: chinh-tri-ngoai-giao", "category: kinh-te"), 9, "unknown category"),
    (("text: achievements-1975-1991", "text: unknown"), 14, "unknown text"),
    (("  title: Hiệp ước\n", ""), 9, "'title' is a required property"),
    (("quote: The Treaty", "quote: The  Treaty"), 14, "single spaces"),
])
def test_bad_event_is_reported_with_its_line(tmp_path, change, line, message):
    with pytest.raises(BuildError) as err:
        _load(tmp_path, GOOD.replace(*change))
    assert err.value.line == line and message in err.value.message
    assert err.value.path.endswith("events.yml")


def test_duplicate_id_and_bad_yaml(tmp_path):
    with pytest.raises(BuildError, match="already used on line 9") as err:
        _load(tmp_path, GOOD + GOOD)
    assert err.value.line == 17
    with pytest.raises(BuildError, match="malformed YAML"):
        _load(tmp_path, GOOD + "  - [unclosed\n")


def test_disagreement_needs_a_note(tmp_path):
    second = """\
  - text: luan-an-1975-1991
    line: 7618
    date: '1978-12'
    quote: Ngày 03-11-1978, Hiệp ước hữu nghị và hợp tác giữa Việt Nam và Liên Xô được
"""
    with pytest.raises(BuildError, match="different dates; add a 'note'") as err:
        _load(tmp_path, GOOD + second)
    assert err.value.line == 9
    ev = _load(tmp_path, GOOD.replace("  category:", "  note: Hai nguồn khác nhau.\n  category:") + second).events[0]
    assert ev.disagreement


def test_anchor_checks(tmp_path):
    anchored = GOOD.replace("line: 43\n", "line: 43\n    anchor: achievements-1975-1991/01-full-text#x-p1\n")
    para = {("achievements-1975-1991/01-full-text", "x-p1"):
            "2.2. The Treaty of Friendship and Cooperation was signed on November 3, 1978, opening"}
    assert _load(tmp_path, anchored, para).events[0].sources[0].fragment == "x-p1"
    with pytest.raises(BuildError, match="has no anchor") as err:
        _load(tmp_path, GOOD, para)
    assert err.value.line == 14
    with pytest.raises(BuildError, match="does not exist"):
        _load(tmp_path, anchored.replace("#x-p1", "#x-p2"), para)
    with pytest.raises(BuildError, match="is not in paragraph"):
        _load(tmp_path, anchored, {k: "other words" for k in para})
    with pytest.raises(BuildError, match="is not 'achievements-1975-1991/<chapter>#<paragraph-id>'"):
        _load(tmp_path, anchored.replace("achievements-1975-1991/01-full-text#", "other/01#"), para)


def test_write_anchors_rewrites_only_anchor_lines(tmp_path):
    path = tmp_path / "events.yml"
    original = tl.EVENTS_FILE.read_text(encoding="utf-8")
    stripped = "\n".join(l for l in original.split("\n") if not l.strip().startswith("anchor:"))
    path.write_text(stripped, encoding="utf-8")
    found = resolve_anchors.resolve(path=path)
    assert resolve_anchors.write_anchors(found, path) == len(found)
    assert path.read_text(encoding="utf-8") == original


# --- the page and exports -----------------------------------------------------------------------

def test_page(tmp_path, timeline):
    titles = {"luan-an-1975-1991": "Luận án", "luan-an-1975-1991/03-chuong-2": "Chương 2"}
    nav = write_page(tmp_path, timeline, titles)
    page_dir = tmp_path / "thoi-gian-bieu"
    periods = sorted({ev.period for ev in timeline.events})
    assert list(nav[0]) == ["Niên biểu"] and nav[0]["Niên biểu"][0] == "thoi-gian-bieu/index.md"
    assert sorted(v for entry in nav[0]["Niên biểu"][1:] for v in entry.values()) == [
        f"thoi-gian-bieu/{p}.md" for p in periods]

    def page_html(name: str) -> str:
        source = (page_dir / name).read_text(encoding="utf-8")
        return markdown.markdown(source.split("---\n", 2)[2], extensions=["md_in_html", "attr_list"])
    index_source = (page_dir / "index.md").read_text(encoding="utf-8")
    assert index_source.startswith('---\ntitle: "Niên biểu"\nsearch:\n  exclude: true\n---\n')
    index = page_html("index.md")
    html = "".join(page_html(f"{p}.md") for p in periods)
    for ev in timeline.events:
        # every published id resolves on the index page, and the event is told in full on its period page
        entry = index[index.index(f'id="{ev.id}"'):]
        assert entry.startswith(f'id="{ev.id}"><span class="tl-entry-when">')
        assert f'<a href="{ev.period}.md#{ev.id}">' in entry[:entry.index("</li>")]
        assert f'id="{ev.id}"' in html and '<li class="tl-event' in html
        shown = ev.conflicting_dates if ev.disagreement else [ev.date]
        for d in shown:
            assert f'<time datetime="{d.parts[0]}">' in html
    # passage links are real links (so MkDocs resolves them), naming text and chapter
    assert ('<a href="../luan-an-1975-1991/03-chuong-2.md#2-1-1-khai-quat-quan-he-viet-nam-voi-lien-xo-truoc-nam-1975-p3">'
            "Luận án, Chương 2</a>") in html
    assert '<details class="tl-filters">' in html and '<form id="tl-filters" aria-label' in html
    # a disagreement shows each source's own date
    linh = html[html.index('id="nguyen-van-linh-tham-lien-xo-1987"'):]
    linh = linh[:linh.index("</li>\n</ul>")]
    assert "Các nguồn ghi thời điểm khác nhau" in linh
    assert '<time datetime="1987-05">tháng 5-1987</time> hoặc <time datetime="1987-09">tháng 9-1987</time>' in linh
    assert linh.count("nguồn ghi:") == 3  # every source's own date

    data = json.loads((page_dir / "timeline.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in data["events"]] == [e.id for e in timeline.events]
    rows = list(csv.DictReader((page_dir / "timeline.csv").open(encoding="utf-8")))
    assert len(rows) == sum(len(e.sources) for e in timeline.events)
    linh_rows = [r for r in rows if r["event_id"] == "nguyen-van-linh-tham-lien-xo-1987"]
    assert linh_rows[0]["note"].startswith("Luận án ghi") and linh_rows[0]["note_en"].startswith("The thesis records")
    assert {r["anchor"] for r in rows if r["event_id"] == "lien-xo-tan-ra-1991"} >= {
        s.anchor for e in timeline.events if e.id == "lien-xo-tan-ra-1991" for s in e.sources}
    assert event_href("lien-xo-tan-ra-1991") == "../thoi-gian-bieu/index.md#lien-xo-tan-ra-1991"
    dissolution = next(ev for ev in timeline.events if ev.id == "lien-xo-tan-ra-1991")
    assert event_href(dissolution) == f"../thoi-gian-bieu/{dissolution.period}.md#lien-xo-tan-ra-1991"


def test_an_editors_note_is_shown_in_the_interface_language(tmp_path):
    """A note given per interface language is shown in English in the English interface, unmarked; one in
    Vietnamese only is marked there as Vietnamese."""
    events = [ev for ev in load_timeline().events if ev.id == "nguyen-van-linh-tham-lien-xo-1987"]
    vi_only = [tl.Event(**{**ev.__dict__, "note": ev.note["vi"]}) for ev in events]
    for lang, shown, plain in (("vi", "Luận án ghi chuyến thăm", "Luận án ghi chuyến thăm"),
                               ("en", "The thesis records the visit", '<span lang="vi">Luận án ghi chuyến thăm')):
        for given, expected_start in ((events, shown), (vi_only, plain)):
            with ui.use(lang):
                write_page(tmp_path, given, {})
            page = (tmp_path / "thoi-gian-bieu" / f"{events[0].period}.md").read_text(encoding="utf-8")
            note = page[page.index('<p class="tl-note"'):]
            assert note[note.index("</strong> ") + len("</strong> "):].startswith(expected_start), (lang, note[:200])


def test_titles_from_corpus():
    titles = titles_from_corpus(load_corpus())
    assert set(TEXTS) <= set(titles)
    assert titles["luan-an-1975-1991/03-chuong-2"].startswith("Chương 2.")
    assert "hop-tac-quoc-phong-2012-2024/01-toan-van" not in titles  # one chapter: the text names it


def test_page_escapes_markdown(tmp_path):
    ev = _load(tmp_path, GOOD.replace("title: Hiệp ước", "title: 'A *b* [c] <d>'"))
    write_page(tmp_path, ev, {})
    for page in (tmp_path / "thoi-gian-bieu").glob("*.md"):  # the index and the period page
        html = markdown.markdown(page.read_text(encoding="utf-8"), extensions=["md_in_html", "attr_list"])
        shown = lxml.html.fragment_fromstring(html, create_parent="div")
        assert "A *b* [c] <d>" in shown.text_content()
        assert not shown.xpath("//em|//d")


def test_script_matches_the_page_markup():
    js = (DOCS / "assets" / "timeline.js").read_text(encoding="utf-8")
    for hook in ('"tl-filters"', '".tl-event"', '".tl-period"', "dataset.texts", "dataset.category"):
        assert hook in js



@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
def test_script_filters_by_category_and_text():
    """tests/js/timeline_filters.js drives the script on a stand-in DOM and asserts what it hides and counts, in
    the words of the page's JSON block (the Vietnamese catalogue's)."""
    words = ui.catalogue("vi").scripts_json()
    run = subprocess.run(["node", str(Path(__file__).parent / "js" / "timeline_filters.js"),
                          str(DOCS / "assets" / "timeline.js"), words], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr


# --- candidate scanner ---------------------------------------------------------------------------

def test_scan_dates_finds_vietnamese_and_english_dates():
    text = "ký ngày 03-11-\n\n1978 tại Mátxcơva\ntháng 5-1975 và 30/01/1950; signed on November 3, 1978; năm 1991"
    found = {(c.line, c.expression) for c in scan_dates.scan_text("x", text)}
    assert (1, "ngày 03-11- 1978") in found
    assert {(4, "tháng 5-1975"), (4, "30/01/1950"), (4, "November 3, 1978"), (4, "năm 1991")} <= found
    kinds = {c.expression: c.kind for c in scan_dates.scan_text("x", "giai đoạn (1975-1991)")}
    assert kinds == {"1975-1991": "range"}  # not "75-1991" read as a month
    real = scan_dates.scan_text("000", (tl.SOURCES / "000_e1f2f0e4f1247df1.txt").read_text(encoding="utf-8"))
    assert any(c.line == 56 and c.expression == "ngày 03-11-1978" for c in real)
    assert any(c.line == 10615 and c.expression == "ngày 3 tháng 11 năm 1978" for c in real)
