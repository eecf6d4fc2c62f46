"""Issue 25, one test per class of defect in the curated layers: a printed reference list has one item per
witness line (an item spanning two numbered references fails); an evidence line holds the value (text.yml and
bibliography.bib: the quote starts on the line named, not somewhere near it); a timeline quote holds its
event's date, and the event (a quote cut at a page split runs on across it)."""

from __future__ import annotations

import re

import pytest

from edition import paths
from edition.enrich import bibliography
from edition.errors import BuildError
from edition.model.corpus import _check_evidence, load_corpus
from edition.model.witness import load_manifest


@pytest.fixture(scope="module")
def texts():
    return load_corpus()


def test_a_reference_list_has_one_item_per_numbered_reference(texts):
    for text in texts:
        ref = (text.meta.get("citations") or {}).get("reference_list")
        if not ref:
            continue
        # the item pattern anywhere in an item, not only at its start: "… p.54 - 6) Document …" is two items
        item = re.compile(r"(?:^|\s)" + ref["item"].lstrip("^"))
        numbers = []
        for chapter in text.chapters:
            for block in chapter.blocks:
                if block.kind == "item":
                    found = item.findall(block.markdown)
                    assert len(found) <= 1, (text.id, block.plain[:120])
                    numbers += found
        assert numbers == sorted(numbers, key=int) and len(numbers) == len(set(numbers)), (text.id, numbers)
    achievements = next(t for t in texts if t.id == "achievements-1975-1991")
    items = [b.plain for c in achievements.chapters for b in c.blocks if b.kind == "item"
             and re.search(r"\b[56]\) ", b.plain)]
    assert len(items) == 2 and "Document No. 1556" in items[1] and "Document" not in items[0], items


def test_text_evidence_must_start_on_its_line(tmp_path):
    lines = load_manifest()["achievements-1975-1991"].lines()
    meta = tmp_path / "text.yml"
    _check_evidence(meta, {"evidence": {"quote": "Nguyen Thi Phuc", "line": 7, "__line__": 3}}, lines)
    with pytest.raises(BuildError, match="not found at witness line 5") as err:
        _check_evidence(meta, {"evidence": {"quote": "Nguyen Thi Phuc", "line": 5, "__line__": 3}}, lines)
    assert err.value.line == 3


def test_bibliography_evidence_must_start_on_its_line(tmp_path):
    good = (open(paths.BIBLIOGRAPHY, encoding="utf-8").read())
    key = "achievements-ref-6"
    start = good.index("@misc{" + key)
    entry = good[start:good.index("\n}\n", start) + 3]
    moved = entry.replace("003_620dcb6001c3609b.txt:82", "003_620dcb6001c3609b.txt:81")
    assert moved != entry
    bib = tmp_path / "bibliography.bib"
    bib.write_text(good.replace(entry, moved), encoding="utf-8")
    with pytest.raises(BuildError, match="does not start on 003_620dcb6001c3609b.txt:81"):
        bibliography.load(bib)


def test_timeline_quotes_hold_the_date_and_the_event():
    from edition.enrich.timeline import load_timeline

    timeline = load_timeline()
    for event in timeline.events:
        for source in event.sources:
            assert all(y in source.quote for y in source.date.years), (event.id, source.quote)
    event = next(e for e in timeline.events if e.id == "hiep-dinh-hop-tac-quoc-phong-2013")
    assert "đã ký Hiệp định liên Chính phủ về hợp tác quốc phòng" in event.sources[0].quote


def test_keywords_must_start_on_their_line(tmp_path, texts):
    from edition.model.corpus import _check_keywords

    for text in (t for t in texts if isinstance(t.meta.get("keywords"), dict)):
        lines, kw = load_manifest()[text.id].lines(), text.meta["keywords"]
        _check_keywords(tmp_path / "text.yml", text.meta, lines)
        moved = {**text.meta, "keywords": {**kw, "line": kw["line"] + 2}}
        with pytest.raises(BuildError, match=f"keywords: value not found at witness line {kw['line'] + 2}"):
            _check_keywords(tmp_path / "text.yml", moved, lines)


def test_every_note_of_a_notes_file_is_shown_and_every_shown_note_listed(tmp_path, monkeypatch, texts):
    import dataclasses
    import shutil

    from edition.enrich import citations

    for text in (t for t in texts if t.meta["citations"]["convention"] == "notes"):
        conv = citations.for_text(text)
        conv.check(text)
        n = min(k for k, v in conv.data["notes"].items() if "shared_with" not in v)
        hidden = dataclasses.replace(text, chapters=[
            dataclasses.replace(ch, blocks=[b for b in ch.blocks if not (b.kind == "footnote" and b.note == n)])
            for ch in text.chapters])
        with pytest.raises(BuildError, match=f"note {n} is listed, but no chapter of {text.id} shows it"):
            conv.check(hidden)
        shutil.copytree(paths.DATA / "citations", tmp_path / text.id / "citations")
        notes = tmp_path / text.id / "citations" / text.meta["citations"]["notes"]
        notes.write_text(re.sub(rf"(?m)^  {n}: .*\n", "", notes.read_text(encoding="utf-8")), encoding="utf-8")
        monkeypatch.setattr(paths, "DATA", tmp_path / text.id)
        with pytest.raises(BuildError, match=f"note {n} is not listed in data/citations/"):
            conv.check(text)
        monkeypatch.undo()
