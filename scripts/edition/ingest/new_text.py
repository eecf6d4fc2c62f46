"""``edition new-text <id> <witness>``: a text's first files, so an editor starts from data, not from code.

Copies the witness into ``corpus/sources/`` (unchanged, byte for byte), lists it in the manifest with its
SHA-256 and writes commented skeletons of the ingest rules and ``text.yml`` that already ingest and build
(one chapter, no citations); the guide ``scripts/edition/ingest/README.md`` says what every rule does.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from .. import paths
from ..errors import BuildError
from ..model.witness import load_manifest
from ..model.yamlio import read_text

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

RULES = """\
# Ingest rules of {id} (witness {file}). Every key, with a witness fragment and what it does:
# scripts/edition/ingest/README.md ("Witness layouts the ingest understands"); schema:
# schemas/ingest-rules.schema.json. Line numbers are 1-based witness lines.
lang: {lang}
chapters:
  - id: toan-van
    title: {title}
    start: 1
    heading_lines: 1          # the first line is the printed title (0: no printed title, title supplied)
# headings:                   # numbered heads: pattern (regex), level (2-6), id template
#   - {{pattern: '^(\\d)\\.\\s', level: 2, id: 'muc-{{1}}'}}
# blank_line_paragraphs: true # single-spaced witness: only a blank line ends a paragraph
# running_heads: ["…"]        # lines repeated at the top of pages, removed and logged
# page_number: '^(\\d{{1,3}})$'  # a line holding only the printed page number (removed and logged) …
# pages:                      # … counted into page milestones ({{pb 46}}); position: head or foot of the page
#   numbered: [{{start: 1, end: {lines}, position: foot}}]
# footnotes:                  # note calls as printed and the line of the first note; the pattern that finds
#   {{call: '({{n}})', notes_start: {lines}}}   # them is citations.marker in text.yml (convention: notes)
"""

TEXT = """\
# Metadata of {id}: what the edition says about the text and how it is cited (schemas/text.schema.json;
# ARCHITECTURE.md, "Citing"). Every value the witness states carries its evidence: the quote and the line.
id: {id}
nav_title:                    # short label for the navigation (editor's), in each interface language
  vi: {title}
  en: {title}                 # TODO the English interface's label (tests/test_english_interface.py checks it)
title:
  value: {title}
  supplied: false             # true: the title is the editor's, bracketed in every output
  evidence: {{quote: {title}, line: {first}}}
authors: []                   # [{{family, given, order: family-first, evidence: {{quote, line}}}}]
authors_note: "Không được nêu trong bản nguồn."
year:
  value: null                 # the year every citation uses; null: the witness prints none
  decision: "Chưa xét: bản nguồn chưa được đọc để tìm năm công bố."
genre: {{vi: "Bài báo khoa học", en: "Journal article"}}
venue: {{value: null, note: "Không được nêu trong bản nguồn."}}
language: {lang}
rights: "Chưa xét."
abstract: null
keywords: null                # {{value: "…", line: n}}: the printed keywords, starting on line n
# numbered | author-year | notes | none (README, "Adding a text", step 3); notes, e.g.:
# {{convention: notes, marker: '\\((\\d+)\\)', notes: {id}.yml, label_language: {lang}}}
citations: {{convention: none}}
"""


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_text(text_id: str, witness: Path, lang: str = "vi") -> list[Path]:
    """Create the text's files; returns them. Nothing is overwritten: an existing file is an error."""
    manifest = paths.SOURCES / "manifest.yml"
    if not ID.match(text_id):
        raise BuildError(manifest, None, f"text id {text_id!r}: lowercase ASCII letters and digits joined by '-'")
    if not witness.is_file():
        raise BuildError(witness, None, "no such witness file")
    if text_id in load_manifest():
        raise BuildError(manifest, None, f"text {text_id!r} is already listed")
    lines = read_text(witness).split("\n")  # UTF-8 without control characters, as every input
    first = next((n for n, line in enumerate(lines, start=1) if line.strip()), None)
    if first is None:
        raise BuildError(witness, None, "the witness holds no text")
    copy = paths.SOURCES / witness.name
    rules, meta = paths.SOURCES / "ingest" / f"{text_id}.yml", paths.CORPUS / text_id / "text.yml"
    for path in (rules, meta):
        if path.exists():
            raise BuildError(path, None, "already exists: new-text writes a text's first files only")
    if copy.exists() and copy.read_bytes() != witness.read_bytes():
        raise BuildError(copy, None, "another witness of this name is in corpus/sources/: rename the new one")
    if copy.resolve() != witness.resolve():
        shutil.copyfile(witness, copy)
    data = copy.read_bytes()
    if not manifest.read_text(encoding="utf-8").endswith("\n"):
        raise BuildError(manifest, None, "the file must end with a line break before a text is added")
    with manifest.open("a", encoding="utf-8") as out:
        out.write(f"  - file: {copy.name}\n    text: {text_id}\n    sha256: {hashlib.sha256(data).hexdigest()}\n"
                  f"    bytes: {len(data)}\n")
    title = _yaml_string(lines[first - 1].strip())
    values = {"id": text_id, "file": copy.name, "lang": lang, "title": title, "first": first, "lines": len(lines)}
    rules.write_text(RULES.format(**values), encoding="utf-8")
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(TEXT.format(**values), encoding="utf-8")
    return [copy, manifest, rules, meta]
