"""Bản nguồn pages: each witness shown line by line, exactly as the extraction prints it (escaped), each
line anchored (``#dong-<n>``) and linked to the block of the edition that holds its words; each logged
intervention marked on its line and linked to its change-log entry; each printed-page milestone linked to
its marker. One page per text; a text of several chapters gets one page per chapter's lines (the thesis's
10 600 lines on one page would weigh ~1.5 MB) under an index page.

Beside each page, ``<page>.json`` holds the same lines and marks for the ¶ dialog (docs/assets/permalinks.js),
fetched only when a reader opens it. The pages are HTML blocks Markdown does not read (no ``markdown``
attribute), not searched (the texts are), and their ids are published permalinks (tests/snapshots/anchors.json).
"""

from __future__ import annotations

import json

from ..model import escape, ui
from ..model.corpus import Chapter, Text
from ..model.fidelity import NO_WORD_CHANGE
from ..model.source_map import SourceMap, Target
from . import output
from .frontmatter import dump_page

PAGE = "ban-nguon"
CHANGELOG = "thay-doi.html"
MARK_REMOVED = "wl-del"  # text the edition leaves out (logged)
MARK_JOINED = "wl-join"  # a word broken over two lines, joined


def page_stem(text: Text, chapter: Chapter | None) -> str:
    """The witness page holding a chapter's lines (``ban-nguon`` for a text of one chapter, or the index)."""
    return PAGE if chapter is None or len(text.chapters) == 1 else f"{PAGE}-{chapter.stem}"


def line_id(n: int) -> str:
    return f"dong-{n}"


def line_href(text: Text, n: int, suffix: str = ".md") -> str:
    """Witness line n on its witness page, relative to a page of the text's folder."""
    chapter = next((ch for ch in text.chapters if ch.meta["witness_lines"][0] <= n <= ch.meta["witness_lines"][-1]),
                   None)
    return f"{page_stem(text, chapter)}{suffix}#{line_id(n)}"


def span_label(first: int, last: int) -> str:
    """"dòng 12" or "dòng 12–15"."""
    return ui.text("line.one", n=first) if first == last else ui.text("line.range", first=first, last=last)


def kind_label(kind: str) -> str:
    """A kind of logged intervention as the change-log page, the witness pages and the ¶ dialog name it."""
    return ui.lookup(f"changelog.kind.{kind}", kind)


def _removes(kind: str) -> bool:
    return kind != "join" and kind not in NO_WORD_CHANGE and not kind.startswith("flag-")


def _target_href(t: Target) -> str:
    return f"{t.stem}.html#{t.anchor}"


def _target_label(t: Target) -> str:
    return ui.text(f"witness.target.{t.kind if t.kind in ('heading', 'footnote', 'pb') else 'para'}", id=t.anchor)


def _marked(line: str, n: int, smap: SourceMap) -> str:
    """The line escaped, with removed and joined text wrapped (first occurrence, as the fidelity check finds it)."""
    spans = []
    for e in smap.entries.get(n, []):
        if _removes(e.kind) or e.kind == "join":
            at = line.rfind(e.text) if e.kind == "join" else line.find(e.text)
            if at >= 0:
                spans.append((at, at + len(e.text), MARK_JOINED if e.kind == "join" else MARK_REMOVED))
    for e in smap.continued.get(n, []):  # the second half of a joined word starts this line
        if line.lstrip().startswith(e.next_text):
            at = line.index(e.next_text)
            spans.append((at, at + len(e.next_text), MARK_JOINED))
    out, pos = [], 0
    for start, end, cls in sorted(spans):
        if start < pos:
            continue
        tag = "del" if cls == MARK_REMOVED else "mark"
        out += [escape.md_text(line[pos:start]), f'<{tag} class="{cls}">{escape.md_text(line[start:end])}</{tag}>']
        pos = end
    out.append(escape.md_text(line[pos:]))
    return "".join(out)


