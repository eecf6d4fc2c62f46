"""Escaping for every place a value from data lands in a generated page (rule 4: data cannot attack the reader).

One function per landing place, so a renderer says where a value goes, not how to escape it:

- ``md_text``: literal text inside generated Markdown (also inside ``markdown="1"`` HTML blocks and table cells);
- ``html_text`` / ``attr``: raw HTML that Markdown does not process (HTML tables, SVG, attribute values);
- ``title``: page titles in the front matter and the navigation; MkDocs and Material treat titles as HTML
  (a heading's title may hold ``<br>``) and print them unescaped, so they are stored escaped;
- ``code``: literal text shown in monospace; ``link_title``: the quoted title of a Markdown link;
- ``url``: a link target from data, limited to http(s), mailto and relative URLs.

JSON inside ``<script type="application/ld+json">`` is written by the theme with Jinja's ``tojson``, which
escapes ``<``, ``>`` and ``&``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable


# HTML's specials and every character Markdown (with attr_list, footnotes, tables, abbr, tilde, caret) reads
# as syntax become character references: the reader sees the same characters, Markdown sees no markup.
def characters(table: dict[str, str]) -> Callable[[str], str]:
    """A function that replaces each character of ``table`` in a string by its value. One regular expression
    finds them: a line of text rarely holds any, and str.translate with such a table looks up every character
    (three times slower on the witness lines)."""
    found = re.compile("[" + re.escape("".join(table)) + "]")
    return lambda text: found.sub(lambda match: table[match.group()], text)


_MD = characters({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: f"&#{ord(c)};" for c in "\\`*_{}[]#|~^"}})
_TITLE = str.maketrans({c: f"&#{ord(c)};" for c in "\"'()"})
_LINE_BREAK = re.compile(r"\s*\n\s*")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these before reading a scheme
SAFE_SCHEMES = ("http", "https", "mailto")


def md_text(value: object) -> str:
    """Inline text: a line break in the value would end a heading, list item or indented block early."""
    text = str(value)
    if "\n" in text:
        text = _LINE_BREAK.sub(" ", text)
    return _MD(text)


def link_title(value: object) -> str:
    """The quoted title of a generated Markdown link: quotes and brackets cannot end it early."""
    return md_text(value).translate(_TITLE)


def html_text(value: object) -> str:
    return html.escape(str(value), quote=True)


attr = html_text


def title(value: object) -> str:
    """Material prints titles as HTML text, and through ``striptags | e`` or ``e`` in attributes."""
    return html.escape(str(value), quote=False)


def code(value: object) -> str:
    return f"<code>{md_text(value)}</code>"


def safe_url(value: str) -> bool:
    """True for http(s)/mailto URLs and relative ones; a scheme hidden by spaces or controls counts too."""
    squashed = _IGNORED_IN_URL.sub("", value)
    if squashed.startswith(("//", "\\\\", "/\\", "\\/")):  # protocol-relative: another host
        return False
    m = _SCHEME.match(squashed)
    return not m or m.group(1).lower() in SAFE_SCHEMES
