"""Fill the ``anchor`` of every timeline source: the corpus paragraph that contains its quote.

The curated file keeps witness lines (where the editor read the quote) and stores the anchors this script
finds, so the build can check both.  Re-run after the ingest changes paragraphing:
``python -m edition.tools.resolve_anchors [--check]`` (``--check`` only reports, writes nothing).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from edition.enrich.timeline import EVENTS_FILE, load_timeline
from edition.errors import BuildError
from edition.model.corpus import Text, corpus_paragraphs, load_corpus, paragraph_ids
from edition.model.witness import normalize_space, witness_lines


def _chapter_of(text: Text, line: int):
    for ch in text.chapters:
        first, last = ch.meta["witness_lines"]
        if first <= line <= last:
            return ch
    return None


def resolve(texts: list[Text] | None = None, path: Path = EVENTS_FILE) -> dict[int, str]:
    """events.yml line of each source mapping -> the anchor its quote resolves to."""
    by_id = {t.id: t for t in (load_corpus() if texts is None else texts)}
    timeline = load_timeline(path=path)
    found: dict[int, str] = {}
    for ev in timeline.events:
        for s in ev.sources:
            text = by_id.get(s.text)
            ch = _chapter_of(text, s.line) if text else None
            if ch is None:
                raise BuildError(path, s.data_line, f"witness line {s.line} of {s.text!r} is in no corpus chapter")
            hits = [pid for i, pid in paragraph_ids(ch).items() if s.quote in normalize_space(ch.blocks[i].plain)]
            if not hits:
                raise BuildError(path, s.data_line, f"quote {s.quote!r} is in no paragraph of {ch.path.name}")
            # A quote repeated within the chapter: take the occurrence the witness line points at.
            lines = witness_lines(timeline.texts[s.text])
            before = normalize_space(" ".join(lines[ch.meta["witness_lines"][0] - 1:s.line - 1]))
            nth = min(before.count(s.quote), len(hits) - 1)
            found[s.data_line] = f"{s.text}/{ch.stem}#{hits[nth]}"
    return found


def write_anchors(found: dict[int, str], path: Path = EVENTS_FILE) -> int:
    """Rewrite every ``anchor:`` of events.yml (just after the source's ``line:``), leaving all else as it is.

    ``found`` must cover every source (``resolve`` raises otherwise), so old anchors are simply dropped."""
    out, written, pending, indent = [], 0, None, ""
    for no, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if no in found:
            pending, indent = found[no], " " * (len(line) - len(line.lstrip(" -")))
        if re.match(r"^\s+anchor:", line):
            continue
        out.append(line)
        if pending and line.strip().startswith("line:"):
            out.append(f"{indent}anchor: {pending}")
            written += 1
            pending = None
    path.write_text("\n".join(out), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report differences, write nothing")
    args = ap.parse_args(argv)
    try:
        found = resolve()
        timeline = load_timeline()
        current = {s.data_line: s.anchor for ev in timeline.events for s in ev.sources}
        stale = {k: v for k, v in found.items() if current.get(k) != v}
        if args.check:
            for k, v in sorted(stale.items()):
                print(f"{EVENTS_FILE}:{k}: anchor should be {v} (is {current.get(k)})")
            return 1 if stale else 0
        print(f"{write_anchors(found)} anchors written, {len(stale)} changed")
        load_timeline(corpus_paragraphs())
    except BuildError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
