"""Cross-links: every "Phụ lục N" mention in the thesis body → that appendix page; the first mention of
the 1978 treaty in each chapter of any text → Phụ lục 12 (the treaty text)."""

from __future__ import annotations

import re
from collections import defaultdict

from ..corpus import Chapter, Text
from ..errors import BuildError

THESIS = "luan-an-1975-1991"
TREATY_PAGE = "../luan-an-1975-1991/08-phu-luc-12.md#phu-luc-12"
# "Phụ lục 4", "phụ lục 6,7" — numbers are linked one by one.
APPENDIX = re.compile(r"([Pp]hụ lục) (\d+(?:\s*[,và]+\s*\d+)*)")
TREATY = re.compile(r"Hiệp ước Hữu nghị và [Hh]ợp tác|Hiệp ước Hữu nghị|Treaty of Friendship and [Cc]ooperation")
LINK = re.compile(r"\[[^\]]*\]\([^)]*\)(\{:[^}]*\})?")


def _outside_links(md: str, pattern: re.Pattern):
    """Matches of ``pattern`` that are not inside an existing Markdown link."""
    taken = [m.span() for m in LINK.finditer(md)]
    return [m for m in pattern.finditer(md) if not any(a <= m.start() < b for a, b in taken)]


class CrossLinker:
    def __init__(self, max_appendix: int = 12) -> None:
        self.max_appendix = max_appendix
        self.appendix_links: dict[int, int] = defaultdict(int)
        self.treaty_linked: set[str] = set()

    def appendix_href(self, n: int, chapter: Chapter) -> str:
        if not 1 <= n <= self.max_appendix:
            raise BuildError(chapter.path, None, f"cross-link target 'Phụ lục {n}' does not exist")
        return TREATY_PAGE if n == 12 else f"../phu-luc/phu-luc-{n:02d}.md"

    def __call__(self, text: Text, chapter: Chapter, pid: str, md: str) -> str:
        if text.id == THESIS and not chapter.id.startswith("phu-luc"):
            for m in reversed(_outside_links(md, APPENDIX)):
                numbers = m.group(2)
                linked = re.sub(r"\d+", lambda n: f"[{n.group(0)}]({self.appendix_href(int(n.group(0)), chapter)})",
                                numbers)
                for n in re.findall(r"\d+", numbers):
                    self.appendix_links[int(n)] += 1
                md = md[:m.start()] + f"{m.group(1)} {linked}" + md[m.end():]
        key = f"{text.id}/{chapter.stem}"
        if key not in self.treaty_linked and chapter.id != "phu-luc-12":
            found = _outside_links(md, TREATY)
            if found:
                m = found[0]
                md = md[:m.start()] + f"[{m.group(0)}]({TREATY_PAGE}){{: .treaty-link}}" + md[m.end():]
                self.treaty_linked.add(key)
        return md
