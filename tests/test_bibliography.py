"""bibliography.bib: validation on the real file and on small bad files; CSL formatting; exports."""

import bibtexparser
import pytest

from edition import paths
from edition.enrich import bibliography as bib
from edition.errors import BuildError
from tests.helpers import expected

EXPECTED = expected()
TEXTS = list(EXPECTED["texts"])


def test_real_bibliography_loads():
    entries = bib.entries()
    assert len(entries) == EXPECTED["bibliography_entries"]
    assert set(TEXTS) <= set(entries)
    thesis = [e for k, e in entries.items() if k.startswith("luanan-ref-")]
    assert len(thesis) == EXPECTED["thesis_references"]["numbers"]
    assert sum(e.identified == "yes" for e in thesis) == EXPECTED["thesis_references"]["identified"]
    for e in thesis:
        if e.identified == "no":
            assert "Không xác định được trong bản nguồn" in e.get("note") and not e.get("title")
        else:
            assert e.get("x-evidence") and "000_e1f2f0e4f1247df1.txt:" in e.get("x-evidence-line")


def test_supplied_and_not_stated_fields_are_marked():
    thesis = bib.entry("luan-an-1975-1991")
    assert thesis.get("x-supplied") == "title" and "author" in thesis.get("x-not-stated")
    assert "CC BY-NC 4.0" in bib.entry("achievements-1975-1991").get("note")
    assert bib.entry("hoptac-fn-16").get("x-date-as-printed") == "30/01/20224"


def test_works_cited_by_several_texts():
    assert bib.cited_by("luanan-ref-123") == [
        ("luan-an-1975-1991", "123"), ("luan-an-1975-1991", "Phụ lục 10"), ("achievements-1975-1991", "5")]
    assert bib.cited_by("hoptac-fn-06") == [("hop-tac-quoc-phong-2012-2024", "6"), ("hop-tac-quoc-phong-2012-2024", "7")]
    with pytest.raises(BuildError):
        bib.cited_by("no-such-key")


def test_thesis_reconstruction_quotes_the_witness():
    e = bib.entry("luanan-ref-099")
    assert (e.get("author"), e.get("year"), e.get("title")) == ("{Lưu Văn Lợi}", "1998", "Năm mươi năm ngoại giao Việt Nam")
    assert e.get("x-evidence") == "Lưu Văn Lợi (1998), Năm mươi năm ngoại giao Việt Nam [99]"
    assert e.get("x-evidence-line") == "000_e1f2f0e4f1247df1.txt:325"


@pytest.mark.parametrize("style, expected", [
    ("apa", "Lưu Văn Lợi. (1998). <i>Năm mươi năm ngoại giao Việt Nam</i>."),
    ("chicago", "Lưu Văn Lợi. 1998. <i>Năm mươi năm ngoại giao Việt Nam</i>."),
    ("vn-thesis", "Lưu Văn Lợi (1998), <i>Năm mươi năm ngoại giao Việt Nam</i>."),
])
def test_format_book(style, expected):
    assert bib.format_reference("luanan-ref-099", style) == expected


def test_format_article_and_unidentified():
    assert bib.format_reference("hoptac-fn-11", "vn-thesis") == (
        "Nguyễn Huy Hiệu (2016), “Hợp tác khoa học kỹ thuật quân sự và công nghiệp quốc phòng Việt Nam - Liên bang Nga, "
        "thực tiễn và giải pháp cho Việt Nam”, <i>Tạp chí Nghiên cứu châu Âu</i>, số 3, tr. 70–77.")
    assert "Guarascio, F., &amp; Vu, K. (2022" in bib.format_reference("hoptac-fn-17", "apa")
    assert bib.format_reference("luanan-ref-013", "apa").startswith("[Tài liệu tham khảo số 13 của luận án.")
    with pytest.raises(BuildError):
        bib.format_reference("luanan-ref-099", "mla")


def test_every_entry_formats():
    styles = list(bib.STYLES)
    for i, key in enumerate(bib.entries()):  # each style on a third of the entries keeps the test fast
        assert bib.format_reference(key, styles[i % 3]).strip()


def test_csljson_names():
    item = bib.csljson_for("hoptac-fn-17")
    assert item["author"] == [{"family": "Guarascio", "given": "Francesco"}, {"family": "Vu", "given": "Khanh"}]
    assert item["issued"] == {"date-parts": [[2022, 12, 7]]} and item["type"] == "webpage"
    assert bib.csljson_for("luanan-ref-038")["author"] == [
        {"literal": "Bogaturov Alesksey Demosfenovich"}, {"literal": "Averkov Viktor Viktorovich"}]


