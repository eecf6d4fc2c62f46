"""A reader in headless Chromium: home page → thesis chapter → permalinks → search, all offline.

Uses Debian's /usr/bin/chromium (never a downloaded browser). Skipped when it is absent, except in CI
(CI=true), where its absence is a failure. The site is served on 127.0.0.1 under a sub-path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from edition_sites import serve, site_names, site_path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.browser

if not os.access(CHROMIUM, os.X_OK):  # missing, or not a program
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI (apt-get install chromium)", pytrace=False)
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
# How long an assertion waits for the page to get there (Playwright's default is 5 s): with both test workers
# driving Chromium on a busy 2-core host, the 430 KB bibliography took longer to reach its entry in CI. A page
# that is right passes as soon as it is; only a wrong one waits the whole time.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=site_names(both=False))
def base_url(request, tmp_path_factory):
    with serve(site_path(request.param, tmp_path_factory)) as url:
        yield url


@pytest.fixture
def reader(browser, base_url):
    """A page plus every URL it requested (workers included: recorded on the context)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/").rsplit("/", 1)[0])
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, requested
    context.close()
    assert errors == [], errors
    outside = [url for url in requested if urlsplit(url).hostname != "127.0.0.1"]
    assert outside == [], f"requests left localhost: {outside}"


def _open_thesis_chapter(page, base_url: str) -> None:
    page.goto(base_url)
    page.locator("article a[href*='luan-an-1975-1991/']").first.click()
    page.wait_for_load_state("load")
    if page.locator("article p.para").count() == 0:  # the text's landing page: on to a chapter
        page.locator("article a[href*='chuong-']:not([href*='ban-nguon'])").first.click()  # a chapter, not its witness
        page.wait_for_load_state("load")
    assert "/luan-an-1975-1991/" in page.url
    expect(page.locator("article p.para").first).to_be_visible()


