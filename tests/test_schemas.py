"""schemas/: every schema is a valid draft 2020-12 schema with a valid example, claims its files, and every
real input file it claims passes it (the loaders check them when they read them)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from edition import paths
from edition.errors import BuildError
from edition.model import yamlio

SCHEMAS = sorted((paths.ROOT / "schemas").glob("*.schema.json"))
# Every YAML input of the edition (the downloads' font list is code configuration, not edition data).
INPUTS = sorted({*paths.CORPUS.glob("*/*.yml"), *paths.SOURCES.glob("*.yml"), *paths.SOURCES.glob("ingest/*.yml"),
                 *paths.CORPUS.glob("*.yml"), *paths.DATA.rglob("*.yml")})


@pytest.mark.parametrize("file", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_and_its_examples_pass(file: Path):
    schema = json.loads(file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == file.name and schema.get("x-files") and schema["examples"]  # one schema per format
    for example in schema["examples"]:
        jsonschema.Draft202012Validator(schema).validate(example)


@pytest.mark.parametrize("file", INPUTS, ids=lambda p: str(p.relative_to(paths.ROOT)))
def test_every_input_has_a_schema_and_passes_it(file: Path):
    assert yamlio.schema_for(file) is not None, f"no schema in schemas/ claims {file}"
    yamlio.load_yaml(file)


def test_chapter_front_matter_has_its_schema():
    chapters = sorted(paths.CORPUS.glob("*/[0-9][0-9]-*.md"))
    assert chapters and all(yamlio.schema_for(c)["$id"] == "chapter.schema.json" for c in chapters)


def test_the_most_specific_pattern_wins():
    assert yamlio.schema_for(paths.DATA / "tables" / "units.yml")["$id"] == "units.schema.json"
    assert yamlio.schema_for(paths.DATA / "tables" / "phu-luc-01.yml")["$id"] == "table-metadata.schema.json"
    assert yamlio.schema_for(paths.DATA / "citations" / "schema.yml")["$id"] == "citation-rules.schema.json"


def _error(tmp_path: Path, name: str, text: str | bytes) -> BuildError:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(BuildError) as caught:
        yamlio.load_yaml(path)
    assert caught.value.path == str(path)
    return caught.value


def test_a_schema_error_names_the_line_of_the_key(tmp_path):
    err = _error(tmp_path, "data/edition.yml", 'title: T\neditor: E\nversion: "1.0"\ndate: "2026-01-01"\n'
                                                "licence: {name: CC, url: 'https://x'}\n")
    assert (err.line, err.message) == (3, "version: '1.0' is not MAJOR.MINOR.PATCH")


def test_a_stray_key_is_named_by_its_line(tmp_path):
    err = _error(tmp_path, "corpus/aliases.yml", "aliases:\n- page: a/01-b\n  old: x\n  new: y\n  neu: z\n")
    assert err.line == 5 and "('neu' was unexpected)" in err.message


def test_duplicate_keys_are_errors(tmp_path):
    err = _error(tmp_path, "corpus/sources/manifest.yml", "witnesses: []\nwitnesses: []\n")
    assert (err.line, err.message) == (2, "malformed YAML: duplicate key 'witnesses' (first on line 1)")


@pytest.mark.parametrize("text, line, message", [
    (b"a: 1\nb: \xff\n", 2, "not UTF-8: byte 0xff"),
    ("a: 1\n\nb: x\x00y\n", 3, "control character U+0000"),
    ("a: 1\rb: 2\n", 1, "a carriage return without a line feed (old Mac line endings): save the file with LF"),
])
def test_text_must_be_utf8_without_control_characters(tmp_path, text, line, message):
    err = _error(tmp_path, "x.yml", text)
    assert err.line == line and message in err.message


def test_windows_line_endings_read_as_newlines(tmp_path):
    path = tmp_path / "x.yml"
    path.write_bytes(b"a: 1\r\nb: 2\r\n")
    assert yamlio.load_yaml(path) == {"a": 1, "b": 2, "__line__": 1} and yamlio.read_text(path) == "a: 1\nb: 2\n"


def test_tabs_and_newlines_are_text(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("a: 'x\ty'\n", encoding="utf-8")
    assert yamlio.load_yaml(path)["a"] == "x\ty"


def test_timestamps_stay_strings(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("date: 1978-11-03\n", encoding="utf-8")
    assert yamlio.load_yaml(path)["date"] == "1978-11-03"


def test_a_broken_schema_file_is_one_error(tmp_path, monkeypatch):
    (tmp_path / "x.schema.json").write_text('{\n  "type": "object",\n}\n', encoding="utf-8")
    monkeypatch.setattr(yamlio, "SCHEMAS", tmp_path)
    yamlio._schemas.cache_clear()
    try:
        with pytest.raises(BuildError) as caught:
            yamlio.schema("x.schema.json")
        assert caught.value.line == 3 and "invalid JSON" in caught.value.message
    finally:
        yamlio._schemas.cache_clear()
