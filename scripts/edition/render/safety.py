"""Corpus text is data, not markup: neutralise HTML, attribute lists and links a hand edit could smuggle in.

Only the markup the edition itself writes survives: ``<br>``, ``<ins class="editorial">``, ``<https://…>``
autolinks, ``[^n]`` footnotes, and attribute lists of ``{#id}``, ``lang="…"`` and the classes below.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BuildError
from ..model.corpus import Block
from ..model.markup import HEADING, replace_outside

ALLOWED_TAG = re.compile(r'<(?:br|/?ins(?: class="editorial")?)>|<https?://[^>\s]+>')
LINK_TARGET = re.compile(r"\]\(")
REFERENCE_DEF = re.compile(r"^(\s*)\[(?=[^\]\n]*\]:)", re.M)  # "[x]: javascript:…" would define a link
BRACE = re.compile(r"(?<!\\)([{}])")
FOOTNOTE_REF = re.compile(r"\[\^(?!\d+\])")
# Classes the corpus may give a paragraph or heading (styled in docs/assets/edition.css).
ALLOWED_CLASSES = frozenset({"abstract", "abstract-title", "affiliation", "byline", "ed-duplicate", "keywords",
                             "licence", "received", "run-in", "subhead-gach-dau-dong", "subhead-thu-tu",
                             "subhead-linh-vuc", "subhead-khac"})
ALLOWED_ATTR = re.compile(r'^(?:\.(?P<cls>[a-z][a-z0-9-]*)|lang="[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")$')


def sanitize(markdown: str) -> str:
    text = replace_outside(markdown, ALLOWED_TAG, "<", "&lt;")
    text = LINK_TARGET.sub("]\\(", text)  # no [text](javascript:…) links from the corpus
    text = REFERENCE_DEF.sub(r"\1\\[", text)
    text = BRACE.sub(r"\\\1", text)  # no {#id} / {: attr} lists
    return FOOTNOTE_REF.sub("\\[^", text)


def check_attrs(attrs: str, path: Path, line: int) -> str:
    """The corpus's attribute list (without the id), or one error naming the attribute that is not allowed."""
    for token in attrs.split():
        m = ALLOWED_ATTR.match(token)
        if not m or m["cls"] and m["cls"] not in ALLOWED_CLASSES:
            raise BuildError(path, line, f"attribute {token!r} is not allowed (allowed: #id, lang=\"…\" and the "
                                         f"classes {', '.join(sorted(ALLOWED_CLASSES))})")
    return attrs


def heading(block: Block, path: Path) -> str:
    """A corpus heading rebuilt from its parts: sanitised title, its checked id and attributes."""
    title = HEADING.match(block.markdown).group(2)
    attrs = check_attrs(block.attrs, path, block.line)
    return f"{'#' * block.level} {sanitize(title)} {{#{block.id}{' ' + attrs if attrs else ''}}}"


def raw(block: Block, path: Path) -> str:
    """A fenced layout block; its opening fence may name a language, nothing else (superfences would read
    ``{…}`` there as attributes). Markdown shows the content as code."""
    if block.markdown.split("\n", 1)[0] not in ("```", "```text"):
        raise BuildError(path, block.line, "a fenced block opens with ``` or ```text only")
    return block.markdown


def footnote(block: Block) -> str:
    """``[^n]: text`` with the text sanitised (the label is the edition's own markup)."""
    label, _, body = block.markdown.partition(":")
    return f"{label}:{sanitize(body)}"
