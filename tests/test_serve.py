"""``edition serve`` (edition.serve) on a scratch copy, as a reader would use it while editing: an edited
paragraph is served (its page rebuilt alone, then by the full build that follows: the same page), a hand-written
page edit is a full rebuild swapped in, a bad edit prints one ``file:line: message`` and the last good page
stays served — and while all that happens no page ever answers anything but 200. Without --draft, a failed build
is told on the served pages: a word the fidelity gate refuses is never served, a banner names the error until a
build succeeds, and a first build that fails serves an error page until the input is fixed. Not timed (the
benchmark is)."""

from __future__ import annotations

import html
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

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

CHAPTER, PAGE = "corpus/viet-xo-nga-70-nam/01-toan-van.md", "viet-xo-nga-70-nam/01-toan-van.html"
TEXT_YML = "corpus/viet-xo-nga-70-nam/text.yml"
BANNER = "Bản dựng lỗi"
OTHERS = ("index.html", "luan-an-1975-1991/02-chuong-1.html", "thu-muc/index.html", "gioi-thieu.html")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


class Served:
    """``edition serve [--draft]`` in ``root``; its output lines in a queue; pages fetched in a loop meanwhile."""

    def __init__(self, root: Path, draft: bool = True) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "PYTHONPATH": str(root / "scripts"), "NO_MKDOCS_2_WARNING": "1"}
        flags = ["--draft"] if draft else []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "edition.cli", "serve", *flags, "--addr", f"127.0.0.1:{port}"],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read_lines, daemon=True).start()
        self.answers: list[tuple[str, int]] = []
        self.stop = threading.Event()

    def _read_lines(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

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


@pytest.fixture(scope="module")
def refusing(tmp_path_factory):
    """``edition serve`` without --draft on a copy whose text.yml is broken: the first build fails."""
    root = scratch_repo(tmp_path_factory.mktemp("serve-refusing"))
    good = (root / TEXT_YML).read_text(encoding="utf-8")
    (root / TEXT_YML).write_text(good.replace("\n", "\nbroken: [unclosed\n", 1), encoding="utf-8")
    server = Served(root, draft=False)
    try:
        yield root, server, good
    finally:
        server.close()


def test_a_failed_first_build_serves_its_error_until_fixed(refusing):
    root, server, good = refusing
    line = server.line(str(root / TEXT_YML))
    assert re.fullmatch(rf"{re.escape(str(root / TEXT_YML))}:\d+: malformed YAML: .*", line)
    server.line("serving http://")  # the server runs although nothing was built
    for page in ("index.html", PAGE, "thu-muc/", "khong-co-trang-nay.html"):
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(server.base + page, timeout=30)
        body = answer.value.read().decode("utf-8")
        assert answer.value.code == 500 and BANNER in body and html.escape(line) in body
        assert "default-src 'self'" in answer.value.headers["Content-Security-Policy"]
        assert '<script src="/_edition/livereload.js">' in body  # it reloads when a build succeeds
    (root / TEXT_YML).write_text(good, encoding="utf-8")
    server.line("site rebuilt")  # still watching: the fixed input is built and served
    status, index = get(server.base + "index.html")
    assert status == 200 and BANNER not in index and "<title>" in index
    server.line("chapter edits: ready")  # the worker starts from that build


def test_a_refused_word_is_not_served_and_the_error_is_shown_until_fixed(refusing):
    root, server, _ = refusing
    chapter = root / CHAPTER
    good = chapter.read_text(encoding="utf-8")
    generation = get(server.base + "_edition/generation?since=-1")[1]
    replace_first_word(chapter, "phan-1-p3", "Chữsửathửnghiệm")
    line = server.line(str(chapter))
    assert re.fullmatch(rf"{re.escape(str(chapter))}:\d+: 1 difference\(s\) from the witness \S+ not explained by "
                        r"the change log; first: replace: witness 'Thời' → corpus 'Chữsửathửnghiệm' .*", line)
    # the pages reload: the error is news though no page changed
    assert get(server.base + f"_edition/generation?since={generation}")[1] != generation
    for page in (PAGE, *OTHERS):
        status, body = get(server.base + page)
        shown, banner = body.split('<div class="edition-serve-error" role="alert">')  # the message names the word
        assert status == 200 and "Chữsửathửnghiệm" not in shown and "Bản nháp" not in shown
        assert banner.startswith(f"<strong>{BANNER}</strong> — trang đang hiển thị là bản cuối cùng hợp lệ")
        assert html.escape(line) in body and line not in body  # the message, escaped
        assert '<link rel="stylesheet" href="/_edition/error.css"></head>' in body
    status, css = get(server.base + "_edition/error.css")
    assert status == 200 and ".edition-serve-error" in css
    chapter.write_text(good, encoding="utf-8")
    server.line("site rebuilt")
    status, body = get(server.base + PAGE)
    assert status == 200 and BANNER not in body and "error.css" not in body


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


def test_a_stopped_full_build_stops_every_process_it_started(tmp_path, monkeypatch):
    """A newer change stops the full build under way: with it the processes the build forked (the other
    interfaces, the page workers), which would otherwise go on writing into the folder being removed."""
    from edition import serve

    late = tmp_path / "late"
    started = tmp_path / "started"
    script = ("import os, pathlib, time\n"
              "if os.fork() == 0:\n"
              f"    pathlib.Path({str(started)!r}).touch(); time.sleep(2); pathlib.Path({str(late)!r}).touch()\n"
              "else:\n"
              "    time.sleep(30)\n")
    monkeypatch.setattr(serve, "build_command", lambda site, draft: [sys.executable, "-c", script])
    full = serve.FullBuild(tmp_path / "site-2", draft=False)
    deadline = time.monotonic() + 20
    while not started.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    full.stop()
    time.sleep(3)
    assert full.done() and not late.exists()
