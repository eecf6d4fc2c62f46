"""What a text has, as its text.yml declares it: the citation convention (with its parameters) and the
features the engine adds (appendix tables, cross-link rules). Those keys are checked against their part of
schemas/text.schema.json when read (also where only they are read: the ingest of a text whose other metadata
is not written yet); no module names a text, they ask this one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import BuildError
from .witness import load_manifest
from .yamlio import check_schema, load_yaml, schema

SCHEMA_FILE = paths.SCHEMAS / "text.schema.json"
CROSSLINKS_FILE = paths.DATA / "crosslinks.yml"
KEYS = ("citations", "features")


@dataclass(frozen=True)
class TextFeatures:
    text_id: str
    path: Path  # the text.yml the values come from (for errors)
    citations: dict
    appendix_tables: dict | None
    crosslinks: tuple[str, ...]

    @property
    def convention(self) -> str:
        return self.citations["convention"]


def _schema() -> dict:
    """The part of the text.yml schema that these keys are checked against."""
    whole = schema(SCHEMA_FILE.name)
    return {"type": "object", "$defs": whole["$defs"], "required": ["citations"],
            "properties": {key: whole["properties"][key] for key in KEYS}}


def from_meta(text_id: str, meta: dict, path: Path) -> TextFeatures:
    """The features of a loaded text.yml (``meta`` with its ``__line__`` keys)."""
    raw = {k: meta[k] for k in KEYS if k in meta}
    raw["__line__"] = meta.get("__line__", 1)
    data = check_schema(path, raw, _schema())
    feats = data.get("features", {})
    return TextFeatures(text_id, path, data["citations"], feats.get("appendix_tables"),
                        tuple(feats.get("crosslinks", ())))


def of_text(text) -> TextFeatures:
    """The features of a loaded ``corpus.Text``."""
    return from_meta(text.id, text.meta, text.dir / "text.yml")


def load_all(root: Path | None = None) -> dict[str, TextFeatures]:
    """text id → features, for every text of the manifest (read from the text.yml files)."""
    root = root or paths.CORPUS
    out = {}
    for text_id in load_manifest(root / "sources"):
        path = root / text_id / "text.yml"
        meta = load_yaml(path)
        if not isinstance(meta, dict):
            raise BuildError(path, 1, "text metadata must be a YAML mapping")
        out[text_id] = from_meta(text_id, meta, path)
    return out


def tables_owner(all_features: dict[str, TextFeatures]) -> TextFeatures | None:
    """The text whose appendix tables data/tables holds (at most one text declares them)."""
    owners = [f for f in all_features.values() if f.appendix_tables]
    if len(owners) > 1:
        raise BuildError(owners[1].path, None, f"appendix_tables already declared by {owners[0].text_id}")
    return owners[0] if owners else None


def crosslink_rules() -> dict:
    """Rule name → rule (data/crosslinks.yml); read per build."""
    data = load_yaml(CROSSLINKS_FILE) if CROSSLINKS_FILE.exists() else {}
    if not isinstance(data, dict):
        raise BuildError(CROSSLINKS_FILE, 1, "cross-link rules must be a YAML mapping of rule name → rule")
    return data
