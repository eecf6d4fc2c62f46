"""The texts (and the edition) as reference managers and citation styles need them: one truth, many outputs.

Python API for every output that describes a text (pages, meta tags, JSON-LD, downloads):

- ``persons(text)``: authors with family/given parts, written per consumer (``natural``, ``inverted``, ``csl``);
- ``title(text)`` / ``cite_title(text)`` / ``short_title(text)``: as printed / as cited (sentence case) / the
  editor's short form for in-text citations; a supplied title in brackets;
- ``year(text)``: the one year decision (``None``: no year anywhere), ``abstract(text)``;
- ``csl_item(text, url)``, ``bibtex(text, url)``, ``ris(text, url)``: the work, pointing at the edition;
- ``cite(text, style, url, locator)``: a formatted reference and in-text citation at any level.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import memo, paths
from ..enrich import bibliography as bib
from ..enrich import csl_fixes
from ..enrich.csl_fixes import typography
from ..errors import BuildError
from ..model import escape, ui
from ..model.corpus import Chapter, Text, paragraph_ids
from ..model.printed_pages import text_pages
from ..model.yamlio import load_yaml

# vn-thesis: the reference-list convention of Vietnamese theses, used here for any kind of work
STYLES = ("apa", "chicago", "vn-thesis")
CSL_TYPES = {"PhD thesis": "thesis", "Journal article": "article-journal", "Magazine article": "article-magazine"}
BIBTEX_TYPES = {"thesis": "phdthesis", "article-journal": "article", "article-magazine": "article"}
RIS_TYPES = {"thesis": "THES", "article-journal": "JOUR", "article-magazine": "MGZN"}
URL_TOKEN = "https://url.invalid/"  # formatted with this URL, then replaced by the real one (or a span)


@lru_cache(maxsize=1)
def edition() -> dict:
    """data/edition.yml: title, editor, version, date, licence of the edition itself."""
    meta = load_yaml(paths.DATA / "edition.yml")
    for key in ("title", "editor", "version", "date", "licence"):
        if not meta.get(key):
            raise BuildError(paths.DATA / "edition.yml", meta.get("__line__"), f"lacks required field '{key}'")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta["date"])):
        raise BuildError(paths.DATA / "edition.yml", meta.get("__line__"), f"date {meta['date']!r} is not YYYY-MM-DD")
    return meta


def style_name(style: str) -> str:
    """A citation style as the interface names it ("APA 7", "Chicago (tác giả–năm)")."""
    return ui.text(f"cite.style.{style}")


def edition_label(markup: bool = False) -> str:
    """The edition as cited: title, version and date; with ``markup``, as Markdown, its (Vietnamese) title
    escaped and marked with its language where the interface speaks another."""
    ed = edition()
    title = ui.marked(escape.md_text(ed["title"]), ui.DEFAULT) if markup else ed["title"]
    return ui.text("cite.edition", title=title, version=ed["version"], date=ed["date"])


def site_url() -> str:
    """The published root URL with a trailing slash, or '' when the build is not for a known address."""
    base = os.environ.get("SITE_URL", "").strip()
    return base.rstrip("/") + "/" if base else ""


def page_path(text: Text, chapter: Chapter | None = None, anchor: str | None = None) -> str:
    path = f"{text.id}/{chapter.stem if chapter else 'index'}.html"
    return f"{path}#{anchor}" if anchor else path


def absolute(path: str) -> str | None:
    """Absolute URL of a site path, or None without SITE_URL (a relative URL would mislead a reader)."""
    return site_url() + path if site_url() else None


# --- persons ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    family: str
    given: str
    order: str  # family-first (Vietnamese) | given-first
    affiliation: str | None = None

    @property
    def natural(self) -> str:
        """As written in running text: 'Trần Ngọc Dũng', 'Nguyen Thi Phuc'."""
        parts = (self.family, self.given) if self.order == "family-first" else (self.given, self.family)
        return " ".join(p for p in parts if p)

    @property
    def inverted(self) -> str:
        """Family, given: Highwire citation_author, BibTeX, RIS, DC.creator ('Trần, Ngọc Dũng')."""
        return f"{self.family}, {self.given}" if self.given else self.family

    def csl(self) -> dict:
        return {"family": self.family, "given": self.given} if self.given else {"family": self.family}


def persons(text: Text) -> list[Person]:
    out = []
    for a in text.meta.get("authors") or []:
        if not isinstance(a, dict) or not a.get("family") or a.get("order") not in ("family-first", "given-first"):
            raise BuildError(text.dir / "text.yml", a.get("__line__") if isinstance(a, dict) else None,
                             "an author needs family, given and order (family-first | given-first)")
        out.append(Person(a["family"], a.get("given") or "", a["order"], a.get("affiliation")))
    return out


# --- title, year, abstract --------------------------------------------------------------------------------

def _field(text: Text, key: str) -> dict:
    value = text.meta.get(key)
    return value if isinstance(value, dict) else {"value": value}


def bracket(value: str, supplied: bool) -> str:
    """A supplied value is shown in square brackets wherever it goes."""
    return f"[{value}]" if supplied and value else value


def supplied_title(text: Text) -> bool:
    return bool(_field(text, "title").get("supplied"))


def title(text: Text) -> str:
    """The title as the pages show it (printed form; supplied in brackets)."""
    t = _field(text, "title")
    return bracket(t.get("value") or "", bool(t.get("supplied")))


def cite_title(text: Text) -> str:
    """The title as citations give it: ``title.cite`` (sentence case of a title printed in capitals)."""
    t = _field(text, "title")
    return bracket(t.get("cite") or t.get("value") or "", bool(t.get("supplied")))


def short_title(text: Text) -> str | None:
    """The editor's short title for in-text citations (``title.short``; CSL ``title-short``), bracketed like a
    supplied title; its words must be the title's, in order."""
    t = _field(text, "title")
    short = (t.get("short") or {}).get("value")
    if not short:
        return None
    words = iter(w.strip(",.:;") for w in (t.get("cite") or t.get("value") or "").split())
    if not all(word.strip(",.:;") in words for word in short.split()):
        raise BuildError(text.dir / "text.yml", t["short"].get("__line__"),
                         f"title.short {short!r}: its words are not the title's, in order")
    return bracket(short, bool(t.get("supplied")))


