"""``edition serve``: the built site, served while the sources are edited, never answering 404 for a page
being rebuilt.

- The site is built in full into ``build/serve/site-<n>/`` and served from there by a small HTTP server
  (with a live-reload script, a same-origin file as the Content-Security-Policy wants).
- A change is acted on when two looks 0.1 s apart find the same files (an editor may write a file in two steps).
- A change that only touches the text of chapter files (same front matter, headings, paragraph, page and
  alias ids) is rendered by a worker process that keeps the loaded corpus, the enrichers and MkDocs' pages in
  memory: it renders that chapter's Markdown and that one HTML page with MkDocs' own page builder, and the
  page replaces the served one atomically (``os.replace``): well under a second.
- Any other change, and a moment after each chapter edit (to refresh what a paragraph also reaches: the
  register, the timeline checks, the search index), is a full ``edition build`` in a subprocess into the next
  ``site-<n>``, which is swapped in when it finished without a newer change (a newer change stops it).
- A build error (the worker's or the full build's: the fidelity gate refusing a word, a bad input) prints its
  one ``file:line: message`` and the last good site stays served, with that message in a banner on every
  page until a full build succeeds: a refused word is never published, and the reader is told the page is
  not the sources' current state. A failed first build serves an error page at every address instead, and
  the first build that succeeds replaces it. ``--draft`` publishes refused words, stamped "Bản nháp".
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import paths
from .errors import BuildError
from .model import escape, ui

POLL = 0.1  # seconds between two looks at the watched files
QUIET = 1.5  # seconds without a change before a chapter edit's full rebuild starts
SERVE_DIR = paths.BUILD / "serve"
STAGE = SERVE_DIR / "stage"  # the worker writes a page here, then it is moved into the served site
RELOAD_PATH = "/_edition/generation"
RELOAD_SCRIPT = "/_edition/livereload.js"
ERROR_STYLE = "/_edition/error.css"
LIVERELOAD_JS = f"""(function () {{
  var seen = null;
  function poll() {{
    fetch("{RELOAD_PATH}?since=" + (seen === null ? -1 : seen)).then(function (r) {{ return r.text(); }})
      .then(function (g) {{ if (seen !== null && g !== String(seen)) {{ location.reload(); return; }} seen = +g; poll(); }})
      .catch(function () {{ setTimeout(poll, 1000); }});
  }}
  poll();
}})();
"""
ERROR_CSS = """.edition-serve-error { position: fixed; left: 0; right: 0; bottom: 0; z-index: 10;
  max-height: 40vh; overflow: auto; margin: 0; padding: .6em 1em; background: #fff; color: #8a0018;
  border-top: 4px solid #b00020; font: 1rem/1.4 system-ui, sans-serif; }
.edition-serve-error pre { margin: .4em 0 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem; }
.edition-serve-error-page .edition-serve-error { position: static; max-height: none; border: 4px solid #b00020; }
"""
# The server's own page (no site yet): its policy is as strict as the site's (theme/main.html) or stricter.
ERROR_CSP = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"


def watched() -> list[Path]:
    return [paths.CORPUS, paths.DATA, paths.DOCS, paths.BIBLIOGRAPHY, paths.ROOT / "theme", paths.ROOT / "mkdocs.yml"]


def snapshot(roots) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every file under ``roots`` (an editor's swap, lock and backup files left out)."""
    state: dict[Path, tuple[int, int]] = {}
    for root in roots:
        root = Path(root)
        for path in [root] if root.is_file() else root.rglob("*"):
            if path.name.startswith((".", "#")) or path.name.endswith("~"):
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue  # removed while walking
            if not path.is_dir():
                state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def chapter_edits(before: dict, after: dict) -> list[Path] | None:
    """The chapter files whose content changed, or None when anything else changed (a file added or removed,
    any other file)."""
    if before.keys() != after.keys():
        return None
    changed = [p for p in after if before[p] != after[p]]
    corpus = paths.CORPUS.resolve()
    if all(p.suffix == ".md" and p.resolve().parent.parent == corpus and p.parent.name != "sources" for p in changed):
        return changed
    return None


# --- the served folder ------------------------------------------------------------------------------------

class LiveSite:
    """The folder being served (swapped in one assignment; None while no build has succeeded), the last build
    error (None once a full build succeeded) and a generation number the pages poll."""

    def __init__(self, root: Path | None, error: str | None = None) -> None:
        self.root = root
        self.error = error
        self.generation = 0
        self._changed = threading.Condition()

    def bump(self, root: Path | None = None) -> None:
        """Pages were replaced, or ``root`` (a full build that succeeded) swapped in: that clears the error."""
        with self._changed:
            if root:
                self.root, self.error = root, None
            self.generation += 1
            self._changed.notify_all()

    def fail(self, error: str) -> None:
        """A build failed: the pages get the banner (and reload to show it)."""
        with self._changed:
            if error != self.error:
                self.error = error
                self.generation += 1
                self._changed.notify_all()

    def wait(self, since: int, timeout: float = 20.0) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.generation != since, timeout)
            return self.generation


class _Handler(http.server.SimpleHTTPRequestHandler):
    live: LiveSite

    def translate_path(self, path: str) -> str:
        self.directory = str(self.live.root)  # read once per request: a swap never mixes two sites in a file
        return super().translate_path(path)

    def do_GET(self):
        if self.path.startswith(RELOAD_PATH):
            since = self.path.partition("since=")[2]
            body = str(self.live.wait(int(since) if since.lstrip("-").isdigit() else -1)).encode()
            return self._send(body, "text/plain")
        if self.path == RELOAD_SCRIPT:
            return self._send(LIVERELOAD_JS.encode(), "text/javascript")
        if self.path == ERROR_STYLE:
            return self._send(ERROR_CSS.encode(), "text/css")
        error = self.live.error
        if self.live.root is None:  # the first build failed: every address shows why
            words = _words()
            page = (f'<!DOCTYPE html>\n<html lang="{words["lang"]}"><head><meta charset="utf-8"><title>{words["failed"]}</title>'
                    f'<link rel="stylesheet" href="{ERROR_STYLE}"></head><body class="edition-serve-error-page">'
                    + _banner(error, words["no-build"], words)
                    + f'<script src="{RELOAD_SCRIPT}"></script></body></html>\n')
            return self._send(page.encode(), "text/html; charset=utf-8", status=500, csp=ERROR_CSP)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            try:
                page = path.read_bytes()
            except FileNotFoundError:  # an old site removed under us: the next request finds the new one
                return super().do_GET()
            script = f'<script src="{RELOAD_SCRIPT}"></script></body>'.encode()
            page = page.replace(b"</body>", script, 1)
            if error:
                style = f'<link rel="stylesheet" href="{ERROR_STYLE}"></head>'.encode()
                words = _words()
                banner = _banner(error, words["last-good"], words).encode()
                page = page.replace(b"</head>", style, 1).replace(b"</body>", banner + b"</body>", 1)
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str, status: int = 200, csp: str | None = None) -> None:
        self.send_response(status)
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


