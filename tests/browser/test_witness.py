"""Bản nguồn in Chromium: the ¶ dialog of a paragraph, a heading and a page marker shows the witness lines
it comes from, each numbered and linked to its line on the witness page, with the logged interventions."""

from __future__ import annotations

from test_reading import base_url, browser, expect, reader  # noqa: F401  (shared fixtures)

CHAPTER = "luan-an-1975-1991/02-chuong-1.html"


def _dialog_lines(page, selector: str):
    page.locator(selector).first.click(force=True)
    lines = page.locator(".edition-cite__lines p")
    expect(lines.first).to_be_visible()
    return lines


def test_paragraph_dialog_shows_its_witness_lines(reader, base_url):  # noqa: F811
    page, _ = reader
    page.goto(base_url + CHAPTER)
    para = page.locator('[id="1-1-1-trong-nuoc-p4"]')
    first, last = map(int, para.get_attribute("data-lines").split("-"))
    lines = _dialog_lines(page, '[id="1-1-1-trong-nuoc-p4"] a.para-link')
    expect(lines).to_have_count(last - first + 1)
    expect(lines.first.locator("a.wl-n")).to_have_text(str(first))
    assert lines.first.locator("a.wl-n").get_attribute("href").endswith(f"ban-nguon-02-chuong-1.html#dong-{first}")
    # the page milestone inside this paragraph is marked with its change-log entry and its marker
    marks = page.locator(".edition-cite__lines a.wl-iv")
    assert any(h.endswith("thay-doi.html#nk-358-page-break") for h in marks.evaluate_all("l => l.map(a => a.href)"))
    # the witness page line leads back to the paragraph
    page.locator(".edition-cite__source > p > a").click()
    expect(page.locator(f'[id="dong-{first}"]')).to_be_visible()
    page.locator(f'[id="dong-{first}"] > a').click()
    expect(page).to_have_url(base_url + CHAPTER + "#1-1-1-trong-nuoc-p4")


def test_heading_and_page_marker_dialogs_show_their_line(reader, base_url):  # noqa: F811
    page, _ = reader
    page.goto(base_url + CHAPTER)
    heading = page.locator('[id="1-1-1"]')
    first = int(heading.get_attribute("data-lines").split("-")[0])
    lines = _dialog_lines(page, '[id="1-1-1"] a.headerlink')
    expect(lines.first.locator("a.wl-n")).to_have_text(str(first))
    page.keyboard.press("Escape")
    marker = page.locator('a.pb[id="tr-8"]')
    lines = _dialog_lines(page, 'a.pb[id="tr-8"]')
    expect(lines).to_have_count(1)
    expect(lines.first.locator("a.wl-n")).to_have_text(marker.get_attribute("data-line"))
