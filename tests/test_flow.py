"""The pipeline flows one way — load → enrich → render → site: no module imports a later stage (issue 12), and
no import circle between any two modules or packages of the engine (issue 26). Imports are read with ``ast``
(module level and inside functions alike), so a lazy import counts too; an import under ``if TYPE_CHECKING:``
is for annotations only (never run) and does not."""

from __future__ import annotations

import ast
import json
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "edition"
# The stages after load (an output is its folder under outputs/: site, search, downloads); everything else
# (model/ and the shared paths, errors, memo, cache and pool) is load & validate, except the modules that join
# or run the stages (cli, build, serve).
OUTPUTS = {"site", "search", "downloads"}
LATER = {"enrich": {"render", *OUTPUTS, "cli", "tools", "build"},
         "render": {*OUTPUTS, "cli", "tools", "build"},
         "downloads": {"site", "search", "cli", "tools", "build"},
         "search": {"site", "downloads", "cli", "tools", "build"}}
NOT_LOAD = {"enrich", "render", *OUTPUTS, "cli", "serve", "tools", "build", "ingest"}
LOAD_MAY_NOT = {"enrich", "render", *OUTPUTS, "cli", "serve", "tools", "build"}


def _stage(parts: list[str] | tuple[str, ...]) -> str:
    return parts[1] if parts[0] == "outputs" and len(parts) > 1 else parts[0]


def stage_of(path: Path, package: Path) -> str:
    rel = path.relative_to(package)
    return _stage(rel.parts) if len(rel.parts) > 1 else rel.stem


def imported_stages(path: Path, package: Path) -> set[str]:
    """The first component under ``edition`` of every module ``path`` imports (``from edition import x``
    imports ``edition.x``)."""
    here = ["edition", *path.relative_to(package).parts[:-1]]  # the importing module's package
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[:len(here) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names = [f"{module}.{a.name}" for a in node.names]  # a name may be a module or an attribute
        else:
            continue
        found |= {_stage(name.split(".")[1:]) for name in names if name.startswith("edition.")}
    return found


def violations(package: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(package.rglob("*.py")):
        stage = stage_of(path, package)
        forbidden = LATER.get(stage) or (LOAD_MAY_NOT if stage not in NOT_LOAD else set())
        bad = imported_stages(path, package) & forbidden
        out += [f"{path.relative_to(package)} imports edition.{name}" for name in sorted(bad)]
    return out


def test_no_stage_imports_a_later_one():
    assert violations() == []


def _modules(package: Path) -> dict[str, Path]:
    def name(path: Path) -> str:
        parts = ["edition", *path.relative_to(package).with_suffix("").parts]
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return {name(p): p for p in sorted(package.rglob("*.py"))}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the engine's modules it imports (``from . import x`` imports module ``x`` when there is one)."""
    modules = _modules(package)
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                       and "TYPE_CHECKING" in ast.unparse(node.test) for sub in node.body for n in ast.walk(sub)}
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = ".".join((here[:len(here) - node.level + 1] if node.level else []) + [node.module or ""])
                module = module.rstrip(".")
                names = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names]
            else:
                continue
            for imported in names:
                while imported and imported not in modules:
                    imported = imported.rpartition(".")[0]
                found.add(imported)
        graph[name] = found - {name, "edition", ""}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of nodes that reach each other (strongly connected components of more than one node)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in order:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], order[nxt])
        if low[node] == order[node]:
            group = stack[stack.index(node):]
            del stack[stack.index(node):]
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return out


def package_graph(graph: dict[str, set[str]], package: Path = PACKAGE) -> dict[str, set[str]]:
    """The same imports between packages (folders; a module at the top of ``edition`` is its own)."""
    paths = _modules(package)

    def folder(name: str) -> str:
        if paths[name].parent == package or paths[name].name == "__init__.py":
            return name
        return name.rpartition(".")[0]

    out: dict[str, set[str]] = {}
    for name, imported in graph.items():
        out.setdefault(folder(name), set()).update(folder(i) for i in imported)
    return {name: imported - {name} for name, imported in out.items()}


def test_no_import_circle():
    graph = import_graph()
    every = {"edition.outputs.downloads.build", "edition.outputs.search.search_index", "edition.outputs.site.site",
             "edition.model.corpus", "edition.ingest.blocks", "edition.enrich.tables", "edition.render.run",
             "edition.tools.resolve_anchors", "edition.cli"}
    assert every <= graph.keys()
    assert circles(graph) == []
    assert circles(package_graph(graph)) == []


