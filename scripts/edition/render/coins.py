"""COinS (ContextObjects in Spans, OpenURL 1.0 KEV): one empty span per bibliography entry, which Zotero
and other reference managers offer as a multiple-item import of the bibliography page."""

from __future__ import annotations

import html
from urllib.parse import urlencode

FORMATS = {  # CSL type -> (OpenURL format, rft.genre); see Zotero's parseContextObject
    "article-journal": ("journal", "article"), "article-magazine": ("journal", "article"),
    "book": ("book", "book"), "chapter": ("book", "bookitem"), "report": ("book", "report"),
    "document": ("book", "document"), "thesis": ("dissertation", None), "webpage": ("dc", None),
}


def _names(item: dict) -> list[tuple[str, str]]:
    out = []
    for n in item.get("author") or item.get("editor") or []:
        if n.get("literal"):
            out.append(("rft.au", n["literal"]))
        else:
            out += [("rft.aulast", n.get("family", ""))] + ([("rft.aufirst", n["given"])] if n.get("given") else [])
            out.append(("rft.au", ", ".join(filter(None, [n.get("family"), n.get("given")]))))
    return out


def coins(item: dict) -> str:
    """The span for a CSL-JSON item (unescaped values: they are escaped here, once)."""
    fmt, genre = FORMATS.get(item["type"], ("book", "document"))
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{fmt}")]
    if genre:
        pairs.append(("rft.genre", genre))
    title = item.get("title", "")
    if fmt == "journal":
        pairs += [("rft.atitle", title)] + ([("rft.jtitle", item["container-title"])] if item.get("container-title") else [])
    elif genre == "bookitem":
        pairs += [("rft.atitle", title), ("rft.btitle", item.get("container-title", ""))]
    elif fmt == "book":
        pairs.append(("rft.btitle", title))
    else:
        pairs.append(("rft.title", title))
    pairs += _names(item)
    issued = (item.get("issued") or {}).get("date-parts")
    if issued:
        pairs.append(("rft.date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(issued[0]))))
    for csl, key in (("publisher", "rft.pub" if fmt != "dissertation" else "rft.inst"), ("publisher-place", "rft.place"),
                     ("volume", "rft.volume"), ("issue", "rft.issue"), ("page", "rft.pages"),
                     ("language", "rft.language"), ("URL", "rft_id")):
        if item.get(csl):
            pairs.append((key, item[csl]))
    return f'<span class="Z3988" title="{html.escape(urlencode(pairs), quote=True)}"></span>'
