"""Make Pagefind's filter files reproducible: Pagefind 1.5 writes a filter's values (and the list of filters
in its metadata file) in hash-map order, which changes from run to run, and names the files by a hash of
that content; two builds of the same site would differ.

This rewrites each filter file with its values sorted, names it by a hash of the sorted content, and
rewrites the metadata file (filter list sorted, new names) and ``pagefind-entry.json`` to match. The
files are ``pagefind_dcd`` + CBOR, gzipped; only the CBOR that Pagefind writes there is handled (unsigned
integers, text, arrays), and a file that does not decode and re-encode to its own bytes stops the build,
so a format change in a Pagefind upgrade is noticed rather than written wrong.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from ...errors import BuildError

SIGNATURE = b"pagefind_dcd"


def _decode(data: bytes, i: int = 0):
    head, i = data[i], i + 1
    major, info = head >> 5, head & 31
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise ValueError(f"CBOR item {head:#x} not handled")
    if major == 0:
        return n, i
    if major == 3:
        return data[i:i + n].decode("utf-8"), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    raise ValueError(f"CBOR major type {major} not handled")


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(n)


def _encode(value) -> bytes:
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(_encode(v) for v in value)


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    try:
        if not data.startswith(SIGNATURE):
            raise ValueError("no pagefind_dcd signature")
        value, end = _decode(data, len(SIGNATURE))
        if end != len(data) or _encode(value) != data[len(SIGNATURE):]:
            raise ValueError("does not re-encode to the same bytes")
    except (ValueError, IndexError, UnicodeDecodeError) as exc:
        raise BuildError(path, None, f"unexpected Pagefind file format ({exc}); see edition/outputs/search/pagefind_bundle.py") from exc
    return value


def _write(folder: Path, prefix: str, suffix: str, value, digits: int) -> str:
    """Write ``value`` as ``<prefix><hash><suffix>`` in ``folder``; returns ``<prefix><hash>``."""
    data = SIGNATURE + _encode(value)
    name = prefix + hashlib.sha256(data).hexdigest()[:digits]
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def stabilise_filters(bundle: Path) -> None:
    """Sort the filter files and the metadata's filter list of the Pagefind bundle in ``bundle``."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_file)
        filters = []
        for name, old in meta[3]:
            old_file = bundle / "filter" / f"{old}.pf_filter"
            filter_name, values = _read(old_file)
            old_file.unlink()
            new = _write(bundle / "filter", f"{language}_", ".pf_filter", [filter_name, sorted(values)], 7)
            filters.append([name, new])
        meta[3] = sorted(filters)
        meta_file.unlink()
        info["hash"] = _write(bundle, f"pagefind.{language}_", ".pf_meta", meta, 10).removeprefix("pagefind.")
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
