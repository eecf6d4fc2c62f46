"""CITATION.cff: valid Citation File Format (cffconvert) and in agreement with data/edition.yml."""

import subprocess
import sys
from pathlib import Path

import yaml

from edition import paths

CFF = paths.ROOT / "CITATION.cff"
CFFCONVERT = Path(sys.executable).parent / "cffconvert"  # the console script of the test environment


def test_citation_cff_is_valid():
    run = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(CFF)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid" in run.stdout


def test_citation_cff_agrees_with_the_edition_data():
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    edition = yaml.safe_load((paths.DATA / "edition.yml").read_text(encoding="utf-8"))
    assert cff["title"] == edition["title"]
    assert cff["version"] == str(edition["version"])
    assert str(cff["date-released"]) == str(edition["date"])
    assert cff["authors"] == [{"name": edition["editor"]}]
    assert cff["license"] == edition["licence"]["name"].replace(" ", "-")  # CC BY 4.0 -> SPDX CC-BY-4.0


def test_a_wrong_citation_cff_is_rejected(tmp_path):
    bad = tmp_path / "CITATION.cff"
    bad.write_text(CFF.read_text(encoding="utf-8").replace("cff-version: 1.2.0", "cff-version: 1.2.0\nauthor: x"),
                   encoding="utf-8")
    run = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(bad)],
                         capture_output=True, text=True)
    assert run.returncode != 0
