"""Downloads stage (edition.outputs.downloads): five PDFs, EPUBs and TEI files built from the real corpus, each
checked (fonts, metadata, EPUBCheck, TEI All, word fidelity), plus bad inputs and the cache."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from edition.enrich import bibliography
from edition.errors import BuildError
from edition.model import ui
from edition.model.corpus import Block, load_corpus
from edition.model.printed_pages import PageMarker
from edition.model.witness import load_manifest
from edition.outputs.downloads import fonts, model, tei, xhtml
from edition.outputs.downloads.build import FORMATS, build_downloads
from edition.outputs.downloads.checks import epubcheck_command
from edition.outputs.downloads.words import corpus_words, missing

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool


def _missing_tool() -> str | None:
    for tool in ("pdftotext", "pdffonts", "pdfinfo"):
        if not shutil.which(tool):
            return f"{tool} is not installed (apt-get install poppler-utils)"
    if not epubcheck_command():
        return "EPUBCheck is not installed (apt-get install epubcheck default-jre-headless)"
    try:
        fonts.families()
    except BuildError as error:
        return str(error)
    return None


if _missing_tool():
    if os.environ.get("CI") == "true":
        pytest.fail(f"{_missing_tool()}: required in CI", pytrace=False)
    pytest.skip(_missing_tool(), allow_module_level=True)

TEI_NS = {"t": "http://www.tei-c.org/ns/1.0"}
EPUB_BLOCKS = ("//*[local-name()='p' or local-name()='pre' or local-name()='h1' or local-name()='h2' "
               "or local-name()='h3' or local-name()='h4' or local-name()='h5' or local-name()='h6']")


@pytest.fixture(scope="module")
def corpus():
    bibliography.format_all()
    return load_corpus(), load_manifest()


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    texts, witnesses = corpus
    root = tmp_path_factory.mktemp("downloads")  # its own cache: the project's build/ is not the tests'
    return build_downloads(texts, witnesses, root / "docs", cache=root / "cache"), root


def _pdftext(path: Path) -> list[str]:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.split()


def _epub_words(path: Path) -> list[str]:
    words = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if re.search(r"part-\d+\.xhtml$", n)):
            page = etree.fromstring(z.read(name))
            for br in page.iter("{*}br"):  # a line break separates words
                br.tail = " " + (br.tail or "")
            for el in page.xpath(EPUB_BLOCKS):
                words += "".join(el.itertext()).split()
    return words


def test_three_downloads_per_text(built, corpus):
    files, _ = built
    assert sorted(files) == sorted(t.id for t in corpus[0])
    for downloads in files.values():
        assert [d.fmt for d in downloads] == list(FORMATS)
        assert all(d.path.stat().st_size > 5000 for d in downloads)


def test_pdf_is_a4_tagged_with_metadata_and_only_the_checked_fonts(built, corpus):
    files, _ = built
    texts = {t.id: t for t in corpus[0]}
    for text_id, downloads in files.items():
        pdf = next(d.path for d in downloads if d.fmt == "pdf")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Tagged:          yes" in info
        struct = subprocess.run(["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True).stdout
        assert struct.startswith("Document") and "H2 (block)" in struct  # a structure tree (tagged PDF)
        assert "595.276 x 841.89 pts (A4)" in info
        title = model.meta_field(texts[text_id].meta, "title")[0]
        assert title.strip("[]") in info
        for author in (p.natural for p in model.persons(texts[text_id])):
            assert author in info
        lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        names = {line.split()[0].split("+", 1)[1] for line in lines}
        assert names <= {"Edition-Serif", "Edition-Serif-Bold", "Edition-Serif-Italic", "Edition-Serif-Bold-Italic",
                         "Edition-Fallback"}, names
        assert all(" yes yes yes " in line for line in lines)  # embedded, subset, with a Unicode map
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 3


def test_pdf_has_title_page_contents_with_page_numbers_footnotes_and_permalinks(built):
    files, _ = built
    pdf = next(d.path for d in files["hop-tac-quoc-phong-2012-2024"] if d.fmt == "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert "SHA-256 của bản nguồn" in pages[0] and "004_e10eb79930684940.txt" in pages[0]
    assert re.search(r"1\. Cơ sở thúc đẩy hợp tác quốc phòng.*\. \d+", text)  # contents line with its page
    assert "hop-tac-quoc-phong-2012-2024/01-toan-van.html#muc-2" in text  # a section's permalink
    # note 1 is set at the foot of the page that calls it
    calling = next(p for p in pages if "quốc tế⁽¹⁾" in p)
    assert re.search(r"^\s*1\. Bộ Quốc phòng, Quốc phòng Việt Nam 2019", calling, re.M)


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_every_corpus_word_in_order(built, corpus, fmt):
    files, _ = built
    for text in corpus[0]:
        path = next(d.path for d in files[text.id] if d.fmt == fmt)
        words = _pdftext(path) if fmt == "pdf" else _epub_words(path)
        body, notes = corpus_words(text)
        assert missing(body, words) == [], f"{text.id}.{fmt}"
        assert [n for n, note in notes.items() if missing(note, words)] == [], f"{text.id}.{fmt} notes"


def test_epubcheck_reports_nothing(built):
    files, _ = built
    for downloads in files.values():
        epub = next(d.path for d in downloads if d.fmt == "epub")
        run = subprocess.run(epubcheck_command() + [str(epub)], capture_output=True, text=True)
        assert "0 fatals / 0 errors / 0 warnings" in run.stdout + run.stderr, run.stdout + run.stderr
        with zipfile.ZipFile(epub) as z:
            assert z.namelist()[0] == "mimetype"
            opf = z.read("OEBPS/content.opf").decode()
    assert "<dc:language>vi</dc:language>" in opf


def test_tei_is_valid_and_keeps_permalinks_witness_and_changes(built, corpus):
    files, _ = built
    from edition.render.run import published_anchors

    anchors = published_anchors(corpus[0])
    for text in corpus[0]:
        path = next(d.path for d in files[text.id] if d.fmt == "xml")
        doc = etree.parse(str(path))
        assert tei.schema().validate(doc), tei.schema().error_log.last_error
        witness = load_manifest()[text.id]
        assert doc.xpath("string(//t:sourceDesc//t:idno[@type='SHA-256'])", namespaces=TEI_NS) == witness.sha256
        assert doc.xpath("string(//t:sourceDesc//t:idno[@type='witness-file'])", namespaces=TEI_NS) == witness.file
        # every heading and paragraph permalink of the site is a TEI element's @corresp (and in its xml:id)
        targets = {c.rsplit("/", 1)[-1] for c in doc.xpath("//@corresp", namespaces=TEI_NS)}
        for ch in text.chapters:
            current = [a for a in anchors[f"{text.id}/{ch.stem}"] if not a.startswith(("tr-",))]
            lost = [a for a in current if f"{ch.stem}.html#{a}" not in targets and a != ch.id]
            assert len(lost) <= len(aliases_of(text.id, ch.stem)), (text.id, ch.stem, lost[:5])
        entries = len(doc.xpath("//t:revisionDesc//t:change[@type]", namespaces=TEI_NS))
        from edition.model.yamlio import load_yaml
        assert entries == len(load_yaml(text.dir / "changelog.yml").get("entries") or [])
    thesis = etree.parse(str(next(d.path for d in files["luan-an-1975-1991"] if d.fmt == "xml")))
    assert thesis.xpath("//t:titleStmt/t:title[@type='main']/t:supplied", namespaces=TEI_NS)  # supplied title marked
    assert thesis.xpath("//t:ref[@type='citation']", namespaces=TEI_NS)
    article = etree.parse(str(next(d.path for d in files["hop-tac-quoc-phong-2012-2024"] if d.fmt == "xml")))
    notes = [b for ch in corpus[0][-1].chapters for b in ch.blocks if b.kind == "footnote"]
    assert len(article.xpath("//t:note[@place='foot'][@xml:id]", namespaces=TEI_NS)) == len(notes) == 20
    assert "⁽²¹⁾" in "".join(article.xpath("//t:body//text()", namespaces=TEI_NS))  # call without note: as printed


def aliases_of(text_id: str, stem: str) -> list[str]:
    from edition.render.run import load_aliases

    return [old for olds in load_aliases().get(f"{text_id}/{stem}", {}).values() for old in olds]


def test_cache_reuses_unchanged_downloads_and_plain_build_does_not_build(built, corpus, tmp_path):
    texts, witnesses = corpus
    again = build_downloads(texts, witnesses, tmp_path / "docs", build=False, cache=built[1] / "cache")
    assert set(again) == {t.id for t in texts} and all(d.seconds == 0.0 for ds in again.values() for d in ds)
    assert build_downloads(texts, witnesses, tmp_path / "docs2", build=False, cache=tmp_path / "empty") == {}


def test_each_interface_keeps_its_own_version(built, corpus, tmp_path):
    """A download's front matter is in the interface's language: making a text's English downloads leaves its
    Vietnamese ones in the cache, so a plain build of either interface links its own."""
    texts, witnesses = corpus
    small = [min(texts, key=lambda t: sum(len(c.blocks) for c in t.chapters))]
    cache = built[1] / "cache"
    with ui.use("en"):
        made = build_downloads(small, witnesses, tmp_path / "en", cache=cache)
        assert all(d.seconds > 0 for d in made[small[0].id])  # made now, not found
        assert set(build_downloads(small, witnesses, tmp_path / "en2", build=False, cache=cache)) == {small[0].id}
    assert set(build_downloads(texts, witnesses, tmp_path / "vi", build=False, cache=cache)) == {t.id for t in texts}


def _subset_font(tmp: Path, source: Path) -> Path:
    from fontTools import subset

    out = tmp / "ascii.ttf"
    subset.main([str(source), "--unicodes=U+0020-007E", f"--output-file={out}"])
    return out


def test_missing_glyph_is_an_error_naming_the_character(tmp_path, corpus):
    texts, witnesses = corpus
    fams = fonts.families()
    ascii_font = _subset_font(tmp_path, fams["body"].faces["regular"])
    poor = fonts.Family("body", "ASCII", "none", {"regular": ascii_font})
    doc = model.load_document(texts[1], witnesses[texts[1].id])
    with pytest.raises(BuildError) as error:
        fonts.check_coverage(poor, model.characters(doc))
    message = str(error.value)
    assert "has no glyph for" in message and re.search(r"'.' \(U\+[0-9A-F]{4} ", message)
    assert "corpus/" in message  # names where the text uses it


def _one_para_doc(corpus, markdown: str, markers=()) -> model.Document:
    texts, witnesses = corpus
    text = texts[1]
    block = Block("para", markdown, 5)
    doc = model.load_document(text, witnesses[text.id])
    para = doc.parts[0].blocks[1]
    para.runs = model._with_milestones(block, list(markers), model.parse_inline)
    return doc


def test_corpus_text_is_escaped_in_every_format(corpus):
    doc = _one_para_doc(corpus, 'Trích <script>alert(1)</script> & "x"')
    html = xhtml.serialize(xhtml.Writer(doc, "epub").part(doc.parts[0])).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html and "<script" not in html
    xml = etree.tostring(tei.document(doc), encoding="unicode")
    assert "&lt;script&gt;" in xml and "<script" not in xml


def test_printed_page_markers_when_the_corpus_has_them(corpus):
    doc = _one_para_doc(corpus, "đầu trang trước {pb 46} cuối trang sau", [PageMarker("tr-46", "46")])
    pdf_html = xhtml.serialize(xhtml.Writer(doc, "footnote").part(doc.parts[0]), "html").decode()
    assert '<span class="pb" id="tr-46">tr. 46</span>' in pdf_html
    xml = etree.tostring(tei.document(doc), encoding="unicode")
    assert re.search(r'<pb n="46" xml:id="[a-z-]+\.tr-46"/>', xml)
    plain = _one_para_doc(corpus, "đầu trang")
    assert "pb" not in etree.tostring(tei.document(plain), encoding="unicode").split("<body>")[1][:2000]


def test_a_year_given_as_a_number_reaches_every_format(corpus):
    """text.yml's year.value is a YAML integer (no real text gives one yet; the fixture mau-bo-cuc does):
    the TEI header and the title page print it instead of stopping with TypeError."""
    doc = _one_para_doc(corpus, "đầu trang")
    meta = doc.text.meta  # the module's loaded corpus: put back for the other tests
    doc.text.meta = {**meta, "year": {**meta["year"], "value": 2001}}
    try:
        assert "<date>2001</date>" in etree.tostring(tei.header(doc), encoding="unicode")
        assert ("Năm", "2001", False) in xhtml.title_rows(doc)
    finally:
        doc.text.meta = meta
