"""``edition serve`` (edition.serve) on a scratch copy, as a reader would use it while editing: an edited
paragraph is served (its page rebuilt alone, then by the full build that follows: the same page), a hand-written
page edit is a full rebuild swapped in, a bad edit prints one ``file:line: message`` and the last good page
stays served — and while all that happens no page ever answers anything but 200. Not timed (the benchmark is)."""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from edition.serve import chapter_edits, snapshot
from tests.test_robustness import scratch_repo

CHAPTER, PAGE = "corpus/viet-xo-nga-70-nam/01-toan-van.md", "viet-xo-nga-70-nam/01-toan-van.html"
OTHERS = ("index.html", "luan-an-1975-1991/02-chuong-1.html", "thu-muc/index.html", "gioi-thieu.html")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


class Served:
    """``edition serve --draft`` in ``root``; its output lines in a queue; pages fetched in a loop meanwhile."""

    def __init__(self, root: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "PYTHONPATH": str(root / "scripts"), "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "edition.cli", "serve", "--draft", "--addr", f"127.0.0.1:{port}"],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line.rstrip("\n")) for line in self.process.stdout],
                         daemon=True).start()
        self.answers: list[tuple[str, int]] = []
        self.stop = threading.Event()

    def line(self, prefix: str | tuple[str, ...], timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "edition serve stopped"
                continue
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no output line {prefix!r}")

    def keep_fetching(self) -> None:
        def loop():
            while not self.stop.is_set():
                for page in (PAGE, *OTHERS):
                    self.answers.append((page, get(self.base + page)[0]))
                time.sleep(0.05)
        self.fetcher = threading.Thread(target=loop, daemon=True)
        self.fetcher.start()

    def close(self) -> None:
        self.stop.set()
        self.process.terminate()
        self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = scratch_repo(tmp_path_factory.mktemp("serve"))
    server = Served(root)
    try:
        server.line("serving http://")
        server.line("chapter edits: ready")
        server.keep_fetching()
        yield root, server
    finally:
        server.close()


def replace_first_word(path: Path, paragraph: str, word: str) -> None:
    """The first word of the paragraph with id ``paragraph`` becomes ``word`` (a draft shows it)."""
    body = path.read_text(encoding="utf-8")
    changed = re.sub(rf"^\S+ (.*\n\{{: #{paragraph}\}})", rf"{word} \1", body, count=1, flags=re.M)
    assert changed != body
    path.write_text(changed, encoding="utf-8")


def test_an_edited_paragraph_is_served_and_the_full_build_agrees(served):
    root, server = served
    replace_first_word(root / CHAPTER, "phan-1-p3", "Chữsửathửnghiệm")
    assert server.line("rebuilt ") == f"rebuilt {PAGE}"  # the chapter page alone
    status, fast = get(server.base + PAGE)
    assert status == 200 and "Chữsửathửnghiệm" in fast and "Bản nháp" in fast
    assert server.line("site rebuilt").startswith("site rebuilt (site-")  # the full build a moment later
    status, full = get(server.base + PAGE)
    assert status == 200 and full == fast  # nav, theme, ids: the page built alone is the page of a full build


def test_a_hand_written_page_edit_swaps_in_a_full_build(served):
    root, server = served
    about = root / "docs" / "gioi-thieu.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\nĐoạn thêm thử nghiệm.\n", encoding="utf-8")
    server.line("site rebuilt")
    assert "Đoạn thêm thử nghiệm." in get(server.base + "gioi-thieu.html")[1]
    server.line("chapter edits: ready")  # a new worker, loaded from the changed sources


def test_a_bad_edit_prints_one_line_and_the_last_good_page_stays(served):
    root, server = served
    chapter = root / CHAPTER
    good = chapter.read_text(encoding="utf-8")
    chapter.write_text(good.replace("text: viet-xo-nga-70-nam", "text: khac", 1), encoding="utf-8")
    line = server.line(str(chapter))
    assert re.fullmatch(rf"{re.escape(str(chapter))}:\d+: front matter 'text: khac' does not match folder .*", line)
    assert "Chữsửathửnghiệm" in get(server.base + PAGE)[1]
    chapter.write_text(good, encoding="utf-8")
    server.line(("rebuilt ", "site rebuilt"))


def test_no_page_answered_anything_but_200_meanwhile(served):
    _, server = served
    server.stop.set()
    server.fetcher.join(timeout=60)
    assert len(server.answers) > 50
    assert [a for a in server.answers if a[1] != 200] == []


def test_only_chapter_files_changed_are_chapter_edits(tmp_path, monkeypatch):
    from edition import paths

    monkeypatch.setattr(paths, "CORPUS", tmp_path / "corpus")
    chapter, other = tmp_path / "corpus" / "t" / "01-a.md", tmp_path / "corpus" / "t" / "text.yml"
    docs, witness = tmp_path / "docs" / "a.md", tmp_path / "corpus" / "sources" / "w.md"
    before = {chapter: (1, 1), other: (1, 1), docs: (1, 1), witness: (1, 1)}
    assert chapter_edits(before, {**before, chapter: (2, 1)}) == [chapter]
    assert chapter_edits(before, {**before, chapter: (2, 1), other: (2, 1)}) is None
    assert chapter_edits(before, {**before, docs: (2, 1)}) is None
    assert chapter_edits(before, {**before, witness: (2, 1)}) is None
    assert chapter_edits(before, {k: v for k, v in before.items() if k != chapter}) is None


def test_editor_swap_and_backup_files_are_not_watched(tmp_path):
    for name in ("01-a.md", ".01-a.md.swp", "01-a.md~", "#01-a.md#"):
        (tmp_path / name).write_text("x")
    assert list(snapshot([tmp_path])) == [tmp_path / "01-a.md"]
