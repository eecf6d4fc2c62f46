"""Reading the project's input files: strict UTF-8 text, YAML with line numbers, and the JSON Schema of each
input format (``schemas/``), checked when the file is read. Every problem is one ``file:line: message``."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path, PurePath

import yaml

from .. import memo, paths
from ..errors import BuildError

SCHEMAS = paths.SCHEMAS
# C0 controls other than tab and newline (a NUL, a stray escape or form feed would reach the HTML).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def read_text(path: Path) -> str:
    """The file as text, or one BuildError at the first line that is not UTF-8 or holds a control character."""
    if not path.exists():
        raise BuildError(path, None, "file not found")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise BuildError(path, line, f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded (save the file as UTF-8)") from None
    text = text.replace("\r\n", "\n")  # Windows line endings read as Python reads them
    bad = _CONTROL.search(text)
    if bad and bad.group() == "\r":
        line = text.count("\n", 0, bad.start()) + 1
        raise BuildError(path, line, "a carriage return without a line feed (old Mac line endings): save the file "
                                     "with LF line endings")
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise BuildError(path, line, f"control character U+{ord(bad.group()):04X} (only tab and newline are allowed)")
    return text


class LineDict(dict):
    """A YAML mapping that remembers its own line (``__line__``, 1-based, a key validators read) and the line
    of each key (``key_lines``, an attribute so that iterating the mapping never sees it)."""

    key_lines: dict


class LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # chosen at import
    """libyaml's parser when present: the corpus front matter and timeline are parsed at every build."""

    first_line = 1  # line of the parsed text's first line in its file (front matter starts on line 2)


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict:
    key_lines: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + loader.first_line
        if isinstance(key, (str, int, float, bool)) and key in key_lines and key_node.tag != "tag:yaml.org,2002:merge":
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {key_lines[key]})", key_node.start_mark)
        key_lines[key] = line
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.key_lines = key_lines
    mapping["__line__"] = node.start_mark.line + loader.first_line
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings: YAML would turn 1978-11-03 into a datetime.date and drop the stated precision.
LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, path: Path | str, first_line: int = 1):
    loader = LineLoader(text)
    loader.first_line = first_line
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BuildError(path, line, f"malformed YAML: {problem}") from None
    finally:
        loader.dispose()


def load_yaml(path: Path, schema: dict | None = None):
    """A YAML input file, checked against ``schema`` or else the schema in ``schemas/`` that claims the
    file (``x-files``); the data keeps its line numbers."""
    raw = parse_yaml(read_text(path), path)
    schema = schema or schema_for(path)
    if schema is not None:
        check_schema(path, raw, schema)
    return raw


@cache
def _schemas() -> dict[str, dict]:
    """Every schema in ``schemas/`` by file name (a schema that is not valid JSON stops the build)."""
    out = {}
    for file in sorted(SCHEMAS.glob("*.schema.json")):
        try:
            out[file.name] = json.loads(read_text(file))
        except json.JSONDecodeError as exc:
            raise BuildError(file, exc.lineno, f"invalid JSON: {exc.msg}") from None
    return out


def schema(name: str) -> dict:
    """A schema by file name, e.g. ``schema("chapter.schema.json")``."""
    try:
        return _schemas()[name]
    except KeyError:
        raise BuildError(SCHEMAS / name, None, "schema file not found") from None


def schema_for(path: Path | str) -> dict | None:
    """The schema whose ``x-files`` patterns match ``path``, matched from the right (``corpus/*/text.yml``
    also claims a scratch copy's file)."""
    matches = [(pattern.count("*"), name) for name, sch in _schemas().items()
               for pattern in sch.get("x-files", []) if PurePath(path).match(pattern)]
    # The most specific pattern wins: data/tables/units.yml before data/tables/*.yml.
    return _schemas()[min(matches)[1]] if matches else None


def strip_lines(value):
    """Drop the ``__line__`` bookkeeping keys (for output that is written back or exported)."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


# Documents that passed a schema (edition.memo: keyed by this module and jsonschema), so that an unchanged
# input is not walked by jsonschema again; a document that fails is checked, and reported, every time.
_passed = memo.Memo("schema-passed", [Path(__file__)], ["jsonschema", "referencing"])


def check_schema(path: Path, raw, schema: dict, one_of: str | None = None):
    """``raw`` without its line keys, or one BuildError at the deepest schema error, named by its line.
    ``one_of`` (or the ``x-one-of`` of the failing node or of the schema) replaces jsonschema's long message
    for a value that fits no branch of a ``oneOf`` or ``anyOf``; a value that does not match a pattern is told the pattern's description."""
    data = strip_lines(raw)
    # repr() tells every value YAML gives apart (1, 1.0, True and '1' too), in the document's order
    _passed.get([json.dumps(schema, sort_keys=True), repr(data)], lambda: _validate(path, raw, data, schema, one_of),
                valid=lambda passed: passed is True)
    return data


def _validate(path: Path, raw, data, schema: dict, one_of: str | None) -> bool:
    import jsonschema  # only the readers of schema-checked data need it

    # The deepest error is the most precise ("checks/0/kind: … is not one of …").
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: -len(e.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        one_of = one_of or error.schema.get("x-one-of") or schema.get("x-one-of")  # the node's own first
        if one_of and error.validator in ("oneOf", "anyOf"):
            message = one_of
        elif error.validator == "pattern" and "description" in error.schema:  # say what is expected, not the regex
            message = f"{error.instance!r} is not {error.schema['description']}"
        else:
            message = error.message
        if len(message) > 200:
            message = message[:197] + "…"
        at = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):  # point at the stray key
            known = error.schema.get("properties", {})
            at += [k for k in error.instance if k not in known][:1]
        raise BuildError(path, line_of_path(raw, at), f"{where}: {message}")
    return True


def line_of_path(raw, path) -> int | None:
    """The line of the innermost key or mapping on a path into the data (e.g. a JSON-Schema error's path)."""
    line = raw.get("__line__") if isinstance(raw, dict) else None
    node = raw
    for key in path:
        in_mapping = isinstance(node, dict)
        if in_mapping:  # the key's own line ("licence:"), not the first line of its value
            lines = getattr(node, "key_lines", None)
            if lines is not None:
                line = lines.get(key, line)
            elif isinstance(node.get(key), dict):  # a mapping rebuilt without key lines: its value's first line
                line = node[key].get("__line__", line)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and not in_mapping:  # a list item: the line where it starts
            line = node.get("__line__", line)
    return line
