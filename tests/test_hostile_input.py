"""Hostile-input matrix: every payload at every place where an editor or a contributor's pull request can put
text lands in the built site as text, never as live markup (rule 4: data cannot attack the reader).

One scratch build carries every payload at every free-text place, each tagged with its own marker
(``alert(PPKK)``: place PP, payload KK). The built site (HTML, SVG) is scanned for live markup: event handler
attributes, scripts other than the edition's own files and JSON data blocks, ``javascript:``/``data:`` URLs,
frames, objects, <base>, <meta refresh>, <style>, unexpected stylesheets, forms; a live element names the
payload by its marker. Every JSON-LD block must parse. Places that only accept a pattern (ids, attribute
lists, URL schemes, code fences) must reject the payloads with one ``file:line: message``.
The matrix (place × payload → shown / altered / live / rejected) is written to build/hostile-matrix.md.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from edition import paths
from test_robustness import ERROR_LINE, run_edition, scratch_repo, share_cache, warm_repo

pytestmark = pytest.mark.slow  # builds whole sites or copies, or runs an outside tool

PAYLOADS = [  # {m} is the marker of (place, payload)
    "<script>alert({m})</script>",
    "<img src=x onerror=alert({m})>",
    "<svg onload=alert({m})>",
    '"><script>alert({m})</script>',
    "' onmouseover='alert({m})' x='",
    '" onfocus="alert({m})" autofocus="',
    "[link](javascript:alert({m}))",
    "[link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==?{m})",
    '<a href="javascript:alert({m})">link</a>',
    "</script><script>alert({m})</script>",
    "</ScRiPt ><script>alert({m})</script>",
    "{{{{ 7*7*7*7*7*{m} }}}} {{% if true %}}T{m}{{% endif %}}",
    "<iframe src=javascript:alert({m})></iframe>",
    "<a href=javascript&colon;alert({m})>link</a>",
    "![image](javascript:alert({m}))",
    "{{: onclick=\"alert({m})\"}}",
    "{{#x{m} onclick=\"alert({m})\"}}",
    "<style>body{{display:none}} /*{m}*/</style>",
    '<object data="javascript:alert({m})"></object>',
    '<base href="https://evil.example/{m}/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert({m})">',
    "[ref{m}]: javascript:alert({m})\n\n[ref{m}]",
    '<a href="&#106;avascript:alert({m})">link</a>',
    '<form action="javascript:alert({m})"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert({m})>",
    "<<script>alert({m})//<</script>",
    "<https://evil.example/\"onmouseover=\"alert({m})>",
    "*[HTML]: <img src=x onerror=alert({m})>",
    "<!-- hidden {m} -->",
    "`code` <b onmouseover=alert({m})>bold</b> **strong**",
]

V70 = "corpus/viet-xo-nga-70-nam"
CH2 = "corpus/luan-an-1975-1991/03-chuong-2.md"
EVENTS = "data/timeline/events.yml"
BIB = "bibliography.bib"


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _line(value: str) -> str:
    return value.replace("\n", " ")  # Markdown, BibTeX and block scalars: one line


# place: (file, pattern of the line(s) replaced or None to append, new text from the joined payloads)
PLACES = {
    "chapter title (front matter)": (CH2, r"^title: Chương 2\. .*$", lambda v: f"title: {_yaml(v + ' Chương 2')}"),
    "text title (text.yml)": (f"{V70}/text.yml", r'^  value: "Quan hệ Việt Nam.*$', lambda v: f"  value: {_yaml(v)}"),
    "navigation title (text.yml)": (f"{V70}/text.yml", r"^nav_title:.*\n  vi: .*\n  en: .*$",
                                    lambda v: f"nav_title:\n  vi: {_yaml(v)}\n  en: {_yaml(v)}"),
    "author (text.yml)": (f"{V70}/text.yml", r"^authors: \[\]$",
                          lambda v: f"authors: [{{family: {_yaml(v)}, given: {_yaml(v)}, order: family-first}}]"),
    "rights (text.yml)": (f"{V70}/text.yml", r"^rights: .*$", lambda v: f"rights: {_yaml(v)}"),
    "corpus heading": (f"{V70}/01-toan-van.md", None, lambda v: f"\n## {_line(v)} {{#hostile}}\n\nĐoạn.\n"),
    "corpus paragraph": (f"{V70}/01-toan-van.md", None, lambda v: f"\nĐoạn {_line(v)}\n"),
    "corpus footnote": ("corpus/hop-tac-quoc-phong-2012-2024/01-toan-van.md", r", ngày 17/6/2019$",
                        lambda v: f", ngày 17/6/2019 {_line(v)}"),
    "BibTeX title": (BIB, r"title = \{Ngoại giao Việt Nam 1945-2000\}", lambda v: f"title = {{{_line(v)}}}"),
    "BibTeX editor": (BIB, r"editor = \{\{Nguyễn Đình Bin\}\}", lambda v: f"editor = {{{{{_line(v)}}}}}"),
    "BibTeX url (http)": (BIB, r"url = \{https://www\.qdnd\.vn\}", lambda v: f"url = {{https://www.qdnd.vn/{_line(v)}}}"),
    "timeline event title": (EVENTS, r"^  title: Cách mạng Tháng Mười Nga thành công$", lambda v: f"  title: {_yaml(v)}"),
    "timeline event title_en": (EVENTS, r"^  title_en: The Russian October Revolution$", lambda v: f"  title_en: {_yaml(v)}"),
    "timeline note": (EVENTS, r"^  note:\n    vi: Luận án ghi hai thời điểm.*\n    en: .*$",
                      lambda v: f"  note:\n    vi: {_yaml(v)}\n    en: {_yaml(v)}"),
    "timeline category label": (EVENTS, r"^  chinh-tri-ngoai-giao: .*$", lambda v: f"  chinh-tri-ngoai-giao: {_yaml(v)}"),
    "timeline period title": (EVENTS, r'^    title: \{vi: "Tiền đề \(1917–1944\)", en: .*\}$',
                              lambda v: f"    title: {{vi: {_yaml(v)}, en: {_yaml(v)}}}"),
    "table editorial note": ("data/tables/phu-luc-02.yml", r"^  - text: >-\n      Tên hàng giữ như bản in",
                             lambda v: f"  - text: >-\n      {_line(v)} Tên hàng giữ như bản in"),
    "edition footer (edition.yml)": ("data/edition.yml", r"^editor: .*$", lambda v: f"editor: {_yaml(_line(v))}"),
    "English footer (edition.yml)": ("data/edition.yml", r"^editor_en: .*$", lambda v: f"editor_en: {_yaml(_line(v))}"),
    "register kind label": ("data/register/register.yml", r"^  person: .*$",
                            lambda v: f"  person: {{vi: {_yaml(v)}, en: {_yaml(v)}}}"),
    "table decision": ("data/tables/phu-luc-01.yml", r"^    decision: >-\n", lambda v: f"    decision: >-\n      {_line(v)}\n"),
}

# Places that accept only a pattern: the payload must stop the build with one line file:line: message.
REJECTING = {
    "corpus attribute line": (f"{V70}/01-toan-van.md", None, '\nĐoạn.\n{: onclick="alert(1)"}\n'),
    "corpus attribute class": (f"{V70}/01-toan-van.md", None, "\nĐoạn.\n{: .md-nav onmouseover=x}\n"),
    "corpus heading attributes": (f"{V70}/01-toan-van.md", None, '\n## Mục {#hostile onclick="alert(1)"}\n\nĐoạn.\n'),
    "corpus code fence": (f"{V70}/01-toan-van.md", None, '\n```{onclick="alert(1)"}\nx\n```\n'),
    "timeline category id": (EVENTS, r"^  chinh-tri-ngoai-giao: ", '  "x\\" onmouseover=\\"alert(1)": Nhãn\n  chinh-tri-ngoai-giao: '),
    "timeline period id": (EVENTS, r"^  - id: tien-de$", '  - id: "tien-de\\" onclick=\\"alert(1)"'),
    "BibTeX url scheme": (BIB, r"url = \{https://www\.qdnd\.vn\}", "url = {javascript:alert(1)}"),
    "BibTeX url hidden scheme": (BIB, r"url = \{https://www\.qdnd\.vn\}", "url = {java\tscript:alert(1)}"),
    "edition licence url": ("data/edition.yml", r'^  url: "https://creativecommons.org/licenses/by/4.0/"$',
                            '  url: "javascript:alert(1)"'),
    "BibTeX key": (BIB, r"^@book\{luanan-ref-010,", '@book{luanan-ref-010"onclick=x,'),
}


def _marker(place: int, payload: int) -> str:
    return f"{place + 10:02d}{payload + 10:02d}"


def _apply(root: Path, where: str, pattern: str | None, new: str) -> None:
    path = root / where
    text = path.read_text(encoding="utf-8")
    if pattern is None:
        changed = text.rstrip("\n") + "\n" + new
    else:
        changed = re.sub(pattern, lambda _: new, text, count=1, flags=re.M)
        assert changed != text, f"{pattern!r} not found in {path}"
    path.write_text(changed, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(built site of the hostile copy, {rejecting place: result of its build})."""
    warm = warm_repo(tmp_path_factory)  # every copy starts from one clean build's caches (share_cache)
    root = scratch_repo(tmp_path_factory.mktemp("hostile"))
    share_cache(warm, root)
    for p, (where, old, new) in enumerate(PLACES.values()):
        joined = " · ".join(t.format(m=_marker(p, k)) for k, t in enumerate(PAYLOADS))
        _apply(root, where, old, new(joined))
    roots = {}
    for name, (where, old, new) in REJECTING.items():
        roots[name] = scratch_repo(tmp_path_factory.mktemp("reject"))
        share_cache(warm, roots[name])
        _apply(roots[name], where, old, new)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        build = pool.submit(run_edition, root, "build", "--draft")  # the payloads are not in the witnesses
        rejected = {name: pool.submit(run_edition, r, "build", "--draft") for name, r in roots.items()}
        result = build.result()
        assert result.returncode == 0, result.stderr
        return root / "site", {name: (roots[name], run.result()) for name, run in rejected.items()}


SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)
DANGEROUS = {"iframe", "frame", "object", "embed", "base", "style", "form", "applet", "frameset"}
OWN_FORMS = ({"data-md-component": "palette"}, {"class": "md-search__form"}, {"id": "tl-filters"},
             {"class": "reading-settings__panel"})  # the theme's and the renderer's own forms


def _live(el, page: Path, site: Path) -> str | None:
    """Why ``el`` is live markup (None if it is not)."""
    tag = el.tag.split("}")[-1].lower() if isinstance(el.tag, str) else ""
    if not tag:
        return None
    for name, value in el.attrib.items():
        local = name.split("}")[-1].lower()
        if local.startswith("on"):
            return f"event handler {local}"
        if local in URL_ATTRS or name.endswith("}href"):
            if BAD_SCHEME.match(re.sub(r"[\x00-\x20]", "", value)):
                return f"{local} URL {value[:30]}"
    if tag == "script":
        if el.get("type") in SCRIPT_TYPES:
            return None
        src = el.get("src")
        if not src or not (page.parent / src).resolve().is_relative_to(site):
            return "script"
    if tag == "meta" and el.get("http-equiv", "").lower() == "refresh":
        return "meta refresh"
    if tag == "base" and page.name == "404.html" and el.getparent().tag == "head" and el.getprevious() is not None:
        return None  # the theme's own (site root) on the 404 page
    if tag == "link" and el.get("rel") == "stylesheet" and not (page.parent / el.get("href", "")).resolve().is_relative_to(site):
        return "stylesheet from elsewhere"
    if tag == "form" and any(all(v in el.get(k, "").split() for k, v in f.items()) for f in OWN_FORMS):
        return None
    if tag in DANGEROUS:
        return tag
    return None


