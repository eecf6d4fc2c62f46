"""bibliography.bib: load and validate (bibtexparser v2), convert to CSL-JSON, format (citeproc-py), export."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import bibtexparser
import lxml.etree
from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
from citeproc.source.json import CiteProcJSON

from edition import memo, paths, pool
from edition.enrich import csl_fixes
from edition.errors import BuildError
from edition.model import escape, features, ui
from edition.model.witness import load_manifest
from edition.model.yamlio import load_yaml, read_text, strip_lines

SCHEMA = paths.DATA / "citations" / "schema.yml"
CSL_DIR = paths.DATA / "csl"
DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")  # the ISO 8601 forms BibLaTeX reads
YEAR = re.compile(r"\d{4}")
STYLES = {"apa": ("apa.csl", "en-US"), "chicago": ("chicago-author-date.csl", "en-US"), "vn-thesis": ("vn-thesis.csl", "vi-VN")}
STATIC_ORDER = {"chicago", "vn-thesis"}  # Vietnamese names as written, not inverted (see csl_fixes, 5.)
CSL_TYPES = {"book": "book", "article": "article-journal", "phdthesis": "thesis", "proceedings": "book",
             "report": "report", "misc": "document", "online": "webpage"}
RIS_TYPES = {"book": "BOOK", "article": "JOUR", "phdthesis": "THES", "proceedings": "CONF",
             "report": "RPRT", "misc": "GEN", "online": "ELEC"}
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())  # its parse errors become one BuildError
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SEP = " | "  # between parallel values of x-evidence / x-evidence-line


@dataclass(frozen=True)
class Entry:
    key: str
    type: str
    fields: dict[str, str]
    line: int  # 1-based line of the entry in the .bib file

    def get(self, name: str) -> str | None:
        return self.fields.get(name)

    @property
    def identified(self) -> str:
        return self.fields.get("x-identified", "yes")

    @property
    def cited_by(self) -> list[tuple[str, str]]:
        """[(text id, label)] from ``x-cited-by = {text:label; text:label}``."""
        raw = self.fields.get("x-cited-by", "")
        return [tuple(p.strip().split(":", 1)) for p in raw.split(";") if p.strip()]  # type: ignore[misc]


def schema() -> dict:
    return strip_lines(load_yaml(SCHEMA))  # checked against schemas/citation-rules.schema.json


@lru_cache(maxsize=4)
def _witness_joined(name: str) -> tuple[list[str], str]:
    lines = (paths.SOURCES / name).read_text(encoding="utf-8").split("\n")
    return lines, _squash(" ".join(lines))


def _squash(text: str) -> str:
    """Runs of whitespace as one space (str.split's whitespace is re's \\s; ten times faster on a witness)."""
    return " ".join(text.split())


def load(path: Path = paths.BIBLIOGRAPHY) -> dict[str, Entry]:
    """Parse and validate the bibliography; every problem is a BuildError naming the .bib line."""
    library = bibtexparser.parse_string(read_text(path))  # UTF-8 without control characters, or one error
    for block in library.failed_blocks:
        if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock):
            raise BuildError(path, block.start_line + 1, f"duplicate key {block.key!r}")
        raise BuildError(path, block.start_line + 1, f"unparseable BibTeX block: {block.error or 'syntax error'}")
    rules = {**schema(), "texts": {tid: w.file for tid, w in load_manifest().items()}}  # text id → witness file
    # a note may cite several works: in texts citing by notes one label may belong to several entries
    shared_labels = {tid for tid, f in features.load_all().items() if f.convention == "notes"}
    entries: dict[str, Entry] = {}
    for e in library.entries:
        fields = {f.key.lower(): _squash(str(f.value)) for f in e.fields}
        entries[e.key] = Entry(e.key, e.entry_type.lower(), fields, e.start_line + 1)
    for entry in entries.values():
        _validate(path, entry, rules)
    _validate_across(path, entries, shared_labels)
    return entries


def _validate(path: Path, e: Entry, rules: dict) -> None:
    def fail(msg: str):
        raise BuildError(path, e.line, f"{e.key}: {msg}")

    if not KEY.match(e.key):
        fail("a key is ASCII letters, digits, '-', '_' or '.' (it becomes an anchor id and a file name)")
    if e.get("url") and not (escape.safe_url(e.get("url")) and e.get("url").startswith(("http://", "https://"))):
        fail(f"url must be an http(s) address, not {e.get('url')[:40]!r}")
    for name, form in (("date", DATE), ("year", YEAR)):
        if e.get(name) and not form.fullmatch(e.get(name)):
            fail(f"{name} must be written {'YYYY, YYYY-MM or YYYY-MM-DD' if name == 'date' else 'YYYY'}, "
                 f"not {e.get(name)[:40]!r}")
    if e.type not in rules["required"]:
        fail(f"entry type @{e.type} not allowed (allowed: {', '.join(rules['required'])})")
    if e.identified not in rules["identified"]:
        fail(f"x-identified must be one of {rules['identified']}, not {e.identified!r}")
    for text, label in e.cited_by if e.get("x-cited-by") else []:
        if text not in rules["texts"] or not label:
            fail(f"x-cited-by item {text}:{label} names no corpus text")
    if e.identified == "no":
        if not e.get("note"):
            fail("an entry not identified in the witness needs a note saying so")
        return
    not_stated = {s.strip() for s in (e.get("x-not-stated") or "").split(",") if s.strip()}
    for req in rules["required"][e.type]:
        options = req.split("|")
        if not any(e.get(o) for o in options) and not not_stated & set(options):
            fail(f"@{e.type} requires {req} (or list it in x-not-stated)")
    _validate_evidence(fail, e, rules)


def _validate_evidence(fail, e: Entry, rules: dict) -> None:
    if e.key in rules["texts"] and not e.get("x-evidence"):
        return  # a corpus text whose witness states nothing about itself
    quotes, where = (e.get("x-evidence") or ""), (e.get("x-evidence-line") or "")
    if not quotes or not where:
        fail("identified entries need x-evidence and x-evidence-line")
    quotes_l, where_l = quotes.split(SEP), where.split(SEP)
    if len(quotes_l) != len(where_l):
        fail("x-evidence and x-evidence-line must have the same number of ' | ' parts")
    known = set(rules["texts"].values())
    for quote, locs in zip(quotes_l, where_l):
        for loc in locs.split(","):
            m = re.fullmatch(r"\s*([\w.-]+\.txt):(\d+)\s*", loc)
            if not m or m.group(1) not in known:
                fail(f"bad x-evidence-line {loc.strip()!r} (want <witness>.txt:<line>)")
            lines, joined = _witness_joined(m.group(1))
            if not 1 <= int(m.group(2)) <= len(lines):
                fail(f"x-evidence-line {loc.strip()} is past the end of the witness")
        fragments = [_squash(f) for f in quote.split("…") if f.strip()]
        for fragment in fragments:
            if fragment not in joined:
                fail(f"x-evidence not found in {m.group(1)}: {fragment[:60]!r}")
        # the quote starts on a line it names (and may run on): the line holds the value, not a line near it
        starts = [(mm.group(1), int(mm.group(2))) for mm in re.finditer(r"([\w.-]+\.txt):(\d+)", locs)]
        if fragments and not any(_starts_on(w, n, fragments[0]) for w, n in starts):
            fail(f"x-evidence {fragments[0][:60]!r} does not start on {locs.strip()}")


def _starts_on(witness: str, line: int, quote: str) -> bool:
    lines, _ = _witness_joined(witness)
    first = _squash(lines[line - 1])
    run = _squash(" ".join([first, *lines[line:line + 12]]))
    return bool(first) and 0 <= run.find(quote) < len(first)


def _validate_across(path: Path, entries: dict[str, Entry], footnote_texts: set[str]) -> None:
    labels: dict[tuple[str, str], str] = {}
    works: dict[tuple, str] = {}
    for e in entries.values():
        for pair in e.cited_by:
            if pair in labels and pair[0] not in footnote_texts:
                raise BuildError(path, e.line, f"{e.key}: {pair[0]}:{pair[1]} is already cited as {labels[pair]}")
            labels[pair] = e.key
        if e.get("title"):
            work = (_norm(e.get("author") or e.get("editor") or ""), e.get("year") or e.get("date"), _norm(e.get("title")))
            if work in works:
                raise BuildError(path, e.line, f"{e.key}: same work as {works[work]} (one entry per work)")
            works[work] = e.key


def _norm(s: str) -> str:
    return re.sub(r"[\W_]+", " ", s.replace("{", "").replace("}", "")).strip().lower()


_loaded: dict = {"stat": None, "digest": None, "entries": {}}  # the current bibliography.bib only


def entries() -> dict[str, Entry]:
    """The validated bibliography, cached by the file's content (its SHA-256, looked at again only when its size
    or modification time changes): a process that builds again (``edition serve``) reads an edited
    bibliography.bib, and the references formatted from the old one are dropped with it."""
    stat = paths.BIBLIOGRAPHY.stat()
    if (stat.st_mtime_ns, stat.st_size, stat.st_ino) != _loaded["stat"]:
        digest = hashlib.sha256(paths.BIBLIOGRAPHY.read_bytes()).digest()
        if digest != _loaded["digest"]:
            loaded = load(paths.BIBLIOGRAPHY)
            _preformatted.clear()
            format_reference.cache_clear()
            _loaded.update(digest=digest, entries=loaded)
        _loaded["stat"] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return _loaded["entries"]


def entry(key: str) -> Entry:
    try:
        return entries()[key]
    except KeyError:
        raise BuildError(paths.BIBLIOGRAPHY, None, f"unknown bibliography key {key!r}") from None


def cited_by(key: str) -> list[tuple[str, str]]:
    """Texts citing the work: [(text id, label as cited)]."""
    return entry(key).cited_by


# --- names, CSL-JSON --------------------------------------------------------------------------

def _split_names(value: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for token in re.split(r"(\{|\}| and )", value):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        if token == " and " and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += token
    return [p.strip() for p in parts + [cur] if p.strip()]


def csl_names(value: str) -> list[dict]:
    """BibTeX names -> CSL names. ``{Lưu Văn Lợi}`` stays whole (Vietnamese order, institutions)."""
    names = []
    for name in _split_names(value):
        if name.startswith("{") and name.endswith("}"):
            names.append({"literal": name[1:-1]})
        elif "," in name:
            family, given = (s.strip() for s in name.split(",", 1))
            names.append({"family": family, "given": given})
        elif " " in name:
            given, family = name.rsplit(" ", 1)
            names.append({"family": family, "given": given})
        else:
            names.append({"family": name})
    return names


def _clean(value: str) -> str:
    """A field's text for the formatted (HTML, then Markdown) reference: shown literally in both."""
    return escape.md_text(value.replace("{", "").replace("}", ""))


