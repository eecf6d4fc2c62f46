"""Appendix tables: fidelity to the witness, typing, arithmetic notes, the Data Package, pages and bad input."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest

from edition.enrich import tables as T
from edition.errors import BuildError
from edition.model.corpus import load_corpus
from edition.render.tables import write_pages
from tests.helpers import expected

TABLES = T.load_tables()
BY_NUMBER = {t.number: t for t in TABLES}

# rows × columns of each reconstructed table (columns as in the CSV)
SHAPES = {1: (7, 5), 2: (19, 5), 3: (8, 5), 4: (3, 7), 5: (3, 7), 6: (8, 9), 7: (5, 10), 8: (9, 7), 9: (8, 7),
          10: (3, 3), 11: (5, 4)}


def test_all_eleven_tables_load_with_their_shapes():
    assert {t.number: (len(t.rows), len(t.columns)) for t in TABLES} == SHAPES


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.id)
def test_nothing_invented_nothing_lost(table):
    invented, unaccounted = T.number_audit(table)
    assert not invented, f"numbers in the CSV but not in the witness block: {dict(invented)}"
    assert not unaccounted, f"numbers printed in the block but in neither CSV nor metadata: {dict(unaccounted)}"


def test_audit_catches_an_invented_and_a_dropped_number():
    table = BY_NUMBER[11]
    original = table.rows
    try:
        table.rows = [dict(r) for r in original]
        table.rows[0]["xuat_khau"] = T.Cell("286", Decimal("286"))
        invented, unaccounted = T.number_audit(table)
        assert invented == Counter({"286": 1}) and unaccounted == Counter({"285": 1})
        table.rows = original[1:]
        invented, unaccounted = T.number_audit(table)
        assert not invented and unaccounted == Counter({"1986": 1, "285": 1, "1100": 1, "1": 1, "3.96": 1})
    finally:
        table.rows = original


@pytest.mark.parametrize(
    "text, expected",
    [("3.148", ["3148"]), ("14,2", ["14.2"]), ("56,0", ["56.0"]), (" -4,1", ["-4.1"]), ("tr.1-2", ["1", "2"]),
     ("1986- 1990", ["1986", "1990"]), ("Nghìn m2 681", ["681"]), ("1/3,96", ["1", "3.96"]), ("(250)", ["250"])],
)
def test_printed_numbers_reads_vietnamese_notation(text, expected):
    assert T.printed_numbers(text) == Counter(expected)


def test_numbers_are_typed_and_empty_cells_stay_empty():
    p2 = BY_NUMBER[2]
    assert p2.row("Than")["ky_1986_1990"].value is None  # blank in print, not 0
    assert p2.row("Tinh dầu")["ky_1981_1985"].value == Decimal(338)
    assert p2.row("Tinh dầu")["ky_1976_1980"].value is None
    assert BY_NUMBER[4].rows[0]["ky_1976_1980_tri_gia"].value == Decimal("14.2")
    assert BY_NUMBER[10].row("Nghiên cứu sinh")["so_luong"].value == 3148
    assert BY_NUMBER[11].row("1986")["ty_le"].value == "1/3,96"  # ratio as printed
    p6 = BY_NUMBER[6].row("Thu nhập quốc dân")
    assert p6["nam_1965"].value is None and p6["nam_1970"].value == Decimal("289.9")
    assert p6["muc_nam_80"].value == "449-462"  # range as printed
    assert BY_NUMBER[6].row("Tổng vốn đầu tư")["nam_1965"].raw == "56.0"  # printed precision kept
    p7 = BY_NUMBER[7]
    assert [p7.row("Nhóm A")[f"nam_{y}"].value for y in (1971, 1972)] == [Decimal("7.8"), Decimal("6.8")]
    assert p7.row("Sản xuất nông nghiệp")["nam_1975"].value == Decimal("-5.4")
    p9 = BY_NUMBER[9].row("Thực tập sinh 2 năm (trong đó: TTB cao cấp")
    assert (p9["so_suat_hoc_bong"].value, p9["so_suat_hoc_bong_trong_ngoac"].value) == (500, 250)


def test_every_layout_decision_is_argued_from_the_text_or_says_the_text_is_silent():
    for table in TABLES:
        assert table.meta["decisions"], table.id
        for decision in table.meta["decisions"]:
            silent = "không được nêu trong nguồn" in decision["decision"] or "bố cục" in decision["decision"]
            assert decision["evidence"] or silent, (table.id, decision["cells"])


EXPECTED_DISCREPANCIES = {
    ("phu-luc-04", "Hàng thủ công nghiệp và công nghiệp nhẹ", "ky_1976_1980_ty_trong", "76,5", "78,5"),
    ("phu-luc-04", None, "ky_1976_1980_ty_trong", "98,0", "100"),
    ("phu-luc-04", "Hàng công nghiệp nặng và khoáng sản", "ky_1980_1985_ty_trong", "2,8", "2,1"),
    ("phu-luc-04", "Nông lâm sản", "ky_1980_1985_ty_trong", "25", "18"),
    ("phu-luc-04", "Hàng thủ công nghiệp và công nghiệp nhẹ", "ky_1980_1985_ty_trong", "72", "80"),
    ("phu-luc-04", None, "ky_1980_1985_ty_trong", "99,8", "100"),
    ("phu-luc-04", None, "ky_1986_1990_ty_trong", "100,4", "100"),
    ("phu-luc-05", "Thiết bị máy móc lẻ", "ky_1976_1980_ty_trong", "2,1", "1,3"),
    ("phu-luc-05", "Nguyên nhiên vật liệu", "ky_1976_1980_ty_trong", "38", "53"),
    ("phu-luc-05", "Hàng tiêu dùng", "ky_1976_1980_ty_trong", "33", "46"),
    ("phu-luc-05", None, "ky_1976_1980_ty_trong", "73,1", "100"),
    ("phu-luc-08", "Đào tạo nghiên cứu sinh", "tong_so", "593", "573"),
    ("phu-luc-09", "Tổng số", "chi_tieu_1981_1985", "7375", "7550"),
    ("phu-luc-09", "Tổng số", "binh_quan_moi_nam", "1510", "1475"),
    ("phu-luc-09", "Thực tập sinh 2 năm (trong đó: TTB cao cấp", "binh_quan_moi_nam_trong_ngoac", "50", "40"),
    ("phu-luc-11", "1986", "ty_le", "1/3,96", "1/3,86"),
    ("phu-luc-11", "1989", "ty_le", "1/2,0", "1/1,8"),
    ("phu-luc-11", "1990", "ty_le", "1/1,25", "1/1,12"),
}


def test_arithmetic_notes_name_both_numbers_and_leave_print_alone():
    found = {(t.id, d.row, d.column, d.printed, d.computed) for t in TABLES for d in t.discrepancies}
    assert found == EXPECTED_DISCREPANCIES
    for table in TABLES:
        for d in table.discrepancies:
            assert d.printed in d.message and d.computed in d.message
    # the printed figures are untouched by the checks
    assert BY_NUMBER[8].row("Đào tạo nghiên cứu sinh")["tong_so"].value == 593


def test_datapackage_is_current_and_valid():
    committed = json.loads(T.DATAPACKAGE_FILE.read_text(encoding="utf-8"))
    assert committed == T.datapackage(TABLES), "run: python -m edition.enrich.tables"
    report = frictionless.validate(str(T.DATAPACKAGE_FILE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(T.DATAPACKAGE_FILE))
    rows = package.get_resource("phu-luc-10").read_rows()
    assert [r["so_luong"] for r in rows] == [3148, 4679, 20662]
    p2 = package.get_resource("phu-luc-02").read_rows()
    assert p2[0]["ky_1986_1990"] is None


# ---------------------------------------------------------------- pages


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    return out, write_pages(out, load_corpus())


def test_write_pages_returns_the_nav_and_writes_every_page(site):
    out, nav = site
    [(title, entries)] = nav[0].items()
    assert title == "Phụ lục (bảng số liệu)" and entries[0] == "phu-luc/index.md"
    assert [list(e.values())[0] for e in entries[1:]] == [f"phu-luc/phu-luc-{n:02d}.md" for n in range(1, 12)]
    for entry in entries[1:]:
        assert (out / list(entry.values())[0]).exists()
    index = (out / "phu-luc" / "index.md").read_text(encoding="utf-8")
    assert "(../luan-an-1975-1991/08-phu-luc-12.md)" in index
    for t in TABLES:
        assert (out / "phu-luc" / "data" / t.csv_path.name).read_bytes() == t.csv_path.read_bytes()
    assert (out / "phu-luc" / "data" / "datapackage.json").exists()


@pytest.mark.parametrize("number", range(1, 12))
def test_page_is_an_accessible_table_with_source_and_notes(site, number):
    out, _ = site
    table = BY_NUMBER[number]
    page = (out / "phu-luc" / f"{table.id}.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: ")
    for heading in re.findall(r"^#+ .*$", page, flags=re.M):
        assert re.search(r"\{#[a-z0-9-]+\}$", heading), heading
    assert f"<caption>Phụ lục {number}. " in page
    assert page.count('<th scope="row">') == len(table.rows)
    assert '<th scope="col"' in page
    assert f"(data/{table.csv_path.name})" in page
    assert "Nguồn: " in page
    for d in table.discrepancies:
        assert d.message.replace("“", "").split(":")[0].replace("”", "") in page.replace("“", "").replace("”", "")


def test_multilevel_header_and_empty_cells(site):
    out, _ = site
    p1 = (out / "phu-luc" / "phu-luc-01.md").read_text(encoding="utf-8")
    assert '<th scope="col" rowspan="2">Thời kỳ</th><th scope="colgroup" colspan="2">Xuất khẩu</th>' in p1
    p2 = (out / "phu-luc" / "phu-luc-02.md").read_text(encoding="utf-8")
    assert ('<th scope="row">Than</th><td>Nghìn tấn</td><td class="num">369</td>'
            '<td class="num">322</td><td class="num"></td>') in p2
    p9 = (out / "phu-luc" / "phu-luc-09.md").read_text(encoding="utf-8")
    assert "125<br>(50 cao cấp)" in p9 and "500<br>(250)" in p9
    p10 = (out / "phu-luc" / "phu-luc-10.md").read_text(encoding="utf-8")
    assert ">20.662<" in p10  # thousands dot as printed


@pytest.mark.parametrize("number", [1, 7, 8, 11])
def test_charts_are_local_svg_with_a_text_alternative(site, number):
    out, _ = site
    table = BY_NUMBER[number]
    svg_text = (out / "phu-luc" / f"{table.id}.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg_text)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text and root.get("role") == "img"
    desc = root.find(f"{ns}desc").text
    assert "<script" not in svg_text and svg_text.count("http") == 1  # only the xmlns
    chart = table.meta["chart"]
    columns = chart.get("series") or chart["x_columns"]
    rows = [table.row(r) for r in chart["series_rows"]] if "series_rows" in chart else table.rows
    for row in rows:
        for name in columns:
            if row[name].value is not None:
                assert T.fmt_vi(row[name].raw) in desc
    page = (out / "phu-luc" / f"{table.id}.md").read_text(encoding="utf-8")
    assert f"]({table.id}.svg)" in page and "Mô tả biểu đồ bằng lời" in page


# ---------------------------------------------------------------- bad input


@pytest.fixture
def data_copy(tmp_path):
    for path in [*T.TABLES_DIR.glob("phu-luc-*"), T.UNITS_FILE]:  # the units are read beside the tables
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(directory: Path) -> BuildError:
    with pytest.raises(BuildError) as info:
        T.load_tables(directory)
    assert "\n" not in str(info.value)
    return info.value


def test_the_copy_loads(data_copy):
    assert len(T.load_tables(data_copy)) == expected()["appendix_tables"]


def test_wrong_column_count_names_file_line_and_column(data_copy):
    _edit(data_copy / "phu-luc-11.csv", "1988,380,1330", "1988,380")
    err = _error(data_copy)
    assert err.path.endswith("phu-luc-11.csv") and err.line == 4
    assert err.message == "column ty_le: expected 4 columns, got 3"
    _edit(data_copy / "phu-luc-11.csv", "1988,380,", "1988,380,1330,9,")
    assert _error(data_copy).message == "column 5 (none defined): expected 4 columns, got 5"


def test_non_number_in_numeric_column(data_copy):
    _edit(data_copy / "phu-luc-04.csv", "Nông lâm sản,132,19.4", "Nông lâm sản,132,19,4")
    err = _error(data_copy)
    assert err.line == 3
    _edit(data_copy / "phu-luc-04.csv", "Nông lâm sản,132,19,4", "Nông lâm sản,132,\"19,4\"")
    err = _error(data_copy)
    assert err.line == 3 and "column ky_1976_1980_ty_trong" in err.message and "'19,4'" in err.message


def test_thousands_separator_is_not_a_number(data_copy):
    _edit(data_copy / "phu-luc-10.csv", "3148", "3.148")
    err = _error(data_copy)
    assert err.line == 2 and "column so_luong" in err.message


def test_unknown_unit_in_a_unit_column(data_copy):
    _edit(data_copy / "phu-luc-03.csv", "Ô tô tải,Nghìn chiếc", "Ô tô tải,Nghìn xe")
    err = _error(data_copy)
    assert err.line == 6 and "column don_vi_tinh: unknown unit 'Nghìn xe'" in err.message


def test_unknown_unit_code_in_metadata(data_copy):
    _edit(data_copy / "phu-luc-11.yml", "unit: trieu-rup, header: [Xuất khẩu]", "unit: trieu-usd, header: [Xuất khẩu]")
    err = _error(data_copy)
    assert err.path.endswith("phu-luc-11.yml") and err.line == 10 and "trieu-usd" in err.message


def test_metadata_schema_error_points_at_its_line(data_copy):
    _edit(data_copy / "phu-luc-08.yml", "{kind: row_sum, total: tong_so,", "{kind: row_total, total: tong_so,")
    err = _error(data_copy)
    assert err.path.endswith("phu-luc-08.yml") and err.line == 38 and err.message.startswith("checks/0/kind: 'row_total' is not one of")


def test_quote_not_in_the_witness_stops_the_build(data_copy):
    _edit(data_copy / "phu-luc-02.yml", "than đạt 322 nghìn tấn", "than đạt 332 nghìn tấn")
    err = _error(data_copy)
    assert "evidence: quote not at witness line 3862" in err.message and err.line


def test_title_not_printed_stops_the_build(data_copy):
    _edit(data_copy / "phu-luc-01.yml", "title: Kim ngạch xuất nhập khẩu", "title: Kim ngạch ngoại thương")
    assert "title: not printed in the witness block" in _error(data_copy).message


def test_csv_without_metadata_is_an_error(data_copy):
    shutil.copy(data_copy / "phu-luc-11.csv", data_copy / "phu-luc-13.csv")
    assert "no metadata file" in _error(data_copy).message


def test_header_must_match_the_metadata(data_copy):
    _edit(data_copy / "phu-luc-11.csv", "nam,xuat_khau", "year,xuat_khau")
    err = _error(data_copy)
    assert err.line == 1 and "header must be" in err.message


def test_source_note_is_linked_to_its_bibliography_entry(data_copy, site):
    assert {t.meta["source"]["bib_key"] for t in TABLES} == {
        "luanan-pl-hoso-476", "luanan-ref-033", "luanan-pl-hoso-12084", "luanan-ref-123", "luanan-pl-hoso-18118"}
    page = (site[0] / "phu-luc" / "phu-luc-08.md").read_text(encoding="utf-8")
    assert "*Thư mục:* [Trung tâm Lưu trữ quốc gia III (1985)" in page and "(../thu-muc/index.md#luanan-pl-hoso-12084)" in page
    _edit(data_copy / "phu-luc-08.yml", "bib_key: luanan-pl-hoso-12084", "bib_key: luanan-pl-hoso-99999")
    err = _error(data_copy)
    assert err.line == 17 and "unknown bibliography key 'luanan-pl-hoso-99999'" in err.message


def test_rows_named_by_metadata_must_exist(data_copy):
    _edit(data_copy / "phu-luc-08.yml", "series_rows: [Đào tạo đại học,", "series_rows: [Đào tạo cao học,")
    assert "chart: no row 'Đào tạo cao học'" in _error(data_copy).message


def test_ratio_not_as_expected_names_its_cell(data_copy):
    _edit(data_copy / "phu-luc-11.csv", '"1/3,5"', '"3,5"')
    err = _error(data_copy)
    assert err.line == 4 and err.message.startswith("column ty_le: ratio '3,5'")


def test_duplicate_row_label(data_copy):
    _edit(data_copy / "phu-luc-11.csv", "1987,293", "1986,293")
    err = _error(data_copy)
    assert err.line == 3 and "duplicate row label '1986'" in err.message


def test_checks_and_charts_need_numeric_columns(data_copy):
    _edit(data_copy / "phu-luc-11.yml", "series: [xuat_khau, nhap_khau]", "series: [xuat_khau, ty_le]")
    assert "chart: must name a numeric column: ty_le" in _error(data_copy).message
