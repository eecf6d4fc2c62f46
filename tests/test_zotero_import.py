"""The built pages read as Zotero's "Embedded Metadata" translator reads them (zotero/translators,
Embedded Metadata.js with RDF.js for the Dublin Core part), asserting per text what a reference manager
imports: item type, title (brackets where supplied), creators' family/given, date or none, abstract,
rights, URL; and the bibliography page's entries as COinS, importable one by one.

The translator's order is mirrored: Highwire ``citation_*`` first (its item type wins when it names one),
then the RDF import of DC/PRISM tags (item type from prism:aggregationtype, then dc:type, then the Highwire
guess), then the low-quality fallbacks (the page's ``description`` as abstract, the page URL).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from browser.edition_sites import real_site
from edition.enrich import bibliography as bib
from edition.model.corpus import load_corpus
from edition.render import works
from tests.helpers import expected

HW_TYPES = {"citation_journal_title": "journalArticle", "citation_technical_report_institution": "report",
            "citation_conference_title": "conferencePaper", "citation_conference": "conferencePaper",
            "citation_book_title": "bookSection", "citation_inbook_title": "bookSection",
            "citation_dissertation_institution": "thesis"}
RDF_PREFIXES = {"dc", "dcterms", "prism", "og", "bib", "bibo", "eprints"}  # of the translator's _prefixes
PRISM = {"journal": "journalArticle", "magazine": "magazineArticle", "newsletter": "newspaperArticle"}
DC_TYPES = {"book": "book", "thesis": "thesis", "report": "report", "article": "journalArticle",
            "journalarticle": "journalArticle", "text": None}  # "text": only a guess (journalArticle)


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.canonical = None
        self.spans: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or a.get("property")) and a.get("content"):
            self.meta.append((a.get("name") or a.get("property"), a["content"]))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        elif tag == "span" and a.get("class") == "Z3988":
            self.spans.append(a.get("title") or "")


def _first(meta, name):
    return next((v for n, v in meta if n == name), None)


def _clean_author(name: str) -> dict:
    """ZU.cleanAuthor(name, "author", useComma = "," in name)."""
    if "," in name:
        last, first = (p.strip() for p in name.split(",", 1))
    else:
        first, _, last = name.strip().rpartition(" ")
    return {"lastName": last, "firstName": first}


def embedded_metadata(path: Path, page_url: str) -> dict:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    meta = head.meta
    hw_type = guess = None
    rdf: dict[str, list[str]] = {}
    for name, value in meta:
        parts = name.replace(":", ".").replace("_", ".").split(".")
        if parts[0].lower() in RDF_PREFIXES and len(parts) > 1:
            prop = name[len(parts[0]) + 1:]
            rdf.setdefault(f"{parts[0].lower()}:{prop[0].lower()}{prop[1:]}", []).append(value)
            continue
        short = name[name.rfind("citation_"):] if "citation_" in name else name
        hw_type = HW_TYPES.get(short, hw_type)
        if short in ("citation_title", "citation_series_title"):
            guess = guess or "journalArticle"
    item_type = hw_type
    if not item_type:
        prism = PRISM.get((rdf.get("prism:aggregationtype") or [""])[0])
        dc_type = (rdf.get("dc:type") or [""])[0].lower().replace(" ", "")
        item_type = prism or DC_TYPES.get(dc_type) or guess or ("webpage" if rdf else None)
    authors = [v for n, v in meta if n.endswith("citation_author")]
    if len(authors) == 1 and len(authors[0].split(";")) == 1:
        by_comma = [p.strip() for p in authors[0].split(",")]
        if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
            authors = by_comma  # the translator's "several authors in one tag" rule
    authors = [a.strip() for tag in authors for a in tag.split(";") if a.strip()]
    date = _first(meta, "citation_publication_date") or _first(meta, "citation_date") or (rdf.get("dc:date") or [None])[0]
    return {
        "itemType": item_type,
        "title": _first(meta, "citation_title") or (rdf.get("dc:title") or [None])[0],
        "creators": [_clean_author(a) for a in authors],
        "date": date,
        "abstractNote": _first(meta, "citation_abstract") or (rdf.get("dc:description") or [None])[0]
        or _first(meta, "description"),
        "rights": (rdf.get("dc:rights") or [None])[0],
        "language": _first(meta, "citation_language"),
        "url": _first(meta, "citation_public_url") or head.canonical or page_url,
        "pages": _first(meta, "citation_firstpage"),
        "coins": head.spans,
    }


@pytest.fixture(scope="module")
def site() -> Path:
    return real_site()


TEXTS = {t.id: t for t in load_corpus()}
EXPECTED = {  # text id -> (item type, creators as (family, given))
    "luan-an-1975-1991": ("thesis", []),
    "viet-xo-nga-70-nam": ("magazineArticle", []),
    "khang-chien-chong-phap": ("journalArticle", []),
    "achievements-1975-1991": ("journalArticle", [("Nguyen", "Thi Phuc")]),
    "hop-tac-quoc-phong-2012-2024": ("journalArticle", [("Trần", "Ngọc Dũng"), ("Đàm", "Thị Thảo")]),
}


@pytest.mark.parametrize("text_id", list(EXPECTED))
def test_each_text_imports_right_from_every_page(site, text_id):
    text = TEXTS[text_id]
    item_type, creators = EXPECTED[text_id]
    for page in ["index.html"] + [f"{ch.stem}.html" for ch in text.chapters]:
        item = embedded_metadata(site / text_id / page, f"http://127.0.0.1:9/{text_id}/{page}")
        assert item["itemType"] == item_type, page  # a thesis chapter is the thesis, never a book section
        assert item["title"] == works.cite_title(text)
        assert item["title"].startswith("[") == works.supplied_title(text)
        assert [(c["lastName"], c["firstName"]) for c in item["creators"]] == creators
        assert item["date"] is None  # no text prints a year of publication (text.yml year.decision)
        printed = works.abstract(text)
        if printed:
            assert item["abstractNote"] == printed
        else:  # the page's own description, which says that the source prints no abstract
            assert item["abstractNote"].endswith("Nguồn không in tóm tắt.")
            assert works.title(text) in item["abstractNote"]
        assert item["rights"] == text.meta["rights"]
        assert item["language"] == text.meta["language"]
        assert item["url"].endswith(f"{text_id}/{page}")  # the page itself (no SITE_URL in this build)


def test_the_sentence_case_title_is_cited_and_the_printed_one_shown(site):
    page = (site / "hop-tac-quoc-phong-2012-2024" / "01-toan-van.html").read_text(encoding="utf-8")
    assert 'name="citation_title" content="Quan hệ hợp tác quốc phòng Việt Nam - Liên bang Nga từ khi' in page
    assert "QUAN HỆ HỢP TÁC QUỐC PHÒNG VIỆT NAM - LIÊN BANG NGA" in page  # the heading as printed


def test_every_bibliography_entry_is_importable_one_by_one(site):
    item = embedded_metadata(site / "thu-muc" / "index.html", "http://127.0.0.1:9/thu-muc/index.html")
    spans = [parse_qs(s) for s in item["coins"]]
    assert len(spans) == len(bib.entries()) == expected()["bibliography_entries"]
    for kev in spans:
        assert kev["ctx_ver"] == ["Z39.88-2004"]
        assert kev["rft_val_fmt"][0].startswith("info:ofi/fmt:kev:mtx:")
    thesis = next(k for k in spans if k.get("rft.title") == [works.cite_title(TEXTS["luan-an-1975-1991"])])
    assert thesis["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:dissertation"]
    hoptac = next(k for k in spans if k.get("rft.atitle", [""])[0].startswith("Quan hệ hợp tác quốc phòng"))
    assert hoptac["rft.aulast"] == ["Trần", "Đàm"] and hoptac["rft.aufirst"] == ["Ngọc Dũng", "Thị Thảo"]