def interventions(smap: SourceMap, n: int, markers_at: dict[int, list[tuple[str, str, str]]]) -> list[list[str]]:
    """[label, witness text, link] for each change-log entry on line n (a page milestone links to its marker)."""
    out = []
    for e in smap.entries.get(n, []):
        if e.kind == "page-break":
            for mid, stem, shown in markers_at.get(n, []):
                out.append([ui.text("witness.page-start", page=shown), "", f"{stem}.html#{mid}"])
        label = kind_label(e.kind)
        shown_text = ui.text("changelog.joined", text=e.text, next=e.next_text, line=e.next_line) if e.kind == "join" else e.text
        out.append([label, "" if e.kind == "page-break" else shown_text, f"{CHANGELOG}#{e.id}"])
    return out


def _markers_at(text: Text, smap: SourceMap) -> dict[int, list[tuple[str, str, str]]]:
    from ..model.printed_pages import text_pages

    stems = {ch.id: ch.stem for ch in text.chapters}
    out: dict[int, list[tuple[str, str, str]]] = {}
    for (chapter, _, _), m in text_pages(text).markers.items():
        if m.id in smap.markers:  # not in a draft's unaligned map
            out.setdefault(smap.markers[m.id], []).append((m.id, stems[chapter], m.shown))
    return out


def _line_html(n: int, smap: SourceMap, markers_at) -> str:
    targets = smap.targets.get(n, [])  # classless markup (CSS: .witness > p > …): 10 000 lines weigh
    number = f'<a href="{_target_href(targets[0])}">{n}</a>' if targets else f"<i>{n}</i>"
    more = "".join(f' <a class="wl-more" href="{_target_href(t)}">{escape.md_text(_target_label(t))}</a>'
                   for t in targets[1:])
    marks = "".join(f' <a class="wl-iv" href="{escape.attr(href)}">{escape.md_text(label)}</a>'
                    for label, _, href in interventions(smap, n, markers_at))
    extra = f"<small>{more}{marks}</small>" if more or marks else ""
    return f'<p id="{line_id(n)}">{number}{_marked(smap.lines[n - 1], n, smap)}{extra}</p>'


def _intro(text: Text, first: int, last: int) -> str:
    return "<p>" + ui.text("witness.intro", first=first, last=last,
                           removed=MARK_REMOVED, joined=MARK_JOINED, changelog=CHANGELOG) + "</p>"


def _specialist() -> str:
    """Where a reader of a witness page finds its file name and checksum (the landing page's specialist part)."""
    return "<p>" + ui.text("witness.specialist", landing="index.html#chuyen-gia") + "</p>"


CHUNK = 100  # lines per block the browser may leave unrendered while off screen (content-visibility)


def _chunks(lines: list[str]) -> list[str]:
    """The lines in blocks of ``CHUNK``: off screen, a block is skipped whole (its lines' style and layout), so a
    6,000-line page paints as fast as a chapter; a jump to a line renders the block that holds it."""
    return [f'<div class="wl-chunk">{"".join(lines[i:i + CHUNK])}</div>' for i in range(0, len(lines), CHUNK)]


def _page(text: Text, smap: SourceMap, first: int, last: int, title: str, markers_at) -> str:
    """A witness page; ``title``: HTML (its names escaped and marked with their language)."""
    body = [f'<h1 id="ban-nguon">{title}</h1>', "", _intro(text, first, last), "", _specialist(), "",
            f'<div class="witness" lang="{escape.attr(text.meta["language"])}">',
            *_chunks([_line_html(n, smap, markers_at) for n in range(first, last + 1)]), "</div>"]
    return dump_page({"title": title, "lang": ui.language(), "search": {"exclude": True}}, "\n".join(body))


