"""Render stage: validated corpus (+ enrichments) → build/docs/*.md and build/mkdocs.yml."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import yaml

from .. import memo, paths
from ..errors import BuildError
from ..model import escape, ui
from ..model.corpus import Text, load_corpus, paragraph_ids
from ..model.fidelity import check_text, locate
from ..model.printed_pages import text_pages
from ..model.source_map import SourceMap, entry_ids, source_map, unaligned
from ..model.witness import load_manifest
from ..model.yamlio import load_yaml, read_text
from . import output, witness_pages
from .chapters import render_chapter
from .citing import citation_page, write_downloads
from .frontmatter import dump_page
from .texts import CHANGELOG_DATA, card, changelog_page, landing_page
from .works import site_url

HOME_INTRO = "_home.md"
EDITION = paths.DATA / "edition.yml"
EDITION_FIELDS = ("title", "editor", "version", "date", "licence")
CITE_PAGE = "cach-trich-dan.md"  # how to cite (docs/, its generated part filled by render.citing)


def edition_footer() -> dict:
    """data/edition.yml as the theme's footer reads it (config.extra.edition)."""
    from ..errors import BuildError
    from ..model.yamlio import strip_lines

    doc = load_yaml(EDITION)
    if not isinstance(doc, dict):
        raise BuildError(EDITION, 1, "expected a mapping")
    for key in EDITION_FIELDS:
        if not doc.get(key):
            raise BuildError(EDITION, doc.get("__line__", 1), f"missing field {key!r}")
    licence = doc["licence"]
    if not isinstance(licence, dict) or not licence.get("name") or not licence.get("url"):
        raise BuildError(EDITION, licence.get("__line__", 1) if isinstance(licence, dict) else 1,
                         "licence: expected a mapping with name and url")
    if not escape.safe_url(str(licence["url"])):  # the footer links it
        raise BuildError(EDITION, licence.get("__line__", 1), "licence: url must be http(s), mailto or relative")
    out = {k: strip_lines(doc[k]) for k in (*EDITION_FIELDS, "title_en") if k in doc}
    if ui.language() != ui.DEFAULT:  # the footer of another interface: its values where data/edition.yml has them
        lang = ui.language()
        out |= {k: strip_lines(doc[f"{k}_{lang}"]) for k in ("title", "editor") if doc.get(f"{k}_{lang}")}
        if licence.get(f"note_{lang}"):
            out["licence"] = {**out["licence"], "note": strip_lines(licence[f"note_{lang}"])}
    out["date"] = "-".join(reversed(str(doc["date"]).split("-")))  # 02-12-2026, as dates read elsewhere
    out["cite_page"] = CITE_PAGE.replace(".md", ".html")
    return out


def interface_config() -> dict:
    """What build/mkdocs.yml says in the interface language in force (edition.model.ui): the site's name and
    description, Material's language, the titles the footnotes and toc extensions write, and the catalogue's
    keys the theme (extra.ui) and its scripts (extra.ui_scripts, a JSON block on every page) read. Merged by
    MkDocs into the shared mkdocs.yml (INHERIT: mappings are merged key by key)."""
    words = ui.current()
    return {"site_name": words.text("site.name"), "site_description": words.text("site.description"),
            "theme": {"language": ui.language()},
            "markdown_extensions": {"footnotes": {"BACKLINK_TITLE": words.text("chapter.footnote-back", n="{}")},
                                    "toc": {"permalink_title": words.text("chapter.heading-link")}},
            "extra": {"edition": edition_footer(), "ui": words.theme(), "ui_scripts": words.scripts_json(),
                      "interfaces": interfaces()},
            **({"site_url": _published(site_folder())} if site_url() else {})}


def _published(folder: Path) -> str:
    """The published address of a site folder (site/ is SITE_URL, site/en/ SITE_URL + en/)."""
    path = _relative(folder, paths.SITE)
    return site_url() + ("" if path == "." else path + "/")


def interfaces() -> list[dict]:
    """Every interface language as the theme links it from a page of the one in force (the same page path in
    each): its code, its name and switch title in its own words, its root relative to this one's, and its
    published root (with SITE_URL). The reference language's pages are the canonical ones."""
    here, out = site_folder(), []
    for lang in ui.LANGUAGES:
        with ui.use(lang) as words:
            folder = site_folder()
            out.append({"lang": lang, "name": words.text("site.interface.name"),
                        "switch": words.text("site.interface.switch"), "current": folder == here,
                        "root": "" if folder == here else _relative(folder, here) + "/", "url": _published(folder) if site_url() else ""})
    return out