def test_reach_a_chapter_and_follow_a_section_permalink(reader, base_url):
    page, requested = reader
    _open_thesis_chapter(page, base_url)
    assert not any("/pagefind/" in url for url in requested), "search index loaded before any search"

    heading = page.locator("article h2[id], article h3[id]").nth(0)
    section_id = heading.get_attribute("id")
    heading.locator("a.headerlink").click()
    assert urlsplit(page.url).fragment == section_id
    expect(heading).to_be_in_viewport()

    dialog = page.get_by_role("dialog", name="Liên kết cố định")
    expect(dialog).to_be_visible()
    link = dialog.get_by_label("Liên kết", exact=True)
    expect(link).to_have_value(page.url)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url
    apa = dialog.get_by_label("APA 7", exact=True).input_value()
    assert apa.startswith("[Đảng lãnh đạo quan hệ của Việt Nam với Liên Xô từ năm 1975 đến năm 1991]. (n.d.).")
    assert page.url in apa  # the reference points at the permalink, fragment included
    numbered = re.fullmatch(r"\d+(?:-\d+)*", section_id)
    position = dialog.get_by_label("Vị trí").input_value()
    if numbered:
        assert f"§{section_id.replace('-', '.')}" in position
        pages = re.search(r"n\.d\., (pp?)\. (\d+)(–\d+)?\)$", apa)  # printed pages when the corpus has them
        assert (pages[1] == "pp") == bool(pages[3]) if pages else apa.endswith(
            f"Section {section_id.replace('-', '.')})")
    expect(dialog.get_by_role("button", name="Sao chép APA 7")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


def test_paragraph_permalink_by_keyboard(reader, base_url):
    page, _ = reader
    _open_thesis_chapter(page, base_url)
    paragraph = page.locator("article p.para[id]").nth(1)
    pilcrow = paragraph.locator("a.para-link")
    expect(pilcrow).to_have_css("opacity", "0")
    expect(pilcrow).to_have_attribute("aria-label", re.compile("Liên kết cố định"))
    pilcrow.focus()
    expect(pilcrow).to_have_css("opacity", "1")
    page.keyboard.press("Enter")
    paragraph_id = paragraph.get_attribute("id")
    assert urlsplit(page.url).fragment == paragraph_id
    dialog = page.get_by_role("dialog", name="Liên kết cố định")
    expect(dialog).to_be_visible()
    position = dialog.get_by_label("Vị trí").input_value()
    assert f"¶{paragraph_id.rsplit('-p', 1)[1]}" in position
    vn = dialog.get_by_label("Kiểu Việt Nam", exact=True).input_value()
    assert vn.startswith("[Đảng lãnh đạo quan hệ của Việt Nam với Liên Xô từ năm 1975 đến năm 1991] (không rõ năm)")
    assert page.url in vn and "truy cập ngày" in vn
    bibtex = dialog.get_by_role("link", name="BibTeX")
    assert bibtex.get_attribute("href") == "../tai-ve/luan-an-1975-1991.bib"
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(pilcrow).to_be_focused()


@pytest.mark.parametrize("query", ["lien xo", "hiep uoc"])
def test_search_without_diacritics_deep_links_to_a_section(reader, base_url, query):
    page, requested = reader
    page.goto(base_url)
    page.keyboard.press("/")  # Material's shortcut opens the search box
    expect(page.locator("[data-edition-search-query]")).to_be_focused()
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item:not(.edition-search__more)")
    expect(results.first).to_be_visible(timeout=10_000)
    assert any("/pagefind/" in url for url in requested)
    marks = page.locator(".md-search-result mark").all_inner_texts()
    folded = {m.lower().strip(" .,;:") for m in marks}
    assert folded & {"liên", "xô", "hiệp", "ước"}, marks
    more = page.locator(".edition-search__more button")
    if more.count():  # results come five at a time
        assert results.count() == 5
        more.click()
        expect(results.nth(5)).to_be_visible()
    section = page.locator(".md-search-result__link[href*='#']").first
    href = section.get_attribute("href")
    section.click()
    page.wait_for_load_state("load")
    fragment = urlsplit(href).fragment
    assert urlsplit(page.url).fragment == fragment
    expect(page.locator(f"[id='{fragment}']")).to_be_in_viewport()


def test_chapter_prints_without_site_chrome(reader, base_url):
    page, _ = reader
    _open_thesis_chapter(page, base_url)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", "a.headerlink"):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator("article p.para").first).to_be_visible()


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory):
    with serve(site_path("fixture", tmp_path_factory)) as url:
        yield url


def test_citation_from_highwire_tags_on_an_english_page(browser, fixture_url):
    """Without the renderer's citation data the line is built from citation_* tags."""
    page = browser.new_page()
    page.goto(fixture_url + "achievements-1975-1991/01-bai-viet.html")
    expect(page.locator(".edition-page")).to_have_attribute("lang", "en")
    page.locator("[id='2-1-p2'] a.para-link").click()
    citation = page.get_by_role("dialog").get_by_label("Trích dẫn").input_value()
    title = "Achievements in Relations between Vietnam and the Soviet Union (1975-1991)"
    assert citation == f"Nguyen, Thi Phuc, {title}, §2.1 ¶2, {fixture_url}achievements-1975-1991/01-bai-viet.html#2-1-p2"
    page.close()


