"""Turn the rendered Markdown into the reading site: MkDocs (strict) into site/, then the search index
(edition.outputs.search.search_index: Pagefind bundle in ``<site>/pagefind/``).
``edition serve`` (edition.serve) serves a built site and rebuilds it as the sources change.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from edition.errors import BuildError
from edition.outputs.search.search_index import index_site

_WARNING = re.compile(r"^(WARNING|ERROR)\s+-\s+(.*)$")
_DOC_FILE = re.compile(r"Doc file '([^']+)'")
_QUOTED_LINK = re.compile(r"contains a link '([^']+)'")


class _Problems(logging.Handler):
    """MkDocs' warnings and errors while it runs in this process (kept out of the output: the error the user
    sees is one line)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.lines: list[str] = []  # as MkDocs prints them: what _mkdocs_error reads

    def emit(self, record: logging.LogRecord) -> None:
        self.add(record.levelname, record.getMessage())

    def add(self, level: str, message: str) -> None:
        self.messages.append(message)
        self.lines.append(f"{level} -  {message}")

    def __enter__(self) -> _Problems:
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("mkdocs").removeHandler(self)


def _load_config(config: Path, site_dir: Path | None = None):
    """The loaded MkDocs configuration; a configuration error or warning names the file and key to edit."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException  # ConfigurationError, or Abort after logging the error

    with _Problems() as problems:
        try:
            cfg = load_config(config_file=str(config), **({"site_dir": str(site_dir)} if site_dir else {}))
        except MkDocsException as error:
            problems.add("ERROR", str(error))
    if problems.messages:
        raise _config_error(config, problems.messages[0])
    return cfg


_YAML_PLACE = re.compile(r'in "([^"]+)", line (\d+)')
_CONFIG_KEY = re.compile(r"^Config value '([^']+)': (.*)$", re.S)


def _config_error(config: Path, message: str) -> BuildError:
    """A MkDocs configuration problem as ``mkdocs.yml:line: message``: the file the user edits (the shared
    mkdocs.yml, not the generated build/mkdocs.yml that inherits it) and the line of the key."""
    places = _YAML_PLACE.findall(message)
    if places:  # a YAML syntax error says where the parser stopped
        file, line = places[-1]
        problem = [x.strip() for x in message.splitlines() if x.strip() and not x.strip().startswith("in ")]
        return BuildError(file, int(line), f"malformed YAML: {problem[-1]}")
    key = _CONFIG_KEY.match(message)
    if key:
        name = key.group(1).split(".")[0]
        for source in _config_files(config):
            line = _line_of_key(source, name)
            if line:
                return BuildError(source, line, f"{key.group(1)}: {key.group(2).strip()}")
    return BuildError(_config_files(config)[0], None, f"invalid MkDocs configuration: {message.strip()}")


def _config_files(config: Path) -> list[Path]:
    """The configuration files in the order a user edits them: the inherited one(s) first, then ``config``."""
    files, current = [config], config
    while True:
        inherit = re.search(r"^INHERIT:\s*['\"]?([^'\"\n]+?)['\"]?\s*$", _read(current), flags=re.M)
        if not inherit:
            return files
        current = (current.parent / inherit.group(1)).resolve()
        if current in files or not current.exists():
            return files
        files.insert(0, current)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _line_of_key(path: Path, key: str) -> int | None:
    """Line of a top-level ``key:`` in a YAML file."""
    for number, line in enumerate(_read(path).splitlines(), start=1):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return number
    return None


def _line_of(path: Path, needle: str) -> int | None:
    """1-based line of the first occurrence of ``needle`` in ``path`` (to point at a bad link)."""
    for number, line in enumerate(_read(path).splitlines(), start=1):
        if needle in line:
            return number
    return None


_ID_ATTR = re.compile(r"\{:?\s*#([A-Za-z0-9_-]+)")


def _source_of(docs_dir: Path, page: str, link: str | None) -> tuple[Path, int | None]:
    """The file the user edits for a generated page, and the line that gave the link.

    ``build/docs/<text>/<stem>.md`` comes from ``corpus/<text>/<stem>.md`` (the link's line there is found
    by the id of the block that holds it); ``build/docs/x.md`` copied from ``docs/x.md`` comes from there.
    Other pages are generated from data: the generated file is named."""
    from ... import paths

    generated = docs_dir / page
    line = (_line_of(generated, f"({link}") or _line_of(generated, link)) if link else None
    corpus_file = paths.CORPUS / page
    if len(Path(page).parts) == 2 and corpus_file.exists():
        return corpus_file, _corpus_line(corpus_file, generated, line)
    hand_written = paths.DOCS / page
    if hand_written.exists():
        return hand_written, _line_of(hand_written, link) if link else None
    return generated, line


def _corpus_line(source: Path, generated: Path, line: int | None) -> int | None:
    """The corpus line of the block holding generated line ``line``: found by the first id at or after it."""
    from ...model.corpus import paragraph_ids, parse_chapter

    if line is None:
        return None
    after = "\n".join(_read(generated).splitlines()[line - 1:])
    block_id = _ID_ATTR.search(after)
    if not block_id:
        return None
    chapter = parse_chapter(source)
    lines = {b.id: b.line for b in chapter.blocks if b.kind == "heading"}
    lines |= {pid: chapter.blocks[i].line for i, pid in paragraph_ids(chapter).items()}
    return lines.get(block_id.group(1))


def _mkdocs_error(config: Path, docs_dir: Path, output: str) -> BuildError:
    """The first warning or error of a failed MkDocs run, as one ``file:line: message`` naming the source
    file to edit (corpus/, docs/ or mkdocs.yml), not the generated one in build/."""
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
            link = _QUOTED_LINK.search(message)
            path, line = _source_of(docs_dir, doc.group(1), link.group(1) if link else None)
            return BuildError(path, line, message)
        if _CONFIG_KEY.match(message):
            return _config_error(config, message)
        return BuildError(config, None, message)
    tail = [line for line in output.splitlines() if line.strip()]
    return BuildError(config, None, f"mkdocs build failed: {tail[-1] if tail else 'no output'}")


def site_pages(config: Path, site_dir: Path):
    """MkDocs' configuration, files and navigation of ``config`` (edition.outputs.site.site_pages), writing to ``site_dir``."""
    from .site_pages import SitePages

    return SitePages(_load_config(config, site_dir), _config_files(config))


