import hashlib
import shutil

import pytest

from edition import paths
from edition.errors import BuildError
from edition.model.witness import load_manifest
from tests.helpers import expected


def test_manifest_pins_every_vendored_witness():
    witnesses = load_manifest()
    assert list(witnesses) == list(expected()["texts"])
    for w in witnesses.values():
        assert hashlib.sha256(w.path.read_bytes()).hexdigest() == w.sha256
    assert sorted(p.name for p in paths.SOURCES.glob("*.txt")) == sorted(w.file for w in witnesses.values())


def test_vendored_witnesses_equal_shared_seeds():
    seeds = paths.ROOT.parent / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("shared/seeds not beside this checkout")
    for w in load_manifest().values():
        assert (seeds / w.file).read_bytes() == w.path.read_bytes()


def test_changed_witness_stops_with_file(tmp_path):
    shutil.copytree(paths.SOURCES, tmp_path / "sources")
    victim = tmp_path / "sources" / "001_fabba04fe61ea695.txt"
    victim.write_bytes(victim.read_bytes() + b"x")
    with pytest.raises(BuildError) as err:
        load_manifest(tmp_path / "sources")
    assert "001_fabba04fe61ea695.txt" in str(err.value) and "SHA-256" in str(err.value)


def test_missing_witness_names_manifest_line(tmp_path):
    shutil.copytree(paths.SOURCES, tmp_path / "sources")
    (tmp_path / "sources" / "003_620dcb6001c3609b.txt").unlink()
    with pytest.raises(BuildError) as err:
        load_manifest(tmp_path / "sources")
    assert "manifest.yml:" in str(err.value) and "missing" in str(err.value)
