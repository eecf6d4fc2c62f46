"""The register (bảng tra tên riêng): persons, places, organisations and agreements named in the texts.

Load & validate ``data/register/register.yml`` against its JSON Schema, then check what a schema cannot:
unique ids, declared kinds, no name claimed by two entries unless their ``texts`` scopes keep them apart,
every fact's quote on its witness line. ``Register.mentions(texts)`` finds the mentions in the corpus text
at build time (never from stored paragraph ids, so re-paragraphing the corpus changes nothing here) and
``Register.prove(texts)`` fails on a variant that occurs nowhere.

The API other stages use (render, search index, exports such as TEI persName/placeName):
``load_register()``, ``Register.entries``, ``Register.find(plain, text_id)`` and ``Register.mentions(texts)``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import BuildError
from ..paths import DATA
from .yamlio import load_yaml, schema, strip_lines

REGISTER_FILE = DATA / "register" / "register.yml"
NOT_IN_REGISTER_FILE = DATA / "register" / "not-in-register.yml"
# A name is a whole word sequence: no letter or digit of the text touches it on either side.
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w])", r"(?![\w])"


@dataclass(frozen=True)
class Variant:
    form: str  # as printed
    texts: tuple[str, ...]  # the texts it is matched in; () = every text
    line: int

    def applies(self, text_id: str) -> bool:
        return not self.texts or text_id in self.texts


@dataclass(frozen=True)
class Fact:
    """A date or role of an entry, stated by a text: ``quote`` starts on witness line ``line``."""
    label: str
    text: str
    line: int
    quote: str
    data_line: int


@dataclass(frozen=True)
class Entry:
    id: str
    name: str  # preferred Vietnamese form
    kind: str
    description: str | dict  # the editor's one line: Vietnamese, or {vi: …, en: …} per interface language
    variants: tuple[Variant, ...]
    facts: tuple[Fact, ...]
    line: int
    search: tuple[str, ...] = ()  # forms no text prints, for the search box only (the editor's)

    @property
    def names(self) -> list[str]:
        """The preferred form, every printed form, then the search-only forms, each once."""
        return list(dict.fromkeys([self.name, *(v.form for v in self.variants), *self.search]))


@dataclass(frozen=True)
class Mention:
    entry: Entry
    form: str
    start: int  # offsets in the paragraph's plain text
    end: int


@dataclass(frozen=True)
class Place:
    """Where a mention is: text, chapter page (``<text-id>/<chapter-stem>``) and paragraph id."""
    text: str
    page: str
    pid: str
    plain: str  # the paragraph's plain text


class _Marks(dict):
    """A ``str.translate`` table: a combining mark → removed, any other character → itself (filled in as
    characters are met, so that folding a long text runs in C)."""

    def __missing__(self, code: int) -> int | None:
        self[code] = kept = None if unicodedata.combining(chr(code)) else code
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower case without tone marks or diacritics, đ → d: how readers type a name in the search box."""
    return unicodedata.normalize("NFD", text.lower().replace("đ", "d")).translate(_MARKS)


@dataclass(frozen=True)
class Exclusion:
    """A printed form that contains a name but mentions no entry ("Nhà máy in Trần Phú")."""
    form: str
    reason: str
    line: int


@dataclass(frozen=True)
class Context:
    """Inside printed ``phrase``, the name ``form`` means ``entry`` (None: no entry), not its own entry
    ("thành phố Hồ Chí Minh": the city; "BCHTƯ và BCT của Liên Xô": the Soviet Central Committee). The rest
    of the phrase is matched as usual ("Liên Xô" there still links)."""
    phrase: str
    form: str
    entry: str | None
    reason: str
    texts: tuple[str, ...]
    line: int

    @property
    def offset(self) -> int:
        return self.phrase.index(self.form)


