"""Proof that nothing was lost or invented: corpus words == witness words minus the logged interventions.

Words are whitespace-separated tokens, so re-flowing whitespace is free and everything else must be logged.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .. import memo, paths
from ..errors import BuildError
from . import markup, yamlio
from . import witness as witness_module
from .markup import plain_line
from .witness import Witness, load_manifest
from .yamlio import load_yaml, read_text, schema

FRONT_MATTER_FENCE = "---"
# Logged interventions that change no witness word: insertions (excluded from the corpus words), a note's
# missing text, page milestones (markup, not words), flags (noted, kept as printed).
NO_WORD_CHANGE = ("editorial-insertion", "footnote-missing", "page-break")


@dataclass
class FidelityReport:
    text_id: str
    witness_words: int
    corpus_words: int
    logged: dict[str, int]
    unexplained: int
    differences: list[str] = field(default_factory=list)
    first_difference: int = 0  # index of the first differing corpus word


REPORT_FIELDS = {f.name for f in fields(FidelityReport)}


def _body_start(md: Path, lines: list[str]) -> int:
    """Index of the first line after the front matter (0 without one)."""
    if not lines or lines[0] != FRONT_MATTER_FENCE:
        return 0
    try:
        return lines.index(FRONT_MATTER_FENCE, 1) + 1
    except ValueError:
        raise BuildError(md, 1, "front matter is not closed with '---'") from None


def note_call(md: Path, lines: list[str]) -> str | None:
    """The chapter's note-call template (front matter ``note_call``): how its ``[^n]`` are printed."""
    body = _body_start(md, lines)
    meta = yamlio.parse_yaml("\n".join(lines[1:body - 1]), md, first_line=2) if body else None
    return meta.get("note_call") if isinstance(meta, dict) else None


def corpus_words(text_dir: Path) -> list[str]:
    words: list[str] = []
    for md in sorted(text_dir.glob("*.md")):
        lines = read_text(md).split("\n")
        call = note_call(md, lines)
        for line in lines[_body_start(md, lines):]:
            words.extend(plain_line(line, call).split())
    return words


def expected_words(witness_lines: list[str], entries: list[dict], log_path: Path) -> list[str]:
    """Witness tokens with logged removals taken out and logged joins applied."""
    return expected_words_with_lines(witness_lines, entries, log_path)[0]


def expected_words_with_lines(witness_lines: list[str], entries: list[dict],
                              log_path: Path) -> tuple[list[str], list[tuple[int, int]]]:
    """``expected_words`` and, for each word, the witness lines (first, last) it stands on (a joined word
    spans two)."""
    per_line = [line.split() for line in witness_lines]
    joins: dict[int, dict] = {}
    for entry in entries:
        n, kind = entry["line"], entry["kind"]
        if n > len(per_line) or entry.get("next_line", 0) > len(per_line):
            raise BuildError(log_path, entry["__line__"], f"line {max(n, entry.get('next_line', 0))} is past the end "
                                                          f"of the witness ({len(per_line)} lines)")
        if kind == "join":
            joins[n] = entry
            continue
        if kind in NO_WORD_CHANGE or kind.startswith("flag-"):
            continue
        tokens = entry["text"].split()
        line_tokens = per_line[n - 1]
        for i in range(len(line_tokens) - len(tokens) + 1):
            if line_tokens[i:i + len(tokens)] == tokens:
                del line_tokens[i:i + len(tokens)]
                break
        else:
            raise BuildError(log_path, entry.get("__line__"), f"logged text {entry['text']!r} not on witness line {n}")
    words: list[str] = []
    lines: list[tuple[int, int]] = []
    pending = None
    for n, tokens in enumerate(per_line, start=1):
        tokens = list(tokens)
        if pending is not None and tokens:
            if tokens[0] != pending["next_text"]:
                raise BuildError(log_path, pending.get("__line__"), f"join: line {n} does not start with {pending['next_text']!r}")
            words[-1] += tokens.pop(0)
            lines[-1] = (lines[-1][0], n)
            pending = None
        words.extend(tokens)
        lines.extend([(n, n)] * len(tokens))
        if n in joins:
            if not tokens or tokens[-1] != joins[n]["text"]:
                raise BuildError(log_path, joins[n].get("__line__"), f"join: line {n} does not end with {joins[n]['text']!r}")
            pending = joins[n]
    return words, lines