def _data(stem: str, smap: SourceMap, first: int, last: int, markers_at) -> str:
    """What the ¶ dialog shows of these lines: their text and their interventions."""
    marks = {str(n): interventions(smap, n, markers_at) for n in range(first, last + 1) if smap.entries.get(n)}
    doc = {"page": f"{stem}.html", "first": first, "lines": smap.lines[first - 1:last], "marks": marks}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_pages(tdir, text: Text, smap: SourceMap) -> list:
    """Write the witness page(s) and their dialog data; returns the text's nav entry. Readers see the witness
    as "bản nguồn"; its file name is for specialists, on the landing page."""
    markers_at = _markers_at(text, smap)
    name = text.nav_html(escape.md_text)
    title = ui.text("witness.title")
    if len(text.chapters) == 1:
        first, last = 1, len(smap.lines)
        output.write_text(tdir / f"{PAGE}.md", _page(text, smap, first, last,
                                                     ui.text("witness.page-title", name=name), markers_at))
        output.write_text(tdir / f"{PAGE}.json", _data(PAGE, smap, first, last, markers_at))
        return [{title: f"{text.id}/{PAGE}.md"}]
    parts: list[str | dict[str, str]] = [f"{text.id}/{PAGE}.md"]
    items = []
    for ch in text.chapters:
        first, last = ch.meta["witness_lines"]
        stem = page_stem(text, ch)
        page_title = ui.text("witness.page-title", name=ui.marked(escape.md_text(ch.title), ch.lang))
        output.write_text(tdir / f"{stem}.md", _page(text, smap, first, last, page_title, markers_at))
        output.write_text(tdir / f"{stem}.json", _data(stem, smap, first, last, markers_at))
        parts.append({page_title: f"{text.id}/{stem}.md"})
        items.append(f'<li><a href="{stem}.html">{ui.marked(escape.md_text(ch.title), ch.lang)}</a> — '
                     f'{span_label(first, last)}</li>')
    index_title = ui.text("witness.page-title", name=name)
    index = [f'<h1 id="ban-nguon">{index_title}</h1>', "",
             "<p>" + ui.text("witness.parts-intro", n=len(smap.lines)) + "</p>", "",
             '<ul class="witness-parts">', *items, "</ul>", "", _specialist()]
    output.write_text(tdir / f"{PAGE}.md", dump_page({"title": index_title, "lang": ui.language(),
                                                       "search": {"exclude": True}}, "\n".join(index)))
    return [{title: parts}]


# Evidence of curated statements (landing pages, register, bibliography, timeline): a quote and its line.

def editor_mark() -> str:
    """The mark of what no witness states: "người biên tập" (the editor)."""
    return f'<span class="ed-mark">{ui.text("evidence.editor")}</span>'


def evidence_md(text: Text, line: int, quote: str, prefix: str = "../") -> str:
    """“quote” (bản nguồn, [dòng n]) as Markdown, the line linked on its witness page."""
    quoted = ui.marked(f"“{escape.md_text(quote)}”", text.meta["language"])  # in its text's language
    return (f"{quoted} ([{ui.text('evidence.line', line=line)}]({prefix}{text.id}/{line_href(text, line)})"
            "{: .ev-link})")


def witness_line_md(text: Text, line: int, prefix: str = "../") -> str:
    """[bản nguồn, dòng n] alone, for a further line of the same quote."""
    return f"[{ui.text('line.one', n=line)}]({prefix}{text.id}/{line_href(text, line)}){{: .ev-link}}"


def evidence_html(text: Text, line: int, quote: str, prefix: str = "../") -> str:
    """The same in raw HTML (pages Markdown does not read)."""
    lang = "" if text.meta["language"] == ui.language() else f' lang="{text.meta["language"]}"'
    return (f"<q{lang}>{escape.md_text(quote)}</q> (<a class=\"ev-link\" href=\"{prefix}{text.id}/"
            f"{line_href(text, line, '.html')}\">{ui.text('evidence.line', line=line)}</a>)")


def editorial_md(basis: str) -> str:
    """A statement no witness makes: marked as the editor's, with its basis."""
    return ui.text("evidence.basis", editor=editor_mark(), basis=ui.editors(escape.md_text(basis)))


def published_ids(text: Text, n_lines: int) -> dict[str, list[str]]:
    """Page → the line ids it publishes (the anchors snapshot), from the witness's length alone."""
    if len(text.chapters) == 1:
        return {f"{text.id}/{PAGE}": [line_id(n) for n in range(1, n_lines + 1)]}
    return {f"{text.id}/{page_stem(text, ch)}": [line_id(n) for n in range(ch.meta["witness_lines"][0],
                                                                            ch.meta["witness_lines"][1] + 1)]
            for ch in text.chapters}