def test_bibtex_export_strips_editorial_fields():
    text = bib.bibtex_for("luanan-ref-010")
    assert "x-" not in text and "editor = {{Nguyễn Đình Bin}}" in text
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks and lib.entries[0].key == "luanan-ref-010"


def test_ris_export():
    ris = bib.ris_for("hoptac-fn-11").splitlines()
    assert ris[0] == "TY  - JOUR" and ris[-1] == "ER  - "
    assert {"AU  - Nguyễn Huy Hiệu", "PY  - 2016", "SP  - 70", "EP  - 77", "IS  - 3"} <= set(ris)


# --- bad inputs -------------------------------------------------------------------------------

GOOD = """@book{a,
  author = {{Lưu Văn Lợi}},
  title = {Năm mươi năm ngoại giao Việt Nam},
  year = {1998},
  x-not-stated = {publisher},
  x-evidence = {Lưu Văn Lợi (1998), Năm mươi năm ngoại giao Việt Nam [99]},
  x-evidence-line = {000_e1f2f0e4f1247df1.txt:325},
  x-cited-by = {luan-an-1975-1991:99},
}
"""


def load(tmp_path, text):
    path = tmp_path / "bibliography.bib"
    path.write_text(text, encoding="utf-8")
    return bib.load(path)


def test_small_good_file(tmp_path):
    assert list(load(tmp_path, GOOD)) == ["a"]


def test_html_is_escaped(tmp_path, monkeypatch):
    entries = load(tmp_path, GOOD.replace("x-not-stated = {publisher},", "publisher = {A <b>&</b> B},"))
    monkeypatch.setattr(bib, "entries", lambda: entries)
    bib.format_reference.cache_clear()
    assert "A &lt;b&gt;&amp;&lt;/b&gt; B" in bib.format_reference("a", "apa")
    bib.format_reference.cache_clear()


@pytest.mark.parametrize("change, line, message", [
    (lambda s: s + "\n@misc{b,\n  title = {x\n", 11, "unparseable BibTeX"),
    (lambda s: s + "\n" + s.replace("luan-an-1975-1991:99", "luan-an-1975-1991:98"), 11, "duplicate key 'a'"),
    (lambda s: s.replace("  x-not-stated = {publisher},\n", ""), 1, "requires publisher"),
    (lambda s: s.replace("year = {1998}", "year = {1998},\n  x-identified = {maybe}"), 1, "x-identified"),
    (lambda s: s.replace("[99]", "[100]"), 1, "x-evidence not found"),
    (lambda s: s.replace(".txt:325", ".txt:99999"), 1, "past the end"),
    (lambda s: s.replace("luan-an-1975-1991:99", "no-such-text:99"), 1, "names no corpus text"),
    (lambda s: s + "\n" + s.replace("{a,", "{b,").replace(":99}", ":98}"), 11, "same work as a"),
    (lambda s: s + "\n" + s.replace("{a,", "{b,").replace("title = {Năm", "title = {Sáu"), 11, "already cited as a"),
    (lambda s: s.replace("@book", "@thing"), 1, "entry type @thing"),
])
def test_bad_files_name_file_and_line(tmp_path, change, line, message):
    with pytest.raises(BuildError) as err:
        load(tmp_path, change(GOOD))
    assert err.value.line == line and err.value.path.endswith("bibliography.bib")
    assert message in err.value.message


def test_unidentified_entry_needs_its_note(tmp_path):
    with pytest.raises(BuildError, match="needs a note"):
        load(tmp_path, "@misc{z,\n  x-identified = {no},\n  x-cited-by = {luan-an-1975-1991:3},\n}\n")


def test_bib_path_is_the_projects():
    assert paths.BIBLIOGRAPHY.name == "bibliography.bib" and paths.BIBLIOGRAPHY.exists()


def test_entry_without_author_prints_its_title_once():
    # citeproc-py 0.11 repeated the substituted title (see bibliography._repress_macro_variables)
    title = "Quan hệ giữa Việt Nam và Liên bang Nga từ sau chiến tranh lạnh đến nay"
    for style in ("apa", "chicago", "vn-thesis"):
        out = bib.format_reference("luanan-ref-083", style)
        assert out.count(title) == 1 and "Viện Quan hệ quốc tế" in out
