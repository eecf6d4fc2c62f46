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

Each record carries two Pagefind filters, ``text`` (one of the texts) and ``kind`` (passage, table, timeline,
bibliography, register, other page: an id the theme names in the reader's language). The theme searches
passages first and the other kinds after them: Pagefind ranks short records (a timeline event) above long ones
(a section) for the same words, and ``data-pagefind-weight`` on the short ones did not change that. Register
mentions (``a.reg-mention``) are followed in the record by the entry's other names, so "gorbachev" finds the
passages that print "Goocbachốp".

The records are written to a folder and indexed by the Pagefind CLI into ``<site>/pagefind/``; the theme
(docs/assets/search.js) loads that bundle lazily. Both steps are cached in build/cache/search/, keyed by the
SHA-256 of all their inputs: only changed pages are parsed again, and Pagefind runs only when some record
changed.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import hashlib
import html
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import lxml.etree
import lxml.html

from edition import paths, pool
from edition.cache import Store, digest
from edition.errors import BuildError
from edition.model import ui
from edition.model.register import fold
from edition.outputs.search.pagefind_bundle import stabilise_filters

# One index for all pages: Vietnamese and English texts are found from any page of the edition.
LANGUAGE = "vi"
RECORD_HEADINGS = ("h2", "h3", "h4")
# Record starts besides headings: a timeline event, a bibliography entry (both have permalinks).
RECORD_CLASSES = ("tl-event", "bib-entry")
# Not words of the text: permalink pilcrows, back-link markers, evidence line numbers, the same reference
# in two more citation styles, and the list of citing paragraphs (chapter titles) under each entry.
NOT_INDEXED = ("para-link", "wit-link", "headerlink", "tl-permalink", "bib-evidence", "tl-backlink", "bib-style",
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
# Kinds of record (the ``kind`` filter): ids, the same in every interface; docs/assets/search.js shows each as
# its search.kind.<id> of the interface catalogue (data/ui/) and names KIND_TEXT too.
KIND_TEXT, KIND_TABLE, KIND_TIMELINE, KIND_BIBLIOGRAPHY, KIND_REGISTER, KIND_OTHER = (
    "text", "table", "timeline", "bibliography", "register", "other")
FOLDER_KINDS = {"bang-tra": KIND_REGISTER, "phu-luc": KIND_TABLE}
_TAG = re.compile(r"(<[^>]*>)")
_TITLE_CHARS = 120
NAME_LETTERS = 5  # shortest name _add_named looks for in a record's text
# Each page's records by the SHA-256 of the page and their other inputs, and the last bundle made with the
# SHA-256 of its inputs (a build whose records did not change takes it instead of running Pagefind).
CACHE = paths.BUILD / "cache" / "search"
RECORDS_CACHE, BUNDLE_CACHE = "records.pickle", "bundle.pickle"
RECORDS_FOLDER = "records"  # the records as Pagefind reads them, kept: a build rewrites the changed ones only


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


_WORD = re.compile(r"\w+(?:[-.]\w+)*")
_JOINERS = re.compile(r"[-.]")


def _printed(text: str) -> str:
    """Folded words of ``text`` as one spaced string, each word also with its hyphens and dots dropped:
    "BRÊ-GIƠ-NÉP" and "L.I.Brêgiơnép" are then found by the name "Brêgiơnép"."""
    parts: list[str] = []
    for word in _WORD.findall(fold(text)):
        if "-" in word or "." in word:  # in a fixed order: the string must be the same in every build
            parts += dict.fromkeys([*_JOINERS.split(word), _JOINERS.sub("", word)])
        else:
            parts.append(word)
    return " " + " ".join(parts) + " "


@cache
def _spaced(name: str) -> str:
    """A name's folded words as one spaced string (the same few hundred names for every record)."""
    return " " + " ".join(re.findall(r"\w+", fold(name))) + " "


def _add_named(record: Record, people: dict[str, list[str]]) -> None:
    """After a record that prints a person's name in any form (capitals, hyphens, initials: a signature line,
    a bibliography entry, a timeline event, a table caption) without a mention link, the person's other
    names, as _add_aliases adds them after a mention."""
    printed = _printed(lxml.html.fromstring("".join(record.body)).text_content())
    missing = []
    for names in people.values():
        spaced = [(name, _spaced(name)) for name in names]
        # A name of one short word ("Mác") is also a common word folded ("mắc"): not looked for.
        if any(key in printed for _, key in spaced if len(key.strip()) >= NAME_LETTERS):
            # Only names that share no word with the record ("Brezhnev", not "L.I. Brêgiơnép").
            missing += [name for name, key in spaced if not any(f" {w} " in printed for w in key.split())]
    if missing:
        record.body.append(f"<p>[= {html.escape('; '.join(dict.fromkeys(missing)))}]</p>")


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


def _page_kind(url: str, texts: AbstractSet[str]) -> str:
    folder = url.split("/", 1)[0] if "/" in url else ""
    return KIND_TEXT if folder in texts else FOLDER_KINDS.get(folder, KIND_OTHER)


def page_records(site: Path, page: Path, aliases: dict[str, list[str]] | None = None,
                 texts: AbstractSet[str] = frozenset(), people: dict[str, list[str]] | None = None) -> list[Record]:
    """The records of one built page ([] for a page without ``data-pagefind-body``); ``aliases`` maps a
    register entry id to its names, ``people`` the persons' ids to theirs; ``texts`` are the folders of the
    texts."""
    data = page.read_bytes()
    if b"data-pagefind-body" not in data:  # not parsed: the witness pages (a quarter of the site's HTML)
        return []
    doc = lxml.html.fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8")).getroottree()
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
    records = [r for r in records if r.body]
    for record in records if people else ():
        _add_named(record, people)
    return records


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


def _page_records_html(pages: list[Path], site: Path, aliases: dict[str, list[str]], texts: set[str],
                       people: dict[str, list[str]]) -> list[list[str]]:
    return [[record_html(record) for record in page_records(site, page, aliases, texts, people)] for page in pages]


def _parse(site: Path, pages: list[Path]) -> list[list[str]]:
    """The records (as ``record_html`` writes them) of each of ``pages``, in order. The pages are shared out
    between the processor's cores (parsing them is most of the indexing time); each page's records are the
    same whoever makes them."""
    from edition.model.register import load_register  # the register's names, for the aliases of its mentions
    from edition.model.witness import load_manifest

    entries = load_register().entries
    aliases = {entry.id: entry.names for entry in entries}
    people = {entry.id: entry.names for entry in entries if entry.kind == "person"}
    texts = set(load_manifest())
    return pool.map_shares(_page_records_html, pages, site, aliases, texts, people,
                           count=pool.workers(len(pages), cap=4), where=site)


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # a missing register or manifest: the cache misses and loading it reports the error
        return b"\0missing"


def _records_inputs() -> bytes:
    """SHA-256 of what every page's records depend on besides the page: the code that makes them (this
    module, the register's ``fold`` and loader, the YAML reader, lxml, Python's ``re``), the register's names
    (aliases) and the manifest's texts (kinds). Keyed by the data files' bytes, so that a build whose pages
    are all cached does not load and prove the register."""
    import yaml

    from edition.model import register, witness, yamlio

    return bytes.fromhex(digest(
        f"{sys.version} lxml {lxml.etree.LXML_VERSION} libxml2 {lxml.etree.LIBXML_VERSION} yaml {yaml.__version__}",
        *(_file_bytes(path) for path in (
            Path(__file__), Path(register.__file__), Path(witness.__file__), Path(yamlio.__file__),
            register.REGISTER_FILE, paths.SOURCES / "manifest.yml",
            paths.SCHEMAS / "register.schema.json", paths.SCHEMAS / "manifest.schema.json"))))



def site_records(site: Path, cache: Path = CACHE) -> dict[str, bytes]:
    """Every record of ``site`` by its file name, ``<page path without .html>/<nnn>.html``. A page whose
    bytes and other inputs (``_records_inputs``) are those of a cached page takes its records from the cache;
    only the others are parsed. The cache then holds this site's pages only."""
    # not the bundle, nor the other interfaces' copies of the pages (site/en/: they search this index)
    skip = {"pagefind", *ui.LANGUAGES[1:]}
    pages = [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] not in skip]
    inputs = _records_inputs()
    keys = [hashlib.sha256(inputs + page.relative_to(site).as_posix().encode() + b"\0" + page.read_bytes())
            .hexdigest() for page in pages]
    cached = Store(cache).read_pickle(RECORDS_CACHE)
    cached = cached if isinstance(cached, dict) else {}
    missing = [(key, page) for key, page in zip(keys, pages) if key not in cached]
    by_key = {key: cached[key] for key in keys if key in cached}
    if missing:
        by_key.update(zip([key for key, _ in missing], _parse(site, [page for _, page in missing])))
    if by_key.keys() != cached.keys():
        Store(cache).write_pickle(RECORDS_CACHE, by_key)
    records: dict[str, bytes] = {}
    for key, page in zip(keys, pages):
        folder = page.relative_to(site).with_suffix("").as_posix()
        records.update((f"{folder}/{number:03d}.html", html_text.encode("utf-8"))
                       for number, html_text in enumerate(by_key[key]))
    return records


def write_records(site: Path, dest: Path, cache: Path = CACHE) -> int:
    """Make ``dest`` hold every record of ``site`` as ``<page path>/<nnn>.html`` (and nothing else); returns
    how many."""
    records = site_records(site, cache)
    _sync(records, dest)
    return len(records)


def _bundle_key(records: dict[str, bytes]) -> str:
    """SHA-256 of everything the bundle depends on: the records, the code that indexes them (this module,
    pagefind_bundle), Pagefind's version and its PAGEFIND_* settings from the environment."""
    from edition.outputs.search import pagefind_bundle

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "none"

    return digest(Path(__file__).read_bytes(), Path(pagefind_bundle.__file__).read_bytes(),
                  *(f"{dist} {version(dist)}" for dist in ("pagefind", "pagefind_bin", "pagefind_bin_extended")),
                  repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("PAGEFIND_"))),
                  *(part for name in sorted(records) for part in (name, records[name])))


