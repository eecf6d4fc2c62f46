"""Register pages (Bảng tra tên riêng): an index by kind in Vietnamese alphabetical order, and one page per
entry listing its printed forms, its facts with their evidence, and every paragraph that mentions it,
grouped by text, each with a snippet and a link to the paragraph.

Every register and corpus value lands in raw HTML here, so every one goes through ``_esc``; the mention
lists are ``data-pagefind-ignore`` (they repeat the texts, which are indexed where they are), and an entry
page's subheadings have no ids, so the page is one search record.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from pathlib import Path

from ..enrich.register_links import PAGE_DIR
from ..model import escape, ui
from ..model.register import Entry, Mention, Place, Register, fold
from . import output
from .collation import vi_sort_key
from .frontmatter import dump_page
from .witness_pages import editor_mark, evidence_html

PREVIEWS = "xem-truoc.json"  # what a mention's preview shows (docs/assets/previews.js)
SNIPPET = 70  # characters of context on each side of a mention
# Every description is the editor's summary of where the texts name the entry; its basis is the list of them.
MENTIONS_ID = "nhac-den"


# html.escape's, and Markdown's own markup characters neutralised (md_in_html may read the text): one pass.
_ESCAPE = escape.characters({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "\\": "&#92;",
                             "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;", "`": "&#96;", "{": "&#123;"})


def _esc(value: str) -> str:
    """HTML-escaped, and Markdown's own markup characters neutralised (md_in_html may read the text)."""
    return _ESCAPE(value)


def _snippet(plain: str, mention: Mention) -> str:
    start, end = max(0, mention.start - SNIPPET), min(len(plain), mention.end + SNIPPET)
    before = ("…" if start else "") + plain[start:mention.start]
    after = plain[mention.end:end] + ("…" if end < len(plain) else "")
    return f"{_esc(before)}<mark>{_esc(plain[mention.start:mention.end])}</mark>{_esc(after)}"


def _chapter_titles(texts) -> tuple[dict[str, str], dict[str, str]]:
    text_titles = {t.id: t.nav_html(_esc) for t in texts}  # HTML
    chapter_titles = {f"{t.id}/{c.stem}": ui.marked(_esc(c.title), c.lang) for t in texts for c in t.chapters}
    return text_titles, chapter_titles


def _entry_page(entry: Entry, register: Register, places: list[tuple[Place, list[Mention]]],
                text_titles: dict[str, str], chapter_titles: dict[str, str], texts: dict) -> str:
    forms: dict[str, Counter] = defaultdict(Counter)
    for place, found in places:
        for m in found:
            forms[m.form][place.text] += 1
    mentions = f'<a href="#{MENTIONS_ID}">{ui.text("register.basis-mentions")}</a>'
    lines = [f'<h1 id="{entry.id}">{ui.editors(_esc(entry.name))}</h1>', "",
             f'<p class="reg-kind">{_esc(ui.localised(register.kinds[entry.kind]))}</p>', "",
             # the description is the editor's summary of where the texts name the entry (listed below)
             f'<p class="reg-description">{ui.editors_localised(entry.description, _esc)} '
             f'({ui.text("evidence.basis", editor=editor_mark(), basis=mentions)})</p>', "",
             f'<h2>{ui.text("register.forms")}</h2>', "", '<ul class="reg-forms">']
    for form in entry.names:
        if form not in forms:
            continue  # the preferred form may be the editor's choice among the printed ones
        where = "; ".join(f"{text_titles[t]} ({n})" for t, n in forms[form].items())
        lines.append(f"<li><span lang=\"{'en' if form.isascii() else 'vi'}\">{_esc(form)}</span> — {where}</li>")
    lines.append("</ul>")
    if entry.search:  # the editor's, for readers who type another spelling; no text prints them
        names = "; ".join(ui.editors(_esc(name)) for name in entry.search)
        lines += ["", f'<p class="reg-search">{ui.text("register.search-names", names=names)}</p>']
    lines += ["", f'<h2>{ui.text("register.facts")}</h2>', ""]
    if entry.facts:
        lines.append('<ul class="reg-facts">')
        for f in entry.facts:
            lines.append(f"<li>{ui.marked(_esc(f.label), texts[f.text].meta['language'])} — "
                         f"{text_titles.get(f.text, _esc(f.text))}: "
                         f"{evidence_html(texts[f.text], f.line, f.quote)}</li>")
        lines.append("</ul>")
    else:
        lines.append(f"<p>{ui.text('register.no-facts')}</p>")
    count = sum(len(found) for _, found in places)
    mentioned = ui.text("register.mentions", paragraphs=ui.count("count.paragraphs", len(places), words=False),
                        times=ui.count("count.times", count, words=False))
    lines += ["", f'<h2>{mentioned}</h2>', "",
              f'<div class="reg-mentions" id="{MENTIONS_ID}" data-pagefind-ignore>']
    by_text: dict[str, list[tuple[Place, list[Mention]]]] = defaultdict(list)
    for place, found in places:
        by_text[place.text].append((place, found))
    for text_id, items in by_text.items():
        lines.append(f"<h3>{text_titles[text_id]} ({ui.count('count.paragraphs', len(items), words=False)})</h3>")
        lines.append('<ol class="reg-mention-list">')
        for place, found in items:
            href = f"../{html.escape(place.page)}.html#{html.escape(place.pid)}"
            times = f" (×{len(found)})" if len(found) > 1 else ""
            lines.append(f'<li><a href="{href}">{chapter_titles[place.page]}, ¶ {_esc(place.pid)}</a>{times}: '
                         f"{ui.marked(_snippet(place.plain, found[0]), texts[place.text].meta['language'])}</li>")
        lines.append("</ol>")
    lines += ["</div>", "", f'<p><a href="index.html#{entry.kind}">← {ui.text("register.title")}</a></p>']
    return dump_page({"title": ui.editors(_esc(entry.name)), "lang": ui.language()}, "\n".join(lines))


