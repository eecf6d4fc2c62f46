"""The guide "Witness layouts the ingest understands" (scripts/edition/ingest/README.md) and the schema of
the ingest rules describe the same keys: every key has a description in the schema and a section (or, for a
nested key, a mention) in the guide with a witness fragment and a rule; every key the ingest reads is in
the schema."""

from __future__ import annotations

import json
import re

from edition import paths

SCHEMA = json.loads((paths.SCHEMAS / "ingest-rules.schema.json").read_text(encoding="utf-8"))
GUIDE = (paths.REPO / "scripts" / "edition" / "ingest" / "README.md").read_text(encoding="utf-8")
CODE = [paths.REPO / "scripts" / "edition" / "ingest" / name for name in ("rules.py", "pages.py", "blocks.py")]
# keys the ingest reads that are not rule keys: the YAML line bookkeeping, and what it takes from text.yml's
# citations (the note-call pattern, the label language's words)
NOT_RULES = {"__line__", "marker", "words", "joiner", "shared_note"}


def _resolve(node: dict) -> dict:
    if "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if node.get("type") == "array" and "items" in node:
        return _resolve(node["items"])
    return node


def _keys(node: dict, prefix: str = ""):
    """(dotted key, its schema) for every property, nested ones included."""
    for key, sub in node.get("properties", {}).items():
        yield prefix + key, sub
        yield from _keys(_resolve(sub), f"{prefix}{key}.")


def _section(key: str) -> str:
    m = re.search(rf"^### `{re.escape(key)}`\n(.*?)(?=^### |\Z)", GUIDE, flags=re.M | re.S)
    assert m, f"the guide has no section for {key}"
    return m.group(1)


def test_every_key_of_the_schema_is_described():
    undescribed = [key for key, sub in _keys(SCHEMA) if not sub.get("description")]
    assert not undescribed


def test_every_key_has_a_guide_section_with_a_fragment_and_a_rule():
    for key in SCHEMA["properties"]:
        section = _section(key)
        assert "```text\n" in section and "```yaml\n" in section, key
        for nested, _ in _keys(_resolve(SCHEMA["properties"][key])):
            assert f"`{nested.rsplit('.', 1)[-1]}`" in section, f"{key}: {nested} not in its section"


def test_the_schema_describes_every_key_the_ingest_reads():
    known = {key.rsplit(".", 1)[-1] for key, _ in _keys(SCHEMA)}
    read = set()
    for path in CODE:
        code = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"""(?:\[|\.get\()\s*["']([a-z_]+)["']""", code))
    log_keys = {"line", "kind", "text", "note", "next_line", "next_text"}  # change-log entries the ingest writes
    assert read - known - NOT_RULES - log_keys == set()
