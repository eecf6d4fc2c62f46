"""Benchmark of the build and of what a reader downloads; prints Markdown tables. Run by hand, never in tests:

    .venv/bin/python scripts/benchmark.py [--quick]

Every figure comes from a scratch copy of the repository's inputs (the working tree's build/ and site/ are
not touched). Each stage runs in its own process (PYTHONPATH = the copy's scripts/), so its peak memory is
that process's maximum RSS, including the programs it starts (MkDocs, Pagefind). The edit loop runs
`edition serve --draft` on the copy and times edit → HTTP response containing the change, counting any
answer but 200 meanwhile; the full build is `edition build`, cold (build/cache/ removed), warm and after an
edit (against the budgets of issue 22). The first search is measured in Debian's Chromium (Playwright) and
Lighthouse runs on the same local server, which serves the site as GitHub Pages does (gzip, sub-path).
``--quick`` is a smoke run for CI: one repetition, the ×5 corpus only and
one Lighthouse run per page.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edition.outputs.site import pages_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("scripts", "schemas", "corpus", "data", "docs", "theme", "bibliography.bib", "mkdocs.yml")

# Stage code run in a fresh interpreter inside the copy; SITE is that copy's site/ (absolute: MkDocs reads a
# relative -d from the config file's folder).
STAGES = {
    "load/validate": "from edition.model.corpus import load_corpus; load_corpus()",
    "render Markdown alone (no enrichment)": "from edition.render.run import render_all; render_all()",
    "enrich + render Markdown": ("from edition.build import enrichers; "
                                 "from edition.render.run import render_all; render_all(enrichers=enrichers())"),
    "MkDocs (strict, in-process as build_site, page cache empty)": (
        "from edition.outputs.site.site import site_pages; p = site_pages(Path('build/mkdocs.yml'), SITE); "
        "p.populate(None); p.write(None)"),
    "search index (Pagefind)": "from edition.outputs.search.search_index import index_site; index_site(SITE)",
}
REFERENCE = ("plain `mkdocs build` (reference)",
             "run([sys.executable, '-m', 'mkdocs', 'build', '-f', 'build/mkdocs.yml', '-d', str(SITE) + '-reference'])")
# Synthetic corpora: every text repeated with its enrichment (synthesize), rendered with every enricher.
SYNTHETIC = {
    "load/validate": STAGES["load/validate"],
    "enrich + render Markdown": STAGES["enrich + render Markdown"],
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

CHROMIUM = Path("/usr/bin/chromium")  # Debian's, as in the browser tests
LIGHTHOUSE_DIR = ROOT / "scripts" / "lighthouse"  # its own package.json: not a test dependency
BUDGETS = {"largest chapter": 300 * 1024, "first search": 150 * 1024}
LIGHTHOUSE_BUDGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
HOST_INDEX = "host benchmarkIndex"  # Lighthouse's environment.benchmarkIndex of each run
# First searches: plain and accented, "d…" words (an unaccented d reads the chunks of both d and đ words).
SEARCH_QUERIES = ("lien xo", "doi moi", "đổi mới", "dầu khí", "viện trợ")


def edition_env(root: Path, **more: str) -> dict[str, str]:
    """The environment of a timed command in the copy ``root``: its scripts, and Python writing compiled modules
    as it does by default (an environment setting PYTHONDONTWRITEBYTECODE, as this machine's does, would
    compile the edition's modules again in every timed run, which no reader's repeated build does)."""
    env = {**os.environ, "PYTHONPATH": str(root / "scripts"), "NO_MKDOCS_2_WARNING": "1", **more}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def copy_repo(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def measure(root: Path, code: str, reps: int) -> tuple[float, float]:
    """(median wall seconds, peak RSS MiB) of ``code`` run ``reps`` times in a fresh interpreter in ``root``,
    each time with build/cache/ removed first: the cost of a stage's work, not of reading its cache."""
    out = root / ".bench.json"
    env = edition_env(root, BENCH_OUT=str(out))
    env.pop("SITE_URL", None)
    times, peaks = [], []
    for _ in range(reps):
        shutil.rmtree(root / "build" / "cache", ignore_errors=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", DRIVER.format(code=code)], cwd=root, env=env,
                                capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"benchmark stage failed: {code}\n{result.stderr.strip().splitlines()[-1:]}")
        peaks.append(json.loads(out.read_text()) / 1024)  # ru_maxrss is in KiB on Linux
    return statistics.median(times), max(peaks)


