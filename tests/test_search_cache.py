"""The search index's caches (build/cache/search/): a warm build writes the bytes a cold one writes, without
parsing a page or running Pagefind; a changed page or register is seen; a damaged cache file is ignored."""

from __future__ import annotations

import gzip

import pytest

from edition.cache import Store
from edition.model import register
from edition.outputs.search import search_index
from edition.outputs.search.search_index import BUNDLE_CACHE, RECORDS_CACHE, index_site, site_records
from tests.test_search_index import PAGE

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

CHAPTER = "luan-an-1975-1991/02.html"


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site"
    (site / "luan-an-1975-1991").mkdir(parents=True)
    (site / CHAPTER).write_text(PAGE, encoding="utf-8")
    (site / "index.html").write_text('<html><body><div data-pagefind-body><h2 id="a">Giới thiệu</h2>'
                                     '<p id="a-p1">Ấn bản điện tử.</p></div></body></html>', encoding="utf-8")
    return site


def _index(site, cache) -> tuple[int, dict[str, bytes]]:
    """The page count and every file of the bundle ``index_site`` writes."""
    count = index_site(site, cache)
    bundle = site / "pagefind"
    return count, {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def _fail(*_args, **_kwargs):
    raise AssertionError("the cache should have answered")


def test_a_warm_build_writes_the_cold_bundle_and_records_without_parsing_or_pagefind(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cold_records = site_records(site, tmp_path / "no-cache")
    cold = _index(site, cache)
    assert _index(site, tmp_path / "another-cache") == cold  # Pagefind + stabilise_filters: reproducible
    for name in ("page_records", "_pagefind"):
        monkeypatch.setattr(search_index, name, _fail)
    monkeypatch.setattr(register, "load_register", _fail)  # all pages cached: the register is not loaded
    assert site_records(site, cache) == cold_records
    assert _index(site, cache) == cold
    assert cold[0] == len(cold_records) == 6


def test_a_changed_page_alone_is_parsed_again_and_its_new_word_indexed(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    before = _index(site, cache)
    (site / CHAPTER).write_text(PAGE.replace("Đoạn hai", "Đoạn hai xylophon"), encoding="utf-8")
    parsed = []
    parse = search_index.page_records
    monkeypatch.setattr(search_index, "page_records", lambda site, page, *args: parsed.append(page) or parse(
        site, page, *args))
    after = _index(site, cache)
    assert parsed == [site / CHAPTER] and after != before
    assert len(Store(cache).read_pickle(RECORDS_CACHE)) == 2 and len(list(cache.glob("bundle-*"))) == 1  # pruned
    assert any(b"xylophon" in gzip.decompress(data) for name, data in after[1].items() if name.startswith("fragment/"))
    monkeypatch.undo()
    assert _index(site, tmp_path / "cold-cache") == after


def test_a_changed_register_changes_every_page_s_key(tmp_path, monkeypatch):
    copy = tmp_path / "register.yml"
    copy.write_bytes(register.REGISTER_FILE.read_bytes())
    monkeypatch.setattr(register, "REGISTER_FILE", copy)
    before = search_index._records_inputs()
    copy.write_bytes(copy.read_bytes().replace(b"Gorbachev", b"Gorbatchev"))
    assert search_index._records_inputs() != before


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],
    lambda data: data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],
    lambda data: b"not a cache file",
], ids=["cut-short", "bit-flipped", "not-a-cache-file"])
def test_a_damaged_cache_file_is_ignored(site, tmp_path, damage):
    cache = tmp_path / "cache"
    cold = _index(site, cache)
    for name in (RECORDS_CACHE, BUNDLE_CACHE):
        (cache / name).write_bytes(damage((cache / name).read_bytes()))
    assert _index(site, cache) == cold


def test_the_kept_records_folder_is_put_right_before_pagefind_reads_it(site, tmp_path):
    cache = tmp_path / "cache"
    cold = _index(site, cache)
    folder = cache / search_index.RECORDS_FOLDER
    (folder / "index" / "000.html").write_text("<html><body>sửa tay</body></html>", encoding="utf-8")
    (folder / "stray" / "000.html").parent.mkdir()
    (folder / "stray" / "000.html").write_text("<html><body><main data-pagefind-body>lạc</main></body></html>")
    (cache / BUNDLE_CACHE).unlink()  # Pagefind runs again
    assert _index(site, cache) == cold and not (folder / "stray").exists()


def test_a_cached_bundle_file_changed_through_its_link_is_not_used(site, tmp_path):
    cache = tmp_path / "cache"
    cold = _index(site, cache)
    with open(site / "pagefind" / "pagefind-entry.json", "r+b") as entry:  # in place: the cache shares the file
        entry.write(b" ")
    assert _index(site, cache) == cold


def test_a_repeated_build_leaves_the_bundle_it_finds_and_removes_what_is_not_part_of_it(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cold = _index(site, cache)
    files = {p: p.stat().st_ino for p in (site / "pagefind").rglob("*") if p.is_file()}
    monkeypatch.setattr(search_index, "_link", _fail)  # nothing to link: the site holds the bundle already
    assert _index(site, cache) == cold
    assert {p: p.stat().st_ino for p in files} == files
    monkeypatch.undo()
    (site / "pagefind" / "stray.js").write_text("x", encoding="utf-8")  # not the bundle's: the bundle is laid again
    assert _index(site, cache) == cold
