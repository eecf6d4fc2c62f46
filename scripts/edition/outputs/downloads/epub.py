"""EPUB 3 per text, written directly (zip + OPF + nav) so that the package is deterministic and
EPUBCheck-clean: a title page, one XHTML file per chapter, notes as EPUB footnotes (noteref/aside)."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

from lxml.builder import ElementMaker

from ...model import ui
from .model import Document
from .xhtml import EPUB_NS, H, Writer, _lang, bracketed, serialize

CSS = Path(__file__).with_name("epub.css")
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
O = ElementMaker(namespace=OPF, nsmap={None: OPF, "dc": DC})
D = ElementMaker(namespace=DC)
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entry times: the same inputs give the same bytes


def _page(title: str, lang: str, body) -> bytes:
    html = _lang(H.html(H.head(H.title(title), H.link(rel="stylesheet", type="text/css", href="style.css")),
                        H.body(body)), lang)
    return b"<!DOCTYPE html>\n" + serialize(html)[len(b"<?xml version='1.0' encoding='utf-8'?>\n"):]


def _xml_page(title: str, lang: str, body) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + _page(title, lang, body)


def _notes_heading(lang: str) -> str:
    """The heading of a part's notes, in the part's own language (English for a language without a catalogue)."""
    return ui.catalogue(lang if lang in ui.LANGUAGES else "en").text("downloads.notes")


def build_files(doc: Document, modified: str) -> dict[str, bytes]:
    """Every file of the package (path inside OEBPS → bytes)."""
    title = bracketed(doc.title, doc.title_supplied)
    words = ui.current()  # the front matter's words: the interface language's
    files = {"title.xhtml": _xml_page(title, ui.language(), H.section(
        {f"{{{EPUB_NS}}}type": "titlepage"}, *Writer(doc, "epub").title_page()))}
    nav_items = [H.li(H.a(words.text("downloads.title-page"), href="title.xhtml"))]
    for i, part in enumerate(doc.parts, start=1):
        w = Writer(doc, "epub")
        sec = w.part(part)
        if w.asides:
            sec.append(H.section({"class": "notes", f"{{{EPUB_NS}}}type": "footnotes"},
                                 H.h3(_notes_heading(part.lang)), *w.asides))
        name = f"part-{i:02d}.xhtml"
        files[name] = _xml_page(part.title, part.lang, sec)
        sub = H.ol()
        for b in part.blocks:
            if b.kind == "heading" and 1 < b.level <= 3:
                label = " ".join("".join(r[1] for r in b.runs if r[0] in ("text", "em", "strong", "ins", "cite")).split())
                sub.append(H.li(H.a(label, href=f"{name}#{b.id}")))
        li = H.li(H.a(bracketed(part.title, part.title_supplied), href=name))
        if len(sub):
            li.append(sub)
        nav_items.append(li)
    contents = words.text("landing.contents")
    nav = H.nav({f"{{{EPUB_NS}}}type": "toc", "id": "toc"}, H.h1(contents), H.ol(*nav_items))
    landmarks = H.nav({f"{{{EPUB_NS}}}type": "landmarks", "hidden": "hidden"}, H.h2(words.text("downloads.landmarks")), H.ol(
        H.li(H.a(words.text("downloads.title-page"), {"href": "title.xhtml", f"{{{EPUB_NS}}}type": "titlepage"})),
        H.li(H.a(words.text("downloads.body"), {"href": "part-01.xhtml", f"{{{EPUB_NS}}}type": "bodymatter"}))))
    files["nav.xhtml"] = _xml_page(contents, ui.language(), H.div(nav, landmarks))
    files["style.css"] = CSS.read_bytes()
    files["content.opf"] = _opf(doc, title, [n for n in files if n.startswith("part-")], modified)
    return files


def _opf(doc: Document, title: str, parts: list[str], modified: str) -> bytes:
    ident = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'edition:' + doc.id + ':' + doc.witness.sha256)}"
    meta = O.metadata(D.identifier(ident, id="pub-id"), D.title(title), D.language(doc.lang),
                      D.rights(doc.text.meta["rights"]), D.source(f"{doc.witness.file} (SHA-256 {doc.witness.sha256})"))
    for name in doc.authors:
        meta.append(D.creator(name))
    meta.append(O.meta(modified, property="dcterms:modified"))
    manifest = O.manifest(
        O.item(id="nav", href="nav.xhtml", properties="nav", **{"media-type": "application/xhtml+xml"}),
        O.item(id="title", href="title.xhtml", **{"media-type": "application/xhtml+xml"}),
        O.item(id="css", href="style.css", **{"media-type": "text/css"}))
    spine = O.spine(O.itemref(idref="title"), O.itemref(idref="nav"))
    for name in parts:
        manifest.append(O.item(id=name[:-6], href=name, **{"media-type": "application/xhtml+xml"}))
        spine.append(O.itemref(idref=name[:-6]))
    package = O.package(meta, manifest, spine, version="3.0", **{"unique-identifier": "pub-id"})
    package.set("{http://www.w3.org/XML/1998/namespace}lang", doc.lang)
    return serialize(package)


CONTAINER = (b'<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" '
             b'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile '
             b'full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n')


def write_epub(doc: Document, target: Path, modified: str) -> None:
    """``modified``: dcterms:modified (the edition's release date, so rebuilding changes no byte)."""
    def entry(name: str, data: bytes, compress=zipfile.ZIP_DEFLATED) -> None:
        info = zipfile.ZipInfo(name, FIXED_TIME)
        info.compress_type = compress
        z.writestr(info, data)

    with zipfile.ZipFile(target, "w") as z:
        entry("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)  # first and uncompressed (OCF)
        entry("META-INF/container.xml", CONTAINER)
        for name, data in build_files(doc, modified).items():
            entry(f"OEBPS/{name}", data)
