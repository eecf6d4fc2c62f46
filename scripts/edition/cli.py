"""``edition`` command: ingest, fidelity, check, build, serve. Errors print as ``file:line: message``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import BuildError


def _ingest(args) -> None:
    from .ingest.write import ingest_all

    for text_id, log in ingest_all(args.texts or None, draft=args.draft).items():
        print(f"{text_id}: {len(log['entries'])} logged interventions")


def _new_text(args) -> None:
    from .ingest.new_text import new_text

    for path in new_text(args.text, args.witness, args.lang):
        print(f"wrote {path}")
    print(f"next: edit the ingest rules and text.yml, then `edition ingest --draft {args.text}` "
          f"(guide: scripts/edition/ingest/README.md)")


def _fidelity(args) -> None:
    from .model.fidelity import check_all, format_report

    reports = check_all(args.texts or None)
    print(format_report(reports))
    if any(r.unexplained for r in reports):
        raise SystemExit(1)


def _citations(args) -> None:
    from .enrich.citations import citation_report

    report = citation_report()
    several = report.pop("cited_by_several_texts")
    print("| text | markers | linked | unresolved | entries | identified | partial | not identified |")
    print("|---|---|---|---|---|---|---|---|")
    for text_id, r in report.items():
        print(f"| {text_id} | {r['markers']} | {r['resolved']} | {len(r['unresolved'])} {r['unresolved'] or ''} | "
              f"{r['entries']} | {len(r['identified'])} | {len(r['partial'])} | {len(r['not_identified'])} |")
    print(f"works cited by several texts: {', '.join(several)}")


def _check(args) -> None:
    from .model import ui
    from .model.corpus import load_corpus
    from .model.register import load_register

    texts = load_corpus()
    print(f"corpus ok: {len(texts)} texts, {sum(len(t.chapters) for t in texts)} chapters")
    catalogues = ui.check()
    print(f"interface ok: {len(catalogues[ui.DEFAULT].entries)} keys in each of {', '.join(catalogues)} (data/ui/)")
    register = load_register()
    register.prove(texts)
    print(f"register ok: {len(register.entries)} entries, every variant found in the corpus")


def _render(args) -> dict:
    from .build import render

    return render(draft=args.draft, downloads=getattr(args, "downloads", False))


def _build(args) -> None:
    from . import paths
    from .build import build
    from .outputs.downloads.build import downloads_note

    build(draft=args.draft, downloads=args.downloads, site_dir=args.site)
    print(f"site built in {args.site or paths.SITE}")
    if not args.downloads and (note := downloads_note()):
        print(note)


def _serve(args) -> None:
    import signal
    import threading

    from .serve import serve

    interrupted = threading.Event()

    def interrupt(signum, frame):
        if not interrupted.is_set():  # a second Ctrl+C or kill does not break off the clean-up
            interrupted.set()
            raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):  # `kill` cleans up like Ctrl+C
            signal.signal(sig, interrupt)
    serve(args.addr, draft=args.draft)


COMMANDS = {"ingest": _ingest, "new-text": _new_text, "fidelity": _fidelity, "check": _check, "citations": _citations, "render": _render,
            "build": _build, "serve": _serve}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="edition", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("ingest", "fidelity"):
        p = sub.add_parser(name)
        p.add_argument("texts", nargs="*", help="text ids (default: all)")
        if name == "ingest":
            p.add_argument("--draft", action="store_true",
                           help="cut an unpublished text afresh: no ids kept, no aliases recorded")
    p = sub.add_parser("new-text", help="list a witness in the manifest and write skeletons of its rules and text.yml")
    p.add_argument("text", help="the new text's id (its folder corpus/<id>/)")
    p.add_argument("witness", type=Path, help="the PDF text extraction")
    p.add_argument("--lang", default="vi", help="the text's language (default: vi)")
    for name in ("check", "citations"):
        sub.add_parser(name)
    draft = "build even if a text differs from its witness unexplained; every page is stamped as a draft"
    for name in ("render", "build", "serve"):
        p = sub.add_parser(name)
        p.add_argument("--draft", action="store_true", help=draft)
        if name in ("render", "build"):
            p.add_argument("--downloads", action="store_true",
                           help="also build each text's PDF, EPUB and TEI (cached by the hash of their inputs)")
        if name == "build":
            p.add_argument("--site", type=Path, help="build the site into this folder instead of site/")
        if name == "serve":
            p.add_argument("--addr", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def run() -> None:
    """The ``edition`` program: ``main``, then the process ends without tearing the interpreter down object by
    object (0.1 s of a 1.8 s repeated build); by then the command has finished every process and file it
    started. An error ends it as ``main`` does."""
    main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    run()
