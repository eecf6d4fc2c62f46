"""Reader journeys through the enrichments: citation → bibliography → back to the citing paragraph;
timeline filtered by one text → source passage → back to the event."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from test_reading import base_url, browser, expect, reader  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser


def test_thesis_citation_to_entry_and_back_to_paragraph(reader, base_url):  # noqa: F811
    page, _ = reader
    page.goto(base_url + "luan-an-1975-1991/02-chuong-1.html")
    cite = page.locator("article a.cite").first
    label = cite.inner_text()
    assert label.startswith("[") and label.endswith("]")
    cite.focus()
    assert "(" in cite.get_attribute("data-tip")  # formatted reference for the tooltip
    cite.click()
    key = urlsplit(page.url).fragment
    assert "/thu-muc/luan-an-1975-1991.html" in page.url and key.startswith("luanan-ref-")
    expect(page.locator(f"[id='{key}']")).to_be_in_viewport()
    page.locator(f"[id='{key}'] a[href*='index.html#{key}']").click()
    entry = page.locator(f"[id='{key}']")
    expect(entry).to_be_in_viewport()
    back = page.locator(f"[id='{key}'] ~ ul").first.locator("a").first
    href = back.get_attribute("href")
    back.click()
    pid = urlsplit(page.url).fragment
    assert "/luan-an-1975-1991/" in page.url and pid == href.split("#")[1] and "-p" in pid
    expect(page.locator(f"[id='{pid}']")).to_be_in_viewport()


def test_timeline_filter_by_text_then_passage_and_back(reader, base_url):  # noqa: F811
    """Index page: filter by one text → the event on its period page → its source passage → back."""
    page, _ = reader
    page.goto(base_url + "thoi-gian-bieu/index.html")
    page.locator("details.tl-filters > summary").click()
    form = page.locator("#tl-filters")
    expect(form).to_be_visible()
    events = page.locator("li[data-texts]")
    total = events.count()
    assert total >= 60
    for box in form.locator("input[name='text']").all():
        if box.get_attribute("value") != "achievements-1975-1991":
            box.uncheck()
    visible = page.locator("li[data-texts]:visible")
    assert 5 <= visible.count() < total
    assert all("achievements-1975-1991" in v.get_attribute("data-texts") for v in visible.all())
    event_id = visible.first.get_attribute("id")
    visible.first.locator("a").click()
    assert "/thoi-gian-bieu/" in page.url and not page.url.split("#")[0].endswith("/index.html")
    event = page.locator(f"[id='{event_id}']")
    expect(event).to_be_in_viewport()
    link = event.locator("a[href*='achievements-1975-1991/']").first
    link.click()
    pid = urlsplit(page.url).fragment
    assert "/achievements-1975-1991/" in page.url and pid
    paragraph = page.locator(f"[id='{pid}']")
    expect(paragraph).to_be_in_viewport()
    paragraph.locator(f"a.tl-backlink[href$='#{event_id}']").click()
    assert "/thoi-gian-bieu/" in page.url and urlsplit(page.url).fragment == event_id
    expect(page.locator(f"[id='{event_id}']")).to_be_in_viewport()


def test_old_event_links_on_the_index_reach_the_event(reader, base_url):  # noqa: F811
    """Event ids published on the one-page timeline keep working: the index forwards to the period page."""
    page, _ = reader
    page.goto(base_url + "thoi-gian-bieu/index.html#hiep-uoc-huu-nghi-hop-tac-1978")
    page.wait_for_url("**/thoi-gian-bieu/1975-1986.html#hiep-uoc-huu-nghi-hop-tac-1978")
    event = page.locator("li.tl-event[id='hiep-uoc-huu-nghi-hop-tac-1978']")
    expect(event).to_be_in_viewport()
    expect(event.locator("ul.tl-sources a").first).to_be_visible()


def test_timeline_without_javascript_hides_the_dead_filters(browser, base_url):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "thoi-gian-bieu/index.html")
    expect(page.locator("details.tl-filters")).to_be_hidden()  # the theme's <noscript> style
    expect(page.locator("li.tl-event").first).to_be_visible()
    page.goto(base_url + "thoi-gian-bieu/index.html#hiep-uoc-huu-nghi-hop-tac-1978")
    expect(page.locator("[id='hiep-uoc-huu-nghi-hop-tac-1978']")).to_be_in_viewport()
    context.close()
