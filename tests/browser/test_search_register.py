"""A reader searching the way people type Vietnamese, and following the register, in headless Chromium:
"doi moi" finds what "đổi mới" finds, filters narrow the results, "gorbachev" lands on a highlighted
Goocbachốp paragraph (also on a phone, when the hit is on the page being read), register page → mention →
back. Skips like test_reading.py (never in CI)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from test_reading import base_url, browser, expect, reader  # noqa: F401  (shared fixtures)

RESULTS = ".md-search-result__item:not(.edition-search__more)"


def _search(page, query: str, none_found: bool = False, timeout: int = 15_000) -> int:
    """Type ``query`` into an emptied box; the number of results once they are shown (0 when ``none_found``
    allows "Không tìm thấy")."""
    box, status = page.locator("[data-edition-search-query]"), page.locator("[data-edition-search-status]")
    box.focus()
    box.fill("")
    expect(status).not_to_have_text(re.compile(r"\d"))
    box.fill(query)
    shown = r"^(\d+ đoạn liên quan|Không tìm thấy.*)$" if none_found else r"^\d+ đoạn liên quan$"
    expect(status).to_have_text(re.compile(shown), timeout=timeout)
    count = re.match(r"\d+", status.inner_text())
    return int(count.group(0)) if count else 0


def _count_after(page, action) -> int:
    """The result count once the status has changed after ``action``."""
    status = page.locator("[data-edition-search-status]")
    before = status.inner_text()
    action()
    expect(status).not_to_have_text(before, timeout=15_000)
    return int(re.match(r"\d+", status.inner_text()).group(0))


def test_unaccented_query_finds_what_the_accented_one_finds(reader, base_url):
    page, _ = reader
    page.goto(base_url)
    accented = _search(page, "đổi mới")
    unaccented = _search(page, "doi moi")
    assert unaccented >= accented > 20
    marks = {m.lower() for m in page.locator(".md-search-result mark").all_inner_texts()}
    assert marks & {"đổi", "mới"}, marks  # excerpts keep the real letters
    assert not any("\u0335" in m for m in page.locator(RESULTS).all_inner_texts())
    context = page.locator(".edition-search__context").first.text_content()
    assert context.startswith("Đoạn văn bản · ")  # passages of the texts come first, with text and section


def test_filters_narrow_the_results(reader, base_url):
    page, _ = reader
    page.goto(base_url)
    everything = _search(page, "lien xo")
    kind = page.locator("select[data-edition-filter='kind']")
    timeline = next(o for o in kind.locator("option").all_inner_texts() if o.startswith("Niên biểu"))
    events = _count_after(page, lambda: kind.select_option(label=timeline))
    assert 0 < events < everything
    assert all(c.startswith("Niên biểu") for c in page.locator(".edition-search__context").all_text_contents())
    assert _count_after(page, lambda: kind.select_option(value="")) == everything  # settled before the next filter
    text = page.locator("select[data-edition-filter='text']")
    article = next(o for o in text.locator("option").all_inner_texts() if o.startswith("Bài báo (tiếng Anh)"))
    in_article = _count_after(page, lambda: text.select_option(label=article))
    assert 0 < in_article < everything
    assert all("Bài báo (tiếng Anh)" in c for c in page.locator(".edition-search__context").all_text_contents())


def test_gorbachev_lands_on_a_highlighted_goocbachop_paragraph(reader, base_url):
    page, _ = reader
    page.goto(base_url)
    assert _search(page, "gorbachev") > 0
    first = page.locator(".md-search-result__link").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_load_state("load")
    fragment = urlsplit(href).fragment
    assert urlsplit(page.url).fragment == fragment and re.search(r"-p\d+$", fragment)
    target = page.locator(f"[id='{fragment}']")
    expect(target).to_be_in_viewport()
    expect(target).to_have_class(re.compile(r"\bsearch-hit\b"))
    expect(target.locator("mark.search-mark").first).to_contain_text("Goocbachốp")


def test_a_same_page_hit_scrolls_there_on_a_phone(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url)
    _search(page, "gorbachev")
    href = page.locator(".md-search-result__link").first.get_attribute("href")
    chapter = urlsplit(href).path
    page.goto(href.split("#", 1)[0])  # now read that chapter and search again from it
    page.locator("label.md-header__button[for='__search']").tap()
    _search(page, "gorbachev")
    first = page.locator(".md-search-result__link").first
    fragment = urlsplit(first.get_attribute("href")).fragment
    first.tap()
    target = page.locator(f"[id='{fragment}']")
    expect(target).to_be_in_viewport()
    expect(target).to_have_class(re.compile(r"\bsearch-hit\b"))
    assert urlsplit(page.url).path == chapter and urlsplit(page.url).fragment == fragment
    expect(page.locator("[data-edition-search-query]")).not_to_be_in_viewport()  # the overlay is closed
    context.close()


def test_register_page_to_mention_and_back(reader, base_url):
    page, _ = reader
    page.goto(base_url + "bang-tra/index.html")
    expect(page.locator("h2#person")).to_have_text("Nhân vật")
    page.locator("#goocbachop a").click()
    page.wait_for_load_state("load")
    entry_url = page.url
    assert entry_url.endswith("bang-tra/goocbachop.html")
    mention = page.locator(".reg-mention-list a").first
    fragment = urlsplit(mention.get_attribute("href")).fragment
    mention.click()
    page.wait_for_load_state("load")
    paragraph = page.locator(f"[id='{fragment}']")
    expect(paragraph).to_be_in_viewport()
    back = paragraph.locator("a.reg-mention[data-reg='goocbachop']")
    expect(back).to_have_count(1)
    back.click()
    page.wait_for_load_state("load")
    assert page.url == entry_url


def test_the_english_interface_searches_the_same_index_and_stays_english(reader, base_url):
    """site/en/ loads the reference site's Pagefind bundle (../pagefind/); its status, kinds and hits are the
    English interface's, and a hit opens the English page of the passage, at the passage."""
    page, _ = reader
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + "en/index.html")
    box, status = page.locator("[data-edition-search-query]"), page.locator("[data-edition-search-status]")
    box.focus()
    box.fill("doi moi")
    expect(status).to_have_text(re.compile(r"^\d+ matching passages$"), timeout=15_000)
    assert int(re.match(r"\d+", status.inner_text()).group(0)) > 20
    bundles = {urlsplit(url).path.rsplit("/pagefind/", 1)[0] for url in requests if "/pagefind/" in url}
    assert bundles == {urlsplit(base_url).path.rstrip("/")}, bundles  # one index, the reference site's
    context = page.locator(".edition-search__context").first.text_content()
    assert context.startswith("Passage of a text · "), context
    first = page.locator(".md-search-result__link").first
    href = urlsplit(first.get_attribute("href"))
    assert href.path.startswith(urlsplit(base_url).path + "en/"), href
    first.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == href.path and page.locator("html").get_attribute("lang") == "en"
    expect(page.locator(f"[id='{href.fragment}']")).to_be_in_viewport()
