"""The built sites the site tests run against, and a local static server for them.

By default: the development fixture (tests/fixtures/minisite, built into a temporary directory) and
the real site/ (browser tests: only the real one, to stay fast). The real site is built once per test
session from the current tree when it is missing, and always in CI, so CI tests what it checked out.
``EDITION_SITE=/path/to/site`` tests that one directory only.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from edition.paths import ROOT, SITE
from edition.site import build_site

FIXTURE_CONFIG = ROOT / "tests" / "fixtures" / "minisite" / "mkdocs.yml"


def site_names(both: bool = True) -> list[str]:
    """Sites to test: the env one; else the fixture and the built site/ (or only the latter when
    ``both`` is false, for slow tests)."""
    if os.environ.get("EDITION_SITE"):
        return ["env"]
    return ["fixture", "site"] if both else ["site"]


@functools.lru_cache(maxsize=1)
def real_site() -> Path:
    """site/ built by the real pipeline (render + MkDocs + Pagefind) once per session when needed."""
    if os.environ.get("CI") == "true" or not (SITE / "index.html").exists():
        from edition.enrich.pipeline import enrichers
        from edition.paths import BUILD
        from edition.render.run import render_all

        render_all(enrichers=enrichers())
        build_site(BUILD / "mkdocs.yml")
    return SITE


def site_path(name: str, tmp_factory) -> Path:
    if name == "env":
        return Path(os.environ["EDITION_SITE"]).resolve()
    if name == "site":
        return real_site()
    out = tmp_factory.mktemp("minisite") / "site"
    build_site(FIXTURE_CONFIG, site_dir=out)
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site below /<prefix>/ only, as GitHub Pages serves a project site."""

    prefix = "/edition/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, *args) -> None:  # keep test output clean
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 under a sub-path; yields the site's base URL."""
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{_Handler.prefix}"
    finally:
        server.shutdown()
        server.server_close()
