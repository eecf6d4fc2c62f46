"""The English interface (issue 27): every page of the Vietnamese site exists under site/en/ with the same path
and the same anchors, speaks English around the texts (Vietnamese words only where they are marked with their
language: the texts, their titles, names and quotes, the editor's Vietnamese notes), and links its other-language
page both ways (hreflang alternates, the header's switch); the Vietnamese page is the canonical one."""

from __future__ import annotations

import os
import posixpath
import re
from functools import cache
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from browser.edition_sites import real_site

pytestmark = pytest.mark.slow
# Letters Vietnamese has and English does not (tone marks and the vowels with horn, breve or circumflex, đ).
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
# Attributes a reader or a screen reader is given as text (a title there is a page's name: data, like <title>).
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


@cache
def _pages(folder: str) -> dict[str, Path]:
    root = real_site() / folder if folder else real_site()
    skip = {"pagefind", "en"}
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.html"))
            if p.relative_to(root).parts[0] not in skip}


@cache
def _parse(path: Path):
    return lxml.html.parse(str(path)).getroot()


def _in_interface_language(el) -> bool:
    """True when the nearest ``lang`` of ``el`` is the page's own (<html lang>): its words are the interface's."""
    root = el.getroottree().getroot()
    for node in (el, *el.iterancestors()):
        if node.get("lang") is not None:
            return node.get("lang") == root.get("lang")
    return True


def vietnamese_interface_words(page) -> list[str]:
    """Text and shown attributes in the interface's language (no closer ``lang`` of another language) that hold
    Vietnamese letters. Page names in the document's <title> are titles (data), not interface."""
    found = []
    for el in page.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "title"):
            continue
        here = _in_interface_language(el)
        if here and el.text and VIETNAMESE.search(el.text):
            found.append(el.text)
        # not the prev/next links' labels (a page's name) nor a citation's (the cited work's reference): data in
        # an attribute, which cannot mark its language
        classes = set((el.get("class") or "").split())
        if here and not classes & {"md-footer__link", "cite"}:
            found += [f"{name}={el.get(name)}" for name in SHOWN_ATTRIBUTES if VIETNAMESE.search(el.get(name) or "")]
        parent = el.getparent()
        if el.tail and VIETNAMESE.search(el.tail) and parent is not None and _in_interface_language(parent):
            found.append(el.tail)
    return [" ".join(text.split())[:80] for text in found]


def test_every_page_has_its_english_page_at_the_same_path():
    vietnamese, english = _pages(""), _pages("en")
    assert len(vietnamese) > 300
    assert set(english) == set(vietnamese)
    for path in english:
        assert _parse(english[path]).get("lang") == "en", path
        assert _parse(vietnamese[path]).get("lang") == "vi", path


def test_english_pages_speak_english_around_the_texts():
    leaks = {path: words for path, file in _pages("en").items() if (words := vietnamese_interface_words(_parse(file)))}
    assert not leaks, f"{len(leaks)} pages, e.g. {next(iter(leaks.items()))}"


def test_the_scan_finds_an_unmarked_vietnamese_word():
    page = lxml.html.fromstring('<html lang="en"><body><p>Source text: <span lang="vi">Mở đầu</span> and '
                                'Nhật ký</p><a aria-label="Tiếp">x</a><p lang="vi">Chương 1</p>'
                                '<div lang="en"><p>Year: Không rõ</p></div></body></html>')
    assert vietnamese_interface_words(page) == ["and Nhật ký", "aria-label=Tiếp", "Year: Không rõ"]


def test_the_texts_keep_their_anchors_in_both_interfaces():
    vietnamese, english = _pages(""), _pages("en")
    for path, file in vietnamese.items():
        ids = set(_parse(file).xpath("//article//@id"))
        assert ids == set(_parse(english[path]).xpath("//article//@id")), path


def test_each_page_links_its_other_language_page_both_ways():
    """The header's switch leads to the same page path in the other interface (resolved from the site root:
    x.html and en/x.html), whatever the page's depth; an English page names its Vietnamese page, which citations
    name (edition-reference); no <link rel=alternate> (see theme/main.html)."""
    for folder, other in (("", "en"), ("en", "vi")):
        for path, file in _pages(folder).items():
            page = _parse(file)
            here = posixpath.dirname(posixpath.join(folder, path))
            switch = [(a.get("hreflang"), _resolved(here, a.get("href"))) for a in page.xpath("//a[@data-edition-interface]")]
            assert switch == [(other, path if folder else f"en/{path}")], path
            assert not page.xpath("//link[@rel='alternate']"), path
            reference = [_resolved(here, m.get("content")) for m in page.xpath("//meta[@name='edition-reference']")]
            assert reference == ([path] if folder else []), path


def _resolved(folder: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(folder, href))


INTERFACES = """
extra:
  interfaces:
    - {lang: vi, name: Tiếng Việt, switch: Tiếng Việt, current: false, root: "../", url: "https://example.org/ed/"}
    - {lang: en, name: English, switch: English, current: true, root: "", url: "https://example.org/ed/en/"}
"""


def test_a_published_english_page_is_canonical_in_vietnamese_and_its_sitemap_names_both(tmp_path, monkeypatch):
    """With SITE_URL: the canonical URL of an English page is its Vietnamese page's, and the sitemap gives every
    page's versions as hreflang alternates (absolute URLs)."""
    from edition.outputs.site.site import build_site
    from edition.paths import ROOT

    monkeypatch.setenv("SITE_URL", "https://example.org/ed/en/")
    # beside the fixture's configuration: MkDocs reads the relative paths it inherits from the inheriting file
    config = ROOT / "tests" / "fixtures" / "minisite" / f"english-{os.getpid()}.yml"
    config.write_text("INHERIT: mkdocs.yml\n" + INTERFACES, encoding="utf-8")
    try:
        build_site(config, site_dir=tmp_path / "site")
    finally:
        config.unlink()
    page = lxml.html.parse(str(tmp_path / "site" / "luan-an-1975-1991" / "03-chuong-2.html")).getroot()
    assert page.xpath("//link[@rel='canonical']/@href") == ["https://example.org/ed/luan-an-1975-1991/03-chuong-2.html"]
    sitemap = lxml.etree.parse(str(tmp_path / "site" / "sitemap.xml"))
    names = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    url = sitemap.xpath("//s:url[s:loc='https://example.org/ed/en/luan-an-1975-1991/03-chuong-2.html']", namespaces=names)
    assert [(a.get("hreflang"), a.get("href")) for a in url[0].xpath("x:link", namespaces=names)] == [
        ("vi", "https://example.org/ed/luan-an-1975-1991/03-chuong-2.html"),
        ("en", "https://example.org/ed/en/luan-an-1975-1991/03-chuong-2.html")]
