"""Turn the rendered Markdown into the reading site: MkDocs (strict) into site/, then the search index
(edition.search_index: Pagefind bundle in ``<site>/pagefind/``).
``edition serve`` (edition.serve) serves a built site and rebuilds it as the sources change.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from edition.errors import BuildError
from edition.search_index import index_site

_WARNING = re.compile(r"^(WARNING|ERROR)\s+-\s+(.*)$")
_DOC_FILE = re.compile(r"Doc file '([^']+)'")
_QUOTED_LINK = re.compile(r"contains a link '([^']+)'")


def _env() -> dict[str, str]:
    # Keep MkDocs' end-of-life banner out of the output we parse and show.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _site_and_docs_dirs(config: Path) -> tuple[Path, Path]:
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        cfg = load_config(config_file=str(config))
    except ConfigurationError as error:
        raise BuildError(config, None, f"invalid MkDocs configuration: {error}") from None
    return Path(cfg["site_dir"]), Path(cfg["docs_dir"])


def _line_of(path: Path, needle: str) -> int | None:
    """1-based line of the first occurrence of ``needle`` in ``path`` (to point at a bad link)."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in line:
                return number
    except OSError:
        return None
    return None


def _mkdocs_error(config: Path, docs_dir: Path, output: str) -> BuildError:
    """The first warning or error of a failed MkDocs run, as one ``file:line: message``."""
    lines = output.splitlines()
    for number, raw in enumerate(lines):
        match = _WARNING.match(raw.strip())
        if not match:
            continue
        # A list may follow on indented lines ("pages … not included in the nav:\n  - a.md").
        items = [line.strip(" -") for line in lines[number + 1:number + 4] if line.startswith("  - ")]
        message = " ".join([match.group(2).strip(), ", ".join(items)]).strip()
        doc = _DOC_FILE.search(message)
        if doc:
            path = docs_dir / doc.group(1)
            link = _QUOTED_LINK.search(message)
            line = _line_of(path, link.group(1)) if link else None
            return BuildError(path, line, message)
        return BuildError(config, None, message)
    tail = [line for line in output.splitlines() if line.strip()]
    return BuildError(config, None, f"mkdocs build failed: {tail[-1] if tail else 'no output'}")


def build_site(config: Path, strict: bool = True, site_dir: Path | None = None) -> None:
    """Build the site from ``config`` (e.g. build/mkdocs.yml) and index it with Pagefind.

    In strict mode any MkDocs warning (broken link or anchor, page missing from the nav …) stops the
    build with one BuildError line. ``site_dir`` overrides the config's (tests build elsewhere).
    """
    config = Path(config)
    configured_site, docs_dir = _site_and_docs_dirs(config)
    site = (Path(site_dir) if site_dir else configured_site).resolve()

    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config), "-d", str(site)]
    command.append("--strict" if strict else "--no-strict")
    result = subprocess.run(command, capture_output=True, text=True, env=_env())
    if result.returncode != 0:
        raise _mkdocs_error(config, docs_dir, result.stdout + result.stderr)

    index_site(site)


__all__ = ["build_site"]
