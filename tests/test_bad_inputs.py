"""The bad-input matrix: one case per rule of every input format, each mutating ONE input of a scratch copy
of the repository and running the real CLI (``edition check``, ``fidelity``, ``ingest`` or ``build``). Every
case must stop with exit 1 and exactly one ``file:line: message`` naming the file the user must edit — no
traceback, nothing passing silently. The cases of tests/test_robustness.py run here too; the table
(case → message) is written to build/bad-inputs.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edition import paths
from test_robustness import CASES as FIRST_CASES
from test_robustness import _line_of, assert_one_error_line, edit, run_cases

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

V70 = "corpus/viet-xo-nga-70-nam/01-toan-van.md"
V70_TEXT = "corpus/viet-xo-nga-70-nam/text.yml"
V70_LOG = "corpus/viet-xo-nga-70-nam/changelog.yml"
CH2 = "corpus/luan-an-1975-1991/03-chuong-2.md"
MANIFEST = "corpus/sources/manifest.yml"
ALIASES = "corpus/aliases.yml"
RULES = "corpus/sources/ingest/achievements-1975-1991.yml"
EDITION = "data/edition.yml"
UNITS = "data/tables/units.yml"
EVENTS = "data/timeline/events.yml"
CITATION_RULES = "data/citations/schema.yml"
TREATY = "corpus/luan-an-1975-1991/08-phu-luc-12.md"
ACHIEVEMENTS = "corpus/achievements-1975-1991/01-full-text.md"
APPENDICES = "corpus/luan-an-1975-1991/07-phu-luc-1-11.md"
TABLE_01 = "data/tables/phu-luc-01.yml"
NOTES_TEXT = "corpus/hop-tac-quoc-phong-2012-2024/text.yml"
NOTES_RULES = "corpus/sources/ingest/hop-tac-quoc-phong-2012-2024.yml"


def replace_bytes(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data, f"{old!r} not found in {path}"
    path.write_bytes(data.replace(old, new, 1))


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def cut_short(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:len(text) // 2], encoding="utf-8")


def line(file: str, needle: str, after: str = ""):
    """The line of ``needle`` in the mutated copy (computed when the case is checked)."""
    return lambda root: _line_of(root / file, needle, after)


def byte_line(file: str, needle: bytes):
    """The line of ``needle`` in a copy that is no longer UTF-8."""
    return lambda root: (root / file).read_bytes().split(needle)[0].count(b"\n") + 1


def _alias_cycle(root: Path) -> None:
    append(root / ALIASES, "- {page: luan-an-1975-1991/01-mo-dau, old: vong-a, new: vong-b}\n"
                           "- {page: luan-an-1975-1991/01-mo-dau, old: vong-b, new: vong-a}\n")


def _treaty_heading_renamed(root: Path) -> None:
    edit(root / TREATY, "{#phu-luc-12}", "{#phu-luc-xii}")


def _first_treaty_mention(root: Path) -> int:
    """Corpus line of the first paragraph of the English article, which the build links to the treaty
    (MkDocs reports the pages in order: this is the first with a link to the renamed heading)."""
    lines = (root / ACHIEVEMENTS).read_text(encoding="utf-8").split("\n")
    return next(n for n, text in enumerate(lines, 1) if "Treaty of Friendship" in text and not text.startswith("#"))


def _raw_block_not_closed(root: Path) -> None:
    path = root / APPENDICES
    head, tail = path.read_text(encoding="utf-8").rsplit("\n```\n", 1)
    path.write_text(head + "\n\n" + tail, encoding="utf-8")


def _last_raw_block(root: Path) -> int:
    lines = (root / APPENDICES).read_text(encoding="utf-8").split("\n")
    return max(n for n, text in enumerate(lines, 1) if text.startswith("```"))


def _text_without_witness(root: Path) -> None:
    (root / "corpus/bai-moi").mkdir()
    (root / "corpus/bai-moi/text.yml").write_text("id: bai-moi\n", encoding="utf-8")


# id: (command, mutation, file named by the error, its line, message part), as in test_robustness.CASES.
CASES = {
    # -- text files: UTF-8, no control characters
    "chapter-invalid-utf8": (
        "check", lambda r: replace_bytes(r / V70, "Liên Xô trước đây {#".encode(), b"Li\xean X\xf4 {#"), V70,
        byte_line(V70, b"## 1. Quan"), "not UTF-8"),
    "chapter-nul-byte": (
        "check", lambda r: edit(r / V70, "## 2. Quan hệ", "## 2. Quan\x00 hệ"), V70, line(V70, "## 2. Quan"),
        "control character U+0000"),
    "text-yml-invalid-utf8": (
        "check", lambda r: replace_bytes(r / V70_TEXT, "Bài tạp chí".encode(), b"B\xe0i t\xe1p ch\xed"), V70_TEXT,
        byte_line(V70_TEXT, b"genre:"), "not UTF-8"),
    "timeline-control-character": (
        "build", lambda r: edit(r / EVENTS, "title: Cách mạng Tháng Mười Nga thành công",
                                "title: Cách mạng Tháng Mười Nga\x1b[31m thành công"), EVENTS,
        line(EVENTS, "title: Cách mạng Tháng Mười Nga"), "control character U+001B"),
    # -- YAML
    "text-yml-duplicate-key": (
        "check", lambda r: edit(r / V70_TEXT, "\nlanguage: vi\n", "\nlanguage: vi\nlanguage: en\n"), V70_TEXT,
        line(V70_TEXT, "language: en"), "duplicate key 'language'"),
    "text-yml-unknown-citation-convention": (
        "check", lambda r: edit(r / V70_TEXT, "{convention: none}", "{convention: footnotes}"), V70_TEXT,
        line(V70_TEXT, "citations:"), "citations: does not fit any citation convention of text.schema.json"),
    "front-matter-duplicate-key": (
        "check", lambda r: edit(r / V70, "\norder: 1\n", "\norder: 1\norder: 2\n"), V70, line(V70, "order: 2"),
        "duplicate key 'order'"),
    "ingest-rules-malformed": (
        "ingest achievements-1975-1991", lambda r: edit(r / RULES, "keep_lines: [3]", "keep_lines: [3"), RULES,
        line(RULES, "headings:"), "malformed YAML"),
    # -- chapter front matter (schemas/chapter.schema.json)
    "front-matter-title-null": (
        "check", lambda r: edit(r / V70, r"^title: '\[Quan hệ.*$", "title: null", regex=True), V70,
        line(V70, "title: null"), "title: None is not of type 'string'"),
    "front-matter-order-not-a-number": (
        "check", lambda r: edit(r / V70, "\norder: 1\n", "\norder: three\n"), V70, line(V70, "order: three"),
        "order: 'three' is not of type 'integer'"),
    "front-matter-witness-lines-banana": (
        "check", lambda r: edit(r / V70, "witness_lines:\n- 1\n- 333\n", "witness_lines: banana\n"), V70,
        line(V70, "witness_lines: banana"), "witness_lines: 'banana' is not of type 'array'"),
    "front-matter-witness-lines-past-end": (
        "check", lambda r: edit(r / V70, "witness_lines:\n- 1\n- 333\n", "witness_lines:\n- 1\n- 9333\n"), V70,
        line(V70, "witness_lines:"), "past the end of the witness"),
    "front-matter-witness-lines-reversed": (
        "check", lambda r: edit(r / V70, "witness_lines:\n- 1\n- 333\n", "witness_lines:\n- 333\n- 1\n"), V70,
        line(V70, "witness_lines:"), "the first line is after the last"),
    "front-matter-unknown-key": (
        "check", lambda r: edit(r / V70, "\nlang: vi\n", "\nlang: vi\nlanguage: vi\n"), V70, line(V70, "language: vi"),
        "Additional properties are not allowed ('language' was unexpected)"),
    "front-matter-bad-language-tag": (
        "check", lambda r: edit(r / V70, "\nlang: vi\n", "\nlang: Vietnamese\n"), V70, line(V70, "lang: Vietnamese"),
        "is not a BCP 47 language tag"),
    "front-matter-text-mismatch": (
        "check", lambda r: edit(r / V70, "\ntext: viet-xo-nga-70-nam\n", "\ntext: khang-chien-chong-phap\n"), V70, 2,
        "does not match folder"),
    # -- ids unique per page: headings, paragraphs, page markers, aliases
    "heading-id-equals-paragraph-id": (
        "check", lambda r: edit(r / V70, "{#phan-2-a}", "{#phan-2-p1}"), V70, line(V70, "### a) Quan hệ"),
        "id 'phan-2-p1' is used twice on this page"),
    "paragraph-id-duplicate": (
        "check", lambda r: edit(r / V70, "{: #phan-1-p3}", "{: #phan-1-p1}"), V70,
        lambda r: _dup_para_line(r),
        "id 'phan-1-p1' is used twice on this page"),
    "heading-id-equals-page-marker": (
        "check", lambda r: edit(r / CH2, "{#2-1-1}", "{#tr-35}"), CH2, line(CH2, "### 2.1.1. Những"),
        "id 'tr-35' is used twice on this page"),
    "heading-id-not-ascii": (
        "check", lambda r: edit(r / V70, "{#phan-2-a}", "{#phần-2-a}"), V70, line(V70, "### a) Quan hệ"),
        "must be lowercase ASCII"),
    "alias-cycle": (
        "check", _alias_cycle, ALIASES, line(ALIASES, "old: vong-a"), "alias cycle on luan-an-1975-1991/01-mo-dau"),
    "alias-old-is-live-id": (
        "check", lambda r: edit(r / ALIASES, "  old: 4-2-p4\n", "  old: 4-2-p2\n"), ALIASES,
        line(ALIASES, "- page: luan-an-1975-1991/01-mo-dau"), "old id '4-2-p2' is a live id"),
    "alias-new-not-an-id": (
        "check", lambda r: edit(r / ALIASES, "  new: 4-2-p3\n", "  new: 4-2-p99\n"), ALIASES,
        line(ALIASES, "- page: luan-an-1975-1991/01-mo-dau"), "new id '4-2-p99' is not an id"),
    "alias-unknown-page": (
        "check", lambda r: edit(r / ALIASES, "- page: luan-an-1975-1991/01-mo-dau\n", "- page: luan-an-1975-1991/09-mo-dau\n"),
        ALIASES, line(ALIASES, "- page: luan-an-1975-1991/09-mo-dau"), "is not a chapter of the corpus"),
    "alias-misnamed-key": (
        "check", lambda r: edit(r / ALIASES, "  old: 4-2-p4\n", "  from: 4-2-p4\n"), ALIASES,
        line(ALIASES, "  from: 4-2-p4"), "('from' was unexpected)"),
    # -- text.yml (schemas/text.schema.json)
    "text-yml-missing-rights": (
        "check", lambda r: edit(r / V70_TEXT, r"^rights: .*\n", "", regex=True), V70_TEXT, line(V70_TEXT, "id:"),
        "'rights' is a required property"),
    "text-yml-misnamed-key": (
        "check", lambda r: edit(r / V70_TEXT, "\nauthors: []\n", "\nauthors: []\nauthor: []\n"), V70_TEXT,
        line(V70_TEXT, "author: []"), "('author' was unexpected)"),
    "text-yml-year-not-a-number": (
        "check", lambda r: edit(r / V70_TEXT, "  value: null   # the year", "  value: khoảng 2020   # the year"),
        V70_TEXT, line(V70_TEXT, "value: khoảng 2020"), "year/value: 'khoảng 2020' is not of type 'integer', 'null'"),
    "text-yml-evidence-line-not-a-number": (
        "check", lambda r: edit(r / V70_TEXT, "line: 239}", "line: ba}"), V70_TEXT, line(V70_TEXT, "line: ba}"),
        "year/evidence/line: 'ba' is not of type 'integer'"),
    "text-yml-evidence-not-in-witness": (
        "check", lambda r: edit(r / V70_TEXT, "line: 239}", "line: 30}"), V70_TEXT, line(V70_TEXT, "line: 30}"),
        "evidence quote not found at witness line 30"),
    "text-yml-id-mismatch": (
        "check", lambda r: edit(r / V70_TEXT, "id: viet-xo-nga-70-nam", "id: viet-xo-nga"), V70_TEXT, 1,
        "does not match folder"),
    # -- manifest (schemas/manifest.schema.json)
    "manifest-bad-sha256": (
        "check", lambda r: edit(r / MANIFEST, "sha256: cc5b9aac", "sha256: zz5b9aac"), MANIFEST,
        line(MANIFEST, "sha256: zz5b9aac"), "is not 64 lowercase hexadecimal digits"),
    "manifest-text-listed-twice": (
        "check", lambda r: edit(r / MANIFEST, "    text: khang-chien-chong-phap\n", "    text: viet-xo-nga-70-nam\n"),
        MANIFEST, line(MANIFEST, "- file: 002_"), "text 'viet-xo-nga-70-nam' is listed twice"),
    "manifest-misnamed-key": (
        "check", lambda r: edit(r / MANIFEST, "  - file: 003_620dcb6001c3609b.txt", "  - path: 003_620dcb6001c3609b.txt"),
        MANIFEST, line(MANIFEST, "- path: 003_"), "('path' was unexpected)"),
    # -- change log (schemas/changelog.schema.json), read by the fidelity check
    "changelog-line-past-witness": (
        "fidelity", lambda r: edit(r / V70_LOG, "- line: 212\n", "- line: 9212\n"), V70_LOG, line(V70_LOG, "- line: 9212"),
        "line 9212 is past the end of the witness"),
    "changelog-join-without-next": (
        "fidelity", lambda r: edit(r / V70_LOG, "  next_line: 213\n  next_text: 2019)\n", ""), V70_LOG,
        line(V70_LOG, "- line: 212"), "'next_line' is a required property"),
    "changelog-line-not-a-number": (
        "fidelity", lambda r: edit(r / V70_LOG, "- line: 212\n", "- line: hai trăm\n"), V70_LOG,
        line(V70_LOG, "- line: hai trăm"), "line: 'hai trăm' is not of type 'integer'"),
    "changelog-other-witness": (
        "fidelity", lambda r: edit(r / V70_LOG, "witness_sha256: cc5b9aac", "witness_sha256: 005b9aac"), V70_LOG, None,
        "made from a different witness"),
    "changelog-join-wrong-text": (
        "fidelity", lambda r: edit(r / V70_LOG, "  text: (1994-\n", "  text: (1995-\n"), V70_LOG,
        line(V70_LOG, "- line: 212"), "join: line 212 does not end with '(1995-'"),
    # -- ingest rules (schemas/ingest-rules.schema.json), read by the ingest
    "ingest-rules-misnamed-key": (
        "ingest achievements-1975-1991", lambda r: edit(r / RULES, "keep_lines: [3]", "keep_line: [3]"), RULES,
        line(RULES, "keep_line: [3]"), "('keep_line' was unexpected)"),
    "ingest-rules-chapter-without-start": (
        "ingest achievements-1975-1991", lambda r: edit(r / RULES, r"^    start: 1\n", "", regex=True), RULES,
        line(RULES, "  - id: full-text"), "'start' is a required property"),
    "ingest-rules-heading-level": (
        "ingest achievements-1975-1991", lambda r: edit(r / RULES, "level: 3, id: '{1}-{2}'", "level: 9, id: '{1}-{2}'"),
        RULES, line(RULES, "level: 9"), "headings/0/level: 9 is greater than the maximum of 6"),
    "ingest-rules-bad-pattern": (
        "ingest achievements-1975-1991", lambda r: edit(r / RULES, r"{pattern: '^(\d)\.(\d)\.\s'", r"{pattern: '^(\d\.(\d)\.\s'"),
        RULES, line(RULES, r"{pattern: '^(\d\.(\d)"), "bad pattern in 'pattern'"),
    # -- the edition's data
    "edition-yml-bad-version": (
        "build", lambda r: edit(r / EDITION, 'version: "0.2.0"', 'version: "v0.2"'), EDITION,
        line(EDITION, "version:"), "'v0.2' is not MAJOR.MINOR.PATCH"),
    "edition-yml-missing-licence-url": (
        "build", lambda r: edit(r / EDITION, '  url: "https://creativecommons.org/licenses/by/4.0/"\n', ""), EDITION,
        line(EDITION, "licence:", after="date:"), "licence: 'url' is a required property"),
    "nav-title-without-its-english-label": (
        "build", lambda r: edit(r / V70_TEXT, '  en: "Essay: Vietnam–Soviet and Vietnam–Russia relations (2020)"\n', ""),
        V70_TEXT, line(V70_TEXT, "nav_title:"), "is not valid under any of the given schemas"),
    "register-kind-label-in-a-third-language": (
        "build", lambda r: edit(r / "data/register/register.yml", 'en: "Persons"}', 'en: "Persons", ru: "Люди"}'),
        "data/register/register.yml", line("data/register/register.yml", "  person:"),
        "is not valid under any of the given schemas"),
    "units-label-not-text": (
        "build", lambda r: edit(r / UNITS, "tan: Tấn\n", "tan: [Tấn, tấn]\n"), UNITS, line(UNITS, "tan: [Tấn"),
        "tan: ['Tấn', 'tấn'] is not of type 'string'"),
    "timeline-misnamed-key": (
        "build", lambda r: edit(r / EVENTS, "  title_en: The Russian October Revolution\n",
                                "  title_eng: The Russian October Revolution\n"), EVENTS,
        line(EVENTS, "title_eng:"), "('title_eng' was unexpected)"),
    "timeline-duplicate-key": (
        "build", lambda r: edit(r / EVENTS, "  title_en: The Russian October Revolution\n",
                                "  title_en: The Russian October Revolution\n  title_en: October\n"), EVENTS,
        line(EVENTS, "title_en: October"), "duplicate key 'title_en'"),
    "table-metadata-misnamed-key": (
        "build", lambda r: edit(r / "data/tables/phu-luc-01.yml", "\ntitle:", "\ntitel:"), "data/tables/phu-luc-01.yml",
        line("data/tables/phu-luc-01.yml", "titel:"), "('titel' was unexpected)"),
    "citation-rules-wrong-shape": (
        "build", lambda r: edit(r / CITATION_RULES, "  misc: [title, year]\n", "  misc: title, year\n"), CITATION_RULES,
        line(CITATION_RULES, "  misc: title, year"), "required/misc: 'title, year' is not of type 'array'"),
    "csl-style-cut-short": (
        "build", lambda r: cut_short(r / "data/csl/apa.csl"), "data/csl/apa.csl",
        lambda r: len((r / "data/csl/apa.csl").read_text(encoding="utf-8").split("\n")), "malformed CSL style"),
    "front-matter-missing": (
        "check", lambda r: edit(r / V70, "---\ntext: viet-xo-nga-70-nam\n", "text: viet-xo-nga-70-nam\n"), V70, 1,
        "missing YAML front matter"),
    "chapter-duplicate-id": (
        "check", lambda r: edit(r / CH2, "\nchapter: chuong-2\n", "\nchapter: chuong-1\n"), CH2, line(CH2, "chapter: chuong-1"),
        "duplicate chapter id 'chuong-1'"),
    "chapter-duplicate-order": (
        "check", lambda r: edit(r / CH2, "\norder: 3\n", "\norder: 2\n"), CH2, line(CH2, "order: 2"), "duplicate chapter order 2"),
    "chapter-raw-block-not-closed": (
        "check", _raw_block_not_closed, APPENDICES, _last_raw_block, "raw block is not closed"),
    "heading-over-two-lines": (
        "check", lambda r: edit(r / V70, "## 2. Quan hệ", "## 2.\nQuan hệ"), V70, line(V70, "Quan hệ giữa Việt Nam - Liên bang Nga"),
        "a heading must be a single line"),
    "text-folder-without-witness": (
        "check", _text_without_witness, "corpus/bai-moi/text.yml", None, "has no witness in corpus/sources/manifest.yml"),
    "bib-invalid-utf8": (
        "build", lambda r: replace_bytes(r / "bibliography.bib", "Ngoại giao Việt Nam 1945-2000".encode(), b"Ngo\xe1i giao"),
        "bibliography.bib", byte_line("bibliography.bib", b"  title = {Ngo\xe1i giao"), "not UTF-8"),
    "edition-yml-date-not-iso": (
        "build", lambda r: edit(r / EDITION, 'date: "2026-12-02"', 'date: "2/12/2026"'), EDITION, line(EDITION, "date:"),
        "'2/12/2026' is not YYYY-MM-DD"),
    # -- MkDocs: configuration and links, named by the file to edit
    "mkdocs-config-typo": (
        "build", lambda r: edit(r / "mkdocs.yml", "\nuse_directory_urls: false\n", "\nuse_directory_url: false\n"),
        "mkdocs.yml", line("mkdocs.yml", "use_directory_url:"), "Unrecognised configuration name: use_directory_url"),
    "mkdocs-config-bad-theme": (
        "build", lambda r: edit(r / "mkdocs.yml", "\n  name: material\n", "\n  name: materiall\n"), "mkdocs.yml",
        line("mkdocs.yml", "theme:"), "Unrecognised theme name: 'materiall'"),
    "mkdocs-config-malformed": (
        "build", lambda r: append(r / "mkdocs.yml", "extra_css: [assets/x.css\n"), "mkdocs.yml",
        lambda r: len((r / "mkdocs.yml").read_text(encoding="utf-8").split("\n")), "malformed YAML"),
    "docs-page-broken-link": (
        "build", lambda r: edit(r / "docs/gioi-thieu.md", "(nguyen-tac-bien-tap.md)", "(nguyen-tac.md)"),
        "docs/gioi-thieu.md", line("docs/gioi-thieu.md", "(nguyen-tac.md)"), "contains a link 'nguyen-tac.md'"),
    "docs-page-invalid-utf8": (
        "build", lambda r: replace_bytes(r / "docs/gioi-thieu.md", "Nội dung".encode(), b"N\xf4i dung"),
        "docs/gioi-thieu.md", byte_line("docs/gioi-thieu.md", b"## N"), "not UTF-8"),
    "chapter-broken-link": (
        "build", _treaty_heading_renamed, ACHIEVEMENTS, _first_treaty_mention,
        "does not contain an anchor '#phu-luc-12'"),
    # -- met by a newcomer (issue 22): each names the file to edit, in words an editor can act on
    "text-yml-language-without-interface": (
        "check", lambda r: edit(r / V70_TEXT, "\nlanguage: vi\n", "\nlanguage: ru\n"), V70_TEXT,
        line(V70_TEXT, "language: ru"), "language: 'ru' is not one of ['vi', 'en']"),
    "bibliography-date-not-iso": (
        "build", lambda r: edit(r / "bibliography.bib", "  year = {2002},", "  date = {17/06/2019},"), "bibliography.bib",
        line("bibliography.bib", "@book{luanan-ref-010,"),
        "luanan-ref-010: date must be written YYYY, YYYY-MM or YYYY-MM-DD, not '17/06/2019'"),
    "table-witness-file-typo": (
        "build", lambda r: edit(r / TABLE_01, "000_e1f2f0e4f1247df1.txt", "000_e1f2f0e4f1247dfl.txt"), TABLE_01,
        line(TABLE_01, "witness:"), "witness.file: no file 'corpus/sources/000_e1f2f0e4f1247dfl.txt'"),
    # -- note calls: one pattern, citations.marker of text.yml, read by the ingest and the build (issue 26)
    "notes-marker-matches-no-label": (
        "build", lambda r: edit(r / NOTES_TEXT, "  marker: '⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾'", "  marker: '\\((\\d+)\\)'"), NOTES_TEXT,
        line(NOTES_TEXT, "  marker:"), "citations.marker '\\((\\d+)\\)' matches the label of none of the 20 notes"),
    "ingest-rules-footnotes-marker": (
        "ingest hop-tac-quoc-phong-2012-2024", lambda r: edit(r / NOTES_RULES, "  call: '⁽{sup}⁾'",
                                                             "  marker: '⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾'\n  call: '⁽{sup}⁾'"),
        NOTES_RULES, line(NOTES_RULES, "  marker:"), "footnotes: Additional properties are not allowed ('marker' was unexpected)"),
    "chapter-lone-carriage-return": (
        "check", lambda r: edit(r / V70, "## 2. Quan hệ", "## 2. Quan\r hệ"), V70, line(V70, "## 2. Quan"),
        "a carriage return without a line feed (old Mac line endings): save the file with LF line endings"),
    # -- the editor's lines in both interface languages (issue 27): {vi, en}, or Vietnamese only
    "register-description-language-key": (
        "check", lambda r: edit(r / "data/register/register.yml", '    en: "Person mentioned in four texts;',
                                '    em: "Person mentioned in four texts;'), "data/register/register.yml",
        line("data/register/register.yml", "  description:", after="- id: ho-chi-minh"),
        "entries/0/description: is neither one line in Vietnamese nor one line in each of vi and en (no other key)"),
    "timeline-note-language-key": (
        "build", lambda r: edit(r / EVENTS, "  note:\n    vi: Luận án ghi hai", "  note:\n    vn: Luận án ghi hai"),
        EVENTS, line(EVENTS, "  note:", after="- id: pham-van-dong-tham-lien-xo-1977"),
        "events/34/note: is neither one text nor one text in each of vi and en (no other key)"),
}


def _dup_para_line(root: Path) -> int:
    """The paragraph that carries the second ``{: #phan-1-p1}`` (the line before its attribute line)."""
    lines = (root / V70).read_text(encoding="utf-8").split("\n")
    attrs = [n for n, text in enumerate(lines, 1) if text == "{: #phan-1-p1}"]
    return attrs[1] - 1


ALL_CASES = {**FIRST_CASES, **CASES}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    return run_cases(ALL_CASES, tmp_path_factory)


@pytest.mark.parametrize("case", sorted(ALL_CASES))
def test_bad_input_stops_with_one_line(outcomes, case):
    _, _, where, line, message = ALL_CASES[case]
    assert_one_error_line(*outcomes[case], where, line, message)


def test_at_least_sixty_rules_one_case_each():
    assert not set(FIRST_CASES) & set(CASES)
    assert len(ALL_CASES) >= 60
    rules = [(c[2], c[4]) for c in ALL_CASES.values()]  # a rule: a message about one input format
    assert len(set(rules)) == len(rules), "two cases check the same rule"


def test_table_of_bad_inputs(outcomes):
    """build/bad-inputs.md: case → command → message, as the CLI printed it (paths relative to the copy)."""
    rows = ["| case | command | error |", "|---|---|---|"]
    for case in sorted(ALL_CASES):
        root, result = outcomes[case]
        message = result.stderr.strip().removeprefix("error: ").replace(f"{root}/", "").replace("|", "\\|")
        rows.append(f"| {case} | `edition {ALL_CASES[case][0]}` | `{message}` |")
    paths.BUILD.mkdir(exist_ok=True)
    (paths.BUILD / "bad-inputs.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert len(rows) == len(ALL_CASES) + 2
