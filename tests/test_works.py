"""One truth per text, written per consumer: persons, supplied titles, the year decision, printed pages,
and the citation outputs (meta tags, JSON-LD, CSL-JSON, BibTeX, RIS, the three styles)."""

from __future__ import annotations

import json
from copy import deepcopy

import pytest

from edition.errors import BuildError
from edition.model import escape
from edition.model.corpus import Text, load_corpus, parse_chapter
from edition.model.witness import load_manifest
from edition.render import metadata, works
from edition.render.texts import landing_page

TEXTS = {t.id: t for t in load_corpus()}
THESIS, ARTICLE_004, ARTICLE_003 = TEXTS["luan-an-1975-1991"], TEXTS["hop-tac-quoc-phong-2012-2024"], TEXTS["achievements-1975-1991"]


def test_vietnamese_names_family_first_written_per_consumer():
    tran, dam = works.persons(ARTICLE_004)
    assert (tran.family, tran.given, tran.natural, tran.inverted) == ("Trần", "Ngọc Dũng", "Trần Ngọc Dũng", "Trần, Ngọc Dũng")
    assert dam.csl() == {"family": "Đàm", "given": "Thị Thảo"}
    (phuc,) = works.persons(ARTICLE_003)
    assert (phuc.family, phuc.given, phuc.natural) == ("Nguyen", "Thi Phuc", "Nguyen Thi Phuc")
    tags = metadata.head_tags(ARTICLE_004, ARTICLE_004.chapters[0])
    assert [v for n, v in tags if n == "citation_author"] == ["Trần, Ngọc Dũng", "Đàm, Thị Thảo"]
    assert "  author = {Trần, Ngọc Dũng and Đàm, Thị Thảo}," in works.bibtex(ARTICLE_004)
    assert "AU  - Trần, Ngọc Dũng\nAU  - Đàm, Thị Thảo" in works.ris(ARTICLE_004)
    person = metadata.jsonld(ARTICLE_004, None)["author"][0]
    assert (person["familyName"], person["givenName"], person["name"]) == ("Trần", "Ngọc Dũng", "Trần Ngọc Dũng")
    apa, _ = works.cite(ARTICLE_004, "apa", None)
    vn, _ = works.cite(ARTICLE_004, "vn-thesis", None)
    assert apa.startswith("Trần, N. D., &amp; Đàm, T. T. (n.d.).")
    assert vn.startswith("Trần Ngọc Dũng và Đàm Thị Thảo (không rõ năm),")


def test_an_author_without_family_name_is_a_one_line_error():
    meta = deepcopy(ARTICLE_003.meta)
    meta["authors"] = [{"name": "Nguyen Thi Phuc", "__line__": 9}]
    with pytest.raises(BuildError) as err:
        works.persons(Text(ARTICLE_003.id, ARTICLE_003.dir, meta))
    assert str(err.value).startswith(f"{ARTICLE_003.dir / 'text.yml'}:9: an author needs family")


def test_an_inferred_year_is_no_year_value():
    meta = deepcopy(THESIS.meta)
    meta["year"] = {"value": "2020 hoặc muộn hơn", "__line__": 13}
    with pytest.raises(BuildError) as err:
        works.year(Text(THESIS.id, THESIS.dir, meta))
    assert str(err.value).startswith(f"{THESIS.dir / 'text.yml'}:13: year.value '2020 hoặc muộn hơn' must be")


@pytest.mark.parametrize("text_id", ["luan-an-1975-1991", "viet-xo-nga-70-nam", "khang-chien-chong-phap"])
def test_a_supplied_title_is_in_brackets_in_every_output(text_id):
    text = TEXTS[text_id]
    bracketed = works.cite_title(text)
    assert bracketed.startswith("[") and bracketed.endswith("]") and not bracketed.startswith("[[")
    assert ["citation_title", bracketed] in metadata.head_tags(text, text.chapters[0])
    assert metadata.jsonld(text, None)["name"] == bracketed
    assert works.csl_item(text)["title"] == bracketed
    assert f"title = {{{{{bracketed}}}}}" in works.bibtex(text)
    assert f"TI  - {bracketed}" in works.ris(text)
    for style in works.STYLES:
        assert bracketed in works.plain(works.cite(text, style, None)[0])
    page = landing_page(text, load_manifest()[text.id])
    assert f"# {escape.md_text(works.title(text))} {{#tong-quan}}" in page and works.title(text).startswith("[")


