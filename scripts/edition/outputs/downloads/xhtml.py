"""The document model as XHTML (lxml elements, so every corpus string is escaped where it lands): the
common body of the PDF (WeasyPrint) and the EPUB. Only notes and page milestones differ per format."""

from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

from ... import paths
from ...model import markup, ui
from ...model.corpus import field
from ...model.yamlio import load_yaml
from ...render.works import persons
from .model import Document, Para, Part, append_text, site_url

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
H = ElementMaker(namespace=XHTML, nsmap={None: XHTML, "epub": EPUB_NS})
# Title-page labels in the interface language (the landing page's, landing.field.*, and downloads.field.*);
# values keep the text's language.
LABELS = {"title": "landing.field.title", "title_en": "landing.field.title-en", "authors": "landing.field.authors",
          "year": "landing.field.year", "genre": "landing.field.genre", "venue": "landing.field.venue",
          "language": "landing.field.language", "rights": "landing.field.rights", "witness": "downloads.field.witness",
          "sha256": "downloads.field.sha256", "edition": "downloads.field.edition",
          "permalink": "downloads.field.permalink"}


def label(key: str) -> str:
    return ui.text(LABELS[key])


def bracketed(value: str, supplied: bool) -> str:
    """Supplied values are printed in square brackets (once)."""
    if not supplied or (value.startswith("[") and value.endswith("]")):
        return value
    return f"[{value}]"


def title_rows(doc: Document) -> list[tuple[str, str, bool]]:
    """(label, value, supplied) for the title page: what the witness states, what the editor supplied."""
    m = doc.text.meta
    not_stated = ui.text("evidence.not-stated")
    rows = []
    for key in ("title", "title_en", "year", "venue"):
        value, supplied = field(m, key)
        rows.append((label(key), bracketed(value, supplied) if value else not_stated, supplied and bool(value)))
    who = "; ".join(p.natural + (f" ({p.affiliation})" if p.affiliation else "") for p in persons(doc.text))
    rows.insert(1, (label("authors"), who or not_stated, False))
    edition = load_yaml(paths.DATA / "edition.yml")
    rows += [
        (label("genre"), m["genre"][ui.language()], False),
        (label("language"), ui.text(f"language.name.{m['language']}"), False),
        (label("rights"), m["rights"], False),
        (label("witness"), doc.witness.file, False),
        (label("sha256"), doc.witness.sha256, False),
        (label("edition"), ui.text("downloads.edition", title=edition["title"], version=edition["version"],
                                   date=edition["date"], editor=edition["editor"], licence=edition["licence"]["name"]),
         False),
        (label("permalink"), site_url(f"{doc.id}/index.html"), False),
    ]
    return rows


def _lang(el, lang: str):
    el.set("lang", lang)
    el.set(XML_LANG, lang)
    return el


