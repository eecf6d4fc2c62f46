"""Where things live in the repository (one place, so no module hard-codes a path).

The edition's content (corpus, data, bibliography, hand-written pages) is read from ``EDITION_ROOT`` when
that variable is set — another edition, e.g. the fixture texts of tests/fixtures/texts — and from this
repository otherwise. The engine's own files (schemas, theme, mkdocs.yml, the interface catalogues data/ui/)
always come from the repository."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOT = Path(os.environ["EDITION_ROOT"]).resolve() if os.environ.get("EDITION_ROOT") else REPO
CORPUS = ROOT / "corpus"
SOURCES = CORPUS / "sources"
DATA = ROOT / "data"
DOCS = ROOT / "docs"
BUILD = ROOT / "build"
BUILD_DOCS = BUILD / "docs"
SITE = ROOT / "site"
BIBLIOGRAPHY = ROOT / "bibliography.bib"
SCHEMAS = REPO / "schemas"
UI = REPO / "data" / "ui"  # the interface's words, one catalogue per language (edition.model.ui)
