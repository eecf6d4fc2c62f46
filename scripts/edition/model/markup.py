"""The corpus's Markdown conventions, in both directions.

``escape_*`` keeps witness text literal when written as Markdown; ``plain_*`` removes exactly the syntax
the edition adds, so the fidelity check compares the witness with what a reader sees.
"""

from __future__ import annotations

import re

SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")  # 004's ⁽n⁾ markers → n
# *italic* pairs are Markdown already in the witness (004's notes); every other star is literal.
ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*)])[^*\n]+?(?<=[^\s(])\*(?![\w*])")
# **bold** is the edition's own: a run-in head at the start of its paragraph (the witness's stars are escaped).
STRONG = re.compile(r"(?<![\\*])\*\*(?=[^\s*])(.+?)(?<=\S)\*\*(?!\*)")
AUTOLINK = re.compile(r"<https?://[^>\s]+>")
HEADING = re.compile(r"^(#{1,6}) (.*?)(?: \{([^{}]*)\})?$")
ATTR_LINE = re.compile(r"^\{:\s*([^{}]*)\}$")
TRAILING_ATTRS = re.compile(r" \{:[^{}]*\}$")
FOOTNOTE_DEF = re.compile(r"^\[\^(\d+)\]: ?")
FOOTNOTE_REF = re.compile(r"\[\^(\d+)\]")
EDITORIAL = re.compile(r'<ins class="editorial">.*?</ins>')
# A printed page begins here: ``{pb 46}``, ``{pb 127?}`` (uncertain), ``{pb ?}`` (number not known).
# Witness braces are escaped (``\{``), so an unescaped ``{pb …}`` is always the edition's milestone.
PAGE_MARK = re.compile(r"(?<!\\)\{pb ([0-9]*\??)\} ?")
PAGE_OPEN, PAGE_CLOSE = "\ue000", "\ue001"  # the ingest's sentinel around a milestone's label
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")


def replace_outside(text: str, keep: re.Pattern, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` everywhere except inside the spans matched by ``keep``."""
    out, pos = [], 0
    for m in keep.finditer(text):
        out.append(text[pos:m.start()].replace(old, new))
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].replace(old, new))
    return "".join(out)


def escape_inline(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("`", "\\`").replace("_", "\\_")
    text = text.replace("{", "\\{").replace("}", "\\}").replace("[^", "\\[^")
    return replace_outside(replace_outside(text, ITALIC, "*", "\\*"), AUTOLINK, "<", "&lt;")


def escape_block_start(text: str, list_item: bool = False) -> str:
    """Stop a paragraph's first characters from being read as a heading, quote or list."""
    if list_item:
        return text
    if re.match(r"[#>]", text):
        return "\\" + text
    if re.match(r"[-+] ", text):
        return "\\" + text
    m = re.match(r"(\d+)\.( |$)", text)
    if m:
        return m.group(1) + "\\." + text[m.end(1) + 1:]
    return text


def escape_paragraph(text: str, list_item: bool = False) -> str:
    return escape_block_start(escape_inline(text), list_item)


def note_call(template: str | None, n: int) -> str:
    """A note call as the witness prints it, from the chapter's ``note_call`` template (``({n})``, ``⁽{sup}⁾``,
    ``{stars}`` …; written by the ingest from the rules' ``footnotes.call``). Without a template the reference
    stays ``[^n]``, which no witness prints, so the fidelity check reports it instead of inventing a form."""
    if template is None:
        return f"[^{n}]"
    return template.format(n=n, sup=str(n).translate(SUPERSCRIPT_DIGITS), stars="*" * n)


def call_number(m: re.Match, order: int) -> int:
    """The note a call or label found by a note-call pattern (text.yml ``citations.marker``) stands for: its
    group 1, digits or superscript digits; for a pattern without a group (``\\*``, ``\\*+``), ``order``, its
    place in reading order."""
    return int(m.group(1).translate(SUPERSCRIPT)) if m.re.groups else order


def plain_line(line: str, call: str | None = None) -> str:
    """One corpus Markdown line → the witness words it stands for (``call``: the chapter's note-call template)."""
    if ATTR_LINE.match(line) or line.startswith("```"):
        return ""
    line = TRAILING_ATTRS.sub("", line)
    line = PAGE_MARK.sub("", line)
    m = HEADING.match(line)
    if m:
        line = m.group(2)
    line = FOOTNOTE_DEF.sub("", line)  # the printed label's removal is in the change log
    line = FOOTNOTE_REF.sub(lambda m: note_call(call, int(m.group(1))), line)
    line = EDITORIAL.sub(" ", line).replace("<br>", " ")
    line = STRONG.sub(r"\1", line)
    line = ESCAPED.sub(r"\1", line)
    return line.replace("&lt;", "<")
