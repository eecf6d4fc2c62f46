"""Citation markers on the real witnesses, and on small bad inputs."""

import json
import subprocess
import sys
from collections import Counter

import pytest

from edition import paths
from edition.enrich import citations as c
from edition.errors import BuildError
from edition.model import features
from edition.model.witness import load_manifest
from tests.helpers import expected

THESIS, A001, A002, A003, A004 = ("luan-an-1975-1991", "viet-xo-nga-70-nam", "khang-chien-chong-phap",
                                  "achievements-1975-1991", "hop-tac-quoc-phong-2012-2024")
CONV = {tid: c.convention_of(f) for tid, f in features.load_all().items()}
WITNESS = {tid: w.file for tid, w in load_manifest().items()}


def find(text_id, paragraph, **where):
    return CONV[text_id].find_markers(paragraph, **where)


def whole(text_id, before_line=None):
    return c.witness_text(WITNESS[text_id], before_line)


def test_each_text_declares_its_convention():
    """Every text of the manifest has a convention; the texts tests/expected.yml lists have theirs."""
    assert set(CONV) == set(WITNESS)
    assert {tid: CONV[tid].name for tid in expected()["conventions"]} == expected()["conventions"]


def witness_lines(name: str, first: int, last: int) -> str:
    """A paragraph as the renderer builds it: witness lines joined by single spaces, each stripped."""
    lines = (paths.SOURCES / name).read_text(encoding="utf-8").split("\n")[first - 1:last]
    return " ".join(s.strip() for s in lines if s.strip())


@pytest.fixture(scope="module")
def report():
    return c.citation_report()


def test_thesis_markers_on_whole_witness():
    body = whole(THESIS)
    markers = find(THESIS, body)
    assert len(markers) == expected()["citations"][THESIS]["markers"]
    numbers = {int(m.cites[0].key[-3:]) for m in markers}
    assert len(numbers) == expected()["thesis_references"]["numbers"] and min(numbers) == 3 and max(numbers) == 219
    assert all(len(m.cites) == 1 for m in markers)          # the thesis never puts two numbers in one bracket
    assert all(body[m.start:m.end] == m.raw for m in markers)
    locators = Counter(m.cites[0].locator.split(".")[0].split(" ")[0] for m in markers if m.cites[0].locator)
    assert locators == {"tr": 178, "tờ": 12}
    assert sum(m.cites[0].locator is None for m in markers) == 61


def test_thesis_marker_split_across_witness_lines():
    # witness 2558 ends "… viện trợ quân sự [104, " and 2560 starts "tr.65]." (blank line between)
    para = witness_lines("000_e1f2f0e4f1247df1.txt", 2556, 2560)
    (m,) = [m for m in find(THESIS, para) if m.raw.startswith("[104")]
    assert m.raw == "[104, tr.65]" and m.cites == [c.Cite("luanan-ref-104", "tr.65")]


def test_thesis_marker_variants():
    para = "a [67, tr. 118] b [163, tờ 1,2] c [123, tr.54 ] d [216] e [123, tr.89-90]"
    got = [(m.raw, m.cites) for m in find(THESIS, para)]
    assert got == [
        ("[67, tr. 118]", [c.Cite("luanan-ref-067", "tr. 118")]),
        ("[163, tờ 1,2]", [c.Cite("luanan-ref-163", "tờ 1,2")]),
        ("[123, tr.54 ]", [c.Cite("luanan-ref-123", "tr.54")]),
        ("[216]", [c.Cite("luanan-ref-216", None)]),
        ("[123, tr.89-90]", [c.Cite("luanan-ref-123", "tr.89-90")]),
    ]
    assert find(THESIS, "[13; 15, tr.79]")[0].cites == [c.Cite("luanan-ref-013", None), c.Cite("luanan-ref-015", "tr.79")]


@pytest.mark.parametrize("text", ["trích [...] tiếp", "[sic]", "[Nhan đề do người biên tập bổ sung]", "[]", "[ ]"])
def test_editorial_brackets_are_not_citations(text):
    assert find(THESIS, text) == []
    assert find(A003, text) == []


@pytest.mark.parametrize("bad", ["[999]", "[2]", "[67, trang 5]", "[12a]", "[67, tr.]", "[67; xyz]"])
def test_bad_thesis_brackets_stop_the_build(bad):
    with pytest.raises(BuildError) as err:
        find(THESIS, f"văn bản {bad}.", path="corpus/luan-an-1975-1991/03-chuong-2.md", line=7)
    assert str(err.value).startswith("corpus/luan-an-1975-1991/03-chuong-2.md:7: ")


