"""The layers import one way: policy_db (data + engine) <- reading <- actions <- bot, with no Rasa below actions;
the simulator stands on policy_db alone; tests and bench share testing/, which imports neither, and nothing of the
product imports them. Among our modules no import circle, and no import inside a function but the few listed with
their reason. Read from the source with ast, so an import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
NOT_SOURCE = {"build", "models", "test-artifacts", "node_modules"}
RASA = {"rasa", "rasa_sdk"}
PRODUCT = ("policy_db", "reading", "actions", "bot", "simulator", "tools")
# Imports inside a function, by file and function, with why each stays there.
IMPORTS_IN_FUNCTIONS = {
    ("bot/rasa_server.py", "main"):
        "Rasa's command line is imported after log masking and the patches are installed, so the names it binds "
        "at import time are the patched ones",
    ("bench/memory.py", "stages"):
        "measures the memory each import adds, step by step, in a child process: each import is a step",
}


def sources(root: Path = ROOT) -> list[Path]:
    """Every Python file of the project: not the venv, the build or other generated folders."""
    return [p for p in sorted(root.rglob("*.py"))
            if not any(part.startswith(".") or part in NOT_SOURCE or part.endswith(".egg-info")
                       for part in p.relative_to(root).parts[:-1])]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(path: Path, root: Path) -> tuple[str, ...]:
    parts = path.relative_to(root).with_suffix("").parts
    return parts[:-1]


def imports(path: Path, root: Path = ROOT) -> list[tuple[str, ...]]:
    """Every name a file imports, as the dotted names it may load in the order Python tries them (``from a import
    b`` loads the module ``a.b`` when there is one, else takes ``b`` from ``a``), relative imports resolved against
    the file's own package."""
    package = _package(path, root)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name,) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found += [(f"{module}.{alias.name}", module) if module else (alias.name,) for alias in node.names]
    return found


def imported(path: Path, root: Path = ROOT) -> set[str]:
    """The top-level packages a file imports."""
    return {names[0].split(".")[0] for names in imports(path, root)}


def offenders(top: str, forbidden: set[str], root: Path = ROOT) -> dict[str, set[str]]:
    return {str(p.relative_to(root)): bad for p in sources(root)
            if p.relative_to(root).parts[0] == top and (bad := imported(p, root) & forbidden)}


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Our modules, each with the modules of ours it imports (a name imported from a package that is no module of
    its own is the package's ``__init__``)."""
    files = {module_name(p, root): p for p in sources(root) if p.relative_to(root).parts[0] != "tests"}
    graph = {}
    for name, path in files.items():
        targets = set()
        for names in imports(path, root):
            dotted = next((n for n in names if n in files), names[-1])
            while dotted and dotted not in files:
                dotted = dotted.rpartition(".")[0]
            if dotted and dotted != name:
                targets.add(dotted)
        graph[name] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def imports_in_functions(path: Path, root: Path = ROOT) -> dict[str, list[str]]:
    """The functions of a file that import, with what they import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    inside: dict[str, list[str]] = {}

    def walk(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                walk(child, function or getattr(child, "name", "<lambda>"))
            else:
                if function and isinstance(child, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in child.names]
                    inside.setdefault(function, []).append(f"{child.module or '.'}: {', '.join(names)}"
                                                           if isinstance(child, ast.ImportFrom) else ", ".join(names))
                walk(child, function)

    walk(tree, None)
    return inside


def test_the_reader_sees_imports_at_any_depth_and_resolves_relative_ones(tmp_path):
    (tmp_path / "policy_db").mkdir()
    (tmp_path / "policy_db" / "late.py").write_text(
        "from . import store\nfrom .. import tests\n\ndef f():\n    import rasa.core\n    from bot.nlu import x\n",
        encoding="utf-8")
    assert offenders("policy_db", {"rasa", "bot", "tests", "actions"}, tmp_path) == {
        "policy_db/late.py": {"rasa", "bot", "tests"}}
    assert imported(tmp_path / "policy_db" / "late.py", tmp_path) == {"policy_db", "rasa", "bot", "tests"}
    assert imports_in_functions(tmp_path / "policy_db" / "late.py", tmp_path) == {
        "f": ["rasa.core", "bot.nlu: x"]}


def test_the_graph_finds_a_circle_held_by_an_import_inside_a_function(tmp_path):
    (tmp_path / "bot" / "web").mkdir(parents=True)
    for name, text in {"__init__.py": "", "web/__init__.py": "", "web/a.py": "from . import b\n",
                       "web/b.py": "def f():\n    from bot.web.c import g\n",
                       "web/c.py": "from .a import x\n", "web/d.py": "from bot.web import a\n"}.items():
        (tmp_path / "bot" / name).write_text(text, encoding="utf-8")
    graph = import_graph(tmp_path)
    assert graph["bot.web.d"] == {"bot.web.a"} and graph["bot.web.a"] == {"bot.web.b"}
    assert circles(graph) == [["bot.web.a", "bot.web.b", "bot.web.c"]]


def test_nothing_outside_tests_imports_tests():
    outside = {top: found for top in {p.relative_to(ROOT).parts[0] for p in sources()} - {"tests"}
               if (found := offenders(top, {"tests"}))}
    assert outside == {}, f"import what tests and benches share from testing/, not from tests: {outside}"


@pytest.mark.parametrize("top, forbidden", [
    ("bench", {"tests"}),
    ("testing", {"tests", "bench"}),
    ("policy_db", {"reading", "actions", "bot", "simulator", "testing", "bench"} | RASA),
    ("reading", {"actions", "bot", "simulator", "testing", "bench"} | RASA),
    ("actions", {"bot", "simulator", "testing", "bench"}),
    ("simulator", {"reading", "actions", "bot", "testing", "bench"} | RASA),
    ("bot", {"testing", "bench"}),
    ("tools", {"testing", "bench"}),
])
def test_a_layer_imports_nothing_above_it(top, forbidden):
    assert (ROOT / top).is_dir()
    assert offenders(top, forbidden) == {}


def test_no_module_of_ours_is_part_of_an_import_circle():
    assert circles(import_graph()) == []


def test_imports_sit_at_the_top_of_the_module_but_where_a_reason_is_written():
    found = {(str(p.relative_to(ROOT)), function): names for p in sources()
             if p.relative_to(ROOT).parts[0] in (*PRODUCT, "testing", "bench")
             for function, names in imports_in_functions(p).items()}
    assert {place: names for place, names in found.items() if place not in IMPORTS_IN_FUNCTIONS} == {}
