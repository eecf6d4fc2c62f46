"""The code is linted (ruff: pyflakes, pycodestyle errors, isort, bugbear, pyupgrade) and type-checked (mypy),
both configured in pyproject.toml; any finding fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [["ruff", "check", "--no-cache", "scripts", "tests"], ["mypy"]],
                         ids=["ruff", "mypy"])
def test_no_findings(command):
    tool = BIN / command[0]
    assert tool.exists(), f"{command[0]} is not installed (it is in the test extra of pyproject.toml)"
    result = subprocess.run([tool, *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
