"""A text of another layout is data: the fixture tests/fixtures/layouts (note calls printed "(1)", a note
over two witness lines, page numbers at the foot of each page, a page that begins with a running head and
one that begins with a blank line, a year given as a number) is added to a scratch copy of the real edition
with `edition new-text`, cut with `edition ingest --draft`, and passes the fidelity gate and the build,
with no file under scripts/ changed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from tests.test_robustness import ERROR_LINE, run_edition, scratch_repo

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

FIXTURE = Path(__file__).parent / "fixtures" / "layouts"
TEXT = "mau-bo-cuc"


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _add_text(root: Path) -> None:
    out = run_edition(root, "new-text", TEXT, str(FIXTURE / f"{TEXT}.txt"))
    assert out.returncode == 0, out.stderr
    shutil.copyfile(FIXTURE / "ingest.yml", root / "corpus" / "sources" / "ingest" / f"{TEXT}.yml")
    shutil.copyfile(FIXTURE / "text.yml", root / "corpus" / TEXT / "text.yml")
    shutil.copyfile(FIXTURE / "notes.yml", root / "data" / "citations" / f"{TEXT}.yml")
    with (root / "bibliography.bib").open("a", encoding="utf-8") as bib:
        bib.write((FIXTURE / "bibliography.bib").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    root = scratch_repo(tmp_path_factory.mktemp("layout"))
    before = _digest(root / "scripts")
    _add_text(root)
    for args in (("ingest", "--draft", TEXT), ("fidelity",), ("build",)):
        out = run_edition(root, *args, timeout=900)
        assert out.returncode == 0, f"{args}: {out.stdout[-2000:]}{out.stderr}"
    assert _digest(root / "scripts") == before
    return root


def test_new_text_lists_the_witness_with_its_checksum(edition):
    entry = yaml.safe_load((edition / "corpus" / "sources" / "manifest.yml").read_text(encoding="utf-8"))["witnesses"][-1]
    data = (FIXTURE / f"{TEXT}.txt").read_bytes()
    assert entry == {"file": f"{TEXT}.txt", "text": TEXT, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def test_calls_notes_and_pages_of_the_layout_are_in_the_corpus(edition):
    chapter = (edition / "corpus" / TEXT / "01-toan-van.md").read_text(encoding="utf-8")
    assert "note_call: ({n})" in chapter
    assert "năm 1955 [^1]. Hai bên" in chapter and "sau đó [^2]." in chapter
    assert "[^1]: Nguyễn Văn Mẫu, Sách mẫu về quan hệ hợp tác, Nxb Mẫu, Hà Nội, 1999, tr.5\n" in chapter
    assert "hằng năm. {pb 47} Hoạt động" in chapter  # page 47 begins with a running head (removed)
    assert chapter.index("{pb 48}") < chapter.index("## Chú thích")  # page 48 begins with a blank line
    assert chapter.count("{pb ") == 3
    log = yaml.safe_load((edition / "corpus" / TEXT / "changelog.yml").read_text(encoding="utf-8"))["entries"]
    assert [(e["line"], e["text"]) for e in log if e["kind"] == "page-number"] == [(8, "46"), (15, "47"), (22, "48")]
    aliases = (edition / "corpus" / "aliases.yml").read_text(encoding="utf-8")
    assert TEXT not in aliases  # a draft records no alias


def test_the_built_page_shows_every_note_and_page(edition):
    page = (edition / "site" / TEXT / "01-toan-van.html").read_text(encoding="utf-8")
    for n in (1, 2):
        assert f'id="fnref:{n}"' in page and f'id="fn:{n}"' in page
    assert "Hà Nội, 1999, tr.5" in page
    for n in (46, 47, 48):
        assert f'id="tr-{n}"' in page


@pytest.mark.parametrize("old, new, line, message", [
    ("    - {start: 1, end: 22, position: foot, signatures: false}\n", "    - {start: 1, end: 22, signatures: false}\n",
     22, "page number 48 heads no text"),
    ("pages:\n  numbered:\n    - {start: 1, end: 22, position: foot, signatures: false}\n", "",
     8, "no pages.numbered region"),
    ("  marker: '\\((\\d+)\\)'", "  marker: '\\[(\\d+)\\]'", 19, "opens no note: its label does not match footnotes.marker"),
])
def test_what_the_rules_cannot_place_is_an_error_at_its_witness_line(tmp_path, old, new, line, message):
    root = scratch_repo(tmp_path)
    _add_text(root)
    rules = root / "corpus" / "sources" / "ingest" / f"{TEXT}.yml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new), encoding="utf-8")
    out = run_edition(root, "ingest", "--draft", TEXT)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    m = ERROR_LINE.match(out.stderr.strip().splitlines()[-1])
    assert m and m["path"].endswith(f"{TEXT}.txt") and int(m["line"]) == line and message in m["message"], out.stderr