def _index_page(register: Register, counts: dict[str, int], n_texts: int) -> str:
    title = ui.text("register.title")
    lines = [f'<h1 id="bang-tra">{title}</h1>', "",
             "<p>" + ui.text("register.intro", texts=ui.count("count.texts", n_texts),
                             not_stated=ui.text("evidence.not-stated"), editor=editor_mark(),
                             mentions=ui.text("register.basis-mentions")) + "</p>", "",
             f'<nav class="reg-kinds" aria-label="{_esc(ui.text("register.kinds"))}"><ul>']
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for e in register.entries:
        by_kind[e.kind].append(e)
    for kind, label in ((k, ui.localised(v)) for k, v in register.kinds.items()):
        lines.append(f'<li><a href="#{kind}">{_esc(label)}</a> ({len(by_kind[kind])})</li>')
    lines += ["</ul></nav>", ""]
    for kind, label in ((k, ui.localised(v)) for k, v in register.kinds.items()):
        lines += [f'<h2 id="{kind}">{_esc(label)}</h2>', "", '<ul class="reg-index">']
        for e in sorted(by_kind[kind], key=lambda e: (vi_sort_key(e.name), e.id)):
            lines.append(f'<li id="{e.id}"><a href="{e.id}.html">{ui.editors(_esc(e.name))}</a> — '
                         f'{ui.editors_localised(e.description, _esc)} '
                         f'<span class="reg-count">({ui.count("count.paragraphs", counts.get(e.id, 0), words=False)})</span></li>')
        lines += ["</ul>", ""]
    return dump_page({"title": title, "lang": ui.language()}, "\n".join(lines))


def _folded(names: list[str]) -> str:
    """"goocbachop|m.x.goocbachop|gorbachev": each name folded, once."""
    return "|".join(dict.fromkeys(" ".join(fold(name).split()) for name in names))


def _previews(register: Register) -> str:
    """``entries``: entry id → [name, kind, description, names, description's language], plain text (the script
    sets them as text, never as markup), ``names`` folded as readers type them, "|" between them (the search
    landing highlight marks a mention found through another of its names: "gorbachev" → Goocbachốp). The
    editor's mark a preview puts after the description has the page's words (the catalogue's ``evidence`` keys,
    in every page's JSON block), and links the entry's list of mentions (``anchor``); ``lang``: the language of
    the names with Vietnamese letters, which the preview marks, as it marks a description not in the interface's
    language ("" when it is)."""
    def item(e: Entry) -> list[str]:
        lang = "" if ui.language() in ui.per_language(e.description) else ui.DEFAULT
        return [e.name, ui.localised(register.kinds[e.kind]), ui.localised(e.description), _folded(e.names), lang]
    data = {"anchor": MENTIONS_ID, "lang": ui.DEFAULT, "entries": {e.id: item(e) for e in register.entries}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_pages(docs: Path, texts, register: Register) -> list:
    """Write ``bang-tra/index.md`` and one page per entry; returns the nav entry (the index only)."""
    mentions = register.mentions(texts)
    register.prove(texts, mentions)
    root = docs / PAGE_DIR
    root.mkdir(parents=True, exist_ok=True)
    text_titles, chapter_titles = _chapter_titles(texts)
    places: dict[str, list[tuple[Place, list[Mention]]]] = defaultdict(list)
    for place, found in mentions:
        for entry_id in dict.fromkeys(m.entry.id for m in found):
            places[entry_id].append((place, [m for m in found if m.entry.id == entry_id]))
    for entry in register.entries:
        page = _entry_page(entry, register, places[entry.id], text_titles, chapter_titles, {t.id: t for t in texts})
        output.write_text(root / f"{entry.id}.md", page)
    counts = {k: len(v) for k, v in places.items()}
    output.write_text(root / "index.md", _index_page(register, counts, len(texts)))
    output.write_text(root / PREVIEWS, _previews(register))
    return [{ui.text("register.title"): f"{PAGE_DIR}/index.md"}]
