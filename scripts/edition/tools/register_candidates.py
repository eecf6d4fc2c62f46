"""Propose register candidates: names the corpus prints that the register does not cover yet.

A candidate is a run of capitalised words (Vietnamese syllables, English words, initials such as
"M.X.Goocbachốp", hyphenated transliterations such as "Mác-Lênin"; English runs may hold "of", "for", "and",
"the", "de") or an abbreviation in capitals (SEV, CMEA, ASEAN). A sentence's first word is dropped from a run
when the corpus also prints it in lower case ("Trong", "The"). In Vietnamese, a lone capitalised common word
keeps the word after it ("Hội đồng", "Nhà nước"): organisations and agreements are named so. Counted in the
places the register links (paragraphs and list items); the register's mentions and exclusions are cut out of
a run, and what is left, if it still holds a capitalised word, is the candidate.

The coverage rule of issue 15: a candidate named in two or more texts or three or more times, counting only
its uncovered occurrences, must be curated — an entry in data/register/register.yml, or a line of
data/register/not-in-register.yml saying why it is not a name of the register (tests/test_register.py).

Usage: ``python -m edition.tools.register_candidates [--all] [--context N]`` prints the candidates above the
threshold that are in neither file (``--all``: every candidate above the threshold) with texts and
occurrences (``--context``: and N snippets of each).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from edition.model.corpus import paragraph_ids

MIN_TEXTS, MIN_OCCURRENCES = 2, 3  # the threshold: two or more texts or three or more times

# A word: initials glued or spaced before a name ("V.I. Lênin"), or letters joined by hyphens ("Mác-Lênin");
# not the letter of a number ("Nghị quyết 8A").
_WORD = re.compile(r"(?<!\d)(?:(?:[^\W\d_]\.\s?){1,3}[^\W\d_][\w’']*|[^\W\d_][\w’']*(?:-[^\W\d_][\w’']*)*)")
_CONNECTORS = {"of", "for", "and", "the", "de", "on"}  # inside English and French names only
_SENTENCE_END = re.compile(r"(?:^|[.!?:;…\"“”(\[–-])[\s\"“”'‘’(\[]*$")


@dataclass
class Candidate:
    form: str
    occurrences: int = 0
    texts: Counter = field(default_factory=Counter)  # text id -> uncovered occurrences
    contexts: list[str] = field(default_factory=list)  # "text: …snippet…" of each uncovered occurrence

    @property
    def above_threshold(self) -> bool:
        return len(self.texts) >= MIN_TEXTS or self.occurrences >= MIN_OCCURRENCES


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _common(word: str, counts: Counter) -> bool:
    """A Vietnamese common word written with a capital ("Hội", "Nhà"): the corpus prints it more often in lower
    case. "Đảng", printed mostly with its capital, names by itself."""
    return counts[word.lower()] > counts[word] and not word.isupper() and not re.search(r"[-.]", word)


def _runs(plain: str, counts: Counter, vietnamese: bool = True):
    """(form, start, end) of each run of capitalised words in a paragraph's plain text."""
    words = list(_WORD.finditer(plain))
    i = 0
    while i < len(words):
        if not _capitalised(words[i].group()):
            i += 1
            continue
        j = i + 1  # the run is words[i:j]
        while j < len(words):
            gap = plain[words[j - 1].end():words[j].start()]
            if gap.strip():  # punctuation between two words ends a name
                break
            if _capitalised(words[j].group()):
                j += 1
            elif (words[j].group() in _CONNECTORS and j + 1 < len(words) and _capitalised(words[j + 1].group())
                  and not plain[words[j].end():words[j + 1].start()].strip()):
                j += 2
            else:
                break
        run = words[i:j]
        if _SENTENCE_END.search(plain[:run[0].start()]) and counts[run[0].group().lower()]:
            run = run[1:]
        while run and run[-1].group() in _CONNECTORS:
            run = run[:-1]
        if (vietnamese and len(run) == 1 and _common(run[0].group(), counts) and j < len(words)
                and not plain[run[0].end():words[j].start()].strip() and not _capitalised(words[j].group())):
            run = [run[0], words[j]]  # "Hội đồng", "Nhà nước": a capitalised common word names by what follows
        if run:
            yield plain[run[0].start():run[-1].end()], run[0].start(), run[-1].end()
        i = j


def _word_counts(texts) -> Counter:
    return Counter(w for t in texts for c in t.chapters for b in c.blocks for w in _WORD.findall(b.plain))


def find_candidates(texts, register) -> dict[str, Candidate]:
    """Every capitalised run of the corpus with its occurrences not covered by the register."""
    counts = _word_counts(texts)
    found: dict[str, Candidate] = {}
    for text in texts:
        for chapter in text.chapters:
            for i in paragraph_ids(chapter):
                block = chapter.blocks[i]
                plain = block.plain
                vietnamese = chapter.lang == "vi" and 'lang="en"' not in block.attrs
                covered = register.spans(plain, text.id)
                for run in _runs(plain, counts, vietnamese):
                    for form, start, end in _uncovered(plain, run, covered):
                        candidate = found.setdefault(form, Candidate(form))
                        candidate.occurrences += 1
                        candidate.texts[text.id] += 1
                        candidate.contexts.append(f"{text.id}: …{plain[max(0, start - 40):end + 60]}…")
    return found


def _uncovered(plain: str, run: tuple[str, int, int], covered: list[tuple[int, int]]):
    """The parts of a run outside the register's mentions, trimmed to whole words, that still hold a
    capitalised word: "Trung Hoa Đặng Tiểu Bình" with "Trung Hoa" covered leaves "Đặng Tiểu Bình"."""
    _, start, end = run
    cuts = sorted((max(s, start), min(e, end)) for s, e in covered if s < end and start < e)
    pieces, pos = [], start
    for s, e in cuts:
        pieces.append((pos, s))
        pos = max(pos, e)
    pieces.append((pos, end))
    for s, e in pieces:
        words = [w for w in _WORD.finditer(plain, s, e) if w.group() not in _CONNECTORS]
        if words and any(_capitalised(w.group()) for w in words):
            yield plain[words[0].start():words[-1].end()], words[0].start(), words[-1].end()


def uncurated(candidates: dict[str, Candidate], excluded: set[str]) -> list[Candidate]:
    """Candidates above the threshold that are neither covered by the register nor excluded."""
    return sorted((c for c in candidates.values() if c.above_threshold and c.form not in excluded),
                  key=lambda c: (-len(c.texts), -c.occurrences, c.form))


def main(argv: list[str] | None = None) -> int:
    from edition.model.corpus import load_corpus
    from edition.model.register import load_not_in_register, load_register

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="also list the excluded candidates")
    parser.add_argument("--context", type=int, default=0, metavar="N", help="print N snippets of each candidate")
    args = parser.parse_args(argv)
    texts = load_corpus()
    candidates = find_candidates(texts, load_register())
    excluded = set() if args.all else set(load_not_in_register())
    rows = uncurated(candidates, excluded)
    for c in rows:
        where = ", ".join(f"{t}×{n}" for t, n in sorted(c.texts.items()))
        print(f"{len(c.texts)}\t{c.occurrences}\t{c.form}\t{where}")
        for snippet in c.contexts[:args.context]:
            print(f"\t{snippet}")
    print(f"{len(rows)} candidates above the threshold ({MIN_TEXTS}+ texts or {MIN_OCCURRENCES}+ times)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
