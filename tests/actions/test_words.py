"""Every sentence the assistant says lives once, in words.yaml, by name: no action holds one of its own, every name
an action says is there, and every sentence there is said by someone."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

from policy_db import sources

ROOT = Path(__file__).parents[2]
ACTIONS = ROOT / "actions"
# what the conversation says from outside actions/: a correction told back, shared with the console
SPEAKERS = [*sorted(ACTIONS.glob("*.py")), ROOT / "policy_db" / "interview.py"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings (of the module, a class or a function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def chinese_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [f"{path.name}:{node.lineno}: {node.value}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            and CJK.search(node.value)]


def test_the_scan_finds_a_sentence_in_code_and_leaves_docstrings(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""说明"""\n\ndef f(x):\n    """例如“房租”"""\n    return f"好的，{x}已记录" + "。"\n', encoding="utf-8")
    assert chinese_literals(sample) == ["sample.py:5: 好的，", "sample.py:5: 已记录"]


def test_no_action_holds_a_sentence_of_its_own():
    found = [line for path in SPEAKERS for line in chinese_literals(path)]
    assert found == [], "put the words in policy_db/words.yaml `conversation` and say them by name"


def _conversation() -> dict:
    return yaml.safe_load((sources.DATA_DIR / sources.WORDS).read_text(encoding="utf-8"))["conversation"]


def test_every_name_an_action_says_is_in_words_yaml_and_every_sentence_there_is_said():
    """A name is a string of the actions' code that names a sentence; those that look like one but are not in
    words.yaml are the names passed to `say`."""
    conversation = _conversation()
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in SPEAKERS]
    strings = {node.value for tree in trees for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    asked = {node.args[0].value for tree in trees for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "say" and node.args
             and isinstance(node.args[0], ast.Constant)}
    placeholders = {n for text in conversation.values() if isinstance(text, str)
                    for n in re.findall(r"\{(\w+)\}", text) if n in conversation}
    assert asked and asked <= set(conversation), asked - set(conversation)
    unsaid = set(conversation) - strings - placeholders - {n for n in conversation if n.startswith("utter_")}
    assert unsaid == set()


def test_a_placeholder_naming_another_sentence_is_that_sentence(policy_store):
    words = policy_store.words
    assert words.say("rephrase").startswith(words.say("not_understood")) and "{" not in words.say("rephrase")
    assert words.say("checklist_again", items="1. 招工难", not_understood="").startswith("请回复符合情况的序号")
    assert words.say("not_changed", error="“裁员人数”（50人）不能多于“从业人员人数”（10人），请核对") == \
        "“裁员人数”（50人）不能多于“从业人员人数”（10人），请核对。原来的信息保持不变。"
