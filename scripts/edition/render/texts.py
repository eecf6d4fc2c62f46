"""Per-text pages: the landing page (metadata, rights, witness, contents) and the change-log page."""

from __future__ import annotations

from collections import Counter

from ..model import escape, ui
from ..model.corpus import Text, field
from ..model.source_map import entry_ids
from ..model.witness import Witness
from . import works
from .chapters import section_titles
from .frontmatter import dump_page
from .metadata import cite_box, landing_meta
from .witness_pages import editorial_md, evidence_md, kind_label, line_href

# The change log as data: a copy of corpus/<text>/changelog.yml beside its page, for specialists.
CHANGELOG_DATA = "thay-doi.yml"
CHANGELOG_ROWS = 40  # rows per table of the change log's details


def supplied_mark() -> str:
    """After a value the editor supplied: "[bổ sung]", its title saying what that means."""
    return f' <span class="supplied" title="{escape.attr(ui.text("supplied.title"))}">{ui.text("supplied.mark")}</span>'


def _cell(value: str, supplied: bool, missing: str = "landing.missing", lang: str | None = None) -> str:
    """A value of the metadata table, marked with ``lang`` (the text's, for what it prints) or, without it, as
    the editor's prose (``ui.editors``)."""
    if not value:
        return f"*{ui.text(missing)}*"
    shown = escape.md_text(value)
    return (ui.marked(shown, lang) if lang else ui.editors(shown)) + (supplied_mark() if supplied else "")


def year_cell(text: Text) -> str:
    """The one year decision, as every citation of the text applies it."""
    if works.year(text):
        return works.year(text)
    dating = works.dating(text)
    return ui.text("landing.year-none") + (ui.text("landing.year-dating", dating=ui.editors(escape.md_text(dating)))
                                           if dating else "")


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _evidence(text: Text, node, basis: str) -> str:
    """The landing table's evidence cell: each quote with its witness line, else the editor's mark and basis."""
    found = [n["evidence"] for n in (node if isinstance(node, list) else [node])
             if isinstance(n, dict) and isinstance(n.get("evidence"), dict)]
    if found:
        return "; ".join(evidence_md(text, ev["line"], ev["quote"], "../") for ev in found)
    if isinstance(node, dict):
        basis = node.get("note") or node.get("source") or node.get("decision") or basis
    return editorial_md(basis)


def landing_page(text: Text, witness: Witness, fidelity: dict | None = None, downloads: list | None = None) -> str:
    m = text.meta
    t_sup = works.supplied_title(text)
    te, te_sup = field(m, "title_en")
    who = "; ".join(p.natural + (f" ({p.affiliation})" if p.affiliation else "") for p in works.persons(text))
    venue, _ = field(m, "venue")
    stated, not_stated = ui.text("landing.basis.stated"), ui.text("landing.basis.not-stated")
    label = ui.current().text
    lang = m["language"]
    rows = [
        (label("landing.field.title"), _cell(works.title(text), t_sup, lang=lang), _evidence(text, m.get("title"), stated)),
        (label("landing.field.title-en"), _cell(works.bracket(te, te_sup), te_sup),
         _evidence(text, m.get("title_en"), ui.text("landing.basis.title-en"))),
        (label("landing.field.authors"), _cell(who, False, "landing.missing-authors", lang=lang),
         _evidence(text, m.get("authors") or [], m.get("authors_note") or not_stated)),
        (label("landing.field.year"), year_cell(text), _evidence(text, m.get("year"), not_stated)),
        (label("landing.field.genre"), escape.md_text(m["genre"][ui.language()]), editorial_md(stated)),
        (label("landing.field.venue"), _cell(venue, False, lang=lang), _evidence(text, m.get("venue"), not_stated)),
        (label("landing.field.language"), ui.text(f"language.name.{m['language']}"), editorial_md(stated)),
        (label("landing.field.rights"), ui.editors(escape.md_text(m["rights"])), editorial_md(ui.text("landing.basis.rights"))),
    ]
    if works.cite_title(text) != works.title(text):
        rows.insert(1, (label("landing.field.title-cite"), _cell(works.cite_title(text), False, lang=lang),
                        editorial_md(ui.text("landing.basis.title-cite"))))
    notes = []
    title_meta = m.get("title") if isinstance(m.get("title"), dict) else {}
    if title_meta.get("note") or title_meta.get("source"):
        note = title_meta.get("note") or title_meta.get("source")
        notes.append("- " + ui.text("landing.note.title", note=ui.editors(escape.md_text(note))))
    if works.year_note(text):
        notes.append("- " + ui.text("landing.note.year", note=ui.editors(escape.md_text(works.year_note(text)))))
    toc = []
    for ch in text.chapters:
        toc.append(f"- [{ui.marked(escape.md_text(ch.title), ch.lang)}]({ch.stem}.md)")
        for level, hid, heading in section_titles(ch):
            if 2 <= level <= 3:
                toc.append("    " * (level - 1) + f"- [{ui.marked(escape.md_text(heading), ch.lang)}]({ch.stem}.md#{hid})")
    col_field, col_value = label("landing.column.field"), label("landing.column.value")
    lines = [f"# {ui.marked(escape.md_text(works.title(text)), lang)} {{#tong-quan}}", "",
             f"## {label('landing.metadata')} {{#thong-tin}}", "",
             label("landing.metadata-intro"), "",
             f"| {col_field} | {col_value} | {label('landing.column.basis')} |", "|---|---|---|"]
    lines += [f"| {k} | {v} | {e} |" for k, v, e in rows]
    if notes:
        lines += ["", label("landing.notes"), ""] + notes
    lines += ["", cite_box(text, None)]
    lines += ["", f"## {label('landing.contents')} {{#muc-luc}}", ""] + toc
    if downloads:
        lines += ["", f"## {label('landing.downloads')} {{#tai-ve}}", "", label("landing.downloads-intro"), ""]
        lines += [f"- [{d.label}]({d.path.name}){{: download=\"{d.path.name}\"}} · {_size(d.size)}" for d in downloads]
    lines += ["", f"## {label('landing.editing')} {{#bien-tap}}", "", label("landing.editing-intro", changelog="thay-doi.md")]
    if fidelity:
        lines += ["", label("landing.fidelity", witness=fidelity["witness_words"], corpus=fidelity["corpus_words"],
                            unexplained=fidelity["unexplained"])]
    # file names and checksums: for specialists, after the reader's path through the page, each behind the
    # reader's label of what it names
    lines += ["", f"## {label('landing.specialists')} {{#chuyen-gia}}", "",
              f"| {col_field} | {col_value} |", "|---|---|",
              f"| {label('landing.specialist.witness')} | [{label('landing.specialist.witness-label')}](ban-nguon.md) · "
              f"{label('landing.specialist.file-name', file=escape.code(witness.file))} |",
              f"| {label('landing.specialist.witness-sha256')} | {escape.code(witness.sha256)} |",
              f"| {label('nav.changelog')} | [{label('nav.changelog')}](thay-doi.md) · {_log_data(text)} |"]
    front = {"title": ui.marked(escape.title(works.title(text)), text.meta["language"]), "lang": ui.language(),
             **landing_meta(text, pdf=bool(downloads))}
    return dump_page(front, "\n".join(lines))


