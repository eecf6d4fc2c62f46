"""What a page tells reference managers and readers about the work it shows: Highwire ``citation_*`` and
Dublin Core tags, the page description, JSON-LD, the citation box, and the data of the ¶ dialog.

Everything comes from ``works`` (one truth per text); the template (theme/main.html) escapes every value.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from ..model import ui
from ..model.corpus import Chapter, Text
from . import works

DC_TYPES = {"thesis": "Thesis", "article-journal": "Text", "article-magazine": "Text"}
PRISM = {"article-journal": "journal", "article-magazine": "magazine"}  # Zotero: journal vs magazine article
SCHEMA_TYPES = {"thesis": "Thesis", "article-journal": "ScholarlyArticle", "article-magazine": "Article"}
DOWNLOADS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))


def head_tags(text: Text, chapter: Chapter | None, pdf: bool = False) -> list[list[str]]:
    """[name, content] pairs in order (each citation_author_institution follows its author).

    The item is the text itself on its landing page and on each of its chapter pages: a thesis chapter
    is imported as the thesis (Zotero has no "chapter of a thesis"), never as a book section."""
    kind = works.csl_type(text)
    tags = [["citation_title", works.cite_title(text)]]
    for person in works.persons(text):
        tags.append(["citation_author", person.inverted])
        if person.affiliation:
            tags.append(["citation_author_institution", person.affiliation])
    if works.year(text):
        tags.append(["citation_publication_date", works.year(text)])
    if kind == "thesis" and works.institution(text):
        tags.append(["citation_dissertation_institution", works.institution(text)])
    if works.abstract(text):
        tags.append(["citation_abstract", works.abstract(text)])
    if works.keywords(text):
        tags.append(["citation_keywords", "; ".join(works.keywords(text))])
    tags.append(["citation_language", text.meta["language"]])
    found = works.pages(text, chapter) if chapter else None
    if found:
        tags += [["citation_firstpage", found[0]], ["citation_lastpage", found[1]]]
    url = works.absolute(works.page_path(text, chapter))
    if url:
        tags.append(["citation_public_url", url])
    if pdf:  # the text's PDF (edition.outputs.downloads), absolute when the site URL is known
        tags.append(["citation_pdf_url", works.absolute(pdf_path(text)) or pdf_path(text)])
    # Dublin Core: the type (Zotero's thesis without an institution to name), the rights, the creators
    tags += [["DC.title", works.cite_title(text)], ["DC.type", DC_TYPES[kind]]]
    tags += [["DC.creator", p.inverted] for p in works.persons(text)]
    if works.year(text):
        tags.append(["DC.date", works.year(text)])
    tags += [["DC.language", text.meta["language"]], ["DC.rights", works.rights(text)]]
    if works.licence_url(text):
        tags.append(["DC.rights", works.licence_url(text)])
    if url:
        tags.append(["DC.identifier", url])
    if kind in PRISM:
        tags.append(["prism.aggregationtype", PRISM[kind]])
    return tags


def description(text: Text, chapter: Chapter | None) -> str:
    """The page's own description (search engines; reference managers fall back to it for an abstract)."""
    part = f"{chapter.title} — " if chapter is not None and len(text.chapters) > 1 else ""
    who = "; ".join(p.natural for p in works.persons(text)) or ui.text("meta.unknown-author")
    genre = text.meta["genre"][ui.language()]
    if genre[1:2].islower():  # in the sentence: "journal article", but "PhD thesis" as written
        genre = genre[:1].lower() + genre[1:]
    base = f"{part}{works.title(text)} ({genre}, {who})"
    abstract = works.abstract(text)
    if abstract:
        return _shorten(f"{base}. {abstract}", 300)
    return ui.text("meta.no-abstract", work=base)


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit].rsplit(" ", 1)[0] + "…"


def jsonld(text: Text, chapter: Chapter | None) -> dict:
    """schema.org description with absolute URLs only: without SITE_URL no ``url`` (never a relative one)."""
    kind = works.csl_type(text)
    work: dict = {"@type": SCHEMA_TYPES[kind], "name": works.cite_title(text), "inLanguage": text.meta["language"],
                  "genre": works.genre_label(text), "copyrightNotice": works.rights(text)}
    landing = works.absolute(works.page_path(text))
    if landing:
        work["@id"] = work["url"] = landing
    people = []
    for p in works.persons(text):
        person: dict[str, Any] = {"@type": "Person", "name": p.natural, "familyName": p.family, "givenName": p.given}
        if p.affiliation:
            person["affiliation"] = {"@type": "Organization", "name": p.affiliation}
        people.append(person)
    if people:
        work["author"] = people
    if works.licence_url(text):
        work["license"] = works.licence_url(text)
    if works.year(text):
        work["datePublished"] = works.year(text)
    if works.abstract(text):
        work["abstract"] = works.abstract(text)
    if works.keywords(text):
        work["keywords"] = works.keywords(text)
    edition = {"@type": "CreativeWork", "name": works.edition()["title"], "version": str(works.edition()["version"])}
    if works.site_url():
        edition["url"] = works.site_url()
    work["isPartOf"] = edition
    if chapter is None or len(text.chapters) == 1:
        return {"@context": "https://schema.org", **work}
    page = {"@context": "https://schema.org", "@type": "Chapter", "name": chapter.title, "inLanguage": chapter.lang,
            "isPartOf": work}
    url = works.absolute(works.page_path(text, chapter))
    if url:
        page["url"] = url
    found = works.pages(text, chapter)
    if found:
        page["pageStart"], page["pageEnd"] = found
    return page


