"""Where a link lands and what a reader sees there (issue 24): the contents mark the entry that was clicked,
the back-to-top button leaves a landed heading clear, the timeline's whole filter bar opens it, a wide table
pins its first column and shows that it scrolls, the chapter's verbatim appendix blocks link their rebuilt
tables under reader labels, and print drops paragraph ids and name underlines."""

from __future__ import annotations

import pytest
from test_previews import _goto, phone  # noqa: F401  (shared fixtures)
from test_reading import base_url, browser, expect, reader  # noqa: F401

pytestmark = pytest.mark.browser

CHAPTER = "luan-an-1975-1991/03-chuong-2.html"
SUBHEAD = "2-1-1-tinh-hinh-lien-xo-ve-kinh-te"  # "Về kinh tế", followed by "Về chính trị - xã hội"
APPENDIX = "luan-an-1975-1991/07-phu-luc-1-11.html"
WIDE = "phu-luc/phu-luc-06.html"


def _box(page, selector: str) -> dict:
    return page.evaluate(f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect(); "
                         "return {top: r.top, bottom: r.bottom, left: r.left}; })()")


def test_the_clicked_contents_entry_is_active(reader, base_url):  # noqa: F811
    page, _ = reader
    _goto(page, base_url + CHAPTER)
    page.locator(f'.md-sidebar--secondary a.md-nav__link[href="#{SUBHEAD}"]').click()
    page.wait_for_timeout(800)
    active = page.locator(".md-sidebar--secondary a.md-nav__link--active")
    expect(active).to_have_count(1)
    expect(active).to_have_attribute("href", f"#{SUBHEAD}")


def test_back_to_top_leaves_the_landed_heading_clear(reader, base_url):  # noqa: F811
    page, _ = reader
    _goto(page, base_url + CHAPTER + "#2-2-1")
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -600)  # scrolling up shows the button
    page.wait_for_timeout(500)
    button = page.locator(".md-top")
    expect(button).to_be_visible()
    heading, top = _box(page, "[id='2-2-1']"), _box(page, ".md-top")
    assert top["top"] > heading["bottom"], (heading, top)
    assert top["top"] > 600  # at the bottom of the window, not where headings land


@pytest.mark.parametrize("where", ["count", "middle"])
def test_the_whole_filter_bar_opens_the_timeline_filters(phone, base_url, where):  # noqa: F811
    _goto(phone, base_url + "thoi-gian-bieu/1975-1986.html")
    summary = phone.locator("details.tl-filters > summary")
    summary.scroll_into_view_if_needed()
    box = (phone.locator(".tl-count") if where == "count" else summary).bounding_box()
    phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(phone.locator("details.tl-filters")).to_have_js_property("open", True)


def test_a_wide_table_pins_its_first_column_and_shows_it_scrolls(phone, base_url):  # noqa: F811
    _goto(phone, base_url + WIDE)
    wrap = phone.locator(".md-typeset__scrollwrap").first
    wrap.scroll_into_view_if_needed()
    expect(wrap).to_have_attribute("data-more", "end")
    assert phone.evaluate("getComputedStyle(document.querySelector('.md-typeset__scrollwrap')).maskImage") != "none"
    first = "article .md-typeset__scrollwrap tbody tr > :first-child"
    left = _box(phone, first)["left"]
    wrap.evaluate("w => { w.scrollLeft = 200; }")
    expect(wrap).to_have_attribute("data-more", "start end")
    # the content moved 200 px; the first column stopped at the wrapper's edge
    assert abs(_box(phone, first)["left"] - _box(phone, ".md-typeset__scrollwrap")["left"]) < 1
    assert left - _box(phone, first)["left"] < 20
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    expect(wrap).to_have_attribute("data-more", "start")


@pytest.mark.parametrize("width", [390, 1280])
def test_verbatim_blocks_link_their_tables(browser, base_url, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 844})
    _goto(page, base_url + APPENDIX)
    links = page.locator("article p.verbatim-table a")
    expect(links).to_have_count(11)
    for n in (1, 11):
        link = page.locator(f"article p.verbatim-table a[href$='phu-luc/phu-luc-{n:02d}.html']")
        expect(link).to_contain_text(f"Phụ lục {n}.")
        # the link sits right before the block it names, which stays the witness's layout
        assert link.evaluate("a => a.parentElement.nextElementSibling.matches('.highlight, div')")
    page.locator("article p.verbatim-table a").first.click()
    expect(page.locator("article table").first).to_be_visible()
    witness = page.locator("article a[href$='07-phu-luc-1-11.html#phu-luc-1']").first
    expect(witness).to_have_text("bản nguồn, dòng 9896–9938")
    assert "000_" not in page.locator("article").inner_text()
    page.close()


def test_reader_pages_show_no_internal_names(browser, base_url):  # noqa: F811
    page = browser.new_page()
    _goto(page, base_url + "hop-tac-quoc-phong-2012-2024/01-toan-van.html")
    byline = page.locator("article p.byline").first
    assert "^(" not in byline.inner_text()
    expect(byline.locator("sup.note-mark")).to_have_text("(*)")
    page.close()


def test_print_drops_paragraph_ids_and_name_underlines(reader, base_url):  # noqa: F811
    page, _ = reader
    _goto(page, base_url + CHAPTER)
    page.emulate_media(media="print")
    expect(page.locator("article .para > a.para-link").first).to_be_hidden()
    style = page.evaluate("getComputedStyle(document.querySelector('article a.reg-mention')).textDecorationLine")
    assert style == "none"
