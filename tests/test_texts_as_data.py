"""Texts are data: no module under scripts/ names a text (or its witness file); what a text has is
declared in its text.yml and checked against schemas/text.schema.json."""

from __future__ import annotations

import json
import re

import pytest

from edition import paths
from edition.enrich.crosslinks import CrossLinker
from edition.errors import BuildError
from edition.model import features, ui
from edition.model.corpus import Text
from edition.model.witness import load_manifest
from edition.model.yamlio import load_yaml

SCRIPTS = paths.REPO / "scripts"


def _code_files():
    return [p for p in sorted(SCRIPTS.rglob("*")) if p.is_file() and p.suffix in (".py", ".js", ".yml", ".json", ".md")
            and "node_modules" not in p.parts and "lighthouse" not in p.parts]


def test_no_text_id_or_witness_file_under_scripts():
    names = [n for w in load_manifest().values() for n in (w.text_id, w.file, w.file.rsplit(".", 1)[0])]
    pattern = re.compile("|".join(map(re.escape, names)))
    hits = [f"{p.relative_to(paths.REPO)}:{i}: {m.group()}" for p in _code_files()
            for i, line in enumerate(p.read_text(encoding="utf-8").split("\n"), 1) for m in pattern.finditer(line)]
    assert hits == [], "\n".join(hits)


def test_the_grep_finds_a_text_id(tmp_path):
    """The check above can fail: a line naming a text is a hit."""
    text_id = next(iter(load_manifest()))
    assert re.search(re.escape(text_id), f'THESIS = "{text_id}"  # comment')


def test_every_text_declares_its_convention():
    found = features.load_all()
    assert list(found) == list(load_manifest())
    assert {f.convention for f in found.values()} == {"numbered", "author-year", "notes", "none"}
    owner = features.tables_owner(found)
    assert owner is not None and owner.appendix_tables["folder"] == "tables"


@pytest.mark.parametrize("bad, where, message", [
    ({"convention": "numbered"}, "citations", "does not fit any citation convention"),
    ({"convention": "notes", "marker": "x", "notes": "n.yml", "label_language": "fr"}, "citations", "citation convention"),
    ({"convention": "none", "locators": ["tr."]}, "citations", "citation convention"),
])
def test_bad_citations_stop_at_text_yml(tmp_path, bad, where, message):
    path = tmp_path / "text.yml"
    path.write_text("id: x\ncitations: " + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(Exception) as err:
        features.from_meta("x", load_yaml(path), path)
    assert str(err.value).startswith(f"{path}:2: {where}: ") and message in str(err.value)


def test_an_unknown_crosslink_rule_or_feature_stops_the_build(tmp_path):
    path = tmp_path / "text.yml"
    path.write_text('id: x\ncitations: {convention: none}\nfeatures:\n  appendix: yes\n', encoding="utf-8")
    with pytest.raises(Exception) as err:
        features.from_meta("x", load_yaml(path), path)
    assert str(err.value).startswith(f"{path}:4: features: Additional properties")
    path.write_text('id: x\ncitations: {convention: none}\nfeatures: {crosslinks: [no-such-rule]}\n', encoding="utf-8")
    with pytest.raises(BuildError) as err:
        CrossLinker()(Text("x", tmp_path, load_yaml(path)), None, "p1", "text")
    assert str(err.value) == f"{path}: features.crosslinks: no rule 'no-such-rule' in data/crosslinks.yml"


@pytest.mark.parametrize("n, vi, en", [(1, "một văn bản", "one text"), (5, "năm văn bản", "five texts"),
                                       (10, "mười văn bản", "ten texts"), (12, "12 văn bản", "12 texts")])
def test_counts_in_words(n, vi, en):
    for lang, words in (("vi", vi), ("en", en)):
        assert ui.catalogue(lang).count("count.texts", n) == words
        assert ui.catalogue(lang).count("count.texts", n, capital=True) == words[0].upper() + words[1:]


def test_note_label_words_follow_the_label_language(tmp_path):
    from edition.ingest.rules import load_rules
    from edition.ingest.write import _notes_convention

    notes_text = next(tid for tid, f in features.load_all().items() if f.convention == "notes")
    path = tmp_path / "text.yml"
    path.write_text("id: x\ncitations: {convention: notes, marker: 'x', notes: n.yml, label_language: en}\n",
                    encoding="utf-8")
    rules = load_rules(notes_text)
    _notes_convention(rules, path)
    assert rules.footnotes["words"]["joiner"] == "and"
    assert rules.footnotes["words"]["shared_note"].format(first="⁽⁶⁾", other="⁽⁷⁾", n=6) == \
        "[The witness prints one note for ⁽⁶⁾ and ⁽⁷⁾; see note 6.]"
    path.write_text("id: x\ncitations: {convention: none}\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        _notes_convention(load_rules(notes_text), path)
    assert "footnotes: the text cites by notes, but text.yml says citations.convention: none" in str(err.value)


# "một văn bản" is also "a text"; counts from two up are what a new text would make wrong
COUNT_WORDS = re.compile(r"\b(?:hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) (?:văn bản|bài báo|luận án)\b", re.I)


def test_no_hard_coded_count_of_texts_in_the_interface():
    """The interface computes how many texts there are (ui.count, number.words of data/ui/); pages, templates
    and the catalogues do not say."""
    files = [*sorted(paths.REPO.joinpath("docs").glob("*.md")), *sorted(paths.REPO.joinpath("theme").rglob("*.html")),
             paths.REPO / "mkdocs.yml", *sorted(paths.UI.glob("*.yml")), *sorted((SCRIPTS / "edition").rglob("*.py"))]
    hits = [f"{p.relative_to(paths.REPO)}:{i}: {m.group()}" for p in files
            for i, line in enumerate(p.read_text(encoding="utf-8").split("\n"), 1) for m in COUNT_WORDS.finditer(line)]
    assert hits == [], "\n".join(hits)
    assert COUNT_WORDS.search("Mọi tài liệu được năm văn bản trích dẫn")


@pytest.mark.parametrize("rule, message", [
    ("{pattern: 'X', target: 'x) <script>alert(1)</script>'}", "is not a page of the site"),
    ("{pattern: 'X', target: 'a.md', class: 'a\"b'}", "is not a class name"),
    ("{pattern: '(X', target: 'a.md'}", "bad regular expression"),
    ("{pattern: 'X (\\d+)', target: 'p-{n}.md', numbers: 2}", "numbers must name a group"),
    ("{pattern: 'X', target: 'a.md', range: 12}", "range must be [first, last]"),
    ("{pattern: 'X'}", "needs pattern and target"),
])
def test_bad_crosslink_rules_stop_at_their_line(tmp_path, monkeypatch, rule, message):
    path = tmp_path / "crosslinks.yml"
    path.write_text(f"# rules\nbad: {rule}\n", encoding="utf-8")
    monkeypatch.setattr(features, "CROSSLINKS_FILE", path)
    with pytest.raises(BuildError) as err:
        CrossLinker()
    assert str(err.value).startswith(f"{path}:2: rule bad: ") and message in str(err.value)
