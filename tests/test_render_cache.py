"""A repeated ``edition render`` with unchanged inputs reads its memos (build/cache/memo/) and writes nothing,
and its files are byte-identical to a cold render's (``rm -rf build/cache``); an edited input is seen on a
warm cache; what a render no longer produces vanishes; a corrupt memo is ignored; an error reads the same
warm or cold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_robustness import edit, run_edition, scratch_repo

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

MEMOS = ["citations.json", "fidelity.json", "front-matter.json", "references.json", "schema-passed.json"]
ACHIEVEMENTS = "achievements-1975-1991"


def _render(root: Path) -> None:
    result = run_edition(root, "render")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def _output(root: Path) -> dict[str, bytes]:
    build = root / "build"  # every interface's docs and configuration (build/en/ too), not the caches
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and p.relative_to(build).parts[0] != "cache"}


def _cold(root: Path) -> dict[str, bytes]:
    shutil.rmtree(root / "build")
    _render(root)
    return _output(root)


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Path:
    """A scratch repository rendered once (cold): its build/ holds the docs and the memos."""
    root = scratch_repo(tmp_path_factory.mktemp("render-cache"))
    _render(root)
    return root


@pytest.fixture
def copy(warm, tmp_path) -> Path:
    """The warm repository to change: a copy, build/ (memos included) and all."""
    return Path(shutil.copytree(warm, tmp_path / "repo"))


def test_a_warm_render_is_byte_identical_and_writes_nothing(warm):
    cold = _output(warm)
    assert sorted(p.name for p in (warm / "build" / "cache" / "memo").iterdir()) == MEMOS
    written = {p: p.stat().st_mtime_ns for p in (warm / "build").rglob("*") if p.is_file()}
    _render(warm)
    assert _output(warm) == cold
    assert {p: p.stat().st_mtime_ns for p in (warm / "build").rglob("*") if p.is_file()} == written  # memos too


CHANGES = {  # input → (the change, a page it shows on, what the page shows before, and after)
    "a bibliography field": (lambda r: edit(r / "bibliography.bib", "address = {Hanoi and Moscow}", "address = {Hà Nội Sửa}"),
                             "docs/thu-muc/index.md", "Hà Nội Sửa", None),
    "a register variant": (lambda r: edit(r / "data/register/register.yml", "  - Lê Duẩn\n  - Le Duan\n", "  - Lê Duẩn\n"),
                           f"docs/{ACHIEVEMENTS}/01-full-text.md", None, "[Le Duan](../bang-tra/le-duan.md)"),
    "a citation style": (lambda r: edit(r / "data/csl/vn-thesis.csl", '<layout prefix="(" suffix=")" delimiter="; ">',
                                        '<layout prefix="⟨" suffix="⟩" delimiter="; ">'),
                         "docs/cach-trich-dan.md", "trong bài: ⟨", None),
    "a text's citation title": (lambda r: edit(r / f"corpus/{ACHIEVEMENTS}/text.yml", 'cite: "Achievements in',
                                               'cite: "Gains in'),
                                f"docs/{ACHIEVEMENTS}/index.md", "Gains in relations", None),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_an_edited_input_is_seen_on_a_warm_cache(copy, change):
    mutate, page, appears, vanishes = CHANGES[change]
    before = _output(copy)
    mutate(copy)
    _render(copy)
    after = _output(copy)
    shown = after[page].decode("utf-8")
    assert (appears is None or appears in shown) and (vanishes is None or vanishes not in shown)
    assert (appears is None or appears not in before[page].decode("utf-8"))
    assert (vanishes is None or vanishes in before[page].decode("utf-8"))
    assert after == _cold(copy)


def test_what_a_render_no_longer_produces_vanishes(copy):
    before = _output(copy)
    for stale in ("docs/stray.md", "docs/old-text/01-chuong.md", f"docs/{ACHIEVEMENTS}/old.md"):
        (copy / "build" / stale).parent.mkdir(parents=True, exist_ok=True)
        (copy / "build" / stale).write_text("cũ", encoding="utf-8")
    _render(copy)
    assert _output(copy) == before and not (copy / "build" / "docs" / "old-text").exists()


def test_a_corrupt_memo_is_ignored(copy):
    before = _output(copy)
    memos = copy / "build" / "cache" / "memo"
    for name in MEMOS:
        data = (memos / name).read_bytes()
        (memos / name).write_bytes(data[:len(data) // 2])
    _render(copy)
    assert _output(copy) == before


ERRORS = {  # a bad input on a warm cache → the message a cold render gives
    "a data file against its schema": (lambda r: edit(r / "data/edition.yml", 'version: "0.2.0"', 'version: "v0.2"'),
                                       "'v0.2' is not MAJOR.MINOR.PATCH"),
    "an edited schema": (lambda r: edit(r / "schemas/edition.schema.json", r'"pattern": "^\\d+\\.\\d+\\.\\d+$"',
                                        r'"pattern": "^v\\d+\\.\\d+\\.\\d+$"'), "'0.2.0' is not MAJOR.MINOR.PATCH"),
    "a word the witness does not have": (lambda r: edit(r / f"corpus/{ACHIEVEMENTS}/01-full-text.md",
                                                        "General Secretary", "General Secretari"),
                                         "difference(s) from the witness"),
}


@pytest.mark.parametrize("error", ERRORS, ids=list(ERRORS))
def test_an_error_reads_the_same_warm_or_cold(copy, error):
    mutate, message = ERRORS[error]
    mutate(copy)
    warm_run = run_edition(copy, "render")
    shutil.rmtree(copy / "build" / "cache")
    cold_run = run_edition(copy, "render")
    assert warm_run.returncode == cold_run.returncode == 1
    assert warm_run.stderr == cold_run.stderr and message in warm_run.stderr
    assert len(warm_run.stderr.strip().splitlines()) == 1
