"""Interface strings are data: one catalogue per language (data/ui/vi.yml, data/ui/en.yml; edition.model.ui).

- Both catalogues have the same keys, each with the same {placeholders}; a missing key or a placeholder
  mismatch stops the build with ``file:line: message``.
- Every key the code (scripts/), the theme (theme/) or the scripts (docs/assets/*.js) names exists, and every
  key of the catalogue is named somewhere (no dead keys).
- No Vietnamese literal is back in code: string literals of scripts/**/*.py (comments and docstrings may hold
  Vietnamese examples; the arguments of ``BuildError(...)`` are editor-facing messages, not the reader's
  interface, and are exempt), theme/**/*.html outside comments (Material's own language partial,
  theme/partials/languages/vi.html, is Material's mechanism for Material's words), docs/assets/*.js and *.css
  outside comments. Vietnamese is told by its letters (ă â đ ê ô ơ ư and the tone-marked vowels, either case, NFC or
  NFD). What is allowed is listed in ALLOWED with its reason: words of the sources, letter tables, data.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import pytest

from edition import paths
from edition.errors import BuildError
from edition.model import ui

REPO = paths.REPO
SCRIPTS = REPO / "scripts"
THEME = REPO / "theme"
ASSETS = REPO / "docs" / "assets"
MATERIAL_LANGUAGES = THEME / "partials" / "languages"  # Material's mechanism for Material's own words

# Vietnamese letters beyond ASCII: the vowels with breve, circumflex or horn, đ, and any vowel with a tone mark.
_VOWELS = "aeiouyAEIOUY"
_SHAPES = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook above, dot below


def vietnamese_letters(text: str) -> list[str]:
    """The Vietnamese letters of ``text`` (NFC or NFD: decomposed marks count too)."""
    found = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ":
            found.append(char)
            continue
        parts = unicodedata.normalize("NFD", char)
        if len(parts) > 1 and parts[0] in _VOWELS and set(parts[1:]) & (_SHAPES | _TONES):
            found.append(char)
    return found


# (file, part of the literal or line) → why it may stay in code. Each entry must still match something.
ALLOWED = {
    ("scripts/benchmark.py", "đổi mới"): "a query the benchmark types into the search box (measurement input)",
    ("scripts/benchmark.py", "dầu khí"): "a query the benchmark types into the search box (measurement input)",
    ("scripts/benchmark.py", "viện trợ"): "a query the benchmark types into the search box (measurement input)",
    ("scripts/edition/enrich/bibliography.py", "Luận án Tiến sĩ"):
        "the CSL genre of a thesis cited without a BibTeX type: a value of the cited (Vietnamese) works, the same "
        "in every interface",
    ("scripts/edition/ingest/blocks.py", "A-ZĐ"): "an initial of a printed name (a letter class of the ingest)",
    ("scripts/edition/ingest/blocks.py", "Chương"):
        "the word a thesis prints before a chapter's number (source words the ingest matches)",
    ("scripts/edition/ingest/new_text.py", "# Metadata of {id}"):
        "the skeleton of text.yml that new-text writes: per-text data the editor replaces",
    ("scripts/edition/model/register.py", "đ"): "folding đ to d for the register's names (a letter table)",
    ("scripts/edition/model/slug.py", "đ"): "đ in ids (a transliteration table)",
    ("scripts/edition/model/slug.py", "Đ"): "Đ in ids (a transliteration table)",
    ("scripts/edition/outputs/search/search_index.py", "đ"): "đ as Pagefind can fold it (a letter table)",
    ("scripts/edition/outputs/search/search_index.py", "Đ"): "Đ as Pagefind can fold it (a letter table)",
    ("scripts/edition/outputs/downloads/tei.py", "Tiếng Việt"):
        "TEI langUsage names each language in itself (an endonym, the same in every interface)",
    ("scripts/edition/render/collation.py", "aăâbcdđ"): "the Vietnamese alphabet, for sorting (collation data)",
    ("scripts/edition/render/metadata.py", "Chương"):
        "matches the thesis's printed chapter titles (“Chương 2. …”): the source's words",
    ("scripts/edition/render/tables.py", "Ghi chú"):
        "the label the thesis prints before a table's notes (the source's word, left out of the notes)",
    ("scripts/edition/tools/scan_dates.py", "ngày"): "the date words of the witnesses (the editor's date scanner)",
    ("scripts/edition/tools/scan_dates.py", "tháng"): "the date words of the witnesses (the editor's date scanner)",
    ("scripts/edition/tools/scan_dates.py", "năm"): "the date words of the witnesses (the editor's date scanner)",
    ("docs/assets/print.css", "var(--edition-running-title"):
        "the running title of a page printed without JavaScript (reading.js puts the page's title there)",
    ("docs/assets/search.js", 'replace(/đ/g, "d")'): "folding đ as the index does (a letter table)",
    ("docs/assets/search.js", '/g, "đ")'): "turning the index's spelling of đ back (a letter table)",
}


# --- finding literals -------------------------------------------------------------------------------------

def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _build_error_args(tree: ast.AST) -> set[int]:
    """The nodes inside ``BuildError(...)`` calls: messages for the editor, not the reader's interface."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "BuildError":
            out.update(id(n) for arg in [*node.args, *node.keywords] for n in ast.walk(arg))
    return out


