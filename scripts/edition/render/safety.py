"""Corpus text is data, not markup: neutralise HTML, attribute lists and links a hand edit could smuggle in."""

import re

from ..markup import replace_outside

ALLOWED_TAG = re.compile(r'<(?:br|/?ins(?: class="editorial")?)>|<https?://[^>\s]+>')
LINK_TARGET = re.compile(r"\]\(")
BRACE = re.compile(r"(?<!\\)([{}])")
FOOTNOTE_REF = re.compile(r"\[\^(?!\d+\])")


def sanitize(markdown: str) -> str:
    text = replace_outside(markdown, ALLOWED_TAG, "<", "&lt;")
    text = LINK_TARGET.sub("]\\(", text)  # no [text](javascript:…) links from the corpus
    text = BRACE.sub(r"\\\1", text)  # no {#id} / {: attr} lists
    return FOOTNOTE_REF.sub("\\[^", text)
