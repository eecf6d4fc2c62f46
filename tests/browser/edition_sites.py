"""The built sites the site tests run against, and a local static server for them.

By default: the development fixture (tests/fixtures/minisite, built into a temporary directory) and
the real site/ (browser tests: only the real one, to stay fast), served by edition.outputs.site.pages_server. The real
site (with its other interfaces, site/en/) is built once per test session from the current tree when it is missing, and always in CI, so CI
tests what it checked out.
``EDITION_SITE=/path/to/site`` tests that one directory only.
"""

from __future__ import annotations

import fcntl
import functools
import os
from pathlib import Path

from edition.outputs.site.pages_server import serve  # noqa: F401  (the tests' server: sub-path and gzip, as on Pages)
from edition.outputs.site.site import build_site
from edition.paths import BUILD, ROOT, SITE

FIXTURE_CONFIG = ROOT / "tests" / "fixtures" / "minisite" / "mkdocs.yml"


def site_names(both: bool = True) -> list[str]:
    """Sites to test: the env one; else the fixture and the built site/ (or only the latter when
    ``both`` is false, for slow tests)."""
    if os.environ.get("EDITION_SITE"):
        return ["env"]
    return ["fixture", "site"] if both else ["site"]


@functools.lru_cache(maxsize=1)
def real_site() -> Path:
    """site/ built by the real pipeline (render + MkDocs + Pagefind) once per test run when needed: with
    pytest-xdist, one worker builds it while the others wait on the lock, then find the run's stamp."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid-{os.getpid()}")
    BUILD.mkdir(exist_ok=True)
    stamp = BUILD / "site-built-by-run"
    with open(BUILD / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = stamp.exists() and stamp.read_text() == run
        if not built and (os.environ.get("CI") == "true" or not (SITE / "index.html").exists()):
            from edition.build import build

            build()  # every interface: site/ and site/en/
            stamp.write_text(run)
    return SITE


def site_path(name: str, tmp_factory) -> Path:
    if name == "env":
        return Path(os.environ["EDITION_SITE"]).resolve()
    if name == "site":
        return real_site()
    out = tmp_factory.mktemp("minisite") / "site"
    build_site(FIXTURE_CONFIG, site_dir=out)
    return out


def render_skipped_content(page) -> None:
    """Render what a page leaves unrendered off screen (``content-visibility: auto``: the witness lines, the
    bibliography, the register's mention lists) before axe measures it: axe reads the colours and boxes of
    content never laid out as wrong (dequelabs/axe-core#2768), and a reader who scrolls there sees it rendered.
    Through the CSSOM: the page's content security policy refuses a <style>."""
    page.evaluate("""document.querySelectorAll('*').forEach(e => {
        if (getComputedStyle(e).contentVisibility === 'auto') e.style.contentVisibility = 'visible'; })""")
