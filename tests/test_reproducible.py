"""The whole pipeline (``edition build``) on scratch copies: two builds give byte-identical sites, and
hostile corpus text is shown as text, never run as HTML, Jinja, attribute list or link."""

from __future__ import annotations

import gzip
import html
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.test_robustness import run_edition, scratch_repo

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

CHAPTER = "viet-xo-nga-70-nam/01-toan-van"
HOSTILE = ("Đoạn thử nghiệm <script>alert(1)</script> và {{ x }} cùng {% x %} rồi [^x] giữa {#id} "
           "và [a](javascript:alert(1)) hết đoạn.")
# Each mkdocs build stamps today's date into the sitemap; the rest must not depend on time or place.
SITEMAPS = {"sitemap.xml", "sitemap.xml.gz"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """Three full builds in parallel: two of the same tree (at different paths) and one with hostile text."""
    roots = {name: scratch_repo(tmp_path_factory.mktemp(name)) for name in ("first", "second", "hostile")}
    chapter = roots["hostile"] / "corpus" / f"{CHAPTER}.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{HOSTILE}\n", encoding="utf-8")
    with ThreadPoolExecutor(max_workers=3) as pool:
        # The hostile text is not in the witness: only a draft build accepts it (and stamps every page).
        runs = {name: pool.submit(run_edition, root, "build", *(["--draft"] if name == "hostile" else []))
                for name, root in roots.items()}
        for name, run in runs.items():
            result = run.result()
            assert result.returncode == 0 and "Traceback" not in result.stderr, f"{name}: {result.stderr}"
    return {name: root / "site" for name, root in roots.items()}


def test_a_draft_build_stamps_every_page(builds):
    site = builds["hostile"]
    pages = list(site.rglob("*.html"))

    def stamp(page: Path) -> str:  # the stamp's word in the page's interface (site/en/: English)
        return "Draft" if page.relative_to(site).parts[0] == "en" else "Bản nháp"
    assert any(p.relative_to(site).parts[0] == "en" for p in pages)
    assert pages and all(stamp(p) in p.read_text(encoding="utf-8") for p in pages if p.name != "404.html")
    assert not any("Bản nháp" in p.read_text(encoding="utf-8") or "<strong>Draft</strong>" in p.read_text(encoding="utf-8")
                   for p in builds["first"].rglob("*.html"))


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(builds):
    first, second = _files(builds["first"]), _files(builds["second"])
    assert first.keys() == second.keys()
    assert sum(name.endswith(".html") for name in first) > 20
    assert any(name.startswith("pagefind/index/") for name in first)
    different = sorted(name for name in first if first[name] != second[name] and name not in SITEMAPS)
    assert different == []  # HTML, assets and the Pagefind bundle alike
    strip = re.compile(rb"<lastmod>[^<]*</lastmod>")
    assert strip.sub(b"", gzip.decompress(first["sitemap.xml.gz"])) == strip.sub(b"", gzip.decompress(second["sitemap.xml.gz"]))


def test_no_build_path_leaks_into_the_site(builds):
    for site in (builds["first"], builds["second"]):
        root = str(site.parent).encode()
        assert [name for name, data in _files(site).items() if root in data] == []


def test_hostile_text_is_shown_literally(builds):
    page = (builds["hostile"] / f"{CHAPTER}.html").read_text(encoding="utf-8")
    paragraph = next(p for p in re.findall(r"<p[ >].*?</p>", page, flags=re.S) if "Đoạn thử nghiệm" in p)
    shown = html.unescape(re.sub(r"<[^>]+>", "", paragraph))
    assert "<script>alert(1)</script>" in shown
    assert "{{ x }}" in shown and "{% x %}" in shown
    assert "[^x]" in shown and "{#id}" in shown
    assert "[a](javascript:alert(1))" in shown
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page.lower()
    assert 'id="id"' not in page
    assert 'class="footnote' not in paragraph
    # The rest of the chapter still renders: its sections and the search index are there.
    assert 'id="phan-2-a-iv"' in page
    assert (builds["hostile"] / "pagefind" / "pagefind-entry.json").exists()