def python_literals(source: str) -> list[tuple[int, str]]:
    """(line, value) of every string literal that is not a docstring or inside BuildError(...); an f-string
    gives its literal parts."""
    tree = ast.parse(source)
    skip = _docstrings(tree) | _build_error_args(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip]


_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group())  # keep the line numbers


def style_code(source: str) -> str:
    """A stylesheet without its comments (lines kept)."""
    return re.sub(r"/\*.*?\*/", _blank, source, flags=re.S)


def template_code(source: str) -> str:
    """A template without its Jinja and HTML comments (lines kept)."""
    return _HTML_COMMENT.sub(_blank, _JINJA_COMMENT.sub(_blank, source))


def script_code(source: str) -> str:
    """A script without its comments (lines kept): strings, template literals and regular expressions are
    code, ``//`` and ``/* */`` outside them are comments."""
    out, i, n = [], 0, len(source)
    last = ""  # the last significant character of code (does a "/" start a regular expression?)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(_blank(re.match(r"[\s\S]*", source[i:end])))
            i = end
        elif c in "'\"`" or (c == "/" and (not last or last in "(,=:[!&|?{};+-*%<>~^")):
            close, j = c, i + 1
            in_class = False
            while j < n and (source[j] != close or in_class):
                if source[j] == "\\":
                    j += 1
                elif close == "/" and source[j] in "[]":
                    in_class = source[j] == "["
                j += 1
            out.append(source[i:j + 1])
            i, last = j + 1, close
        else:
            out.append(c)
            if not c.isspace():
                last = c
            i += 1
    return "".join(out)


def _allowed(file: str, text: str) -> str | None:
    return next((f"{f}: {part}" for (f, part) in ALLOWED if f == file and part in text), None)


def vietnamese_in_code() -> tuple[list[str], set[str]]:
    """(``file:line: literal`` of every Vietnamese literal not allowed, the ALLOWED entries that matched)."""
    found, used = [], set()

    def report(file: str, line: int, text: str) -> None:
        if vietnamese_letters(text):
            allowed = _allowed(file, text)
            if allowed:
                used.add(allowed)
            else:
                found.append(f"{file}:{line}: {text.strip()[:100]!r}")

    for path in sorted(SCRIPTS.rglob("*.py")):
        file = path.relative_to(REPO).as_posix()
        for line, value in python_literals(path.read_text(encoding="utf-8")):
            report(file, line, value)
    for path in sorted(THEME.rglob("*.html")):
        if path.parent == MATERIAL_LANGUAGES:
            continue
        for line, text in enumerate(template_code(path.read_text(encoding="utf-8")).split("\n"), 1):
            report(path.relative_to(REPO).as_posix(), line, text)
    for path in sorted(ASSETS.glob("*.js")):
        for line, text in enumerate(script_code(path.read_text(encoding="utf-8")).split("\n"), 1):
            report(path.relative_to(REPO).as_posix(), line, text)
    for path in sorted(ASSETS.glob("*.css")):
        for line, text in enumerate(style_code(path.read_text(encoding="utf-8")).split("\n"), 1):
            report(path.relative_to(REPO).as_posix(), line, text)
    return found, used


# --- the detector itself ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, letters", [
    ("Xin chào", ["à"]), ("ĐÓNG", ["Đ", "Ó"]), ("Tie\u0302\u0301ng", ["ế"]),  # NFD: decomposed marks count
    ("ơn", ["ơ"]), ("Ư", ["Ư"]), ("Caf\u00e9 au lait", ["é"]), ("lien xo, dau khi", []), ("d\u0335", []),
])
def test_the_detector_knows_vietnamese_letters(text, letters):
    assert vietnamese_letters(text) == letters


def test_a_planted_literal_is_found_and_comments_are_not():
    python = ('"""Docstring: Chương 2 (an example)."""\n# Bản nguồn in a comment\nfrom x import BuildError\n'
              'ok = "lien xo"\nlabel = f"Đóng {n}"\nraise BuildError(p, 1, f"lỗi ở dòng {n}")\n')
    assert [(line, value) for line, value in python_literals(python) if vietnamese_letters(value)] == [(5, "Đóng ")]
    template = '{#- Bản nguồn -#}\n<!-- Đóng -->\n<p>{{ ui["x"] }}</p>\n<p title="Đóng">x</p>\n'
    assert [n for n, line in enumerate(template_code(template).split("\n"), 1) if vietnamese_letters(line)] == [4]
    script = ('// Đóng\nconst a = "x"; /* Bản\nnguồn */\nconst re = /đ/g; // ok\nconst b = `Đóng ${a}`;\n'
              'const url = "http://x" // Tải\n')
    lines = script_code(script).split("\n")
    assert [n for n, line in enumerate(lines, 1) if vietnamese_letters(line)] == [4, 5]
    assert len(lines) == len(script.split("\n"))


