"""Bản nguồn (issue 25): every paragraph of every text maps to its witness lines, derived from the fidelity
alignment; the built site links each paragraph to its lines and each line back; curated statements show
their evidence or the editor's mark."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from browser.edition_sites import real_site
from edition.model.corpus import load_corpus, paragraph_ids
from edition.model.source_map import build
from edition.model.witness import load_manifest
from edition.render.witness_pages import line_href, page_stem


@pytest.fixture(scope="module")
def maps():
    witnesses = load_manifest()
    texts = load_corpus()
    return [(text, build(text, witnesses[text.id])) for text in texts]


def test_every_paragraph_maps_to_lines_in_order_covering_its_chapter(maps):
    for text, smap in maps:
        for ch in text.chapters:
            first, last = ch.meta["witness_lines"]
            spans = [(i, smap.block_lines(ch.id, i)) for i in range(len(ch.blocks))]
            for i in paragraph_ids(ch):
                assert spans[i][1], f"{text.id}/{ch.stem}: paragraph {i} has no witness lines"
            ranges = [span for _, span in spans if span]
            for (a, b), (c, _) in zip(ranges, ranges[1:]):
                assert a <= b <= c, f"{text.id}/{ch.stem}: witness lines out of order at {a}-{b}, {c}"
            assert first <= ranges[0][0] and ranges[-1][1] <= last, f"{text.id}/{ch.stem}"
            # covered: a line of the chapter is in some block's range, or carries no word the edition keeps
            held = {n for a, b in ranges for n in range(a, b + 1)}
            for n in range(first, last + 1):
                if n not in held:
                    words = smap.lines[n - 1].split()
                    removed = [e for e in smap.entries.get(n, []) if e.kind not in ("page-break", "join")]
                    assert not words or removed, f"{text.id}: witness line {n} is in no block: {smap.lines[n - 1]!r}"


def test_a_paragraph_starts_with_the_words_of_its_first_line(maps):
    text, smap = next((t, m) for t, m in maps if len(t.chapters) > 1)
    ch = text.chapters[2]
    i, pid = next(iter(paragraph_ids(ch).items()))
    a, _ = smap.block_lines(ch.id, i)
    first_words = [w for w in smap.lines[a - 1].split()][:2]
    assert " ".join(ch.blocks[i].plain.split()[:2]).startswith(" ".join(first_words)[:5])


def test_page_markers_sit_on_their_page_break_lines(maps):
    for text, smap in maps:
        for marker, line in smap.markers.items():
            assert any(e.kind == "page-break" for e in smap.entries[line]), (text.id, marker)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append((a.get("class") or "", a["href"]))
        if tag in ("p", "li") and "para" in (a.get("class") or "").split():
            self.links.append(("para", a["id"], a.get("data-lines")))


def _parse(path):
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_paragraph_of_the_site_opens_its_witness_lines_and_each_line_leads_back(maps):
    site = real_site()
    for text, _smap in maps:
        witness_pages = {}
        for ch in text.chapters:
            page = _parse(site / text.id / f"{ch.stem}.html")
            paras = [x for x in page.links if x[0] == "para"]
            assert len(paras) == len(paragraph_ids(ch)), f"{text.id}/{ch.stem}"
            wit_links = [href for cls, href, *_ in page.links if cls == "wit-link"]
            assert len(wit_links) >= len(paras)
            for _, pid, lines in paras:
                a, b = map(int, lines.split("-"))
                assert f"{line_href(text, a, '.html')}" in wit_links, (pid, a)
                stem = page_stem(text, ch)
                if stem not in witness_pages:
                    witness_pages[stem] = _parse(site / text.id / f"{stem}.html")
                target = witness_pages[stem]
                assert all(f"dong-{n}" in target.ids for n in range(a, b + 1)), (pid, a, b)
                assert ("", f"{ch.stem}.html#{pid}") in target.links, f"line {a} does not lead back to {pid}"


def test_witness_lines_are_shown_exactly(maps):
    site = real_site()
    text, smap = next((t, m) for t, m in maps if len(t.chapters) == 1)
    html = (site / text.id / "ban-nguon.html").read_text(encoding="utf-8")
    import html as html_lib
    shown = re.findall(r'<p id="dong-(\d+)">(?:<a [^>]*>|<i>)\d+(?:</a>|</i>)(.*?)(?:<small>|</p>)', html)
    assert len(shown) == len(smap.lines)
    for n, inner in shown:
        plain = html_lib.unescape(re.sub(r"<[^>]+>", "", inner))
        assert plain == smap.lines[int(n) - 1], n


def test_curated_statements_show_evidence_or_the_editors_mark():
    site = real_site()
    bib = (site / "thu-muc" / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<p class="bib-meta">.*?(?=<p class="bib-entry"|</article>)', bib, re.S)
    assert entries
    for chunk in entries:
        evidence = re.search(r'<p class="bib-evidence">(.*?)</p>', chunk, re.S)
        assert evidence and ('class="ev-link"' in evidence.group(1) or 'class="ed-mark"' in evidence.group(1)), chunk[:200]
    for period in (site / "thoi-gian-bieu").glob("*.html"):
        if period.name == "index.html":
            continue
        page = period.read_text(encoding="utf-8")
        for sources in re.findall(r'<ul class="tl-sources">(.*?)</ul>', page, re.S):
            for item in re.findall(r"<li>(.*?)</li>", sources, re.S):
                assert 'class="ev-link"' in item, (period.name, item[:200])
    for entry in (site / "bang-tra").glob("*.html"):
        if entry.name == "index.html":
            continue
        page = entry.read_text(encoding="utf-8")
        assert re.search(r'class="reg-description">.*?class="ed-mark"', page, re.S), entry.name
        facts = re.search(r'<ul class="reg-facts">(.*?)</ul>', page, re.S)
        if facts:
            assert all('class="ev-link"' in li for li in re.findall(r"<li>(.*?)</li>", facts.group(1), re.S))
    for text, _ in [(t, None) for t in load_corpus()]:
        landing = (site / text.id / "index.html").read_text(encoding="utf-8")
        table = landing.split('id="thong-tin"', 1)[1].split("</table>", 1)[0]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
            assert 'class="ev-link"' in row or 'class="ed-mark"' in row, (text.id, row[:200])