def url_html(path: str) -> str:
    """The URL in a formatted citation: absolute when the site URL is known; otherwise the site path in a
    span that docs/assets/permalinks.js turns into the URL the page was read from."""
    url = works.absolute(path)
    return html.escape(url) if url else f'<span class="cite-url" data-path="{html.escape(path)}">{html.escape(path)}</span>'


def _formatted(text: Text, style: str, path: str, locator) -> tuple[str, str]:
    reference, intext = works.cite(text, style, works.URL_TOKEN + "x", locator)
    return reference.replace(works.URL_TOKEN + "x", url_html(path)), intext


def cite_box(text: Text, chapter: Chapter | None) -> str:
    """Collapsible box citing the text (landing page) or this chapter: three styles and the downloads."""
    single = chapter is None or len(text.chapters) == 1
    what = "text" if chapter is None else ("article" if single else "chapter")
    path = works.page_path(text, chapter)
    locator = works.locator_for(text, chapter, None) if chapter is not None and not single else None
    if locator is None and chapter is not None and not single:
        locator = works.Locator("chapter", _chapter_label(chapter))
    # .edition-citebox: copy buttons (permalinks.js)
    lines = [f'??? quote edition-citebox "{ui.text(f"cite.box.title.{what}")}"', ""]
    for style in works.STYLES:
        reference, intext = _formatted(text, style, path, locator)
        lang = text.meta["language"]
        reference, intext = works.marked_reference(reference, style, lang), ui.marked(intext, works.reference_language(style, lang))
        lines += [f"    **{works.style_name(style)}:** {reference}", "", f"    {ui.text('cite.intext')} {intext}", ""]
    links = " · ".join(f"[{label}](../tai-ve/{text.id}.{ext}){{: download}}" for ext, label in DOWNLOADS)
    lines += ["    " + ui.text("cite.box.downloads", files=links, edition=works.edition_label(markup=True),
                              how_to_cite="../cach-trich-dan.md"), "",
              "    " + ui.text("cite.box.permalinks"), ""]
    return "\n".join(lines)


def _chapter_label(chapter: Chapter) -> str:
    m = re.match(r"Chương\s+(\d+)", chapter.title)
    return m.group(1) if m else chapter.title


def dialog_data(text: Text, chapter: Chapter | None, witness: str | None = None) -> str:
    """JSON for the ¶ dialog (meta ``edition-cite``): per style the reference of this page with a {url}
    slot and the in-text citation per locator kind with a {loc} slot (one page, a page range, a section);
    docs/assets/permalinks.js fills them with the permalink, the printed pages of the paragraph or section
    (``data-pages``) or else its section number. ``witness``: the stem of the witness page holding this
    chapter's lines; the dialog fetches ``<witness>.json`` to show a block's lines (``data-lines``)."""
    # a sample locator per kind, formatted by the style, then replaced by the slot
    samples = {"page": ("page", "9999991"), "pages": ("page", "9999991-9999992"), "section": ("section", "9999991")}
    styles = []
    for style in works.STYLES:
        name = works.style_name(style)
        reference, bare = works.cite(text, style, works.URL_TOKEN + "x")
        intext = {"none": works.plain(bare)}
        for kind, (label, value) in samples.items():
            cited = works.plain(works.cite(text, style, None, works.Locator(label, value))[1])
            intext[kind] = re.sub(r"9999991(?:[–-]\d+)?", "{loc}", cited)
        styles.append({"name": name, "reference": works.plain(reference).replace(works.URL_TOKEN + "x", "{url}"),
                       "intext": intext})
    # the records for reference managers, at the permalink ({url}), with the access date and language
    token = works.URL_TOKEN + "x"
    records = [["BibTeX", works.bibtex(text, token)], ["RIS", works.ris(text, token)],
               ["CSL-JSON", json.dumps([works.csl_item(text, token)], ensure_ascii=False, indent=2) + "\n"]]
    records = [[name, value.replace(token, "{url}")] for name, value in records]
    data = {"work": works.cite_title(text), "chapter": chapter.title if chapter and len(text.chapters) > 1 else "",
            "styles": styles, "records": records, "downloads": [[label, f"../tai-ve/{text.id}.{ext}"] for ext, label in DOWNLOADS]}
    if witness:
        data["witness"] = f"{witness}.json"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def pdf_path(text: Text) -> str:
    """Where the text's PDF (edition.outputs.downloads) is published, relative to the site root."""
    return f"{text.id}/{text.id}.pdf"


def chapter_meta(text: Text, chapter: Chapter, pdf: bool = False, witness: str | None = None) -> dict:
    """Front matter of a chapter page: tags, description, JSON-LD, dialog data."""
    return {"meta_tags": head_tags(text, chapter, pdf), "description": description(text, chapter),
            "jsonld": jsonld(text, chapter), "edition_cite": dialog_data(text, chapter, witness)}


def landing_meta(text: Text, pdf: bool = False) -> dict:
    return {"meta_tags": head_tags(text, None, pdf), "description": description(text, None), "jsonld": jsonld(text, None),
            "edition_cite": dialog_data(text, None)}
