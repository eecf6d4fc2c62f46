"""The appendix tables (Phụ lục 1–11): tidy CSV + metadata YAML in data/tables, loaded, validated and checked.

A table is a CSV (numbers typed: ``14.2``, ``3148``; ranges and ratios kept as printed) and a
metadata file quoting what is printed around it.  Loading proves the metadata's printed text and
evidence quotes against the witness, so nothing can be attributed to the thesis that it does not say.
Arithmetic checks recompute the totals, shares and ratios a table implies; a mismatch becomes an
editorial note (``Discrepancy``) – the printed value is never changed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from edition.enrich import bibliography
from edition.errors import BuildError
from edition.model import ui
from edition.model.corpus import field as text_field
from edition.model.witness import check_quote_in_witness, load_manifest
from edition.model.yamlio import line_of_path, load_yaml, schema, strip_lines
from edition.paths import CORPUS, DATA, ROOT

TABLES_DIR = DATA / "tables"
SCHEMA_NAME = "table-metadata.schema.json"
UNITS_NAME = "units.yml"
UNITS_FILE = TABLES_DIR / UNITS_NAME
DATAPACKAGE_NAME = "datapackage.json"
DATAPACKAGE_FILE = TABLES_DIR / DATAPACKAGE_NAME

_CSV_NUMBER = {"integer": re.compile(r"^-?\d+$"), "number": re.compile(r"^-?\d+(?:\.\d+)?$")}
# A printed number: digits with Vietnamese separators ("3.148", "14,2"); not glued to a word ("m2").
_PRINTED_NUMBER = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*")


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    header: tuple[str, ...]
    role: str | None = None
    unit: str | None = None
    parenthesised_in: str | None = None


@dataclass(frozen=True)
class Cell:
    raw: str  # as in the CSV ("" = empty in print)
    # Decimal in a number column, str in a text column, None when empty: each check knows its columns' kind
    value: Any

    @property
    def decimals(self) -> int:
        return len(self.raw.partition(".")[2]) if isinstance(self.value, Decimal) else 0


@dataclass(frozen=True)
class Discrepancy:
    """A recomputed figure that differs from the printed one; both are shown, neither is changed."""

    row: str | None  # None: the check concerns a whole column
    column: str
    printed: str
    computed: str
    kind: str  # the check: its note is tables.check.<kind> of the interface catalogue
    words: tuple[tuple[str, str], ...]  # the note's placeholders

    @property
    def message(self) -> str:
        """The editorial note, in the interface language, naming both numbers."""
        return ui.text(f"tables.check.{self.kind}", **dict(self.words))


@dataclass
class Table:
    number: int
    meta: dict
    columns: list[Column]
    rows: list[dict[str, Cell]]
    csv_path: Path
    meta_path: Path
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"phu-luc-{self.number:02d}"

    @property
    def title(self) -> str:
        return self.meta["title"]

    @cached_property
    def witness_lines(self) -> tuple[str, ...]:
        """The witness lines the table rebuilds (read once per loaded table: every verbatim block of the thesis
        is compared with every table's)."""
        first, last = self.meta["witness"]["lines"]
        return _witness_lines(self.meta["witness"]["file"])[first - 1 : last]

    @property
    def label_column(self) -> Column:
        return next(c for c in self.columns if c.role == "label")

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def label(self, row: dict[str, Cell]) -> str:
        return row[self.label_column.name].raw

    def row(self, label: str) -> dict[str, Cell]:
        return next(r for r in self.rows if self.label(r) == label)


# ---------------------------------------------------------------- printed numbers


def _printed_key(token: str, negative: bool) -> str:
    """Canonical form of a printed number: thousands dots dropped, decimal comma → point ("3.148" → "3148")."""
    integer, _, decimals = token.partition(",")
    parts = integer.split(".")
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        integer = "".join(parts)
    key = f"{integer}.{decimals}" if decimals else integer
    return f"-{key}" if negative else key


def printed_numbers(text: str) -> Counter:
    """Every number printed in ``text``, canonicalised; a minus counts only when it starts a token ("-4,1", not "1-2")."""
    found: Counter = Counter()
    for m in _PRINTED_NUMBER.finditer(text):
        s = m.start()
        negative = s > 0 and text[s - 1] == "-" and (s == 1 or text[s - 2].isspace())
        found[_printed_key(m.group(), negative)] += 1
    return found


def csv_numbers(table: Table) -> Counter:
    """The numbers a table's CSV holds: typed cells by value, string cells (labels, ranges, ratios) as printed."""
    found: Counter = Counter()
    for row in table.rows:
        for cell in row.values():
            if isinstance(cell.value, Decimal):
                found[cell.raw] += 1
            elif cell.value is not None:
                found += printed_numbers(cell.value)
    return found


def metadata_numbers(table: Table) -> Counter:
    """Numbers printed around the table: heading, title, header labels (each printed once), unit line, notes, source."""
    meta = table.meta
    printed = [str(table.number), meta["title"], meta["source"]["printed"], *meta["printed_notes"]]  # heading: its number
    if meta["unit"]["printed"]:
        printed.append(meta["unit"]["printed"])
    printed += sorted({label for c in table.columns for label in c.header if not _supplied(label)})
    found: Counter = Counter()
    for text in printed:
        found += printed_numbers(text)
    return found


def number_audit(table: Table) -> tuple[Counter, Counter]:
    """(numbers in the CSV that the witness block lacks, numbers in the block neither CSV nor metadata holds)."""
    block = printed_numbers("\n".join(witness_block(table)))
    return csv_numbers(table) - block, block - (csv_numbers(table) + metadata_numbers(table))


# ---------------------------------------------------------------- loading


def _supplied(label: str) -> bool:
    return label.startswith("[") and label.endswith("]")


_lines_by_digest: dict[str, tuple[str, ...]] = {}  # a witness's lines by the SHA-256 of its bytes


def _witness_lines(file: str) -> tuple[str, ...]:
    """The witness's lines, split once per content (keyed by its SHA-256: an edited file is split again)."""
    path = ROOT / file
    if not path.is_file():
        raise BuildError(path, None, "witness file not found")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _lines_by_digest:
        _lines_by_digest[digest] = tuple(data.decode("utf-8").split("\n"))
    return _lines_by_digest[digest]


def witness_block(table: Table) -> list[str]:
    return list(table.witness_lines)


def load_units(directory: Path = TABLES_DIR) -> dict[str, str]:
    units = strip_lines(load_yaml(directory / UNITS_NAME))
    if not isinstance(units, dict) or not all(isinstance(v, str) for v in units.values()):
        raise BuildError(directory / UNITS_NAME, None, "expected a mapping code: printed label")
    return units


def _load_meta(path: Path, units: dict[str, str]) -> tuple[dict, dict, list[Column]]:
    """(metadata with ``__line__`` keys, metadata, columns), schema- and cross-reference-checked."""
    raw = load_yaml(path, schema(SCHEMA_NAME))  # checked against it when read (x-one-of gives the message)
    meta = strip_lines(raw)
    columns = [Column(**{**c, "header": tuple(c["header"])}) for c in meta["columns"]]
    names = [c.name for c in columns]

    def fail(key: str, message: str, node=raw) -> None:
        raise BuildError(path, node.get("__line__") if isinstance(node, dict) else None, f"{key}: {message}")

    if len(set(names)) != len(names):
        fail("columns", "duplicate column name")
    if [c.role for c in columns].count("label") != 1:
        fail("columns", "exactly one column needs role: label")
    if meta["unit"]["code"] is not None and meta["unit"]["code"] not in units:
        fail("unit", f"unknown unit {meta['unit']['code']!r} (not in {UNITS_FILE.name})", raw["unit"])
    for col, node in zip(columns, raw["columns"]):
        if col.unit is not None and col.unit not in units:
            fail(f"column {col.name}", f"unknown unit {col.unit!r} (not in {UNITS_FILE.name})", node)
        if col.parenthesised_in is not None and col.parenthesised_in not in names:
            fail(f"column {col.name}", f"parenthesised_in names no column: {col.parenthesised_in}", node)
    numeric = {c.name for c in columns if c.type in _CSV_NUMBER}
    for check, node in zip(meta["checks"], raw["checks"]):
        for key in ("total", "parts", "columns", "value", "share", "numerator", "denominator", "result", "printed"):
            for ref in [check[key]] if isinstance(check.get(key), str) else check.get(key, []):
                if ref not in names or (ref not in numeric) != (key == "printed"):
                    kind = "a string" if key == "printed" else "a numeric"
                    fail(f"checks/{check['kind']}", f"{key} must name {kind} column: {ref}", node)
    key = meta["source"]["bib_key"]
    if key is not None and key not in bibliography.entries():
        fail("source/bib_key", f"unknown bibliography key {key!r}", raw["source"])
    chart = meta.get("chart")
    if chart:
        if chart.get("x") is not None and chart["x"] not in names:
            fail("chart", f"names no column: {chart['x']}", raw["chart"])
        for ref in [*chart.get("series", []), *chart.get("x_columns", [])]:
            if ref not in numeric:
                fail("chart", f"must name a numeric column: {ref}", raw["chart"])
    return raw, meta, columns


def _parse_cell(path: Path, line: int, col: Column, raw: str, units: dict[str, str]) -> Cell:
    if raw == "":
        return Cell(raw, None)
    if raw != raw.strip():
        raise BuildError(path, line, f"column {col.name}: stray whitespace in {raw!r}")
    if col.type in _CSV_NUMBER:
        if not _CSV_NUMBER[col.type].match(raw):
            kind = "an integer" if col.type == "integer" else "a number (decimal point, no thousands separator)"
            raise BuildError(path, line, f"column {col.name}: expected {kind}, got {raw!r}")
        return Cell(raw, Decimal(raw))
    if col.role == "unit" and raw.casefold() not in {label.casefold() for label in units.values()}:
        raise BuildError(path, line, f"column {col.name}: unknown unit {raw!r} (not in {UNITS_FILE.name})")
    return Cell(raw, raw)


def _load_csv(path: Path, columns: list[Column], units: dict[str, str]) -> list[dict[str, Cell]]:
    if not path.exists():
        raise BuildError(path, None, "file not found (every metadata file needs its CSV)")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            records = [(reader.line_num, record) for record in reader]
        except csv.Error as exc:
            raise BuildError(path, reader.line_num, f"malformed CSV: {exc}") from None
    names = [c.name for c in columns]
    if not records or records[0][1] != names:
        raise BuildError(path, 1, f"header must be the metadata's column names: {','.join(names)}")
    rows, seen = [], set()
    label = next(c.name for c in columns if c.role == "label")
    for line, record in records[1:]:
        if len(record) != len(columns):
            where = names[len(record)] if len(record) < len(columns) else f"{len(columns) + 1} (none defined)"
            raise BuildError(path, line, f"column {where}: expected {len(columns)} columns, got {len(record)}")
        rows.append({c.name: _parse_cell(path, line, c, raw, units) for c, raw in zip(columns, record)})
        if rows[-1][label].raw in seen:  # rows are addressed by their label (checks, charts, printed_cells)
            raise BuildError(path, line, f"column {label}: duplicate row label {rows[-1][label].raw!r}")
        seen.add(rows[-1][label].raw)
    if not rows:
        raise BuildError(path, 2, "no data rows")
    return rows


def _verify_printed(table: Table, raw: dict) -> None:
    """Title, unit line, notes, header labels and source must occur in the block; evidence quotes at their line."""
    meta, path = table.meta, table.meta_path
    block = _norm(" ".join(witness_block(table)))
    top = raw["__line__"]
    printed = [("title", meta["title"], top), ("source", meta["source"]["printed"], raw["source"]["__line__"]),
               ("unit", meta["unit"]["printed"], raw["unit"]["__line__"])]
    printed += [("printed_notes", note, top) for note in meta["printed_notes"]]
    printed += [(f"column {c.name}", label, node["__line__"])
                for c, node in zip(table.columns, raw["columns"]) for label in c.header if not _supplied(label)]
    for key, text, line in printed:
        if text is not None and _norm(text) not in block:
            raise BuildError(path, line, f"{key}: not printed in the witness block: {text!r}")
    entries = raw["decisions"] + raw["editorial_notes"]
    for item in (e for entry in entries for e in entry.get("evidence", [])):
        # the quote starts on its line (it may run on), as every evidence line of the edition
        if not check_quote_in_witness(Path(meta["witness"]["file"]).name, item["line"], _norm(item["quote"])):
            message = f"evidence: quote not at witness line {item['line']}: {item['quote']!r}"
            raise BuildError(path, item["__line__"], message)
    labels = {table.label(r) for r in table.rows}
    for check in raw["checks"]:
        if check.get("total_row", next(iter(labels))) not in labels:
            raise BuildError(path, check["__line__"], f"checks/{check['kind']}: no row {check['total_row']!r}")
    for row_label in raw.get("chart", {}).get("series_rows", []):
        if row_label not in labels:
            raise BuildError(path, raw["chart"]["__line__"], f"chart: no row {row_label!r}")
    for cell in raw.get("printed_cells", []):
        if cell["row"] not in labels or cell["column"] not in {c.name for c in table.columns}:
            raise BuildError(path, cell["__line__"], f"printed_cells: no cell {cell['row']!r} / {cell['column']}")
        value = table.row(cell["row"])[cell["column"]]
        if value.value is None or printed_numbers(cell["printed"]) != Counter([value.raw]):
            message = f"printed_cells: {cell['printed']!r} does not show the value {value.raw!r}"
            raise BuildError(path, cell["__line__"], message)


def load_table(meta_path: Path, units: dict[str, str] | None = None) -> Table:
    units = load_units() if units is None else units
    raw, meta, columns = _load_meta(meta_path, units)
    if meta_path.stem != f"phu-luc-{meta['appendix']:02d}":
        raise BuildError(meta_path, raw["__line__"], f"appendix: {meta['appendix']} does not match the file name")
    if not (ROOT / meta["witness"]["file"]).is_file():  # name the file holding the typo, not the missing witness
        raise BuildError(meta_path, line_of_path(raw, ["witness", "file"]),
                         f"witness.file: no file {meta['witness']['file']!r} (the witnesses are listed in "
                         "corpus/sources/manifest.yml)")
    csv_path = meta_path.with_suffix(".csv")
    table = Table(meta["appendix"], meta, columns, _load_csv(csv_path, columns, units), csv_path, meta_path)
    _verify_printed(table, raw)
    table.discrepancies = run_checks(table)
    return table


def load_tables(directory: Path = TABLES_DIR) -> list[Table]:
    """Every appendix table, validated; a CSV without metadata is an error, not something to skip."""
    units = load_units(directory)
    for csv_path in sorted(directory.glob("phu-luc-*.csv")):
        if not csv_path.with_suffix(".yml").exists():
            raise BuildError(csv_path, None, "no metadata file beside this CSV")
    tables = [load_table(p, units) for p in sorted(directory.glob("phu-luc-*.yml"))]
    if not tables:
        raise BuildError(directory, None, "no appendix tables found")
    return tables


def table_of_block(tables: list[Table], fenced: str) -> Table | None:
    """The table whose witness block a fenced (verbatim) block of a chapter reproduces: its lines, spaces
    normalised, end the table's witness lines (which open with the appendix's printed label)."""
    body = [" ".join(line.split()) for line in fenced.split("\n")[1:-1] if line.strip()]
    for table in tables:
        printed = [" ".join(line.split()) for line in witness_block(table) if line.strip()]
        if body and printed[len(printed) - len(body):] == body:
            return table
    return None


# ---------------------------------------------------------------- arithmetic


def fmt_vi(value: object) -> str:
    """A number in the thesis's notation: decimal comma ("14.2" → "14,2")."""
    return str(value).replace(".", ",")


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _header(table: Table, name: str) -> str:
    return " – ".join(table.column(name).header)


def _row_sum(table: Table, check: dict) -> list[Discrepancy]:
    found = []
    for row in table.rows:
        parts = [row[p] for p in check["parts"] if row[p].value is not None]
        total = row[check["total"]]
        computed = sum(c.value for c in parts)
        if total.value is None or not parts or computed == total.value:
            continue
        label = table.label(row)
        words = (("row", label), ("terms", " + ".join(fmt_vi(c.raw) for c in parts)), ("computed", fmt_vi(computed)),
                 ("printed", fmt_vi(total.raw)), ("column", _header(table, check["total"])))
        found.append(Discrepancy(label, check["total"], fmt_vi(total.raw), fmt_vi(computed), "row-sum", words))
    return found


def _column_sum(table: Table, check: dict) -> list[Discrepancy]:
    found = []
    total_row = table.row(check["total_row"])
    others = [r for r in table.rows if r is not total_row]
    for name in check["columns"]:
        parts = [r[name] for r in others if r[name].value is not None]
        computed, printed = sum(c.value for c in parts), total_row[name]
        if printed.value is None or computed == printed.value:
            continue
        words = (("column", _header(table, name)), ("terms", " + ".join(fmt_vi(c.raw) for c in parts)),
                 ("computed", fmt_vi(computed)), ("printed", fmt_vi(printed.raw)), ("row", check["total_row"]))
        found.append(Discrepancy(check["total_row"], name, fmt_vi(printed.raw), fmt_vi(computed), "column-sum", words))
    return found


def _share(table: Table, check: dict) -> list[Discrepancy]:
    value, share = check["value"], check["share"]
    rows = [r for r in table.rows if r[value].value is not None and r[share].value is not None]
    total = sum(r[value].value for r in rows)
    found = []
    for row in rows:
        exact = row[value].value / total * 100
        computed, printed = _rounded(exact, row[share].decimals), row[share]
        if computed == printed.value:
            continue
        label = table.label(row)
        words: tuple[tuple[str, str], ...] = (
            ("row", label), ("column", _header(table, share)), ("value", fmt_vi(row[value].raw)),
            ("total", fmt_vi(total)), ("exact", fmt_vi(_rounded(exact, 2))), ("computed", fmt_vi(computed)),
            ("printed", fmt_vi(printed.raw)))
        found.append(Discrepancy(label, share, fmt_vi(printed.raw), fmt_vi(computed), "share", words))
    printed_sum = sum(r[share].value for r in rows)
    if printed_sum != 100:
        words = (("column", _header(table, share)), ("printed", fmt_vi(printed_sum)),
                 ("terms", " + ".join(fmt_vi(r[share].raw) for r in rows)))
        found.append(Discrepancy(None, share, fmt_vi(printed_sum), "100", "share-sum", words))
    return found


def _quotient(table: Table, check: dict) -> list[Discrepancy]:
    found = []
    for row in table.rows:
        numerator, result = row[check["numerator"]], row[check["result"]]
        if numerator.value is None or result.value is None:
            continue
        computed = _rounded(numerator.value / check["divisor"], result.decimals)
        if computed == result.value:
            continue
        label = table.label(row)
        words = (("row", label), ("column", _header(table, check["result"])), ("numerator", fmt_vi(numerator.raw)),
                 ("divisor", str(check["divisor"])), ("basis", check["basis"]), ("computed", fmt_vi(computed)),
                 ("printed", fmt_vi(result.raw)))
        found.append(Discrepancy(label, check["result"], fmt_vi(result.raw), fmt_vi(computed), "quotient", words))
    return found


def _ratio(table: Table, check: dict) -> list[Discrepancy]:
    """Printed ratios "1/x": x is recomputed as numerator / denominator at the printed precision."""
    found = []
    for row in table.rows:
        printed = row[check["printed"]].value
        match = re.fullmatch(r"1/(\d+(?:,\d+)?)", printed or "")
        if match is None:
            line = table.rows.index(row) + 2  # header is line 1, one record per line
            raise BuildError(table.csv_path, line, f"column {check['printed']}: ratio {printed!r} is not of the form 1/x")
        numerator, denominator = row[check["numerator"]], row[check["denominator"]]
        exact = numerator.value / denominator.value
        computed = _rounded(exact, len(match.group(1).partition(",")[2]))
        if computed == Decimal(match.group(1).replace(",", ".")):
            continue
        label = table.label(row)
        words = (("row", label), ("column", _header(table, check["printed"])), ("numerator", fmt_vi(numerator.raw)),
                 ("denominator", fmt_vi(denominator.raw)), ("exact", fmt_vi(_rounded(exact, 3))),
                 ("computed", fmt_vi(computed)), ("printed", printed))
        found.append(Discrepancy(label, check["printed"], printed, f"1/{fmt_vi(computed)}", "ratio", words))
    return found


_CHECKS = {"row_sum": _row_sum, "column_sum": _column_sum, "share": _share, "quotient": _quotient, "ratio": _ratio}


def run_checks(table: Table) -> list[Discrepancy]:
    return [d for check in table.meta["checks"] for d in _CHECKS[check["kind"]](table, check)]


# ---------------------------------------------------------------- Frictionless Data Package


# The data package is a file of the repository (data/tables/datapackage.json), described in Vietnamese whatever
# the interface of a build: its words come from the Vietnamese catalogue.
def _package_words():
    return ui.catalogue("vi").text


def _field(col: Column, units: dict[str, str]) -> dict:
    words = _package_words()
    described = [words("tables.package.unit", unit=units[col.unit])] if col.unit else []
    if col.parenthesised_in:
        described.append(words("tables.package.in-brackets", column=col.parenthesised_in))
    if col.role == "unit":
        described.append(words("tables.package.unit-column"))
    result = {"name": col.name, "type": col.type, "title": " – ".join(col.header)}
    if described:
        result["description"] = "; ".join(described)
    if col.type == "number":
        result["decimalChar"] = "."
    return result


def _owner(tables: list[Table]) -> str:
    """The id of the text whose witness the tables come from (the manifest names it)."""
    files = {Path(t.meta["witness"]["file"]).name for t in tables}
    owners = [w.text_id for w in load_manifest().values() if w.file in files]
    if len(owners) != 1:
        raise BuildError(tables[0].meta_path, None, f"the tables' witness {sorted(files)} is not one text of the manifest")
    return owners[0]


def datapackage(tables: list[Table]) -> dict:
    """The Data Package descriptor for data/tables (Table Schemas derived from the metadata files)."""
    units = load_units()
    words = _package_words()
    resources = []
    for table in tables:
        unit = table.meta["unit"]["printed"]
        first, last = table.meta["witness"]["lines"]
        resources.append({
            "name": table.id,
            "path": table.csv_path.name,
            "title": words("tables.caption", n=table.number, title=table.title),
            "description": (f"{unit}. " if unit else "") + words(
                "tables.package.description", period=table.meta["period"], witness=table.meta["witness"]["file"],
                first=first, last=last, metadata=table.meta_path.name),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "sources": [{"title": table.meta["source"]["printed"]}],
            "schema": {"fields": [_field(c, units) for c in table.columns], "missingValues": [""]},
        })
    owner = _owner(tables)
    title, supplied = text_field(load_yaml(CORPUS / owner / "text.yml"), "title")  # the text the tables belong to
    numbers = f"{tables[0].number}–{tables[-1].number}" if len(tables) > 1 else str(tables[0].number)
    return {
        "profile": "tabular-data-package",
        "name": f"{owner}-phu-luc",
        "title": words("tables.package.title", numbers=numbers, title=title)
        + (" " + words("tables.package.title-supplied") if supplied else ""),
        "description": words("tables.package.about"),
        "resources": resources,
    }


def write_datapackage(tables: list[Table] | None = None) -> Path:
    descriptor = datapackage(load_tables() if tables is None else tables)
    DATAPACKAGE_FILE.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return DATAPACKAGE_FILE


if __name__ == "__main__":  # regenerate data/tables/datapackage.json after editing a metadata file
    print(write_datapackage())
