"""Rendering with enrichment: every citation linked, back-links, cross-links, paragraph permalinks."""

import re

import pytest

from edition.build import enrichers
from edition.enrich import bibliography
from edition.model.witness import load_manifest
from edition.render.run import render_all
from tests.helpers import expected


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    hooks = enrichers()
    result = render_all(out=out, enrichers=hooks)
    return out, hooks, result


def test_every_citation_marker_is_a_link(rendered):
    out, hooks, _ = rendered
    counts = hooks["linker"].counts
    # every call the citation report resolves (tests/expected.yml) is linked
    assert dict(counts) == {tid: c["resolved"] for tid, c in expected()["citations"].items() if c["resolved"]}
    chapter = (out / "docs" / "luan-an-1975-1991" / "02-chuong-1.md").read_text(encoding="utf-8")
    assert "[\\[99\\]](../thu-muc/luan-an-1975-1991.md#luanan-ref-099){: .cite" in chapter
    visible = re.sub(r"\{:[^}]*\}", "", chapter)  # attribute lists hold the tooltips
    assert not re.search(r"(?<!\\)\[\d+(, tr\.[^\]]*)?\](?!\()", visible)  # no unlinked bracket citation


def test_back_links_cover_every_cited_work(rendered):
    _, hooks, _ = rendered
    index = hooks["linker"].index
    corpus_texts = set(load_manifest())  # the texts' own entries, which no text cites
    without = [k for k in bibliography.entries() if k not in corpus_texts and not index.get(k)]
    # works named only under the appendix tables are cited from the table pages (other hooks of the build)
    assert without == [], without


def test_appendix_and_treaty_cross_links(rendered):
    out, hooks, _ = rendered
    cross = hooks["crosslinker"]
    appendix = {n: count for (rule, n), count in cross.links.items() if rule == "appendix"}
    assert sum(appendix.values()) == expected()["appendix_cross_links"]
    assert set(appendix) == set(range(1, 13)) - {9}
    assert ("treaty", "luan-an-1975-1991/02-chuong-1") in cross.first_done
    assert ("treaty", "achievements-1975-1991/01-full-text") in cross.first_done
    chapter = (out / "docs" / "luan-an-1975-1991" / "03-chuong-2.md").read_text(encoding="utf-8")
    assert "(../phu-luc/phu-luc-01.md)" in chapter


def test_paragraphs_carry_ids_and_permalinks(rendered):
    out, _, result = rendered
    chapter = (out / "docs" / "luan-an-1975-1991" / "03-chuong-2.md").read_text(encoding="utf-8")
    assert re.search(r"\{: #2-2-1-p3 \.para \.para-h\d+ data-pages=\"\d+(-\d+)?\" data-lines=\"\d+-\d+\"\}", chapter)
    assert '[¶](#2-2-1-p3){: .para-link aria-label="Liên kết cố định đến đoạn 3"}' in chapter
    assert "- - DC.type\n  - Thesis" in chapter and '??? quote edition-citebox "Trích dẫn chương này"' in chapter
    nav_pages = str(result["nav"])
    for page in ("thu-muc/index.md", "thoi-gian-bieu/index.md", "phu-luc/index.md"):
        assert page in nav_pages


def test_a_paragraph_is_estimated_by_the_characters_it_shows():
    """The height class counts what a reader sees, not link targets, attribute lists or tags; a paragraph
    longer than every class gets none (it is always laid out)."""
    from edition.render.chapters import PARA_HEIGHTS, height_class

    assert height_class("Ngắn.") == f" .para-h{PARA_HEIGHTS[0]}"
    shown = "chữ " * 300  # 1,200 characters: 0.07 em each + 3 = 87 em
    linked = " ".join("[chữ](../bang-tra/mot-ten-dai-dai-dai.md){: .reg-mention data-reg=\"x\"}" for _ in range(300))
    assert height_class(shown) == height_class(linked) == " .para-h108"
    assert height_class("chữ " * 2000) == ""
