"""Search index stage: cut every built page into search records, then index the records with Pagefind.

A record is one section (a heading with an id, down to h4), one timeline event or one bibliography entry,
so a hit links to its passage and a first search downloads a few small records rather than whole chapters
(a thesis chapter is ~45 KiB gzipped). Each record carries its permalink (``url`` meta, relative to the
site root), its heading (``title``), the page title and the work. Paragraph ids become empty markers, so
Pagefind's anchor list lets the search box link to the very paragraph of the first hit without storing
every paragraph's text a second time.

Vietnamese as people type it: Pagefind folds tone marks (NFD, combining marks dropped) but đ/Đ is a
letter of its own, so "doi moi" would miss "đổi mới". The records spell đ as d + U+0335 (combining short
stroke overlay), which Pagefind folds to "d"; the theme writes queries the same way and turns excerpts
back into đ, so the index holds each word once and readers only ever see the real letters.

Each record carries two Pagefind filters, ``text`` (one of the texts) and ``kind`` (passage, table,
timeline, bibliography, register, other page). The theme searches passages first and the other kinds after
them: Pagefind ranks short records (a timeline event) above long ones (a section) for the same words, and
``data-pagefind-weight`` on the short ones did not change that. Register mentions (``a.reg-mention``) are
followed in the record by the entry's other names, so "gorbachev" finds the passages that print "Goocbachốp".

The records are written to a scratch folder and indexed by the Pagefind CLI into ``<site>/pagefind/``;
the theme (docs/assets/search.js) loads that bundle lazily.
"""

from __future__ import annotations

import copy
import html
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from edition.errors import BuildError
from edition.pagefind_bundle import stabilise_filters
from edition.register import fold

# One index for all pages: Vietnamese and English texts are found from any page of the edition.
LANGUAGE = "vi"
RECORD_HEADINGS = ("h2", "h3", "h4")
# Record starts besides headings: a timeline event, a bibliography entry (both have permalinks).
RECORD_CLASSES = ("tl-event", "bib-entry")
# Not words of the text: permalink pilcrows, back-link markers, evidence line numbers, the same reference
# in two more citation styles, and the list of citing paragraphs (chapter titles) under each entry.
NOT_INDEXED = ("para-link", "headerlink", "tl-permalink", "bib-evidence", "tl-backlink", "bib-style",
               "bib-backlinks-title")
# Pagefind counts a chunk's size in occurrences of unaccented words only, so its default (20000) makes
# chunks of ~130 KiB for Vietnamese, where almost every word is accented. Smaller chunks: one query term
# costs one small chunk. (An unstable Pagefind setting: scripts/benchmark.py shows if it stops working.)
# 250 rather than 1500 since đ is indexed as d + U+0335: an unaccented "d…" query now also reads the
# chunks of the đ-words, and smaller chunks keep a first search under 150 KiB ("lien xo" 140 KB,
# "doi moi" 149 KB, "dai hoi" 152 KB).
CHUNK_SIZE = "250"
# Pagefind's ready-made UIs (pagefind-ui.js, -component-ui, -modular-ui, -highlight): never loaded.
UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js")
_INDEXED = re.compile(r"Indexed (\d+) pages?")
# đ/Đ as Pagefind can fold them (see the module docstring); docs/assets/search.js holds the same table.
STROKE = "\u0335"
FOLD_D = str.maketrans({"đ": "d" + STROKE, "Đ": "D" + STROKE})
# Kinds of record (the ``kind`` filter); docs/assets/search.js names KIND_TEXT too.
KIND_TEXT, KIND_TABLE, KIND_TIMELINE, KIND_BIBLIOGRAPHY, KIND_REGISTER, KIND_OTHER = (
    "Đoạn văn bản", "Bảng số liệu", "Niên biểu", "Thư mục", "Bảng tra tên riêng", "Trang khác")
FOLDER_KINDS = {"bang-tra": KIND_REGISTER, "phu-luc": KIND_TABLE}
_TAG = re.compile(r"(<[^>]*>)")
_TITLE_CHARS = 120


@dataclass
class Record:
    url: str  # relative to the site root, with the #fragment of the section or entry
    title: str
    page: str  # the page's title
    work: str  # the text the page belongs to ("" for pages outside the texts)
    lang: str
    body: list[str]  # HTML of the record's blocks
    kind: str = KIND_OTHER


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _starts_record(el) -> bool:
    if not isinstance(el.tag, str) or not el.get("id"):
        return False
    return el.tag in RECORD_HEADINGS or bool(_classes(el) & set(RECORD_CLASSES))


