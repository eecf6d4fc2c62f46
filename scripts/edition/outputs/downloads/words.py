"""Word fidelity of a download: the corpus's words (as edition.model.fidelity reads them) must all be in the
extracted text, in order. Notes are checked apart from the body: a PDF sets them at the foot of a page.
Extra words are allowed only from the edition's apparatus (title page, contents, running heads, page
numbers, permalinks, note numbers, page markers, editorial insertions)."""

from __future__ import annotations

import difflib
from pathlib import Path

from ...model.corpus import Text
from ...model.markup import AUTOLINK, FOOTNOTE_DEF, ITALIC, plain_line


def corpus_words(text: Text) -> tuple[list[str], dict[int, list[str]]]:
    """(body words, {note number: words}) of a loaded text, exactly as fidelity.corpus_words counts them."""
    body, notes = [], {}
    for ch in text.chapters:
        call = ch.meta.get("note_call")
        for line in _lines(ch.path):
            # *italic* and <https://…> are Markdown the witness already contains (004's notes): the
            # downloads print them as italics and links, so the marks are not words there
            line = AUTOLINK.sub(lambda m: m.group(0)[1:-1], ITALIC.sub(lambda m: m.group(0)[1:-1], line))
            m = FOOTNOTE_DEF.match(line)
            if m:
                notes[int(m.group(1))] = plain_line(line, call).split()
            else:
                body.extend(plain_line(line, call).split())
    return body, notes


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    return lines[end + 1:]


def _same(a: list[str], b: list[str]) -> bool:
    """Equal but for line breaks and line-final hyphens, which text extraction moves or drops
    (pdftotext joins "Việt-" + "Xô" into "ViệtXô"; a line break after "p." splits "p.89-90]")."""
    return "".join(a).replace("-", "") == "".join(b).replace("-", "")


def missing(expected: list[str], actual: list[str]) -> list[str]:
    """Expected words that are not matched in order in ``actual`` (with their context), [] when none."""
    out = []
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace") and not _same(expected[i1:i2], actual[j1:j2]):
            out.append(f"{' '.join(expected[i1:i2])!r} (after {' '.join(expected[max(0, i1 - 5):i1])!r}; "
                       f"found {' '.join(actual[j1:j2])!r})")
    return out