def test_no_vietnamese_literal_in_code():
    """A Vietnamese interface string in code, a template or a script fails here: move it into data/ui/."""
    found, used = vietnamese_in_code()
    assert found == [], "\n".join(found)
    stale = {f"{f}: {part}" for f, part in ALLOWED} - used
    assert not stale, f"ALLOWED entries that match nothing any more: {sorted(stale)}"


# --- keys -----------------------------------------------------------------------------------------------

FILE_SUFFIXES = {"bib", "csv", "css", "html", "js", "json", "md", "ris", "txt", "xhtml", "xml", "yml"}
KEY = re.compile(r"^[a-z][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)*\.?$")  # with at least one dot (see _references)
TEMPLATE_KEY = re.compile(r"""\bui\[\s*["']([^"']+)["']\s*\]""")
SCRIPT_STRING = re.compile(r""""([^"\\\n]*)"|'([^'\\\n]*)'""")


def _references() -> dict[str, list[str]]:
    """Where each key-like literal is named: Python literals (an f-string's head is a prefix: ``f"x.{y}"``),
    ``ui["…"]`` in templates, string literals in scripts. Only literals whose first part is a group of the
    catalogue count (``index.md`` is not a key). The loader's THEME_GROUPS and SCRIPT_GROUPS
    name groups, not uses."""
    groups = {key.split(".")[0] for key in ui.catalogue("vi").entries}
    out: dict[str, list[str]] = {}

    def add(name: str, where: str) -> None:
        if "." in name and KEY.match(name) and name.split(".")[0] in groups:
            out.setdefault(name, []).append(where)

    for path in sorted(SCRIPTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        file = path.relative_to(REPO).as_posix()
        # the loader's lists of groups for the theme and the scripts name groups, not uses of their keys
        groups_lists = {id(n) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                        and any(getattr(t, "id", "").endswith("_GROUPS") for t in node.targets) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in groups_lists:
                continue
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = str(node.values[0].value)
                if len(node.values) > 1 and head.endswith("."):
                    add(head, f"{file}:{node.lineno}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                add(node.value, f"{file}:{node.lineno}")
    for path in sorted(THEME.rglob("*.html")):
        for key in TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")):
            add(key, path.relative_to(REPO).as_posix())
    for path in sorted(ASSETS.glob("*.js")):
        for match in SCRIPT_STRING.finditer(script_code(path.read_text(encoding="utf-8"))):
            add(match.group(1) or match.group(2) or "", path.relative_to(REPO).as_posix())
    return out


def test_both_catalogues_have_the_same_keys_and_placeholders():
    catalogues = ui.check()
    assert list(catalogues) == list(ui.LANGUAGES)
    vi, en = catalogues["vi"], catalogues["en"]
    assert vi.entries.keys() == en.entries.keys() and len(vi.entries) > 300
    for key, value in vi.entries.items():
        assert ui._placeholders(value) == ui._placeholders(en.entries[key]), key


def test_every_key_named_exists_and_every_key_is_named():
    entries = ui.catalogue("vi").entries
    references = _references()
    unknown = []
    used: set[str] = set()
    for name, places in references.items():
        under = {k for k in entries if k == name or k.startswith(name if name.endswith(".") else name + ".")}
        if not under and name.rpartition(".")[2] not in FILE_SUFFIXES:  # "register.yml" is a file, not a key
            unknown.append(f"{name} ({places[0]})")
        used |= under
    assert unknown == [], "names that are not keys of data/ui/vi.yml: " + ", ".join(unknown)
    dead = sorted(set(entries) - used)
    assert dead == [], f"keys named by no code, template or script: {dead}"


def test_the_theme_and_the_scripts_are_given_the_keys_they_name():
    """A template's ui["…"] must be in config.extra.ui (THEME_GROUPS), a script's key in its JSON block
    (SCRIPT_GROUPS)."""
    words = ui.catalogue("vi")
    theme, scripts = words.group(*ui.THEME_GROUPS), words.group(*ui.SCRIPT_GROUPS)
    for path in sorted(THEME.rglob("*.html")):
        for key in TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")):
            assert key in theme, f"{path.relative_to(REPO)}: {key} is not in THEME_GROUPS"
    for path in sorted(ASSETS.glob("*.js")):
        for match in SCRIPT_STRING.finditer(script_code(path.read_text(encoding="utf-8"))):
            key = match.group(1) or match.group(2) or ""
            if KEY.match(key) and key in words.entries:
                assert key in scripts, f"{path.relative_to(REPO)}: {key} is not in SCRIPT_GROUPS"


def test_text_count_and_languages():
    vi, en = ui.catalogue("vi"), ui.catalogue("en")
    assert vi.text("line.range", first=3, last=5) == "dòng 3–5" and en.text("line.range", first=3, last=5) == "lines 3–5"
    assert vi.count("count.paragraphs", 1, words=False) == "1 đoạn"
    assert en.count("count.paragraphs", 1, words=False) == "1 paragraph"
    assert en.count("count.paragraphs", 3, words=False) == "3 paragraphs"
    assert ui.language() == "vi" and ui.text("nav.home") == "Trang chủ"
    with ui.use("en"):
        assert ui.language() == "en" and ui.text("nav.home") == "Home"
    assert ui.text("nav.home") == "Trang chủ"
    with pytest.raises(BuildError, match="no interface language 'fr'"):
        ui.use("fr")


# --- the catalogue's validation ---------------------------------------------------------------------------

@pytest.fixture
def catalogues(tmp_path, monkeypatch):
    """Copies of the two catalogues the loader reads instead (restored after the test)."""
    folder = tmp_path / "data" / "ui"
    folder.mkdir(parents=True)
    for lang in ui.LANGUAGES:
        (folder / f"{lang}.yml").write_bytes((paths.UI / f"{lang}.yml").read_bytes())
    monkeypatch.setattr(paths, "UI", folder)
    monkeypatch.setattr(ui, "_loaded", {})
    return folder


def _line(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line)


def test_a_missing_key_stops_with_file_and_line(catalogues):
    en = catalogues / "en.yml"
    en.write_text(en.read_text(encoding="utf-8").replace("  copy-link: Copy link\n", ""), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        ui.check()
    assert (err.value.path, err.value.line) == (str(en), _line(en, "\ndialog:".strip()))
    assert err.value.message.startswith("missing key 'dialog.copy-link' (vi.yml:")


def test_a_placeholder_mismatch_stops_with_file_and_line(catalogues):
    en = catalogues / "en.yml"
    en.write_text(en.read_text(encoding="utf-8").replace('copy-style: "Copy {name}"', 'copy-style: "Copy {style}"'),
                  encoding="utf-8")
    with pytest.raises(BuildError) as err:
        ui.check()
    assert (err.value.path, err.value.line) == (str(en), _line(en, "copy-style:"))
    assert err.value.message.startswith("dialog.copy-style: placeholders {style} differ from {name} in vi.yml:")


def test_a_key_only_in_english_and_a_stray_brace_stop_too(catalogues):
    en, vi = catalogues / "en.yml", catalogues / "vi.yml"
    original = en.read_text(encoding="utf-8")
    en.write_text(original.replace("  copy: Copy\n", "  copy: Copy\n  paste: Paste\n"), encoding="utf-8")
    with pytest.raises(BuildError, match="key 'dialog.paste' is not in vi.yml") as err:
        ui.check()
    assert err.value.line == _line(en, "paste:")
    en.write_text(original, encoding="utf-8")
    vi.write_text(vi.read_text(encoding="utf-8").replace("  copy: Sao chép\n", "  copy: Sao {chép\n"), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        ui.check()
    assert err.value.line == _line(vi, "copy: Sao {chép") and "only braces are {placeholders}" in err.value.message


@pytest.mark.parametrize("translated, shown", [
    ("Author (with Nguyễn Vịnh) named by the thesis.", 'Author (with <span lang="vi">Nguyễn Vịnh</span>) named by the thesis.'),
    ("talks with M.X.Goocbachốp.", 'talks with M.X.<span lang="vi">Goocbachốp</span>.'),
    ("Revolutionary mentioned with Hà Huy Tập and Lê Hồng Phong.",
     'Revolutionary mentioned with <span lang="vi">Hà Huy Tập</span> and <span lang="vi">Lê Hồng Phong</span>.'),
    ("the book “Tại sao Việt Nam?”, named", 'the book <span lang="vi">“Tại sao Việt Nam?”</span>, named'),
    ("the book “Hanoi’s War”, in Moscow", "the book “Hanoi’s War”, in Moscow"),
])
def test_the_editors_translation_marks_vietnamese_names_and_quotations(translated, shown):
    """An editor's line given per language, in the English interface: the names it keeps as printed and its
    quotations are Vietnamese for a screen reader; English words and English quotations are not marked."""
    with ui.use("en"):
        assert ui.editors_localised({"vi": "…", "en": translated}, str) == shown
    with ui.use("vi"):
        assert ui.editors_localised({"vi": translated, "en": "…"}, str) == translated
