"""Search records: one per section, timeline event and bibliography entry, with permalinks; nothing of the
text lost, nothing that is not text indexed."""

from __future__ import annotations

import gzip
import json
import re

import lxml.html
import pytest

from browser.edition_sites import site_path
from edition.outputs.search.search_index import (
    KIND_BIBLIOGRAPHY,
    KIND_TEXT,
    KIND_TIMELINE,
    fold_d,
    page_records,
    record_html,
    write_records,
)

PAGE = """<!doctype html><html lang="vi"><head>
<meta name="edition-title" content="Chương 2. Chủ trương">
<meta name="edition-work" content="Luận án">
</head><body><nav><p>menu</p></nav>
<div class="edition-page" lang="vi" data-pagefind-body>
<h1 id="chuong-2">Chương 2<a class="headerlink" href="#chuong-2">¶</a></h1>
<p>Mở đầu chương.</p>
<h2 id="2-1">2.1. Những yếu tố<a class="headerlink" href="#2-1">¶</a></h2>
<p class="para" id="2-1-p1">Đoạn một <a class="para-link" href="#2-1-p1">¶</a></p>
<p class="para" id="2-1-p2">Đoạn hai <span class="tl-backlink">⌚</span></p>
<section class="tl-period"><h2 id="giai-doan">Giai đoạn</h2><ol class="tl-events">
<li class="tl-event" id="hiep-uoc-1978"><p class="tl-when"><time datetime="1978-11-03">03-11-1978</time>
<a class="tl-permalink" href="#hiep-uoc-1978">¶</a></p><p class="tl-what"><strong>Ký Hiệp ước</strong></p></li>
</ol></section>
<p class="bib-entry" id="ref-1">Tác giả (1990), Sách.</p>
<p class="bib-evidence">Căn cứ: dòng 12</p>
<p class="bib-backlinks-title">Các đoạn trích dẫn:</p>
<ul><li><a href="#x">Chương 1, ¶ 3</a></li></ul>
<p class="bib-style">APA: Tác giả. (1990). Sách.</p>
</div></body></html>"""


@pytest.fixture
def records(tmp_path):
    (tmp_path / "ch").mkdir()
    page = tmp_path / "ch" / "02.html"
    page.write_text(PAGE, encoding="utf-8")
    return page_records(tmp_path, page)


def test_one_record_per_section_event_and_entry_with_its_permalink(records):
    assert [(r.url, r.title) for r in records] == [
        ("ch/02.html", "Chương 2. Chủ trương"),
        ("ch/02.html#2-1", "2.1. Những yếu tố"),
        ("ch/02.html#giai-doan", "Giai đoạn"),
        ("ch/02.html#hiep-uoc-1978", "03-11-1978: Ký Hiệp ước"),
        ("ch/02.html#ref-1", "Tác giả (1990), Sách."),
    ]
    assert {(r.page, r.work, r.lang) for r in records} == {("Chương 2. Chủ trương", "Luận án", "vi")}


def test_records_keep_the_text_and_drop_what_is_not_text(records):
    text = " ".join(" ".join(lxml.html.fromstring("".join(r.body)).text_content().split()) for r in records)
    for words in ("Mở đầu chương.", "Đoạn một", "Đoạn hai", "Ký Hiệp ước", "Tác giả (1990), Sách."):
        assert words in text
    for noise in ("¶", "⌚", "Căn cứ", "Các đoạn trích dẫn", "Chương 1", "APA", "menu"):
        assert noise not in text


def test_paragraph_ids_become_empty_markers_before_their_paragraph(records):
    section = "".join(records[1].body)
    assert '<span id="2-1-p1"></span><p class="para">Đoạn một' in section
    assert '<h2 id="2-1">' in section  # headings keep their ids (Pagefind's sub-result anchors)


def test_record_page_carries_permalink_and_titles_escaped(records):
    records[1].title = 'a "b" <c>'
    page = record_html(records[1])
    assert '<meta data-pagefind-meta="url[content]" content="ch/02.html#2-1">' in page
    assert 'content="a &quot;b&quot; &lt;c&gt;"' in page
    assert "<main data-pagefind-body>" in page


def test_a_page_without_search_body_has_no_record(tmp_path):
    page = tmp_path / "404.html"
    page.write_text("<html><body><h1 id='x'>Không tìm thấy</h1></body></html>", encoding="utf-8")
    assert page_records(tmp_path, page) == []


def test_real_site_records_cover_every_section_and_resolve(tmp_path_factory, tmp_path):
    site = site_path("site", tmp_path_factory)
    count = write_records(site, tmp_path)
    pages = sorted(tmp_path.rglob("*.html"))
    assert count == len(pages) > 400
    urls = [re.search(r'data-pagefind-meta="url\[content\]" content="([^"]+)"', p.read_text()).group(1)
            for p in pages]
    assert len(set(urls)) == len(urls)
    chapter = (site / "luan-an-1975-1991" / "03-chuong-2.html").read_text(encoding="utf-8")
    sections = re.findall(r'<h[234] id="([^"]+)"', chapter)
    assert {f"luan-an-1975-1991/03-chuong-2.html#{s}" for s in sections} <= set(urls)
    for url in urls:  # every permalink of a record exists in its page
        page, _, fragment = url.partition("#")
        assert not fragment or f'id="{fragment}"' in (site / page).read_text(encoding="utf-8"), url
    assert not any(u.startswith(("thu-muc/luan-an", "luan-an-1975-1991/thay-doi")) for u in urls)  # excluded
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["vi"]["page_count"] == count


