"""Measure register linking against a judged random sample (issue 25).

Two populations, over the paragraphs and list items the linker links:
- *linked*: every link the linker makes (the first mention of each entry in a paragraph, ``Register.find``);
- *unlinked*: every occurrence of a registered name (any entry's name or printed variant, any scope, any
  letter case) that overlaps no mention: a name shadowed by an exclusion or a context rule, outside its
  scope, or in another letter case. Drawn in two strata: every one that holds a capital (a name as printed;
  few), and a random sample of those in lower case ("pháp", "hòa bình": mostly common words).

An item is located again by its snippet (the form with up to 40 characters either side), not by paragraph id,
so a re-cut paragraph does not lose it. ``evaluate`` asks the current register which entry covers the item's
words (``None``: none) and compares with the judgement: precision = right links / links, recall = right
links / items that name an entry.

Usage: ``python -m edition.tools.register_sample draw SEED N_LINKED N_LOWER`` (JSON lines to stdout, the
``judgement`` left empty for the reader) and ``python -m edition.tools.register_sample score FIXTURE``.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from edition.model.corpus import paragraph_ids

SIDE = 40  # snippet characters either side of the form


def _paragraphs(texts):
    for text in texts:
        for chapter in text.chapters:
            for i, pid in paragraph_ids(chapter).items():
                yield text.id, f"{text.id}/{chapter.stem}", pid, chapter.blocks[i].plain


def _names_pattern(register) -> re.Pattern:
    forms = {f for e in register.entries for f in [e.name, *(v.form for v in e.variants)]}
    alt = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)", re.IGNORECASE)


def populations(register, texts):
    """(linked, unlinked) items, each a dict without judgement, in corpus order."""
    names = _names_pattern(register)
    linked, unlinked = [], []
    for text_id, page, pid, plain in _paragraphs(texts):
        found = register.find(plain, text_id)
        seen = set()
        for m in found:
            if m.entry.id not in seen:
                seen.add(m.entry.id)
                linked.append(_item(text_id, page, pid, plain, m.start, m.end, m.entry.id))
        for m in names.finditer(plain):
            if not any(f.start < m.end() and m.start() < f.end for f in found):
                unlinked.append(_item(text_id, page, pid, plain, m.start(), m.end(), None))
    return linked, unlinked


def _item(text_id, page, pid, plain, start, end, entry):
    return {"text": text_id, "page": page, "pid": pid, "mention": plain[start:end],
            "before": plain[max(0, start - SIDE):start], "after": plain[end:end + SIDE], "linked": entry}


def draw(register, texts, seed: int, n_linked: int, n_lower: int) -> list[dict]:
    linked, unlinked = populations(register, texts)
    capital = [u for u in unlinked if not u["mention"].islower()]
    lower = [u for u in unlinked if u["mention"].islower()]
    rng = random.Random(seed)
    head = {"seed": seed, "population": {"linked": len(linked), "unlinked-capital": len(capital),
                                         "unlinked-lower": len(lower)},
            "how": "random.Random(seed).sample(linked, n_linked); every unlinked-capital; "
                   "then random.Random(seed).sample(unlinked-lower, n_lower) continued"}
    return [head, *rng.sample(linked, n_linked), *capital, *rng.sample(lower, n_lower)]


def current_entry(item: dict, register, index: dict) -> str | None:
    """The entry the current register gives the item's words (None: no mention covers them)."""
    before = item["before"].lstrip()  # a paragraph re-cut at the snippet's edge drops the space there
    snippet = before + item["mention"] + item["after"].rstrip()
    hits = [(pid, plain) for pid, plain in index.get(item["text"], []) if snippet in plain]
    if len(hits) > 1:  # a passage the text prints twice: the paragraph id decides
        hits = [(pid, plain) for pid, plain in hits if pid == item["pid"]]
    if len(hits) != 1:
        raise LookupError(f"{item['text']}: snippet found {len(hits)} times: {snippet!r}")
    plain = hits[0][1]
    start = plain.index(snippet) + len(before)
    end = start + len(item["mention"])
    for m in register.find(plain, item["text"]):
        if m.start < end and start < m.end:
            return m.entry.id
    return None


def score(items: list[dict], register, texts) -> dict:
    index: dict[str, list] = {}
    for text_id, _page, pid, plain in _paragraphs(texts):
        index.setdefault(text_id, []).append((pid, plain))
    links = right_links = named = 0
    wrong = []
    for item in items:
        got, want = current_entry(item, register, index), item["judgement"]
        links += got is not None
        named += want is not None
        right_links += got is not None and got == want
        if got != want:
            wrong.append((item, got))
    return {"links": links, "right": right_links, "named": named,
            "precision": right_links / links if links else 1.0,
            "recall": right_links / named if named else 1.0, "wrong": wrong}


def read_fixture(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if "mention" in r]


def main(argv: list[str]) -> int:
    from edition.model.corpus import load_corpus
    from edition.model.register import load_register

    register, texts = load_register(), load_corpus()
    if argv[0] == "draw":
        for row in draw(register, texts, int(argv[1]), int(argv[2]), int(argv[3])):
            print(json.dumps(row, ensure_ascii=False))
    else:
        result = score(read_fixture(Path(argv[1])), register, texts)
        print(f"precision {result['right']}/{result['links']} = {result['precision']:.3f}; "
              f"recall {result['right']}/{result['named']} = {result['recall']:.3f}")
        for item, got in result["wrong"]:
            print(f"  {item['text']} {item['pid']}: {item['mention']!r} linked {got}, judged {item['judgement']}"
                  f" — …{item['before'][-25:]}[{item['mention']}]{item['after'][:25]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