def year(text: Text) -> str | None:
    """The year every output cites, or None (text.yml ``year.value``; ``year.decision`` says why)."""
    field = _field(text, "year")
    value = field.get("value")
    if value and not re.fullmatch(r"\d{4}", str(value)):
        raise BuildError(text.dir / "text.yml", field.get("__line__"),
                         f"year.value {value!r} must be a printed year (YYYY) or null; an inference goes in year.dating")
    return str(value) if value else None


def year_note(text: Text) -> str:
    y = _field(text, "year")
    return y.get("decision") or ""


def dating(text: Text) -> str | None:
    """The editor's dating (an inference, shown as such on the landing page; never cited as a date)."""
    return _field(text, "year").get("dating")


def csl_type(text: Text) -> str:
    return CSL_TYPES[text.meta["genre"]["en"]]


def _paragraph(text: Text, pid: str):
    for ch in text.chapters:
        for i, p in paragraph_ids(ch).items():
            if p == pid:
                return ch.blocks[i]
    raise BuildError(text.dir / "text.yml", None, f"abstract paragraph '{pid}' is not in the text")


def abstract(text: Text, key: str = "abstract") -> str | None:
    """The printed abstract (plain text) from the paragraph text.yml names, without its printed label."""
    spec = text.meta.get(key)
    if not isinstance(spec, dict) or not spec.get("paragraph"):
        return None
    plain = re.sub(r"\s+", " ", _paragraph(text, spec["paragraph"]).plain)
    after = spec.get("after")
    if after:
        if after not in plain:
            raise BuildError(text.dir / "text.yml", spec.get("__line__"), f"abstract label {after!r} not in {spec['paragraph']}")
        plain = plain.split(after, 1)[1]
    return plain.strip()


