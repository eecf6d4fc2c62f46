"""Per-text pages: the landing page (metadata, rights, witness, contents) and the change-log page."""

from __future__ import annotations

from collections import Counter

from ..model import escape
from ..model.corpus import Text, field
from ..model.source_map import entry_ids
from ..model.witness import Witness
from ..model.yamlio import load_yaml
from . import works
from .chapters import section_titles
from .frontmatter import dump_page
from .metadata import cite_box, landing_meta
from .witness_pages import editorial_md, evidence_md, line_href
from .wording import KIND_VI

# The change log as data (a copy of corpus/<text>/changelog.yml beside its page), and the reader's labels of
# what specialists look up by file name: the witness (its page first, its file name after) and that log.
CHANGELOG_DATA = "thay-doi.yml"
WITNESS_LABEL = "Bản nguồn (bản trích văn bản từ PDF)"
LOG_DATA_LABEL = "nhật ký dạng dữ liệu máy đọc được (YAML)"
SUPPLIED = ' <span class="supplied" title="Không in trong bản nguồn; do người biên tập bổ sung">[bổ sung]</span>'


def _cell(value: str, supplied: bool, missing: str = "Không được nêu trong nguồn") -> str:
    if not value:
        return f"*{missing}*"
    return escape.md_text(value) + (SUPPLIED if supplied else "")


def year_cell(text: Text) -> str:
    """The one year decision, as every citation of the text applies it."""
    if works.year(text):
        return works.year(text)
    dating = works.dating(text)
    return ("*Không nêu trong nguồn*: trích dẫn không ghi năm (APA, Chicago: n.d.; kiểu Việt Nam: không rõ năm)"
            + (f". Niên đại theo người biên tập: {escape.md_text(dating)}" if dating else ""))


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _evidence(text: Text, node, basis: str) -> str:
    """The landing table's evidence cell: each quote with its witness line, else the editor's mark and basis."""
    found = [n["evidence"] for n in (node if isinstance(node, list) else [node])
             if isinstance(n, dict) and isinstance(n.get("evidence"), dict)]
    if found:
        return "; ".join(evidence_md(text, ev["line"], ev["quote"], "../") for ev in found)
    if isinstance(node, dict):
        basis = node.get("note") or node.get("source") or node.get("decision") or basis
    return editorial_md(basis)


def landing_page(text: Text, witness: Witness, fidelity: dict | None = None, downloads: list | None = None) -> str:
    m = text.meta
    t_sup = works.supplied_title(text)
    te, te_sup = field(m, "title_en")
    who = "; ".join(p.natural + (f" ({p.affiliation})" if p.affiliation else "") for p in works.persons(text))
    venue, _ = field(m, "venue")
    stated = "người biên tập xác định từ văn bản"
    rows = [
        ("Nhan đề", _cell(works.title(text), t_sup), _evidence(text, m.get("title"), stated)),
        ("Nhan đề tiếng Anh", _cell(works.bracket(te, te_sup), te_sup),
         _evidence(text, m.get("title_en"), "bản dịch của người biên tập")),
        ("Tác giả", _cell(who, False, "Không rõ (không được nêu trong nguồn)"),
         _evidence(text, m.get("authors") or [], m.get("authors_note") or "không được nêu trong bản nguồn")),
        ("Năm", year_cell(text), _evidence(text, m.get("year"), "không được nêu trong bản nguồn")),
        ("Thể loại", escape.md_text(m["genre"]["vi"]), editorial_md(stated)),
        ("Nơi công bố", _cell(venue, False), _evidence(text, m.get("venue"), "không được nêu trong bản nguồn")),
        ("Ngôn ngữ", {"vi": "Tiếng Việt", "en": "Tiếng Anh"}[m["language"]], editorial_md(stated)),
        ("Quyền", escape.md_text(m["rights"]), editorial_md("tuyên bố của ấn bản về bản nguồn")),
    ]
    if works.cite_title(text) != works.title(text):
        rows.insert(1, ("Nhan đề khi trích dẫn", _cell(works.cite_title(text), False),
                        editorial_md("chuẩn hoá chữ hoa của người biên tập; trang giữ dạng in")))
    notes = []
    title_meta = m.get("title") if isinstance(m.get("title"), dict) else {}
    if title_meta.get("note") or title_meta.get("source"):
        notes.append(f"- Nhan đề: {escape.md_text(title_meta.get('note') or title_meta.get('source'))}")
    if works.year_note(text):
        notes.append(f"- Năm: {escape.md_text(works.year_note(text))}")
    toc = []
    for ch in text.chapters:
        toc.append(f"- [{escape.md_text(ch.title)}]({ch.stem}.md)")
        for level, hid, heading in section_titles(ch):
            if 2 <= level <= 3:
                toc.append("    " * (level - 1) + f"- [{escape.md_text(heading)}]({ch.stem}.md#{hid})")
    lines = [f"# {escape.md_text(works.title(text))} {{#tong-quan}}", "", "## Thông tin văn bản {#thong-tin}", "",
             "Mỗi giá trị kèm căn cứ: câu in trong bản nguồn (liên kết đến dòng của nó), hoặc dấu "
             "*người biên tập* cùng cơ sở khi bản nguồn không nêu.", "",
             "| Trường | Giá trị | Căn cứ |", "|---|---|---|"]
    lines += [f"| {k} | {v} | {e} |" for k, v, e in rows]
    if notes:
        lines += ["", "Ghi chú của người biên tập:", ""] + notes
    lines += ["", cite_box(text, None)]
    lines += ["", "## Mục lục {#muc-luc}", ""] + toc
    if downloads:
        lines += ["", "## Tải về {#tai-ve}", "",
                  "Toàn văn kèm trang nhan đề (thông tin do người biên tập bổ sung trong ngoặc vuông), quyền, "
                  "bản nguồn và liên kết cố định của từng mục:", ""]
        lines += [f"- [{d.label}]({d.path.name}){{: download=\"{d.path.name}\"}} · {_size(d.size)}" for d in downloads]
    lines += ["", "## Biên tập {#bien-tap}", "",
              "Mọi can thiệp ngoài việc dàn lại khoảng trắng được ghi trong [nhật ký thay đổi](thay-doi.md)."]
    if fidelity:
        lines += ["", f"Kiểm tra trung thực: {fidelity['witness_words']} từ trong bản nguồn, "
                  f"{fidelity['corpus_words']} từ trong ấn bản, {fidelity['unexplained']} khác biệt không giải thích được."]
    # file names and checksums: for specialists, after the reader's path through the page, each behind the
    # reader's label of what it names
    lines += ["", "## Dành cho chuyên gia {#chuyen-gia}", "",
              "| Trường | Giá trị |", "|---|---|",
              f"| Bản nguồn | [{WITNESS_LABEL}](ban-nguon.md) · tên tệp: {escape.code(witness.file)} |",
              f"| Mã băm SHA-256 của bản nguồn | {escape.code(witness.sha256)} |",
              f"| Nhật ký thay đổi | [Nhật ký thay đổi](thay-doi.md) · {_log_data(text)} |"]
    front = {"title": escape.title(works.title(text)), "lang": "vi", **landing_meta(text, pdf=bool(downloads))}
    return dump_page(front, "\n".join(lines))


