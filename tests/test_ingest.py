"""The ingest reproduces the committed corpus and recognises the witnesses' structure."""

import re
import shutil

import pytest
import yaml

from edition import paths
from edition.ingest.write import ingest_text
from edition.model.corpus import load_corpus
from edition.model.slug import slugify
from edition.model.witness import load_manifest
from tests.helpers import expected

TEXT_IDS = list(load_manifest())


@pytest.fixture(scope="module")
def texts():
    return {t.id: t for t in load_corpus()}


def test_ingest_is_deterministic_and_matches_committed_corpus(tmp_path):
    """Re-ingesting over the committed corpus (whose ids it keeps) reproduces it byte for byte."""
    witnesses = load_manifest()
    shutil.copy(paths.CORPUS / "aliases.yml", tmp_path / "aliases.yml")
    for text_id in TEXT_IDS:
        shutil.copytree(paths.CORPUS / text_id, tmp_path / text_id)
        ingest_text(text_id, witnesses[text_id], out_root=tmp_path)
        for produced in (tmp_path / text_id).iterdir():
            committed = paths.CORPUS / text_id / produced.name
            assert committed.read_text(encoding="utf-8") == produced.read_text(encoding="utf-8"), produced.name
    assert (tmp_path / "aliases.yml").read_text(encoding="utf-8") == (paths.CORPUS / "aliases.yml").read_text(encoding="utf-8")


def test_vietnamese_slugs():
    assert slugify("Đảng") == "dang"
    assert slugify("* Tình hình Việt Nam") == "tinh-hinh-viet-nam"
    assert slugify("Thứ nhất") == "thu-nhat"


def _headings(text):
    return [(b.level, b.id, b.plain) for ch in text.chapters for b in ch.blocks if b.kind == "heading"]


def test_thesis_heading_tree_matches_witness(texts):
    thesis = texts["luan-an-1975-1991"]
    assert len(thesis.chapters) == expected()["texts"]["luan-an-1975-1991"]
    lines = load_manifest()["luan-an-1975-1991"].lines()
    numbered = [m.group(1) for l in lines[298:9891] if (m := re.match(r"^\s*(\d\.\d(?:\.\d)?)\. ", l))]
    starred = [l.strip() for l in lines if re.match(r"^\s*\* ", l)]
    heads = _headings(thesis)
    ids = [h[1] for h in heads]
    body = [b.id for ch in thesis.chapters[1:5] for b in ch.blocks if b.kind == "heading"]
    assert [i for i in body if re.fullmatch(r"\d-\d(-\d)?", i)] == [n.replace(".", "-") for n in numbered]
    assert len(numbered) == 30
    assert [h[2] for h in heads if h[2].startswith("* ")] == starred
    assert len(starred) == 28
    assert [h[1] for h in heads if h[0] == 1] == ["mo-dau", "chuong-1", "chuong-2", "chuong-3", "chuong-4",
                                                  "ket-luan", "phu-luc-1-11", "phu-luc-12"]
    assert [i for i in ids if i.startswith("dieu-")] == [f"dieu-{n}" for n in range(1, 10)]
    assert [i for i in ids if re.fullmatch(r"phu-luc-\d+", i)] == [f"phu-luc-{n}" for n in range(1, 13)]


def test_article_headings(texts):
    expect = {
        "viet-xo-nga-70-nam": ["phan-1", "phan-2", "phan-2-a"],  # (i)–(iv) are run-in heads (below)
        "khang-chien-chong-phap": ["tom-tat", "abstract", "abstract-title", "muc-1", "muc-2", "muc-3", "3-1", "3-2", "3-3", "muc-4"],
        "achievements-1975-1991": ["full-text", "section-1", "section-2", "2-1", "2-2", "2-3", "2-4", "section-3", "references"],
        "hop-tac-quoc-phong-2012-2024": ["toan-van", "muc-1", "muc-2", "muc-2-thu-nhat", "muc-2-thu-hai", "muc-2-thu-ba", "muc-3"],
    }
    for text_id, ids in expect.items():
        assert [h[1] for h in _headings(texts[text_id])] == ids


def test_run_in_heads_lead_their_paragraphs_as_printed(texts):
    """001's (i)–(iv) are printed as the lead phrase of a paragraph: one paragraph each, the head in bold, the
    ids they were published with as headings kept as aliases of those paragraphs."""
    chapter = texts["viet-xo-nga-70-nam"].chapters[0]
    run_in = [b for b in chapter.blocks if ".run-in" in b.attrs.split()]
    assert [(b.kind, b.id, b.markdown.split("**")[1]) for b in run_in] == [
        ("para", "phan-2-a-i-p1", "(i) Về chính trị,"),
        ("para", "phan-2-a-ii-p1", "(ii) Về kinh tế,"),
        ("para", "phan-2-a-iii-p1", "(iii) Về hợp tác trong lĩnh vực giáo dục - đào tạo,"),
        ("para", "phan-2-a-iv-p1", "(iv) Vấn đề cộng đồng người Việt ở Liên bang Nga và người Nga ở Việt Nam."),
    ]
    assert all(b.markdown.startswith("**") for b in run_in)
    assert run_in[0].plain.startswith("(i) Về chính trị, trong 70 năm qua")  # the words as the witness has them
    aliases = yaml.safe_load((paths.CORPUS / "aliases.yml").read_text(encoding="utf-8"))["aliases"]
    moved = {a["old"]: a["new"] for a in aliases if a["page"] == "viet-xo-nga-70-nam/01-toan-van"}
    assert {h: moved.get(h) for h in ("phan-2-a-i", "phan-2-a-ii", "phan-2-a-iii", "phan-2-a-iv")} == {
        "phan-2-a-i": "phan-2-a-i-p1", "phan-2-a-ii": "phan-2-a-ii-p1",
        "phan-2-a-iii": "phan-2-a-iii-p1", "phan-2-a-iv": "phan-2-a-iv-p1"}


def test_no_page_number_or_running_head_left_in_paragraphs(texts):
    head = "Achievements in Relations between Vietnam and the Soviet Union (1975-1991)"
    article = texts["achievements-1975-1991"]
    paras = [b.plain for ch in article.chapters for b in ch.blocks if b.kind == "para"]
    assert not any(head in p for p in paras)
    lines = load_manifest()["luan-an-1975-1991"].lines()
    # every stray page number of the prose is logged as removed (fidelity proves the rest is unchanged)
    page_breaks = [i for i, l in enumerate(lines) if re.fullmatch(r"\s*\d{1,3}\s*", l) and i > 0
                   and lines[i - 2].strip() == "" and lines[i - 2] != "" and i < 9890]
    assert len(page_breaks) == 15
    log = (paths.CORPUS / "luan-an-1975-1991" / "changelog.yml").read_text(encoding="utf-8")
    assert log.count("kind: page-number") == 15
    assert (paths.CORPUS / "achievements-1975-1991" / "changelog.yml").read_text(encoding="utf-8").count("kind: running-head") == 3


def test_footnotes_of_004(texts):
    md = (paths.CORPUS / "hop-tac-quoc-phong-2012-2024" / "01-toan-van.md").read_text(encoding="utf-8")
    defined = set(re.findall(r"^\[\^(\d+)\]:", md, re.M))
    referenced = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    assert defined == {str(n) for n in range(1, 21)}
    assert referenced == defined  # every reference has a note, no note is orphaned
    assert "⁽²¹⁾" in md  # the marker without a note is kept as printed, not linked
    assert "[^7]: <ins class=\"editorial\">" in md  # shared note 6/7 flagged