def synthesize(root: Path, factor: int) -> None:
    """Repeat every text ``factor`` times under new ids (``<id>-x02`` …), sharing the original witness, with
    its enrichment: the works it cites (x-cited-by), its timeline sources, its register scopes, its aliases.
    Only the owner of the appendix tables stays one (a copy would declare the same tables again)."""
    import yaml  # the engine's dependency; the benchmark runs in its environment

    def load(path: Path):
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    def dump(path: Path, data) -> None:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")

    corpus, data = root / "corpus", root / "data"
    manifest = load(corpus / "sources" / "manifest.yml")
    copies = {w["text"]: [f"{w['text']}-x{k:02d}" for k in range(2, factor + 1)] for w in manifest["witnesses"]}
    bib = root / "bibliography.bib"
    works = bib.read_text(encoding="utf-8")
    extra_bib = []
    for text_id, new_ids in copies.items():
        # The landing page cites the text itself: a copy of its entry, retitled so it is another work.
        own = re.search(rf"^@\w+\{{{re.escape(text_id)},\n.*?^\}}\n", works, flags=re.S | re.M).group(0)
        for k, new in enumerate(new_ids, 2):
            extra_bib.append(re.sub(r"^(  title = \{.*?)(\},)$", rf"\1 (x{k:02d})\2",
                                    own.replace(f"{{{text_id},", f"{{{new},", 1), count=1, flags=re.M))
            shutil.copytree(corpus / text_id, corpus / new)
            meta = load(corpus / new / "text.yml")
            meta["id"] = new
            (meta.get("features") or {}).pop("appendix_tables", None)
            dump(corpus / new / "text.yml", meta)
            for path in sorted((corpus / new).glob("*.md")):
                body = path.read_text(encoding="utf-8")
                path.write_text(re.sub(rf"^text: {re.escape(text_id)}$", f"text: {new}", body, count=1, flags=re.M),
                                encoding="utf-8")
    manifest["witnesses"] += [{**w, "text": new} for w in list(manifest["witnesses"]) for new in copies[w["text"]]]
    dump(corpus / "sources" / "manifest.yml", manifest)

    def cited_by(m: re.Match) -> str:  # every (text, label) pair again for each copy of the text
        pairs = [p.strip() for p in m.group(2).split(";") if p.strip()]
        more = [f"{new}:{p.split(':', 1)[1]}" for p in pairs for new in copies.get(p.split(":", 1)[0], [])]
        return f"{m.group(1)}{'; '.join(pairs + more)}{m.group(3)}"
    works = re.sub(r"^(  x-cited-by = \{)(.*?)(\},?)$", cited_by, works, flags=re.M)
    bib.write_text(works + "\n" + "\n".join(extra_bib), encoding="utf-8")

    aliases = load(corpus / "aliases.yml")
    aliases["aliases"] += [{**a, "page": f"{new}/{a['page'].split('/', 1)[1]}"} for a in list(aliases["aliases"])
                           for new in copies.get(a["page"].split("/", 1)[0], [])]
    dump(corpus / "aliases.yml", aliases)

    events_file = data / "timeline" / "events.yml"
    timeline = load(events_file)
    timeline["texts"].update({new: timeline["texts"][tid] for tid, news in copies.items() for new in news})
    for event in timeline["events"]:
        event["sources"] += [{**src, "text": new, "anchor": f"{new}/{src['anchor'].split('/', 1)[1]}"}
                             for src in list(event["sources"]) for new in copies.get(src["text"], [])]
    dump(events_file, timeline)

    register_file = data / "register" / "register.yml"
    register = load(register_file)
    for entry in register["entries"]:
        for variant in entry["variants"]:
            if isinstance(variant, dict):
                variant["texts"] += [new for tid in list(variant["texts"]) for new in copies.get(tid, [])]
    dump(register_file, register)


# --- the edit loop of `edition serve` and the full build ---------------------------------------------------

