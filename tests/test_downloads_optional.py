"""The downloads (PDF/EPUB/TEI) are optional: on a machine without their Debian packages (a newcomer's, with
only Python 3.11) a plain build succeeds, links none and says once what `--downloads` would need; asked for
them, the build stops with one line naming the packages. The system's font paths are hidden in a scratch copy
(its fonts.yml points nowhere) and the PATH holds only Python, so this runs the newcomer's path on any machine."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from test_robustness import ERROR_LINE, run_edition, scratch_repo, share_cache, warm_repo

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool


def _hide_tools(root: Path) -> dict:
    fonts = root / "scripts/edition/outputs/downloads/fonts.yml"
    fonts.write_text(fonts.read_text(encoding="utf-8").replace("/usr/share/fonts/", "/nonexistent/fonts/"),
                     encoding="utf-8")
    return {"PATH": str(Path(sys.executable).parent)}  # no java (EPUBCheck), chromium, node or poppler


def test_plain_build_without_the_downloads_tools(tmp_path, tmp_path_factory):
    root = scratch_repo(tmp_path)
    share_cache(warm_repo(tmp_path_factory), root)
    env = _hide_tools(root)
    result = run_edition(root, "build", env=env)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "fonts-noto-core" in notes[0] and "--downloads" in notes[0], result.stdout
    assert (root / "site" / "index.html").exists()
    assert not list((root / "site").rglob("*.pdf")) and not list((root / "site").rglob("*.epub"))
    assert "Traceback" not in result.stderr

    asked = run_edition(root, "build", "--downloads", env=env)
    assert asked.returncode == 1
    errors = [line for line in asked.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, asked.stderr
    match = ERROR_LINE.match(errors[0])
    assert match and match["path"].endswith("downloads/fonts.yml"), errors[0]
    assert "apt-get install" in match["message"] and "fonts-noto-core" in match["message"], errors[0]


def test_path_without_tools_is_really_bare():
    """The hidden PATH above holds no tool the downloads use (else the test would prove nothing)."""
    bare = str(Path(sys.executable).parent)
    for tool in ("java", "epubcheck", "pdftotext", "chromium", "node"):
        assert not any((Path(d) / tool).exists() for d in bare.split(os.pathsep)), tool
