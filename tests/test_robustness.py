"""Bad inputs through the real CLI on a scratch copy of the repository: the copy, the runner, the check that
a run stops with exit 1 and ONE stderr line ``path:line: message`` (never a traceback), and the validators'
first cases. The whole matrix runs in tests/test_bad_inputs.py.

The scratch copy holds its own ``scripts/edition`` (put first on PYTHONPATH), so ``edition.paths.ROOT``
is the copy and the repository's own corpus, build/ and site/ are never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from edition import paths

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

# What a build reads; build/ and site/ are outputs and stay out of the copy, and so do npm packages
# (Lighthouse under scripts/lighthouse/ once the benchmark has run: 185 MB per copy).
REPO_INPUTS = ("scripts", "schemas", "corpus", "data", "docs", "theme", "bibliography.bib", "mkdocs.yml")
ERROR_LINE = re.compile(r"^error: (?P<path>/.+?)(?::(?P<line>\d+))?: (?P<message>.+)$")


def scratch_repo(tmp: Path) -> Path:
    root = tmp / "repo"
    root.mkdir()
    for name in REPO_INPUTS:
        source = paths.ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
        else:
            shutil.copy2(source, root / name)
    return root


def run_edition(root: Path, *args: str, timeout: int = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m edition.cli …`` as a user would run it, importing the copy's package (``env`` overrides)."""
    env = {**os.environ, "PYTHONPATH": str(root / "scripts"), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    env.pop("SITE_URL", None)
    return subprocess.run([sys.executable, "-m", "edition.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)


def edit(path: Path, old: str, new: str, regex: bool = False) -> None:
    """Replace the first occurrence of ``old``; fails loudly if the real data no longer contains it."""
    text = path.read_text(encoding="utf-8")
    if regex:
        changed = re.sub(old, new, text, count=1, flags=re.M)
        assert changed != text, f"{old!r} not found in {path}"
    else:
        assert old in text, f"{old!r} not found in {path}"
        changed = text.replace(old, new, 1)
    path.write_text(changed, encoding="utf-8")


V70 = "corpus/viet-xo-nga-70-nam/01-toan-van.md"
CH2 = "corpus/luan-an-1975-1991/03-chuong-2.md"
EVENTS = "data/timeline/events.yml"
PL01 = "data/tables/phu-luc-01.csv"
MD01 = "corpus/luan-an-1975-1991/01-mo-dau.md"
REG = "data/register/register.yml"
UI_EN = "data/ui/en.yml"


def _empty_chapter(root: Path) -> None:
    (root / "corpus/viet-xo-nga-70-nam/02-rong.md").write_text(
        "---\ntext: viet-xo-nga-70-nam\nchapter: rong\ntitle: Rỗng\norder: 2\nlang: vi\n"
        "witness_lines: [1, 2]\n---\n\n# Rỗng {#rong}\n", encoding="utf-8")


def _duplicate_bib_key(root: Path) -> None:
    bib = root / "bibliography.bib"
    text = bib.read_text(encoding="utf-8")
    block = re.search(r"^@book\{luanan-ref-010,.*?^\}\n", text, flags=re.S | re.M).group(0)
    bib.write_text(text + "\n" + block, encoding="utf-8")


def _remove_witness(root: Path) -> None:
    (root / "corpus/sources/003_620dcb6001c3609b.txt").unlink()


def _change_witness(root: Path) -> None:
    with (root / "corpus/sources/003_620dcb6001c3609b.txt").open("a", encoding="utf-8") as f:
        f.write("x")


def _line_of(path: Path, needle: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines[start:], start + 1) if needle in line)


# id: (command, mutation, file named by the error, its line (None: the error has no line; a function of the
# scratch root when it depends on the data), message part). Timeline errors name the line of the event or
# source entry, YAML syntax errors the line where the parser stopped.
CASES = {
    "front-matter-malformed": (
        "check", lambda r: edit(r / V70, "\nlang: vi\n", "\nlang: [vi\n"), V70, 7, "malformed YAML"),
    "front-matter-not-closed": (
        "check", lambda r: edit(r / V70, "title_supplied: true\n---\n", "title_supplied: true\n"), V70, 1,
        "not closed"),
    "front-matter-missing-field": (
        "check", lambda r: edit(r / V70, "\nlang: vi\n", "\n"), V70, 2, "'lang' is a required property"),
    "heading-duplicate-id": (
        "check", lambda r: edit(r / V70, "{#phan-2}", "{#phan-1}"), V70, lambda r: _line_of(r / V70, "## 2. "),
        "duplicate id 'phan-1'"),
    "heading-level-jump": (
        "check", lambda r: edit(r / V70, "### a) Quan hệ", "#### a) Quan hệ"), V70, 31, "jumps from h2 to h4"),
    "heading-without-id": (
        "check", lambda r: edit(r / V70, " {#phan-2-a}", ""), V70, 31, "without an explicit id"),
    "chapter-order-gap": (
        "check", lambda r: edit(r / CH2, "\norder: 3\n", "\norder: 9\n"), "corpus/luan-an-1975-1991/04-chuong-3.md",
        lambda r: _line_of(r / "corpus/luan-an-1975-1991/04-chuong-3.md", "order: 4"), "without gaps"),
    "chapter-empty": (
        "check", _empty_chapter, "corpus/viet-xo-nga-70-nam/02-rong.md", None, "empty chapter"),
    "witness-missing": (
        "check", _remove_witness, "corpus/sources/manifest.yml", 16, "witness file missing"),
    "witness-checksum-changed": (
        "check", _change_witness, "corpus/sources/003_620dcb6001c3609b.txt", None, "witness changed"),
    "changelog-stale-entry": (
        "fidelity", lambda r: edit(r / "corpus/achievements-1975-1991/changelog.yml",
                                   "- line: 31\n  kind: running-head", "- line: 1\n  kind: running-head"),
        "corpus/achievements-1975-1991/changelog.yml", 6, "not on witness line 1"),
    # A marker the witness does not print only gets past the fidelity gate in a draft build.
    "citation-unknown-key": (
        "build --draft", lambda r: edit(r / CH2, r"^(Trong [^\n]{40,}?)\.$", r"\1 [987].", regex=True), CH2,
        lambda r: _line_of(r / CH2, "[987]."),
        "'987' of luan-an-1975-1991 is not in bibliography.bib"),
    "citation-unparseable": (
        "build --draft", lambda r: edit(r / CH2, r"^(Trong [^\n]{40,}?)\.$", r"\1 [12, xyz].", regex=True), CH2,
        lambda r: _line_of(r / CH2, "[12, xyz]."),
        "unparseable citation '[12, xyz]'"),
    "bib-missing-required-field": (
        "build", lambda r: edit(r / "bibliography.bib", "  title = {Ngoại giao Việt Nam 1945-2000},\n", ""),
        "bibliography.bib", lambda r: _line_of(paths.BIBLIOGRAPHY, "@book{luanan-ref-010,"),
        "luanan-ref-010: @book requires title"),
    "bib-duplicate-key": (
        "build", _duplicate_bib_key, "bibliography.bib",
        lambda r: paths.BIBLIOGRAPHY.read_text(encoding="utf-8").count("\n") + 2, "duplicate key 'luanan-ref-010'"),
    "timeline-quote-not-in-paragraph": (
        "build", lambda r: edit(r / EVENTS, "anchor: khang-chien-chong-phap/01-toan-van#3-1-p1",
                                "anchor: khang-chien-chong-phap/01-toan-van#3-1-p4"), EVENTS, 60,
        "is not in paragraph"),
    "timeline-anchor-missing": (
        "build", lambda r: edit(r / EVENTS, "anchor: khang-chien-chong-phap/01-toan-van#3-1-p1",
                                "anchor: khang-chien-chong-phap/01-toan-van#khong-co"), EVENTS, 60,
        "does not exist"),
    "timeline-date-not-iso": (
        "build", lambda r: edit(r / EVENTS, r"^  date: '1950-01-30'$", "  date: 30/01/1950", regex=True), EVENTS,
        lambda r: _line_of(r / EVENTS, "  date: 30/01/1950"), "is not ISO 8601"),
    "csv-wrong-column-count": (
        "build", lambda r: edit(r / PL01, "1955-1960,200,50,450,150\n", "1955-1960,200,50,450,150,7\n"), PL01, 2,
        "expected 5 columns, got 6"),
    "csv-not-a-number": (
        "build", lambda r: edit(r / PL01, "1955-1960,200,50,", "1955-1960,200,năm mươi,"), PL01, 2,
        "column xuat_khau_lien_xo: expected"),
    "table-unknown-unit": (
        "build", lambda r: edit(r / "data/tables/phu-luc-01.yml", "unit: trieu-rup, header: [Xuất khẩu, Tổng số]",
                                "unit: dam-anh, header: [Xuất khẩu, Tổng số]"), "data/tables/phu-luc-01.yml", 10,
        "dam-anh"),
    # Fidelity is a gate: the build stops at the chapter line holding the first unexplained difference.
    "fidelity-gate-changed-date": (
        "build", lambda r: edit(r / MD01, "năm 1950", "năm 1951"), MD01, lambda r: _line_of(r / MD01, "năm 1951"),
        "not explained by the change log"),
    "fidelity-gate-dropped-word": (
        "build", lambda r: edit(r / V70, "Vietsovpetro được thành lập", "Vietsovpetro thành lập"), V70,
        lambda r: _line_of(r / V70, "Vietsovpetro thành lập"), "not explained by the change log"),
    "register-variant-not-in-corpus": (
        "check", lambda r: edit(r / REG, "  - Stalin\n", "  - Stalin\n  - Xtalinn\n"), REG,
        lambda r: _line_of(r / REG, "  - Xtalinn"), "variant 'Xtalinn' of 'stalin' does not occur in the corpus"),
    "register-duplicate-id": (
        "check", lambda r: edit(r / REG, "- id: molotov\n", "- id: stalin\n"), REG,
        lambda r: _line_of(r / REG, "- id: stalin", after="quote: nguyên thủ Liên Xô Stalin"), "duplicate id 'stalin'"),
    "register-unknown-kind": (
        "check", lambda r: edit(r / REG, "  name: ASEAN\n  kind: organisation\n", "  name: ASEAN\n  kind: company\n"),
        REG, lambda r: _line_of(r / REG, "- id: asean"), "unknown kind 'company'"),
    "register-ambiguous-variant": (
        "check", lambda r: edit(r / REG, "  - Stalin\n", "  - Stalin\n  - Molotov\n"), REG,
        lambda r: _line_of(r / REG, "  - Molotov", after="- id: molotov"),
        "variant 'Molotov' is also claimed by 'stalin'"),
    "register-fact-not-in-witness": (
        "check", lambda r: edit(r / REG, "quote: Ngoại trưởng Liên Xô Molotov\n", "quote: Ngoại trưởng Molotov\n"),
        REG, lambda r: _line_of(r / REG, "label: Ngoại trưởng Liên Xô"), "quote not found on line 691"),
    # The interface catalogues: every key in both languages, with the same placeholders.
    "ui-missing-key": (
        "check", lambda r: edit(r / UI_EN, "  copy-link: Copy link\n", ""), UI_EN,
        lambda r: _line_of(r / UI_EN, "dialog:"), "missing key 'dialog.copy-link' (vi.yml:"),
    "ui-placeholder-mismatch": (
        "check", lambda r: edit(r / UI_EN, 'copy-style: "Copy {name}"', 'copy-style: "Copy {style}"'), UI_EN,
        lambda r: _line_of(r / UI_EN, "copy-style:"), "dialog.copy-style: placeholders {style} differ from {name}"),
    "register-schema": (
        "check", lambda r: edit(r / REG, r"(^- id: lien-hop-quoc\n(?:  (?!description).*\n)*)  description:\n(?:    .*\n)+", r"\1",
                                regex=True), REG,
        lambda r: _line_of(r / REG, "- id: lien-hop-quoc"), "'description' is a required property"),
}


_WARM: dict[Path, Path] = {}


def warm_repo(tmp_path_factory) -> Path:
    """A scratch copy built once per test session (and xdist worker): its build/cache/ is what the copies of
    ``scratch_repo(…, warm=…)`` start from."""
    base = tmp_path_factory.getbasetemp()
    if base not in _WARM:
        root = scratch_repo(tmp_path_factory.mktemp("warm"))
        result = run_edition(root, "build")
        assert result.returncode == 0, result.stderr
        _WARM[base] = root
    return _WARM[base]


def share_cache(warm: Path, root: Path) -> None:
    """Give ``root`` the caches of the built copy ``warm``, as hard links: a build replaces a cache file, never
    rewrites it (edition.cache.write_checked, Jinja's bytecode cache, search_index._sync), so a copy cannot
    change another's. The caches are keyed by content, so a mutated input is computed again; only the MkDocs
    page cache is keyed by its configuration file's path, and is renamed to the copy's."""
    from edition.cache import digest

    source, target = warm / "build" / "cache", root / "build" / "cache"
    shutil.copytree(source, target, copy_function=os.link, ignore=shutil.ignore_patterns("lock"))
    old, new = (digest(str((r / "build" / "mkdocs.yml").resolve()))[:16] for r in (warm, root))
    if (target / "mkdocs" / old).exists():
        (target / "mkdocs" / old).rename(target / "mkdocs" / new)


def run_cases(cases: dict, tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Every case on its own mutated copy, run in parallel (each is a separate process). Each copy starts with
    the caches of one unmutated build (``share_cache``): a case's build recomputes what its mutation changed,
    as an editor's repeated build does, instead of the whole cold build 100 times."""
    warm = warm_repo(tmp_path_factory)
    roots = {}
    for case, (_, mutate, *_) in cases.items():
        roots[case] = scratch_repo(tmp_path_factory.mktemp(case))
        share_cache(warm, roots[case])
        mutate(roots[case])
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        runs = {case: pool.submit(run_edition, roots[case], *cases[case][0].split()) for case in cases}
        return {case: (roots[case], run.result()) for case, run in runs.items()}


def assert_one_error_line(root: Path, result: subprocess.CompletedProcess, where: str, line, message: str) -> str:
    """Exit 1, no traceback, exactly one ``path:line: message`` naming ``where`` (and ``line``); the line."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    errors = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(errors) == 1, result.stderr
    match = ERROR_LINE.match(errors[0])
    assert match, errors[0]
    assert Path(match["path"]) == root / where, errors[0]
    line = line(root) if callable(line) else line
    assert match["line"] == (str(line) if line else None), errors[0]
    assert message in match["message"], errors[0]
    assert not (root / "site").exists(), "a failed build must not leave a site behind"
    return errors[0]


def test_matrix_covers_every_validator_family():
    assert len(CASES) >= 15
    assert {c[0].split()[0] for c in CASES.values()} == {"check", "build", "fidelity"}


def test_unchanged_copy_passes_check(tmp_path):
    """The matrix is meaningful only if the untouched copy is valid."""
    result = run_edition(scratch_repo(tmp_path), "check")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.startswith("corpus ok: 5 texts")


def test_windows_line_endings_are_read_as_lf(tmp_path):
    """A chapter saved with CRLF line endings (an editor on Windows) reads as Python reads text: same words,
    same lines; the check and the fidelity gate pass."""
    root = scratch_repo(tmp_path)
    chapter = root / "corpus/viet-xo-nga-70-nam/01-toan-van.md"
    chapter.write_bytes(chapter.read_bytes().replace(b"\n", b"\r\n"))
    for command in (("check",), ("fidelity", "viet-xo-nga-70-nam")):
        result = run_edition(root, *command)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
