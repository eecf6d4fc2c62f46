"""YAML reading that turns syntax errors into one-line BuildErrors and remembers mapping line numbers."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import BuildError


class LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Adds ``__line__`` (1-based) to every mapping so validators can point at the offending entry.
    libyaml's parser when present: the corpus front matter and timeline are parsed at every build."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings: YAML would turn 1978-11-03 into a datetime.date and drop the stated precision.
LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, path: Path | str, first_line: int = 1):
    try:
        return yaml.load(text, Loader=LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BuildError(path, line, f"malformed YAML: {problem}") from None


def load_yaml(path: Path):
    if not path.exists():
        raise BuildError(path, None, "file not found")
    return parse_yaml(path.read_text(encoding="utf-8"), path)


def strip_lines(value):
    """Drop the ``__line__`` bookkeeping keys (for output that is written back or exported)."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def check_schema(path: Path, raw, schema: dict, one_of: str | None = None):
    """``raw`` without its line keys, or one BuildError at the deepest schema error, named by its line.
    ``one_of`` replaces jsonschema's long message for a value that fits no branch of a ``oneOf``."""
    import jsonschema  # only the readers of schema-checked data need it

    data = strip_lines(raw)
    # The deepest error is the most precise ("checks/0/kind: … is not one of …").
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: -len(e.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        message = one_of if one_of and error.validator == "oneOf" else error.message
        raise BuildError(path, _line_of_path(raw, error.absolute_path), f"{where}: {message}")
    return data


def _line_of_path(raw, path) -> int | None:
    """The line of the innermost mapping on a path into the data (e.g. a JSON-Schema error's path)."""
    line, node = raw.get("__line__"), raw
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            line = node.get("__line__", line)
    return line