@dataclass
class Register:
    path: Path
    kinds: dict[str, str]  # kind id -> Vietnamese label, in the order of the index page
    entries: list[Entry]
    exclusions: list[Exclusion] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def _claims(self) -> dict[str, list[tuple[Variant, Entry]]]:
        claims: dict[str, list[tuple[Variant, Entry]]] = {}
        for entry in self.entries:
            for variant in entry.variants:
                claims.setdefault(variant.form, []).append((variant, entry))
        return claims

    @cached_property
    def _pattern(self) -> re.Pattern:
        # An exclusion is matched like a name, so it shadows the shorter name inside it.
        return _forms_pattern({*self._claims, *(x.form for x in self.exclusions)})

    @cached_property
    def _context_pattern(self) -> re.Pattern | None:
        return _forms_pattern({c.phrase for c in self.contexts}) if self.contexts else None

    def _overrides(self, text: str, text_id: str) -> dict[tuple[int, int], Context]:
        """(start, end) of a name inside a context phrase → the context rule that decides its entry."""
        out: dict[tuple[int, int], Context] = {}
        if self._context_pattern is None:
            return out
        for m in self._context_pattern.finditer(text):
            for c in self.contexts:
                if c.phrase == m.group(0) and (not c.texts or text_id in c.texts):
                    start = m.start() + c.offset
                    out[(start, start + len(c.form))] = c
        return out

    def _scan(self, text: str, text_id: str):
        """(match, entry or None, covered) for every name, exclusion and context-decided name in ``text``."""
        overrides = self._overrides(text, text_id)
        for m in self._pattern.finditer(text):
            context = overrides.get(m.span())
            if context is not None:
                yield m, (self.by_id[context.entry] if context.entry else None), context
                continue
            owners = [e for v, e in self._claims.get(m.group(0), []) if v.applies(text_id)]
            # validation guarantees at most one owner; an exclusion has none
            yield m, (owners[0] if owners else None), None

    def find(self, text: str, text_id: str) -> list[Mention]:
        """Mentions in ``text`` (plain text or Markdown) of a chapter of ``text_id``, left to right."""
        return [Mention(entry, m.group(0), m.start(), m.end()) for m, entry, _ in self._scan(text, text_id) if entry]

    def spans(self, text: str, text_id: str) -> list[tuple[int, int]]:
        """(start, end) of every mention, exclusion and context-decided name in ``text``: what the register
        covers."""
        exclusions = {x.form for x in self.exclusions}
        return [m.span() for m, entry, context in self._scan(text, text_id)
                if entry or context or m.group(0) in exclusions]

    def mentions(self, texts) -> list[tuple[Place, list[Mention]]]:
        """Every paragraph (and list item) of the corpus that mentions an entry, in reading order."""
        from .corpus import paragraph_ids

        out = []
        for text in texts:
            for chapter in text.chapters:
                for i, pid in paragraph_ids(chapter).items():
                    plain = chapter.blocks[i].plain
                    found = self.find(plain, text.id)
                    if found:
                        out.append((Place(text.id, f"{text.id}/{chapter.stem}", pid, plain), found))
        return out

    def prove(self, texts, mentions: list[tuple[Place, list[Mention]]] | None = None) -> None:
        """Every variant occurs in the corpus (in the texts it is scoped to), as printed; so does every
        exclusion. ``mentions``: ``self.mentions(texts)``, when the caller has it already."""
        plain = [b.plain for t in texts for c in t.chapters for b in c.blocks]
        for x in self.exclusions:
            if not any(re.search(_EDGE_BEFORE + re.escape(x.form) + _EDGE_AFTER, p) for p in plain):
                raise BuildError(self.path, x.line, f"exclusion {x.form!r} does not occur in the corpus")
        for c in self.contexts:  # a rule must decide somewhere, else it is stale (a re-cut, a longer name)
            if not any(decided is c for t in texts if not c.texts or t.id in c.texts
                       for ch in t.chapters for b in ch.blocks if c.phrase in b.plain
                       for _, _, decided in self._scan(b.plain, t.id)):
                raise BuildError(self.path, c.line, f"context {c.phrase!r}: {c.form!r} is never decided by it "
                                 "(the phrase does not occur, or a longer name covers the form)")
        mentions = self.mentions(texts) if mentions is None else mentions
        seen = {(m.entry.id, m.form) for _, found in mentions for m in found}
        for entry in self.entries:
            for variant in entry.variants:
                if (entry.id, variant.form) not in seen:
                    scope = f" in {', '.join(variant.texts)}" if variant.texts else ""
                    raise BuildError(self.path, variant.line,
                                     f"variant {variant.form!r} of {entry.id!r} does not occur in the corpus{scope}")



