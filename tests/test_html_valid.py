"""Every built page is valid HTML for the Nu Html Checker (vnu-jar from npm, run with Java).

Runs on the development fixture and, once built, on the real site/ (see browser/edition_sites.py).
Skipped locally without java or node_modules/vnu-jar (`npm ci`); a failure in CI (CI=true).
Errors from Material's own templates are allow-listed below, each with its reason (README "Known issues").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from browser.edition_sites import site_names, site_path
from edition.paths import ROOT

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (message pattern, pattern the offending source extract must match, why it is tolerated)
ALLOWED = [
    (r"^Attribute “autocomplete” is only allowed when the input type is",
     r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
     "Material's base.html puts autocomplete=off on its drawer/search checkbox toggles (outside any block)"),
    (r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     r'<label class="md-nav__title" for="__toc">',
     "Material's toc.html labels the __toc toggle that nav-item.html omits on section index pages "
     "(navigation.indexes)"),
]


def _missing() -> str | None:
    if not shutil.which("java"):
        return "java is not installed (apt-get install default-jre-headless)"
    if not VNU.exists():
        return f"{VNU.relative_to(ROOT)} is missing (npm ci)"
    return None


if _missing():
    if os.environ.get("CI") == "true":
        pytest.fail(f"{_missing()}: required in CI", pytrace=False)
    pytest.skip(_missing(), allow_module_level=True)


def vnu_errors(files: list[str]) -> list[dict]:
    """The checker's errors (and fatal non-document errors) for ``files``, minus the allow-list."""
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", *files],
                         capture_output=True, text=True, check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error") and not _allowed(m)]


def _allowed(message: dict) -> bool:
    return any(re.search(text, message["message"]) and re.search(extract, message.get("extract", ""))
               for text, extract, _ in ALLOWED)


@pytest.fixture(scope="module", params=site_names())
def site(request, tmp_path_factory):
    return site_path(request.param, tmp_path_factory)


def test_every_page_is_valid_html(site):
    pages = sorted(str(p) for p in site.rglob("*.html"))
    assert pages
    errors = vnu_errors(pages)
    report = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors]
    assert report == [], "\n".join(report[:40])


def test_checker_reports_bad_markup_and_allows_only_material_toggles(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="vi"><title>x</title>\n<p id="a">1</p><p id="a">2</p>\n'
                   '<meta data-pagefind-meta="title[content]" content="x">\n'
                   '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n'
                   '<input class="edition-filter" type="checkbox" id="f" autocomplete="off">\n', encoding="utf-8")
    messages = [m["message"] for m in vnu_errors([str(bad)])]
    assert len(messages) == 3, messages
    assert any("Duplicate ID" in m for m in messages)
    assert any("Element “meta” is missing" in m for m in messages)
    assert any("“autocomplete”" in m for m in messages)  # the project's own checkbox is not allow-listed
