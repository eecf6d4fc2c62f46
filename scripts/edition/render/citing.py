"""The edition's citation outputs: BibTeX/RIS/CSL-JSON downloads per text and the "Cách trích dẫn" page."""

from __future__ import annotations

import json
from pathlib import Path

from ..model import escape, ui
from ..model.corpus import Text
from . import output, works
from .metadata import DOWNLOADS, url_html

MARKER = "<!-- edition:citations -->"  # in docs/cach-trich-dan.md: replaced by the generated part


def write_downloads(docs: Path, texts: list[Text]) -> None:
    """``tai-ve/<text>.bib|.ris|.json`` (URL: the text's landing page when the site URL is known) and the
    whole edition as ``tai-ve/an-ban.*``."""
    out = docs / "tai-ve"
    out.mkdir(parents=True, exist_ok=True)
    for text in texts:
        url = works.absolute(works.page_path(text))
        output.write_text(out / f"{text.id}.bib", works.bibtex(text, url))
        output.write_text(out / f"{text.id}.ris", works.ris(text, url))
        output.write_text(out / f"{text.id}.json", json.dumps([works.csl_item(text, url)], ensure_ascii=False, indent=1))
    item = works.edition_item(works.site_url() or None)
    output.write_text(out / "an-ban.json", json.dumps([item], ensure_ascii=False, indent=1))
    output.write_text(out / "an-ban.bib", works.edition_bibtex())
    output.write_text(out / "an-ban.ris", works.edition_ris())


def _licence(licence: dict) -> str:
    """The licence as a link when its URL is safe (http, https, mailto, relative), else as text."""
    name = escape.md_text(licence["name"])
    url = str(licence["url"])
    return f"[{name}](<{url}>)" if escape.safe_url(url) and not set(url) & set("<> ") else name


def citation_page(source: Path, page: Path, texts: list[Text]) -> None:
    """The hand-written page ``source`` as ``page``, its generated part filled: the edition and each text in
    the three styles."""
    ed = works.edition()
    data = " · ".join(f"[{label}](tai-ve/an-ban.{ext}){{: download}}" for ext, label in DOWNLOADS)
    lines = [f"## {ui.text('cite.page.edition')} {{#an-ban}}", "",
             ui.text("cite.page.edition-facts", version=escape.md_text(ed["version"]), date=escape.md_text(ed["date"]),
                     editor=ui.marked(escape.md_text(ed["editor"]), ui.DEFAULT), licence=_licence(ed["licence"]), files=data),
             ""]
    for style in works.STYLES:
        reference, intext = works.format_item(works.edition_item(works.URL_TOKEN + "x"), style)
        url = works.site_url() or '<span class="cite-url" data-path="">./</span>'  # made absolute by permalinks.js
        # the edition's references name it as it is published (its Vietnamese title, the reference language)
        lines += ["- " + ui.text("cite.page.style", style=works.style_name(style),
                                 reference=ui.marked(reference.replace(works.URL_TOKEN + "x", url), ui.DEFAULT),
                                 intext=ui.marked(intext, ui.DEFAULT))]
    lines += ["", f"## {ui.text('cite.page.texts')} {{#van-ban}}", ""]
    for text in texts:
        lang = text.meta["language"]  # a text's references name it in its language
        # its title; in another interface than the reference one, where the title is in another language, the
        # editor's label in the interface's if text.yml has one (a table of contents cannot mark a language)
        if lang != ui.language() != ui.DEFAULT and text.nav_lang == ui.language():
            heading = escape.md_text(text.nav_title)
        else:
            heading = ui.marked(escape.md_text(works.title(text)), lang)
        lines += [f"### {heading} {{#trich-dan-{text.id}}}", ""]
        for style in works.STYLES:
            reference, intext = works.cite(text, style, works.URL_TOKEN + "x")
            link = url_html(works.page_path(text))
            lines.append("- " + ui.text("cite.page.style", style=works.style_name(style),
                                        reference=works.marked_reference(reference.replace(works.URL_TOKEN + "x", link),
                                                                         style, lang),
                                        intext=ui.marked(intext, works.reference_language(style, lang))))
        files = " · ".join(f"[{label}](tai-ve/{text.id}.{ext}){{: download}}" for ext, label in DOWNLOADS)
        lines += ["", ui.text("cite.page.year", year=works.year(text) or ui.text("cite.page.no-year"),
                              note=ui.marked(works.year_note(text), ui.DEFAULT)), "", ui.text("cite.page.downloads", files=files), ""]
    body = source.read_text(encoding="utf-8")
    output.write_text(page, body.replace(MARKER, "\n".join(lines)))
