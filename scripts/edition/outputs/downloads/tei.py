"""TEI P5 per text: header with what the witness states and what the editor supplied (<supplied>),
the witness file and its SHA-256, the rights; the body as nested <div>s; notes, citations, page
breaks and the change log in TEI's own elements. Validated against TEI All (schema/) before it is kept.

Names of the register (data/register/) are marked wherever the text prints them, not only at their first
mention: <persName>, <placeName>, <orgName>, <name type="agreement"> with @ref to an entry of the lists in
sourceDesc (<listPerson>, <listPlace>, <listOrg>, and <listBibl type="agreements">: TEI All 3.0.0 has no
standOff), built from the register: preferred form, every printed variant, the description, the facts with
their witness line. Only wrapping elements are added, so the words stay the witness's.

xml:id must be an XML name, which cannot start with a digit ("2-1-p3"), so each id is the chapter id,
a full stop and the permalink id ("chuong-2.2-1-p3"); @corresp carries the permalink itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lxml import etree
from lxml.builder import ElementMaker

from ... import paths
from ...errors import BuildError
from ...model import ui
from ...model.corpus import field
from ...model.register import Entry, load_register
from ...model.yamlio import load_yaml
from ...render.works import persons
from .model import Document, Para, Part, append_text, site_url

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML = "{http://www.w3.org/XML/1998/namespace}"
T = ElementMaker(namespace=TEI_NS, nsmap={None: TEI_NS})
SCHEMA = Path(__file__).with_name("schema") / "tei_all-3.0.0.rng"
SUPPLIED = {"reason": "not-in-witness", "resp": "#editor"}
# <langUsage>: each language by its own name (the same in every interface).
ENDONYMS = {"vi": "Tiếng Việt", "en": "English"}
# Register kind -> (name element, its attributes, list element, entry element) in TEI.
REGISTER_TEI = {
    "person": ("persName", {}, "listPerson", "person"),
    "place": ("placeName", {}, "listPlace", "place"),
    "organisation": ("orgName", {}, "listOrg", "org"),
    "agreement": ("name", {"type": "agreement"}, "listBibl", "bibl"),
}


def xml_id(*parts: str) -> str:
    return ".".join(re.sub(r"[^A-Za-z0-9._-]", "-", p) for p in parts)


def _value(key: str, meta: dict, tag: str = "title", **attrs):
    value, supplied = field(meta, key)
    el = T(tag, **attrs)
    if not value:
        el.text = ui.text("evidence.not-stated")
    elif supplied:
        el.append(T.supplied(value.strip("[]"), **SUPPLIED))
    else:
        el.text = value
    return el


def _pers_name(person) -> etree._Element:
    """<persName> with its parts in the order the name is written (Vietnamese: family name first)."""
    family, given = T.surname(person.family), T.forename(person.given) if person.given else None
    parts = [family, given] if person.order == "family-first" else [given, family]
    name = T.persName(*[p for p in parts if p is not None])
    for part in list(name)[:-1]:
        part.tail = " "
    return name


def header(doc: Document) -> etree._Element:
    m = doc.text.meta
    edition = load_yaml(paths.DATA / "edition.yml")
    title_stmt = T.titleStmt(_value("title", m, type="main"))
    if field(m, "title_en")[0]:
        title_stmt.append(_value("title_en", m, type="alt", **{f"{XML}lang": "en"}))
    authors = [T.author(_pers_name(p), *([T.affiliation(p.affiliation)] if p.affiliation else []))
               for p in persons(doc.text)]
    title_stmt.extend(authors)
    title_stmt.append(T.editor(edition["editor"], **{f"{XML}id": "editor"}))
    source = T.bibl(_value("title", m), *[T.author(_pers_name(p)) for p in persons(doc.text)])
    if not authors:
        source.append(T.note(ui.text("downloads.tei.no-authors", not_stated=ui.text("evidence.not-stated")), type="authors"))
    source.append(_value("year", m, tag="date"))
    source.append(_value("venue", m, tag="title", level="j"))
    source.append(T.idno(doc.witness.file, type="witness-file"))
    source.append(T.idno(doc.witness.sha256, type="SHA-256"))
    source.append(T.note(ui.text("downloads.tei.witness"), type="witness"))
    licence = T.licence(m["rights"])
    if m.get("licence_url"):
        licence.set("target", m["licence_url"])
    file_desc = T.fileDesc(
        title_stmt,
        T.editionStmt(T.edition(ui.text("downloads.tei.edition", title=edition["title"], version=edition["version"]),
                                T.date(edition["date"], when=edition["date"]), n=edition["version"])),
        T.publicationStmt(T.publisher(edition["title"]), T.idno(site_url(f"{doc.id}/index.html"), type="URI"),
                          T.availability(licence, T.licence(ui.text("downloads.tei.licence", licence=edition["licence"]["name"]),
                                                            target=edition["licence"]["url"]))),
        T.sourceDesc(source))
    encoding = T.encodingDesc(T.editorialDecl(T.p(ui.text("downloads.tei.editorial"))))
    langs = sorted({doc.lang} | {p.lang for p in doc.parts} | {b.lang for p in doc.parts for b in p.blocks})
    profile = T.profileDesc(T.langUsage(*[T.language(ENDONYMS[l], ident=l) for l in langs]))
    changes = T.listChange()
    for e in doc.changelog:
        desc = ui.text("downloads.tei.change", line=e["line"], kind=e["kind"], text=e["text"])
        if e["kind"] == "join":
            desc += ui.text("downloads.tei.change-join", next=e["next_text"], line=e["next_line"])
        if e.get("note"):
            desc += f" — {e['note']}"
        changes.append(T.change(desc, type=e["kind"], who="#editor", n=str(e["line"])))
    revision = T.revisionDesc(changes) if len(changes) else T.revisionDesc(T.change(ui.text("changelog.none"), who="#editor"))
    return T.teiHeader(file_desc, encoding, profile, revision)


def register_id(entry: Entry) -> str:
    return xml_id("reg", entry.id)


def register_lists(entries: list[Entry], text_id: str) -> list[etree._Element]:
    """The entries this text mentions, one TEI list per kind, in the register's order."""
    lists = []
    for kind, (name_tag, _, list_tag, entry_tag) in REGISTER_TEI.items():
        of_kind = [e for e in entries if e.kind == kind]
        if not of_kind:
            continue
        holder = T(list_tag, **({"type": "agreements"} if list_tag == "listBibl" else {}))
        for e in of_kind:
            item = T(entry_tag, **{f"{XML}id": register_id(e)})
            forms = [e.name] + [v.form for v in e.variants if v.form != e.name and v.applies(text_id)]
            if entry_tag == "bibl":  # an agreement is listed as a document: its titles
                item.extend(T.title(f, **({"type": "alt"} if i else {})) for i, f in enumerate(forms))
            else:
                item.extend(T(name_tag, f, **({"type": "variant"} if i else {})) for i, f in enumerate(forms))
            item.extend(T.note(text, type="description", **{f"{XML}lang": lang})
                        for lang, text in ui.per_language(e.description).items())
            for f in e.facts:
                evidence = ui.text("downloads.tei.evidence", label=f.label, quote=f.quote, text=f.text, line=f.line)
                item.append(T.note(evidence, type="evidence"))
            if not e.facts:
                item.append(T.note(ui.text("downloads.tei.no-facts", not_stated=ui.text("evidence.not-stated")), type="evidence"))
            holder.append(item)
        lists.append(holder)
    return lists


