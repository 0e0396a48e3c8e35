"""The model is retrained when anything the trained pipeline depends on changes (bot/ops/model.py): the NLU
components' code and what it imports (reading/, policy_db/), the cues and other data beside that code, the
assets' builder, the training data and config; and not when an action or a page changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.ops import model

ROOT = Path(__file__).parents[2]
COPIED = ("config.yml", "domain.yml", "data", "bot", "reading", "policy_db", "actions")


@pytest.fixture
def tree(tmp_path) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def _changed(tree: Path, name: str, text: str = "\n# changed\n") -> str:
    with (tree / name).open("a", encoding="utf-8") as f:
        f.write(text)
    return model.fingerprint(tree)


def test_the_inputs_are_the_components_modules_their_imports_and_the_data_beside_them(tree):
    inputs = {p.relative_to(tree).as_posix() for p in model.code_inputs(tree)}
    assert {"bot/nlu/components.py", "bot/nlu/cues.py", "bot/nlu/cues.yml", "bot/ops/assets.py",
            "reading/entities.py", "policy_db/store.py", "policy_db/facts.yaml", "policy_db/__init__.py"} <= inputs
    assert not {p for p in inputs if p.startswith(("actions/", "bot/web/", "bot/staff/"))}


@pytest.mark.parametrize("name", ["reading/entities.py", "bot/nlu/cues.py", "bot/nlu/normalize.py",
                                  "policy_db/store.py", "bot/ops/assets.py", "data/nlu/__new__.yml", "config.yml"])
def test_a_change_to_what_the_pipeline_loads_changes_the_fingerprint(tree, name):
    before = model.fingerprint(tree)
    assert _changed(tree, name) != before


def test_a_changed_cue_changes_the_fingerprint(tree):
    before = model.fingerprint(tree)
    assert _changed(tree, "bot/nlu/cues.yml", "\n# a cue added\n") != before


@pytest.mark.parametrize("name", ["actions/results.py", "bot/web/chat/chat.js", "bot/staff/records.py"])
def test_a_change_to_an_action_or_a_page_does_not(tree, name):
    before = model.fingerprint(tree)
    assert _changed(tree, name, "\n// changed\n" if name.endswith(".js") else "\n# changed\n") == before


def test_a_module_a_component_starts_to_import_is_covered_from_then_on(tree):
    assert tree / "reading" / "trades.py" not in model.code_inputs(tree)
    _changed(tree, "bot/nlu/components.py", "\nfrom reading import trades  # noqa\n")
    assert tree / "reading" / "trades.py" in model.code_inputs(tree)
    before = model.fingerprint(tree)
    assert _changed(tree, "reading/trades.py") != before
