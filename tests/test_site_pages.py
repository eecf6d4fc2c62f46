"""edition.outputs.site.site_pages: MkDocs run in-process with a page cache writes exactly what ``mkdocs build`` writes, cold
or warm, sees every edit, and still checks the links of the pages it takes from the cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from edition.errors import BuildError
from edition.outputs.site import site_pages
from edition.outputs.site.site import build_site
from edition.paths import ROOT

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

PAGES = {
    "index.md": "# Trang chủ\n\nXem [mục đích](b.md#muc-dich).\n",
    "b.md": "# Trang B\n\n## Mục đích {#muc-dich}\n\nĐoạn một.\n",
    "c.md": "# Trang C\n\nĐoạn hai.\n",
}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A three-page site on the edition's configuration and theme, with its own page cache."""
    monkeypatch.setattr(site_pages, "CACHE", tmp_path / "cache")
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, body in PAGES.items():
        (docs / name).write_text(body, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\nsite_dir: site\n"
                      f"theme:\n  custom_dir: {ROOT / 'theme'}\nnav:\n  - index.md\n  - b.md\n  - c.md\n",
                      encoding="utf-8")
    return config


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _cached(config: Path, kind: str) -> list[Path]:
    return sorted((site_pages.cache_for(config).folder / kind).glob("*"))


def test_cold_and_warm_builds_write_what_mkdocs_build_writes(project, monkeypatch):
    site = project.parent / "site"
    build_site(project)
    cold = _tree(site)
    assert len(_cached(project, "pages")) == len(_cached(project, "html")) == len(PAGES)

    def no_conversion(*args, **kwargs):
        raise AssertionError("a page was converted again")
    monkeypatch.setattr("edition.outputs.site.mkdocs_adapter.populate_page", no_conversion)
    monkeypatch.setattr("edition.outputs.site.mkdocs_adapter.build_page", no_conversion)
    build_site(project)  # warm: every page from the cache
    assert _tree(site) == cold

    reference = project.parent / "reference"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project), "-d", str(reference)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert _tree(reference) == {k: v for k, v in cold.items() if not k.startswith("pagefind/")}


def test_an_edit_and_a_new_title_reach_a_warm_build(project):
    site = project.parent / "site"
    build_site(project)
    (project.parent / "docs" / "c.md").write_text("# Trang C mới\n\nĐoạn hai, sửa.\n", encoding="utf-8")
    build_site(project)
    assert "Đoạn hai, sửa." in (site / "c.html").read_text(encoding="utf-8")
    assert "Trang C mới" in (site / "index.html").read_text(encoding="utf-8")  # the nav of an unchanged page
    assert len(_cached(project, "html")) == len(PAGES)  # what this build did not use is gone


def test_a_repeated_build_writes_only_what_changed_and_removes_what_it_no_longer_makes(project):
    """The site is left as ``mkdocs build --clean`` leaves it, without creating the files it already holds:
    a file whose bytes are there keeps its inode and time, an edited page is rewritten, a stale file and
    folder go; hidden files and the folders the build is told to keep (another interface's) stay."""
    site = project.parent / "site"
    build_site(project)
    cold = _tree(site)
    stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}
    (site / "stale").mkdir()
    (site / "stale" / "old.html").write_text("gone", encoding="utf-8")
    (site / "b.html").write_text("damaged", encoding="utf-8")
    for kept in (site / ".nojekyll", site / "en" / "index.html"):
        kept.parent.mkdir(exist_ok=True)
        kept.write_text("kept", encoding="utf-8")
    build_site(project, keep=("en",))
    assert {k: v for k, v in _tree(site).items() if k not in (".nojekyll", "en/index.html")} == cold
    assert (site / ".nojekyll").is_file() and (site / "en" / "index.html").is_file() and not (site / "stale").exists()
    same = [p for p, stamp in stamps.items() if (p.stat().st_ino, p.stat().st_mtime_ns) == stamp]
    rewritten = {p.relative_to(site).as_posix() for p in stamps if p not in same}
    assert rewritten == {"b.html", "404.html", "sitemap.xml", "sitemap.xml.gz"}  # and MkDocs' templates


def test_links_of_cached_pages_are_still_checked(project):
    build_site(project)
    (project.parent / "docs" / "b.md").write_text("# Trang B\n\nĐoạn một.\n", encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        build_site(project)  # index.md comes from the cache; its link to b.md#muc-dich is broken now
    assert Path(raised.value.path) == project.parent / "docs" / "index.md"
    assert raised.value.line == 3 and "#muc-dich" in raised.value.message
    assert not (project.parent / "site").exists()


def test_a_damaged_cache_entry_is_made_again(project):
    site = project.parent / "site"
    build_site(project)
    cold = _tree(site)
    for entry in _cached(project, "pages")[:1] + _cached(project, "html")[:1]:
        entry.write_bytes(entry.read_bytes()[:10])
    build_site(project)
    assert _tree(site) == cold


def test_a_build_with_warnings_keeps_no_cache(project):
    (project.parent / "docs" / "c.md").write_text("# Trang C\n\nXem [mục](missing.md).\n", encoding="utf-8")
    build_site(project, strict=False)
    assert _cached(project, "pages") == []


def _many_pages(config: Path, count: int = 12) -> None:
    """Enough pages for a cold build to share them between the cores (site_pages._each)."""
    docs = config.parent / "docs"
    for n in range(count):
        (docs / f"p{n:02d}.md").write_text(f"# Trang {n}\n\n## Mục {n} {{#muc-{n}}}\n\nXem [B](b.md#muc-dich).\n",
                                           encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8") + "".join(f"  - p{n:02d}.md\n" for n in range(count)),
                      encoding="utf-8")


def test_pages_shared_between_cores_write_what_mkdocs_build_writes(project):
    assert (os.cpu_count() or 1) >= 2, "the shared path needs two cores"
    _many_pages(project)
    build_site(project)
    reference = project.parent / "reference"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project), "-d", str(reference)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    built = {k: v for k, v in _tree(project.parent / "site").items() if not k.startswith("pagefind/")}
    assert built == _tree(reference)


@pytest.mark.parametrize("link", ["b.md#khong-co", "khong-co.md"])  # found after conversion; in a worker
def test_a_warning_in_a_shared_page_stops_the_build_with_its_line(project, link):
    _many_pages(project)
    page = project.parent / "docs" / "p07.md"
    page.write_text(page.read_text(encoding="utf-8").replace("b.md#muc-dich", link), encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        build_site(project)
    assert Path(raised.value.path) == page and raised.value.line == 5 and "khong-co" in raised.value.message


def test_the_theme_listing_without_hidden_folders_finds_the_static_files_mkdocs_finds(project):
    """_ThemeLoader skips Material's .icons when MkDocs lists the theme's static files: the same files result."""
    from jinja2 import FileSystemLoader
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config = load_config(config_file=str(project))

    def static_files(loader_class) -> list[str]:
        env = config.theme.get_env()
        env.loader = loader_class(env.loader.searchpath)
        files = Files([])
        files.add_files_from_theme(env, config)
        return sorted(f"{f.src_uri} {f.abs_src_path}" for f in files)

    ours = static_files(site_pages._ThemeLoader)
    assert len(ours) > 20 and any(name.startswith("assets/javascripts/bundle.") for name in ours)
    assert ours == static_files(FileSystemLoader)
