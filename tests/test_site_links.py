"""The built site: every internal link and #fragment resolves; the theme's markup; site.build_site errors.

Runs on the development fixture and, once built, on the real site/ (see browser/edition_sites.py).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser.edition_sites import FIXTURE_CONFIG, site_names, site_path
from edition.errors import BuildError
from edition.outputs.site.site import build_site
from edition.paths import ROOT

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

LINKING_TAGS = {"a", "area", "link", "script", "img", "iframe", "source", "audio", "video"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, int]] = []
        self.base: str | None = None
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "base" and a.get("href"):
            self.base = a["href"]
        if tag in LINKING_TAGS:
            for attr in ("href", "src"):
                if a.get(attr) is not None:
                    self.refs.append((a[attr], self.getpos()[0]))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    """``file:line: problem`` for each relative href/src that misses its file or #fragment.

    Links to other hosts are not followed; a root-absolute link ("/x") is an error because it breaks
    the site under a sub-path or from file://. A page's <base href> (the 404 page) means the site root.
    """
    site = site.resolve()
    pages: dict[Path, _Page] = {p.resolve(): _parse(p) for p in site.rglob("*.html")}
    problems: list[str] = []
    for page_path, page in sorted(pages.items()):
        base_dir = site if page.base else page_path.parent
        for value, line in page.refs:
            where = f"{page_path.relative_to(site)}:{line}"
            url = urlsplit(value)
            if url.scheme or url.netloc:
                continue
            if url.path.startswith("/"):
                problems.append(f"{where}: root-absolute link {value!r}")
                continue
            path = unquote(url.path)
            if path:
                target = (base_dir / path).resolve()
            else:
                target = site / "index.html" if page.base else page_path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(site):
                problems.append(f"{where}: {value!r} points outside the site")
            elif not target.is_file():
                problems.append(f"{where}: {value!r}: no file {target.relative_to(site)}")
            elif url.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(url.fragment) not in ids:
                    problems.append(f"{where}: {value!r}: no id {url.fragment!r} in {target.relative_to(site)}")
    return problems


@pytest.fixture(scope="module", params=site_names())
def site(request, tmp_path_factory) -> Path:
    return site_path(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return site_path("fixture", tmp_path_factory)


def test_every_internal_link_and_fragment_resolves(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 4
    assert broken_links(site) == []


def test_search_bundle_is_one_vietnamese_index(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["vi"]
    assert entry["languages"]["vi"]["page_count"] >= 3


def test_checker_reports_missing_files_fragments_and_absolute_links(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<p id="top">x</p>\n<a href="sub/a.html#here">ok</a>\n<a href="sub/a.html#gone">bad</a>\n'
        '<a href="missing.html">bad</a>\n<a href="/sub/a.html">bad</a>\n<a href="#top">ok</a>\n'
        '<a href="https://example.org/x">external</a>\n<script src="../up.js"></script>\n'
    )
    (tmp_path / "sub" / "a.html").write_text('<h2 id="here">h</h2><a href="../index.html#top">ok</a>')
    problems = broken_links(tmp_path)
    assert problems == [
        "index.html:3: 'sub/a.html#gone': no id 'gone' in sub/a.html",
        "index.html:4: 'missing.html': no file missing.html",
        "index.html:5: root-absolute link '/sub/a.html'",
        "index.html:8: '../up.js' points outside the site",
    ]


def _page(site: Path, name: str) -> _Page:
    return _parse(site / name)


def test_head_carries_citation_tags_and_json_ld(fixture_site):
    page = _page(fixture_site, "achievements-1975-1991/01-bai-viet.html")
    metas = [(a.get("name"), a.get("content")) for tag, a in page.tags if tag == "meta" and a.get("name")]
    author = metas.index(("citation_author", "Nguyen, Thi Phuc"))  # family, given
    assert metas[author + 1] == ("citation_author_institution", "University of Labour and Social Affairs, Vietnam")
    assert ("citation_title", "Achievements in Relations between Vietnam and the Soviet Union (1975-1991)") in metas
    thesis = (fixture_site / "luan-an-1975-1991" / "03-chuong-2.html").read_text(encoding="utf-8")
    keywords = [a["content"] for tag, a in _parse(fixture_site / "luan-an-1975-1991/03-chuong-2.html").tags
                if tag == "meta" and a.get("name") == "citation_keywords"]
    assert keywords == ["Liên Xô", "Việt Nam"]  # one tag per pair, in order
    ld = thesis.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(ld)["@type"] == "Thesis"
    data = [a["content"] for tag, a in _parse(fixture_site / "luan-an-1975-1991/03-chuong-2.html").tags
            if tag == "meta" and a.get("name") == "edition-cite"]
    assert json.loads(data[0])["styles"][0]["intext"]["page"].endswith("tr. {loc})")


def test_content_language_and_search_body(fixture_site):
    english = _page(fixture_site, "achievements-1975-1991/01-bai-viet.html")
    html_lang = [a["lang"] for tag, a in english.tags if tag == "html"]
    bodies = [a for tag, a in english.tags if "data-pagefind-body" in a]
    assert html_lang == ["vi"]  # the interface is Vietnamese …
    assert len(bodies) == 1 and bodies[0]["lang"] == "en"  # … the text is English
    not_found = (fixture_site / "404.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in not_found  # never a search result
    assert "<h1>Không tìm thấy trang</h1>" in not_found


def test_nothing_is_loaded_from_other_hosts(fixture_site):
    for path in fixture_site.rglob("*.html"):
        page = _parse(path)
        for tag, a in page.tags:
            loads = a.get("src") if tag in {"script", "img", "iframe", "source"} else None
            if tag == "link" and a.get("rel") in {"stylesheet", "icon", "preconnect", "preload"}:
                loads = a.get("href")
            if loads:
                assert not urlsplit(loads).netloc and not urlsplit(loads).scheme, f"{path}: {loads}"
    css = "".join(p.read_text() for p in (fixture_site / "assets").glob("*.css"))
    assert "@import" not in css and "url(http" not in css


def test_print_stylesheet_hides_chrome_and_permalinks(fixture_site):
    page = _page(fixture_site, "luan-an-1975-1991/03-chuong-2.html")
    prints = [a["href"] for tag, a in page.tags if tag == "link" and a.get("media") == "print"]
    assert prints == ["../assets/print.css"]
    css = (fixture_site / "assets" / "print.css").read_text()
    for selector in (".md-header", ".md-sidebar", ".md-search", ".headerlink", ".para-link"):
        assert selector in css


def test_published_build_anchors_404_page_and_canonical_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://example.org/edition")
    build_site(FIXTURE_CONFIG, site_dir=tmp_path / "site")
    not_found = _page(tmp_path / "site", "404.html")
    assert [a["href"] for tag, a in not_found.tags if tag == "base"] == ["https://example.org/edition/"]
    chapter = _page(tmp_path / "site", "luan-an-1975-1991/03-chuong-2.html")
    canonical = [a["href"] for tag, a in chapter.tags if tag == "link" and a.get("rel") == "canonical"]
    assert canonical == ["https://example.org/edition/luan-an-1975-1991/03-chuong-2.html"]
    assert broken_links(tmp_path / "site") == []


def _broken_project(tmp_path: Path, body: str) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(body, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\nsite_dir: site\n"
        f"theme:\n  custom_dir: {ROOT / 'theme'}\nnav:\n  - index.md\n",
        encoding="utf-8",
    )
    return config


def test_build_stops_on_a_broken_link_with_file_and_line(tmp_path):
    config = _broken_project(tmp_path, "# Trang\n\nĐoạn một.\n\nXem [mục](missing.md#2-1).\n")
    with pytest.raises(BuildError) as raised:
        build_site(config)
    error = raised.value
    assert Path(error.path) == tmp_path / "docs" / "index.md"
    assert error.line == 5
    assert "missing.md" in error.message and "\n" not in str(error)


def test_build_stops_on_a_missing_anchor(tmp_path):
    config = _broken_project(tmp_path, "# Trang {#trang}\n\nXem [đoạn](#2-1-p9).\n")
    with pytest.raises(BuildError) as raised:
        build_site(config)
    assert raised.value.line == 3 and "#2-1-p9" in raised.value.message


def test_non_strict_build_tolerates_warnings(tmp_path):
    config = _broken_project(tmp_path, "# Trang\n\nXem [mục](missing.md).\n")
    build_site(config, strict=False)
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").is_file()