class Body:
    def __init__(self, doc: Document, register=None):
        self.doc = doc
        self.called: set[tuple[str, int]] = set()
        self.register = register if register is not None else load_register()
        self.named: dict[str, Entry] = {}  # the entries the text mentions, by id

    def runs(self, parent, runs, part: Part) -> None:
        for run in runs:
            kind = run[0]
            if kind == "text":
                self._names(parent, run[1])
            elif kind == "em":
                parent.append(T.hi(run[1], rend="italic"))
            elif kind == "strong":  # a run-in head: the names in it are named as elsewhere
                hi = T.hi(rend="bold")
                self._names(hi, run[1])
                parent.append(hi)
            elif kind == "link":
                parent.append(T.ref(run[1], target=run[1]))
            elif kind == "br":
                parent.append(T.lb())
            elif kind == "ins":
                parent.append(T.note(run[1], type="editorial", resp="#editor"))
            elif kind == "cite":
                parent.append(T.ref(run[1], type="citation", target=" ".join(f"#{xml_id('bib', k)}" for k in run[2])))
            elif kind == "pb":
                _, label, pid, uncertain = run
                pb = T.pb(n=re.sub(r"^tr\.\s*", "", label), **{f"{XML}id": xml_id(part.id, pid)})
                if uncertain:
                    pb.set("cert", "low")
                parent.append(pb)
            elif kind == "note":
                parent.append(self._note(run[1], part))

    def _names(self, parent, text: str) -> None:
        """Text with every register mention wrapped in its TEI name element (@ref to the header's list)."""
        pos = 0
        for m in self.register.find(text, self.doc.id):
            tag, attrs = REGISTER_TEI.get(m.entry.kind, ("name", {"type": m.entry.kind}))[:2]
            append_text(parent, text[pos:m.start])
            parent.append(T(tag, text[m.start:m.end], **attrs, ref=f"#{register_id(m.entry)}"))
            self.named[m.entry.id] = m.entry
            pos = m.end
        append_text(parent, text[pos:])

    def _note(self, n: int, part: Part):
        note_id = xml_id(part.id, f"fn{n}")
        body = part.notes.get(n)
        if body is None:  # the witness prints the call but not the note
            return T.note(T.gap(reason="note-text-absent-from-witness"), place="foot", n=str(n))
        if (part.id, n) in self.called:
            return T.ptr(target=f"#{note_id}", type="noteref", n=str(n))
        self.called.add((part.id, n))
        note = T.note(place="foot", n=str(n), **{f"{XML}id": note_id})
        from ...enrich import citations
        keys = citations.for_text(self.doc.text).note_keys(n)
        holder = T.bibl(corresp=" ".join(f"#{xml_id('bib', k)}" for k in keys)) if keys else note
        self.runs(holder, body, part)
        if holder is not note:
            note.append(holder)
        return note

    def block(self, b: Para, part: Part):
        if b.kind == "raw":
            ab = T.ab(type="extracted-table")
            for i, line in enumerate(b.runs[0][1].split("\n")):
                if i:
                    ab.append(T.lb())
                append_text(ab, line)
            return ab
        el = T.p(**{f"{XML}id": xml_id(part.id, b.id), "corresp": f"{part.permalink}#{b.id}"})
        rend = " ".join([a[1:] for a in b.attrs.split() if a.startswith(".")] + (["list-item"] if b.kind == "item" else []))
        if rend:
            el.set("rend", rend)
        if b.lang != part.lang:
            el.set(f"{XML}lang", b.lang)
        self.runs(el, b.runs, part)
        return el

    def part(self, part: Part):
        top = T.div(type="chapter", **{f"{XML}id": xml_id(part.id), "corresp": part.permalink})
        if part.lang != self.doc.lang:
            top.set(f"{XML}lang", part.lang)
        stack = [(0, top)]
        if part.title_supplied:
            top.append(T.head(T.supplied(part.title, **SUPPLIED)))
            stack = [(1, top)]
        for b in part.blocks:
            if b.kind == "heading":
                if b.level == 1 and not part.title_supplied and len(stack) == 1 and len(top) == 0:
                    div = top
                    top.set("corresp", f"{part.permalink}#{b.id}")
                else:
                    while stack[-1][0] >= b.level:
                        stack.pop()
                    div = T.div(**{f"{XML}id": xml_id(part.id, b.id), "corresp": f"{part.permalink}#{b.id}"})
                    stack[-1][1].append(div)
                stack.append((b.level, div))
                head = T.head()
                self.runs(head, b.runs, part)
                div.append(head)
            else:
                stack[-1][1].append(self.block(b, part))
        return top


