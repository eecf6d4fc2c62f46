"""Benchmark of the build and of what a reader downloads; prints Markdown tables. Run by hand, never in tests:

    .venv/bin/python scripts/benchmark.py [--quick]

Every figure comes from a scratch copy of the repository's inputs (the working tree's build/ and site/ are
not touched). Each stage runs in its own process (PYTHONPATH = the copy's scripts/), so its peak memory is
that process's maximum RSS, including the programs it starts (MkDocs, Pagefind). ``--quick`` is a smoke run
for CI: one repetition and the ×5 corpus only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("scripts", "corpus", "data", "docs", "theme", "bibliography.bib", "mkdocs.yml")

# Stage code run in a fresh interpreter inside the copy; SITE is that copy's site/ (absolute: MkDocs reads a
# relative -d from the config file's folder).
STAGES = {
    "load/validate": "from edition.corpus import load_corpus; load_corpus()",
    "enrich + render Markdown": ("from edition.enrich.pipeline import enrichers; "
                                 "from edition.render.run import render_all; render_all(enrichers=enrichers())"),
    "MkDocs (strict, as build_site)": ("run([sys.executable, '-m', 'mkdocs', 'build', '--clean', '--strict', "
                                       "'-f', 'build/mkdocs.yml', '-d', str(SITE)])"),
    "Pagefind": "from edition.site import index_site; index_site(SITE)",
}
REFERENCE = ("plain `mkdocs build` (reference)",
             "run([sys.executable, '-m', 'mkdocs', 'build', '-f', 'build/mkdocs.yml', '-d', str(SITE) + '-reference'])")
# Synthetic corpora have unknown text ids, which the citation enrichers reject: chapter pages only.
SYNTHETIC = {
    "load/validate": STAGES["load/validate"],
    "render chapter pages (no enrichment)": "from edition.render.run import render_all; render_all()",
}
DRIVER = """
import json, os, resource, subprocess, sys
from pathlib import Path
SITE = Path.cwd() / "site"
def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
{code}
usage = [resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
Path(os.environ["BENCH_OUT"]).write_text(json.dumps(max(usage)))
"""

TEXT_TYPES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".mjs"}
BUDGETS = {"largest chapter": 300 * 1024, "first search": 150 * 1024}
SEARCH_QUERY = "lien xo"
RESULTS_SHOWN = 5  # PAGE_SIZE in docs/assets/search.js: fragments of the first five results are fetched


def copy_repo(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def measure(root: Path, code: str, reps: int) -> tuple[float, float]:
    """(median wall seconds, peak RSS MiB) of ``code`` run ``reps`` times in a fresh interpreter in ``root``."""
    out = root / ".bench.json"
    env = {**os.environ, "PYTHONPATH": str(root / "scripts"), "BENCH_OUT": str(out), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    times, peaks = [], []
    for _ in range(reps):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", DRIVER.format(code=code)], cwd=root, env=env,
                                capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"benchmark stage failed: {code}\n{result.stderr.strip().splitlines()[-1:]}")
        peaks.append(json.loads(out.read_text()) / 1024)  # ru_maxrss is in KiB on Linux
    return statistics.median(times), max(peaks)


def synthesize(root: Path, factor: int) -> None:
    """Repeat every text ``factor`` times under new ids (``<id>-x02`` …), sharing the original witness."""
    corpus = root / "corpus"
    manifest = corpus / "sources" / "manifest.yml"
    entries = re.findall(r"^  - file: (\S+)\n    text: (\S+)\n(    sha256: \S+\n    bytes: \d+\n)",
                         manifest.read_text(encoding="utf-8"), flags=re.M)
    bib = root / "bibliography.bib"
    works = bib.read_text(encoding="utf-8")
    extra, extra_bib = [], []
    for file, text_id, rest in entries:
        # The landing page cites the text itself: a copy of its entry, retitled so it is another work.
        own = re.search(rf"^@\w+\{{{re.escape(text_id)},\n.*?^\}}\n", works, flags=re.S | re.M).group(0)
        for k in range(2, factor + 1):
            new = f"{text_id}-x{k:02d}"
            extra_bib.append(re.sub(r"^(  title = \{.*?)(\},)$", rf"\1 (x{k:02d})\2",
                                    own.replace(f"{{{text_id},", f"{{{new},", 1), count=1, flags=re.M))
            shutil.copytree(corpus / text_id, corpus / new)
            for path in [corpus / new / "text.yml", *sorted((corpus / new).glob("*.md"))]:
                key = "id" if path.name == "text.yml" else "text"
                body = path.read_text(encoding="utf-8")
                path.write_text(re.sub(rf"^{key}: {re.escape(text_id)}$", f"{key}: {new}", body, count=1,
                                       flags=re.M), encoding="utf-8")
            extra.append(f"  - file: {file}\n    text: {new}\n{rest}")
    with manifest.open("a", encoding="utf-8") as f:
        f.write("".join(extra))
    bib.write_text(works + "\n" + "\n".join(extra_bib), encoding="utf-8")


# --- bytes a browser downloads --------------------------------------------------------------------------

class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
            self.urls.append(a.get("href") or "")
        elif tag in ("script", "img", "source", "iframe") and a.get("src"):
            self.urls.append(a["src"])


def wire_size(path: Path) -> int:
    """Bytes on the wire: GitHub Pages gzips text types (level 6); binaries and Pagefind's files go as stored."""
    data = path.read_bytes()
    return len(gzip.compress(data, 6, mtime=0)) if path.suffix in TEXT_TYPES else len(data)


def _local(site: Path, base: Path, url: str, external: list[str]) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme == "data" or not url:
        return None
    if parts.scheme or parts.netloc:
        external.append(url)
        return None
    path = (base / parts.path).resolve()
    return path if path.is_file() and site.resolve() in path.parents else None


def page_weight(site: Path, page: Path) -> tuple[int, int, list[str]]:
    """(bytes, files, external URLs) for a cold load of ``page``: the HTML, its CSS/JS/images/icons and
    what the CSS references (fonts, images), each counted once."""
    parser = _Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    external: list[str] = []
    files = {page.resolve()}
    for url in parser.urls:
        path = _local(site, page.parent, url, external)
        if path:
            files.add(path)
    for css in [p for p in files if p.suffix == ".css"]:
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            path = _local(site, css.parent, url, external)
            if path:
                files.add(path)
    return sum(wire_size(p) for p in files), len(files), external


def _cbor(b: bytes, i: int = 0):
    """Minimal CBOR decoder (ints, strings, arrays, maps) for Pagefind's index files."""
    head, i = b[i], i + 1
    major, info = head >> 5, head & 31
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n, i = int.from_bytes(b[i:i + size], "big"), i + size
    else:
        raise ValueError(f"unsupported CBOR item {head:#x}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        raw = b[i:i + n]
        return (raw.decode() if major == 3 else raw), i + n
    if major in (4, 5):
        items = []
        for _ in range(n * (2 if major == 5 else 1)):
            item, i = _cbor(b, i)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2]))), i
    if major == 7:
        return None, i
    raise ValueError(f"unsupported CBOR major type {major}")


