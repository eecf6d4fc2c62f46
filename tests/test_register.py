"""The register: schema and cross-checks with file:line errors, mentions found in the text at build time
(longest name first, whole words, scoped variants, exclusions), first-mention links, escaped pages; and the
real register proved against the real corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from edition.enrich.register_links import RegisterLinker
from edition.enrich.timeline import load_timeline
from edition.errors import BuildError
from edition.model import ui
from edition.model.corpus import Block, Chapter, Text, load_corpus
from edition.model.register import fold, load_not_in_register, load_register
from edition.model.yamlio import LineDict
from edition.render import register as register_pages
from edition.tools import register_candidates as candidates

WITNESSES = {"a": "000_e1f2f0e4f1247df1.txt", "b": "002_4199a05f18bc93dd.txt"}
HEAD = "kinds:\n  person: Nhân vật\n  place: Địa danh\n"


def _register(tmp_path: Path, body: str, head: str = HEAD):
    path = tmp_path / "register.yml"
    path.write_text(head + "entries:\n" + body, encoding="utf-8")
    return load_register(path, WITNESSES)


def _entry(eid: str, name: str, *variants: str, kind: str = "place", extra: str = "") -> str:
    # the headword must be a printed form: the first variant when ``name`` is none
    scoped = re.findall(r"form: (.+)", extra)
    forms = [*variants, *scoped]
    name = name if name in forms or not forms else forms[0]
    lines = [f"- id: {eid}", f"  name: {name}", f"  kind: {kind}", "  description: Mô tả.", "  variants:"]
    lines += [f"  - {v}" for v in variants]
    return "\n".join(lines) + "\n" + extra


def _text(text_id: str, *paragraphs: str) -> Text:
    blocks = [Block("heading", "## 1. Mục {#1}", 1, level=2, id="1")]
    blocks += [Block("para", p, n + 2) for n, p in enumerate(paragraphs)]
    meta = LineDict({"chapter": "bai", "text": text_id, "title": "Bài", "lang": "vi"})
    chapter = Chapter(Path(f"/{text_id}/01-bai.md"), meta, blocks)
    return Text(text_id, Path(f"/{text_id}"), LineDict({"nav_title": f"Văn bản {text_id}", "language": "vi"}), [chapter])


def _error(tmp_path, body, head=HEAD) -> BuildError:
    with pytest.raises(BuildError) as caught:
        _register(tmp_path, body, head)
    return caught.value


def test_longest_name_wins_and_names_are_whole_words(tmp_path):
    reg = _register(tmp_path, _entry("lien-xo", "Liên Xô", "Liên Xô")
                    + _entry("dcs-lien-xo", "Đảng Cộng sản Liên Xô", "Đảng Cộng sản Liên Xô", kind="place"))
    found = reg.find("Đảng Cộng sản Liên Xô và Liên Xô; Liên Xôa không.", "a")
    assert [(m.entry.id, m.form, m.start) for m in found] == [("dcs-lien-xo", "Đảng Cộng sản Liên Xô", 0),
                                                              ("lien-xo", "Liên Xô", 25)]


def test_a_variant_scoped_to_texts_and_an_exclusion(tmp_path):
    body = _entry("anh", "Anh", extra="  - form: Anh\n    texts: [b]\n") + _entry("tran-phu", "Trần Phú", "Trần Phú",
                                                                                  kind="person")
    reg = _register(tmp_path, body, HEAD + "exclude:\n- form: Nhà máy in Trần Phú\n  reason: tên nhà máy\n")
    assert [m.entry.id for m in reg.find("Anh và Pháp", "b")] == ["anh"]
    assert reg.find("Anh nói", "a") == []
    assert [m.entry.id for m in reg.find("Trần Phú; Nhà máy in Trần Phú", "a")] == ["tran-phu"]


def test_prove_names_the_variant_line_when_a_form_is_not_in_the_corpus(tmp_path):
    reg = _register(tmp_path, _entry("moscow", "Mátxcơva", "Mátxcơva", "Moskva"))
    texts = [_text("a", "Đoàn đến Mátxcơva.")]
    with pytest.raises(BuildError) as caught:
        reg.prove(texts)
    assert caught.value.line == 11 and "'Moskva' of 'moscow' does not occur" in caught.value.message
    reg.prove([_text("a", "Đoàn đến Mátxcơva."), _text("b", "Moskva, 1954.")])


@pytest.mark.parametrize("body, line, message", [
    (_entry("x", "X", "Xa") + _entry("x", "Y", "Ya"), 11, "duplicate id 'x'"),
    (_entry("x", "X", "Xa", kind="ship"), 5, "unknown kind 'ship'"),
    (_entry("x", "X", "Xa") + _entry("y", "Y", "Xa"), 16, "'Xa' is also claimed by 'x' (line 10)"),
    (_entry("x", "X", "Xa", "Xa"), 11, "'Xa' listed twice"),
    (_entry("x", "X", extra="  - form: Xa\n    texts: [zz]\n"), 10, "scoped to unknown text 'zz'"),
    ("- id: x\n  name: X\n  kind: place\n  variants: [Xa]\n", 5, "'description' is a required property"),
    (_entry("x", "X", "Xa", extra="  wikidata: Q1\n"), 11, "Additional properties are not allowed ('wikidata'"),
    (_entry("x", "X", "Xa", extra="  facts:\n  - label: Ngoại trưởng\n    text: b\n    line: 690\n"
                                   "    quote: Ngoại trưởng Liên Xô Molotov\n"), 12, "quote not found on line 690"),
])
def test_bad_register_input_is_one_file_line_error(tmp_path, body, line, message):
    error = _error(tmp_path, body)
    assert error.path == str(tmp_path / "register.yml") and error.line == line, error
    assert message in error.message, error


def test_two_entries_may_share_a_form_in_different_texts(tmp_path):
    body = (_entry("a1", "A1", extra="  - form: Nam\n    texts: [a]\n")
            + _entry("b1", "B1", extra="  - form: Nam\n    texts: [b]\n"))
    reg = _register(tmp_path, body)
    assert [m.entry.id for m in reg.find("Nam", "a")] == ["a1"]
    assert [m.entry.id for m in reg.find("Nam", "b")] == ["b1"]


def test_a_fact_is_quoted_from_its_witness_line(tmp_path):
    reg = _register(tmp_path, _entry("molotov", "Molotov", "Molotov", kind="person",
                                     extra="  facts:\n  - label: Ngoại trưởng Liên Xô\n    text: b\n    line: 691\n"
                                           "    quote: Ngoại trưởng Liên Xô Molotov\n"))
    assert reg.entries[0].facts[0].quote == "Ngoại trưởng Liên Xô Molotov"


def test_first_mention_per_paragraph_is_linked_outside_existing_links(tmp_path):
    reg = _register(tmp_path, _entry("lien-xo", "Liên Xô", "Liên Xô", "Soviet Union")
                    + "  search: [USSR]\n")
    text = _text("a", "x")
    link = RegisterLinker(reg)
    md = link(text, text.chapters[0], "1-p1", "[Liên Xô](../x.md) và Liên Xô, rồi Liên Xô.")
    assert md == '[Liên Xô](../x.md) và [Liên Xô](../bang-tra/lien-xo.md){: .reg-mention data-reg="lien-xo"}, rồi Liên Xô.'

    assert fold("Đổi mới") == "doi moi"


def test_pages_escape_every_register_field(tmp_path):
    body = ('- id: x\n  name: "<b>X</b>"\n  kind: place\n  description: "<script>alert(1)</script> *đậm*"\n'
            '  variants:\n  - "<i>Xa"\n  - "<b>X</b>"\n')  # the headword is a printed form
    reg = _register(tmp_path, body)
    texts = [_text("a", "Ở <i>Xa có chữ <b>X</b>.")]
    register_pages.write_pages(tmp_path / "docs", texts, reg)
    page = (tmp_path / "docs" / "bang-tra" / "x.md").read_text(encoding="utf-8")
    index = (tmp_path / "docs" / "bang-tra" / "index.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: '&lt;b&gt;X&lt;/b&gt;'\n")
    for html in (page, index):
        assert "<script>" not in html and "<b>X" not in html and "&lt;b&gt;X&lt;/b&gt;" in html
    assert "&lt;i&gt;Xa" in page and "&#42;đậm&#42;" in page
    assert '<a href="../a/01-bai.html#1-p1">Bài, ¶ 1-p1</a>' in page
    assert "Không nêu trong nguồn." in page


def test_index_is_in_vietnamese_alphabetical_order(tmp_path):
    body = "".join(_entry(i, n, n) for i, n in (("d", "Đà Lạt"), ("b", "Bắc Kinh"), ("a", "Anh"), ("dd", "Đông Âu"),
                                                ("c", "Cuba"), ("e", "Dương")))
    reg = _register(tmp_path, body)
    register_pages.write_pages(tmp_path / "docs", [_text("a", "Anh, Bắc Kinh, Cuba, Dương, Đà Lạt, Đông Âu.")], reg)
    index = (tmp_path / "docs" / "bang-tra" / "index.md").read_text(encoding="utf-8")
    order = [index.index(f">{n}</a>") for n in ("Anh", "Bắc Kinh", "Cuba", "Dương", "Đà Lạt", "Đông Âu")]
    assert order == sorted(order)


@pytest.fixture(scope="module")
def real():
    return load_register(), load_corpus()


def test_the_real_register_is_proved_against_the_corpus(real):
    register, texts = real
    register.prove(texts)
    kinds = {k: sum(e.kind == k for e in register.entries) for k in register.kinds}
    assert all(kinds.values()) and sum(kinds.values()) >= 100, kinds
    ids = {e.id for e in register.entries}
    assert {"goocbachop", "matxcova", "sev", "hiep-uoc-huu-nghi-va-hop-tac-1978"} <= ids


def test_register_mentions_span_the_texts_and_spellings(real):
    register, texts = real
    where: dict[str, set[str]] = {}
    for place, found in register.mentions(texts):
        for m in found:
            where.setdefault(m.entry.id, set()).add(f"{place.text}:{m.form}")
    assert {"luan-an-1975-1991:Mátxcơva", "khang-chien-chong-phap:Moskva", "achievements-1975-1991:Moscow"} \
        <= where["matxcova"]
    assert {"luan-an-1975-1991:Lê Duẩn", "achievements-1975-1991:Le Duan"} <= where["le-duan"]
    assert "Gorbachev" in register.by_id["goocbachop"].names  # the search-only name


def _one_alternative_per_form(register) -> re.Pattern:
    """The register's pattern as it was first written (every form an alternative, the longest first): what
    the trie must match exactly, only faster."""
    forms = sorted({*register._claims, *(x.form for x in register.exclusions)}, key=lambda f: (-len(f), f))
    return re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w])")


def test_the_trie_matches_what_one_alternative_per_form_matches(real):
    register, texts = real
    reference = _one_alternative_per_form(register)
    blocks = [b for t in texts for c in t.chapters for b in c.blocks]
    for text in [b.plain for b in blocks] + [b.markdown for b in blocks]:  # found in both (links: Markdown)
        assert [m.span() for m in register._pattern.finditer(text)] == [m.span() for m in reference.finditer(text)]


def test_forms_sharing_a_beginning_match_whole_and_longest(tmp_path):
    body = (_entry("ha", "Hà", "Hà") + _entry("ha-noi", "Hà Nội", "Hà Nội", "Hà Nội mới")
            + _entry("ha-tay", "Hà Tây", "Hà Tây") + _entry("x", "X", "X.Y.Z"))
    reg = _register(tmp_path, body)
    text = "Hà Nội mới, Hà Nội mớii, Hà Tâyy, Hà; aHà Nội; X.Y.Z. và X.Y.Za"
    assert [(m.form, m.start) for m in reg.find(text, "a")] == [
        (m.group(), m.start()) for m in _one_alternative_per_form(reg).finditer(text)] == [
        ("Hà Nội mới", 0), ("Hà Nội", 12), ("Hà", 25), ("Hà", 34), ("X.Y.Z", 47)]


def test_names_inside_citation_links_and_their_tooltips_stay_plain(tmp_path):
    reg = _register(tmp_path, _entry("ha-noi", "Hà Nội", "Hanoi"))
    text = _text("a", "x")
    md = '[\\[10\\]](../thu-muc/a.md#r10){: .cite data-tip="Sách, Hanoi."} ở Hanoi.'
    linked = RegisterLinker(reg)(text, text.chapters[0], "1-p1", md)
    assert linked.startswith('[\\[10\\]](../thu-muc/a.md#r10){: .cite data-tip="Sách, Hanoi."} ở [Hanoi](')


# ---------------------------------------------------------------- the coverage rule (issue 15)

def test_candidates_are_capitalised_runs_and_abbreviations_minus_the_register(tmp_path):
    reg = _register(tmp_path, _entry("lien-xo", "Liên Xô", "Liên Xô"))
    texts = [_text("a", "Trong năm, Liên Xô và Hội đồng tương trợ kinh tế (SEV) gặp M.X.Goocbachốp ở "
                        "Liên Xô.",
                   "SEV họp. Trong đó có Council for Mutual Economic Assistance, trong ấy."),
             _text("b", "Nguyễn Văn A viết về SEV; đoàn Liên Xô Brêgiơnép đến.")]
    found = candidates.find_candidates(texts, reg)
    assert found["Brêgiơnép"].occurrences == 1  # what is left of a run once the register's names are cut out
    assert "Trong" not in found and "Liên Xô" not in found  # a sentence's first word; a covered name
    assert found["SEV"].occurrences == 3 and dict(found["SEV"].texts) == {"a": 2, "b": 1}
    assert found["M.X.Goocbachốp"].occurrences == 1
    assert "Council for Mutual Economic Assistance" in found and "Hội" in found
    assert [c.form for c in candidates.uncurated(found, excluded={"Hội"})] == ["SEV"]


def test_not_in_register_is_validated_with_file_line(tmp_path):
    path = tmp_path / "not-in-register.yml"
    path.write_text("groups:\n- reason: chức danh\n  forms:\n  - Tổng Bí\n  - Chủ\n"
                    "- reason: x\n  forms:\n  - Chủ\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_not_in_register(path)
    assert caught.value.line == 8 and "'Chủ' listed twice (first on line 5)" in caught.value.message
    path.write_text("groups:\n- forms: [Chủ]\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_not_in_register(path)
    assert caught.value.line == 2 and "'reason' is a required property" in caught.value.message


def test_every_candidate_above_the_threshold_is_in_the_register_or_excluded_with_a_reason(real):
    """The issue's rule: a name printed in two or more texts or three or more times is curated. A new text that
    names a new person thrice fails here until the name is an entry or a line of not-in-register.yml."""
    register, texts = real
    found = candidates.find_candidates(texts, register)
    excluded = load_not_in_register()
    missing = [f"{c.form} ({len(c.texts)} texts, {c.occurrences}×)"
               for c in candidates.uncurated(found, set(excluded))]
    assert not missing, "not curated (register.yml or not-in-register.yml): " + "; ".join(missing)
    stale = [f"line {line}: {form}" for form, (_, line) in excluded.items()
             if form not in found or not found[form].above_threshold]
    assert not stale, "not-in-register.yml lists forms no longer uncovered candidates: " + "; ".join(stale)


def test_previews_carry_each_entrys_folded_names():
    """The search landing highlight finds "gorbachev" in a link to Goocbachốp through these (the links carry
    only the entry id)."""
    entries = json.loads(register_pages._previews(load_register()))["entries"]
    assert "gorbachev" in entries["goocbachop"][3].split("|")
    assert all(len(e) == 5 and e[3] and e[3] == e[3].lower() for e in entries.values())


def test_a_description_is_shown_in_the_interface_language_or_marked_as_vietnamese(tmp_path):
    """A description given per interface language is shown in the English interface's words, a quotation in
    it marked as Vietnamese; one given in Vietnamese only is shown there as Vietnamese (the page, the index, the
    preview's language)."""
    body = ('- id: x\n  name: Xa\n  kind: place\n  description:\n    vi: Địa danh được luận án nhắc đến.\n'
            '    en: Place name mentioned in the thesis (“Ở Xa”, as printed).\n  variants: [Xa]\n'
            '- id: y\n  name: Ya\n  kind: place\n  description: Địa danh khác.\n  variants: [Ya]\n')
    reg = _register(tmp_path, body)
    texts = [_text("a", "Ở Xa và Ya.")]
    for lang, x_shown, y_shown in (("vi", "Địa danh được luận án nhắc đến.", "Địa danh khác."),
                                   ("en", 'Place name mentioned in the thesis (<span lang="vi">“Ở Xa”</span>, as printed).',
                                    '<span lang="vi">Địa danh khác.</span>')):
        with ui.use(lang):
            register_pages.write_pages(tmp_path / lang, texts, reg)
            previews = json.loads(register_pages._previews(reg))["entries"]
        page = (tmp_path / lang / "bang-tra" / "x.md").read_text(encoding="utf-8")
        index = (tmp_path / lang / "bang-tra" / "index.md").read_text(encoding="utf-8")
        assert f'<p class="reg-description">{x_shown} (' in page
        assert f"— {x_shown} <span" in index and f"— {y_shown} <span" in index
        assert previews["x"][2] == re.sub("<[^>]+>", "", x_shown) and previews["x"][4] == ""
        assert previews["y"][4] == ("vi" if lang == "en" else "")


def test_every_real_description_and_timeline_note_has_its_english_line():
    """The English interface shows the editor's words in English: every register description and timeline note
    is given in both interface languages (a new entry in Vietnamese only fails here, not in the build)."""
    untranslated = [e.id for e in load_register().entries if not isinstance(e.description, dict)]
    assert not untranslated, "register.yml: descriptions in Vietnamese only: " + ", ".join(untranslated)
    notes = [ev.id for ev in load_timeline().events if ev.note and not isinstance(ev.note, dict)]
    assert not notes, "events.yml: notes in Vietnamese only: " + ", ".join(notes)