def keywords(text: Text) -> list[str]:
    value = _field(text, "keywords").get("value") or ""
    return [k.strip() for k in re.split(r"[;,]", value) if k.strip()]


def institution(text: Text) -> str | None:
    return _field(text, "institution").get("value")


def rights(text: Text) -> str:
    return text.meta["rights"]


def licence_url(text: Text) -> str | None:
    return text.meta.get("licence_url")


def genre_label(text: Text) -> str:
    return text.meta["genre"]["vi"]


def pages(text: Text, chapter: Chapter, anchor: str | None = None) -> tuple[str, str] | None:
    """Printed pages (first, last) of a chapter, or of one paragraph or section by its anchor, from the page
    milestones of the corpus (``{pb 46}``; a paragraph spans the page in force at its start to the last one
    beginning in it, as render.pages gives its ``data-pages``); None when no page is known."""
    known = text_pages(text)
    current = known.start_page.get(chapter.id)
    ids, section, found = paragraph_ids(chapter), None, []
    for i, block in enumerate(chapter.blocks):
        if block.kind == "heading":
            section = block.id
        markers = [known.markers[(chapter.id, i, k)] for k in range(len(block.pages))]
        first = markers[0] if markers and block.markdown.lstrip("-+ ").startswith("{pb ") else current
        current = markers[-1] if markers else current
        if i not in ids or anchor and anchor not in (ids[i], section):
            continue
        found += [m.number for m in (first, current) if m is not None and m.number is not None]
    return (str(min(found)), str(max(found))) if found else None


# --- CSL-JSON, BibTeX, RIS ------------------------------------------------------------------------------------

def csl_item(text: Text, url: str | None = None) -> dict:
    """The work as CSL-JSON, as read in this edition (``archive``), at ``url`` (the page or permalink)."""
    item: dict = {"id": text.id, "type": csl_type(text), "title": cite_title(text), "language": text.meta["language"]}
    if short_title(text):
        item["title-short"] = short_title(text)
    if persons(text):
        item["author"] = [p.csl() for p in persons(text)]
    if year(text):
        item["issued"] = {"date-parts": [[int(year(text))]]}
    if item["type"] == "thesis":
        item["genre"] = genre_label(text)
        if institution(text):
            item["publisher"] = institution(text)
    if abstract(text):
        item["abstract"] = abstract(text)
    item["archive"] = edition_label()
    if url:
        item["URL"] = url
        y, m, d = (int(p) for p in str(edition()["date"]).split("-"))
        item["accessed"] = {"date-parts": [[y, m, d]]}
    item["note"] = notes(text)
    return item


def notes(text: Text) -> str:
    """What a reference manager should keep with the item, in Vietnamese and then in English (for a reader
    who does not read Vietnamese), whatever the interface: supplied fields, the year decision, rights, the
    edition read (``record.*`` of both catalogues)."""
    vi_words, en_words = ui.catalogue("vi").text, ui.catalogue("en").text
    vi, en = [], []
    t = _field(text, "title")
    if supplied_title(text):
        vi.append(vi_words("record.title-supplied"))
        en.append(en_words("record.title-supplied"))
    if t.get("cite") and t.get("cite") != t.get("value"):
        vi.append(vi_words("record.title-printed", title=t["value"]))
        en.append(en_words("record.title-printed", title=t["value"]))
    t_en = _field(text, "title_en")
    if t_en.get("value") and text.meta["language"] != "en":
        en.append(en_words("record.title-en-translated" if t_en.get("supplied") else "record.title-en",
                           title=t_en.get("cite") or t_en["value"]))
    if year_note(text):
        vi.append(year_note(text))
    if not year(text):
        en.append(en_words("record.no-year"))
    vi.append(rights(text))
    if licence_url(text):
        en.append(en_words("record.licence", url=licence_url(text)))
    ed = edition()
    en.append(en_words("record.read-in", edition=ed.get("title_en") or ed["title"], version=ed["version"], date=ed["date"]))
    return " ".join(vi) + " — English: " + " ".join(en)