def _sync(files: dict[str, bytes], folder: Path) -> None:
    """Make ``folder`` hold exactly ``files`` (name → bytes), writing only the files whose bytes differ:
    creating a file costs ~0.5 ms on this machine's disk, reading one a few µs."""
    present = set()
    for path in sorted(folder.rglob("*"), reverse=True):  # a folder after its files
        name = path.relative_to(folder).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif name in files:
            present.add(name)
        else:
            path.unlink()
    for name, data in files.items():
        path = folder / name
        if name not in present or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            scratch.write_bytes(data)
            os.replace(scratch, path)  # a new file, never a rewrite: a linked copy of the cache keeps its bytes


def _pagefind(site: Path, records: dict[str, bytes], bundle: Path, cache: Path) -> int:
    """Index ``records`` with the Pagefind CLI into ``bundle``; returns how many pages it indexed. The records
    are written to the cache's Pagefind input folder, which keeps the last build's: unchanged ones stay."""
    folder = cache / RECORDS_FOLDER
    _sync(records, folder)
    from pagefind.service import get_executable  # the binary `python -m pagefind` runs, without the interpreter

    binary = get_executable()
    if binary is None:
        raise BuildError(site, None, "pagefind failed: no Pagefind binary (pip package pagefind[bin])")
    command = [str(binary), "--site", str(folder.resolve()), "--output-path", str(bundle.resolve()),
               "--force-language", LANGUAGE]
    # Run in the records' folder: no pagefind.yml of the caller's folder is read, so the bundle depends on
    # what _bundle_key hashes only.
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder,
                            env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": CHUNK_SIZE})
    output = result.stdout + result.stderr
    if result.returncode != 0:
        lines = [line for line in output.splitlines() if line.strip()]
        raise BuildError(site, None, f"pagefind failed: {lines[-1] if lines else 'no output'}")
    for pattern in UNUSED:  # the theme has its own UI on the JS API
        for unused in bundle.glob(pattern):
            unused.unlink()
    stabilise_filters(bundle)  # two builds of one site give the same bundle
    indexed = _INDEXED.search(output)
    return int(indexed.group(1)) if indexed else 0