class Writer:
    """``notes='footnote'`` (PDF: the note floats to the page foot) or ``'epub'`` (noteref + aside)."""

    def __init__(self, doc: Document, notes: str):
        self.doc, self.notes = doc, notes
        self.asides: list = []
        self.called: set[tuple[str, int]] = set()

    def runs(self, parent, runs: list[tuple], part: Part | None = None) -> None:
        for run in runs:
            kind = run[0]
            if kind == "text":
                append_text(parent, run[1])
            elif kind == "em":
                parent.append(H.em(run[1]))
            elif kind == "strong":
                parent.append(H.strong(run[1]))
            elif kind == "link":
                parent.append(H.a(run[1], href=run[1]))
            elif kind == "br":
                parent.append(H.br())
            elif kind == "ins":
                parent.append(H.ins(run[1], {"class": "editorial", "title": ui.text("downloads.editorial")}))
            elif kind == "cite":
                parent.append(H.span(run[1], {"class": "cite"}))
            elif kind == "pb":
                parent.append(self._milestone(run))
            elif kind == "note":
                parent.append(self._note(run[1], part))

    def _milestone(self, run):
        _, label, pid, uncertain = run
        el = H.span(label, {"class": "pb" + (" pb-uncertain" if uncertain else ""), "id": pid})
        if self.notes == "epub":
            el.set(f"{{{EPUB_NS}}}type", "pagebreak")
            el.set("role", "doc-pagebreak")
            el.set("aria-label", label)
        return el

    def _note(self, n: int, part: Part):
        call = markup.note_call(part.call if part else None, n)
        body = part.notes.get(n) if part else None
        if body is None or (part.id, n) in self.called:  # no note text in the witness, or a second call
            return H.sup(call, {"class": "note-call"})
        self.called.add((part.id, n))
        if self.notes == "footnote":
            el = H.span({"class": "fn", "data-call": call, "data-n": str(n)})
            self.runs(el, body, part)
            return el
        note_id = f"fn-{part.id}-{n}"
        aside = H.aside({"id": note_id, f"{{{EPUB_NS}}}type": "footnote", "role": "doc-footnote", "class": "note"})
        p = H.p(H.span(f"{n}. ", {"class": "note-label"}))
        self.runs(p, body, part)
        aside.append(p)
        self.asides.append(aside)
        return H.a(call, {"href": f"#{note_id}", f"{{{EPUB_NS}}}type": "noteref", "role": "doc-noteref",
                          "id": f"fnref-{part.id}-{n}", "class": "note-call"})

    def block(self, b: Para, part: Part, doc_lang: str):
        if b.kind == "heading":
            el = H(f"h{min(b.level + 1, 6)}", {"id": b.id, "class": "section"})
            self.runs(el, b.runs, part)
        elif b.kind == "raw":
            el = H.pre(b.runs[0][1], {"class": "raw"})
        else:
            classes = ["para", b.kind] + [a[1:] for a in b.attrs.split() if a.startswith(".")]
            el = H.p({"id": b.id, "class": " ".join(classes)})
            if b.pages:
                el.set("data-pages", b.pages)
            self.runs(el, b.runs, part)
        if b.lang != doc_lang:
            _lang(el, b.lang)
        return el

    def part(self, part: Part):
        """One chapter as a <section>, each heading followed by its permalink."""
        sec = H.section({"class": "part", "id": f"part-{part.id}"})
        if part.lang != self.doc.lang:
            _lang(sec, part.lang)
        if part.title_supplied:
            sec.append(H.h2(bracketed(part.title, True), {"id": part.id, "class": "section supplied-title"}))
            sec.append(self.permalink(part, part.id))
        for b in part.blocks:
            sec.append(self.block(b, part, part.lang))
            if b.kind == "heading":
                sec.append(self.permalink(part, b.id))
        return sec

    def permalink(self, part: Part, anchor: str):
        url = f"{part.permalink}#{anchor}"
        link = H.a(url, href=url) if url.startswith("http") else H.span(url)
        return H.p(link, {"class": "permalink"})

    def title_page(self):
        doc = self.doc
        sec = H.section({"class": "title-page", "id": "trang-nhan-de"})
        h = H.h1(bracketed(doc.title, doc.title_supplied), {"class": "book-title"})
        sec.append(h)
        supplied_note = ui.text("downloads.supplied")
        if doc.title_supplied:
            sec.append(H.p(f"[{ui.text('downloads.title-supplied', supplied=supplied_note)}]", {"class": "supplied-note"}))
        dl = H.dl({"class": "meta"})
        for name, value, supplied in title_rows(doc):
            dl.append(H.dt(name))
            dd = H.dd(value)
            if supplied:
                dd.append(H.span(f" [{supplied_note}]", {"class": "supplied"}))
            dl.append(dd)
        sec.append(dl)
        sec.append(H.p(ui.text("downloads.legend", not_stated=ui.text("evidence.not-stated")), {"class": "legend"}))
        return sec


def serialize(el, method: str = "xml") -> bytes:
    return etree.tostring(el, encoding="utf-8", method=method, xml_declaration=(method == "xml"))
