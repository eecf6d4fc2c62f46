"""The pipeline in order — load → enrich → render → site: the one module that joins the stages (no stage
imports a later one; tests/test_flow.py checks it). ``enrichers()`` wires the enrich stage's linkers and
data into the renderer's hooks: citations inline, timeline back-links after paragraphs, links from verbatim
appendix blocks to their rebuilt tables, and the extra pages
(bibliography, appendix tables, timeline, register)."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

from . import memo, paths, pool
from .enrich import bibliography, timeline
from .enrich.cite_links import CitationLinker
from .enrich.crosslinks import CrossLinker
from .enrich.register_links import RegisterLinker
from .enrich.tables import load_tables, table_of_block
from .errors import BuildError
from .model import features, ui
from .model.corpus import corpus_paragraphs, load_corpus
from .model.fidelity import check_text
from .model.register import load_register
from .model.source_map import source_map
from .model.witness import load_manifest
from .outputs.downloads.build import build_downloads
from .render import bibliography as bib_pages
from .render import register as register_pages
from .render import tables as table_pages
from .render import timeline as timeline_page
from .render.run import render_all


def enrichers() -> dict:
    bibliography.format_all()
    linker = CitationLinker()
    crosslinker = CrossLinker()
    register = load_register()
    register_linker = RegisterLinker(register)

    def inline(text, chapter, pid, md, line=None):
        md = crosslinker(text, chapter, pid, linker(text, chapter, pid, md, line))
        return register_linker(text, chapter, pid, md)  # last: names inside citation/cross-links stay plain
    events = timeline.load_timeline()
    by_anchor = timeline.sources_by_anchor(events.events)

    def after(text, chapter, pid):
        return timeline_page.backlink_markdown(by_anchor.get((f"{text.id}/{chapter.stem}", pid), [])) or None

    loaded: dict[Path, list] = {}

    def tables(folder: Path) -> list:  # a folder's appendix tables, loaded once for the chapters and their pages
        if folder not in loaded:
            loaded[folder] = load_tables(folder)
        return loaded[folder]

    def beside(text, chapter, block):  # a verbatim appendix block: a link to its rebuilt table
        appendix = features.of_text(text).appendix_tables
        if not appendix:
            return None
        table = table_of_block(tables(paths.DATA / appendix["folder"]), block.markdown)
        return table_pages.verbatim_link(table, appendix["section"], text.meta["language"]) if table else None

    def pages_timeline(docs, texts):
        timeline.check_anchors(events.events, corpus_paragraphs(texts))  # every quote in its paragraph
        return timeline_page.write_page(docs, events, timeline_page.titles_from_corpus(texts), texts)

    return {
        "inline": inline,
        "after": after,
        "beside": beside,
        "linker": linker,
        "crosslinker": crosslinker,
        "pages": [
            lambda docs, texts: table_pages.write_pages(docs, texts, tables) + linker.cite_from_tables(texts, tables),
            pages_timeline,
            lambda docs, texts: bib_pages.write_pages(docs, texts, linker),
            lambda docs, texts: register_pages.write_pages(docs, texts, register),
        ],
    }


def render(draft: bool = False, downloads: bool = False) -> dict:
    """Load, enrich and render into build/ (see ``render_all``), then each other interface language into
    build/<lang>/ (the same texts and data with that language's words: fresh enrichers, whose linkers keep what
    they linked). Without ``downloads`` only up-to-date cached PDF/EPUB/TEI are linked (building them takes a
    minute). Returns the reference language's result."""
    others = ui.LANGUAGES[1:]
    texts = _shared()
    rendered = _render_interface(draft, downloads, not others, texts)
    for lang in others:
        with ui.use(lang):
            _render_interface(draft, downloads, lang == others[-1], texts)
    return rendered


def _render_interface(draft: bool, downloads: bool, save_memos: bool, texts: list) -> dict:
    """``render_all`` of ``texts`` in the interface language in force, with fresh enrichers (their linkers keep
    what they linked)."""
    return render_all(enrichers=enrichers(), draft=draft, downloads=partial(build_downloads, build=downloads),
                      save_memos=save_memos, texts=texts)


def build(draft: bool = False, downloads: bool = False, site_dir: Path | None = None) -> dict:
    """The whole pipeline: render, then MkDocs (strict) and the search index into ``site_dir`` (default site/),
    and each other interface into ``<site_dir>/<lang>/`` (searching the reference site's index).

    Each other interface is rendered and built by a forked process, started once the work every interface
    shares is done (``_shared``: the formatted references, the corpus and its proofs), while this one renders and
    builds the reference site: the two use both cores from the start. Each writes its own folder (the reference
    site keeps the others'); a worker sends back the memo entries it used, so the memos saved here keep every
    interface's. A failure anywhere leaves no site."""
    from .outputs.site.site import build_site

    site = Path(site_dir or paths.SITE).resolve()
    others = ui.LANGUAGES[1:]
    texts = _shared()
    forked = [pool.Forked(_interface_site, lang, draft, downloads, site / lang, texts,
                          where=paths.BUILD / lang / "mkdocs.yml") for lang in others]
    built, failed = False, []
    try:
        rendered = _render_interface(draft, downloads, not others, texts)
        build_site(paths.BUILD / "mkdocs.yml", site_dir=site, keep=others)
        built = True
    finally:  # never leave a worker writing beside a failed build, nor a site after one
        for worker in forked:
            if not built:  # this build's error is the one to give: theirs is not waited for
                worker.stop()
                continue
            try:
                memo.merge(worker.result())
            except BuildError as error:
                failed.append(error)
        if failed or not built:
            shutil.rmtree(site, ignore_errors=True)
    if failed:
        raise failed[0]
    if others:
        memo.save_all()
    return rendered


def _shared() -> list:
    """What every interface reads and computes alike, done once before the other interfaces' processes are
    forked, so that they inherit it: the references in every style (citeproc-py, most of a cold enrich stage),
    the loaded corpus with its fidelity reports and source maps; the corpus."""
    bibliography.format_all()
    witnesses = load_manifest()
    texts = load_corpus()
    for text in texts:
        if not check_text(text.id, witness=witnesses[text.id]).unexplained:  # a draft's words may not align
            source_map(text, witnesses[text.id])
    return texts


def _interface_site(lang: str, draft: bool, downloads: bool, site: Path, texts: list) -> dict:
    """Render interface ``lang`` into build/<lang>/ and build its site into ``site`` (in a forked process); the
    memo entries it used."""
    from .outputs.site.site import build_site

    with ui.use(lang):
        _render_interface(draft, downloads, False, texts)
        build_site(paths.BUILD / lang / "mkdocs.yml", site_dir=site, search=False)
    return memo.used()