def document(doc: Document, register=None) -> etree._Element:
    body = Body(doc, register)
    text = T.text(T.body(*[body.part(p) for p in doc.parts]))
    if doc.bibliography:
        text.append(T.back(T.div(T.head(ui.text("downloads.tei.bibliography")), T.listBibl(*[
            T.bibl(ref, **{f"{XML}id": xml_id("bib", key)}) for key, ref in sorted(doc.bibliography.items())]),
            type="bibliography")))
    head = header(doc)
    named = [e for e in body.register.entries if e.id in body.named]
    head.find(f"{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}sourceDesc").extend(register_lists(named, doc.id))
    tei = T.TEI(head, text)
    tei.set(f"{XML}lang", doc.lang)
    return tei


@lru_cache(maxsize=1)
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def validate(tree: etree._Element, where: Path) -> None:
    rng = schema()
    if not rng.validate(tree):
        err = rng.error_log.last_error
        raise BuildError(where, err.line, f"TEI not valid against {SCHEMA.name}: {err.message}")


def write_tei(doc: Document, target: Path) -> None:
    tree = document(doc)
    data = etree.tostring(tree, encoding="utf-8", xml_declaration=True, pretty_print=True)
    validate(etree.fromstring(data), target)  # line numbers of errors are the written file's
    target.write_bytes(data)