def _forms_pattern(forms: set[str]) -> re.Pattern:
    r"""Any of ``forms`` as a whole word sequence, the longest at a position ("Đảng Cộng sản Liên Xô" over
    "Liên Xô"). The forms are a trie: at each letter the engine follows the one branch the text allows
    instead of trying hundreds of forms in turn, and a form that goes on is tried before the one that ends.
    The edge before a form is tested after its first letter (``(?<!\w.)``), so that the pattern starts with
    a letter and the engine skips to the letters that begin a form."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # a form ends here

    def branch(node: dict) -> str:
        ways = [re.escape(char) + branch(rest) for char, rest in sorted(node.items()) if char]
        ways += [_EDGE_AFTER] if "" in node else []
        return ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"

    first = [re.escape(char) + r"(?<!\w.)" + branch(rest) for char, rest in sorted(trie.items())]
    return re.compile("(?:" + "|".join(first) + ")", re.DOTALL)  # DOTALL: the '.' above is any first letter


def _item_line(lines: list[str], start: int, form: str) -> int:
    """The line of list item ``form`` at or after line ``start`` (yamlio records lines of mappings only)."""
    for number in range(start, len(lines) + 1):
        if lines[number - 1].strip().lstrip("- ").strip("'\"") == form:
            return number
    return start


def _check_fact(fact: Fact, path: Path, witnesses: dict[str, str]) -> None:
    from .witness import check_quote_in_witness  # the timeline's proof of a quote, shared

    if fact.text not in witnesses:
        raise BuildError(path, fact.data_line, f"fact: unknown text {fact.text!r}")
    if not check_quote_in_witness(witnesses[fact.text], fact.line, fact.quote):
        raise BuildError(path, fact.data_line,
                         f"fact: quote not found on line {fact.line} of {witnesses[fact.text]}: {fact.quote!r}")


def load_register(path: Path = REGISTER_FILE, witnesses: dict[str, str] | None = None) -> Register:
    """Read and validate the register. ``witnesses`` (text id → witness file) defaults to the manifest."""
    raw = load_yaml(path, schema("register.schema.json"))  # checked against it when read
    data = strip_lines(raw)
    if witnesses is None:
        from .witness import load_manifest

        witnesses = {t: w.file for t, w in load_manifest().items()}
    kinds = data["kinds"]
    lines = path.read_text(encoding="utf-8").splitlines()
    entries, ids = [], set()
    for item in raw["entries"]:
        line = item["__line__"]
        if item["id"] in ids:
            raise BuildError(path, line, f"duplicate id {item['id']!r}")
        ids.add(item["id"])
        if item["kind"] not in kinds:
            raise BuildError(path, line, f"{item['id']}: unknown kind {item['kind']!r} (kinds: {', '.join(kinds)})")
        variants, cursor = [], line
        for v in item["variants"]:
            form, scope = (v, ()) if isinstance(v, str) else (v["form"], tuple(v["texts"]))
            vline = v["__line__"] if isinstance(v, dict) else _item_line(lines, cursor, form)
            cursor = vline + 1
            for t in scope:
                if t not in witnesses:
                    raise BuildError(path, vline, f"{item['id']}: variant {form!r} scoped to unknown text {t!r}")
            variants.append(Variant(form, scope, vline))
        if item["name"] not in {v.form for v in variants}:
            raise BuildError(path, line, f"{item['id']}: headword {item['name']!r} is no printed variant "
                                         "(a modern or standard spelling goes in search)")
        facts = tuple(Fact(f["label"], f["text"], f["line"], f["quote"], f["__line__"]) for f in item.get("facts", []))
        for fact in facts:
            _check_fact(fact, path, witnesses)
        entries.append(Entry(item["id"], item["name"], item["kind"], strip_lines(item["description"]), tuple(variants), facts,
                             line, tuple(item.get("search", []))))
    exclusions = [Exclusion(x["form"], x["reason"], x["__line__"]) for x in raw.get("exclude", [])]
    for x in exclusions:
        if x.form in {v.form for e in entries for v in e.variants}:
            raise BuildError(path, x.line, f"exclusion {x.form!r} is also a variant of an entry")
    contexts = []
    for c in raw.get("contexts", []):
        context = Context(c["phrase"], c["form"], c["entry"], c["reason"], tuple(c.get("texts", [])), c["__line__"])
        if context.form not in context.phrase:
            raise BuildError(path, context.line, f"context: {context.form!r} is not in {context.phrase!r}")
        if context.form not in {v.form for e in entries for v in e.variants}:
            raise BuildError(path, context.line, f"context: {context.form!r} is no entry's variant")
        if context.entry is not None and context.entry not in ids:
            raise BuildError(path, context.line, f"context: unknown entry {context.entry!r}")
        for t in context.texts:
            if t not in witnesses:
                raise BuildError(path, context.line, f"context: unknown text {t!r}")
        contexts.append(context)
    register = Register(path, kinds, entries, exclusions, contexts)
    _check_claims(register)
    return register


def load_not_in_register(path: Path = NOT_IN_REGISTER_FILE) -> dict[str, tuple[str, int]]:
    """Candidates of the register finder that are not names of the register: form -> (reason, line)."""
    raw = load_yaml(path, schema("not-in-register.schema.json"))
    lines = path.read_text(encoding="utf-8").splitlines()
    out: dict[str, tuple[str, int]] = {}
    for group in raw["groups"]:
        cursor = group["__line__"]
        for form in group["forms"]:
            line = _item_line(lines, cursor, form)
            cursor = line + 1
            if form in out:
                raise BuildError(path, line, f"{form!r} listed twice (first on line {out[form][1]})")
            out[form] = (group["reason"], line)
    return out


def _check_claims(register: Register) -> None:
    """A form claimed by two entries must be scoped to disjoint texts (the rule that decides which is meant)."""
    for form, claims in register._claims.items():
        for i, (va, ea) in enumerate(claims):
            for vb, eb in claims[i + 1:]:
                if ea is eb:
                    raise BuildError(register.path, vb.line, f"{eb.id}: variant {form!r} listed twice")
                if not va.texts or not vb.texts or set(va.texts) & set(vb.texts):
                    raise BuildError(register.path, vb.line,
                                     f"{eb.id}: variant {form!r} is also claimed by {ea.id!r} (line {va.line}); "
                                     "scope both to different texts")
