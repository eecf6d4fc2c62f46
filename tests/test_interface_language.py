"""The reader's interface speaks Vietnamese with one term per concept (docs/thuat-ngu.md), and the footer
shows the edition's own metadata from data/edition.yml."""

from __future__ import annotations

import html
import re

import pytest

from browser.edition_sites import real_site
from edition.errors import BuildError
from edition.paths import DOCS, ROOT
from edition.render import run

GLOSSARY = DOCS / "thuat-ngu.md"
# Interface wording the issue found and removed; never to come back.
RETIRED = ["Made with", "Article:", "Trở lại mục lục", "(witness)", "Rights belong", "running head", "«", "»"]


def _glossary_rejects() -> dict[str, list[str]]:
    """Term → the words the glossary says not to use for it (its third column; the fourth is the English term)."""
    out = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("**"):
            out[cells[0]] = [w.strip() for w in re.sub(r"\(.*?\)", "", cells[2]).split(",") if w.strip()]
    return out


def _visible_text(page) -> str:
    source = page.read_text(encoding="utf-8")
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", source))


@pytest.fixture(scope="module")
def pages():
    site = real_site()
    return {p.relative_to(site).as_posix(): _visible_text(p) for p in site.rglob("*.html")  # the Vietnamese interface
            if p.name != "thuat-ngu.html" and p.relative_to(site).parts[0] not in ("pagefind", "en")}


def test_the_glossary_names_the_witness_bản_nguồn():
    rejects = _glossary_rejects()
    assert "bản chứng" in rejects["**bản nguồn**"] and "witness" in rejects["**bản nguồn**"]


def test_the_interface_uses_one_term_for_the_witness(pages):
    for path, text in pages.items():
        for word in ("bản chứng", "nhân chứng"):  # Vietnamese rivals of "bản nguồn" (not in the sources)
            assert word not in text.lower(), f"{path}: {word!r}"
    assert sum("bản nguồn" in text for text in pages.values()) >= 10


def test_retired_english_and_wrong_labels_are_gone(pages):
    for path, text in pages.items():
        for phrase in RETIRED:
            assert phrase not in text, f"{path}: {phrase!r}"


def test_specialist_details_are_out_of_the_readers_path(pages):
    """SHA-256 and file names appear only in the 'Dành cho chuyên gia' part of a page."""
    for path, text in pages.items():
        if "SHA-256" in text and not path.endswith("thay-doi.html"):
            assert text.index("Dành cho chuyên gia") < text.index("SHA-256"), path


# Names only the repository knows: a witness's file name, a path of the corpus or of the data.
INTERNAL = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|corpus/|data/[a-z]|\btext\.yml")
# Where specialists are told about the repository (a page's own part for them).
FOR_SPECIALISTS = ("Dành cho chuyên gia", "dành cho người nghiên cứu chuyên sâu")


def test_readers_see_labels_where_internal_names_were(pages):
    """A witness file name or a repository path appears only in a part of a page meant for specialists, and
    there behind the reader's label of what it names (issue 24): the witness page, the change log."""
    for path, text in pages.items():
        for m in INTERNAL.finditer(text):
            before = text[:m.start()]
            assert any(label in before for label in FOR_SPECIALISTS), f"{path}: {text[m.start() - 60:m.end()]!r}"
    for text_id in ("luan-an-1975-1991", "viet-xo-nga-70-nam"):
        landing = pages[f"{text_id}/index.html"]
        part = " ".join(landing[landing.index("Dành cho chuyên gia"):].split())
        assert re.search(r"Bản nguồn Bản nguồn \(bản trích văn bản từ PDF\) · tên tệp: \d{3}_[0-9a-f]{16}\.txt", part)
        assert "Nhật ký thay đổi Nhật ký thay đổi · nhật ký dạng dữ liệu máy đọc được (YAML)" in part
        witness = pages[f"{text_id}/ban-nguon.html"]
        assert "Bản nguồn (bản trích văn bản từ PDF)" in witness and not INTERNAL.search(witness)


def test_the_specialists_labels_lead_to_the_witness_page_and_the_log_as_data():
    import lxml.html

    site = real_site()
    for text_id in ("achievements-1975-1991", "luan-an-1975-1991"):
        page = lxml.html.parse(str(site / text_id / "index.html")).getroot()
        cells = page.get_element_by_id("chuyen-gia").getnext().xpath(".//td")
        links = {a.text_content(): a.get("href") for td in cells for a in td.xpath(".//a")}
        assert links["Bản nguồn (bản trích văn bản từ PDF)"] == "ban-nguon.html"
        assert links["nhật ký dạng dữ liệu máy đọc được (YAML)"] == "thay-doi.yml"
        data = (site / text_id / "thay-doi.yml").read_text(encoding="utf-8")
        assert data == (ROOT / "corpus" / text_id / "changelog.yml").read_text(encoding="utf-8")


def test_footer_shows_the_edition_metadata(pages):
    meta = run.edition_footer()
    footer = pages["luan-an-1975-1991/03-chuong-2.html"]
    footer = footer[footer.rindex("Sau") if "Sau" in footer else 0:]
    for value in (meta["title"], meta["version"], meta["date"], meta["editor"], meta["licence"]["name"]):
        assert value in footer
    assert "Made with" not in footer


def test_edition_metadata_errors_name_file_and_line(tmp_path, monkeypatch):
    bad = tmp_path / "edition.yml"
    bad.write_text('title: "T"\neditor: "E"\nversion: "1"\ndate: "2026-01-02"\nlicence: "CC BY 4.0"\n',
                   encoding="utf-8")
    monkeypatch.setattr(run, "EDITION", bad)
    with pytest.raises(BuildError) as error:
        run.edition_footer()
    assert str(error.value).startswith(f"{bad}:") and "licence" in str(error.value)
    bad.write_text('title: "T"\nversion: "1"\n', encoding="utf-8")
    with pytest.raises(BuildError, match="missing field 'editor'"):
        run.edition_footer()


def test_edition_date_reads_day_month_year():
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", run.edition_footer()["date"])