def _pagefind_file(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd"), path
    return _cbor(data, len(b"pagefind_dcd"))[0]


def search_weight(site: Path, query: str) -> tuple[int, int, list[str]]:
    """Files Pagefind fetches for a first query: the script, its worker, entry, wasm, meta, the index chunk
    of each term, then the fragments of the first results (the largest matching ones: an upper bound).
    Returns (bytes before any result is shown, bytes of those fragments, file names)."""
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    language, info = next(iter(entry["languages"].items()))
    meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
    wasm = bundle / f"wasm.{language}.pagefind"
    files = [bundle / "pagefind.js", bundle / "pagefind-worker.js", bundle / "pagefind-entry.json",
             wasm if wasm.exists() else bundle / "wasm.unknown.pagefind", meta_path]
    meta = _pagefind_file(meta_path)
    pages, chunks = meta[1], meta[2]
    hits: set[int] | None = None
    for term in query.split():
        chunk = next(c for c in chunks if c[0] <= term <= c[1])
        path = bundle / "index" / f"{chunk[2]}.pf_index"
        if path not in files:
            files.append(path)
        # A word entry is [word without diacritics, its pages, [[accented variant, its pages], …]]; each
        # page list is [[page number as a delta from the previous one, positions, …], …].
        found = {page for word in _pagefind_file(path)[0] if word[0] == term
                 for locs in [word[1], *(v[1] for v in word[2])]
                 for page in accumulate(loc[0] for loc in locs)}
        hits = found if hits is None else hits & found
    fragments = sorted((bundle / "fragment" / f"{pages[p][0]}.pf_fragment" for p in hits or ()),
                       key=lambda p: p.stat().st_size, reverse=True)[:RESULTS_SHOWN]
    names = [f"{p.relative_to(site)}" for p in files + fragments] + [f"({len(hits or ())} pages match)"]
    return sum(wire_size(p) for p in files), sum(wire_size(p) for p in fragments), names


def largest_chapter(site: Path, texts: list[str]) -> Path:
    pages = [p for t in texts for p in (site / t).glob("*.html") if p.name not in ("index.html", "thay-doi.html")]
    return max(pages, key=lambda p: p.stat().st_size)


# --- report ---------------------------------------------------------------------------------------------

def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def lighthouse() -> str:
    if not shutil.which("npx"):
        return "not run (npx not found)"
    try:
        probe = subprocess.run(["npx", "--no-install", "lighthouse", "--version"], capture_output=True,
                               text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "not run (npx lighthouse did not answer within 60 s)"
    if probe.returncode != 0:
        return "not run (lighthouse is not installed locally and the benchmark does not download it)"
    return f"available (lighthouse {probe.stdout.strip()}); run it by hand on `python -m http.server -d site`"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repetition, ×5 synthetic corpus only (CI smoke run)")
    args = parser.parse_args(argv)
    reps = 1 if args.quick else 3
    factors = (5,) if args.quick else (5, 20)
    py = ".venv/bin/python"

    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        real = copy_repo(Path(tmp) / "real")
        print(f"## Build of the real corpus (median of {reps}, peak RSS of the stage's process tree)\n")
        print("| stage | wall time | peak memory | command (in a scratch copy, PYTHONPATH=scripts) |")
        print("|---|---|---|---|")
        timings = {}
        for name, code in [*STAGES.items(), REFERENCE]:
            seconds, peak = measure(real, code, reps)
            timings[name] = seconds
            print(f"| {name} | {seconds:.2f} s | {peak:.0f} MiB | `{py} -c \"{code}\"` |")
        ours = timings["load/validate"] + timings["enrich + render Markdown"]
        mkdocs = timings[REFERENCE[0]]
        verdict = "less" if ours < mkdocs else "MORE"
        print(f"\nOur stages (load/validate + enrich/render; the render re-loads the corpus) take {ours:.2f} s: "
              f"{verdict} than MkDocs' own render of the same Markdown ({mkdocs:.2f} s). "
              "Times include interpreter start-up and imports.\n")

        print("## Scaling: the real corpus repeated with distinct text ids\n")
        print("Load/validate and chapter-page rendering only (no enrichment: the citation rules know only the five "
              "real text ids; MkDocs and Pagefind not run on the synthetic corpora).\n")
        print("| corpus | stage | wall time | peak memory | growth vs ×1 |")
        print("|---|---|---|---|---|")
        base = {}
        ok = True
        for factor in (1, *factors):
            root = real if factor == 1 else copy_repo(Path(tmp) / f"x{factor}")
            if factor > 1:
                synthesize(root, factor)
            for name, code in SYNTHETIC.items():
                seconds, peak = measure(root, code, 1 if factor > 5 else reps)
                base.setdefault(name, seconds)
                growth = seconds / base[name]
                ok &= factor != 20 or growth <= 25
                print(f"| ×{factor} | {name} | {seconds:.2f} s | {peak:.0f} MiB | {growth:.1f}× |")
            if factor > 1:
                shutil.rmtree(root)
        if 20 in factors:
            print(f"\n×20 within 25× of ×1: {'met' if ok else 'NOT MET'}.")
        print(f"\nCommand: `{py} scripts/benchmark.py{' --quick' if args.quick else ''}`; "
              f"stage code as in the first table (render: `{SYNTHETIC['render chapter pages (no enrichment)']}`).\n")

        site = real / "site"
        texts = [d.name for d in sorted((real / "corpus").iterdir()) if d.is_dir() and d.name != "sources"]
        chapter = largest_chapter(site, texts)
        print("## Bytes downloaded on a cold load (gzip -6 for text types, as GitHub Pages serves them)\n")
        print("| what | bytes | files | budget |")
        print("|---|---|---|---|")
        rows = [("home page", site / "index.html"), (f"largest chapter ({chapter.relative_to(site)})", chapter),
                ("timeline (thoi-gian-bieu/index.html)", site / "thoi-gian-bieu" / "index.html"),
                ("table page (phu-luc/phu-luc-01.html)", site / "phu-luc" / "phu-luc-01.html")]
        external = []
        for label, page in rows:
            if not page.exists():
                print(f"| {label} | page missing | | |")
                continue
            size, count, ext = page_weight(site, page)
            external += ext
            budget = BUDGETS["largest chapter"] if label.startswith("largest") else None
            mark = f"≤ {kib(budget)}: {'met' if size <= budget else 'NOT MET'}" if budget else ""
            print(f"| {label} | {kib(size)} | {count} | {mark} |")
        engine, fragments, loaded = search_weight(site, SEARCH_QUERY)
        budget, size = BUDGETS["first search"], engine + fragments
        print(f"| first search “{SEARCH_QUERY}” (on top of the page; Pagefind loads on first use): engine + "
              f"index {kib(engine)} + {RESULTS_SHOWN} largest matching fragments {kib(fragments)} | {kib(size)} | "
              f"{len(loaded) - 1} | ≤ {kib(budget)}: {'met' if size <= budget else 'NOT MET'} |")
        print(f"\nSearch files: {', '.join(loaded)}.")
        print(f"Resources from other hosts: {', '.join(sorted(set(external))) or 'none'}.")
        print("Bytes measured on the scratch build with `page_weight`/`search_weight` in scripts/benchmark.py.\n")
        print(f"Lighthouse: {lighthouse()}.")


if __name__ == "__main__":
    main()
