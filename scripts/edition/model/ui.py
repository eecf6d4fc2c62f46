"""The interface's words: one catalogue per language, ``data/ui/<lang>.yml`` (an engine file, like the schemas
and the theme: a fixture edition under ``EDITION_ROOT`` reads the repository's).

Every string the reader is shown around the texts — page headings and labels, the ¶ dialog, the search box,
the PDF/EPUB/TEI front matter, the error pages of ``edition serve`` — is a key of the catalogue, grouped by
feature (``landing.field.title``, ``dialog.copy-link`` …). Vietnamese (``vi``) is the reference catalogue,
with the glossary docs/thuat-ngu.md; every other catalogue has exactly its keys, and each value the same
``{placeholders}`` (and a list the same length). A value may hold the markup of the place it lands (Markdown
in the generated Markdown, HTML in raw HTML blocks) around its words; data values are never in it, they are
placeholders filled, escaped, by the code. Braces are only placeholders.

Load & validate: ``check()`` reads every catalogue (its JSON Schema ``schemas/ui.schema.json``, then the
comparison with the reference); a problem stops the build with one ``file:line: message``.

The language in force is chosen by the build, once, not passed through every function::

    ui.use("en")                  # from now on (the default is "vi")
    with ui.use("en"): ...        # or only inside the block
    ui.text("landing.field.title")                    # "Nhan đề" / "Title"
    ui.text("timeline.events", n=12)                  # placeholders by name
    ui.count("count.texts", 1, capital=True)          # "Một văn bản" / "One text"

``catalogue(lang)`` is one language's catalogue whatever is in force (the citation records, which are the same
in every interface, and a download's labels in the language of its text use it).

Keys the theme's templates read are written into ``build/mkdocs.yml`` (``extra.ui``; ``THEME_GROUPS``), and the
keys the scripts read into a JSON block on every page (``extra.ui_scripts``; ``SCRIPT_GROUPS``).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import BuildError
from .yamlio import load_yaml

LANGUAGES = ("vi", "en")  # the first is the reference catalogue
DEFAULT = LANGUAGES[0]
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# The keys the theme's templates read (config.extra.ui) and the keys docs/assets/*.js read (the JSON block of
# every page, config.extra.ui_scripts): groups, or single keys (tests/test_ui_catalogue.py checks that every
# key a template or script names is in them).
THEME_GROUPS = ("site", "reading", "search")
SCRIPT_GROUPS = ("dialog", "preview", "reading.script", "timeline.script", "line", "page.label", "cite.intext",
                 "witness.title", "register.title", "register.basis-mentions", "evidence.editor", "evidence.basis")


def folder() -> Path:
    return paths.UI


@dataclass
class Catalogue:
    lang: str
    path: Path
    entries: dict[str, str | list[str]]  # flat: "landing.field.title" → value
    lines: dict[str, int]  # key → its line in the file (a group: the line of its name)
    digest: str = field(default="")

    def text(self, key: str, /, **fields: object) -> str:
        """The value of ``key`` with its ``{placeholders}`` filled (each one given, by name)."""
        try:
            value = self.entries[key]
        except KeyError:
            raise KeyError(f"{key!r} is not a key of {self.path}") from None
        if not isinstance(value, str):
            raise TypeError(f"{key!r} in {self.path} is a list: use words()")
        return value.format_map(fields) if fields or "{" in value else value

    def lookup(self, key: str, fallback: str) -> str:
        """The value of ``key``, or ``fallback`` when the catalogue has no such key (a name from data, e.g. a
        kind of intervention the change log may add before the catalogue names it)."""
        value = self.entries.get(key)
        return value if isinstance(value, str) else fallback

    def words(self, key: str) -> list[str]:
        value = self.entries[key]
        if not isinstance(value, list):
            raise TypeError(f"{key!r} in {self.path} is not a list")
        return value

    def number(self, n: int) -> str:
        """``n`` in words up to the last of ``number.words`` (ten), in digits above."""
        words = self.words("number.words")
        return words[n] if 0 <= n < len(words) else str(n)

    def count(self, key: str, n: int, capital: bool = False, words: bool = True) -> str:
        """``key.one`` or ``key.other`` with ``{n}`` in words (or digits, ``words=False``): "một văn bản",
        "five texts", "12 texts", "1 paragraph"."""
        shown = self.text(f"{key}.{'one' if n == 1 else 'other'}", n=self.number(n) if words else n)
        return shown[:1].upper() + shown[1:] if capital else shown

    def group(self, *prefixes: str) -> dict[str, str | list[str]]:
        """The keys under ``prefixes`` (a group's name, or a whole key), in the catalogue's order."""
        return {k: v for k, v in self.entries.items() if any(k == p or k.startswith(p + ".") for p in prefixes)}

    def theme(self) -> dict[str, str | list[str]]:
        """The keys the theme's templates read (``config.extra.ui``)."""
        return self.group(*THEME_GROUPS)

    def scripts_json(self) -> str:
        """The keys docs/assets/*.js read, as the JSON block every page carries (theme/main.html prints it as
        it is): compact, letters as UTF-8 (a Vietnamese letter escaped is six bytes on every page), and no <, >
        or & that could end the block."""
        data = json.dumps(self.group(*SCRIPT_GROUPS), ensure_ascii=False, separators=(",", ":"))
        return data.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


_loaded: dict[str, tuple[bytes, Catalogue]] = {}
_language = DEFAULT


def _flatten(node: dict, prefix: str, entries: dict, lines: dict) -> None:
    key_lines = getattr(node, "key_lines", {})
    for name, value in node.items():
        if name == "__line__":
            continue
        key = f"{prefix}{name}"
        lines[key] = key_lines.get(name, node.get("__line__", 1))
        if isinstance(value, dict):
            _flatten(value, key + ".", entries, lines)
        else:
            entries[key] = list(value) if isinstance(value, list) else value


def _read(lang: str) -> Catalogue:
    path = folder() / f"{lang}.yml"
    data = path.read_bytes() if path.exists() else b""
    cached = _loaded.get(lang)
    if cached and cached[0] == data:
        return cached[1]
    raw = load_yaml(path)  # UTF-8, no duplicate key, schemas/ui.schema.json
    entries: dict = {}
    lines: dict = {}
    _flatten(raw, "", entries, lines)
    loaded = Catalogue(lang, path, entries, lines, hashlib.sha256(data).hexdigest())
    _loaded[lang] = (data, loaded)
    return loaded


def _line(cat: Catalogue, key: str) -> int:
    """The line of ``key`` in ``cat``, or of its nearest group there (where a missing key belongs)."""
    while key:
        if key in cat.lines:
            return cat.lines[key]
        key = key.rpartition(".")[0]
    return 1


def _compare(reference: Catalogue, other: Catalogue) -> None:
    """Same keys, same placeholders per key, lists of the same length; the first difference stops the build."""
    ref_name = reference.path.name
    for key, value in reference.entries.items():
        if key not in other.entries:
            raise BuildError(other.path, _line(other, key),
                             f"missing key {key!r} ({ref_name}:{reference.lines[key]} has it; every key is in every "
                             "language)")
        theirs = other.entries[key]
        if isinstance(value, list) != isinstance(theirs, list):
            raise BuildError(other.path, other.lines[key], f"{key}: a {'list' if isinstance(value, list) else 'text'} "
                                                           f"in {ref_name}:{reference.lines[key]}")
        if isinstance(value, list) and len(value) != len(theirs):
            raise BuildError(other.path, other.lines[key], f"{key}: {len(theirs)} items, {ref_name}:"
                                                           f"{reference.lines[key]} has {len(value)}")
        mine, want = _placeholders(theirs), _placeholders(value)
        if mine != want:
            raise BuildError(other.path, other.lines[key],
                             f"{key}: placeholders {_show(mine)} differ from {_show(want)} in "
                             f"{ref_name}:{reference.lines[key]}")
    for key in other.entries:
        if key not in reference.entries:
            raise BuildError(other.path, other.lines[key], f"key {key!r} is not in {ref_name} (the reference "
                                                           "catalogue: add it there first)")


def _placeholders(value: str | list[str]) -> list[str]:
    texts = value if isinstance(value, list) else [value]
    return sorted({name for text in texts for name in PLACEHOLDER.findall(text)})


def _show(names: list[str]) -> str:
    return ", ".join("{" + n + "}" for n in names) or "none"


def check() -> dict[str, Catalogue]:
    """Read every catalogue (again if its file changed) and compare each with the reference; by language."""
    reference = _read(DEFAULT)
    out = {DEFAULT: reference}
    for lang in LANGUAGES[1:]:
        out[lang] = _read(lang)
        _compare(reference, out[lang])
    return out


def catalogue(lang: str | None = None) -> Catalogue:
    """The catalogue of ``lang`` (default: the language in force), checked against the others on first use."""
    lang = lang or _language
    if lang not in _loaded:
        if lang not in LANGUAGES:
            raise BuildError(folder(), None, f"no interface language {lang!r} (known: {', '.join(LANGUAGES)})")
        check()
    return _loaded[lang][1]


class use:
    """Make ``lang`` the interface language: from now on, or, as a context manager, inside the block."""

    def __init__(self, lang: str) -> None:
        global _language
        if lang not in LANGUAGES:
            raise BuildError(folder(), None, f"no interface language {lang!r} (known: {', '.join(LANGUAGES)})")
        self.previous, _language = _language, lang

    def __enter__(self) -> Catalogue:
        return catalogue()

    def __exit__(self, *exc) -> None:
        global _language
        _language = self.previous


def language() -> str:
    """The interface language in force (its code, as in ``lang`` attributes)."""
    return _language


def current() -> Catalogue:
    return catalogue(_language)


def text(key: str, /, **fields: object) -> str:
    return current().text(key, **fields)


def lookup(key: str, fallback: str) -> str:
    return current().lookup(key, fallback)


def words(key: str) -> list[str]:
    return current().words(key)


def number(n: int) -> str:
    return current().number(n)


def count(key: str, n: int, capital: bool = False, words: bool = True) -> str:
    return current().count(key, n, capital, words)


def localised(value):
    """A data value given per interface language (``{vi: …, en: …}``, as text.yml's ``genre``) in the language
    in force; any other value is the same in every interface."""
    return value.get(_language) if isinstance(value, dict) and set(value) - {"__line__"} == set(LANGUAGES) else value


def per_language(value: str | dict | None) -> dict[str, str]:
    """An editor's line from data by language: ``{vi: …, en: …}``, the reference language's only, or none."""
    return value if isinstance(value, dict) else {} if value is None else {DEFAULT: value}


def editors_localised(value: str | dict, escape) -> str:
    """The editor's words from data (a register description, a timeline note), given per interface language
    or in the reference language only: ``escape``d, and marked as the reference language's where the interface
    shows them untranslated."""
    if isinstance(value, dict):
        return _vietnamese_marked(escape(localised(value)))
    return marked(escape(value), DEFAULT)


_QUOTED = re.compile("(“[^“”]*”)")
# a run of capitalised words, words with letters outside ASCII and dashes: a name (Hà Huy Tập, Trung tâm Nhiệt
# đới Việt - Xô), marked when one of its words has a Vietnamese letter
_IN_WORD = r"(?:&#?\w+;|[^\s()\[\],;:.“”&])"  # an escaped character (&#42;) is one
_WORD = rf"(?:{_IN_WORD}*[^\x00-\x7f\s“”–]{_IN_WORD}*|[A-Z]{_IN_WORD}*)"
_NAME = re.compile(rf"(?<![^\s(\[.]){_WORD}(?: (?:[-–]|{_WORD}))*(?!{_IN_WORD})")


def _vietnamese_marked(html_text: str) -> str:
    """A translation's quotations (printed words) and the names in it with Vietnamese letters (as printed:
    Nguyễn Vịnh, Hồ Chí Minh, BCHTƯ), marked as the reference language's."""
    parts = _QUOTED.split(html_text)
    return "".join(editors(part) if n % 2 else _NAME.sub(lambda m: editors(m.group()), part)
                   for n, part in enumerate(parts))


def marked(html_text: str, lang: str) -> str:
    """HTML (already escaped) in ``lang``, marked with its language where it is not the interface's: a
    Vietnamese chapter title in the English interface's navigation, an English one in the Vietnamese."""
    return html_text if lang == _language or not html_text else f'<span lang="{lang}">{html_text}</span>'


D_WITH_STROKE = chr(0x111)  # the one Vietnamese letter that does not decompose into a letter and a mark


def not_english(text: str) -> bool:
    """A letter English does not write: one with a mark (tone, horn, breve, circumflex), or d with stroke."""
    return D_WITH_STROKE in text.lower() or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


def editors(html_text: str) -> str:
    """The editor's words from data (a note, a decision, a rights statement, a register headword), written in the reference language
    or, for some notes, in English: marked as the reference language's where it holds a letter English lacks."""
    return marked(html_text, DEFAULT) if not_english(html_text) else html_text


def fingerprint() -> str:
    """The language in force and its catalogue's bytes, for the keys of caches whose outputs show its words."""
    return f"{_language}:{current().digest}"