def csljson_for(key: str, markup: bool = True, edition_url: str | None = None) -> dict:
    """CSL-JSON item of an entry: text values escaped for the formatted (HTML, then Markdown) reference, or
    as they are with ``markup=False`` (exports, COinS); with ``edition_url``, its entry in the edition's
    bibliography in ``note`` (as the BibTeX and RIS exports)."""
    e = entry(key)
    clean = _clean if markup else (lambda v: v.replace("{", "").replace("}", ""))
    item: dict = {"id": key, "type": CSL_TYPES[e.type]}
    simple = {"title": "title", "journal": "container-title", "booktitle": "container-title", "number": "issue",
              "volume": "volume", "pages": "page", "publisher": "publisher", "address": "publisher-place",
              "school": "publisher", "institution": "publisher", "url": "URL", "type": "genre",
              "howpublished": "archive_location", "language": "language"}
    for bib, csl in simple.items():
        if e.get(bib) and csl not in item:
            item[csl] = (escape.md_text(e.get(bib)) if markup else e.get(bib)) if bib == "url" else clean(e.get(bib))
    for role in ("author", "editor"):
        if e.get(role):
            item[role] = [{part: _clean(text) for part, text in name.items()} for name in csl_names(e.get(role))]
    date = e.get("date") or e.get("year")
    if date:
        item["issued"] = {"date-parts": [[int(p) for p in date.split("-")]]}
    if e.type == "phdthesis" and "genre" not in item:
        item["genre"] = "Luận án Tiến sĩ"
    if edition_url:
        item["note"] = "; ".join(filter(None, [clean(e.get("note") or ""), _edition_note(edition_url)]))
    return item


