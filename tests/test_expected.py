"""The real corpus has the figures tests/expected.yml states (the other tests read them from there too)."""

import json

import yaml

from edition import paths
from edition.enrich import bibliography, citations, timeline
from edition.enrich.tables import load_tables
from edition.model import features
from edition.model.corpus import load_corpus
from edition.model.register import load_register
from edition.model.witness import load_manifest
from edition.render.run import published_anchors

from .helpers import expected

EXPECTED = expected()


def test_texts_and_chapters():
    assert list(load_manifest()) == list(EXPECTED["texts"])
    assert {t.id: len(t.chapters) for t in load_corpus()} == EXPECTED["texts"]
    assert {tid: f.convention for tid, f in features.load_all().items()} == EXPECTED["conventions"]


def test_data_figures():
    assert len(bibliography.entries()) == EXPECTED["bibliography_entries"]
    assert len(timeline.load_events()) == EXPECTED["timeline_events"]
    assert len(load_register().entries) == EXPECTED["register_entries"]
    assert len(load_tables()) == EXPECTED["appendix_tables"]
    aliases = yaml.safe_load((paths.CORPUS / "aliases.yml").read_text(encoding="utf-8"))["aliases"]
    assert len(aliases) == EXPECTED["aliases"]


def test_ids():
    texts = load_corpus()
    assert sum(len(v) for v in published_anchors(texts).values()) == EXPECTED["published_ids"]
    snapshot = json.loads((paths.REPO / "tests" / "snapshots" / "anchors.json").read_text(encoding="utf-8"))
    assert sum(len(v) for v in snapshot.values()) == EXPECTED["published_ids"]
    assert sum(1 for t in texts for c in t.chapters for b in c.blocks if b.kind in ("para", "item")) == EXPECTED["paragraphs"]


def test_citation_figures():
    report = citations.citation_report()
    assert {tid: {k: report[tid][k] for k in ("markers", "resolved", "entries")} for tid in EXPECTED["citations"]} \
        == EXPECTED["citations"]
