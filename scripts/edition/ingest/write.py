"""Blocks → chapter Markdown files with YAML front matter, plus the text's change log."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .. import paths
from ..errors import BuildError
from ..model import features
from ..model.markup import PAGE_CLOSE, PAGE_OPEN, call_number, escape_inline, escape_paragraph, plain_line
from ..model.witness import Witness, load_manifest
from ..model.yamlio import load_yaml, strip_lines
from .blocks import Block, BlockBuilder
from .ids import NewBlock, assign, heading_aliases, published, published_headings
from .rules import Rules, load_rules

LABELS = paths.DATA / "citations" / "labels.yml"
# The ids every build is held to (tests/test_anchors.py). A text is published once its pages are in it: from
# then on a re-cut keeps its ids and records aliases; before, `edition ingest --draft` cuts it afresh.
PUBLISHED = paths.ROOT / "tests" / "snapshots" / "anchors.json"


def is_published(text_id: str) -> bool:
    if not PUBLISHED.is_file():
        return False
    return any(page.startswith(text_id + "/") for page in json.loads(PUBLISHED.read_text(encoding="utf-8")))


def _attrs(block: Block) -> str:
    parts = ([f"#{block.id}"] if block.id else []) + block.attrs
    if block.kind == "heading" and not block.attrs:
        return f" {{#{block.id}}}"
    return f" {{: {' '.join(parts)}}}" if parts else ""


class NoteCalls:
    """The note calls of one pass over a text, in reading order: a call without a number (``*``) is the
    next note's; ``missing`` collects the calls whose note the witness does not print."""

    def __init__(self) -> None:
        self.count, self.missing, self.called = 0, set[int](), set[int]()

    def number(self, m: re.Match) -> int:
        self.count += 1
        n = call_number(m, self.count)
        self.called.add(n)
        return n


CALL_OPEN, CALL_CLOSE = "\ue002", "\ue003"  # a note call found in the witness text, until the text is escaped
CALL = re.compile(f"{CALL_OPEN}(\\d+){CALL_CLOSE}")


def _paragraph(text: str, rules: Rules, defined: set[int], log: list[dict], line: int, calls: NoteCalls,
               list_item: bool, head: int = 0) -> str:
    """A paragraph's Markdown: note calls (as text.yml's ``citations.marker`` finds them in the witness text)
    become Markdown footnote references when the note exists; a missing note keeps the printed call (flagged
    in the log), so no link dangles. Calls are found before the text is escaped, so a call printed with
    Markdown's characters (``*``, ``[1]``) is found as printed and is not escaped. A run-in head (its first
    ``head`` characters) is in bold as the lead phrase of its paragraph."""
    fn = rules.footnotes

    def repl(m: re.Match) -> str:
        n = calls.number(m)
        if n in defined:
            return f"{CALL_OPEN}{n}{CALL_CLOSE}"
        calls.missing.add(n)
        log.append({"line": line, "kind": "footnote-missing", "text": m.group(0),
                    "note": f"marker {n} has no note text in the witness; kept as printed"})
        return m.group(0)

    lead, text = text[:head], text[head:]
    text = re.sub(fn["marker"], repl, text) if fn else text
    if lead:
        return f"**{escape_inline(lead)}**" + CALL.sub(r"[^\1]", escape_inline(text))
    return CALL.sub(r"[^\1]", escape_paragraph(text, list_item=list_item))


def _pages(markdown: str) -> str:
    return markdown.replace(PAGE_OPEN, "{pb ").replace(PAGE_CLOSE, "} ")


def render_block(block: Block, rules: Rules, defined: set[int], log: list[dict], calls: NoteCalls) -> str:
    return _pages(_render_block(block, rules, defined, log, calls))


def _render_block(block: Block, rules: Rules, defined: set[int], log: list[dict], calls: NoteCalls) -> str:
    if block.kind == "pb":
        return f"{{pb {block.text}}}"
    if block.kind == "raw":
        return "```text\n" + "\n".join(block.raw_lines) + "\n```"
    if block.kind == "footnote":
        if block.editorial:
            return f'[^{block.note}]: <ins class="editorial">{block.editorial}</ins>'
        return f"[^{block.note}]: " + escape_inline(block.text)
    if block.kind == "heading":
        text = escape_inline(block.text).replace("&lt;br>", "<br>")
        return "#" * block.level + " " + text + _attrs(block)
    text = _paragraph(block.text, rules, defined, log, block.lines[0], calls, block.kind == "item", block.head)
    attrs = _attrs(block)
    return text + ("\n" + attrs.strip() if attrs else "")