# --- formatting -------------------------------------------------------------------------------

@cache
def _style(style: str) -> csl_fixes.Style:
    try:
        return csl_fixes.Style(_style_file(style), STYLES[style][1], static_order=style in STATIC_ORDER)
    except lxml.etree.XMLSyntaxError as exc:  # a style cut short or mistyped
        raise BuildError(_style_file(style), exc.lineno, f"malformed CSL style: {exc.msg}") from None


def _style_file(style: str) -> Path:
    if style not in STYLES:
        raise BuildError(CSL_DIR, None, f"unknown citation style {style!r} (known: {', '.join(STYLES)})")
    return CSL_DIR / STYLES[style][0]


@cache
def style_digest(style: str) -> str:
    """SHA-256 of a style's CSL file, read once per process as ``_style`` parses it: in the memo key of
    everything formatted in that style."""
    return hashlib.sha256(_style_file(style).read_bytes()).hexdigest()


_preformatted: dict[tuple[str, str], str] = {}
# Every entry in every style, by the bibliography and the styles (and the code that formats: edition.memo).
_references = memo.Memo("references", [Path(__file__), Path(csl_fixes.__file__), Path(escape.__file__)],
                        ["citeproc-py", "lxml"])


def format_all() -> None:
    """Format every entry in every style ahead of use: citeproc-py is pure Python and this is most of the
    enrich stage (the bibliography pages and the citation tooltips need every entry). The result is a memo
    (build/cache/memo/), so a build whose bibliography and styles did not change reads it; otherwise one
    style per process. A reference a worker cannot format is left to ``format_reference``, which then
    reports the error."""
    keys = sorted(entries())
    format_reference.cache_clear()
    inputs: list[bytes | str] = [paths.BIBLIOGRAPHY.read_bytes(), *(style_digest(style) for style in STYLES)]
    formatted = _references.get(inputs, lambda: _format_in_workers(keys), valid=_all_text)
    _preformatted.update({tuple(k.split("\t")): v for k, v in (formatted or {}).items()})


