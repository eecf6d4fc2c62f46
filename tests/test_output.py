"""edition.render.output: a generated file is written only when its bytes change, and what a build did not
write is pruned from the docs folder."""

from __future__ import annotations

import os

from edition.render import output


def test_an_unchanged_file_is_not_written_again(tmp_path):
    page = tmp_path / "docs" / "a" / "page.md"
    output.begin()
    output.write_text(page, "# Trang\n")
    os.utime(page, ns=(1, 1))
    output.write_text(page, "# Trang\n")
    assert page.stat().st_mtime_ns == 1
    output.write_text(page, "# Trang mới\n")
    assert page.read_text(encoding="utf-8") == "# Trang mới\n" and page.stat().st_mtime_ns != 1


def test_what_the_build_did_not_write_is_pruned(tmp_path):
    docs = tmp_path / "docs"
    for stale in ("old.md", "gone/deeper/page.md", "kept/old.svg"):
        (docs / stale).parent.mkdir(parents=True, exist_ok=True)
        (docs / stale).write_text("cũ", encoding="utf-8")
    source = tmp_path / "source"
    (source / "_partials").mkdir(parents=True)
    (source / "_partials" / "x.md").write_text("x", encoding="utf-8")
    (source / "_home.md").write_text("home", encoding="utf-8")
    (source / "style.css").write_bytes(b"p{}")
    output.begin()
    output.copy_tree(source, docs, skip=lambda path: path.name.startswith("_"))
    output.write_text(docs / "kept" / "page.md", "mới")
    output.prune(docs)
    files = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*"))
    assert files == ["kept", "kept/page.md", "style.css"]


def test_a_draft_stamp_goes_on_every_markdown_page_once(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "page.md").write_text("văn bản\n", encoding="utf-8")
    (source / "data.csv").write_text("a,b\n", encoding="utf-8")
    output.begin(stamp=lambda page: "NHÁP\n" + page)
    output.copy_tree(source, tmp_path / "docs", skip=lambda path: False)
    output.write_text(tmp_path / "docs" / "other.md", "khác\n")
    output.copy_tree(source, tmp_path / "docs", skip=lambda path: False)  # a second build: nothing stamped twice
    assert (tmp_path / "docs" / "page.md").read_text(encoding="utf-8") == "NHÁP\nvăn bản\n"
    assert (tmp_path / "docs" / "other.md").read_text(encoding="utf-8") == "NHÁP\nkhác\n"
    assert (tmp_path / "docs" / "data.csv").read_text(encoding="utf-8") == "a,b\n"
    output.begin()