def test_003_markers():
    body = whole(A003)
    got = [(m.raw, m.cites[0].key, m.cites[0].locator) for m in find(A003, body)]
    assert len(got) == 9
    assert ("[6, p.1]", "achievements-ref-6", "p.1") in got
    assert ("[5, pp.89-90]", "luanan-ref-123", "pp.89-90") in got
    assert ("[5; p. 54]", "luanan-ref-123", "p. 54") in got
    assert ("[2, p.297]", "luanan-ref-010", "p.297") in got
    assert ("[7, p.55]", "luanan-ref-121", "p.55") in got
    with pytest.raises(BuildError):
        find(A003, "[8, p.1]")  # the REFERENCES list has 7 items


def test_002_author_year():
    body = whole(A002)
    markers = find(A002, body)
    keys = Counter(m.cites[0].key for m in markers)
    assert len(markers) == 35 and len(keys) == 18
    assert keys["khangchien-sradv-2019"] == 12 and keys["khangchien-nguyen-thi-hong-van-2010"] == 7
    raws = {m.raw for m in markers}
    assert {"Jenkis và Rubin (chủ biên, 2022a)", "Jenkis và Rubin (2022b)", "Phạm Xanh (1990)",
            "(SRADV., 2019)", "(Nguyễn Thị Hồng Văn, 2010)", "(Nguyễn Thị Hồng vân, 2010)"} <= raws
    assert not raws & {"(1920)", "(1945-1954)", "(tháng 7-1924)", "(1925)"}   # dates, not citations


def test_002_paragraph_with_split_citation():
    para = "đường giải phóng” cho dân tộc Việt Nam (Hồ Chí Minh, 2011a). Theo Jenkis và Rubin (chủ biên, 2022a), x"
    got = find(A002, para)
    assert [(m.raw, m.cites[0].key) for m in got] == [
        ("(Hồ Chí Minh, 2011a)", "khangchien-ho-chi-minh-2011a"),
        ("Jenkis và Rubin (chủ biên, 2022a)", "khangchien-jenkis-rubin-2022a")]
    assert para[got[1].start:got[1].end] == got[1].raw


@pytest.mark.parametrize("bad", ["(Nguyễn Văn A, 1999)", "(Hồ Chí Minh, 2011c)", "(SRADV, 2018)"])
def test_002_unknown_author_year(bad):
    with pytest.raises(BuildError):
        find(A002, f"x {bad}.")


def test_004_footnotes():
    notes = CONV[A004]
    assert notes.missing() == [21]
    assert notes.note_keys(21) == []
    assert notes.note_keys(2) == ["hoptac-fn-02a", "hoptac-fn-02b"]
    assert notes.note_keys(6) == notes.note_keys(7) == ["hoptac-fn-06"]
    assert notes.note_keys(15) == ["hoptac-fn-15"]
    assert notes.data["notes"][1]["locator"] == "tr.25"
    with pytest.raises(BuildError):
        notes.note_keys(22)
    assert CONV[THESIS].note_keys(1) == []   # only a notes convention has notes
    assert find(A004, "thế giới⁽²¹⁾ □") == []   # footnotes are the renderer's Markdown footnotes


def test_001_has_no_citations():
    body = whole(A001)
    assert find(A001, body) == []
    with pytest.raises(BuildError):
        find(A001, "x [3]")


def test_an_unknown_convention_stops_the_build_at_text_yml(tmp_path):
    path = tmp_path / "text.yml"
    with pytest.raises(BuildError) as err:
        features.from_meta("x", {"__line__": 1, "citations": {"__line__": 7, "convention": "endnotes"}}, path)
    assert str(err.value).startswith(f"{path}:7: citations: does not fit any citation convention")
    with pytest.raises(BuildError) as err:
        features.from_meta("x", {"__line__": 3, "id": "x"}, path)
    assert str(err.value) == f"{path}:3: (top): 'citations' is a required property"


def test_report_numbers(report):
    t = report[THESIS]
    figures, refs = expected()["citations"], expected()["thesis_references"]
    for text_id, want in figures.items():
        assert {k: report[text_id][k] for k in want} == want, text_id
    assert t["unresolved"] == []
    numbered = [k for k in t["identified"] + t["not_identified"] if k.startswith("luanan-ref-")]
    assert len(numbered) == refs["numbers"]
    assert len([k for k in t["identified"] if k.startswith("luanan-ref-")]) == refs["identified"]
    assert len(t["not_identified"]) == refs["not_identified"]
    assert t["evidence"]["luanan-ref-033"].count("000_e1f2f0e4f1247df1.txt") == 5
    assert len(report[A002]["partial"]) == report[A002]["entries"]   # author-year only: every work partial
    assert report[A004]["unresolved"] == [21]
    assert report["cited_by_several_texts"] == [
        "luanan-ref-010", "luanan-ref-086", "luanan-ref-090", "luanan-ref-121", "luanan-ref-123"]


def test_report_cli():
    out = subprocess.run([sys.executable, "-m", "edition.enrich.citations"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)[A003]["markers"] == 9


def test_witness_text_keeps_the_last_line():
    body = whole(A004)
    assert body.endswith("tr.150-157")
    assert whole(A004, before_line=106).endswith("thời gian tới⁽²¹⁾ □")