def _log_data(text: Text) -> str:
    return f'[{LOG_DATA_LABEL}]({CHANGELOG_DATA}){{: download="{text.id}-nhat-ky-thay-doi.yml"}}'


def changelog_page(text: Text) -> str:
    log = load_yaml(text.dir / "changelog.yml")
    entries = log.get("entries") or []
    counts = Counter(e["kind"] for e in entries)
    lines = [f"# Nhật ký thay đổi: {escape.md_text(works.title(text))} {{#nhat-ky}}", "",
             "Mọi can thiệp biên tập vào văn bản này; số dòng là số dòng của bản nguồn.", "",
             f"Dành cho chuyên gia: [bản nguồn](ban-nguon.md) (tên tệp {escape.code(log['witness'])}, SHA-256 "
             f"{escape.code(log['witness_sha256'])}); {_log_data(text)}.", "",
             "## Tóm tắt {#tom-tat}", "", "| Loại can thiệp | Số lần |", "|---|---|"]
    lines += [f"| {escape.md_text(KIND_VI.get(k, k))} | {n} |" for k, n in sorted(counts.items())]
    lines += ["", "## Chi tiết {#chi-tiet}", "", "| Dòng | Loại | Văn bản | Ghi chú |", "|---|---|---|---|"]
    for e, eid in zip(entries, entry_ids(entries)):  # each row anchored: the witness page links to it
        text_cell = str(e["text"])
        if e["kind"] == "join":
            text_cell = f"{e['text']} + {e['next_text']} (dòng {e['next_line']})"
        line = f'<span id="{eid}"></span>[{escape.md_text(e["line"])}]({line_href(text, e["line"])})'
        lines.append(f"| {line} | {escape.md_text(KIND_VI.get(e['kind'], e['kind']))} | "
                     f"{escape.code(text_cell)} | {escape.md_text(e.get('note', ''))} |")
    if not entries:
        lines.append("| – | – | – | Không có can thiệp nào. |")
    # witness line numbers would only add noise tokens to the search index
    return dump_page({"title": "Nhật ký thay đổi", "lang": "vi", "search": {"exclude": True}}, "\n".join(lines))


def card(text: Text, witness: Witness) -> str:
    m = text.meta
    who = escape.md_text("; ".join(p.natural for p in works.persons(text)) or "không rõ")
    abstract = m.get("abstract_line") or ""
    return "\n".join([
        '<article class="text-card" markdown>', "",
        f"### [{escape.md_text(works.title(text))}]({text.id}/index.md){' [bổ sung]' if works.supplied_title(text) else ''} "
        f"{{#the-{text.id}}}", "",
        f"**Tác giả:** {who} · **Năm:** {escape.md_text(works.year(text) or 'không nêu trong nguồn')} · "
        f"**Thể loại:** {escape.md_text(m['genre']['vi'])} · **Ngôn ngữ:** {'tiếng Việt' if m['language'] == 'vi' else 'tiếng Anh'}", "",
        escape.md_text(abstract), "", "</article>",
    ])
