"""Keep published permalinks working after a re-ingest (corpus/aliases.yml).

Every published id (tests/snapshots/anchors.json) that the corpus no longer has is mapped to the heading
or paragraph that now holds the same witness words: the fidelity check guarantees both corpora have the
same word sequence, so a block is found by the position of its first word. Run after ``edition ingest``:

    python -m edition.tools.alias_moved_ids [--rev HEAD]   # --rev: the commit of the published corpus
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import yaml

from edition import paths
from edition.corpus import Text, load_corpus
from edition.render.chapters import paragraph_ids
from edition.render.run import published_anchors
from edition.yamlio import load_yaml, strip_lines

SNAPSHOT = paths.ROOT / "tests" / "snapshots" / "anchors.json"


def positions(texts: list[Text]) -> dict[str, list[tuple[int, str]]]:
    """page → [(index of the block's first word in its text, id)] for headings and paragraphs."""
    out: dict[str, list[tuple[int, str]]] = {}
    for text in texts:
        pos = 0
        for ch in text.chapters:
            pids = paragraph_ids(ch)
            page = out.setdefault(f"{text.id}/{ch.stem}", [])
            for i, block in enumerate(ch.blocks):
                bid = block.id if block.kind == "heading" else pids.get(i)
                if bid:
                    page.append((pos, bid))
                pos += len(block.plain.split())
    return out


def _corpus_at(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", "--format=tar", rev, "corpus"], cwd=paths.ROOT,
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "corpus"


def moved(old: dict, new: dict, published: dict, current: dict) -> list[dict]:
    aliases = []
    for page, ids in published.items():
        old_at = {i: p for p, i in old.get(page, [])}
        keep = set(current.get(page, []))
        for pid in ids:
            if pid in keep or pid not in old_at:
                continue
            target = max((entry for entry in new[page] if entry[0] <= old_at[pid]), default=new[page][0])
            aliases.append({"page": page, "old": pid, "new": target[1]})
    return aliases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD")
    args = parser.parse_args()
    published = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        old = positions(load_corpus(_corpus_at(args.rev, Path(tmp))))
    texts = load_corpus()
    new = positions(texts)
    path = paths.CORPUS / "aliases.yml"
    existing = strip_lines(load_yaml(path).get("aliases") or [])
    current = published_anchors(texts)
    added = moved(old, new, published, current)
    shifted = sum(1 for page, entries in old.items() for p, i in entries
                  if i in dict((j, q) for q, j in new.get(page, [])) and dict((j, q) for q, j in new[page])[i] != p)
    header = path.read_text(encoding="utf-8").split("aliases:", 1)[0]
    body = yaml.safe_dump({"aliases": existing + added}, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(header + body, encoding="utf-8")
    print(f"{len(added)} published ids aliased; {shifted} ids kept but now begin at another word")


if __name__ == "__main__":
    main()