# seconds (issue 22): edit → page served with the change; a repeated and a cold (fresh clone) `edition build`
EDIT_BUDGET, BUILD_BUDGET = 0.5, {"warm": 1.5, "cold": 4.0}


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def edit_loop(root: Path, edits: int) -> dict:
    """`edition serve --draft` in the copy; ``edits`` times: replace a word of a paragraph of a chapter (draft:
    the fidelity gate would refuse a changed word), then poll the page until it contains the change. Meanwhile
    other pages are fetched again and again: every answer that is not 200 is counted. Last, one edit of a
    hand-written page (a full rebuild). Returns {"chapter": [s], "full": s, "non-200": n, "requests": n}."""
    import socket
    import threading

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    env = edition_env(root)
    server = subprocess.Popen([sys.executable, "-m", "edition.cli", "serve", "--draft", "--addr", f"127.0.0.1:{port}"],
                              cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    # the two largest chapters: the one edited (the worst case) and one that must keep answering meanwhile
    chapters = sorted(root.glob("corpus/*/[0-9][0-9]-*.md"), key=lambda p: p.stat().st_size, reverse=True)[:2]
    chapter, other = chapters
    url = base + chapter.relative_to(root / "corpus").with_suffix(".html").as_posix()
    about, original, about_text = root / "docs" / "gioi-thieu.md", None, None
    watched = [url, base + "index.html", base + other.relative_to(root / "corpus").with_suffix(".html").as_posix(),
               base + "thu-muc/index.html"]
    failures, requests, stop = [], [0], threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            for page in watched:
                status, _ = _get(page)
                requests[0] += 1
                if status != 200:
                    failures.append((page, status))
                time.sleep(0.02)  # a reader reloading hard, not a load test

    def until(page: str, needle: str, limit: float = 60) -> float:
        start = time.perf_counter()
        while needle not in _get(page)[1]:
            if time.perf_counter() - start > limit:
                raise SystemExit(f"benchmark: {needle!r} not served at {page} after {limit:.0f} s")
            time.sleep(0.01)
        return time.perf_counter() - start

    try:
        for line in server.stdout:  # the first build, then the worker that rebuilds a chapter page
            if line.startswith("chapter edits"):
                break
        if server.poll() is not None:
            raise SystemExit("benchmark: edition serve stopped")
        threading.Thread(target=server.stdout.read, daemon=True).start()  # keep the pipe flowing
        original = chapter.read_text(encoding="utf-8")
        checker = threading.Thread(target=hammer, daemon=True)
        checker.start()
        seconds = []
        for n in range(edits):
            body = chapter.read_text(encoding="utf-8")
            word = re.search(r"^(?!\{|#|---)(\S+) ", body[body.index("\n---\n", 4):], flags=re.M).group(1)
            token = f"suabenchmark{n}"
            chapter.write_text(body.replace(f"\n{word} ", f"\n{token} ", 1), encoding="utf-8")
            seconds.append(until(url, token))
            time.sleep(0.5)
        chapter.write_text(original, encoding="utf-8")  # the full build's fidelity check then finds no difference
        time.sleep(1)
        about_text = about.read_text(encoding="utf-8")
        about.write_text(about_text + "\n\nsuabenchmarkfull\n", encoding="utf-8")
        full = until(base + "gioi-thieu.html", "suabenchmarkfull")
        time.sleep(1)
        stop.set()
        checker.join()
    finally:
        server.terminate()
        server.wait()
        for path, text in ((chapter, original), (about, about_text)):  # the copy as it was, for what follows
            if text is not None:
                path.write_text(text, encoding="utf-8")
    return {"chapter": seconds, "full": full, "non-200": len(failures), "requests": requests[0]}


def _timed_build(root: Path, *flags: str) -> float:
    env = edition_env(root)
    env.pop("SITE_URL", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "edition.cli", "build", *flags], cwd=root, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def full_build(root: Path, reps: int) -> dict[str, list[float]]:
    """Wall seconds of `edition build` (render + MkDocs + Pagefind) in the copy, ``reps`` times each: with
    build/cache/ removed first (cold), again with nothing changed (warm), and after one word of the largest
    chapter changed (with --draft, as in the edit loop: the fidelity gate refuses a changed word; its warm
    build is timed first, so both differ by the edit only)."""
    chapter = max(root.glob("corpus/*/[0-9][0-9]-*.md"), key=lambda p: p.stat().st_size)
    original = chapter.read_text(encoding="utf-8")
    times: dict[str, list[float]] = {"cold": [], "warm": [], "draft": [], "edited": []}
    try:
        for n in range(reps):
            shutil.rmtree(root / "build" / "cache", ignore_errors=True)
            times["cold"].append(_timed_build(root))
            times["warm"].append(_timed_build(root))
            times["draft"].append(_timed_build(root, "--draft"))
            word = re.search(r"^(?!\{|#|---)(\S+) ", original[original.index("\n---\n", 4):], flags=re.M).group(1)
            chapter.write_text(original.replace(f"\n{word} ", f"\nsuabenchmark{n} ", 1), encoding="utf-8")
            times["edited"].append(_timed_build(root, "--draft"))
            chapter.write_text(original, encoding="utf-8")
    finally:
        chapter.write_text(original, encoding="utf-8")
    _timed_build(root)  # site/ as the sources are, for what follows
    return times


def print_loop(root: Path, reps: int, edits: int) -> None:
    builds = full_build(root, reps)
    loop = edit_loop(root, edits)
    edit = statistics.median(loop["chapter"])
    print("## Edit loop and full build (budgets of issue 22)\n")
    print(f"Machine load (1-minute average) at the start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores.\n")
    print("| what | median | runs | budget |")
    print("|---|---|---|---|")
    print(f"| `edition serve`: chapter paragraph edited → HTTP response containing the change | {edit:.2f} s | "
          f"{', '.join(f'{s:.2f}' for s in loop['chapter'])} | ≤ {EDIT_BUDGET:.1f} s: {'met' if edit <= EDIT_BUDGET else 'NOT MET'} |")
    print(f"| `edition serve`: hand-written page edited (full rebuild) → response containing it | {loop['full']:.2f} s | 1 | |")
    print(f"| answers other than 200 while regenerating | {loop['non-200']} of {loop['requests']} requests | | 0: "
          f"{'met' if loop['non-200'] == 0 else 'NOT MET'} |")
    rows = (("warm", "full `edition build`, nothing changed since the last build (build/cache/ kept)"),
            ("edited", "full `edition build --draft` after one word of the largest chapter changed"),
            ("draft", "full `edition build --draft`, nothing changed (the edited row's baseline)"),
            ("cold", "full `edition build` with build/cache/ removed (cold: a fresh clone's first build)"))
    for key, what in rows:
        median = statistics.median(builds[key])
        budget = BUILD_BUDGET.get(key)
        verdict = f"≤ {budget:.1f} s: {'met' if median <= budget else 'NOT MET'}" if budget else ""
        print(f"| {what} | {median:.2f} s | {', '.join(f'{s:.2f}' for s in builds[key])} | {verdict} |")
    print()


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
    return sum(pages_server.wire_size(p) for p in files), len(files), external


def search_weight(site: Path, query: str) -> tuple[int, int, list[str]] | str:
    """What a browser downloads for a first search: Chromium opens the home page from the local Pages-like
    server, types ``query`` in the search box and waits for the first results; every file requested under
    pagefind/ is counted once at its wire size. Returns (bytes, results shown, files) or why not measured."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "not measured (Playwright is not installed: run `python3 scripts/dev.py test` once)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"not measured ({CHROMIUM} is not installed)"
    requested: list[str] = []
    with pages_server.serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_context().new_page()
        page.context.on("request", lambda request: requested.append(request.url))
        page.goto(base)
        page.wait_for_load_state("networkidle")
        requested.clear()  # the page itself is counted under "home page"
        page.keyboard.press("/")
        page.keyboard.type(query)
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        shown = page.locator(".md-search-result__item:not(.edition-search__more)").count()
        browser.close()
    files = sorted({urlsplit(url).path[len(pages_server.PREFIX):] for url in requested
                    if "/pagefind/" in urlsplit(url).path})
    return sum(pages_server.wire_size(site / f) for f in files), shown, files


def largest_timeline_period(site: Path) -> Path:
    """The heaviest page of the timeline (one page per period; the index lists every event in one line)."""
    pages = [p for p in (site / "thoi-gian-bieu").glob("*.html") if p.name != "index.html"]
    return max(pages, key=lambda p: p.stat().st_size) if pages else site / "thoi-gian-bieu" / "index.html"


def largest_register_entry(site: Path) -> Path:
    """The heaviest page of the register of names (an entry lists every passage naming it)."""
    pages = [p for p in (site / "bang-tra").glob("*.html") if p.name != "index.html"]
    return max(pages, key=lambda p: p.stat().st_size) if pages else site / "bang-tra" / "index.html"


def largest_chapter(site: Path, texts: list[str]) -> Path:
    """The heaviest chapter page (not a landing page, change log or witness page: those have rows of their own)."""
    pages = [p for t in texts for p in (site / t).glob("*.html")
             if p.name not in ("index.html", "thay-doi.html") and not p.name.startswith("ban-nguon")]
    return max(pages, key=lambda p: p.stat().st_size)


def largest_changelog(site: Path, texts: list[str]) -> Path:
    """The longest change log (a table row per intervention)."""
    return max((site / t / "thay-doi.html" for t in texts), key=lambda p: p.stat().st_size)


# --- report ---------------------------------------------------------------------------------------------

def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def _lighthouse_binary() -> Path | str:
    """scripts/lighthouse/node_modules/.bin/lighthouse, installed from its lock file on first use."""
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if not npm:
        return "not run (npm not found)"
    result = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return f"not run (`npm ci` in scripts/lighthouse failed: {result.stderr.strip().splitlines()[-1:]})"
    return binary


def lighthouse(site: Path, pages: list[tuple[str, str]], runs: int) -> list[tuple[str, dict[str, list[int]]]] | str:
    """Lighthouse scores (0–100) of each page, ``runs`` times, on the local Pages-like server (gzip,
    sub-path) with Debian's Chromium and Lighthouse's default mobile emulation and simulated throttling."""
    binary = _lighthouse_binary()
    if isinstance(binary, str):
        return binary
    if not os.access(CHROMIUM, os.X_OK):
        return f"not run ({CHROMIUM} is not installed)"
    scores = []
    with pages_server.serve(site) as base, tempfile.TemporaryDirectory(prefix="edition-lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        for label, path in pages:
            page_scores: dict[str, list[int]] = {c: [] for c in LIGHTHOUSE_BUDGETS}
            for _ in range(runs):
                command = [str(binary), base + path, "--quiet", "--output=json", f"--output-path={report}",
                           f"--only-categories={','.join(LIGHTHOUSE_BUDGETS)}",
                           "--chrome-flags=--headless=new --no-sandbox"]
                result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                                        env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
                if result.returncode != 0:
                    return f"failed on {path}: {result.stderr.strip().splitlines()[-1:]}"
                result = json.loads(report.read_text(encoding="utf-8"))
                for category in LIGHTHOUSE_BUDGETS:
                    page_scores[category].append(round(result["categories"][category]["score"] * 100))
                page_scores.setdefault(HOST_INDEX, []).append(round(result["environment"]["benchmarkIndex"]))
            scores.append((label, page_scores))
    return scores


def print_lighthouse(scores: list[tuple[str, dict[str, list[int]]]]) -> None:
    print("| page | " + " | ".join(LIGHTHOUSE_BUDGETS) + f" | budgets | {HOST_INDEX} |")
    print("|---|" + "---|" * (len(LIGHTHOUSE_BUDGETS) + 2))
    for label, page_scores in scores:
        medians = {c: statistics.median(v) for c, v in page_scores.items()}
        cells = [f"{medians[c]:.0f} ({', '.join(map(str, page_scores[c]))})" for c in LIGHTHOUSE_BUDGETS]
        met = all(medians[c] >= floor for c, floor in LIGHTHOUSE_BUDGETS.items())
        host = ", ".join(map(str, page_scores.get(HOST_INDEX, [])))
        print(f"| {label} | {' | '.join(cells)} | {'met' if met else 'NOT MET'} | {host} |")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nMachine load: {HOST_INDEX} is Lighthouse's measure of the host CPU at the start of each run "
          f"(higher is faster); load average when the runs ended (1/5/15 min, {os.cpu_count()} CPUs): {load}. "
          "Simulated throttling scales the CPU time it observes, so runs on a busy host score lower.")
    print(f"\nBudgets: {', '.join(f'{c} ≥ {v}' for c, v in LIGHTHOUSE_BUDGETS.items())}. "
          f"Command: `{LIGHTHOUSE_DIR.relative_to(ROOT)}/node_modules/.bin/lighthouse <url> --output=json "
          f"--only-categories=... --chrome-flags='--headless=new --no-sandbox'` with CHROME_PATH={CHROMIUM}.")


DOWNLOADS_CODE = (
    "import json,sys; from edition.model.corpus import load_corpus; from edition.model.witness import load_manifest; "
    "from edition.enrich.bibliography import format_all; from edition.outputs.downloads.build import build_downloads; "
    "from pathlib import Path; format_all(); t=[x for x in load_corpus() if not sys.argv[1:] or x.id in sys.argv[1:]]; "
    "r=build_downloads(t, load_manifest(), Path('build/bench-docs'), cache=Path('build/bench-cache')); "
    "print(json.dumps({k: [(d.fmt, d.size, d.seconds) for d in v] for k, v in r.items()}))")


def smallest_text(root: Path) -> str:
    """The text of the manifest with the smallest witness (--quick builds only its downloads)."""
    entries = re.findall(r"^    text: (\S+)\n    sha256: \S+\n    bytes: (\d+)$",
                         (root / "corpus" / "sources" / "manifest.yml").read_text(encoding="utf-8"), flags=re.M)
    return min(entries, key=lambda e: int(e[1]))[0]


def downloads(root: Path, quick: bool) -> None:
    """Cold build (empty cache) of the PDF/EPUB/TEI downloads (`edition build --downloads`)."""
    only = [smallest_text(root)] if quick else []
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", DOWNLOADS_CODE, *only], cwd=root, capture_output=True, text=True,
                         env=edition_env(root))
    wall = time.perf_counter() - start
    print(f"## Downloads (`edition build --downloads`, cold cache{', one text (--quick)' if quick else ''})\n")
    if out.returncode != 0:
        print(f"Downloads failed: {(out.stderr or out.stdout).strip().splitlines()[-1:]}\n")
        if os.environ.get("CI") == "true":
            raise SystemExit(1)
        return
    print("| text | PDF | EPUB | TEI | build time (TEI + EPUB incl. EPUBCheck + PDF) |")
    print("|---|---|---|---|---|")
    for text_id, files in json.loads(out.stdout.strip().splitlines()[-1]).items():
        cells = {fmt: f"{kib(size)} ({seconds:.1f} s)" for fmt, size, seconds in files}
        print(f"| {text_id} | {cells['pdf']} | {cells['epub']} | {cells['xml']} | {sum(s for _, _, s in files):.1f} s |")
    print(f"\nWall time including start-up, TEI schema load and EPUBCheck: {wall:.1f} s. "
          "A build whose inputs are unchanged reuses the cache (build/cache/downloads/).\n")


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
            if name == "enrich + render Markdown":
                enrich = seconds - timings["render Markdown alone (no enrichment)"]
                print(f"| enrich (the difference of the two rows above) | {enrich:.2f} s | | |")
        ours = timings["load/validate"] + timings["enrich + render Markdown"]
        mkdocs = timings[REFERENCE[0]]
        verdict = "less" if ours < mkdocs else "MORE"
        print(f"\nOur stages (load/validate + enrich/render; the render re-loads the corpus) take {ours:.2f} s: "
              f"{verdict} than MkDocs' own render of the same Markdown ({mkdocs:.2f} s). "
              "Times include interpreter start-up and imports.\n")

        print_loop(real, 1 if args.quick else 5, 1 if args.quick else 5)

        print("## Scaling: the real corpus repeated with distinct text ids\n")
        print("Load/validate and the enriched render (citations, cross-links, timeline, register and bibliography "
              "pages of every copy; MkDocs and Pagefind not run on the synthetic corpora).\n")
        print("| corpus | stage | wall time | peak memory | growth vs ×1 |")
        print("|---|---|---|---|---|")
        base: dict[str, float] = {}
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
        downloads(real, args.quick)
        print(f"\nCommand: `{py} scripts/benchmark.py{' --quick' if args.quick else ''}`; "
              f"stage code as in the first table.\n")

        site = real / "site"
        texts = [d.name for d in sorted((real / "corpus").iterdir()) if d.is_dir() and d.name != "sources"]
        chapter = largest_chapter(site, texts)
        print("## Bytes downloaded on a cold load (gzip -6 for text types, as GitHub Pages serves them)\n")
        print("| what | bytes | files | budget |")
        print("|---|---|---|---|")
        period = largest_timeline_period(site)
        entry = largest_register_entry(site)
        changelog = largest_changelog(site, texts)
        rows = [("home page", site / "index.html"), (f"largest chapter ({chapter.relative_to(site)})", chapter),
                ("timeline index (thoi-gian-bieu/index.html)", site / "thoi-gian-bieu" / "index.html"),
                (f"timeline period, largest ({period.relative_to(site)})", period),
                ("table page (phu-luc/phu-luc-01.html)", site / "phu-luc" / "phu-luc-01.html"),
                ("register index (bang-tra/index.html)", site / "bang-tra" / "index.html"),
                (f"register entry, largest ({entry.relative_to(site)})", entry),
                ("bibliography (thu-muc/index.html)", site / "thu-muc" / "index.html"),
                (f"a text's landing page ({texts[0]}/index.html)", site / texts[0] / "index.html"),
                (f"change log, longest ({changelog.relative_to(site)})", changelog)]
        witness = max(site.glob("*/ban-nguon*.html"), key=lambda p: p.stat().st_size, default=None)
        if witness:
            rows.append((f"witness page, largest ({witness.relative_to(site)})", witness))
        # the English interface: every page type again, the same pages with its words (issue 27: both languages)
        rows += [(f"English interface: {label.split(' (')[0]}", site / "en" / page.relative_to(site))
                 for label, page in list(rows)]
        if witness:
            rows.append((f"its ¶-dialog data ({witness.with_suffix('.json').relative_to(site)})",
                         witness.with_suffix(".json")))
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
        print(f"\nResources from other hosts: {', '.join(sorted(set(external))) or 'none'}. "
              "Measured on the scratch build with `page_weight` in scripts/benchmark.py.\n")

        unmeasured: list[str] = []
        budget = BUDGETS["first search"]
        print("## First search (Chromium, cold cache; Pagefind loads on first use; the query typed at once)\n")
        print("| query | bytes | files | results shown | budget |")
        print("|---|---|---|---|---|")
        for query in SEARCH_QUERIES:
            searched = search_weight(site, query)
            if isinstance(searched, str):
                print(f"| {query} | {searched} | | | |")
                unmeasured.append("first search")
                break
            size, shown, files = searched
            print(f"| {query} | {kib(size)} | {len(files)} | {shown} | "
                  f"≤ {kib(budget)}: {'met' if size <= budget else 'NOT MET'} |")
        print("\nMeasured with `search_weight` in scripts/benchmark.py (every file under pagefind/ counted once).\n")

        runs = 1 if args.quick else 3
        pages = [(label.split(" (")[0], page.relative_to(site).as_posix()) for label, page in rows
                 if page.suffix == ".html"]  # Lighthouse audits pages, not the dialog data beside them
        scores = lighthouse(site, pages, runs)
        print(f"## Lighthouse {'(one run)' if runs == 1 else f'(median of {runs} runs)'}: mobile emulation, "
              "simulated throttling, Debian Chromium, gzip and sub-path as on GitHub Pages\n")
        if isinstance(scores, str):
            print(f"Lighthouse: {scores}.")
            unmeasured.append("Lighthouse")
        else:
            print_lighthouse(scores)
    if unmeasured and os.environ.get("CI") == "true":
        raise SystemExit(f"benchmark: not measured in CI: {', '.join(unmeasured)}")


if __name__ == "__main__":
    main()