def _bib_escape(value: str) -> str:
    return value.replace("\\", "").replace("{", "").replace("}", "")


def bibtex(text: Text, url: str | None = None) -> str:
    item = csl_item(text, url)
    fields = [("author", " and ".join(_bib_escape(p.inverted) for p in persons(text))),
              ("title", "{" + _bib_escape(item["title"]) + "}"),  # inner braces: keep the case as given
              ("shorttitle", "{" + _bib_escape(item["title-short"]) + "}" if item.get("title-short") else ""),
              ("year", year(text) or ""), ("type", item.get("genre", "")), ("school", item.get("publisher", "")),
              ("language", item["language"]), ("abstract", _bib_escape(item.get("abstract", ""))),
              ("keywords", _bib_escape(", ".join(keywords(text)))),
              ("howpublished", _bib_escape(item["archive"])), ("url", url or ""),
              ("urldate", str(edition()["date"]) if url else ""), ("note", _bib_escape(item["note"]))]
    body = [f"  {k} = {{{v}}}," for k, v in fields if v]
    return "\n".join([f"@{BIBTEX_TYPES[item['type']]}{{{text.id},", *body, "}"]) + "\n"


def ris(text: Text, url: str | None = None) -> str:
    item = csl_item(text, url)
    lines = [f"TY  - {RIS_TYPES[item['type']]}"]
    lines += [f"AU  - {p.inverted}" for p in persons(text)]
    lines.append(f"TI  - {item['title']}")
    if item.get("title-short"):
        lines.append(f"ST  - {item['title-short']}")
    if year(text):
        lines.append(f"PY  - {year(text)}")
    if item.get("genre"):
        lines.append(f"M3  - {item['genre']}")
    lines.append(f"LA  - {item['language']}")
    if item.get("abstract"):
        lines.append(f"AB  - {item['abstract']}")
    lines += [f"KW  - {k}" for k in keywords(text)]
    lines.append(f"DB  - {item['archive']}")
    if url:
        lines += [f"UR  - {url}", f"Y2  - {edition()['date']}"]
    lines.append(f"N1  - {item['note']}")
    return "\n".join(lines + ["ER  - "]) + "\n"


# --- formatted citations ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Locator:
    label: str  # CSL locator label: page | section | chapter
    value: str


def locator_for(text: Text, chapter: Chapter | None, anchor: str | None,
                heading_label: str | None = None) -> Locator | None:
    """The in-text locator of a level: printed pages when known, else the section number or title."""
    if chapter is None:
        return None
    found = pages(text, chapter, anchor)
    if found:
        first, last = found
        return Locator("page", first if first == last else f"{first}–{last}")
    if heading_label:
        return Locator("section", heading_label)
    return None


# The formatted citations of a text's levels (memo.py: keyed by this code, the formatter's and citeproc-py).
_citations = memo.Memo("citations", [Path(__file__), Path(bib.__file__), Path(csl_fixes.__file__)],
                       ["citeproc-py", "lxml"])


def _format(style: str, item_json: str, loc_label: str | None, loc_value: str | None) -> tuple[str, str]:
    inputs = [bib.style_digest(style), json.dumps([style, item_json, loc_label, loc_value], ensure_ascii=False)]
    reference, intext = _citations.get(inputs, lambda: _citeproc(style, item_json, loc_label, loc_value),
                                       valid=_two_texts)
    return reference, intext


def _two_texts(value) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value)


def _citeproc(style: str, item_json: str, loc_label: str | None, loc_value: str | None) -> list[str]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source import Locator as CslLocator
    from citeproc.source.json import CiteProcJSON

    item = json.loads(item_json)
    source = CiteProcJSON([item])
    reference = CitationStylesBibliography(bib._style(style), source, formatter.html)
    reference.register(Citation([CitationItem(item["id"])]))
    intext = CitationStylesBibliography(bib._style(style), source, formatter.html)
    extra = {"locator": CslLocator(loc_label, loc_value)} if loc_label else {}
    citation = Citation([CitationItem(item["id"], **extra)])
    intext.register(citation)
    en_us = bib.STYLES[style][1] == "en-US"
    return [typography(str(reference.bibliography()[0]), en_us),
            typography(str(intext.cite(citation, lambda _: None)), en_us)]