def _all_text(value) -> bool:
    return isinstance(value, dict) and all(isinstance(text, str) for text in value.values())


def _format_in_workers(keys: list[str]) -> dict[str, str] | None:
    """Every reference by "<key><tab><style>" when every entry could be formatted, else None (none kept)."""
    workers = pool.workers(len(STYLES))
    if workers < 2:
        return None
    formatted = pool.map_shares(_format_styles, list(STYLES), count=workers, where=paths.BIBLIOGRAPHY)
    for style, texts in zip(STYLES, formatted):
        _preformatted.update(((key, style), text) for key, text in zip(keys, texts) if text is not None)
    if len(_preformatted) != len(keys) * len(STYLES):  # only a complete, error-free result is kept
        return None
    return {f"{k}\t{s}": v for (k, s), v in sorted(_preformatted.items())}


def _format_styles(styles: list[str]) -> list[list[str | None]]:
    return [_format_style(style) for style in styles]


def _format_style(style: str) -> list[str | None]:
    out: list[str | None] = []
    for key in sorted(entries()):
        try:
            out.append(format_reference(key, style))
        except Exception:  # noqa: BLE001  (re-raised in the build process, with its file and line)
            out.append(None)
    return out


@cache
def format_reference(key: str, style: str) -> str:
    """One bibliography entry as an HTML string. Unidentified thesis references print their editorial note."""
    if (key, style) in _preformatted:
        return _preformatted[key, style]
    e = entry(key)
    if e.identified == "no":
        return f"[{_clean(e.get('note'))}]"
    bib = CitationStylesBibliography(_style(style), CiteProcJSON([csljson_for(key)]), formatter.html)
    bib.register(Citation([CitationItem(key)]))
    text = str(bib.bibliography()[0])
    return csl_fixes.typography(text, STYLES[style][1] == "en-US")


# --- exports (editorial x-* fields stripped: they would confuse reference managers) ---------------

def _edition_note(url: str | None) -> str:
    """Where the entry is in the edition's bibliography, in Vietnamese and English whatever the interface."""
    if not url:
        return ""
    vi, en = ui.catalogue("vi"), ui.catalogue("en")
    return (f"{vi.text('record.edition-bibliography', edition=vi.text('site.short-name'))} "
            f"({en.text('record.edition-bibliography', edition=en.text('site.short-name'))}): {url}")


def bibtex_for(key: str, edition_url: str | None = None) -> str:
    """The entry for reference managers: its type, its fields (language when the witness shows it) and,
    in ``note``, the address of its entry in the edition's bibliography."""
    e = entry(key)
    fields = {k: v for k, v in e.fields.items() if not k.startswith("x-")}
    if edition_url:
        fields["note"] = "; ".join(filter(None, [fields.get("note"), _edition_note(edition_url)]))
    body = [f"  {k} = {{{v}}}," for k, v in fields.items()]
    return "\n".join([f"@{e.type}{{{key},", *body, "}"]) + "\n"


def ris_for(key: str, edition_url: str | None = None) -> str:
    e = entry(key)
    item = csljson_for(key, markup=False)
    lines = [f"TY  - {RIS_TYPES[e.type]}"]
    for role, tag in (("author", "AU"), ("editor", "ED")):
        for n in item.get(role, []):
            lines.append(f"{tag}  - " + (n.get("literal") or ", ".join(filter(None, [n.get("family"), n.get("given")]))))
    tags = [("title", "TI"), ("journal", "JO"), ("number", "IS"), ("publisher", "PB"), ("school", "PB"),
            ("institution", "PB"), ("address", "CY"), ("url", "UR"), ("note", "N1")]
    for bib, tag in tags:
        if e.get(bib):
            lines.append(f"{tag}  - {e.get(bib).replace('{', '').replace('}', '')}")
    if e.get("year") or e.get("date"):
        lines.append(f"PY  - {(e.get('date') or e.get('year'))[:4]}")
    if e.get("pages"):
        start, _, end = e.get("pages").partition("-")
        lines += [f"SP  - {start}"] + ([f"EP  - {end}"] if end else [])
    if e.get("language"):
        lines.append(f"LA  - {e.get('language')}")
    if edition_url:
        lines.append(f"N1  - {_edition_note(edition_url)}")
    return "\n".join(lines + ["ER  - "]) + "\n"
