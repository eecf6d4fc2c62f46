"""Citation metadata of a page: Highwire ``citation_*`` tags, JSON-LD and the short citation line."""

from __future__ import annotations

from ..corpus import Chapter, Text


def _value(field):
    return field.get("value") if isinstance(field, dict) else field


def authors(text: Text) -> list[str]:
    return [a["name"] for a in text.meta.get("authors") or []]


def year(text: Text) -> str | None:
    y = text.meta.get("year")
    return _value(y) if isinstance(y, dict) and not y.get("supplied") else None


def title(text: Text) -> str:
    return _value(text.meta["title"])


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
        institution = _value(text.meta.get("institution"))
        if institution:
            tags["citation_dissertation_institution"] = institution
    else:
        venue = _value(text.meta.get("venue"))
        if venue:
            tags["citation_journal_title"] = venue
    if len(text.chapters) > 1:
        tags["citation_inbook_title"] = title(text)
    return tags


def short_citation(text: Text, chapter: Chapter) -> str:
    who = "; ".join(authors(text)) or "Không rõ tác giả"
    when = year(text) or "không rõ năm"
    part = f", {chapter.title}" if len(text.chapters) > 1 else ""
    return f"{who} ({when}), {title(text)}{part}"
