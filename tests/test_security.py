"""The escaping helper and the Content-Security-Policy, without a browser: every built page carries the policy
before anything it governs and has no inline script, handler or style; the file that replaces Material's
inline scripts is still Material's code; escaped values read back unchanged through Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import markdown
import material
import pytest

from browser.edition_sites import site_names, site_path
from edition.model import escape
from edition.paths import DOCS

POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
DATA_SCRIPTS = {"application/json", "application/ld+json"}


@pytest.fixture(scope="module", params=site_names())
def site(request, tmp_path_factory) -> Path:
    return site_path(request.param, tmp_path_factory)


def test_every_page_has_the_policy_and_nothing_inline(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 5
    problems = []
    for page in pages:
        doc = lxml.html.parse(str(page)).getroot()
        head = doc.find("head")
        policies = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
        if len(policies) != 1 or policies[0].get("content") != POLICY:
            problems.append(f"{page.name}: policy {[p.get('content') for p in policies]}")
            continue
        governed = head.xpath("script|link|style|base")
        if any(el.sourceline < policies[0].sourceline for el in governed if el.tag != "base"):
            problems.append(f"{page.name}: an element before the policy")
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "script" and not el.get("src") and el.get("type") not in DATA_SCRIPTS:
                problems.append(f"{page.name}:{el.sourceline}: inline script")
            if el.tag == "style" or "style" in el.attrib:
                problems.append(f"{page.name}:{el.sourceline}: inline style")
            if any(name.startswith("on") for name in el.attrib):
                problems.append(f"{page.name}:{el.sourceline}: event handler")
    assert problems == []


def _inline_scripts(partial: str) -> list[str]:
    path = Path(material.__file__).parent / "templates" / "partials" / "javascripts" / partial
    return re.findall(r"<script>(.*?)</script>", path.read_text(encoding="utf-8"), re.S)


def test_moved_scripts_are_materials():
    """An upgrade of Material that changes its inline scripts fails here instead of breaking the site."""
    ours = (DOCS / "assets" / "material-inline.js").read_text(encoding="utf-8")
    [base] = _inline_scripts("base.html")
    assert base.replace('new URL("{{ config.extra.scope | d(base_url) }}",location)',
                        "new URL(script.dataset.scope,location)") in ours
    [palette] = _inline_scripts("palette.html")
    assert palette in ours
    # content.html's scripts only serve content tabs, which the edition does not enable
    assert all("tabbed" in s or "__tabs" in s for s in _inline_scripts("content.html"))


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>", "[a](javascript:alert(1))", "*x* _y_ `z` {#id} {: .c} | ~s~ ^t^ \\ # & &amp;",
    "![i](x.png) <https://example.org> [^1] *[HTML]: z", "Chương 2. Chủ trương (1975–1986)",
])
def test_md_text_reads_back_as_the_same_text(value):
    html = markdown.markdown(f"Trước {escape.md_text(value)} sau", extensions=[
        "attr_list", "footnotes", "abbr", "tables", "md_in_html", "pymdownx.tilde", "pymdownx.caret"])
    doc = lxml.html.fragment_fromstring(html)
    assert doc.tag == "p" and len(doc) == 0  # one paragraph, no element inside it
    assert doc.text_content() == f"Trước {value} sau"


@pytest.mark.parametrize("url, safe", [
    ("https://example.org/a", True), ("http://x", True), ("mailto:a@b", True), ("../a.html#x", True),
    ("#x", True), ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), ("java\tscript:x", False),
    (" javascript:x", False), ("data:text/html,x", False), ("vbscript:x", False), ("//evil.example/", False),
    ("\\\\evil.example", False),
])
def test_safe_url(url, safe):
    assert escape.safe_url(url) is safe
