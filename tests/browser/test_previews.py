"""Previews in place (docs/assets/previews.js): a footnote marker, a citation, a register name and a
cross-reference open a preview by mouse, keyboard and touch, close with Esc, an outside tap or the close
button, lead through to the full note or page, have 24 px targets on a phone, and pass axe while open."""

from __future__ import annotations

import pytest
from test_accessibility import AXE, _violations
from test_reading import base_url, browser, expect, reader  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

NOTES = "hop-tac-quoc-phong-2012-2024/01-toan-van.html"
CHAPTER = "luan-an-1975-1991/03-chuong-2.html"
KINDS = [  # (page, link, text the preview shows, where its last link leads)
    (NOTES, "a.footnote-ref", "Bộ Quốc phòng", "#fn:1"),
    (CHAPTER, "a.cite", "Cục Lưu trữ Trung ương Đảng", "thu-muc/luan-an-1975-1991.html#luanan-ref-"),
    (CHAPTER, "a.reg-mention", "Đông Dương", "bang-tra/dong-duong.html"),
    (CHAPTER, "a.xref", "Phụ lục 6", "phu-luc/phu-luc-06.html"),
]


def _goto(page, url: str) -> None:
    if page.goto(url).status == 404:
        pytest.skip(f"{url} is not part of this site (development fixture)")


@pytest.fixture
def phone(browser, base_url):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


@pytest.mark.parametrize("path, selector, shows, leads", KINDS)
def test_preview_by_mouse(reader, base_url, path, selector, shows, leads):  # noqa: F811
    page, _ = reader
    _goto(page, base_url + path)
    link = page.locator(f"article {selector}").first
    link.hover()
    preview = page.locator(".edition-preview")
    expect(preview).to_contain_text(shows)
    expect(link).to_have_attribute("aria-expanded", "true")
    assert leads in preview.locator("a.edition-preview__more").get_attribute("href")
    preview.hover()  # the pointer may cross over to it
    page.wait_for_timeout(500)
    expect(preview).to_be_visible()
    page.mouse.move(5, 890)
    expect(preview).to_have_count(0)
    expect(link).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("path, selector, shows, leads", KINDS)
def test_preview_by_keyboard(reader, base_url, path, selector, shows, leads):  # noqa: F811
    page, _ = reader
    _goto(page, base_url + path)
    link = page.locator(f"article {selector}").first
    link.focus()  # no pointer used yet: a keyboard focus (:focus-visible)
    preview = page.locator(".edition-preview")
    expect(preview).to_contain_text(shows)
    assert preview.get_attribute("role") == "dialog"
    assert link.get_attribute("aria-controls") == preview.get_attribute("id")
    page.keyboard.press("Tab")  # from the link into the preview: its close button
    assert page.evaluate("document.activeElement.matches('.edition-preview__close')")
    page.keyboard.press("Escape")
    expect(preview).to_have_count(0)
    assert page.evaluate("s => document.activeElement.matches(s)", f"article {selector}")


@pytest.mark.parametrize("path, selector, shows, leads", KINDS)
def test_preview_by_touch(phone, base_url, path, selector, shows, leads):  # noqa: F811
    page = phone
    _goto(page, base_url + path)
    url = page.url
    link = page.locator(f"article {selector}").first
    link.scroll_into_view_if_needed()
    link.tap()
    preview = page.locator(".edition-preview")
    expect(preview).to_contain_text(shows)
    assert page.url == url  # the first tap opens the preview, it does not follow the link
    assert float(preview.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")) >= 16
    box = preview.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["width"] == 390  # a sheet along the bottom
    page.locator(".edition-preview__close").tap()
    expect(preview).to_have_count(0)
    link.tap()
    expect(preview).to_be_visible()
    page.touchscreen.tap(200, 120)  # outside
    expect(preview).to_have_count(0)


def test_a_register_preview_marks_the_description_as_the_entry_page_does(reader, base_url):  # noqa: F811
    """A name's description is the editor's: the preview says so with the entry page's own mark and words
    (they come with xem-truoc.json, not from the script), its basis linking the entry's list of mentions."""
    page, _ = reader
    _goto(page, base_url + CHAPTER)
    link = page.locator("article a.reg-mention").first
    link.hover()
    description = page.locator(".edition-preview .edition-preview__description")
    expect(description.locator(".ed-mark")).to_have_count(1)
    basis = description.locator("a").first
    entry = link.evaluate("a => a.href")
    assert basis.evaluate("a => a.href") == entry + "#nhac-den"
    shown, mark = " ".join(description.inner_text().split()), description.locator(".ed-mark").inner_text()
    page.goto(entry)
    on_page = page.locator("p.reg-description")
    assert " ".join(on_page.inner_text().split()) == shown  # the same words, mark and basis
    assert on_page.locator(".ed-mark").inner_text() == mark
    expect(page.locator("#nhac-den")).to_have_count(1)


def test_second_tap_follows_the_link(phone, base_url):  # noqa: F811
    page = phone
    _goto(page, base_url + CHAPTER)
    link = page.locator("article a.reg-mention").first
    link.scroll_into_view_if_needed()
    link.tap()
    expect(page.locator(".edition-preview")).to_be_visible()
    link.tap()
    page.wait_for_url("**/bang-tra/*.html")


@pytest.mark.parametrize("path", [NOTES, CHAPTER])
def test_targets_are_24_px_on_a_phone(phone, base_url, path):  # noqa: F811
    page = phone
    _goto(page, base_url + path)
    sizes = page.evaluate("""() => [...document.querySelectorAll(
        'article :is(a.footnote-ref, a.cite, a.reg-mention, a.xref, a.pb)')].map(a => {
          const r = a.getBoundingClientRect(); return [a.className, r.width, r.height]; })""")
    assert sizes
    small = [s for s in sizes if s[2] < 24 or (s[0] in ("footnote-ref", "xref") and s[1] < 24)]
    assert small == []
    if path == NOTES:
        note = page.locator(".footnote li").first
        assert float(note.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 16


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing (npm ci)")
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path, selector, shows, leads", KINDS)
def test_axe_with_a_preview_open(reader, base_url, path, selector, shows, leads, width):  # noqa: F811
    page, _ = reader
    page.set_viewport_size({"width": width, "height": 900})
    _goto(page, base_url + path)
    page.locator(f"article {selector}").first.focus()
    expect(page.locator(".edition-preview")).to_contain_text(shows)
    violations = _violations(page)
    assert violations == [], "\n".join(violations)