def _link(source: Path, dest: Path, names) -> None:
    """Hard-link the files ``names`` of ``source`` into ``dest``: creating a file costs ~0.5 ms on this
    machine's disk, linking one ~0.02 ms (copied where links are not possible)."""
    for folder in sorted({(dest / name).parent for name in names}):
        folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        try:
            os.link(source / name, dest / name)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(source / name, dest / name)


def _checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _cached_bundle(cache: Path, key: str, bundle: Path) -> int | None:
    """Put the cached bundle made from inputs ``key`` into ``bundle`` and return its page count; None (and
    no ``bundle``) when there is none or its files are not the bytes it was stored with. A ``bundle`` that
    already holds exactly those bytes (the site of a repeated build) is left as it is."""
    stored = Store(cache).read_pickle(BUNDLE_CACHE)
    if not isinstance(stored, dict) or stored.get("key") != key:
        shutil.rmtree(bundle, ignore_errors=True)
        return None
    try:
        if bundle.is_dir() and _checksums(bundle) == stored["files"]:
            return stored["indexed"]
        shutil.rmtree(bundle, ignore_errors=True)  # no stale file of another bundle
        _link(cache / f"bundle-{key}", bundle, stored["files"])
        if _checksums(bundle) == stored["files"]:  # what the site now holds, checked (a link shares edits)
            return stored["indexed"]
    except OSError:  # a file gone or unreadable
        pass
    shutil.rmtree(bundle, ignore_errors=True)
    return None


