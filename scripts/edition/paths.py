"""Where things live in the repository (one place, so no module hard-codes a path)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SOURCES = CORPUS / "sources"
DATA = ROOT / "data"
DOCS = ROOT / "docs"
BUILD = ROOT / "build"
BUILD_DOCS = BUILD / "docs"
SITE = ROOT / "site"
BIBLIOGRAPHY = ROOT / "bibliography.bib"
