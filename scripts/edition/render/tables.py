"""Pages for the appendix tables: one Markdown page per Phụ lục 1–11, an index, CSV downloads and SVG charts.

Tables are emitted as raw HTML (caption, ``scope`` on every header cell, multi-level headers as
``colspan``/``rowspan``) because Markdown tables cannot express them.  Charts are plain SVG written
here at build time – no JavaScript, no plotting library, nothing loaded from elsewhere – each with a
``<title>``/``<desc>`` and a text alternative on the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from edition import paths
from edition.enrich import bibliography
from edition.enrich.tables import DATAPACKAGE_NAME, Cell, Column, Table, fmt_vi, load_tables, load_units, table_of_block
from edition.model import escape, features, ui
from edition.render import output

# The label the thesis prints before a table's notes ("Ghi chú:"): the source's own word, left out of the notes
# shown after the edition's label.
PRINTED_NOTES_LABEL = "Ghi chú"

_esc = escape.html_text  # raw HTML (tables, SVG): Markdown does not read it
_md = escape.md_text  # text in the Markdown of the page


def _front_matter(title: str, escaped: bool = False) -> str:
    return f"---\ntitle: {json.dumps(title if escaped else escape.title(title), ensure_ascii=False)}\n---\n\n"


def caption(table: Table, lang: str) -> str:
    """The table's caption as HTML: "Phụ lục 2. …" / "Appendix 2. …", its printed title marked with the language
    it is printed in (``lang``, its text's) where the interface speaks another."""
    return ui.text("tables.caption", n=table.number, title=ui.marked(_md(table.title), lang))


def _lang(lang: str) -> str:
    """The attribute that marks the printed cells (headers, rows) in another language than the interface's."""
    return "" if lang == ui.language() else f' lang="{_esc(lang)}"'


def _unit_label(code: str, units: dict[str, str]) -> str:
    label = units[code]
    return label[:1].lower() + label[1:]


def _cell_text(table: Table, row: dict[str, Cell], col: Column) -> str:
    """A value in the thesis's notation (decimal comma; thousands dot only where the thesis prints one)."""
    cell = row[col.name]
    if cell.value is None:
        return ""
    if isinstance(cell.value, Decimal):
        if table.meta.get("thousands_dot") and "." not in cell.raw:
            return f"{int(cell.value):,}".replace(",", ".")
        return fmt_vi(cell.raw)
    return cell.raw


def _printed_override(table: Table, row: dict[str, Cell], col: Column) -> str | None:
    label = table.label(row)
    for cell in table.meta.get("printed_cells", []):
        if cell["row"] == label and cell["column"] == col.name:
            return cell["printed"]
    return None


# ---------------------------------------------------------------- HTML table


def _header_rows(columns: list[Column]) -> list[str]:
    """Multi-level header: equal labels side by side at one level merge (colspan); short headers span down (rowspan)."""
    depth = max(len(c.header) for c in columns)
    rows = []
    for level in range(depth):
        cells, i = [], 0
        while i < len(columns):
            col = columns[i]
            if len(col.header) <= level:
                i += 1
                continue
            prefix = col.header[: level + 1]
            j = i + 1
            while j < len(columns) and columns[j].header[: level + 1] == prefix and len(columns[j].header) > level + 1:
                j += 1
            span = j - i if len(col.header) > level + 1 else 1
            label = _esc(col.header[level])
            if len(col.header) > level + 1:
                cells.append(f'<th scope="colgroup" colspan="{span}">{label}</th>')
            else:
                rowspan = depth - level
                attr = f' rowspan="{rowspan}"' if rowspan > 1 else ""
                cells.append(f'<th scope="col"{attr}>{label}</th>')
            i = j if span > 1 else i + 1
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def table_html(table: Table, lang: str) -> str:
    shown = [c for c in table.columns if c.parenthesised_in is None]
    inside = {c.parenthesised_in: c for c in table.columns if c.parenthesised_in}
    lines = [f'<table id="bang-{table.id}">', f"<caption>{caption(table, lang)}</caption>", f"<thead{_lang(lang)}>"]
    lines += _header_rows(shown)
    lines += ["</thead>", f"<tbody{_lang(lang)}>"]
    for row in table.rows:
        cells = []
        for col in shown:
            text = _esc(_cell_text(table, row, col))
            sub = inside.get(col.name)
            if sub is not None and row[sub.name].value is not None:
                printed = _printed_override(table, row, sub) or f"({_cell_text(table, row, sub)})"
                text += f"<br>{_esc(printed)}"
            if col.role == "label":
                cells.append(f'<th scope="row">{text}</th>')
            elif col.type == "string":
                cells.append(f"<td>{text}</td>")
            else:
                cells.append(f'<td class="num">{text}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


# ---------------------------------------------------------------- SVG charts

_W, _H = 720, 400
_LEFT, _RIGHT, _TOP, _BOTTOM = 70, 20, 50, 110
_COLOURS = ["#1f5f99", "#c2571a", "#2e7d32", "#6a3d9a", "#8c6d1f"]
_DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 5"]
_MARKERS = ["circle", "square", "triangle", "diamond", "cross"]


def _dash(k: int) -> str:
    pattern = _DASHES[k % len(_DASHES)]
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def _chart_data(table: Table, chart: dict) -> tuple[list[str], list[tuple[str, list[Decimal | None]]]]:
    """(x categories, [(series name, values)]) – empty cells stay None and are not drawn."""
    if "x" in chart:
        cats = [row[chart["x"]].raw for row in table.rows]
        series = [(" – ".join(table.column(s).header), [row[s].value for row in table.rows]) for s in chart["series"]]
    else:
        cats = [" – ".join(table.column(c).header) for c in chart["x_columns"]]
        series = [(label, [table.row(label)[c].value for c in chart["x_columns"]]) for label in chart["series_rows"]]
    return cats, series


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    span = float(high - low) or 1.0
    raw = span / 5
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1 if raw >= 0.1 else 0.01
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step_d = Decimal(str(step))
    start = (low / step_d).to_integral_value(rounding="ROUND_FLOOR") * step_d
    ticks, value = [], start
    while value <= high + step_d / 1000:
        ticks.append(value)
        value += step_d
    if ticks[-1] < high:
        ticks.append(value)
    return ticks


def _axis_label(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    integer, _, decimals = text.partition(".")
    sign = "−" if integer.startswith("-") else ""
    integer = f"{int(integer.lstrip('-')):,}".replace(",", ".")
    return sign + integer + ("," + decimals if decimals else "")


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} L{x - 5:.1f},{y + 4:.1f} Z" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} L{x - 5:.1f},{y:.1f} Z" fill="{colour}"/>'
    return (f'<path d="M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x - 4:.1f},{y + 4:.1f} '
            f'L{x + 4:.1f},{y - 4:.1f}" stroke="{colour}" stroke-width="2"/>')


def chart_description(table: Table, chart: dict, lang: str | None = None) -> str:
    """The text alternative: every plotted value, in words a screen reader can read. Plain text; with ``lang``
    (the table's text's language) HTML, the printed names marked with it."""
    def name(value: str) -> str:
        return value if lang is None else ui.marked(_esc(value), lang)
    cats, series = _chart_data(table, chart)
    parts = []
    for label, values in series:
        shown = [f"{name(cat)}: {fmt_vi(v) if v is not None else ui.text('tables.chart.empty')}" for cat, v in zip(cats, values)]
        parts.append(f"{name(label)} – " + "; ".join(shown))
    kind = ui.text("tables.chart.bar" if chart["kind"] == "bar" else "tables.chart.line")
    return ui.text("tables.chart.description", kind=kind, title=name(chart["title"]), values=". ".join(parts))


def chart_svg(table: Table, chart: dict) -> str:
    cats, series = _chart_data(table, chart)
    values = [v for _, vs in series for v in vs if v is not None]
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(0))
    ticks = _ticks(low, high)
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def y_of(v: Decimal) -> float:
        return _TOP + plot_h * float((high - v) / (high - low))

    band = plot_w / len(cats)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" '
        f'role="img" aria-labelledby="{table.id}-t {table.id}-d" font-family="sans-serif" font-size="12">',
        f'<title id="{table.id}-t">{_esc(chart["title"])}</title>',
        f'<desc id="{table.id}-d">{_esc(chart_description(table, chart))}</desc>',
        f'<rect width="{_W}" height="{_H}" fill="#fff"/>',
        f'<text x="{_W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">{_esc(chart["title"])}</text>',
    ]
    for tick in ticks:
        y = y_of(tick)
        stroke = "#333" if tick == 0 else "#ddd"
        out.append(f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{stroke}"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_axis_label(tick)}</text>')
    for i, cat in enumerate(cats):
        x = _LEFT + band * (i + 0.5)
        out.append(f'<text x="{x:.1f}" y="{_TOP + plot_h + 18}" text-anchor="middle">{_esc(cat)}</text>')
    for k, (name, vals) in enumerate(series):
        colour = _COLOURS[k % len(_COLOURS)]
        if chart["kind"] == "bar":
            width = band * 0.8 / len(series)
            for i, v in enumerate(vals):
                if v is None:
                    continue
                x = _LEFT + band * i + band * 0.1 + width * k
                top, bottom = sorted((y_of(v), y_of(Decimal(0))))
                out.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{bottom - top:.1f}" '
                           f'fill="{colour}"><title>{_esc(name)}, {_esc(cats[i])}: {fmt_vi(v)}</title></rect>')
        else:
            segment: list[str] = []  # a gap (empty cell) ends a polyline: nothing is drawn through it
            for i, v in [*enumerate(vals), (None, None)]:
                if v is None:
                    if len(segment) > 1:
                        out.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                                   f'stroke-width="2"{_dash(k)}/>')
                    segment = []
                    continue
                x, y = _LEFT + band * (i + 0.5), y_of(v)
                segment.append(f"{x:.1f},{y:.1f}")
                out.append(_marker(_MARKERS[k % len(_MARKERS)], x, y, colour))
    legend_y = _TOP + plot_h + 42
    for k, (name, _) in enumerate(series):
        colour = _COLOURS[k % len(_COLOURS)]
        col, line = k % 2, k // 2
        x, y = _LEFT + col * (plot_w / 2), legend_y + line * 18
        if chart["kind"] == "bar":
            out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="12" fill="{colour}"/>')
            text_x = x + 18
        else:
            out.append(f'<line x1="{x:.1f}" x2="{x + 28:.1f}" y1="{y - 3:.1f}" y2="{y - 3:.1f}" stroke="{colour}" '
                       f'stroke-width="2"{_dash(k)}/>')
            out.append(_marker(_MARKERS[k % len(_MARKERS)], x + 14, y - 3, colour))
            text_x = x + 36
        out.append(f'<text x="{text_x:.1f}" y="{y + 1:.1f}">{_esc(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- pages


def _witness_ref(lines: list[int], layout: str | None) -> str:
    """"bản nguồn, dòng 9896–9938" (the reader's label, not the file's name), linking to the witness's layout
    of the table in the chapter when the chapter reproduces it."""
    if lines[0] != lines[1]:
        label = ui.text("evidence.lines", first=_md(lines[0]), last=_md(lines[1]))
    else:
        label = ui.text("evidence.line", line=_md(lines[0]))
    return f"[{label}]({layout})" if layout else label


def verbatim_places(tables: list[Table], owner_text) -> dict[str, str]:
    """table id → the page and heading of the chapter's verbatim block that reproduces it."""
    places = {}
    for chapter in owner_text.chapters:
        heading = None
        for block in chapter.blocks:
            if block.kind == "heading":
                heading = block.id
            table = table_of_block(tables, block.markdown) if block.kind == "raw" else None
            if table and heading:
                places[table.id] = f"../{owner_text.id}/{chapter.stem}.md#{heading}"
    return places


def _evidence(items: list[dict], lang: str) -> str:
    """Each evidence line and quote (the quote in ``lang``, the language of the table's text)."""
    return "".join(" " + ui.text("tables.evidence", line=_md(e["line"]), quote=ui.marked(_md(e["quote"]), lang)) for e in items)


def _discrepancy(d, lang: str) -> str:
    """The editor's note on a recomputed figure (``Discrepancy.message``), its row's and column's printed names
    marked with ``lang``."""
    words = {k: ui.marked(_md(v), lang) if k in ("row", "column", "basis") else _md(v) for k, v in d.words}
    return ui.text(f"tables.check.{d.kind}", **words)


def _units_line(table: Table, units: dict[str, str], lang: str) -> str:
    printed = table.meta["unit"]["printed"]
    if printed:
        return f"**{ui.marked(_md(printed), lang)}**"
    by_unit: dict[str, list[str]] = {}
    for col in table.columns:
        if col.unit and col.parenthesised_in is None:
            by_unit.setdefault(_unit_label(col.unit, units), []).append(" – ".join(col.header))
    if any(c.role == "unit" for c in table.columns):
        return ui.text("tables.unit.per-row")
    if not by_unit:
        return ui.text("tables.unit.none")
    listed = "; ".join(f"{unit}: {', '.join(cols)}" for unit, cols in by_unit.items())
    return ui.text("tables.unit.from-headers", units=ui.marked(_md(listed), lang))


def table_page(table: Table, units: dict[str, str], lang: str, layout: str | None = None) -> str:
    """The table's page; ``lang``: the language its text prints it in; ``layout``: where the chapter shows the
    witness's layout of it."""
    meta = table.meta
    heading = caption(table, lang)
    out = [_front_matter(heading, escaped=True), f"# {heading} {{#{table.id}}}\n"]
    out.append(ui.text("tables.facts", period=ui.marked(_md(meta["period"]), lang),
                       witness=_witness_ref(meta["witness"]["lines"], layout),
                       rows=len(table.rows), columns=len(table.columns)) + "\n")
    out.append(_units_line(table, units, lang) + "\n")
    out.append(table_html(table, lang) + "\n")
    if meta["printed_notes"]:
        notes = " · ".join(ui.marked(_md(n), lang) for n in meta["printed_notes"] if n.rstrip(":") != PRINTED_NOTES_LABEL)
        out.append(ui.text("tables.printed-notes", notes=notes) + "\n")
    out.append(f"{ui.marked(_md(meta['source']['printed']), lang)} ({_witness_ref(meta['source']['lines'], layout)})\n"
               f"{{: #{table.id}-nguon}}\n")
    if meta["source"]["bib_key"]:
        key = meta["source"]["bib_key"]
        reference = f"[{ui.marked(bibliography.format_reference(key, 'vn-thesis'), lang)}](../thu-muc/index.md#{key})"
        out.append(ui.text("tables.bibliography", reference=reference, key=f"`{key}`") + "\n")
    out.append(ui.text("tables.legend") + "\n")
    out.append(f"[{ui.text('tables.download.csv')}](data/{table.csv_path.name}){{download}} · "
               f"[{ui.text('tables.download.package')}](data/datapackage.json){{download}}\n")
    chart = meta.get("chart")
    if chart:
        out.append(f"## {ui.text('tables.chart.heading')} {{#{table.id}-bieu-do}}\n")
        out.append(f"![{_md(chart['title'])}]({table.id}.svg){_lang(lang).replace(' lang=', '{: lang=') + '}' if _lang(lang) else ''}\n")
        out.append(f"<details><summary>{ui.text('tables.chart.in-words')}</summary>\n"
                   f"<p>{chart_description(table, chart, lang)}</p>\n</details>\n")
    out.append(f"## {ui.text('tables.check.heading')} {{#{table.id}-kiem-tra}}\n")
    if not meta["checks"]:
        out.append(ui.text("tables.check.none") + "\n")
    elif not table.discrepancies:
        out.append(ui.text("tables.check.ok") + "\n")
    else:
        out.append(ui.text("tables.check.differences") + "\n")
        out += [f"- {_discrepancy(d, lang)}" for d in table.discrepancies]
        out.append("")
    if meta["editorial_notes"] or meta["decisions"]:
        out.append(f"## {ui.text('tables.editor-notes')} {{#{table.id}-ghi-chu}}\n")
        # the editor's notes and decisions, written in the reference interface language (the table's metadata)
        out += [f"- {ui.marked(_md(n['text']), ui.DEFAULT)}{_evidence(n.get('evidence', []), lang)}" for n in meta["editorial_notes"]]
        out += ["- " + ui.text("tables.decision", cells=ui.marked(_md(d["cells"]), ui.DEFAULT),
                               decision=ui.marked(_md(d["decision"]), ui.DEFAULT))
                + _evidence(d["evidence"], lang) for d in meta["decisions"]]
        out.append("")
    return "\n".join(out)


def verbatim_link(table: Table, section: str, lang: str) -> str:
    """The paragraph before a chapter's verbatim block that links the rebuilt table (no id: not a paragraph
    of the text)."""
    return f"{ui.text('tables.verbatim-note')} [{caption(table, lang)}](../{section}/{table.id}.md)\n{{: .verbatim-table}}"


def index_page(tables: list[Table], owner: features.TextFeatures, lang: str) -> str:
    numbers = f"{tables[0].number}–{tables[-1].number}" if len(tables) > 1 else f"{tables[0].number}"
    title = ui.text("tables.title")
    columns = " | ".join(ui.text(f"tables.index.column.{c}") for c in ("appendix", "title", "period", "size", "data"))
    out = [_front_matter(title), f"# {title} {{#{owner.appendix_tables['section']}}}\n",
           ui.text("tables.index.intro", numbers=numbers) + "\n",
           ui.text("tables.index.data", file="[datapackage.json](data/datapackage.json){download}") + "\n",
           f"| {columns} |", "|---|---|---|---|---|"]
    for t in tables:
        out.append(f"| [{ui.text('tables.appendix', n=t.number)}]({t.id}.md) | {ui.marked(_md(t.title), lang)} | "
                   f"{ui.marked(_md(t.meta['period']), lang)} | "
                   f"{len(t.rows)} × {len(t.columns)} | [CSV](data/{t.csv_path.name}){{download}} |")
    for other in owner.appendix_tables.get("also", []):  # appendices that are chapters of the text
        out.append(f"| [{ui.text('tables.appendix', n=other['number'])}](../{owner.text_id}/{other['page']}.md) | "
                   f"{ui.marked(_md(other['description']), lang)} | | | |")
    return "\n".join(out) + "\n"


def write_pages(out_dir: Path, texts: list, load: Callable[[Path], list[Table]] = load_tables) -> list:
    """Write <section>/index.md, <section>/phu-luc-NN.md, the SVG charts and <section>/data/* for the text that
    declares appendix tables in its text.yml (none: nothing); return the MkDocs nav. ``load`` reads a folder's
    tables (the build's loads them once for the chapters too)."""
    owner = features.tables_owner({t.id: features.of_text(t) for t in texts})
    if owner is None:
        return []
    section_name = owner.appendix_tables["section"]
    folder = paths.DATA / owner.appendix_tables["folder"]
    tables = load(folder)
    units = load_units()
    section = out_dir / section_name
    data_dir = section / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    owner_text = next(t for t in texts if t.id == owner.text_id)
    layouts = verbatim_places(tables, owner_text)
    lang = owner_text.meta["language"]
    for table in tables:
        output.copy(table.csv_path, data_dir / table.csv_path.name)
        output.write_text(section / f"{table.id}.md", table_page(table, units, lang, layouts.get(table.id)))
        if table.meta.get("chart"):
            output.write_text(section / f"{table.id}.svg", chart_svg(table, table.meta["chart"]))
    output.copy(folder / DATAPACKAGE_NAME, data_dir / DATAPACKAGE_NAME)
    output.write_text(section / "index.md", index_page(tables, owner, lang))
    pages = [{caption(t, lang): f"{section_name}/{t.id}.md"} for t in tables]
    return [{ui.text("tables.title"): [f"{section_name}/index.md", *pages]}]
