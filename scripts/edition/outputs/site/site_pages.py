"""MkDocs' build, run in this process step by step with MkDocs 1.6's own functions (the steps of
``mkdocs.commands.build.build``, reached through ``edition.outputs.site.mkdocs_adapter``, the one module using MkDocs'
private names; no plugin hook, nothing patched), so that a page whose inputs did not change
is not converted and rendered again.

Two caches in ``build/cache/mkdocs/<config>/``, each entry named by a SHA-256 of everything it depends on:
- ``pages/<key>.json``: a page's Markdown converted (HTML body, table of contents, title, anchor ids, links to
  other pages' anchors). The key covers the page's source and front matter, its path, the configuration files
  (nav, Markdown extensions and their settings), the values of the environment variables they read, the list
  of files (links are resolved against it) and the versions of MkDocs, Material and the Markdown libraries.
- ``html/<key>.html``: the page as written to the site. The key adds the theme (the custom templates' bytes)
  and the navigation as every page shows it (each page's title, URL and front matter, in order).
Entries are files of the cache store ``edition.cache`` (written atomically, checked by their SHA-256: a
damaged one is made again). Only a build without any warning writes the caches (a cached page therefore never
hides a warning), and entries this build did not use are removed. Links to anchors are still checked on every
build, cached pages included. The theme's compiled templates are kept by Jinja's own bytecode cache
(``build/cache/jinja/``, one folder per set of Jinja extensions).

Pages not in the cache (a cold build: all of them) are converted, then rendered, by forked workers, one per
core; their warnings are logged again in the build's process, in page order. ``tests/test_site_pages.py``
checks that cold, warm and shared builds write the bytes ``mkdocs build`` writes.
"""

from __future__ import annotations

import json
import logging
import os
import re
from importlib.metadata import version
from pathlib import Path

from jinja2 import FileSystemLoader

from ... import paths, pool
from ...cache import Store, digest
from ...render.output import Written

CACHE = paths.BUILD / "cache" / "mkdocs"
JINJA = paths.BUILD / "cache" / "jinja"
# What converts and renders a page besides our files: a new version may write other bytes.
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments", "jinja2")
_ENV_TAG = re.compile(r"!ENV\s*\[?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)")


def _tree_bytes(folder: Path) -> list[str | bytes]:
    return [x for f in sorted(p for p in folder.rglob("*") if p.is_file())
            for x in (f.relative_to(folder).as_posix(), f.read_bytes())]


