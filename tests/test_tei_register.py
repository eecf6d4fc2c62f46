"""TEI download and the register: every mention is a persName/placeName/orgName/name with @ref to an entry
of the lists in sourceDesc, built from the register; the words stay those of the text."""

from __future__ import annotations

import pytest
from lxml import etree

from edition.model.corpus import load_corpus
from edition.model.register import Register, load_register
from edition.model.witness import load_manifest
from edition.outputs.downloads import model, tei

NS = {"t": tei.TEI_NS}


@pytest.fixture(scope="module")
def article():
    text = next(t for t in load_corpus() if t.id == "khang-chien-chong-phap")
    return model.load_document(text, load_manifest()[text.id])


def test_mentions_are_tei_names_pointing_at_the_header_lists(article):
    register = load_register()
    tree = tei.document(article, register)
    assert tei.schema().validate(etree.fromstring(etree.tostring(tree))), tei.schema().error_log.last_error
    ho = tree.xpath("//t:body//t:persName[@ref='#reg.ho-chi-minh']", namespaces=NS)
    assert ho and {p.text for p in ho} <= {"Hồ Chí Minh", "Nguyễn Ái Quốc"}
    assert tree.xpath("//t:body//t:placeName[@ref='#reg.matxcova'][.='Moskva']", namespaces=NS)
    person = tree.xpath("//t:sourceDesc/t:listPerson/t:person[@xml:id='reg.ho-chi-minh']", namespaces=NS)[0]
    assert person.xpath("t:persName[1]", namespaces=NS)[0].text == "Hồ Chí Minh"
    evidence = person.xpath("t:note[@type='evidence']", namespaces=NS)[0].text
    assert evidence.startswith("Chủ tịch: “Chủ tịch Hồ Chí Minh” (khang-chien-chong-phap, dòng 95")
    refs = {r[1:] for r in tree.xpath("//t:body//@ref", namespaces=NS)}
    listed = set(tree.xpath("//t:sourceDesc//@xml:id", namespaces=NS))
    assert refs and refs == listed  # every mention has its entry; every listed entry is mentioned
    kinds = {register.by_id[r.removeprefix("reg.")].kind for r in refs}
    assert {"person", "place", "organisation"} <= kinds


def test_marking_the_names_changes_no_word(article):
    def body_text(register) -> str:
        return "".join(tei.document(article, register).xpath("//t:text", namespaces=NS)[0].itertext())

    register = load_register()
    bare = Register(register.path, register.kinds, [])
    assert body_text(register) == body_text(bare)