def test_one_year_decision_everywhere_for_004():
    """2025 is the acceptance date, not a printed publication year: no output gives a year."""
    text = ARTICLE_004
    assert works.year(text) is None and "2025 là năm duyệt đăng" in works.year_note(text)
    tags = metadata.head_tags(text, text.chapters[0])
    assert not [n for n, _ in tags if n in ("citation_publication_date", "citation_date", "DC.date")]
    assert "datePublished" not in json.dumps(metadata.jsonld(text, None))
    assert "issued" not in works.csl_item(text)
    assert "year = " not in works.bibtex(text) and "PY  - " not in works.ris(text)
    assert "(n.d.)" in works.cite(text, "apa", None)[0] and "n.d." in works.cite(text, "chicago", None)[0]
    assert "(không rõ năm)" in works.cite(text, "vn-thesis", None)[0]
    page = landing_page(text, load_manifest()[text.id])
    assert "trích dẫn không ghi năm" in page and "duyệt đăng ngày 20/5/2025" in page


def test_capitals_are_cited_in_sentence_case_and_shown_as_printed():
    assert works.cite_title(ARTICLE_004).startswith("Quan hệ hợp tác quốc phòng Việt Nam - Liên bang Nga từ khi")
    assert works.title(ARTICLE_004).startswith("QUAN HỆ HỢP TÁC QUỐC PHÒNG")
    assert "Nhan đề như in: QUAN HỆ" in works.csl_item(ARTICLE_004)["note"]


def test_abstracts_are_the_printed_ones():
    assert works.abstract(ARTICLE_004).startswith("Bài viết đi sâu tập trung phân tích")
    assert works.abstract(ARTICLE_003).startswith("Vietnam's diplomatic history shows")
    assert works.abstract(TEXTS["khang-chien-chong-phap"], "abstract_en").startswith("The Soviet Union was one of")
    assert works.abstract(THESIS) is None
    assert metadata.description(THESIS, THESIS.chapters[2]).startswith(THESIS.chapters[2].title)
    assert metadata.description(THESIS, THESIS.chapters[2]) != metadata.description(THESIS, THESIS.chapters[3])


PAGED = """---
text: luan-an-1975-1991
chapter: chuong-9
title: "Chương 9. Thử"
order: 1
lang: vi
witness_lines: [1, 2]
---

# Chương 9 {#chuong-9}

## 9.1. Mục {#9-1}

{pb 46} Đoạn một trên trang 46.

Đoạn hai sang trang sau {pb 47} và tiếp.

## 9.2. Mục không biết trang {#9-2}

Đoạn ba.
"""


def test_printed_pages_cite_the_paragraph_and_the_chapter(tmp_path):
    """The corpus's page milestones ({pb 46}): a paragraph runs from the page in force to the last page
    beginning in it; a text without milestones has no pages."""
    path = tmp_path / "09-chuong-9.md"
    path.write_text(PAGED, encoding="utf-8")
    chapter = parse_chapter(path)
    text = Text(THESIS.id, THESIS.dir, THESIS.meta, [chapter])
    assert works.pages(text, chapter) == ("46", "47")
    assert works.pages(text, chapter, "9-1-p1") == ("46", "46")
    assert works.pages(text, chapter, "9-1-p2") == ("46", "47")
    assert works.pages(text, chapter, "9-2-p1") == ("47", "47")  # the page in force
    assert works.locator_for(text, chapter, "9-1-p2") == works.Locator("page", "46–47")
    _, vn = works.cite(text, "vn-thesis", None, works.locator_for(text, chapter, "9-1-p2"))
    assert vn.endswith("không rõ năm, tr. 46–47)")
    _, apa = works.cite(text, "apa", None, works.locator_for(text, chapter, "9-1-p2"))
    assert apa.endswith("n.d., pp. 46–47)")
    tags = metadata.head_tags(text, chapter)
    assert ["citation_firstpage", "46"] in tags and ["citation_lastpage", "47"] in tags
    article = TEXTS["viet-xo-nga-70-nam"]
    assert works.pages(article, article.chapters[0]) is None
    assert works.locator_for(article, article.chapters[0], "phan-1-p1", "1") == works.Locator("section", "1")
    assert not [n for n, _ in metadata.head_tags(article, article.chapters[0]) if n == "citation_firstpage"]
    chapter_2 = THESIS.chapters[2]  # the real thesis: its printed pages from the reconstructed milestones
    first, last = works.pages(THESIS, chapter_2)
    assert 0 < int(first) < int(last)
    assert ["citation_firstpage", first] in metadata.head_tags(THESIS, chapter_2)