class PageCache:
    """Converted pages and written HTML of earlier builds of one configuration, by content key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store = Store(folder)
        self.new: dict[str, bytes] = {}  # written by ``save`` only: a build that warned keeps none

    def page(self, key: str) -> dict | None:
        data = self.store.read(f"pages/{key}.json")
        return json.loads(data) if data else None

    def html(self, key: str) -> bytes | None:
        return self.store.read(f"html/{key}.html")

    def put_page(self, key: str, value: dict) -> None:
        self.new[f"pages/{key}.json"] = json.dumps(value, ensure_ascii=False).encode("utf-8")

    def put_html(self, key: str, data: bytes) -> None:
        self.new[f"html/{key}.html"] = data

    def save(self) -> None:
        """Write the new entries (atomically) and remove those this build did not use."""
        for name, data in self.new.items():
            self.store.write(name, data)
        for sub in ("pages", "html"):
            self.store.sweep(sub)


def cache_for(config_file: Path) -> PageCache:
    """The cache of one configuration file (a test's small site does not evict the edition's pages)."""
    return PageCache(CACHE / digest(str(config_file.resolve()))[:16])


_FORKED: SitePages | None = None  # the pages a forked worker converts or renders (inherited, not sent)


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _share(srcs: list[str], method: str) -> list[tuple[object, list[tuple[str, int, str]], str | None]]:
    """In a worker: (result, warnings logged, error) of ``method`` on each page; the pages after an error
    are not tried (a build in one process stops there too)."""
    kept = _Kept()
    logging.getLogger("mkdocs").addHandler(kept)
    out = []
    for src in srcs:
        first = len(kept.records)
        try:
            result, error = getattr(_FORKED, method)(src), None
        except Exception as exc:  # noqa: BLE001  (given to the parent, which stops the build with it)
            result, error = None, f"{type(exc).__name__}: {exc}"
        out.append((result, [(r.name, r.levelno, r.getMessage()) for r in kept.records[first:]], error))
        if error:
            break
    return out


class _ThemeLoader(FileSystemLoader):
    """The theme's templates (MkDocs' loader: a FileSystemLoader of the theme's folders), listed without hidden
    folders and files. MkDocs lists every file of the theme to find its static files and then drops each one
    under a hidden folder (``.*`` and ``*/.*``), one by one: Material's ``.icons`` are 14,500 of them, which
    took 0.08 s of every build of each interface. The same static files are found (tests/test_site_pages.py)."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for root in self.searchpath:
            for folder, subfolders, names in os.walk(root, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                base = Path(folder).relative_to(root).as_posix()
                found.update(name if base == "." else f"{base}/{name}" for name in names if not name.startswith("."))
        return sorted(found)


def _toc_tokens(items) -> list[dict]:
    return [{"name": i.title, "id": i.id, "level": i.level, "children": _toc_tokens(i.children)} for i in items]


class SitePages:
    """One build's configuration, files, navigation and pages (``mkdocs build``'s steps, in order)."""

    def __init__(self, config, config_files: list[Path]) -> None:
        """``config``: loaded MkDocs configuration; ``config_files``: the files it was read from."""
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        self.config = config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        self.env = config.theme.get_env()
        self.env.loader = _ThemeLoader(self.env.loader.searchpath)
        files.add_files_from_theme(self.env, config)
        self.files = files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        self.nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        self.doc_files = files.documentation_pages()
        texts = [f.read_text(encoding="utf-8") for f in config_files]
        self.fingerprint = digest(
            *(f"{name}={version(name)}" for name in LIBRARIES), *texts,
            # extra as loaded: the plugin's interface words where the files have none (edition.model.ui)
            json.dumps(dict(config.extra), sort_keys=True, ensure_ascii=False, default=str),
            *(f"{v}={os.environ.get(v, '')}" for v in sorted({m for t in texts for m in _ENV_TAG.findall(t)})),
            *(f"{f.src_uri}>{f.dest_uri}>{f.inclusion.name}" for f in files))
        self._keys: dict[str, str] = {}

    # --- Markdown → HTML body -----------------------------------------------------------------------------

    def populate(self, cache: PageCache | None) -> None:
        """Read and convert every page (from the cache when its key is there), as the build does before any
        page is written: titles, tables of contents and anchors of all pages are known to each."""
        from mkdocs.structure.pages import Page

        missing = []
        for file in self.doc_files:
            if file.page is None:
                Page(None, file, self.config)
            stored = self._read(file.page, cache)
            if stored is None:
                missing.append(file.src_uri)
            else:
                self._restore(file.page, stored)
        for src, stored in zip(missing, self._each("_convert", missing)):
            self._restore(self.files.get_file_from_path(src).page, stored)
            if cache:
                cache.put_page(self._keys[src], stored)
        self.env = self.config.plugins.on_env(self.env, config=self.config, files=self.files)
        # Jinja's own cache of compiled templates (keyed by each template's source): compiling the theme's
        # templates costs about as much as writing every cached page. Compiled code names the extensions
        # (the plugins' tags): one folder per set of them.
        from jinja2 import FileSystemBytecodeCache

        folder = JINJA / digest(*sorted(self.env.extensions))[:16]
        folder.mkdir(parents=True, exist_ok=True)
        self.env.bytecode_cache = FileSystemBytecodeCache(str(folder))

    def populate_page(self, page, cache: PageCache | None) -> None:
        """Read and convert one page (from the cache when its key is there)."""
        self._restore(page, self._read(page, cache) or self._convert(page.file.src_uri))

    def _read(self, page, cache: PageCache | None) -> dict | None:
        page.read_source(self.config)
        key = self._keys[page.file.src_uri] = digest(
            self.fingerprint, page.file.src_uri, page.markdown, json.dumps(page.meta, sort_keys=True, default=str))
        return cache.page(key) if cache else None

    def _convert(self, src: str) -> dict:
        from . import mkdocs_adapter

        page = self.files.get_file_from_path(src).page
        mkdocs_adapter.populate_page(page, self.config, self.files)
        return {"content": page.content, "toc": _toc_tokens(page.toc), "title": mkdocs_adapter.rendered_title(page),
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()}}

    def _restore(self, page, stored: dict) -> None:
        from mkdocs.structure.toc import get_toc

        from . import mkdocs_adapter

        page.content, page.toc = stored["content"], get_toc(stored["toc"])
        mkdocs_adapter.set_rendered_title(page, stored["title"])
        page.present_anchor_ids = set(stored["anchors"])
        page.links_to_anchors = {self.files.get_file_from_path(src): links for src, links in stored["links"].items()}

    # --- the site ------------------------------------------------------------------------------------------

    def write(self, cache: PageCache | None, keep: tuple[str, ...] = ()) -> None:
        """Write the site as ``mkdocs build --clean`` leaves it: static files, theme templates, then every page
        (a cached page's bytes when its key is there), then check the links to anchors. A file whose bytes are
        already there is not written again (creating a file costs far more than comparing one), and what this
        build did not write is removed afterwards, as the cleared folder would not have it: but hidden files
        (MkDocs keeps them too) and the top-level folders ``keep`` names (another stage's or interface's)."""
        from . import mkdocs_adapter

        config = self.config
        site = Path(os.path.abspath(config.site_dir))
        written = Written()
        for file in self.files:  # the static files, as Files.copy_static_files chooses them
            if not file.is_documentation_page() and file.inclusion.is_included():
                written.write_bytes(Path(file.abs_dest_path), file.content_bytes)
        for template in config.theme.static_templates:  # a few files, written by MkDocs
            mkdocs_adapter.build_theme_template(template, self.env, self.files, config, self.nav)
            written.paths |= {site / template, site / f"{template}.gz"}
        layout = self._layout()
        missing = {}
        for file in self.doc_files:
            key = digest(layout, self._keys[file.src_uri], file.page.title or "")
            stored = cache.html(key) if cache else None
            if stored is None:
                missing[file.src_uri] = key
            else:
                written.write_bytes(Path(file.abs_dest_path), stored)
        for dest, key in zip(self._each("write_page", list(missing)), missing.values()):
            written.paths.add(site / dest)
            if cache:
                cache.put_html(key, (site / dest).read_bytes())
        written.prune(site, keep=lambda name: name in keep or name.startswith("."))
        for file in self.doc_files:
            file.page.validate_anchor_links(files=self.files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)

    def _each(self, method: str, srcs: list[str]) -> list:
        """``method`` on each page, shared between the processor's cores when there are many (a cold build):
        the forked workers inherit these pages; the warnings each page gave are logged again here, in page
        order, as a build in one process logs them."""
        global _FORKED
        workers = pool.workers(len(srcs), cap=4)
        if workers < 2 or len(srcs) < 4 * workers:
            return [getattr(self, method)(src) for src in srcs]
        _FORKED = self
        try:
            done = pool.map_shares(_share, srcs, method, count=workers, where=self.config.config_file_path)
        finally:
            _FORKED = None
        results = []
        for result, logged, error in done:
            for name, level, message in logged:
                logging.getLogger(name).log(level, message)
            if error:
                raise RuntimeError(error)
            results.append(result)
        return results

    def write_page(self, src_uri: str) -> str:
        """Render one page with the theme into the site folder; its path there."""
        from . import mkdocs_adapter

        file = self.files.get_file_from_path(src_uri)
        mkdocs_adapter.build_page(file.page, self.config, self.doc_files, self.nav, self.env,
                                  excluded=file.inclusion.is_excluded())
        return file.dest_uri

    def _layout(self) -> str:
        """What every page shows of the others (the navigation: titles, URLs, front matter in order) and the
        theme's own templates."""
        custom = self.config.theme.custom_dir
        return digest(self.fingerprint, *_tree_bytes(Path(custom)) if custom else [],
                    *(f"{f.src_uri}>{f.page.title}>{json.dumps(f.page.meta, sort_keys=True, default=str)}"
                      for f in self.doc_files))


__all__ = ["PageCache", "SitePages", "cache_for"]
