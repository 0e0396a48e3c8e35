"""The layers import one way: policy_db (data + engine) <- reading <- actions <- bot, with no Rasa below actions;
tests and bench share testing/, which imports neither, and nothing outside tests imports tests. Read from the
source with ast, so an import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
NOT_SOURCE = {"build", "models", "test-artifacts", "node_modules"}
RASA = {"rasa", "rasa_sdk"}


def imported(path: Path, root: Path = ROOT) -> set[str]:
    """The top-level packages a file imports, relative imports resolved against the file's own package."""
    package = path.relative_to(root).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                if base:
                    found.add(base[0])
                elif node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found |= {alias.name for alias in node.names}
            else:
                found.add(node.module.split(".")[0])
    return found


def sources(root: Path = ROOT) -> list[Path]:
    """Every Python file of the project: not the venv, the build or other generated folders."""
    return [p for p in sorted(root.rglob("*.py"))
            if not any(part.startswith(".") or part in NOT_SOURCE or part.endswith(".egg-info")
                       for part in p.relative_to(root).parts[:-1])]


def offenders(top: str, forbidden: set[str], root: Path = ROOT) -> dict[str, set[str]]:
    return {str(p.relative_to(root)): bad for p in sources(root)
            if p.relative_to(root).parts[0] == top and (bad := imported(p, root) & forbidden)}


def test_the_reader_sees_imports_at_any_depth_and_resolves_relative_ones(tmp_path):
    (tmp_path / "policy_db").mkdir()
    (tmp_path / "policy_db" / "late.py").write_text(
        "from . import store\nfrom .. import tests\n\ndef f():\n    import rasa.core\n    from bot.nlu import x\n",
        encoding="utf-8")
    assert offenders("policy_db", {"rasa", "bot", "tests", "actions"}, tmp_path) == {
        "policy_db/late.py": {"rasa", "bot", "tests"}}
    assert imported(tmp_path / "policy_db" / "late.py", tmp_path) == {"policy_db", "rasa", "bot", "tests"}


def test_nothing_outside_tests_imports_tests():
    outside = {top: found for top in {p.relative_to(ROOT).parts[0] for p in sources()} - {"tests"}
               if (found := offenders(top, {"tests"}))}
    assert outside == {}, f"import what tests and benches share from testing/, not from tests: {outside}"


@pytest.mark.parametrize("top, forbidden", [
    ("bench", {"tests"}),
    ("testing", {"tests", "bench"}),
    ("policy_db", {"reading", "actions", "bot", "simulator", "testing", "bench"} | RASA),
    ("reading", {"actions", "bot", "simulator", "testing", "bench"} | RASA),
])
def test_a_layer_imports_nothing_above_it(top, forbidden):
    assert (ROOT / top).is_dir()
    assert offenders(top, forbidden) == {}
