"""Cross-links by rules as data (data/crosslinks.yml), applied to the texts that name them in their
text.yml (``features.crosslinks``): e.g. every "Phụ lục N" mention in the thesis body → that appendix page,
the first mention of the 1978 treaty on each page of any text → the treaty's text."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..errors import BuildError
from ..model import features
from ..model.corpus import Chapter, Text

LINK = re.compile(r"\[[^\]]*\]\([^)]*\)(\{:[^}]*\})?")
RULE_KEYS = {"pattern", "target", "numbers", "targets", "range", "skip_chapters", "first_per_page", "class"}
# A target is a page of the generated site ({n}: the number linked) and lands in a Markdown link: nothing else.
TARGET = re.compile(r"[a-z0-9][a-z0-9/_.-]*(\{n(:0\d+d)?\})?[a-z0-9/_.-]*\.md(#[a-z0-9][a-z0-9-]*)?")
CSS_CLASS = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    target: str  # a page of the generated site, from its root
    numbers: int | None = None  # group whose numbers are linked one by one
    targets: dict | None = None  # number → target, for numbers whose page is elsewhere
    range: tuple[int, int] | None = None
    skip_chapters: re.Pattern | None = None
    first_per_page: bool = False
    css_class: str | None = None

    def href(self, n: int | None, chapter: Chapter) -> str:
        if n is None:
            return "../" + self.target
        if self.range and not self.range[0] <= n <= self.range[1]:
            raise BuildError(chapter.path, None, f"cross-link target '{self.name} {n}' does not exist "
                             f"(rule {self.name}: {self.range[0]}–{self.range[1]})")
        return "../" + ((self.targets or {}).get(n) or self.target.format(n=n))


def load_rules() -> dict[str, Rule]:
    """The rules of data/crosslinks.yml, checked (a bad rule stops the build at its line)."""
    rules = {}
    for name, raw in features.crosslink_rules().items():
        if name == "__line__":
            continue
        where = (features.CROSSLINKS_FILE, raw.get("__line__") if isinstance(raw, dict) else None)
        if not isinstance(raw, dict) or not {"pattern", "target"} <= set(raw) or set(raw) - RULE_KEYS - {"__line__"}:
            raise BuildError(*where, f"rule {name}: needs pattern and target, may have {sorted(RULE_KEYS - {'pattern', 'target'})}")
        try:
            pattern = re.compile(raw["pattern"])
            skip = re.compile(raw["skip_chapters"]) if raw.get("skip_chapters") else None
        except re.error as err:
            raise BuildError(*where, f"rule {name}: bad regular expression: {err}") from None
        targets = {int(k): v for k, v in (raw.get("targets") or {}).items() if k != "__line__"}
        for target in (raw["target"], *targets.values()):
            if not isinstance(target, str) or not TARGET.fullmatch(target):
                raise BuildError(*where, f"rule {name}: target {target!r} is not a page of the site (path/to/page.md#id)")
        if raw.get("class") is not None and not CSS_CLASS.fullmatch(str(raw["class"])):
            raise BuildError(*where, f"rule {name}: class {raw['class']!r} is not a class name")
        rng = raw.get("range")
        if raw.get("numbers") is not None and not (isinstance(raw["numbers"], int) and 0 < raw["numbers"] <= pattern.groups):
            raise BuildError(*where, f"rule {name}: numbers must name a group of the pattern (1–{pattern.groups})")
        if rng is not None and not (isinstance(rng, list) and len(rng) == 2 and all(isinstance(x, int) for x in rng)):
            raise BuildError(*where, f"rule {name}: range must be [first, last]")
        rules[name] = Rule(name, pattern, raw["target"], raw.get("numbers"), targets, tuple(rng) if rng else None, skip,
                          bool(raw.get("first_per_page")), raw.get("class"))
    return rules


def _outside_links(md: str, pattern: re.Pattern):
    """Matches of ``pattern`` that are not inside an existing Markdown link."""
    taken = [m.span() for m in LINK.finditer(md)]
    return [m for m in pattern.finditer(md) if not any(a <= m.start() < b for a, b in taken)]


class CrossLinker:
    def __init__(self) -> None:
        self.rules = load_rules()
        self.applied: dict[str, tuple[Rule, ...]] = {}  # text id → its rules
        self.links: dict[tuple[str, int], int] = defaultdict(int)  # (rule, number) → links made
        self.first_done: set[tuple[str, str]] = set()  # (rule, page) already linked

    def _rules_of(self, text: Text) -> tuple[Rule, ...]:
        if text.id not in self.applied:
            feats = features.of_text(text)
            unknown = [n for n in feats.crosslinks if n not in self.rules]
            if unknown:
                raise BuildError(feats.path, None, f"features.crosslinks: no rule {unknown[0]!r} in data/crosslinks.yml")
            self.applied[text.id] = tuple(self.rules[n] for n in feats.crosslinks)
        return self.applied[text.id]

    def __call__(self, text: Text, chapter: Chapter, pid: str, md: str) -> str:
        rules = self._rules_of(text)
        page = f"{text.id}/{chapter.stem}" if rules else ""
        for rule in rules:
            if rule.skip_chapters and rule.skip_chapters.search(chapter.id):
                continue
            if rule.first_per_page and (rule.name, page) in self.first_done:
                continue
            found = _outside_links(md, rule.pattern)
            if rule.first_per_page:
                found = found[:1]
                if found:
                    self.first_done.add((rule.name, page))
            for m in reversed(found):
                md = md[:m.start()] + self._link(rule, m, chapter) + md[m.end():]
        return md

    def _link(self, rule: Rule, m: re.Match, chapter: Chapter) -> str:
        # .xref: docs/assets/previews.js opens a preview of the target on these links
        attrs = f"{{: .xref .{rule.css_class}}}" if rule.css_class else "{: .xref}"
        if rule.numbers is None:
            return f"[{m.group(0)}]({rule.href(None, chapter)}){attrs}"
        g = rule.numbers

        def number(n: re.Match) -> str:
            self.links[(rule.name, int(n.group(0)))] += 1
            return f"[{n.group(0)}]({rule.href(int(n.group(0)), chapter)}){attrs}"
        linked = re.sub(r"\d+", number, m.group(g))
        return m.string[m.start():m.start(g)] + linked + m.string[m.end(g):m.end()]
