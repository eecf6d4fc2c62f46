"""``edition`` command: ingest, fidelity, check, build, serve. Errors print as ``file:line: message``."""

from __future__ import annotations

import argparse
import sys

from .errors import BuildError


def _ingest(args) -> None:
    from .ingest.write import ingest_all

    for text_id, log in ingest_all(args.texts or None).items():
        print(f"{text_id}: {len(log['entries'])} logged interventions")


def _fidelity(args) -> None:
    from .fidelity import check_all, format_report

    reports = check_all(args.texts or None)
    print(format_report(reports))
    if any(r.unexplained for r in reports):
        raise SystemExit(1)


COMMANDS = {"ingest": _ingest, "fidelity": _fidelity}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="edition", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("ingest", "fidelity"):
        p = sub.add_parser(name)
        p.add_argument("texts", nargs="*", help="text ids (default: all)")
    args = parser.parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
