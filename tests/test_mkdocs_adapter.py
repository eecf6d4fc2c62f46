"""MkDocs' private names are used in one module, edition.outputs.site.mkdocs_adapter, against one release line: these tests
fail loudly when an upgrade changes what it relies on, and when a private MkDocs name is used anywhere else."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import mkdocs.commands.build as mkdocs_build
import pytest
from mkdocs.structure.pages import Page

from edition.errors import BuildError
from edition.outputs.site import mkdocs_adapter

ROOT = Path(__file__).resolve().parents[1]
ADAPTER = Path(mkdocs_adapter.__file__).resolve()
# MkDocs' private functions the adapter calls, with the parameters it passes (by position, then by name)
CALLED = {"_populate_page": ["page", "config", "files", "dirty"],
          "_build_theme_template": ["template_name", "env", "files", "config", "nav"],
          "_build_page": ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"]}


@pytest.mark.parametrize("name", sorted(CALLED))
def test_the_private_functions_have_the_signatures_the_adapter_calls(name):
    function = getattr(mkdocs_build, name, None)
    assert function is not None, f"MkDocs no longer has mkdocs.commands.build.{name}: update edition/outputs/site/mkdocs_adapter.py"
    assert list(inspect.signature(function).parameters) == CALLED[name], \
        f"mkdocs.commands.build.{name} changed its parameters: update edition/outputs/site/mkdocs_adapter.py"


def test_the_page_title_from_its_first_heading_is_the_attribute_the_adapter_reads():
    source = inspect.getsource(Page)
    assert "self._title_from_render: str | None = None" in source  # set in __init__
    assert "self._title_from_render = extract_title_ext.title" in source  # by the conversion
    assert "if self._title_from_render:\n            return self._title_from_render" in source  # read by .title


def test_another_mkdocs_release_stops_the_build_naming_pyproject():
    mkdocs_adapter.check_version("1.6.1")
    for other in ("1.7.0", "2.0.0", "1.5.3"):
        with pytest.raises(BuildError, match=r"pyproject\.toml: MkDocs .* is installed") as caught:
            mkdocs_adapter.check_version(other)
        assert other in str(caught.value)


def _private_mkdocs_uses(path: Path, private: set[str]) -> list[str]:
    """``from mkdocs… import _x`` and ``obj._x`` where ``_x`` is a name MkDocs defines privately (attributes of
    the module's own objects, ``self._x``, are its own business)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mkdocs"):
            found += [f"{path.name}:{node.lineno}: {a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr in private:
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("mkdocs."):
            found += [f"{path.name}:{node.lineno}: {node.value}" for part in node.value.split(".") if part[:1] == "_"]
    return found


def test_no_private_mkdocs_name_outside_the_adapter():
    package = Path(mkdocs_build.__file__).resolve().parents[1]
    names = {node.attr if isinstance(node, ast.Attribute) else node.name
             for f in package.rglob("*.py") for node in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
             if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Attribute)}
    private = {n for n in names if n.startswith("_") and not n.startswith("__")}
    assert {"_populate_page", "_build_page", "_title_from_render"} <= private
    ours = [p for p in [*(ROOT / "scripts").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
            if p.resolve() not in (ADAPTER, Path(__file__).resolve())]
    assert [use for p in ours for use in _private_mkdocs_uses(p, private)] == []