def _check_rules_took_effect(rules: Rules, all_blocks: list[list[Block]]) -> None:
    """A rule that names a witness line must change something there: an attribute or a break on a line
    that starts no block, or a sub-head line that became no heading, is an error, not a silent no-op."""
    starts = {b.lines[0]: b for blocks in all_blocks for b in blocks}
    for key, lines in (("attrs", rules.attrs), ("breaks", rules.breaks)):
        for line in sorted(lines):
            if line not in starts:
                raise BuildError(rules.path, None, f"{key}: witness line {line} starts no block, so the rule has no effect")
    for line in sorted(rules.subhead_lines):
        if starts.get(line) is None or starts[line].kind != "heading":
            raise BuildError(rules.path, None, f"subheads.lines: witness line {line} did not become a heading")


def _paragraph_ids(text_id, chapters, all_blocks, rules, defined, previous, out_root: Path,
                   headings: list | None = None) -> None:
    """Give every paragraph and list item its explicit id (edition.ingest.ids) and record the aliases, those
    of published headings that became paragraphs (``headings``) included."""
    new, pos, calls = [], 0, NoteCalls()
    for i, (chapter, blocks) in enumerate(zip(chapters, all_blocks)):
        page, section, counts = f"{i + 1:02d}-{chapter.id}", chapter.id, dict[str, int]()
        for block in blocks:
            words = sum(len(plain_line(x).split()) for x in render_block(block, rules, defined, [], calls).split("\n"))
            kind = block.kind if block.kind in ("para", "item", "heading") else "other"
            derived = ""
            if block.kind == "heading" and not any(a.startswith(".subhead-") for a in block.attrs):
                section = block.id
            elif kind in ("para", "item"):
                section = block.section or section
                counts[section] = counts.get(section, 0) + 1
                derived = f"{section}-p{counts[section]}"
            new.append(NewBlock(page, pos, pos + words, kind, derived, block=block))
            pos += words
    aliases = assign(new, previous)
    for b in new:
        if b.kind in ("para", "item"):
            b.block.id = b.id
    aliases += heading_aliases(new, headings or [])
    path = out_root / "aliases.yml"
    kept = [a for a in _aliases(out_root) if not (a["page"].startswith(text_id + "/") and "word" in a)]
    kept += [{"page": f"{text_id}/{page}", "old": old, "new": new_id, "word": word}
             for page, old, new_id, word in aliases]
    # by page and position, so the file does not depend on the order the texts were ingested in
    kept.sort(key=lambda a: (a["page"], a["word"]) if "word" in a else ("", 0))
    header = path.read_text(encoding="utf-8").split("aliases:", 1)[0] if path.exists() else ""
    path.write_text(header + yaml.safe_dump({"aliases": kept}, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")


def _aliases(out_root: Path) -> list[dict]:
    path = out_root / "aliases.yml"
    return strip_lines(load_yaml(path).get("aliases") or []) if path.exists() else []


def _notes_convention(rules: Rules, text_yml: Path) -> None:
    """What the ingest takes from the text's citations (text.yml, the one place the build reads them too): the
    note-call pattern ``citations.marker`` and the words written around note labels in its label language."""
    if not rules.footnotes:
        return
    meta = load_yaml(text_yml)
    conv = features.from_meta(meta.get("id", ""), meta, text_yml).citations
    if conv["convention"] != "notes":
        raise BuildError(rules.path, None, f"footnotes: the text cites by notes, but {text_yml.name} says "
                         f"citations.convention: {conv['convention']}")
    words = load_yaml(LABELS)
    if conv["label_language"] not in words:
        raise BuildError(LABELS, None, f"no note words for label language {conv['label_language']!r}")
    try:
        re.compile(conv["marker"])
    except re.error as exc:
        raise BuildError(text_yml, None, f"citations.marker: bad pattern: {exc}") from None
    rules.footnotes = {**rules.footnotes, "marker": conv["marker"], "words": strip_lines(words[conv["label_language"]])}


def text_rules(text_id: str, out_root: Path = paths.CORPUS) -> Rules:
    """The ingest rules of a text, with its note-call pattern and the words of its note labels' language from
    its text.yml (what BlockBuilder reads)."""
    rules = load_rules(text_id)
    _notes_convention(rules, out_root / text_id / "text.yml")
    return rules


def ingest_text(text_id: str, witness: Witness, out_root: Path = paths.CORPUS, draft: bool = False) -> dict:
    """``draft``: a text not yet published is cut afresh (ids derived, none of its aliases recorded)."""
    if draft and is_published(text_id):
        raise BuildError(PUBLISHED, None, f"{text_id} is published (its ids are in this snapshot): re-ingest it "
                                          f"without --draft, which keeps its ids and records aliases")
    rules = text_rules(text_id, out_root)
    lines = witness.lines()
    log: list[dict] = []
    builder = BlockBuilder(rules, lines, log, witness.path)
    out_dir = out_root / text_id
    out_dir.mkdir(parents=True, exist_ok=True)
    # the ids published now: kept through the re-ingest
    previous = [] if draft else published(out_dir, _aliases(out_root))
    headings = [] if draft else published_headings(out_dir)
    for old in out_dir.glob("*.md"):
        old.unlink()
    chapters = rules.chapters
    all_blocks = []
    for i, chapter in enumerate(chapters):
        end = chapters[i + 1].start - 1 if i + 1 < len(chapters) else len(lines)
        all_blocks.append(builder.build(chapter, chapter.start, end))
    builder.unplaced()
    _check_rules_took_effect(rules, all_blocks)
    defined = {b.note for blocks in all_blocks for b in blocks if b.kind == "footnote"}
    _paragraph_ids(text_id, chapters, all_blocks, rules, defined, previous, out_root, headings)
    calls = NoteCalls()
    for i, (chapter, blocks) in enumerate(zip(chapters, all_blocks)):
        end = chapters[i + 1].start - 1 if i + 1 < len(chapters) else len(lines)
        front = {
            "text": text_id,
            "chapter": chapter.id,
            "title": chapter.title,
            "order": i + 1,
            "lang": rules.lang,
            "witness": witness.file,
            "witness_lines": [chapter.start, end],
        }
        if chapter.title_en:
            front["title_en"] = chapter.title_en
        if chapter.heading_lines == 0:
            front["title_supplied"] = True
        if rules.footnotes:
            front["note_call"] = rules.footnotes["call"]
        body = "\n\n".join(render_block(b, rules, defined, log, calls) for b in blocks)
        if calls.missing:
            front["footnotes_missing"] = sorted(calls.missing)
        shared = {b.note: b.shared_with for b in blocks if b.kind == "footnote" and b.shared_with}
        if shared:
            front["footnotes_shared"] = shared
        head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
        (out_dir / f"{i + 1:02d}-{chapter.id}.md").write_text(f"---\n{head}---\n\n{body}\n", encoding="utf-8")
    for block in (b for blocks in all_blocks for b in blocks if b.kind == "footnote" and b.note not in calls.called):
        raise BuildError(witness.path, block.lines[0], f"note {block.note} is printed here, but no call in the text "
                                                       f"matches citations.marker of {text_id}/text.yml")
    log.sort(key=lambda e: (e["line"], e["kind"]))
    changelog = {
        "text": text_id,
        "witness": witness.file,
        "witness_sha256": witness.sha256,
        "note": "Every intervention other than re-flowing whitespace; line numbers are 1-based witness lines.",
        "entries": log,
    }
    (out_dir / "changelog.yml").write_text(
        yaml.safe_dump(changelog, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    return changelog


def ingest_all(text_ids: list[str] | None = None, draft: bool = False) -> dict[str, dict]:
    """Ingest the given texts, or every text of the manifest (the manifest is the list of texts)."""
    witnesses = load_manifest()
    for tid in text_ids or []:
        if tid not in witnesses:
            raise BuildError(paths.SOURCES / "manifest.yml", None, f"no text {tid!r} is listed (edition new-text adds one)")
    return {tid: ingest_text(tid, witnesses[tid], draft=draft) for tid in (text_ids or list(witnesses))}
