"""Bibliography pages: one per citing text in its own order, a combined one (Vietnamese collation) with
back-links to every citing paragraph, and per-work BibTeX/RIS downloads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..enrich import bibliography as bib
from ..enrich.cite_links import CitationLinker, style_for
from ..model import escape, ui
from ..model.corpus import Text
from ..model.witness import load_manifest
from . import output, works
from .coins import coins
from .collation import vi_sort_key
from .frontmatter import dump_page
from .metadata import DOWNLOADS
from .witness_pages import editorial_md, evidence_md, witness_line_md


def _label_sort(label: str):
    return (0, int(label)) if label.isdigit() else (1, vi_sort_key(label))


def _sort_name(e: bib.Entry) -> str:
    return re.sub(r"[{}\\]", "", e.get("author") or e.get("editor") or e.get("title") or e.key)


def fields_label(value: str) -> str:
    """BibTeX fields as the evidence lines name them: ``"author, year"`` → ``"tác giả, năm"``."""
    return ", ".join(ui.lookup(f"bibliography.field.{f.strip()}", f.strip()) for f in value.split(",") if f.strip())


def _downloads(key: str) -> str:
    return " · ".join(f"[{label}](tai-ve/{key}.{ext}){{: download}}" for ext, label in DOWNLOADS)


def _evidence(e: bib.Entry, texts: dict[str, Text], by_file: dict[str, str]) -> str:
    """Every quote with a link to its witness line; what no witness states is marked as the editor's."""
    out = []
    quotes = [q.strip() for q in (e.get("x-evidence") or "").split(bib.SEP)]
    places = [p.strip() for p in (e.get("x-evidence-line") or "").split(bib.SEP)]
    if quotes[0]:
        found = []
        for quote, place in zip(quotes, places):  # a quote may be read over several lines ("f:109, f:113")
            lines = [p.strip().rpartition(":") for p in place.split(",")]
            if all(file in by_file for file, _, _ in lines):
                found.append(", ".join(evidence_md(texts[by_file[file]], int(line), quote) if k == 0
                                       else witness_line_md(texts[by_file[file]], int(line))
                                       for k, (file, _, line) in enumerate(lines)))
            else:
                found.append(f"“{escape.md_text(quote)}” ({escape.md_text(place)})")
        out.append(ui.text("bibliography.evidence", quotes="; ".join(found)))
    if e.identified == "no":
        out.append(editorial_md(ui.text("bibliography.basis.not-identified")) + ".")
    if e.get("x-supplied"):
        basis = e.get("note") or ui.text("bibliography.basis.supplied")
        out.append(ui.text("bibliography.supplied", fields=escape.md_text(fields_label(e.get("x-supplied"))),
                           basis=editorial_md(basis)))
    if e.get("x-not-stated"):
        out.append(ui.text("bibliography.not-stated", fields=escape.md_text(fields_label(e.get("x-not-stated")))))
    return " ".join(out)


def _bucket(n: int) -> int:
    """The power of two ≥ ``n`` (at most 64): the size class of a list of ``n`` citing paragraphs, whose height
    edition.css estimates for the browser while the list is off screen and not laid out."""
    return next((k for k in (1, 2, 4, 8, 16, 32) if n <= k), 64)


