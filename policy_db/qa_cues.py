"""How a question says what it wants, from qa_topics.yaml: its topics, whether it asks at all, and the shape of an
answer. Shared by the answers about measures (policy_db.qa) and about documents (policy_db.qa_documents)."""

from __future__ import annotations

from dataclasses import dataclass

from .qa_words import any_word, cue_file


@dataclass(frozen=True)
class Answer:
    text: str
    measures: tuple[str, ...]
    clause: str | None
    departments: tuple[str, ...]
    stated: bool


def topics_in(question: str) -> list[str]:
    """The topics a question asks about, in the priority order of qa_topics.yaml; a cue counts where it is words
    of the question ("担保手续费能减吗" asks about no 手续)."""
    return [topic for topic, cues in cue_file()["topics"].items() if any_word(question, cues)]


def is_question(text: str) -> bool:
    """"房租能免几个月" is a question; "租的国企的门面" is not."""
    text = text.strip()
    return any(m in text for m in cue_file()["question_markers"]) or text.endswith(tuple(cue_file()["question_endings"]))


def computed_asked(question: str) -> list[str]:
    """What a question that carries its facts asks to have computed: `sme_class`, `amount` (qa_topics.yaml
    `computed`); kept apart from the topics, which the texts answer."""
    return [what for what, cues in cue_file()["computed"].items() if any_word(question, cues)]
