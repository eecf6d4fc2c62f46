"""Citation metadata of a page: Highwire ``citation_*`` tags, JSON-LD and the short citation line."""

from __future__ import annotations

import os

from .. import escape
from ..corpus import Chapter, Text
from ..enrich import bibliography as bib

STYLES = (("vn-thesis", "Kiểu luận án Việt Nam"), ("apa", "APA"), ("chicago", "Chicago"))
SCHEMA_TYPES = {"PhD thesis": "Thesis"}


def page_url(text: Text, chapter: Chapter) -> str:
    """Absolute URL when the site URL is configured (GitHub Pages build), else the site-relative path."""
    path = f"{text.id}/{chapter.stem}.html"
    base = os.environ.get("SITE_URL", "").rstrip("/")
    return f"{base}/{path}" if base else path


def field(meta: dict, key: str) -> tuple[str, bool]:
    """A metadata field as (value, supplied): text.yml writes supplied fields as {value, supplied, …}."""
    value = meta.get(key)
    if isinstance(value, dict):
        return (value.get("value") or "", bool(value.get("supplied")))
    return (value or "", False)


def authors(text: Text) -> list[str]:
    return [a["name"] for a in text.meta.get("authors") or []]


def year(text: Text) -> str | None:
    value, supplied = field(text.meta, "year")
    return value if value and not supplied else None


def title(text: Text) -> str:
    return field(text.meta, "title")[0]


def chapter_citation(text: Text, chapter: Chapter) -> dict:
    tags = {
        "citation_title": chapter.title if len(text.chapters) > 1 else title(text),
        "citation_language": chapter.lang,
    }
    if authors(text):
        tags["citation_author"] = authors(text)
    if year(text):
        tags["citation_publication_date"] = year(text)
    genre = text.meta.get("genre", {}).get("en", "")
    if genre == "PhD thesis":
        tags["citation_dissertation_name"] = title(text)
        institution = field(text.meta, "institution")[0]
        if institution:
            tags["citation_dissertation_institution"] = institution
    else:
        venue = field(text.meta, "venue")[0]
        if venue:
            tags["citation_journal_title"] = venue
    if len(text.chapters) > 1:
        tags["citation_inbook_title"] = title(text)
    if page_url(text, chapter).startswith("http"):
        tags["citation_public_url"] = page_url(text, chapter)
    return tags


def jsonld(text: Text, chapter: Chapter) -> dict:
    work = {
        "@type": SCHEMA_TYPES.get(text.meta["genre"]["en"], "ScholarlyArticle"),
        "name": title(text),
        "inLanguage": text.meta["language"],
        "author": [{"@type": "Person", "name": n} for n in authors(text)],
        "license": text.meta.get("licence_url") or text.meta["rights"],
    }
    if year(text):
        work["datePublished"] = year(text)
    if len(text.chapters) == 1:
        return {"@context": "https://schema.org", **work, "url": page_url(text, chapter)}
    return {"@context": "https://schema.org", "@type": "Chapter", "name": chapter.title,
            "inLanguage": chapter.lang, "isPartOf": work, "url": page_url(text, chapter)}


def cite_box(text: Text, chapter: Chapter) -> str:
    """Collapsible 'cite this chapter' box: the work in each CSL style + this page, and its BibTeX."""
    url = page_url(text, chapter)
    part = f" {escape.md_text(chapter.title)}." if len(text.chapters) > 1 else ""
    lines = ['??? quote "Trích dẫn chương này"', ""]
    for style, name in STYLES:
        lines.append(f"    **{name}:** {bib.format_reference(text.id, style)}{part} &lt;{url}&gt;")
        lines.append("")
    lines += ["    Mỗi mục và mỗi đoạn có liên kết cố định (biểu tượng liên kết, ¶): bấm để sao chép liên kết"
              " kèm dòng trích dẫn ngắn của đúng mục/đoạn đó.", "",
              "    ```bibtex", *("    " + l for l in bib.bibtex_for(text.id).strip().splitlines()), "    ```"]
    return "\n".join(lines)


def short_citation(text: Text, chapter: Chapter) -> str:
    who = "; ".join(authors(text)) or "Không rõ tác giả"
    when = year(text) or "không rõ năm"
    part = f", {chapter.title}" if len(text.chapters) > 1 else ""
    return f"{who} ({when}), {title(text)}{part}"