def first_sentence(text: Text) -> str:
    """The first sentence of the text's abstract or first long paragraph, without the label the witness prints
    before its abstract (``abstract.after`` in text.yml: "ABSTRACT: ", "Tóm tắt: ")."""
    label = ((text.meta.get("abstract") or {}).get("after") or "").rstrip()
    for ch in text.chapters:
        for b in ch.blocks:
            if b.kind == "para" and ("abstract" in b.attrs or len(b.plain) > 120):
                plain = b.plain[len(label):].lstrip() if label and b.plain.startswith(label) else b.plain
                m = re.match(r"(.{40,240}?[.!?])\s", plain + " ")
                return (m.group(1) if m else plain[:200] + "…")
    return ""


def published_anchors(texts: list[Text]) -> dict[str, list[str]]:
    """Every heading and paragraph id per chapter page, every line id per witness page and every entry id of
    a change-log page: the permalinks the snapshot test protects."""
    out, aliases, witnesses = {}, load_aliases(), load_manifest()
    for text in texts:
        out.update(witness_pages.published_ids(text, len(witnesses[text.id].lines())))
        out[f"{text.id}/thay-doi"] = entry_ids(text.changelog.get("entries") or [])
        pages = text_pages(text)
        for ch in text.chapters:
            ids = [b.id for b in ch.blocks if b.kind == "heading"] + list(paragraph_ids(ch).values())
            ids += [m.id for (chapter, _, _), m in pages.markers.items() if chapter == ch.id]
            ids += [old for olds in aliases.get(f"{text.id}/{ch.stem}", {}).values() for old in olds]
            if ch.meta.get("title_supplied"):
                ids.insert(0, ch.id)
            out[f"{text.id}/{ch.stem}"] = ids
    return out


def load_aliases() -> dict[str, dict[str, list[str]]]:
    """page → {new id: [old ids]} from corpus/aliases.yml."""

    out: dict[str, dict[str, list[str]]] = {}
    for a in load_yaml(paths.CORPUS / "aliases.yml").get("aliases") or []:
        out.setdefault(a["page"], {}).setdefault(a["new"], []).append(a["old"])
    return out


def draft_stamp() -> str:
    return f'<p class="draft-stamp" role="note">{ui.text("site.draft-stamp")}</p>'


def stamp_draft(page: str) -> str:
    """The draft stamp at the top of a page (after its front matter)."""
    if page.startswith("---\n"):
        end = page.index("\n---\n", 4) + 5
        return page[:end] + "\n" + draft_stamp() + "\n" + page[end:]
    return draft_stamp() + "\n\n" + page


def refusal(text: Text, report, witness) -> BuildError:
    """The fidelity gate's one line for a text that differs from its witness unexplained (the build's and
    edition serve's chapter worker's: the same words in the terminal and on the served pages)."""
    return BuildError(*locate(text.dir, report),
                      f"{report.unexplained} difference(s) from the witness {witness.file} not explained by the "
                      f"change log; first: {report.differences[0]} (edition fidelity {text.id})")


def chapter_page(text: Text, ch, enrichers: dict, aliases: dict, pdf: bool, smap: SourceMap | None = None) -> str:
    """One chapter page's Markdown, enriched (``edition serve`` re-renders an edited chapter alone with it,
    without the witness links, which the full build after it restores)."""
    inline, after, beside = enrichers.get("inline"), enrichers.get("after"), enrichers.get("beside")
    return render_chapter(
        text, ch,
        inline=(lambda md, pid, line: inline(text, ch, pid, md, line)) if inline else None,
        extra_after=(lambda pid: after(text, ch, pid)) if after else None,
        beside_raw=(lambda block: beside(text, ch, block)) if beside else None,
        aliases=aliases.get(f"{text.id}/{ch.stem}", {}),
        pdf=pdf, smap=smap,
    )


def build_folder() -> Path:
    """Where the interface language in force is rendered: build/ for the reference language, build/<lang>/."""
    return paths.BUILD if ui.language() == ui.DEFAULT else paths.BUILD / ui.language()


def site_folder() -> Path:
    """Where its site is built: site/, or site/<lang>/ (the other interfaces live under the reference one)."""
    return paths.SITE if ui.language() == ui.DEFAULT else paths.SITE / ui.language()


def _relative(path: Path, start: Path) -> str:
    return os.path.relpath(path, start).replace(os.sep, "/")


def hand_written() -> Path:
    """The hand-written pages of the interface language in force: docs/ for the reference language, docs/<lang>/
    for another (with the same file names: a page and its translation share their path)."""
    return paths.DOCS if ui.language() == ui.DEFAULT else paths.DOCS / ui.language()