def _scan(site: Path) -> tuple[list[tuple[str, str, str]], str, list[str]]:
    """(live elements as (page, reason, markup), all visible text, unparseable JSON-LD)."""
    live, texts, bad_json = [], [], []
    for page in sorted(site.rglob("*.html")) + sorted(site.rglob("*.svg")):
        raw = page.read_bytes()
        doc = lxml.etree.fromstring(raw) if page.suffix == ".svg" else lxml.html.document_fromstring(raw)
        for el in doc.iter():
            why = _live(el, page, site)
            if why:
                live.append((str(page.relative_to(site)), why, lxml.etree.tostring(el, encoding="unicode")[:300]))
        if page.suffix == ".html":
            for block in doc.xpath("//script[@type='application/ld+json']"):
                try:
                    json.loads(block.text)
                except (TypeError, ValueError) as error:
                    bad_json.append(f"{page.relative_to(site)}: {error}")
            texts.append(doc.text_content())
            texts += [v for el in doc.iter() if isinstance(el.tag, str) for k, v in el.attrib.items()
                      if k in ("content", "title", "aria-label", "data-tip", "alt") and "Z3988" not in el.get("class", "")]
            # COinS: the OpenURL in the title is percent-encoded; read as a reference manager decodes it
            texts += [urllib.parse.unquote_plus(el.get("title", "")) for el in doc.xpath("//span[@class='Z3988']")]
        else:
            texts.append("".join(doc.itertext()))
    return live, " ".join(" ".join(texts).split()), bad_json