def test_paragraph_citation_gives_the_printed_pages(browser, fixture_url):
    """A paragraph with data-pages (printed pages, corpus issue 11) is cited at its page; its neighbour
    without them at its section; the starred sub-head is named without the source's asterisk."""
    page = browser.new_page()
    page.goto(fixture_url + "luan-an-1975-1991/03-chuong-2.html")
    page.locator("[id='2-1-1-the-gioi-p2'] a.para-link").click()
    dialog = page.get_by_role("dialog")
    vn = dialog.get_by_label("Kiểu Việt Nam", exact=True).input_value()
    assert vn.endswith("([Đảng lãnh đạo], không rõ năm, tr. 46–47)")
    assert f"{fixture_url}luan-an-1975-1991/03-chuong-2.html#2-1-1-the-gioi-p2" in vn
    position = dialog.get_by_label("Vị trí").input_value()
    assert position == "Chương 2 · §2.1.1, Tình hình thế giới ¶2 · tr. 46–47"
    page.keyboard.press("Escape")
    page.locator("[id='2-1-1-the-gioi-p3'] a.para-link").click()
    vn = page.get_by_role("dialog").get_by_label("Kiểu Việt Nam", exact=True).input_value()
    assert vn.endswith("([Đảng lãnh đạo], không rõ năm, mục 2.1.1)")
    page.close()


def _clipboard_after(page, scope, name: str) -> str:
    page.evaluate("navigator.clipboard.writeText('')")
    scope.get_by_role("button", name=name).click()
    expect(scope.locator(".edition-cite__status")).to_have_text("Đã sao chép trích dẫn.")
    return page.evaluate("navigator.clipboard.readText()")


def test_dialog_copies_every_style_and_record(reader, base_url):
    """The ¶ dialog: actions first and inside the viewport; BibTeX, RIS and CSL-JSON copied at the permalink."""
    page, _ = reader
    page.goto(base_url + "luan-an-1975-1991/03-chuong-2.html")
    paragraph = page.locator("article p.para[data-pages]").nth(3)
    paragraph.hover()
    paragraph.locator("a.para-link").click()
    dialog = page.locator(".edition-cite")
    expect(dialog).to_be_visible()
    permalink = dialog.locator("input").input_value()
    assert permalink.endswith("#" + paragraph.get_attribute("id"))
    box = dialog.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900
    for name in ("Sao chép liên kết", "Đóng"):
        expect(dialog.get_by_role("button", name=name, exact=True)).to_be_in_viewport()
    bibtex = _clipboard_after(page, dialog, "Sao chép BibTeX")
    assert bibtex.startswith("@phdthesis{luan-an-1975-1991,")
    assert f"url = {{{permalink}}}" in bibtex and "urldate = {" in bibtex and "language = {vi}" in bibtex
    assert "phiên bản" in bibtex  # the edition's version
    ris = _clipboard_after(page, dialog, "Sao chép RIS")
    assert f"UR  - {permalink}" in ris and "LA  - vi" in ris and ris.startswith("TY  - THES")
    import json
    item = json.loads(_clipboard_after(page, dialog, "Sao chép CSL-JSON"))[0]
    assert item["URL"] == permalink and item["language"] == "vi" and item["accessed"]["date-parts"]
    apa = _clipboard_after(page, dialog, "Sao chép APA 7")
    assert permalink in apa.splitlines()[0] and re.search(r"pp?\. \d", apa.splitlines()[-1])


def test_page_marker_cites_its_page(reader, base_url):
    page, _ = reader
    page.goto(base_url + "luan-an-1975-1991/03-chuong-2.html")
    marker = page.locator("article a.pb[data-page]").nth(1)
    number = marker.get_attribute("data-page")
    marker.click()
    dialog = page.locator(".edition-cite")
    expect(dialog).to_be_visible()
    assert dialog.locator("input").input_value().endswith(f"#tr-{number}")
    expect(dialog.locator("textarea").first).to_have_value(re.compile(rf"tr\. {number}$"))


def test_citation_box_copies(reader, base_url):
    page, _ = reader
    page.goto(base_url + "luan-an-1975-1991/03-chuong-2.html")
    box = page.locator("details.edition-citebox")
    box.locator("summary").click()
    ris = _clipboard_after(page, box, "Sao chép RIS")
    assert re.search(r"^UR  - http://127\.0\.0\.1:\d+/.*luan-an-1975-1991/03-chuong-2\.html$", ris, re.M)
