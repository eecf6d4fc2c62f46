"""Permalinks are forever: every published id stays, or is listed in corpus/aliases.yml."""

import json
import re

from edition import paths
from edition.model.corpus import load_corpus, paragraph_ids
from edition.render.run import load_aliases, published_anchors

SNAPSHOT = paths.ROOT / "tests" / "snapshots" / "anchors.json"
# The first words of every heading and paragraph as published (before the corpus's second pass).
WORDS = paths.ROOT / "tests" / "snapshots" / "anchor-words.json"


def test_no_published_id_disappears():
    published = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = published_anchors(load_corpus())
    aliases = load_aliases()
    for page, ids in published.items():
        kept = set(current.get(page, []))
        aliased = {old for olds in aliases.get(page, {}).values() for old in olds}
        missing = [i for i in ids if i not in kept and i not in aliased]
        assert not missing, f"{page}: ids removed without an alias in corpus/aliases.yml: {missing[:10]}"


def test_ids_are_unique_readable_and_cover_every_paragraph():
    texts = load_corpus()
    current = published_anchors(texts)
    for page, ids in current.items():
        assert len(ids) == len(set(ids)), page
        assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids), page
    paragraphs = sum(1 for t in texts for c in t.chapters for b in c.blocks if b.kind in ("para", "item"))
    aliases = load_aliases()
    aliased = {(page, old) for page, olds in aliases.items() for old_ids in olds.values() for old in old_ids}
    assert sum(1 for page, ids in current.items() for i in ids
               if re.search(r"-p\d+[a-z]?$", i) and (page, i) not in aliased) == paragraphs
    assert "2-2-1-p3" in current["luan-an-1975-1991/03-chuong-2"]


def test_aliases_point_at_existing_ids_and_form_no_cycle():
    current = published_anchors(load_corpus())
    for page, targets in load_aliases().items():
        for new, olds in targets.items():
            assert new in current[page], f"{page}: alias target {new} does not exist"
            assert not set(olds) & set(targets), f"{page}: alias chain or cycle through {olds}"


def test_a_published_id_still_leads_to_its_words():
    """Not only present: an id (or the alias that replaced it) still lands on the block holding the words it
    was published with, so a re-cut paragraph never silently hands its id to a neighbour."""
    words = json.loads(WORDS.read_text(encoding="utf-8"))
    texts = load_corpus()
    blocks = {}
    for text in texts:
        for ch in text.chapters:
            pids, heads = paragraph_ids(ch), []  # a head split off a paragraph's front keeps its words nearby
            for i, b in enumerate(ch.blocks):
                bid = b.id if b.kind == "heading" else pids.get(i)
                if bid:
                    blocks[(f"{text.id}/{ch.stem}", bid)] = (" ".join(heads + b.plain.split()), b.plain.split())
                heads = heads + b.plain.split() if b.kind in ("heading", "pb") else []
    aliases = {(page, old): new for page, targets in load_aliases().items()
               for new, olds in targets.items() for old in olds}
    wrong = []
    for page, ids in words.items():
        for bid, first in ids.items():
            target = bid if (page, bid) in blocks else aliases.get((page, bid))
            context, own = blocks.get((page, target), ("", []))
            # a block shorter than the remembered words (a byline cut from its abstract) holds their start
            if target is None or first not in context and first.split()[:len(own)] != own:
                wrong.append((page, bid, target))
    assert not wrong, wrong[:10]
