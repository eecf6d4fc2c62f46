"""Shared helpers for tests: run the CLI as a user would and copy the corpus to a scratch folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from edition import paths


def run_cli(*args: str, cwd: Path = paths.ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition.cli", *args], cwd=cwd, capture_output=True, text=True)


def copy_text(tmp: Path, text_id: str) -> Path:
    """A scratch corpus with one text (and the real witnesses) for bad-input tests."""
    root = tmp / "corpus"
    shutil.copytree(paths.SOURCES, root / "sources")
    shutil.copytree(paths.CORPUS / text_id, root / text_id)
    return root


EXPECTED_FILE = Path(__file__).with_name("expected.yml")


def expected() -> dict:
    """The real corpus's figures (tests/expected.yml)."""
    import yaml

    return yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))
