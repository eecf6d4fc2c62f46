"""PDF per text with WeasyPrint: A4, embedded fonts checked for coverage, title page, contents with
page numbers, running heads, notes as footnotes, page markers in the margin, tagged (PDF/UA structure)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ...model import ui
from .fonts import Family, check_coverage, families
from .model import Document, characters
from .xhtml import H, Writer, _lang, bracketed, title_rows

CSS = Path(__file__).with_name("pdf.css")
TOC_LEVELS = (1, 2, 3)  # corpus heading levels listed in the contents (chapters, x.y, x.y.z)


def _font_faces(fams: dict[str, Family]) -> str:
    rules = []
    styles = {"regular": ("normal", "normal"), "italic": ("italic", "normal"), "bold": ("normal", "bold"),
              "bold-italic": ("italic", "bold")}
    for role, fam in fams.items():
        name = {"body": "Edition Serif", "fallback": "Edition Fallback"}[role]
        for face, path in fam.faces.items():
            style, weight = styles[face]
            rules.append(f'@font-face {{ font-family: "{name}"; src: url("{path.as_uri()}"); '
                         f"font-style: {style}; font-weight: {weight}; }}")
    return "\n".join(rules)


def html_document(doc: Document) -> etree._Element:
    w = Writer(doc, notes="footnote")
    work = bracketed(doc.title, doc.title_supplied)
    head = H.head(H.meta(charset="utf-8"), H.title(work))
    for name in doc.authors:
        head.append(H.meta(name="author", content=name))
    head.append(H.meta(name="description", content=doc.text.meta["rights"]))
    body = H.body({"data-work": work})
    body.append(w.title_page())
    toc = H.ol()
    for part in doc.parts:
        if part.title_supplied:
            toc.append(H.li(H.a(bracketed(part.title, True), href=f"#{part.id}"), {"class": "l1"}))
        for b in part.blocks:
            if b.kind == "heading" and b.level in TOC_LEVELS:
                label = "".join(r[1] if r[0] != "br" else " " for r in b.runs if len(r) > 1 or r[0] == "br")
                level = b.level + (1 if part.title_supplied else 0)
                toc.append(H.li(H.a(" ".join(label.split()), href=f"#{b.id}"), {"class": f"l{level}"}))
    body.append(H.nav(H.h2(ui.text("landing.contents"), {"id": "muc-luc"}), toc, {"class": "toc"}))
    for part in doc.parts:
        body.append(w.part(part))
    return _lang(H.html(head, body), doc.lang)


def write_pdf(doc: Document, target: Path) -> None:
    from weasyprint import CSS as WCSS
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fams = families()
    # the title page prints the metadata and its labels too
    page = "".join(label + value for label, value, _ in title_rows(doc)) + ui.text("downloads.supplied")
    check_coverage(fams["body"], characters(doc, page), fams["fallback"])
    root = html_document(doc)
    html = etree.tostring(root, encoding="unicode", method="html")
    fonts = FontConfiguration()  # the @font-face rules only apply through a shared font configuration
    stylesheet = WCSS(string=_font_faces(fams) + "\n" + CSS.read_text(encoding="utf-8"), font_config=fonts)
    HTML(string=html, base_url=str(target.parent)).write_pdf(
        target, stylesheets=[stylesheet], font_config=fonts, pdf_tags=True, pdf_identifier=doc.witness.sha256[:32].encode(),
        custom_metadata=False)
