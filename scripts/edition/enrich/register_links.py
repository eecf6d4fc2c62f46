"""Register mentions in the reading text: the first mention of each entry in a paragraph links to the
entry's page (later ones stay plain, so a paragraph naming "Liên Xô" five times is not a row of links).

The link carries ``data-reg``, the entry id: the search index adds the entry's other names to the record, and
the landing highlight reads them from the previews' data (bang-tra/xem-truoc.json), so "gorbachev" marks
"Goocbachốp" (the names are not repeated on every link: they were a sixth of a chapter page's bytes).
"""

from __future__ import annotations

import re

from ..model.corpus import Chapter, Text
from ..model.register import Register, load_register

PAGE_DIR = "bang-tra"
# Spans a name inside must not be linked: existing Markdown links (their text may hold escaped brackets,
# "[\[10\]](…)"), attribute lists (a citation's tooltip names places), HTML tags and autolinks.
_TAKEN = re.compile(r"\[(?:\\.|[^\]\\])*\]\([^)]*\)|\{:[^}]*\}|<[^>]*>")


class RegisterLinker:
    def __init__(self, register: Register | None = None) -> None:
        self.register = register or load_register()
        self.linked = 0

    def __call__(self, text: Text, chapter: Chapter, pid: str, md: str) -> str:
        taken = [m.span() for m in _TAKEN.finditer(md)]
        chosen, done = [], set()
        for mention in self.register.find(md, text.id):
            if mention.entry.id in done or any(a <= mention.start < b or a < mention.end <= b for a, b in taken):
                continue
            done.add(mention.entry.id)
            chosen.append(mention)
        for m in reversed(chosen):
            attrs = f'{{: .reg-mention data-reg="{m.entry.id}"}}'
            md = md[:m.start] + f"[{md[m.start:m.end]}](../{PAGE_DIR}/{m.entry.id}.md){attrs}" + md[m.end:]
        self.linked += len(chosen)
        return md