def _blocks(parent):
    """Children of ``parent`` in order, descending into containers that hold record starts (a timeline
    period's list of events, say), so that every record start is one block."""
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if not _starts_record(child) and any(_starts_record(d) for d in child.iterdescendants()):
            yield from _blocks(child)
        else:
            yield child


def _strip(body) -> None:
    """Drop from ``body`` (a copy) what is not text: NOT_INDEXED elements and the list of citing passages."""
    noise = []
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        before = el.getprevious()
        if _classes(el) & set(NOT_INDEXED) or (
                el.tag == "ul" and before is not None and "bib-backlinks-title" in _classes(before)):
            noise.append(el)
    for el in noise:  # after the walk: dropping the title first would hide which list follows it
        el.drop_tree()


def _words(name: str) -> set[str]:
    return set(re.findall(r"\w+", fold(name)))


def _add_aliases(block, aliases: dict[str, list[str]], seen: set[str]) -> None:
    """After the first mention of a register entry in a record, the entry's other names (for search only)."""
    for link in block.iterdescendants("a"):
        entry = link.get("data-reg")
        if "reg-mention" not in _classes(link) or entry in seen or entry not in aliases:
            continue
        seen.add(entry)
        shown = _words(link.text_content())
        # Only names that share no word with the printed one: "Soviet Union" after "Liên Xô", not
        # "Liên bang Xô viết" (its words are already found) nor a long official name's common words.
        others = [name for name in aliases[entry] if not shown & _words(name)]
        if others:
            extra = lxml.html.Element("span")
            extra.text = f" [= {'; '.join(others)}]"
            extra.tail, link.tail = link.tail, None
            link.addnext(extra)


def fold_d(html_text: str) -> str:
    """đ/Đ → d/D + combining stroke in the text of ``html_text`` (never inside tags)."""
    return "".join(part if part.startswith("<") else part.translate(FOLD_D) for part in _TAG.split(html_text))


def _with_markers(block) -> list[str]:
    """HTML of ``block`` with paragraph (and entry) ids moved to empty markers placed before their element:
    Pagefind stores each element with an id as an anchor *with its text*, which would double the record."""
    markers = []
    for pb in block.xpath(".//a[contains(concat(' ', @class, ' '), ' pb ')]"):
        pb.drop_tree()  # a printed-page marker is the edition's, not the text's: no word, no anchor for a hit
    for el in list(block.iter()):
        if isinstance(el.tag, str) and el.get("id") and el.tag not in ("h1", *RECORD_HEADINGS):
            marker = lxml.html.Element("span", id=el.attrib.pop("id"))
            if el is block:
                markers.append(marker)
            else:
                el.addprevious(marker)
    return [lxml.html.tostring(el, encoding="unicode") for el in (*markers, block)]


def _title_of(el) -> str:
    strong = el.find(".//strong")
    when = el.find(".//time")
    if el.tag in RECORD_HEADINGS or strong is None:
        shown = copy.deepcopy(el)
        for link in shown.xpath(".//*[contains(@class, 'headerlink')]"):
            link.drop_tree()
        text = " ".join(shown.text_content().split())
    else:
        text = " ".join(strong.text_content().split())
        if when is not None:
            text = f"{' '.join(when.text_content().split())}: {text}"
    return text if len(text) <= _TITLE_CHARS else text[:_TITLE_CHARS].rsplit(" ", 1)[0] + " …"


def _page_kind(url: str, texts: set[str]) -> str:
    folder = url.split("/", 1)[0] if "/" in url else ""
    return KIND_TEXT if folder in texts else FOLDER_KINDS.get(folder, KIND_OTHER)


