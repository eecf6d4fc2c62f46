"""The worker-pool helper (edition.pool) and the cache store (edition.cache) the build's stages share."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from edition import pool
from edition.cache import Store
from edition.errors import BuildError


def _squares(share: list[int], offset: int) -> list[tuple[int, int]]:
    return [(n * n + offset, os.getpid()) for n in share]


def _fails(share: list[int]) -> list[int]:
    if 3 in share:
        raise KeyError("three")
    return share


def _refuses(share: list[int]) -> list[int]:
    raise BuildError("data/x.yml", 4, "refused")


def test_results_come_back_in_the_items_order_from_forked_workers():
    out = pool.map_shares(_squares, list(range(10)), 1, count=3, where="x")
    assert [value for value, _ in out] == [n * n + 1 for n in range(10)]
    assert os.getpid() not in {pid for _, pid in out}
    assert [v for v, pid in pool.map_shares(_squares, [2], 0, count=1, where="x") if pid == os.getpid()] == [4]


def test_a_worker_error_is_a_build_error():
    with pytest.raises(BuildError, match=r"^site: KeyError: 'three'$"):
        pool.map_shares(_fails, list(range(6)), count=2, where="site")
    with pytest.raises(BuildError, match=r"^data/x.yml:4: refused$"):
        pool.map_shares(_refuses, list(range(6)), count=2, where="site")


def test_workers_one_per_core_and_item():
    assert pool.workers(1) == 1 and pool.workers(0) == 0
    assert pool.workers(100, cap=2) == min(os.cpu_count() or 1, 2)


def test_store_entries_sweep_and_folders(tmp_path):
    store = Store(tmp_path)
    store.write_json("a/1.json", {"é": 1})
    (tmp_path / "a" / "old.json").write_text("x")
    store.sweep("a")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["1.json"]
    (tmp_path / "a" / "1.json").write_bytes(b"0" * 64 + b"\n{}")  # damaged: reads as missing
    assert Store(tmp_path).read_json("a/1.json") is None
    assert store.make_folder("t/k1", lambda where: (where / "f").write_text("1")) == 1
    store.make_folder("t/k2", lambda where: (where / "f").write_text("2"))
    assert [p.name for p in (tmp_path / "t").iterdir()] == ["k2"]  # one version per folder
    with pytest.raises(ValueError):
        store.make_folder("t/k3", lambda where: int("x"))
    assert [p.name for p in (tmp_path / "t").iterdir()] == ["k2"]


def test_a_forked_task_runs_beside_this_process_and_gives_back_its_value_or_its_error():
    task = pool.Forked(_squares, [3], 1, where="x")
    (value, pid), = task.result()
    assert value == 10 and pid != os.getpid()
    with pytest.raises(BuildError) as refused:
        pool.Forked(_refuses, [1], where="x").result()
    assert str(refused.value) == "data/x.yml:4: refused"
    with pytest.raises(BuildError, match="KeyError: 'three'"):
        pool.Forked(_fails, [3], where="x").result()


def _shared(items: list[int]) -> list[tuple[int, int]]:
    return pool.map_shares(_squares, items, 0, count=2, where="x")


def test_a_forked_task_may_share_its_own_work_out():
    """Not a daemon: the forked task starts workers of its own (another interface's MkDocs pages)."""
    assert [value for value, _ in pool.Forked(_shared, list(range(8)), where="x").result()] == [n * n for n in range(8)]


def _write_late(files: list[str]) -> list[None]:
    for name in files:
        Path(name + ".started").write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(2)
    for name in files:
        Path(name).write_text("written after the stop", encoding="utf-8")
    return [None] * len(files)


def _share_late_writes(files: list[str]) -> list[None]:
    return pool.map_shares(_write_late, files, count=2, where="x")


def test_a_stopped_task_and_the_workers_it_started_write_nothing_more(tmp_path):
    """A build that failed stops the other interface's process at once, with the workers it shares its pages
    out to: none of them goes on writing beside the failed build."""
    files = [str(tmp_path / f"page-{n}") for n in range(2)]
    task = pool.Forked(_share_late_writes, files, where="x")
    deadline = time.monotonic() + 20
    while not all(Path(f + ".started").exists() for f in files):  # both workers are at work
        assert time.monotonic() < deadline
        time.sleep(0.05)
    task.stop()
    time.sleep(3)
    try:
        assert not any(Path(f).exists() for f in files)
    finally:  # a stop that missed the workers must not leave them waiting for work
        for name in files:
            with contextlib.suppress(OSError):
                os.kill(int(Path(name + ".started").read_text(encoding="utf-8")), signal.SIGKILL)
