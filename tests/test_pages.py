"""The thesis's printed pages: reconstructed from surviving numbers and page-break signatures."""

import re

from edition.ingest.pages import numbered_pages, page_starts
from edition.ingest.rules import load_rules
from edition.model.corpus import load_corpus
from edition.model.witness import load_manifest
from edition.render.chapters import render_chapter

THESIS = "luan-an-1975-1991"
SURVIVING = {535: 11, 2448: 46, 2678: 50, 3016: 56, 3808: 70, 3879: 71, 4494: 82, 5331: 97, 6113: 111,
             7003: 127, 7757: 141, 7936: 144, 8166: 148, 8288: 150, 9798: 178}


def _pages():
    rules, witness = load_rules(THESIS), load_manifest()[THESIS]
    return page_starts(witness.lines(), rules.pages, SURVIVING, rules.path, witness.path)


def test_surviving_numbers_fall_where_printed_and_every_interval_agrees():
    pages = _pages()
    by_number = {p.number: p for p in pages if p.evidence == "number"}
    assert len(by_number) == 15
    for line, number in SURVIVING.items():
        assert by_number[number].line == line + 2  # the page begins with the text line after the number
    assert not any(p.uncertain for p in pages)
    numbered = [p.number for p in pages if p.number is not None]
    assert numbered == list(range(1, 180))  # page 1 (Mở đầu) … 179 (Kết luận), no gap, no repeat


def test_a_signature_too_many_makes_the_interval_uncertain():
    lines = ["a", "", "11", "", "x", "", "y", " z", "", "w", " v", "", "13", "", "u"]
    pages = numbered_pages(lines, 1, len(lines), {3: 11, 13: 13}, "fixture")
    assert [p.label for p in pages] == ["10", "11", "12?", "13?", "13"]


def test_every_thesis_paragraph_knows_its_printed_page():
    text = next(t for t in load_corpus() if t.id == THESIS)
    for ch in text.chapters[:6]:  # Mở đầu … Kết luận: the appendices' numbers cannot be counted
        page = render_chapter(text, ch)
        paragraphs = re.findall(r"^\{: #[^ ]+ \.para[^}]*\}$", page, flags=re.M)
        assert paragraphs and all('data-pages="' in p for p in paragraphs), ch.stem
    page = render_chapter(text, text.chapters[2])
    assert '<a class="pb" id="tr-46" href="#tr-46" data-page="46"' in page


def test_the_built_site_shows_notes_pages_and_run_in_heads_as_printed():
    import lxml.html

    from tests.browser.edition_sites import real_site

    site = real_site()
    page = lxml.html.parse(str(site / "hop-tac-quoc-phong-2012-2024" / "01-toan-van.html")).getroot()
    shown = [(a.getparent().get("id"), a.text) for a in page.xpath('//sup[starts-with(@id, "fnref:")]/a')]
    assert shown == [(f"fnref:{n}", str(n)) for n in range(1, 21)]  # ⁽n⁾ is note n, in reading order
    notes = " ".join(page.xpath('//*[@class="ed-note"]/text()'))
    assert "không in nội dung chú thích 21" in notes and "in chung chú thích 7 với chú thích 6" in notes
    chapter = lxml.html.parse(str(site / "luan-an-1975-1991" / "03-chuong-2.html")).getroot()
    marker = chapter.get_element_by_id("tr-46")
    assert marker.get("href") == "#tr-46" and marker.text_content() == "tr. 46"
    assert chapter.xpath('//h5[starts-with(normalize-space(.), "Về kinh tế")]')  # a sub-head, not paragraph text
    assert chapter.xpath('//nav[contains(@class, "md-nav--secondary")]//a[@href="#2-1-1-tinh-hinh-lien-xo-ve-kinh-te"]')
    article = lxml.html.parse(str(site / "viet-xo-nga-70-nam" / "01-toan-van.html")).getroot()
    # a run-in head is the bold lead of its paragraph, as printed, and its old heading id still lands there
    lead = article.xpath('//p[contains(@class, "run-in")]/strong[1]')
    assert [s.text_content() for s in lead][:2] == ["(i) Về chính trị,", "(ii) Về kinh tế,"]
    assert lead[0].getparent().get("id") == "phan-2-a-i-p1" and not article.xpath("//h4")
    alias = article.get_element_by_id("phan-2-a-i")
    assert alias.get("class") == "alias-anchor" and alias.getparent().getnext().get("id") == "phan-2-a-i-p1"