def write_pages(out_dir: Path, texts: list[Text], linker: CitationLinker) -> list:
    root = out_dir / "thu-muc"
    (root / "tai-ve").mkdir(parents=True, exist_ok=True)
    titles = {t.id: t.nav_html(escape.md_text) for t in texts}
    corpus = {t.id: t for t in texts}  # the edition's texts are described by works (text.yml), not by their .bib entry
    entries = bib.entries()
    by_file = {w.file: text_id for text_id, w in load_manifest().items()}

    by_id = {t.id: t for t in texts}

    def reference(key: str, style: str) -> str:
        """The entry in ``style``, marked with its language (a text's, or the entry's ``language``; the
        bibliography's data language where it names none) where the interface speaks another."""
        if key in corpus:
            text = corpus[key]
            formatted, lang = works.cite(text, style, works.absolute(works.page_path(text)))[0], text.meta["language"]
        else:
            formatted, lang = bib.format_reference(key, style), entries[key].get("language") or ui.DEFAULT
            authors = [name.strip(" {}") for name in (entries[key].get("author") or "").split(" and ")]
            return works.marked_reference(formatted, style, lang, tuple(n for a in authors for n in (a, a.split(",")[0])))
        return works.marked_reference(formatted, style, lang)

    def in_text(text_id: str, words: str) -> str:  # words of a text (a chapter's title, a label it prints)
        return ui.marked(words, by_id[text_id].meta["language"]) if text_id in by_id else words

    for key in entries:
        url = works.absolute(f"thu-muc/index.html#{key}")
        if key in corpus:
            page = works.absolute(works.page_path(corpus[key]))
            bibtex, ris, item = works.bibtex(corpus[key], page), works.ris(corpus[key], page), works.csl_item(corpus[key], page)
        else:
            bibtex, ris, item = bib.bibtex_for(key, url), bib.ris_for(key, url), bib.csljson_for(key, markup=False, edition_url=url)
        output.write_text(root / "tai-ve" / f"{key}.bib", bibtex)
        output.write_text(root / "tai-ve" / f"{key}.ris", ris)
        output.write_text(root / "tai-ve" / f"{key}.json", json.dumps([item], ensure_ascii=False, indent=1))
    # combined page
    lines = [f"# {ui.text('bibliography.title')} {{#thu-muc}}", "",
             ui.text("bibliography.intro", texts=ui.count("count.texts", len(texts))), ""]
    for e in sorted(entries.values(), key=lambda e: (vi_sort_key(_sort_name(e)), e.get("year") or "", e.key)):
        item = works.csl_item(corpus[e.key]) if e.key in corpus else bib.csljson_for(e.key, markup=False)
        lines.append(f"{reference(e.key, 'vn-thesis')} {coins(item)}\n{{: #{e.key} .bib-entry}}")
        lines.append("")
        cited = "; ".join(f"{titles.get(t, t)} &#91;{in_text(t, escape.md_text(l))}&#93;" for t, l in e.cited_by) \
            or ui.text("bibliography.edition-text")
        lines.append(f"{ui.text('bibliography.cited-by', texts=cited)} · {_downloads(e.key)}\n{{: .bib-meta}}")
        lines.append("")
        ev = _evidence(e, corpus, by_file)
        if ev:
            lines += [ev + "\n{: .bib-evidence}", ""]
        backs = linker.index.get(e.key, [])
        if backs:
            lines.append(f"{ui.text('bibliography.citing')}\n{{: .bib-backlinks-title .bib-n{_bucket(len(backs))}}}")
            lines.append("")
            for c in backs:
                title, label = escape.md_text(c.chapter_title), escape.md_text(c.label)
                lines.append(f"- [{titles.get(c.text_id, c.text_id)} — {in_text(c.text_id, title) if c.title_printed else title}, "
                             f"¶ {c.anchor} ({in_text(c.text_id, label) if c.label_printed else label})]"
                             f"(../{c.page}#{c.anchor})")
            lines.append("")
        for style in ("apa", "chicago"):
            lines.append(f"{works.style_name(style)}: {reference(e.key, style)}\n{{: .bib-style}}")
            lines.append("")
    output.write_text(root / "index.md", dump_page({"title": ui.text("bibliography.title"), "lang": ui.language()},
                                                   "\n".join(lines)))
    nav: list[str | dict[str, str]] = ["thu-muc/index.md"]
    for text in texts:
        if not linker.convention(text).cites:  # a text that cites nothing has no list of its own
            continue
        own = sorted(((label, e) for e in entries.values() for t, label in e.cited_by if t == text.id),
                     key=lambda p: _label_sort(p[0]))
        style = style_for(text)
        body = [f"# {ui.text('bibliography.text-title', text=titles[text.id])} {{#thu-muc-{text.id}}}", "",
                ui.text("bibliography.text-intro", combined="index.md"), ""]
        seen: set[str] = set()
        for label, e in own:
            # a work cited under two labels (e.g. [123] and an appendix note) is listed twice; ids must be unique
            anchor = "" if e.key in seen else f"#{e.key} "
            seen.add(e.key)
            body.append(f"&#91;{in_text(text.id, escape.md_text(label))}&#93; {reference(e.key, style)} "
                        f"([{ui.text('bibliography.details')}](index.md#{e.key}))\n{{: {anchor}.bib-entry}}")
            body.append("")
        output.write_text(
            root / f"{text.id}.md",
            # not searched: every entry is found on the combined page, with its citing passages
            dump_page({"title": ui.text("bibliography.text-page", text=text.nav_html(escape.title)),
                       "lang": ui.language(),
                       "search": {"exclude": True}},
                      "\n".join(body)))
        nav.append({text.nav_html(escape.title): f"thu-muc/{text.id}.md"})
    return [{ui.text("bibliography.nav"): nav}]
