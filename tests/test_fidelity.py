
import pytest

from edition.errors import BuildError
from edition.model.fidelity import check_all, check_text
from edition.model.witness import load_manifest
from tests.helpers import copy_text, expected, run_cli


def test_all_texts_have_zero_unexplained_differences():
    """Every text of the manifest passes; the word counts of the texts tests/expected.yml lists hold."""
    reports = {r.text_id: r for r in check_all()}
    assert set(reports) == set(load_manifest())
    assert all(r.unexplained == 0 for r in reports.values()), {t: r.differences for t, r in reports.items()}
    for text_id, (w, c) in expected()["fidelity"].items():
        assert (reports[text_id].witness_words, reports[text_id].corpus_words) == (w, c), text_id


def test_a_lost_word_is_detected(tmp_path):
    root = copy_text(tmp_path, "viet-xo-nga-70-nam")
    md = root / "viet-xo-nga-70-nam" / "01-toan-van.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Vietsovpetro được thành lập", "Vietsovpetro thành lập", 1),
                  encoding="utf-8")
    report = check_text("viet-xo-nga-70-nam", corpus=root)
    assert report.unexplained == 1
    assert "được" in report.differences[0]


def test_an_invented_word_is_detected(tmp_path):
    root = copy_text(tmp_path, "achievements-1975-1991")
    md = root / "achievements-1975-1991" / "01-full-text.md"
    md.write_text(md.read_text(encoding="utf-8").replace("## 3. CONCLUSION", "## 3. FINAL CONCLUSION"), encoding="utf-8")
    assert check_text("achievements-1975-1991", corpus=root).unexplained == 1


def test_a_stale_log_entry_stops(tmp_path):
    root = copy_text(tmp_path, "achievements-1975-1991")
    log = root / "achievements-1975-1991" / "changelog.yml"
    log.write_text(log.read_text(encoding="utf-8").replace("- line: 31", "- line: 33", 1), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        check_text("achievements-1975-1991", corpus=root)
    assert "changelog.yml" in str(err.value) and "line 33" in str(err.value)


def test_fidelity_command_reports_zero():
    result = run_cli("fidelity")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and "words" not in line]
    assert len(rows) == len(expected()["texts"]) and all(row.endswith("| 0 |") for row in rows)


def test_differences_are_found_between_the_common_beginning_and_end():
    from edition.model.fidelity import _opcodes

    words = [f"w{n % 97}" for n in range(5000)]
    changed = words[:1200] + ["x"] + words[1201:3000] + words[3002:]
    assert [op for op in _opcodes(words, changed) if op[0] != "equal"] == [
        ("replace", 1200, 1201, 1200, 1201), ("delete", 3000, 3002, 3000, 3000)]
    assert list(_opcodes(words, words + ["y"])) == [("insert", 5000, 5000, 5000, 5001)]