# The error page's words when the interface catalogue itself is what the failed build refused.
_FALLBACK = {"lang": "en", "failed": "Build failed", "no-build": "no build has succeeded yet; the page reloads once "
             "the error is fixed", "last-good": "the pages shown are the last good build"}


def _words() -> dict[str, str]:
    """The error page's and banner's words (serve.* of the interface catalogue, read again if it changed)."""
    try:
        words = ui.check()[ui.language()]
    except BuildError:
        return _FALLBACK
    return {"lang": ui.language(), **{key: words.text(f"serve.{key}") for key in ("failed", "no-build", "last-good")}}


def _banner(error: str, state: str, words: dict[str, str]) -> str:
    return (f'<div class="edition-serve-error" role="alert"><strong>{words["failed"]}</strong> — {state}.'
            f'<pre>{escape.html_text(error)}</pre></div>')


def start_server(live: LiveSite, addr: str) -> http.server.ThreadingHTTPServer:
    host, _, port = addr.rpartition(":")
    handler = type("Handler", (_Handler,), {"live": live})
    try:
        server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)), functools.partial(handler, directory=str(live.root)))
    except OSError as error:
        raise BuildError(paths.ROOT / "mkdocs.yml", None, f"cannot serve on {addr}: {error.strerror}") from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- the worker: one chapter page, in under a second ------------------------------------------------------