def _urls(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("url", "@id"):
                yield v
            yield from _urls(v)
    elif isinstance(node, list):
        for v in node:
            yield from _urls(v)


def test_json_ld_has_absolute_urls_or_none(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    chapter = metadata.jsonld(THESIS, THESIS.chapters[2])
    assert list(_urls(chapter)) == [] and chapter["isPartOf"]["@type"] == "Thesis"
    monkeypatch.setenv("SITE_URL", "https://example.org/ed")
    chapter = metadata.jsonld(THESIS, THESIS.chapters[2])
    urls = list(_urls(chapter))
    assert urls and all(u.startswith("https://example.org/ed/") for u in urls)
    assert chapter["url"] == f"https://example.org/ed/luan-an-1975-1991/{THESIS.chapters[2].stem}.html"
    assert chapter["isPartOf"]["@id"] == "https://example.org/ed/luan-an-1975-1991/index.html"  # linked thesis
    assert ["citation_public_url", chapter["url"]] in metadata.head_tags(THESIS, THESIS.chapters[2])


def test_downloads_carry_type_language_and_the_edition_url(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://example.org/ed/")
    url = works.absolute(works.page_path(THESIS))
    bibtex, ris, item = works.bibtex(THESIS, url), works.ris(THESIS, url), works.csl_item(THESIS, url)
    assert bibtex.startswith("@phdthesis{luan-an-1975-1991,") and "  language = {vi}," in bibtex
    assert "  url = {https://example.org/ed/luan-an-1975-1991/index.html}," in bibtex
    assert ris.startswith("TY  - THES") and "LA  - vi" in ris and "UR  - https://example.org/ed/" in ris
    assert (item["type"], item["language"], item["URL"]) == ("thesis", "vi", url)
    assert "phiên bản" in item["archive"]


def test_formatted_citations_escape_the_data():
    item = works.csl_item(ARTICLE_003)
    item["title"] = "<script>alert(1)</script>"
    reference, _ = works.format_item(item, "apa")
    assert "<script>" not in reference and "&lt;script&gt;" in reference


def test_the_citation_page_is_filled_from_the_edition_data(tmp_path):
    from edition import paths
    from edition.render.citing import MARKER, citation_page

    page = tmp_path / "cach-trich-dan.md"
    assert MARKER in (paths.DOCS / "cach-trich-dan.md").read_text(encoding="utf-8")
    citation_page(paths.DOCS / "cach-trich-dan.md", page, list(TEXTS.values()))
    body = page.read_text(encoding="utf-8")
    assert MARKER not in body and "{{" not in body
    assert f"Phiên bản {works.edition()['version']}, ngày {works.edition()['date']}" in body
    for text in TEXTS.values():
        title = escape.md_text(works.title(text))  # data, escaped; an English title marked as such
        shown = title if text.meta["language"] == "vi" else f'<span lang="en">{title}</span>'
        assert f"### {shown} {{#trich-dan-{text.id}}}" in body


def test_a_work_cited_by_its_title_has_the_editors_short_title_in_text():
    """APA and Chicago cite a work without author by a short title: title.short, supplied like the title."""
    item = works.csl_item(THESIS)
    assert item["title-short"] == "[Đảng lãnh đạo quan hệ của Việt Nam với Liên Xô]"
    for style in works.STYLES:
        intext = works.plain(works.cite(THESIS, style, None, works.Locator("page", "45–46"))[1])
        assert "[Đảng lãnh đạo quan hệ của Việt Nam với Liên Xô]" in intext and "1991" not in intext
    assert "shorttitle = {{[Đảng lãnh đạo" in works.bibtex(THESIS) and "ST  - [Đảng lãnh đạo" in works.ris(THESIS)
    assert "title-short" not in works.csl_item(ARTICLE_004)  # an author is cited, not a title


def test_a_short_title_holds_the_titles_words():
    meta = deepcopy(THESIS.meta)
    meta["title"]["short"] = {"value": "Quan hệ Việt – Xô", "source": "x", "__line__": 7}
    with pytest.raises(BuildError, match=r"text.yml:7: title.short .* not the title's"):
        works.short_title(Text(THESIS.id, THESIS.dir, meta))


def test_the_records_note_reads_in_english_too():
    note = works.bibtex(THESIS, "https://example.org/x")
    assert "— English: Title in square brackets supplied by the editor" in note
    assert "cited without a year (n.d.)" in note and "version " + works.edition()["version"] in note
    assert "year = " not in note and "urldate = {" in note and "language = {vi}" in note
