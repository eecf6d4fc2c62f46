"""A sixth text costs no code: the fixture edition (tests/fixtures/texts: four synthetic texts, one per
citation convention, with a bibliography, a timeline event, a register entry, a cross-link rule and one
appendix table owned by the numbered text) builds
into a site with every feature, through the real CLI, with EDITION_ROOT pointing at a copy of it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from edition import paths

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

FIXTURE = Path(__file__).parent / "fixtures" / "texts"
# The engine's own files an edition does not write: configuration, theme, hand-written pages, styles, rules.
# The schemas come from the engine itself (edition.paths.SCHEMAS); these are shared data the fixture reuses.
ENGINE_FILES = ("mkdocs.yml", "theme", "docs", "data/csl", "data/citations/schema.yml", "data/citations/labels.yml")
TEXTS = {"mau-danh-so": "numbered", "mau-tac-gia-nam": "author-year", "mau-chu-thich": "notes", "mau-khong-dan": "none"}


def make_edition(where: Path) -> Path:
    root = where / "edition"
    shutil.copytree(FIXTURE, root)
    for name in ENGINE_FILES:
        src, dst = paths.REPO / name, root / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, dst)
    return root


def edition(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition.cli", *args], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "EDITION_ROOT": str(root)}, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_edition(tmp_path_factory.mktemp("fixture"))
    out = edition(root, "build")
    assert out.returncode == 0, out.stdout + out.stderr
    return root


def page(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def test_each_convention_is_declared_once():
    conventions = {tid: yaml.safe_load((FIXTURE / "corpus" / tid / "text.yml").read_text(encoding="utf-8"))
                   ["citations"]["convention"] for tid in TEXTS}
    assert conventions == TEXTS


def test_fidelity_gate_passes(site):
    out = edition(site, "fidelity")
    assert out.returncode == 0, out.stdout + out.stderr


def test_fidelity_gate_fails_on_a_changed_word(tmp_path):
    root = make_edition(tmp_path)
    chapter = root / "corpus" / "mau-khong-dan" / "01-toan-van.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("exchanged teachers", "exchanged students"),
                       encoding="utf-8")
    out = edition(root, "build")
    assert out.returncode == 1
    assert re.match(rf"^(error: )?{re.escape(str(chapter))}:\d+: ", out.stderr.strip().splitlines()[-1]), out.stderr
    assert "Traceback" not in out.stderr


def test_nav_lists_every_text_and_the_home_page_counts_them(site):
    nav = yaml.safe_load((site / "build" / "mkdocs.yml").read_text(encoding="utf-8").split("\n", 1)[1])["nav"]
    titles = [next(iter(item)) for item in nav if isinstance(item, dict)]
    for tid in TEXTS:
        title = yaml.safe_load((FIXTURE / "corpus" / tid / "text.yml").read_text(encoding="utf-8"))["nav_title"]
        assert title in titles
        assert (site / "site" / tid / "01-toan-van.html").exists()
    assert 'id="van-ban">Bốn văn bản' in page(site, "index.html")


def test_citations_are_linked_in_every_convention(site):
    numbered = page(site, "mau-danh-so/01-toan-van.html")
    assert re.search(r'href="../thu-muc/mau-danh-so.html#mau-ref-1"[^>]*>\[1, tr. 5\]<', numbered)
    author_year = page(site, "mau-tac-gia-nam/01-toan-van.html")
    assert re.search(r'href="../thu-muc/mau-tac-gia-nam.html#mau-tran-binh-2003"[^>]*>Trần Bình \(2003\)<', author_year)
    assert author_year.count("#mau-nguyen-van-an-2001") == 2
    notes = page(site, "mau-chu-thich/01-toan-van.html")
    assert notes.count('class="footnote-ref"') == 2
    # the text citing nothing has no list of its own; the others have one
    assert sorted(p.name for p in (site / "site" / "thu-muc").glob("mau-*.html")) == [
        "mau-chu-thich.html", "mau-danh-so.html", "mau-tac-gia-nam.html"]


def test_bibliography_back_links_to_the_citing_paragraphs(site):
    combined = page(site, "thu-muc/index.html")
    for key, target in [("mau-ref-1", "mau-danh-so/01-toan-van.html#muc-1-p1"),
                        ("mau-ref-1", "mau-danh-so/01-toan-van.html#muc-2-p1"),
                        ("mau-tran-binh-2003", "mau-tac-gia-nam/01-toan-van.html#muc-1-p1"),
                        ("mau-le-cuong-2006", "mau-chu-thich/01-toan-van.html#muc-1-p1")]:
        entry = combined.split(f'id="{key}"', 1)[1].split('class="bib-entry"', 1)[0]
        assert f'href="../{target}"' in entry, (key, target)


def test_timeline_event_links_its_paragraph_and_the_paragraph_links_back(site):
    period = page(site, "thoi-gian-bieu/mau.html")
    assert 'id="thoa-thuan-mau-1999"' in period and 'href="../mau-danh-so/01-toan-van.html#muc-1-p1"' in period
    assert "thoi-gian-bieu/mau.html#thoa-thuan-mau-1999" in page(site, "mau-danh-so/01-toan-van.html")


def test_cross_link_rule_from_data(site):
    linked = page(site, "mau-tac-gia-nam/01-toan-van.html")
    assert linked.count('href="../mau-danh-so/01-toan-van.html#muc-1">Thỏa thuận Mẫu</a>') == 1


def test_search_index_is_built(site):
    bundle = site / "site" / "pagefind"
    assert (bundle / "pagefind.js").exists() and any((bundle / "fragment").iterdir())
    assert '"page_count":' in (bundle / "pagefind-entry.json").read_text(encoding="utf-8")


def test_appendix_table_of_the_text_that_declares_it(site):
    table = page(site, "phu-luc/phu-luc-01.html")
    assert "<caption>Phụ lục 1. Số sinh viên trao đổi mẫu" in table and "bản nguồn, dòng" in table
    assert "100_a000000000000001.txt" not in table  # a reader's label, not the witness's file name
    assert 'href="../thu-muc/index.html#mau-ref-1"' in table
    combined = page(site, "thu-muc/index.html").split('id="mau-ref-1"', 1)[1].split('class="bib-entry"', 1)[0]
    assert 'href="../phu-luc/phu-luc-01.html#phu-luc-01-nguon"' in combined  # the table cites its source
    assert '"name": "mau-danh-so-phu-luc"' in page(site, "phu-luc/data/datapackage.json")