class ChapterPages:
    """The loaded corpus, enrichers and MkDocs pages of the last full render, to rebuild one chapter page."""

    def __init__(self, draft: bool) -> None:
        from .build import enrichers
        from .outputs.downloads.build import build_downloads
        from .outputs.site.site import site_pages
        from .outputs.site.site_pages import cache_for
        from .render.run import load_aliases, render_all

        self.draft = draft
        self.hooks = enrichers()
        with tempfile.TemporaryDirectory(prefix="edition-serve-") as scratch:  # the same state as the build's
            rendered = render_all(Path(scratch), enrichers=self.hooks, draft=draft,
                                  downloads=functools.partial(build_downloads, build=False))
        self.texts = {t.id: t for t in rendered["texts"]}
        self.pdf = {t: bool(files) for t, files in rendered["downloads"].items()}
        self.aliases = load_aliases()
        config = paths.BUILD / "mkdocs.yml"
        self.site = site_pages(config, STAGE)
        self.site.populate(cache_for(config))  # every page as the full build left it (read, not written)
        first = next(iter(self.texts.values())).chapters[0]
        self._build(f"{first.text_id}/{first.stem}.md")  # compiles the theme's templates once, ahead of an edit

    def _build(self, src: str) -> str:
        """Convert and render one page of build/docs into STAGE with MkDocs' own page steps."""
        self.site.populate_page(self.site.files.get_file_from_path(src).page, None)
        return self.site.write_page(src)

    def rebuild(self, edited: list[Path]) -> list[str] | None:
        """Re-render the edited chapters; their HTML files (relative paths under STAGE), or None when the edit
        reaches beyond the chapter pages (then the caller builds everything)."""
        from .model.corpus import load_text
        from .model.fidelity import check_text
        from .model.witness import load_manifest
        from .render.chapters import section_titles
        from .render.run import chapter_page, first_sentence, published_anchors, refusal, stamp_draft

        out = []
        for text_dir in sorted({p.parent for p in edited}):
            old = self.texts.get(text_dir.name)
            witnesses = load_manifest()
            new = load_text(text_dir, witnesses)
            if old is None or [c.meta for c in new.chapters] != [c.meta for c in old.chapters] \
                    or published_anchors([new]) != published_anchors([old]) \
                    or [section_titles(c) for c in new.chapters] != [section_titles(c) for c in old.chapters]:
                return None
            new.meta["abstract_line"] = first_sentence(new)
            if new.meta != old.meta:
                return None  # the landing page shows the abstract's first sentence
            # the gate (a draft shows the edit anyway; its landing page's figures follow with the full build)
            report = None if self.draft else check_text(new.id, witness=witnesses[new.id])
            if report and report.unexplained:
                raise refusal(new, report, witnesses[new.id])
            self.texts[new.id] = new
            for ch in new.chapters:
                if ch.path.resolve() not in {p.resolve() for p in edited}:
                    continue
                page = chapter_page(new, ch, self.hooks, self.aliases, self.pdf.get(new.id, False))
                src = f"{new.id}/{ch.stem}.md"
                _replace(paths.BUILD_DOCS / src, (stamp_draft(page) if self.draft else page).encode("utf-8"))
                out.append(self._build(src))
        return out


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` atomically: a reader sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)  # a stopped full build may have removed the folder
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _worker(conn, draft: bool) -> None:
    import logging
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole process group: the server stops it

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        pages = ChapterPages(draft)
    except BuildError as error:
        conn.send(("error", str(error)))
        return
    conn.send(("ready", None))
    while True:
        try:
            edited = conn.recv()
        except EOFError:  # the server is gone
            return
        try:
            conn.send(("ok", pages.rebuild(edited)))
        except BuildError as error:
            conn.send(("error", str(error)))


class Worker:
    """The ChapterPages in a process of its own (started again after a full build: fresh caches)."""

    def __init__(self, draft: bool) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        # not a daemon: it formats the bibliography in worker processes of its own; it ends with the pipe
        self.process = context.Process(target=_worker, args=(child, draft))
        self.process.start()
        self.ready: bool | None = None  # None: still loading

    def loaded(self) -> bool:
        """True once the worker has answered (ready or failed); never blocks."""
        if self.ready is None and self.conn.poll():
            kind, value = self.conn.recv()
            self.ready = kind == "ready"
            print("chapter edits: ready" if self.ready else f"chapter edits need full builds: {value}", flush=True)
        return self.ready is not None

    def rebuild(self, edited: list[Path]) -> tuple[str, list[str] | str | None]:
        """("ok", pages rebuilt) or ("ok", None) when the edit needs a full build; ("error", one line);
        ("stale", None) when the worker could not load (then the next full build starts a new one)."""
        while not self.loaded():
            time.sleep(POLL / 4)
        if not self.ready:
            return ("stale", None)
        try:
            self.conn.send(edited)
            return self.conn.recv()
        except (EOFError, OSError):  # the worker died: full builds until a new one is loaded
            self.ready = False
            return ("stale", None)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()


# --- full builds ------------------------------------------------------------------------------------------

class FullBuild:
    """``edition build --site <dir>`` in a subprocess (stopped by a newer change)."""

    def __init__(self, site: Path, draft: bool) -> None:
        self.site = site
        # a session of its own: stopping it stops the processes it forks too (the other interfaces, the workers)
        self.process = subprocess.Popen(build_command(site, draft), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "PYTHONPATH": str(paths.ROOT / "scripts")},
                                        start_new_session=True)

    def done(self) -> bool:
        return self.process.poll() is not None

    def error(self) -> str | None:
        err = self.process.stderr.read().strip().splitlines() if self.process.stderr else []
        return (err[-1].removeprefix("error: ") if err else "edition build failed") if self.process.returncode else None

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        shutil.rmtree(self.site, ignore_errors=True)


def build_command(site: Path, draft: bool) -> list[str]:
    return [sys.executable, "-m", "edition.cli", "build", "--site", str(site)] + (["--draft"] if draft else [])


def serve(addr: str = "127.0.0.1:8000", draft: bool = False, stop: threading.Event | None = None,
          ready: threading.Event | None = None) -> None:
    """Build, serve at ``addr`` and rebuild on every change until interrupted (or ``stop`` is set)."""
    from .build import build

    stop = stop or threading.Event()
    shutil.rmtree(SERVE_DIR, ignore_errors=True)
    STAGE.mkdir(parents=True)
    number = 1
    seen = snapshot(watched())
    try:
        build(draft=draft, site_dir=SERVE_DIR / "site-1")
        live = LiveSite(SERVE_DIR / "site-1")
    except BuildError as error:  # served as an error page until a full build succeeds
        print(error, file=sys.stderr, flush=True)
        shutil.rmtree(SERVE_DIR / "site-1", ignore_errors=True)
        live = LiveSite(None, str(error))
    server = start_server(live, addr)
    worker = Worker(draft) if live.root else None  # it starts from a build's state: after one succeeded
    print(f"serving http://{addr}/ (Ctrl+C stops)", flush=True)
    if ready:
        ready.set()
    full: FullBuild | None = None
    full_due: float | None = None
    # the worker's state predates a change it cannot follow (or there is no worker): chapter edits need a full build
    stale = worker is None
    settling = None  # a change seen once: acted on when the next look finds the same (a file being written)
    try:
        while not stop.wait(POLL):
            if worker:
                worker.loaded()
            current = snapshot(watched())
            if current != seen and current != settling:
                settling = current
                continue
            settling = None
            if current != seen:
                edits = None if stale else chapter_edits(seen, current)
                seen = current
                if full:
                    full.stop()
                    full = None
                kind, result = worker.rebuild(edits) if edits else ("ok", None)
                if kind == "error":  # nothing published: the banner says the pages are the last good ones
                    live.fail(str(result))  # the error's one line
                    print(result, file=sys.stderr, flush=True)
                    full_due = None
                    continue
                if result:
                    for rel in result:
                        _replace(live.root / rel, (STAGE / rel).read_bytes())
                    live.bump()
                    print(f"rebuilt {', '.join(result)}", flush=True)
                    full_due = time.monotonic() + QUIET
                    continue
                stale = stale or edits is None or kind == "stale"
                full_due = time.monotonic()
            if full_due is not None and not full and time.monotonic() >= full_due:
                number += 1
                full, full_due = FullBuild(SERVE_DIR / f"site-{number}", draft), None
            if full and full.done():
                failure, old = full.error(), live.root
                if failure:
                    live.fail(failure)
                    print(failure, file=sys.stderr, flush=True)
                    shutil.rmtree(full.site, ignore_errors=True)
                else:
                    live.bump(full.site)
                    if old:
                        threading.Timer(10, shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}).start()
                    print(f"site rebuilt ({full.site.name})", flush=True)
                    if stale:
                        if worker:
                            worker.stop()
                        worker, stale = Worker(draft), False
                full = None
    except KeyboardInterrupt:
        pass
    finally:
        if full:
            full.stop()
        if worker:
            worker.stop()
        server.shutdown()
        server.server_close()