# The report of a text by its witness, change log and chapter files (edition.memo: keyed by the code that
# reads and compares them). Only a report is kept: a build that stops keeps stopping, with its message.
_reports = memo.Memo("fidelity", [Path(__file__), *(Path(code.__file__) for code in (markup, yamlio, witness_module))],
                     ["PyYAML", "jsonschema", "referencing"])


def check_text(text_id: str, corpus: Path = paths.CORPUS, witness: Witness | None = None) -> FidelityReport:
    witness = witness or load_manifest()[text_id]
    files = [witness.path, corpus / text_id / "changelog.yml", *sorted((corpus / text_id).glob("*.md"))]
    if not all(f.is_file() for f in files):  # reported by the check itself
        return _check_text(text_id, corpus, witness)
    inputs: list[str | bytes] = [text_id, witness.sha256, json.dumps(schema("changelog.schema.json"), sort_keys=True)]
    inputs += [part for f in files for part in (f.name, f.read_bytes())]
    report = _reports.get(inputs, lambda: asdict(_check_text(text_id, corpus, witness)),
                          valid=lambda value: isinstance(value, dict) and value.keys() == REPORT_FIELDS)
    return FidelityReport(**report)


def _check_text(text_id: str, corpus: Path, witness: Witness) -> FidelityReport:
    log_path = corpus / text_id / "changelog.yml"
    log = load_yaml(log_path, schema("changelog.schema.json"))
    if log.get("witness_sha256") != witness.sha256:
        raise BuildError(log_path, None, "change log was made from a different witness (SHA-256 differs)")
    entries = log.get("entries") or []
    witness_lines = witness.lines()
    expected = expected_words(witness_lines, entries, log_path)
    actual = corpus_words(corpus / text_id)
    logged: dict[str, int] = {}
    for entry in entries:
        logged[entry["kind"]] = logged.get(entry["kind"], 0) + 1
    report = FidelityReport(text_id, sum(len(line.split()) for line in witness_lines), len(actual), logged, 0)
    if expected != actual:
        for tag, i1, i2, j1, j2 in _opcodes(expected, actual):
            if tag != "equal":
                if not report.unexplained:
                    report.first_difference = j1
                report.unexplained += 1
                if len(report.differences) < 20:
                    report.differences.append(
                        f"{tag}: witness {' '.join(expected[i1:i2])!r} → corpus {' '.join(actual[j1:j2])!r} "
                        f"(after {' '.join(expected[max(0, i1 - 6):i1])!r})"
                    )
    return report


def _opcodes(expected: list[str], actual: list[str]):
    """difflib's opcodes between the word lists, found in what lies between their common beginning and end:
    a difference is most often one edit in a long text, and difflib over all of the thesis's 77 000 words
    takes seconds."""
    head, most = 0, min(len(expected), len(actual))
    while head < most and expected[head] == actual[head]:
        head += 1
    tail = 0
    while tail < most - head and expected[-1 - tail] == actual[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(None, expected[head:len(expected) - tail], actual[head:len(actual) - tail],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        yield tag, i1 + head, i2 + head, j1 + head, j2 + head


def check_all(text_ids: list[str] | None = None, corpus: Path = paths.CORPUS) -> list[FidelityReport]:
    """Every text of the manifest (the manifest is the list of texts), or the given ones."""
    witnesses = load_manifest(corpus / "sources")  # hash each witness once, not once per text
    return [check_text(t, corpus, witnesses[t]) for t in (text_ids or list(witnesses))]


def locate(text_dir: Path, report: FidelityReport) -> tuple[Path, int | None]:
    """The chapter file and line of the first unexplained difference."""
    expected_ahead = report.first_difference
    seen = 0
    for md in sorted(text_dir.glob("*.md")):
        lines = read_text(md).split("\n")
        body, call = _body_start(md, lines), note_call(md, lines)
        for number, line in enumerate(lines[body:], start=body + 1):
            seen += len(plain_line(line, call).split())
            if seen > expected_ahead:
                return md, number
    return text_dir / "changelog.yml", None


def format_report(reports: list[FidelityReport]) -> str:
    rows = ["| text | witness words | corpus words | logged removals | logged interventions by kind | unexplained differences |",
            "|---|---|---|---|---|---|"]
    for r in reports:
        removals = sum(v for k, v in r.logged.items()
                       if k != "join" and k not in NO_WORD_CHANGE and not k.startswith("flag-"))
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(r.logged.items())) or "none"
        rows.append(f"| {r.text_id} | {r.witness_words} | {r.corpus_words} | {removals} | {kinds} | {r.unexplained} |")
        rows.extend(f"|   | {d} | | | | |" for d in r.differences)
    return "\n".join(rows)