def page_records(site: Path, page: Path, aliases: dict[str, list[str]] | None = None,
                 texts: set[str] = frozenset()) -> list[Record]:
    """The records of one built page ([] for a page without ``data-pagefind-body``); ``aliases`` maps a
    register entry id to its names; ``texts`` are the folders of the texts."""
    doc = lxml.html.parse(str(page), parser=lxml.html.HTMLParser(encoding="utf-8"))
    bodies = doc.xpath("//*[@data-pagefind-body]")
    if not bodies:
        return []
    body = copy.deepcopy(bodies[0])
    _strip(body)
    url = page.relative_to(site).as_posix()
    title = (doc.xpath("//meta[@name='edition-title']/@content") or [""])[0]
    work = (doc.xpath("//meta[@name='edition-work']/@content") or [""])[0]
    lang = body.get("lang") or LANGUAGE
    kind = _page_kind(url, texts)
    records = [Record(url, title, title, work, lang, [], kind)]
    seen: set[str] = set()
    for block in _blocks(body):
        if _starts_record(block):
            classes = _classes(block)
            own = KIND_TIMELINE if "tl-event" in classes else KIND_BIBLIOGRAPHY if "bib-entry" in classes else kind
            records.append(Record(f"{url}#{block.get('id')}", _title_of(block), title, work,
                                  block.get("lang") or lang, [], own))
            seen = set()
        if aliases:
            _add_aliases(block, aliases, seen)
        records[-1].body += _with_markers(block)
    return [r for r in records if r.body]


def record_html(record: Record) -> str:
    meta = "".join(f'<meta data-pagefind-meta="{name}[content]" content="{html.escape(value)}">'
                   for name, value in (("title", record.title), ("url", record.url), ("page", record.page),
                                       ("work", record.work), ("kind", record.kind)))
    work = record.work if record.kind == KIND_TEXT else ""  # the text filter lists the texts only
    filters = "".join(f'<meta data-pagefind-filter="{name}[content]" content="{html.escape(value)}">'
                      for name, value in (("text", work), ("kind", record.kind)) if value)
    body = fold_d("".join(record.body))
    return (f'<!doctype html><html lang="{record.lang}"><head>{meta}{filters}</head>'
            f'<body><main data-pagefind-body>{body}</main></body></html>\n')


def _write_pages(site: Path, dest: Path, pages: list[Path], aliases: dict[str, list[str]], texts: set[str]) -> int:
    count = 0
    for page in pages:
        folder = dest / page.relative_to(site).with_suffix("")
        for number, record in enumerate(page_records(site, page, aliases, texts)):
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{number:03d}.html").write_text(record_html(record), encoding="utf-8")
            count += 1
    return count


def write_records(site: Path, dest: Path) -> int:
    """Write every record of ``site`` as ``dest/<page path>/<nnn>.html``; returns how many. The pages are
    shared out between the processor's cores (parsing them is most of the indexing time); each page's
    records are the same whoever writes them."""
    from edition.register import load_register  # the register's names, for the aliases of its mentions
    from edition.witness import load_manifest

    aliases = {entry.id: entry.names for entry in load_register().entries}
    texts = set(load_manifest())
    pages = [p for p in sorted(site.rglob("*.html")) if "pagefind" not in p.relative_to(site).parts]
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2:
        return _write_pages(site, dest, pages, aliases, texts)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        shares = [pool.submit(_write_pages, site, dest, pages[i::workers], aliases, texts) for i in range(workers)]
        return sum(share.result() for share in shares)


def index_site(site: Path) -> int:
    """Write the Pagefind bundle of ``site`` into ``<site>/pagefind/``; returns the number of records."""
    bundle = site / "pagefind"
    shutil.rmtree(bundle, ignore_errors=True)  # no stale index chunks from an earlier build
    with tempfile.TemporaryDirectory(prefix="edition-search-") as scratch:
        records = Path(scratch)
        if write_records(site, records) == 0:
            raise BuildError(site, None, "no page to index (is data-pagefind-body in the theme?)")
        command = [sys.executable, "-m", "pagefind", "--site", str(records), "--output-path", str(bundle),
                   "--force-language", LANGUAGE]
        result = subprocess.run(command, capture_output=True, text=True,
                                env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": CHUNK_SIZE})
    output = result.stdout + result.stderr
    if result.returncode != 0:
        lines = [line for line in output.splitlines() if line.strip()]
        raise BuildError(site, None, f"pagefind failed: {lines[-1] if lines else 'no output'}")
    indexed = _INDEXED.search(output)
    for pattern in UNUSED:  # the theme has its own UI on the JS API
        for unused in bundle.glob(pattern):
            unused.unlink()
    stabilise_filters(bundle)  # two builds of one site give the same bundle
    return int(indexed.group(1)) if indexed else 0