def build_site(config: Path, strict: bool = True, site_dir: Path | None = None, search: bool = True,
               keep: tuple[str, ...] = ()) -> None:
    """Build the site from ``config`` (e.g. build/mkdocs.yml) with MkDocs (edition.outputs.site.site_pages: in this process,
    unchanged pages from the page cache) and index it with Pagefind.

    In strict mode any MkDocs warning (broken link or anchor, page missing from the nav …) stops the
    build with one BuildError line, and no half-checked site is left. ``site_dir`` overrides the config's
    (tests build elsewhere). ``search=False``: no index of its own (an interface searching another site's).
    ``keep``: top-level folders of the site that other builds write (the other interfaces' sites).
    """
    from .site_pages import SitePages, cache_for

    config = Path(config)
    cfg = _load_config(config, Path(site_dir).resolve() if site_dir else None)
    site, docs_dir = Path(cfg["site_dir"]), Path(cfg["docs_dir"])
    cache = cache_for(config)
    failed = False
    with _Problems() as problems:
        try:
            pages = SitePages(cfg, _config_files(config))
            pages.populate(cache)
            pages.write(cache, keep=(*keep, "pagefind") if search else keep)
        except Exception as error:  # noqa: BLE001  (MkDocs logs the page it was on first; one line either way)
            problems.add("ERROR", f"{type(error).__name__}: {error}")
            failed = True
    if failed or (problems.lines and strict):
        shutil.rmtree(site, ignore_errors=True)
        raise _mkdocs_error(config, docs_dir, "\n".join(problems.lines))
    if not problems.lines:  # a page that gave a warning is converted again next time, to give it again
        cache.save()
    if search:
        index_site(site)


__all__ = ["build_site"]
