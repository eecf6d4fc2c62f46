#!/usr/bin/env python3
"""One-command entry points that need only Python 3.11: set up .venv, then build+serve or test.

    python3 scripts/dev.py serve   # install, build the site, serve it at http://127.0.0.1:8000/ with live reload
    python3 scripts/dev.py test    # install (with test extras) and run the whole test suite on every core
    python3 scripts/dev.py build   # install and build site/ (the Pages workflow; SITE_URL from the environment)

Python packages come from requirements.lock only (pinned, hash-checked).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCK = ROOT / "requirements.lock"  # from pyproject.toml + requirements.in, see README ("Dependencies")


def ensure_env() -> None:
    """Create .venv and install exactly requirements.lock (every package pinned and hash-checked), then the
    edition package itself without its dependencies; re-install only when the lock or pyproject.toml changed."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required (this is {sys.version.split()[0]})")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed-lock"
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    pip: list[str | Path] = [PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "--no-deps", "-r", LOCK], cwd=ROOT, check=True)
    # setuptools comes from the lock: no isolated build environment fetching an unpinned one
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", "."], cwd=ROOT, check=True)
    stamp.write_text(digest)


def ensure_node_tools() -> None:
    """axe-core and vnu-jar for the accessibility and HTML-validity tests, pinned by package-lock.json.

    --ignore-scripts: vnu-jar's postinstall would download a Java runtime. Without npm the tests that
    need these tools skip locally (and fail in CI)."""
    npm = shutil.which("npm")
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".installed"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if not npm or stamp.exists() and stamp.read_text() == digest:
        return
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    stamp.write_text(digest)


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "serve":
        ensure_env()
        return subprocess.call([BIN / "edition", "serve", *sys.argv[2:]], cwd=ROOT)
    if command == "build":
        ensure_env()
        return subprocess.call([BIN / "edition", "build", *sys.argv[2:]], cwd=ROOT)
    if command == "test":
        ensure_env()
        ensure_node_tools()
        # one worker per core; the tests of a file stay on one worker (its built site or copies are made once)
        return subprocess.call([PY, "-m", "pytest", "-n", "auto", "--dist", "loadfile", *sys.argv[2:]], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