def render_all(out: Path | None = None, enrichers=None, draft: bool = False, downloads=None,
               save_memos: bool = True, texts: list[Text] | None = None) -> dict:
    """Write the generated docs and config; returns {"texts", "nav", "anchors", "downloads"} for later stages.

    ``downloads(texts, witnesses, docs) -> {text id: [Download]}`` (edition.outputs.downloads.build) places each
    text's PDF/EPUB/TEI in the docs; the landing and chapter pages then link and announce them.

    Fidelity is a gate: a text whose words differ from its witness in a way the change log does not explain
    stops the render with ``file:line: message`` — unless ``draft``, which stamps every page "Bản nháp".

    ``texts``: the corpus as ``load_corpus`` loaded it (another interface's render shares it, with the source
    maps made of it); loaded here when not given."""
    out = out or build_folder()
    ui.check()  # the interface's words: every catalogue, the same keys and placeholders
    texts = texts or load_corpus()
    witnesses = load_manifest()
    docs = out / "docs"
    output.begin(stamp=stamp_draft if draft else None)
    # partials (_home.md) are not pages; the citation page is filled from its source below
    pages = hand_written()
    # Not copied: partials (_home.md), the citation page (filled from its source below), other languages' pages.
    output.copy_tree(pages, docs, skip=lambda path: path.name.startswith("_") or str(path) in (CITE_PAGE, *ui.LANGUAGES))
    if pages != paths.DOCS:
        output.copy_tree(paths.DOCS / "assets", docs / "assets", skip=lambda path: False)
    for page in sorted(pages.glob("*.md")):  # hand-written pages: UTF-8, no control characters
        read_text(page)
    enrichers = enrichers or {}
    aliases = load_aliases()
    reports = {text.id: check_text(text.id, witness=witnesses[text.id]) for text in texts}
    for text in texts:  # the gate, before anything is built from the texts
        report = reports[text.id]
        if report.unexplained and not draft:
            raise refusal(text, report, witnesses[text.id])
    files = downloads(texts, witnesses, docs) if downloads else {}
    nav: list = [{ui.text("nav.home"): "index.md"}]
    cards = []
    for text in texts:
        witness = witnesses[text.id]
        tdir = docs / text.id
        tdir.mkdir(parents=True, exist_ok=True)
        report = reports[text.id]
        text.meta["abstract_line"] = first_sentence(text)
        output.write_text(tdir / "index.md", landing_page(text, witness, report.__dict__, files.get(text.id)))
        output.write_text(tdir / "thay-doi.md", changelog_page(text))
        output.copy(text.dir / "changelog.yml", tdir / CHANGELOG_DATA)  # the log as data, for specialists
        smap = None if report.unexplained else source_map(text, witness)  # a draft's words may not align
        entries: list[str | dict[str, str]] = [f"{text.id}/index.md"]
        for ch in text.chapters:
            markdown = chapter_page(text, ch, enrichers, aliases, pdf=bool(files.get(text.id)), smap=smap)
            output.write_text(tdir / f"{ch.stem}.md", markdown)
            entries.append({ui.marked(escape.title(ch.title), ch.lang): f"{text.id}/{ch.stem}.md"})
        entries.append({ui.text("nav.changelog"): f"{text.id}/thay-doi.md"})
        entries += witness_pages.write_pages(tdir, text, smap or unaligned(text, witness))
        nav.append({text.nav_html(escape.title): entries})
        cards.append(card(text, witness))
    intro = read_text(pages / HOME_INTRO) if (pages / HOME_INTRO).exists() else ""
    heading = f'## {ui.count("count.texts", len(texts), capital=True)} {{#van-ban}}'
    home = intro + f'\n\n{heading}\n\n<div class="text-cards" markdown>\n\n' + "\n\n".join(cards) + "\n\n</div>\n"
    output.write_text(docs / "index.md", dump_page({"title": ui.text("nav.home"), "lang": ui.language()}, home))
    for extra in enrichers.get("pages", []):
        nav.extend(extra(docs, texts))
    write_downloads(docs, texts)
    citation_page(pages / CITE_PAGE, docs / CITE_PAGE, texts)
    nav.append({ui.text("nav.about"): ["gioi-thieu.md", "nguyen-tac-bien-tap.md", "thuat-ngu.md", CITE_PAGE]})
    config = {"INHERIT": _relative(paths.ROOT / "mkdocs.yml", out), "docs_dir": "docs",
              "site_dir": _relative(site_folder(), out), "nav": nav, **interface_config()}
    config["theme"]["custom_dir"] = _relative(paths.ROOT / "theme", out)  # relative to this file, as INHERIT
    output.write_text(out / "mkdocs.yml",
                      "# Generated by `edition build` – do not edit; edit mkdocs.yml and corpus/ instead.\n"
                      + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000))
    anchors = published_anchors(texts)
    output.write_text(out / "anchors.json", json.dumps(anchors, ensure_ascii=False, indent=1))
    output.prune(docs)
    if save_memos:  # the memos keep what this build used (a build of several interfaces: after the last)
        memo.save_all()
    return {"texts": texts, "nav": nav, "anchors": anchors, "downloads": files}