@pytest.fixture(scope="module")
def scanned(hostile):
    site, _ = hostile
    return _scan(site)


class _Text:
    """The site's text, indexed once for the matrix's questions (the same answers as ``in`` and ``re.search``
    on the whole text, which is tens of megabytes: asked for every place and payload, that took minutes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {}  # four digits (a marker) → every place they start
        for found in re.finditer(r"(?=(\d{4}))", text):
            self.at.setdefault(found.group(1), []).append(found.start())
        self.numbers = set(re.findall(r"\d{8,}", text))  # where a product 7**5 × marker could be
        self.templated = set(re.findall(r"(?<![%}])T(?=(\d{4}))", text))

    def has_marker(self, m: str) -> bool:
        return m in self.at

    def shows(self, shown: str, m: str) -> bool:
        first = shown.index(m)
        return any(self.text.startswith(shown, i - first) for i in self.at.get(m, ()) if i >= first)

    def evaluated(self, m: str) -> bool:
        product = str(7 ** 5 * int(m))
        return any(product in run for run in self.numbers) or m in self.templated


def _matrix(scanned, rejected) -> dict[str, dict[str, str]]:
    live, text, _ = scanned
    index = _Text(text)
    out = {}
    for p, place in enumerate(PLACES):
        row = {}
        for k, template in enumerate(PAYLOADS):
            m = _marker(p, k)
            hits = [f"{why} on {page}" for page, why, markup in live if m in markup]
            shown = " ".join(template.format(m=m).split())
            row[template] = ("LIVE: " + hits[0] if hits else "EVALUATED" if index.evaluated(m)
                             else "shown" if index.shows(shown, m) else "altered" if index.has_marker(m) else "absent")
        out[place] = row
    for place, (root, run) in rejected.items():
        error = run.stderr.strip().splitlines()
        out[place] = {"*": "rejected: " + (error[-1].replace(str(root) + "/", "") if error else "?")}
    return out


def test_no_payload_is_live_anywhere(hostile, scanned):
    live, _, _ = scanned
    matrix = _matrix(scanned, hostile[1])
    report = paths.BUILD / "hostile-matrix.md"
    report.parent.mkdir(exist_ok=True)
    lines = ["| place | " + " | ".join(f"P{k + 1}" for k in range(len(PAYLOADS))) + " |",
             "|---|" + "---|" * len(PAYLOADS)]
    for place, row in matrix.items():
        cells = [row.get(t, row.get("*", "")) for t in PAYLOADS]
        lines.append(f"| {place} | " + " | ".join(c.split(":")[0] for c in cells) + " |")
    lines += ["", *(f"- P{k + 1}: `{t}`" for k, t in enumerate(PAYLOADS))]
    lines += ["", "Pattern places: every payload is refused by the place's validator "
              "(test_pattern_places_reject_every_payload); a build with one of them stops with:", ""]
    lines += [f"- {place}: {row['*']}" for place, row in matrix.items() if "*" in row]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(PAYLOADS) >= 25
    assert live == [], live[:5]
    bad = {place: {t: r for t, r in row.items() if r.startswith(("LIVE", "EVALUATED"))} for place, row in matrix.items()}
    assert {p: r for p, r in bad.items() if r} == {}


# Markup these sources may legitimately hold changes what is shown, never what runs: the corpus keeps its
# *italic*, `code`, <https://…> autolinks and character references; BibTeX braces only group.
MAY_ALTER = ("corpus ", "BibTeX ")


def test_every_place_shows_its_payloads(hostile, scanned):
    """The matrix means something only if the values land: each place shows every payload as text."""
    matrix = _matrix(scanned, {})
    lost = {place: [t for t, r in row.items() if r not in ("shown", "altered" if place.startswith(MAY_ALTER) else "")]
            for place, row in matrix.items()}
    assert {p: ts for p, ts in lost.items() if ts} == {}


def test_every_json_ld_block_parses(scanned):
    _, _, bad_json = scanned
    assert bad_json == []


def _pattern_checks() -> dict[str, Callable[[str], bool]]:
    """The validators behind the pattern places: each returns True when it accepts the value."""
    import jsonschema

    from edition.enrich import bibliography
    from edition.errors import BuildError
    from edition.model.corpus import Block
    from edition.model.yamlio import schema
    from edition.render import safety

    timeline = schema("timeline.schema.json")  # the timeline's ids are checked by its schema when read
    example = timeline["examples"][0]

    def timeline_accepts(change: dict) -> bool:
        return jsonschema.Draft202012Validator(timeline).is_valid({**example, **change})

    def accepts(check) -> bool:
        try:
            check()
        except BuildError:
            return False
        return True

    return {
        "corpus attribute line": lambda v: accepts(lambda: safety.check_attrs(v, Path("x.md"), 1)),
        "corpus attribute class": lambda v: accepts(lambda: safety.check_attrs("." + v, Path("x.md"), 1)),
        "corpus heading attributes": lambda v: accepts(lambda: safety.check_attrs(v, Path("x.md"), 1)),
        "corpus code fence": lambda v: accepts(lambda: safety.raw(Block("raw", f"```{v}\nx\n```", 1), Path("x.md"))),
        "timeline category id": lambda v: timeline_accepts({"categories": {v: "x"}}),
        "timeline period id": lambda v: timeline_accepts({"periods": [{**example["periods"][0], "id": v}]}),
        "BibTeX url scheme": lambda v: escape_ok(v),
        "BibTeX url hidden scheme": lambda v: escape_ok("java\tscript:" + v),
        "BibTeX key": lambda v: bool(bibliography.KEY.match(v)),
        "edition licence url": lambda v: escape_ok("javascript:" + v),
    }


def escape_ok(url: str) -> bool:
    from edition.model import escape

    return escape.safe_url(url) and url.startswith(("http://", "https://"))


def test_pattern_places_reject_every_payload():
    """The pattern places see each payload as a whole value (an id, an attribute list, a URL): all refused."""
    checks = _pattern_checks()
    assert set(checks) == set(REJECTING)
    accepted = {place: [t for k, t in enumerate(PAYLOADS) if check(t.format(m=_marker(0, k)))]
                for place, check in checks.items()}
    assert {p: a for p, a in accepted.items() if a} == {}


@pytest.mark.parametrize("place", sorted(REJECTING))
def test_pattern_places_reject_with_one_line(hostile, place):
    root, run = hostile[1][place]
    errors = [x for x in run.stderr.splitlines() if x.strip()]
    assert run.returncode != 0 and len(errors) == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert ERROR_LINE.match(errors[0]), errors[0]
    assert not (root / "site").exists()