def _keep_bundle(cache: Path, key: str, bundle: Path, indexed: int) -> None:
    """Keep ``bundle`` as the cache's only bundle (keyed by ``key``); a failure only costs the next build the
    time of Pagefind."""
    kept = cache / f"bundle-{key}"
    scratch = cache / f"bundle-{key}.{os.getpid()}.tmp"
    try:
        files = _checksums(bundle)
        shutil.rmtree(scratch, ignore_errors=True)
        _link(bundle, scratch, files)
        shutil.rmtree(kept, ignore_errors=True)
        os.replace(scratch, kept)
        Store(cache).write_pickle(BUNDLE_CACHE, {"key": key, "files": files, "indexed": indexed})
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
        return
    for old in cache.glob("bundle-*"):
        if old != kept:
            shutil.rmtree(old, ignore_errors=True)


def index_site(site: Path, cache: Path = CACHE) -> int:
    """Write the Pagefind bundle of ``site`` into ``<site>/pagefind/``; returns the number of records.
    When the records are byte for byte those of the last bundle made (``_bundle_key``), that bundle is taken
    from the cache instead: Pagefind, with stabilise_filters, makes the same bytes from the same records."""
    bundle = site / "pagefind"
    with _locked(cache):
        records = site_records(site, cache)
        if not records:
            raise BuildError(site, None, "no page to index (is data-pagefind-body in the theme?)")
        key = _bundle_key(records)
        indexed = _cached_bundle(cache, key, bundle)
        if indexed is None:
            indexed = _pagefind(site, records, bundle, cache)
            _keep_bundle(cache, key, bundle, indexed)
    return indexed


@contextlib.contextmanager
def _locked(cache: Path):
    """The cache to this process alone: two builds at once (``edition serve`` and ``edition build``, say)
    would otherwise index a mix of their records."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
