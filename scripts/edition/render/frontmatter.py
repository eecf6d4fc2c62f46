"""Generated pages: YAML front matter + Markdown body."""

from pathlib import Path

import yaml

from .. import memo

# PyYAML's emitter is pure Python and the chapter pages carry kilobytes of metadata (edition.memo: keyed by
# this module and PyYAML).
_front_matter = memo.Memo("front-matter", [Path(__file__)], ["PyYAML"])


def dump_page(meta: dict, body: str) -> str:
    return f"---\n{front_matter(meta)}---\n\n{body}\n"


def front_matter(meta: dict) -> str:
    if not _plain(meta):  # repr() would not tell a value that YAML writes apart (or refuses) from a plain one
        return _dump(meta)
    return _front_matter.get([repr(meta)], lambda: _dump(meta), valid=lambda head: isinstance(head, str))


def _dump(meta: dict) -> str:
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)


def _plain(value) -> bool:
    """Only dicts with string keys, lists, strings, numbers, booleans and None: repr() spells every such
    value differently."""
    if type(value) is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())
    if type(value) is list:
        return all(_plain(item) for item in value)
    return type(value) in (str, int, float, bool, type(None))
