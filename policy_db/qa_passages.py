"""Topics the texts answer in sentences of their own (qa_topics.yaml `passages`: "三险是哪几个", "员工个人那部分也免吗"):
the answer quotes those sentences from whichever documents hold them, with clause, issuer and whom to ask."""

from __future__ import annotations

from . import qa_documents as docs
from .model import Measure, Policy
from .qa_cues import Answer
from .qa_reading import Asked
from .qa_whole_document import phrase
from .qa_words import any_word, cue_file
from .store import Store


def passage(asked: Asked, store: Store, measures: list[Measure], documents: list[Policy]) -> Answer | None:
    """The passage answering a topic the message asks, quoted from ``documents``, when it names no measure or one
    the passage concerns."""
    home = store.default_policy
    for topic, where in cue_file()["passages"].items():
        if topic not in asked.topics:
            continue
        concerned = topic in asked.passages or any(any_word(m.title, where["about"]) for m in measures)
        if measures and not concerned:
            continue
        quotes = [(p, c, phrase(c.text, says)) for says in where["says"] for p in documents
                  for c in p.clauses.values() if says in c.text]
        if not quotes:
            continue
        lines = [f"{p.called}原文：“{said}”（依据{'' if p.id == home.id else p.number or f'《{p.short_title}》'}"
                 f"{c.label}，发文单位：{p.issuer}）" for p, c, said in quotes]
        asks = tuple(dict.fromkeys(a for p, _, _ in quotes if (a := docs.consult(store, p))))
        if asks:
            lines.append(f"具体办理可向{'、'.join(asks)}咨询。")
        issuers = tuple(dict.fromkeys(p.issuer for p, _, _ in quotes))
        return Answer("\n".join([where["lead"], *lines]), (), quotes[0][1].label, issuers + asks, True)
    return None
