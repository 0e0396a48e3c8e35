"""How a question says what it wants, from qa_topics.yaml: its topics, whether it asks at all, and the shape of an
answer. Shared by the answers about measures (policy_db.qa) and about documents (policy_db.qa_documents)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TOPICS_FILE = Path(__file__).with_name("qa_topics.yaml")


@dataclass(frozen=True)
class Answer:
    text: str
    measures: tuple[str, ...]
    clause: str | None
    departments: tuple[str, ...]
    stated: bool


@lru_cache(maxsize=1)
def cue_file() -> dict:
    """qa_topics.yaml as read: topics, question markers, documents not held, other places."""
    return yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))


def topics_in(question: str) -> list[str]:
    """The topics a question asks about, in the priority order of qa_topics.yaml."""
    found = []
    for topic, cues in cue_file()["topics"].items():
        if any(str(cue) in question for cue in cues):
            found.append(topic)
    return found


def is_question(text: str) -> bool:
    """"房租能免几个月" is a question; "租的国企的门面" is not."""
    text = text.strip()
    return any(m in text for m in cue_file()["question_markers"]) or text.endswith(tuple(cue_file()["question_endings"]))


def computed_asked(question: str) -> list[str]:
    """What a question that carries its facts asks to have computed: `sme_class`, `amount` (qa_topics.yaml
    `computed`); kept apart from the topics, which the texts answer."""
    return [what for what, cues in cue_file()["computed"].items() if any(str(cue) in question for cue in cues)]