def test_the_circle_check_sees_circles_between_modules_and_packages(tmp_path):
    package = tmp_path / "edition"
    (package / "render").mkdir(parents=True)
    (package / "downloads").mkdir()
    (package / "corpus.py").write_text("def f():\n    from .pages import x\n")
    (package / "pages.py").write_text("from typing import TYPE_CHECKING\nfrom edition import corpus\n"
                                      "if TYPE_CHECKING:\n    from .render import a\n")
    (package / "render" / "a.py").write_text("from ..downloads.b import FORMATS\n")
    (package / "downloads" / "b.py").write_text("from edition.render import c\n")
    (package / "render" / "c.py").write_text("")
    graph = import_graph(package)
    assert circles(graph) == [["edition.corpus", "edition.pages"]]
    assert circles(package_graph(graph, package)) == [["edition.corpus", "edition.pages"],
                                                      ["edition.downloads", "edition.render"]]


def test_the_check_sees_relative_absolute_and_lazy_imports(tmp_path):
    package = tmp_path / "edition"
    (package / "enrich").mkdir(parents=True)
    (package / "enrich" / "a.py").write_text("from ..render import chapters\n")
    (package / "enrich" / "b.py").write_text("def f():\n    from edition.outputs.site import serve\n")
    (package / "enrich" / "c.py").write_text("import edition.tools.resolve_anchors\n")
    (package / "enrich" / "d.py").write_text("from . import bibliography\nfrom edition import escape\n")
    (package / "corpus.py").write_text("from .enrich import timeline\n")
    (package / "render").mkdir()
    (package / "render" / "e.py").write_text("from edition import cli\n")
    assert violations(package) == ["corpus.py imports edition.enrich", "enrich/a.py imports edition.render",
                            "enrich/b.py imports edition.site", "enrich/c.py imports edition.tools",
                            "render/e.py imports edition.cli"]


def test_an_edited_bibliography_is_read_again_in_the_same_process(tmp_path, monkeypatch):
    from edition import paths
    from edition.enrich import bibliography

    bib = tmp_path / "bibliography.bib"
    bib.write_bytes(paths.BIBLIOGRAPHY.read_bytes())
    monkeypatch.setattr(paths, "BIBLIOGRAPHY", bib)
    key = next(iter(bibliography.entries()))
    before = bibliography.format_reference(key, "apa")
    title = bibliography.entry(key).get("title")
    bib.write_text(bib.read_text(encoding="utf-8").replace(title, title + " Sửa", 1), encoding="utf-8")
    assert bibliography.entry(key).get("title") == title + " Sửa"
    assert bibliography.format_reference(key, "apa") != before  # formatted again from the edited entry
    monkeypatch.undo()
    assert bibliography.entry(key).get("title") == title


def test_citeproc_is_extended_by_subclasses_not_patched():
    import citeproc.model as model

    from edition.enrich import bibliography

    bibliography.format_reference(sorted(bibliography.entries())[0], "chicago")  # the fixes at work
    classes = (model.CitationStylesElement, model.Parent, *model.CitationStylesElement.__subclasses__())
    patched = [f"{cls.__name__}.{name}" for cls in classes for name, value in vars(cls).items()
               if callable(value) and getattr(value, "__module__", "citeproc.model") != "citeproc.model"]
    assert patched == []
    assert model.Label.RE_MULTIPLE_NUMBERS.pattern == r"\d+[^\d.]+\d+" and "between" not in model.TextCased._stop_words


def test_formatted_references_are_a_memo_of_their_inputs(tmp_path, monkeypatch):
    from edition import cache, memo, paths
    from edition.enrich import bibliography

    bib = tmp_path / "bibliography.bib"
    bib.write_bytes(paths.BIBLIOGRAPHY.read_bytes())
    monkeypatch.setattr(paths, "BIBLIOGRAPHY", bib)
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    memo.save_all()  # what this process used before is not this build's
    bibliography.format_all()
    memo.save_all()
    stored_file = tmp_path / "build" / "cache" / "memo" / "references.json"
    stored = json.loads(cache.read_checked(stored_file))
    (first, references), = stored.items()
    assert len(references) == 3 * len(bibliography.entries())
    key = sorted(bibliography.entries())[0]
    references[f"{key}\tapa"] = "từ bộ nhớ đệm"
    cache.write_checked(stored_file, json.dumps(stored).encode("utf-8"))
    bibliography.format_all()  # same inputs: read from the memo
    assert bibliography.format_reference(key, "apa") == "từ bộ nhớ đệm"
    title = bibliography.entry(key).get("title")
    bib.write_text(bib.read_text(encoding="utf-8").replace(title, title + " Sửa", 1), encoding="utf-8")
    bibliography.format_all()  # an edited bibliography: formatted again, the old entry dropped
    assert "Sửa" in bibliography.format_reference(key, "apa") or bibliography.entry(key).identified == "no"
    memo.save_all()
    assert [k for k in json.loads(cache.read_checked(stored_file))] not in ([], [first])
    monkeypatch.undo()
    bibliography.entries()  # the real bibliography again, and its own formatting
