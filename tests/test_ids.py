"""Paragraph ids through a re-ingest (edition.ingest.ids) on small fixtures."""

from edition.ingest.ids import NewBlock, Published, assign, heading_aliases


def _paras(*spans, page="01-a"):
    return [NewBlock(page, a, b, "para", f"s-p{i + 1}") for i, (a, b) in enumerate(spans)]


def test_without_a_previous_corpus_ids_are_derived():
    blocks = _paras((0, 5), (5, 9))
    assert assign(blocks, []) == [] and [b.id for b in blocks] == ["s-p1", "s-p2"]


def test_a_merge_keeps_the_first_id_and_aliases_the_second():
    blocks = _paras((0, 9), (9, 12))
    aliases = assign(blocks, [Published("01-a", 0, "s-p1"), Published("01-a", 5, "s-p2"), Published("01-a", 9, "s-p3")])
    assert [b.id for b in blocks] == ["s-p1", "s-p3"]
    assert aliases == [("01-a", "s-p2", "s-p1", 5)]


def test_a_split_gets_a_lettered_id_and_an_aliased_id_comes_back():
    split = _paras((0, 3), (3, 9))
    assign(split, [Published("01-a", 0, "s-p1")])
    assert [b.id for b in split] == ["s-p1", "s-p1a"]
    reborn = _paras((0, 5), (5, 9))
    assign(reborn, [Published("01-a", 0, "s-p1"), Published("01-a", 5, "s-p2")])  # s-p2 was an alias
    assert [b.id for b in reborn] == ["s-p1", "s-p2"]


def test_a_head_split_off_a_paragraph_leaves_the_id_with_the_paragraph():
    blocks = [NewBlock("01-a", 0, 2, "heading"), *_paras((2, 9))]
    assign(blocks, [Published("01-a", 0, "s-p4")])
    assert blocks[1].id == "s-p4"


def test_a_heading_that_became_the_lead_of_its_paragraph_is_an_alias_of_it():
    """A run-in head printed as a paragraph's lead: its published heading id leads to that paragraph; on the
    next re-ingest, that alias (same first word) does not take the paragraph's id from it."""
    blocks = _paras((0, 9), (9, 12))
    assign(blocks, [Published("01-a", 3, "s-i-p1"), Published("01-a", 9, "s-i-p2")])
    assert [b.id for b in blocks] == ["s-i-p1", "s-i-p2"]
    assert heading_aliases(blocks, [Published("01-a", 0, "s-i")]) == [("01-a", "s-i", "s-i-p1", 0)]
    again = _paras((0, 9), (9, 12))
    aliases = assign(again, [Published("01-a", 0, "s-i", alias=True), Published("01-a", 0, "s-i-p1"),
                             Published("01-a", 9, "s-i-p2")])
    assert [b.id for b in again] == ["s-i-p1", "s-i-p2"] and aliases == [("01-a", "s-i", "s-i-p1", 0)]
    assert heading_aliases(again, [Published("01-a", 9, "s-i-p2")]) == []  # a live id is no alias
