"""Per-text pages: the landing page (metadata, rights, witness, contents) and the change-log page."""

from __future__ import annotations

from collections import Counter

from .. import escape
from ..corpus import Text
from ..witness import Witness
from ..yamlio import load_yaml
from .chapters import section_titles
from .frontmatter import dump_page
from .metadata import authors, field, title

SUPPLIED = ' <span class="supplied" title="Không in trong bản nguồn; do người biên tập bổ sung">[bổ sung]</span>'
KIND_VI = {
    "page-number": "xoá số trang lạc",
    "running-head": "xoá tiêu đề lặp đầu trang",
    "join": "nối lại từ/ngày bị ngắt dòng",
    "footnote-label": "nhãn chú thích chuyển thành chú thích Markdown",
    "footnote-missing": "dấu chú thích không có nội dung chú thích (giữ nguyên)",
    "editorial-insertion": "lời biên tập bổ sung",
    "pdf-noise": "xoá nhiễu PDF",
    "flag-duplicate": "đoạn lặp trong bản nguồn (giữ nguyên, chỉ đánh dấu)",
}


def _cell(value: str, supplied: bool, missing: str = "Không được nêu trong nguồn") -> str:
    if not value:
        return f"*{missing}*"
    return escape.md_text(value) + (SUPPLIED if supplied else "")


def landing_page(text: Text, witness: Witness, fidelity: dict | None = None) -> str:
    m = text.meta
    t, t_sup = field(m, "title")
    te, te_sup = field(m, "title_en")
    y, y_sup = field(m, "year")
    who = "; ".join(
        a["name"] + (f" ({a['affiliation']})" if a.get("affiliation") else "") for a in m.get("authors") or []
    )
    venue, _ = field(m, "venue")
    rows = [
        ("Nhan đề", _cell(t, t_sup)),
        ("Nhan đề tiếng Anh", _cell(te, te_sup)),
        ("Tác giả", _cell(who, False, "Không rõ (không được nêu trong nguồn)")),
        ("Năm", _cell(y, y_sup)),
        ("Thể loại", escape.md_text(m["genre"]["vi"])),
        ("Nơi công bố", _cell(venue, False)),
        ("Ngôn ngữ", {"vi": "Tiếng Việt", "en": "Tiếng Anh"}[m["language"]]),
        ("Quyền", escape.md_text(m["rights"])),
    ]
    notes = [f"- {escape.md_text(field(m, k)[0] and (m[k].get('note') or m[k].get('source')) or '')}" for k in ("title", "year")
             if isinstance(m.get(k), dict) and (m[k].get("note") or m[k].get("source"))]
    toc = []
    for ch in text.chapters:
        toc.append(f"- [{escape.md_text(ch.title)}]({ch.stem}.md)")
        for level, hid, heading in section_titles(ch):
            if 2 <= level <= 3:
                toc.append("    " * (level - 1) + f"- [{escape.md_text(heading)}]({ch.stem}.md#{hid})")
    lines = [f"# {escape.md_text(t)}{' [bổ sung]' if t_sup else ''} {{#tong-quan}}", "", "## Thông tin văn bản {#thong-tin}", "",
             "| Trường | Giá trị |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    if notes:
        lines += ["", "Ghi chú của người biên tập:", ""] + notes
    lines += ["", "## Mục lục {#muc-luc}", ""] + toc
    lines += ["", "## Biên tập {#bien-tap}", "",
              "Mọi can thiệp ngoài việc dàn lại khoảng trắng được ghi trong [nhật ký thay đổi](thay-doi.md)."]
    if fidelity:
        lines += ["", f"Kiểm tra trung thực: {fidelity['witness_words']} từ trong bản nguồn, "
                  f"{fidelity['corpus_words']} từ trong ấn bản, {fidelity['unexplained']} khác biệt không giải thích được."]
    # file names and checksums: for specialists, after the reader's path through the page
    lines += ["", "## Dành cho chuyên gia {#chuyen-gia}", "",
              "| Trường | Giá trị |", "|---|---|",
              f"| Tệp bản nguồn | {escape.code(witness.file)} |",
              f"| Mã băm SHA-256 của bản nguồn | {escape.code(witness.sha256)} |",
              f"| Nhật ký thay đổi máy đọc được | `corpus/{text.id}/changelog.yml` |"]
    front = {"title": escape.title(t), "lang": "vi"}
    return dump_page(front, "\n".join(lines))


def changelog_page(text: Text) -> str:
    log = load_yaml(text.dir / "changelog.yml")
    entries = log.get("entries") or []
    counts = Counter(e["kind"] for e in entries)
    lines = [f"# Nhật ký thay đổi: {escape.md_text(title(text))} {{#nhat-ky}}", "",
             "Mọi can thiệp biên tập vào văn bản này; số dòng là số dòng của bản nguồn.", "",
             f"Dành cho chuyên gia: tệp bản nguồn {escape.code(log['witness'])} (SHA-256 {escape.code(log['witness_sha256'])}); "
             "tệp máy đọc được: `corpus/" + text.id + "/changelog.yml`.", "",
             "## Tóm tắt {#tom-tat}", "", "| Loại can thiệp | Số lần |", "|---|---|"]
    lines += [f"| {escape.md_text(KIND_VI.get(k, k))} | {n} |" for k, n in sorted(counts.items())]
    lines += ["", "## Chi tiết {#chi-tiet}", "", "| Dòng | Loại | Văn bản | Ghi chú |", "|---|---|---|---|"]
    for e in entries:
        text_cell = str(e["text"])
        if e["kind"] == "join":
            text_cell = f"{e['text']} + {e['next_text']} (dòng {e['next_line']})"
        lines.append(f"| {escape.md_text(e['line'])} | {escape.md_text(KIND_VI.get(e['kind'], e['kind']))} | "
                     f"{escape.code(text_cell)} | {escape.md_text(e.get('note', ''))} |")
    if not entries:
        lines.append("| – | – | – | Không có can thiệp nào. |")
    # witness line numbers would only add noise tokens to the search index
    return dump_page({"title": "Nhật ký thay đổi", "lang": "vi", "search": {"exclude": True}}, "\n".join(lines))


def card(text: Text, witness: Witness) -> str:
    m = text.meta
    t, sup = field(m, "title")
    y, ysup = field(m, "year")
    who = escape.md_text("; ".join(authors(text)) or "không rõ")
    abstract = m.get("abstract_line") or ""
    return "\n".join([
        f'<article class="text-card" markdown>', "",
        f"### [{escape.md_text(t)}]({text.id}/index.md){' [bổ sung]' if sup else ''} {{#the-{text.id}}}", "",
        f"**Tác giả:** {who} · **Năm:** {escape.md_text(y or 'không rõ')}{' [bổ sung]' if ysup and y else ''} · "
        f"**Thể loại:** {escape.md_text(m['genre']['vi'])} · **Ngôn ngữ:** {'tiếng Việt' if m['language'] == 'vi' else 'tiếng Anh'}", "",
        escape.md_text(abstract), "", "</article>",
    ])
