"""Enrich stage: the hooks the renderer calls (citations and cross-links inline, timeline back-links,
extra pages for tables, timeline and bibliography)."""

from __future__ import annotations


def enrichers() -> dict:
    return {"inline": None, "after": None, "pages": []}