def _log_data(text: Text) -> str:
    return (f'[{ui.text("changelog.data")}]({CHANGELOG_DATA})'
            f'{{: download="{text.id}-nhat-ky-thay-doi.yml"}}')


def changelog_page(text: Text) -> str:
    log = text.changelog
    entries = log.get("entries") or []
    counts = Counter(e["kind"] for e in entries)
    label = ui.current().text
    lang = text.meta["language"]
    lines = [f"# {label('changelog.title', title=ui.marked(escape.md_text(works.title(text)), lang))} {{#nhat-ky}}", "",
             label("changelog.intro"), "",
             label("changelog.specialists", witness_page="ban-nguon.md", witness=escape.code(log["witness"]),
                   sha256=escape.code(log["witness_sha256"]), data=_log_data(text)), "",
             f"## {label('changelog.summary')} {{#tom-tat}}", "",
             f"| {label('changelog.column.intervention')} | {label('changelog.column.times')} |", "|---|---|"]
    lines += [f"| {escape.md_text(kind_label(k))} | {n} |" for k, n in sorted(counts.items())]
    header = ["| " + " | ".join(label(f"changelog.column.{c}") for c in ("line", "kind", "text", "note")) + " |",
              "|---|---|---|---|"]
    rows = []
    for e, eid in zip(entries, entry_ids(entries)):  # each row anchored: the witness page links to it
        if e["kind"] == "join":  # the witness's words as code, in its language; the label's words the interface's
            text_cell = label("changelog.joined", text=ui.marked(escape.code(e["text"]), lang),
                              next=ui.marked(escape.code(e["next_text"]), lang), line=e["next_line"])
        else:
            text_cell = ui.marked(escape.code(str(e["text"])), lang)
        line = f'<span id="{eid}"></span>[{escape.md_text(e["line"])}]({line_href(text, e["line"])})'
        rows.append(f"| {line} | {escape.md_text(kind_label(e['kind']))} | "
                    f"{text_cell} | {ui.editors(escape.md_text(e.get('note', '')))} |")
    if not entries:
        rows.append(f"| – | – | – | {label('changelog.none')} |")
    # Tables of CHANGELOG_ROWS rows, each with its header: the browser skips those off screen (edition.css,
    # .nk-rows), where one table of the thesis's 241 rows was laid out whole before the page could paint.
    lines += ["", f"## {label('changelog.details')} {{#chi-tiet}}", "", '<div class="nk-rows" markdown>', ""]
    for i in range(0, len(rows), CHANGELOG_ROWS):
        lines += [*header, *rows[i:i + CHANGELOG_ROWS], ""]
    lines.append("</div>")
    # witness line numbers would only add noise tokens to the search index
    return dump_page({"title": label("nav.changelog"), "lang": ui.language(), "search": {"exclude": True}},
                     "\n".join(lines))



def card(text: Text, witness: Witness) -> str:
    m = text.meta
    label = ui.current().text
    names = "; ".join(p.natural for p in works.persons(text))
    who = ui.marked(escape.md_text(names), m["language"]) if names else label("card.unknown-author")
    abstract = ui.marked(escape.md_text(m.get("abstract_line") or ""), m["language"])
    printed = escape.md_text(works.title(text))
    supplied = " " + label("supplied.mark") if works.supplied_title(text) else ""
    if m["language"] == ui.language() or ui.language() == ui.DEFAULT or text.nav_lang != ui.language():
        heading, below = f"[{ui.marked(printed, m['language'])}]({text.id}/index.md){supplied}", []
    else:  # another interface: the editor's label in its language where text.yml has one (a table of contents
        # cannot mark a heading's language), the printed title under it
        heading, below = f"[{escape.md_text(text.nav_title)}]({text.id}/index.md)", [ui.marked(printed, m["language"]) + supplied, ""]
    return "\n".join([
        '<article class="text-card" markdown>', "",
        f"### {heading} {{#the-{text.id}}}", "",
        *below,
        label("card.facts", authors=who, year=escape.md_text(works.year(text) or label("evidence.not-stated")),
              genre=escape.md_text(m["genre"][ui.language()]), language=label(f"language.in-text.{m['language']}")), "",
        abstract, "", "</article>",
    ])
