"""The loader stops on bad input with one line naming file and line."""

import pytest

from edition.errors import BuildError
from edition.model.corpus import load_text
from edition.model.witness import load_manifest
from tests.helpers import copy_text

TEXT = "viet-xo-nga-70-nam"


@pytest.fixture
def chapter(tmp_path):
    root = copy_text(tmp_path, TEXT)
    return root / TEXT / "01-toan-van.md"


def _error(chapter) -> str:
    with pytest.raises(BuildError) as err:
        load_text(chapter.parent, load_manifest(chapter.parent.parent / "sources"))
    return str(err.value)


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_real_corpus_loads(chapter):
    text = load_text(chapter.parent, load_manifest(chapter.parent.parent / "sources"))
    assert len(text.chapters) == 1


def test_malformed_front_matter(chapter):
    _edit(chapter, "order: 1", "order: [1")
    assert _error(chapter).startswith(f"{chapter}:") and "malformed YAML" in _error(chapter)


def test_missing_front_matter(chapter):
    _edit(chapter, "---\n", "")
    assert _error(chapter) == f"{chapter}:1: missing YAML front matter (the file must start with '---')"


def test_missing_required_field(chapter):
    _edit(chapter, "lang: vi\n", "")
    assert "'lang' is a required property" in _error(chapter)


def test_duplicate_heading_id(chapter):
    _edit(chapter, "{#phan-2}", "{#phan-1}")
    msg = _error(chapter)
    assert "duplicate id 'phan-1'" in msg and msg.startswith(f"{chapter}:")


def test_heading_without_id(chapter):
    _edit(chapter, " {#phan-2}", "")
    assert "heading without an explicit id" in _error(chapter)


def test_heading_level_jump(chapter):
    _edit(chapter, "### a) Quan hệ", "#### a) Quan hệ")
    assert "heading level jumps from h2 to h4" in _error(chapter)


def test_empty_chapter(chapter):
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text[: text.index("---", 4) + 4] + "\n## Only a heading {#x}\n", encoding="utf-8")
    assert "empty chapter" in _error(chapter)


def test_duplicate_chapter_order(chapter):
    twin = chapter.with_name("02-copy.md")
    twin.write_text(chapter.read_text(encoding="utf-8").replace("chapter: toan-van", "chapter: copy"), encoding="utf-8")
    assert "duplicate chapter order 1" in _error(chapter)


def test_chapter_order_gap(chapter):
    _edit(chapter, "order: 1", "order: 2")
    assert "chapter order must run 1..1" in _error(chapter)


def test_evidence_quote_checked(chapter):
    meta = chapter.parent / "text.yml"
    _edit(meta, "kim ngạch thương mại 9 tháng đầu năm 2020", "kim ngạch thương mại 12 tháng năm 2020")
    msg = _error(chapter)
    assert msg.startswith(f"{meta}:") and "evidence quote not found" in msg
