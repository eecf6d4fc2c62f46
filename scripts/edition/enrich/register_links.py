"""Register mentions in the reading text: the first mention of each entry in a paragraph links to the
entry's page (later ones stay plain, so a paragraph naming "Liên Xô" five times is not a row of links).

The link carries ``data-reg`` (the entry id, for the search index's aliases) and ``data-names`` (the entry's
names folded as readers type them, "|" between names), so the landing highlight marks "Goocbachốp" for
the query "gorbachev".
"""

from __future__ import annotations

import html
import re

from ..model.corpus import Chapter, Text
from ..model.register import Register, fold, load_register

PAGE_DIR = "bang-tra"
# Spans a name inside must not be linked: existing Markdown links (their text may hold escaped brackets,
# "[\[10\]](…)"), attribute lists (a citation's tooltip names places), HTML tags and autolinks.
_TAKEN = re.compile(r"\[(?:\\.|[^\]\\])*\]\([^)]*\)|\{:[^}]*\}|<[^>]*>")


def names_attr(names: list[str]) -> str:
    """The names folded, "|" between names: "goocbachop|m.x.goocbachop|gorbachev"."""
    return "|".join(dict.fromkeys(" ".join(fold(name).split()) for name in names))


class RegisterLinker:
    def __init__(self, register: Register | None = None) -> None:
        self.register = register or load_register()
        self.linked = 0
        self._names: dict[str, str] = {}  # entry id → its data-names (folding is slow, and links repeat)

    def __call__(self, text: Text, chapter: Chapter, pid: str, md: str) -> str:
        taken = [m.span() for m in _TAKEN.finditer(md)]
        chosen, done = [], set()
        for mention in self.register.find(md, text.id):
            if mention.entry.id in done or any(a <= mention.start < b or a < mention.end <= b for a, b in taken):
                continue
            done.add(mention.entry.id)
            chosen.append(mention)
        for m in reversed(chosen):
            entry = m.entry
            if entry.id not in self._names:
                self._names[entry.id] = html.escape(names_attr(entry.names))
            attrs = f'{{: .reg-mention data-reg="{entry.id}" data-names="{self._names[entry.id]}"}}'
            md = md[:m.start] + f"[{md[m.start:m.end]}](../{PAGE_DIR}/{entry.id}.md){attrs}" + md[m.end:]
        self.linked += len(chosen)
        return md
