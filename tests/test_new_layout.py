"""Texts of other layouts are data. Each folder of tests/fixtures/layouts holds a small witness in a layout the
five texts do not have, with what an editor writes for it: ingest rules, text.yml, the notes file
(data/citations/), its bibliography entries, and expected.yml, the figures it adds to tests/expected.yml.

- mau-bo-cuc: calls "(1)"; page numbers at the foot of each page; a note over two lines; a page that begins
  with a running head, one that begins with a blank line; a year given as a number;
- mau-ngoac-vuong: calls "[1]"; page numbers at the head (the first page prints none); a note over three
  lines; a page that begins with a running head above its number, and then with a heading;
- mau-so-mu: calls in superscript digits ("1960¹"); page numbers at the head, the witness beginning with one;
  a page whose number is followed by a blank line; a note over two lines;
- mau-dau-sao: calls printed as stars ("*", "**": numbered in print order, written back by the call
  template ``{stars}``); page numbers at the foot; a note over two lines; a page that begins with a running head.

(Calls "⁽1⁾" are the real text's of notes.) All are added to ONE scratch copy of the real edition, built once:
`edition new-text`, the fixture's rules, `edition ingest --draft`, the fidelity gate and the build pass with
nothing under scripts/, theme/ or tests/ changed. Then the texts are published as the README's steps say (the
figures of tests/expected.yml, the anchors snapshot) and every test module that reads the edition's data runs
in the copy, with pytest, and passes (the modules left out and why: ``NOT_RUN``)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from edition import paths
from tests.test_robustness import ERROR_LINE, run_edition, scratch_repo

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

FIXTURES = Path(__file__).parent / "fixtures" / "layouts"
LAYOUTS = sorted(p.name for p in FIXTURES.iterdir() if (p / "ingest.yml").is_file())
UNCHANGED = ("scripts", "theme", "tests")  # no layout may need a change here (fixtures aside)
# What publishing a text writes under tests/ (README, "Adding a text", steps 5 and 7): data, not test code.
CURATED = ("expected.yml", "snapshots/anchors.json")

# Each layout on its chapter page: the printed page → witness line its milestone is logged at, and Markdown the
# chapter must hold (where calls, notes and milestones land).
SHOWN = {
    "mau-bo-cuc": ({46: 1, 47: 10, 48: 17}, [
        "năm 1955 [^1]. Hai bên", "sau đó [^2].",
        "hằng năm. {pb 47} Hoạt động",  # page 47 begins with a running head (removed)
        "{pb 48}\n\n## Chú thích",  # page 48 begins with a blank line
        "[^1]: Nguyễn Văn Mẫu, Sách mẫu về quan hệ hợp tác, Nxb Mẫu, Hà Nội, 1999, tr.5\n"]),
    "mau-ngoac-vuong": ({11: 1, 12: 9, 13: 14}, [
        "năm 1957 [^1]. Các bên", "những năm sau [^2], với",
        "thường xuyên. {pb 12} Việc",  # a number at the head: its page begins after it
        "{pb 13}\n\n## 2. Kết quả",  # running head, then the number, then a heading
        "[^1]: Phạm Văn Mẫu, Khảo cứu mẫu về hợp tác, Nxb Mẫu, Hà Nội, 1998, tr.7\n"]),
    "mau-so-mu": ({5: 2, 6: 9}, [
        "# MẪU CƯỚC CHÚ BẰNG CHỈ SỐ TRÊN {#toan-van}\n\n{pb 5}\n",  # the witness begins with the number 5
        "năm 1960[^1]. Hai bên", "văn bản[^2].",
        "{pb 6} Các văn bản được thực hiện đầy đủ[^3].",  # the number 6, then a blank line
        "[^3]: Bùi Văn Mẫu, Hồ sơ mẫu, Nxb Mẫu, Hà Nội, 2006\n"]),
    "mau-dau-sao": ({31: 1, 32: 8}, [
        "tài liệu[^1]. Hai bên", "năm sau[^2].", "{pb 32} Hoạt động",
        "[^1]: Đinh Văn Mẫu, Nhật ký mẫu, Nxb Mẫu, Hà Nội, 1990\n"]),
}

# Test modules NOT run in the copy with the texts added, and why: their cost is large and what they test does
# not depend on the set of texts, or they read nothing of the edition's data. Every other module of tests/
# (tests/browser aside) runs there.
NOT_RUN = {
    "test_new_layout.py": "this module",
    "test_bad_inputs.py": "the bad-input matrix: 100 mutations of the five texts' own files, each a copy and a build",
    "test_robustness.py": "the first cases of that matrix, on the same copies",
    "test_hostile_input.py": "30 payloads at every landing place of the five texts' data, one build",
    "test_render_cache.py": "cold and warm builds compared byte for byte: a property of the caches, not of the texts",
    "test_site_pages.py": "MkDocs' page cache against `mkdocs build`, cold and warm: a property of the engine",
    "test_search_cache.py": "the search cache cold and warm: a property of the engine",
    "test_reproducible.py": "two whole builds compared byte for byte",
    "test_serve.py": "the live-reload server's loop: engine, several builds",
    "test_downloads.py": "PDF, EPUB and TEI of every text (WeasyPrint, EPUBCheck, TEI All): minutes; the year path "
                         "the fixture mau-bo-cuc takes has its own test there",
    "test_downloads_optional.py": "a build with the system fonts hidden: engine",
    "test_fixture_texts.py": "builds the fixture edition tests/fixtures/texts, not this corpus",
    "test_lint.py": "ruff and mypy over scripts/ and tests/, which the texts do not change",
    "test_publishing.py": "workflows, the lock file and a git clone of the repository: no edition data",
    "test_citation_cff.py": "CITATION.cff, the software's citation: no text's",
    "test_tei_register.py": "one named text's TEI validated against TEI All (loading the schema alone takes "
                            "seconds): the texts added change neither",
    # the engine's code, schemas and scratch fixtures only: no edition data
    "test_flow.py": "the package's imports (ast over every module: seconds)",
    "test_mkdocs_adapter.py": "MkDocs' private names and the adapter",
    "test_ingest_guide.py": "the ingest guide against the rules' schema",
    "test_pool.py": "the worker pool and cache store on scratch values",
    "test_memo.py": "the memos on scratch values",
    "test_output.py": "the writer of generated files on a scratch folder",
    "test_ids.py": "the id assignment on scratch blocks",
}


def _digest(folder: Path, skip: tuple[str, ...] = ()) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        name = path.relative_to(folder).as_posix()
        if name not in skip:
            h.update(name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _copy_of_the_edition(tmp: Path) -> Path:
    """A scratch copy of the edition's inputs with its tests (and their settings) beside them."""
    root = scratch_repo(tmp)
    shutil.copytree(paths.REPO / "tests", root / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(paths.REPO / "pyproject.toml", root / "pyproject.toml")
    if (paths.REPO / "node_modules").is_dir():  # npm's test tools: citeproc-js, the Nu Html Checker
        (root / "node_modules").symlink_to(paths.REPO / "node_modules")
    return root


def add_text(root: Path, text_id: str) -> None:
    """The editor's steps for a new text (README, "Adding a text", 1-3 and 5): new-text, then the rules,
    text.yml, the notes file and the bibliography entries the fixture holds."""
    fixture = FIXTURES / text_id
    out = run_edition(root, "new-text", text_id, str(fixture / f"{text_id}.txt"))
    assert out.returncode == 0, out.stderr
    shutil.copyfile(fixture / "ingest.yml", root / "corpus" / "sources" / "ingest" / f"{text_id}.yml")
    shutil.copyfile(fixture / "text.yml", root / "corpus" / text_id / "text.yml")
    shutil.copyfile(fixture / "notes.yml", root / "data" / "citations" / f"{text_id}.yml")
    with (root / "bibliography.bib").open("a", encoding="utf-8") as bib:
        bib.write((fixture / "bibliography.bib").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """The copy with every layout added, cut as drafts, checked and built once."""
    root = _copy_of_the_edition(tmp_path_factory.mktemp("layouts"))
    before = {folder: _digest(root / folder) for folder in UNCHANGED}
    for text_id in LAYOUTS:
        add_text(root, text_id)
    for args in (("ingest", "--draft", *LAYOUTS), ("fidelity",), ("build",)):
        out = run_edition(root, *args, timeout=900)
        assert out.returncode == 0, f"{args}: {out.stdout[-2000:]}{out.stderr}"
    assert {folder: _digest(root / folder) for folder in UNCHANGED} == before
    return root


def test_every_layout_has_its_expectations():
    assert LAYOUTS and set(SHOWN) == set(LAYOUTS)


@pytest.mark.parametrize("text_id", LAYOUTS)
def test_new_text_lists_the_witness_with_its_checksum(edition, text_id):
    entries = yaml.safe_load((edition / "corpus" / "sources" / "manifest.yml").read_text(encoding="utf-8"))["witnesses"]
    data = (FIXTURES / text_id / f"{text_id}.txt").read_bytes()
    assert {"file": f"{text_id}.txt", "text": text_id, "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data)} in entries


@pytest.mark.parametrize("text_id", LAYOUTS)
def test_calls_notes_and_pages_of_the_layout_are_in_the_corpus(edition, text_id):
    pages, shown = SHOWN[text_id]
    chapter = (edition / "corpus" / text_id / "01-toan-van.md").read_text(encoding="utf-8")
    rules = yaml.safe_load((FIXTURES / text_id / "ingest.yml").read_text(encoding="utf-8"))
    assert yaml.safe_load(chapter.split("---\n")[1])["note_call"] == rules["footnotes"]["call"]
    for words in shown:
        assert words in chapter, words
    notes = yaml.safe_load((FIXTURES / text_id / "notes.yml").read_text(encoding="utf-8"))["notes"]
    assert sorted(int(n) for n in re.findall(r"^\[\^(\d+)\]:", chapter, flags=re.M)) == sorted(notes)
    assert sorted(int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", chapter)) == sorted(notes)  # one call each
    assert re.findall(r"\{pb ([^}]*)\}", chapter) == [str(p) for p in pages]
    log = yaml.safe_load((edition / "corpus" / text_id / "changelog.yml").read_text(encoding="utf-8"))["entries"]
    assert {int(e["text"]): e["line"] for e in log if e["kind"] == "page-break"} == pages
    witness = (FIXTURES / text_id / f"{text_id}.txt").read_text(encoding="utf-8").split("\n")
    numbers = [(e["line"], e["text"]) for e in log if e["kind"] == "page-number"]
    assert numbers and all(witness[line - 1] == number and int(number) in pages for line, number in numbers)
    assert text_id not in (edition / "corpus" / "aliases.yml").read_text(encoding="utf-8")  # a draft: no alias


@pytest.mark.parametrize("text_id", LAYOUTS)
def test_the_built_page_shows_every_note_and_page(edition, text_id):
    pages, _ = SHOWN[text_id]
    page = (edition / "site" / text_id / "01-toan-van.html").read_text(encoding="utf-8")
    notes = yaml.safe_load((FIXTURES / text_id / "notes.yml").read_text(encoding="utf-8"))["notes"]
    for n in notes:
        assert f'id="fnref:{n}"' in page and f'id="fn:{n}"' in page
    for n in pages:
        assert f'id="tr-{n}"' in page


@pytest.mark.parametrize("file, old, new, line, message", [
    ("rules", "    - {start: 1, end: 22, position: foot, signatures: false}\n",
     "    - {start: 1, end: 22, signatures: false}\n", 22, "page number 48 heads no text"),
    ("rules", "pages:\n  numbered:\n    - {start: 1, end: 22, position: foot, signatures: false}\n", "",
     8, "no pages.numbered region"),
    ("text", "marker: '\\((\\d+)\\)'", "marker: '\\[(\\d+)\\]'", 19,
     "opens no note: its label does not match the note-call pattern, citations.marker of text.yml"),
], ids=["foot-number-read-as-head", "number-in-no-region", "marker-matching-no-label"])
def test_what_the_rules_cannot_place_is_an_error_at_its_witness_line(tmp_path, file, old, new, line, message):
    root = scratch_repo(tmp_path)
    add_text(root, "mau-bo-cuc")
    path = {"rules": root / "corpus" / "sources" / "ingest" / "mau-bo-cuc.yml",
            "text": root / "corpus" / "mau-bo-cuc" / "text.yml"}[file]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    out = run_edition(root, "ingest", "--draft", "mau-bo-cuc")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    m = ERROR_LINE.match(out.stderr.strip().splitlines()[-1])
    assert m and m["path"].endswith("mau-bo-cuc.txt") and int(m["line"]) == line and message in m["message"], out.stderr


def _add_figures(expected: dict, figures: dict) -> None:
    """A text's figures into tests/expected.yml: each mapping gains its entries, each count grows."""
    for key, value in figures.items():
        if isinstance(value, dict):
            assert not set(value) & set(expected[key]), key
            expected[key] = {**expected[key], **value}
        else:
            expected[key] += value


@pytest.fixture(scope="module")
def published(edition) -> Path:
    """The layout texts published as the README says: their figures added to tests/expected.yml, their pages'
    ids copied from build/anchors.json into the anchors snapshot."""
    tests = edition / "tests"
    expected = yaml.safe_load((tests / "expected.yml").read_text(encoding="utf-8"))
    for text_id in LAYOUTS:
        _add_figures(expected, yaml.safe_load((FIXTURES / text_id / "expected.yml").read_text(encoding="utf-8")))
    (tests / "expected.yml").write_text(yaml.safe_dump(expected, allow_unicode=True, sort_keys=False), encoding="utf-8")
    snapshot = json.loads((tests / "snapshots" / "anchors.json").read_text(encoding="utf-8"))
    built = json.loads((edition / "build" / "anchors.json").read_text(encoding="utf-8"))
    snapshot.update({page: ids for page, ids in built.items() if page.split("/")[0] in LAYOUTS})
    (tests / "snapshots" / "anchors.json").write_text(json.dumps(snapshot, ensure_ascii=False, indent=1),
                                                      encoding="utf-8")
    return edition


def test_every_test_module_is_run_in_the_copy_or_left_out_with_a_reason():
    modules = {p.name for p in Path(__file__).parent.glob("test_*.py")}
    assert set(NOT_RUN) <= modules and all(NOT_RUN.values())


def test_adding_the_texts_fails_no_test(published):
    """pytest in the copy: every test module but those of NOT_RUN, on the edition with the layout texts."""
    tests = published / "tests"
    before = _digest(tests, CURATED)
    modules = sorted(f"tests/{p.name}" for p in tests.glob("test_*.py") if p.name not in NOT_RUN)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k not in ("SITE_URL", "EDITION_ROOT")}
    env.update(PYTHONPATH=str(published / "scripts"), NO_MKDOCS_2_WARNING="1", EDITION_SITE=str(published / "site"))
    start, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *modules], cwd=published,
                         env=env, capture_output=True, text=True, timeout=1200)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{len(modules)} modules in the copy: {time.monotonic() - start:.1f} s wall, "
          f"{used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime:.1f} s CPU")
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert _digest(tests, CURATED) == before
