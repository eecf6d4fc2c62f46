"""The one module that uses MkDocs' private names. ``edition.outputs.site.site_pages`` runs ``mkdocs build``'s steps one by
one, so that a page whose inputs did not change comes from a cache; MkDocs 1.6 offers those steps (convert a
page, write a theme template, write a page) and a page's title from its first heading only as private names.

They may change in any release: MkDocs is pinned in pyproject.toml, another version stops the build here, and
tests/test_mkdocs_adapter.py fails when the names, signatures or attributes used below are not what they were.
"""

from __future__ import annotations

from importlib.metadata import version

from mkdocs.commands import build as _build

from ...errors import BuildError
from ...paths import ROOT

SUPPORTED = "1.6."  # the release line whose internals this module was written against


def check_version(installed: str) -> None:
    if not installed.startswith(SUPPORTED):
        raise BuildError(ROOT / "pyproject.toml", None,
                         f"MkDocs {installed} is installed, but the engine (edition/outputs/site/mkdocs_adapter.py) uses internals "
                         f"of MkDocs {SUPPORTED}x only: install the version pinned in pyproject.toml")


check_version(version("mkdocs"))


def populate_page(page, config, files) -> None:
    """Read and convert one page's Markdown (content, table of contents, title, anchors)."""
    _build._populate_page(page, config, files)


def build_theme_template(name: str, env, files, config, nav) -> None:
    """Write one of the theme's static templates (404.html, sitemap.xml …)."""
    _build._build_theme_template(name, env, files, config, nav)


def build_page(page, config, doc_files, nav, env, excluded: bool) -> None:
    """Render one converted page with the theme into the site folder."""
    _build._build_page(page, config, doc_files, nav, env, excluded=excluded)


def rendered_title(page) -> str | None:
    """The title taken from the page's first heading when it was converted (None: none there)."""
    return page._title_from_render


def set_rendered_title(page, title: str | None) -> None:
    """Restore that title on a page read from the cache instead of converted."""
    page._title_from_render = title
