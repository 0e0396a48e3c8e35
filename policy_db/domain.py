"""The parts of Rasa's domain.yml that the policy data defines, written from it so that they are never hand-kept.

domain.yml stays the file Rasa trains from; its hand-written parts (intents, forms, actions, the bookkeeping slots)
stay as they are, and each part the data defines lies between two marker lines that this module rewrites:

- ``facts: entities`` and ``facts: slots``: an entity and a slot for every fact of facts.yaml, in its order (the
  actions fill the slots; the policies, not the dialogue, read them);
- ``words: responses``: Rasa's fixed responses, the ``utter_*`` sentences of words.yaml ``conversation``, so that
  every sentence the assistant says is written once, in words.yaml.

``python -m policy_db domain`` rewrites domain.yml; ``--check`` says whether it is what the data makes. Plain text
in, plain text out: no Rasa here (policy_db imports none).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .sources import DATA_DIR, WORDS

DOMAIN = DATA_DIR.parent / "domain.yml"
_BLOCK = re.compile(r"(?P<open>^(?P<indent>[ \t]*)# >>> (?P<name>[\w:. ]+?) \(generated[^\n]*\n)(?P<body>.*?)"
                    r"(?P<close>^[ \t]*# <<< (?P=name)\n)", re.MULTILINE | re.DOTALL)
_SLOT = "{type: any, influence_conversation: false, mappings: [{type: custom}]}"


class DomainError(ValueError):
    """domain.yml lacks a marked block the data fills, or has one the data does not know."""


def _load(path: Path):
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def blocks(root: Path = DATA_DIR) -> dict[str, list[str]]:
    """The lines of each marked block (without their indent), from facts.yaml and words.yaml."""
    facts = list(_load(root / "facts.yaml"))
    said = _load(root / WORDS)["conversation"]
    return {
        "facts: entities": [f"- {name}" for name in facts],
        "facts: slots": [f"{name}: {_SLOT}" for name in facts],
        "words: responses": [f"{name}:\n  - text: {json.dumps(text, ensure_ascii=False)}"
                             for name, text in said.items() if name.startswith("utter_")],
    }


def generated(text: str, root: Path = DATA_DIR) -> str:
    """domain.yml's text with every marked block filled from the data."""
    wanted = blocks(root)
    found = [m["name"] for m in _BLOCK.finditer(text)]
    if sorted(found) != sorted(wanted):
        raise DomainError(f"domain.yml 的生成段应为 {sorted(wanted)}，实际为 {sorted(found)}")

    def fill(match: re.Match) -> str:
        indent = match["indent"]
        lines = "".join(f"{indent}{line}\n" for item in wanted[match["name"]] for line in item.split("\n"))
        return match["open"] + lines + match["close"]

    return _BLOCK.sub(fill, text)


def write(path: Path = DOMAIN, root: Path = DATA_DIR) -> bool:
    """Rewrites the marked blocks of ``path``; whether anything changed."""
    text = path.read_text(encoding="utf-8")
    new = generated(text, root)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def is_current(path: Path = DOMAIN, root: Path = DATA_DIR) -> bool:
    text = path.read_text(encoding="utf-8")
    return generated(text, root) == text
