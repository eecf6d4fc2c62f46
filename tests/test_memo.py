"""edition.memo: values kept under the digest of their inputs and code, read back by the next build, pruned to
what a build used, and never trusted when the file is unreadable or a value is not what the caller keeps."""

from __future__ import annotations

import json

import pytest

from edition import cache, memo, paths


@pytest.fixture
def new_memo(tmp_path, monkeypatch):
    """A memo named like a module's, its file under a scratch build/, kept out of the real memos' list."""
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    monkeypatch.setattr(memo, "_memos", [])
    code = tmp_path / "code.py"
    code.write_text("VERSION = 1\n", encoding="utf-8")

    def make(name: str = "test") -> memo.Memo:
        return memo.Memo(name, [code], ["PyYAML"])  # a new one: as a new process sees the file
    return make


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value
    return compute, calls


def test_a_value_is_computed_once_and_read_back_by_the_next_build(new_memo):
    compute, calls = counting({"b": [1, "x"], "a": None})
    first = new_memo()
    assert first.get(["input"], compute) == {"b": [1, "x"], "a": None}
    assert first.get(["input"], compute) == {"b": [1, "x"], "a": None}  # asked twice in a build
    memo.save_all()
    assert first.path.is_file() and not list(first.path.parent.glob(".*.tmp"))  # written whole, by rename
    assert new_memo().get(["input"], compute) == {"b": [1, "x"], "a": None} and len(calls) == 1
    assert list(new_memo().get(["input"], compute)) == ["b", "a"]  # keys in the order they were computed


def test_a_computed_value_is_returned_as_it_will_be_read_back(new_memo):
    assert new_memo().get(["input"], lambda: ("a", "b")) == ["a", "b"]  # JSON: a tuple comes back a list


def test_every_input_and_the_code_are_in_the_key(new_memo, tmp_path):
    compute, calls = counting("value")
    new_memo().get(["a", "b"], compute)
    memo.save_all()
    new_memo().get(["ab"], compute)  # parts are kept apart: "a", "b" is not "ab"
    new_memo().get(["a", "c"], compute)
    assert len(calls) == 3
    (tmp_path / "code.py").write_text("VERSION = 2\n", encoding="utf-8")
    new_memo().get(["a", "b"], compute)  # the code changed
    assert len(calls) == 4


def test_entries_the_build_did_not_use_are_pruned(new_memo):
    kept = new_memo()
    kept.get(["old"], lambda: "old")
    kept.get(["new"], lambda: "new")
    memo.save_all()
    build = new_memo()
    build.get(["new"], lambda: "recomputed")
    memo.save_all()
    assert list(json.loads(cache.read_checked(build.path)).values()) == ["new"]


def test_none_is_not_kept(new_memo):
    compute, calls = counting(None)
    first = new_memo()
    assert first.get(["input"], compute) is None
    memo.save_all()
    assert new_memo().get(["input"], compute) is None and len(calls) == 2


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[1, 2]", b""])
def test_an_unreadable_memo_file_is_ignored(new_memo, content):
    first = new_memo()
    first.get(["input"], lambda: "value")
    memo.save_all()
    first.path.write_bytes(content)
    compute, calls = counting("value")
    assert new_memo().get(["input"], compute) == "value" and len(calls) == 1


def test_a_stored_value_the_caller_does_not_accept_is_computed_again(new_memo):
    first = new_memo()
    first.get(["input"], lambda: ["a", "b"])
    memo.save_all()
    stored = json.loads(cache.read_checked(first.path))
    cache.write_checked(first.path, json.dumps({key: 7 for key in stored}).encode())  # edited, checksum and all
    assert new_memo().get(["input"], lambda: ["a", "b"], valid=lambda v: isinstance(v, list)) == ["a", "b"]


def test_a_memo_file_changed_after_it_was_written_is_ignored(new_memo):
    first = new_memo()
    first.get(["input"], lambda: "value")
    memo.save_all()
    first.path.write_bytes(first.path.read_bytes().replace(b'"value"', b'"other"'))
    compute, calls = counting("value")
    assert new_memo().get(["input"], compute) == "value" and len(calls) == 1


def test_entries_a_forked_process_used_are_saved_with_the_builds(new_memo):
    """A build forks a process per other interface: what that process computed is kept by the build's save,
    and what neither used is dropped."""
    compute, calls = counting("shared")
    first = new_memo()
    first.get(["old"], compute)
    memo.save_all()
    build = new_memo()
    build.get(["shared"], compute)
    worker = {"test": {**memo.used()["test"]}}  # the fork inherits what the build had used …
    worker["test"]["k"] = "computed in the fork"  # … and adds its own
    memo.merge(worker)
    memo.save_all()
    assert sorted(new_memo()._read().values()) == ["computed in the fork", "shared"]