def test_d_with_stroke_is_indexed_as_pagefind_can_fold_it_in_text_only(records):
    page = record_html(records[1])
    assert "D\u0335oạn một" in page and "Đoạn" not in page.split("<main", 1)[1]
    assert 'content="Chương 2. Chủ trương"' in page  # metadata (titles shown to readers) keeps the letters
    assert fold_d('<a href="đ">đổi Đảng</a>') == '<a href="đ">d\u0335ổi D\u0335ảng</a>'


def test_records_carry_their_kind_and_text_filters(tmp_path):
    (tmp_path / "luan-an").mkdir()
    page = tmp_path / "luan-an" / "02.html"
    page.write_text(PAGE, encoding="utf-8")
    kinds = [(r.url, r.kind) for r in page_records(tmp_path, page, texts={"luan-an"})]
    assert kinds == [("luan-an/02.html", KIND_TEXT), ("luan-an/02.html#2-1", KIND_TEXT),
                     ("luan-an/02.html#giai-doan", KIND_TEXT), ("luan-an/02.html#hiep-uoc-1978", KIND_TIMELINE),
                     ("luan-an/02.html#ref-1", KIND_BIBLIOGRAPHY)]
    text, event = page_records(tmp_path, page, texts={"luan-an"})[1], page_records(tmp_path, page)[3]
    assert '<meta data-pagefind-filter="text[content]" content="Luận án">' in record_html(text)
    assert f'<meta data-pagefind-filter="kind[content]" content="{KIND_TEXT}">' in record_html(text)
    assert 'data-pagefind-filter="text[content]"' not in record_html(event)  # the text filter: texts only


def test_a_register_mention_brings_the_entry_s_other_names_once_per_record(tmp_path):
    page = tmp_path / "p.html"
    mention = '<a class="reg-mention" data-reg="g" href="g.html">{}</a>'
    page.write_text('<html><body><div data-pagefind-body><h2 id="s">S</h2><p id="s-p1">Ông '
                    + mention.format("M.X.Goocbachốp") + " và " + mention.format("Goocbachốp")
                    + "</p></div></body></html>", encoding="utf-8")
    aliases = {"g": ["Goocbachốp", "M.X.Goocbachốp", "Gorbachev"]}
    body = "".join(page_records(tmp_path, page, aliases)[0].body)
    assert body.count("[= Gorbachev]") == 1 and "Goocbachốp</a><span> [= Gorbachev]</span> và" in body


def _fake_bundle(root, order):
    """A Pagefind bundle with one language and two filters, values written in ``order``."""
    from edition.outputs.search.pagefind_bundle import SIGNATURE, _encode

    (root / "filter").mkdir(parents=True)
    values = [["Thư mục", [3, 4]], ["Niên biểu", [1]], ["Đoạn văn bản", [0, 2]]]
    for name, vals in (("vi_aaa", [values[i] for i in order]), ("vi_bbb", [["Luận án", [0, 2]]])):
        filter_name = "kind" if name == "vi_aaa" else "text"
        (root / "filter" / f"{name}.pf_filter").write_bytes(gzip.compress(SIGNATURE + _encode([filter_name, vals])))
    meta = ["1.5.2", [["vi_p", 3]], [["a", "z", "vi_i"]], [["text", "vi_bbb"], ["kind", "vi_aaa"]][::1 if order[0] else -1],
            [], ["kind", "title"]]
    (root / "pagefind.vi_m.pf_meta").write_bytes(gzip.compress(SIGNATURE + _encode(meta)))
    (root / "pagefind-entry.json").write_text('{"version":"1.5.2","languages":{"vi":{"hash":"vi_m","wasm":null,'
                                              '"page_count":5}},"include_characters":["_"]}', encoding="utf-8")


def test_filter_files_are_rewritten_in_a_stable_order(tmp_path):
    from edition.outputs.search.pagefind_bundle import stabilise_filters

    files = []
    for n, order in enumerate(((0, 1, 2), (2, 0, 1))):
        _fake_bundle(tmp_path / str(n), order)
        stabilise_filters(tmp_path / str(n))
        files.append({p.relative_to(tmp_path / str(n)).as_posix(): p.read_bytes()
                      for p in sorted((tmp_path / str(n)).rglob("*")) if p.is_file()})
    assert files[0] == files[1] and len(files[0]) == 4
    assert json.loads(files[0]["pagefind-entry.json"])["languages"]["vi"]["hash"] != "vi_m"


def test_an_unexpected_pagefind_format_stops_the_build(tmp_path):
    from edition.errors import BuildError
    from edition.outputs.search.pagefind_bundle import SIGNATURE, stabilise_filters

    _fake_bundle(tmp_path, (0, 1, 2))
    (tmp_path / "pagefind.vi_m.pf_meta").write_bytes(gzip.compress(SIGNATURE + b"\xa1\x61a\x01"))  # a CBOR map
    with pytest.raises(BuildError, match="unexpected Pagefind file format"):
        stabilise_filters(tmp_path)


def test_a_printed_name_without_mention_link_brings_the_person_s_other_names(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><body><div data-pagefind-body><h2 id="s">S</h2><p>Thay mặt Liên Xô: BRÊ-GIƠ-NÉP</p>'
                    '<h2 id="t">T</h2><p>Bị mắc kẹt</p></div></body></html>', encoding="utf-8")
    people = {"b": ["Brêgiơnép", "L.I. Brêgiơnép", "Brezhnev"], "m": ["Mác"]}
    records = page_records(tmp_path, page, people=people)
    assert records[0].body[-1] == "<p>[= Brezhnev]</p>"
    assert not any("[=" in part for part in records[1].body)  # "Mác" (one short word) is not looked for