def escaped(item: dict) -> dict:
    """The item as the formatter gets it: text values escaped for HTML and Markdown (edition.model.escape.md_text),
    so the formatted reference shows them literally wherever it lands."""
    safe = {k: escape.md_text(v) if isinstance(v, str) else v for k, v in item.items()}
    for role in ("author", "editor"):
        if item.get(role):
            safe[role] = [{k: escape.md_text(v) for k, v in n.items()} for n in item[role]]
    return safe


def format_item(item: dict, style: str, locator: Locator | None = None) -> tuple[str, str]:
    """(reference, in-text citation) of a CSL-JSON item in one style, as HTML."""
    return _format(style, json.dumps(escaped(item), sort_keys=True, ensure_ascii=False),
                   locator.label if locator else None, locator.value if locator else None)


def marked_reference(reference: str, style: str, work_language: str, names: tuple[str, ...] = ()) -> str:
    """A formatted reference (HTML) marked with its language (``reference_language``); in a reference in another
    language, the edition's own title (published in Vietnamese) and the Vietnamese ``names`` (its authors as the
    data writes them) are marked with the reference language's."""
    lang = reference_language(style, work_language)
    if lang != ui.DEFAULT:
        for words in (edition()["title"], *names):
            shown = escape.md_text(words)
            if ui.not_english(shown):  # only words English does not write
                reference = reference.replace(shown, ui.marked(shown, ui.DEFAULT))
    return ui.marked(reference, lang)


def reference_language(style: str, work_language: str) -> str:
    """The language a formatted reference is marked with: a style of a language other than English writes its
    terms in it (vn-thesis: "không rõ năm", "truy cập ngày"); in APA and Chicago the work's title and names are
    most of the reference, so it is the work's."""
    locale = bib.STYLES[style][1].split("-")[0]
    return locale if locale != "en" else work_language


def cite(text: Text, style: str, url: str | None, locator: Locator | None = None) -> tuple[str, str]:
    """(reference, in-text) of a text at any level: the level is in ``url`` (its fragment) and ``locator``."""
    return format_item(csl_item(text, url), style, locator)


def plain(html_text: str) -> str:
    """Formatted HTML → the plain text a reader pastes."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def edition_item(url: str | None = None) -> dict:
    ed = edition()
    y, m, d = (int(p) for p in str(ed["date"]).split("-"))
    item = {"id": "edition", "type": "book", "title": ed["title"], "version": ed["version"],
            "author": [{"literal": ed["editor"]}], "issued": {"date-parts": [[y, m, d]]}, "language": "vi"}
    if url:
        item["URL"] = url
    return item


def edition_bibtex() -> str:
    ed = edition()
    fields = [("author", "{" + _bib_escape(ed["editor"]) + "}"), ("title", "{" + _bib_escape(ed["title"]) + "}"),
              ("year", str(ed["date"])[:4]), ("date", str(ed["date"])), ("version", str(ed["version"])),
              ("language", "vi"), ("url", site_url()), ("note", ui.text("site.licence", licence=ed["licence"]["name"]))]
    return "\n".join(["@online{an-ban,", *(f"  {k} = {{{v}}}," for k, v in fields if v), "}"]) + "\n"


def edition_ris() -> str:
    ed = edition()
    lines = ["TY  - ELEC", f"AU  - {ed['editor']}", f"TI  - {ed['title']}", f"PY  - {str(ed['date'])[:4]}",
             f"DA  - {ed['date']}", f"ET  - {ed['version']}", "LA  - vi"]
    if site_url():
        lines.append(f"UR  - {site_url()}")
    return "\n".join(lines + ["ER  - "]) + "\n"
