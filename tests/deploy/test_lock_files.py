"""The lock files (requirements/*.txt, written by make lock) that make install, the image and make bench-deps install
with --require-hashes: every package pinned with its hashes, the same version wherever it appears, within what
pyproject.toml declares; and every third-party package our code imports is declared there, not only pulled in by
Rasa."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import tomli
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tools.lock_sync import leftovers, locked_names

ROOT = Path(__file__).parents[2]
LOCKS = {name: ROOT / "requirements" / f"{name}.txt" for name in ("runtime", "test", "bench")}
OURS = {"policy_db", "reading", "actions", "bot", "simulator", "testing", "tests", "bench", "tools"}
SOURCE = ("policy_db", "reading", "actions", "bot", "simulator", "testing", "bench", "tools", "tests")


def pins(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) of a pip requirements file with hashes."""
    found = {}
    for entry in re.split(r"\n(?=\S)", path.read_text(encoding="utf-8")):
        first = entry.split("\\", 1)[0].split("#", 1)[0].strip()
        if not first:
            continue
        requirement = Requirement(first)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"{path.name}: {first} is not pinned"
        found[canonicalize_name(requirement.name)] = (specifiers[0].version, re.findall(r"--hash=sha256:\w{64}", entry))
    return found


def declared() -> dict[str, list[Requirement]]:
    project = tomli.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + [line for extra in project["optional-dependencies"].values() for line in extra]
    found: dict[str, list[Requirement]] = {}
    for line in lines:
        requirement = Requirement(line)
        found.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return found


def test_every_locked_package_is_pinned_with_hashes():
    for path in LOCKS.values():
        locked = pins(path)
        assert len(locked) > 40
        assert [name for name, (_, hashes) in locked.items() if not hashes] == [], path.name


def test_a_package_has_one_version_in_every_lock():
    test, runtime, bench = (pins(LOCKS[name]) for name in ("test", "runtime", "bench"))
    assert set(runtime) <= set(test)
    for lock in (runtime, bench):
        assert {name: pin[0] for name, pin in lock.items() if name in test and test[name][0] != pin[0]} == {}
    assert "rasa" in runtime and "locust" not in test and "locust" in bench and "tensorflow" not in bench


def test_the_locks_keep_what_pyproject_declares():
    test, bench = pins(LOCKS["test"]), pins(LOCKS["bench"])
    for name, requirements in declared().items():
        version = (test.get(name) or bench.get(name) or (None,))[0]
        assert version is not None, f"{name} is declared in pyproject.toml but in no lock: make lock"
        assert all(r.specifier.contains(Version(version), prereleases=True) for r in requirements), (
            f"{name} {version} is outside {[str(r.specifier) for r in requirements]}: make lock")


def third_party_imports() -> dict[str, set[str]]:
    """Top-level modules imported anywhere in our code (at any depth) that are neither ours nor the standard
    library's → the files importing each."""
    found: dict[str, set[str]] = {}
    for top in SOURCE:
        for path in sorted((ROOT / top).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                    [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
                for name in names:
                    module = name.split(".")[0]
                    if module not in OURS and module not in sys.stdlib_module_names and module != "__future__":
                        found.setdefault(module, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_package_our_code_imports_is_declared_in_pyproject():
    providers = metadata.packages_distributions()
    names = set(declared())
    for name in names:  # Python 3.10's packages_distributions misses some wheels' modules (argon2 of argon2-cffi)
        try:
            files = metadata.distribution(name).files or []
        except metadata.PackageNotFoundError:
            continue
        for module in {f.parts[0] for f in files if len(f.parts) > 1 and f.suffix == ".py"}:
            providers.setdefault(module, []).append(name)
    undeclared = {}
    for module, files in third_party_imports().items():
        distributions = {canonicalize_name(d) for d in providers.get(module, [module])}
        if not distributions & names:
            undeclared[module] = sorted(files)[:3]
    assert undeclared == {}, "declare these in pyproject.toml (then make lock)"


def test_make_install_removes_what_the_lock_does_not_name_and_keeps_the_project():
    locked = locked_names(LOCKS["test"].read_text(encoding="utf-8"))
    assert {"rasa", "tensorflow", "jax", "pytest"} <= locked and "jaxlib" not in locked and "locust" not in locked
    assert leftovers(["Rasa", "jaxlib", "huiqi-assistant", "locust", "jax"], locked) == ["jaxlib", "locust"]
