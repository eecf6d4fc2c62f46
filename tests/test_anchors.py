"""Permalinks are forever: every published id stays, or is listed in corpus/aliases.yml."""

import json
import re

from edition import paths
from edition.corpus import load_corpus
from edition.render.run import load_aliases, published_anchors

SNAPSHOT = paths.ROOT / "tests" / "snapshots" / "anchors.json"


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
               if re.search(r"-p\d+$", i) and (page, i) not in aliased) == paragraphs
    assert "2-2-1-p3" in current["luan-an-1975-1991/03-chuong-2"]


def test_aliases_point_at_existing_ids_and_form_no_cycle():
    current = published_anchors(load_corpus())
    for page, targets in load_aliases().items():
        for new, olds in targets.items():
            assert new in current[page], f"{page}: alias target {new} does not exist"
            assert not set(olds) & set(targets), f"{page}: alias chain or cycle through {olds}"
