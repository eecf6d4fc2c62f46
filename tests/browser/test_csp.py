"""The Content-Security-Policy in headless Chromium: every page type, with its features used, reports 0
violations (``securitypolicyviolation`` events and console reports), and the features still work: colour
scheme toggle remembered across pages (Material's moved inline scripts), reading settings, search
(Pagefind's WebAssembly), permalink dialog, citation tooltip, timeline filters, drawer."""

from __future__ import annotations

import pytest
from test_reading import base_url, browser, expect  # noqa: F401  (shared fixtures)

# Recorded from the first byte of every document (before the page's own scripts run).
RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
}, true);
"""

PAGES = {
    "home": "index.html",
    "text landing": "luan-an-1975-1991/index.html",
    "chapter": "luan-an-1975-1991/03-chuong-2.html",
    "English article": "achievements-1975-1991/01-full-text.html",
    "change log": "luan-an-1975-1991/thay-doi.html",
    "witness (Bản nguồn)": "luan-an-1975-1991/ban-nguon-03-chuong-2.html",
    "witness of a one-chapter text": "hop-tac-quoc-phong-2012-2024/ban-nguon.html",
    "bibliography": "thu-muc/index.html",
    "bibliography of a text": "thu-muc/luan-an-1975-1991.html",
    "timeline": "thoi-gian-bieu/index.html",
    "appendix tables": "phu-luc/index.html",
    "appendix table with chart": "phu-luc/phu-luc-01.html",
    "about": "gioi-thieu.html",
    "404": "404.html",
    "English interface: home": "en/index.html",
    "English interface: the English article": "en/achievements-1975-1991/01-full-text.html",
    "English interface: a witness page": "en/luan-an-1975-1991/ban-nguon-03-chuong-2.html",
    "English interface: register entry": "en/bang-tra/goocbachop.html",
}


@pytest.fixture
def watched(browser, base_url):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, console, errors
    context.close()


def _violations(page, console: list[str]) -> list[str]:
    return page.evaluate("window.__csp") + console


def test_every_page_type_has_the_policy_and_no_violation(watched, base_url):  # noqa: F811
    page, console, errors = watched
    seen = {}
    for name, path in PAGES.items():
        response = page.goto(base_url + path)
        assert response.ok, f"{name}: {path} {response.status}"
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
        expect(policy).to_have_count(1)
        assert "script-src 'self' 'wasm-unsafe-eval'" in policy.get_attribute("content")
        page.wait_for_load_state("networkidle")
        seen[name] = _violations(page, console)
        console.clear()
    assert {k: v for k, v in seen.items() if v} == {}
    assert errors == []


def test_features_work_under_the_policy(watched, base_url):  # noqa: F811
    page, console, errors = watched
    found = []
    # colour scheme: Material's palette script (now a file) restores the choice on the next page
    page.goto(base_url + "index.html")
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    toggled = page.locator("body").get_attribute("data-md-color-scheme")
    assert toggled != scheme
    page.goto(base_url + "gioi-thieu.html")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", toggled)
    # reading settings (docs/assets/reading.js): a larger text size applies at once
    settings = page.locator("details[data-reading-settings]")
    settings.locator("summary").click()
    size = page.evaluate("getComputedStyle(document.querySelector('article')).fontSize")
    settings.locator("input[name='size'][value='xl']").check()
    assert page.evaluate("getComputedStyle(document.querySelector('article')).fontSize") != size
    settings.locator("summary").click()
    found += _violations(page, console)
    # search: Pagefind's bundle, WebAssembly and index
    page.keyboard.press("/")
    page.keyboard.type("lien xo")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)
    found += _violations(page, console)
    # chapter: drawer, citation tooltip, permalink dialog
    page.goto(base_url + "luan-an-1975-1991/02-chuong-1.html")
    page.set_viewport_size({"width": 600, "height": 900})
    page.locator(".md-header label[for='__drawer']").click()
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("article a.cite").first.hover()
    # the citation's preview opens after a delay, then closes: pressed before it opened, Escape left it to open
    # later over the paragraph link (a failure on a slow host)
    expect(page.locator(".edition-preview")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".edition-preview")).to_have_count(0)
    page.locator("article p.para[id]").nth(1).locator("a.para-link").click()
    expect(page.get_by_role("dialog", name="Liên kết cố định")).to_be_visible()
    found += _violations(page, console)
    # timeline filters (docs/assets/timeline.js)
    page.goto(base_url + "thoi-gian-bieu/index.html")
    page.locator("details.tl-filters > summary").click()
    events = page.locator("li[data-texts]:visible")
    total = events.count()
    page.locator("#tl-filters input[name='category']").first.uncheck()
    expect(events).not_to_have_count(total)
    found += _violations(page, console)
    assert found == []
    assert errors == []


def test_the_policy_blocks_an_inline_script(watched, base_url):  # noqa: F811
    """The test can fail: an inline script added to a built page is refused and reported."""
    page, console, _ = watched
    page.goto(base_url + "index.html")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                             document.body.append(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in _violations(page, console))
