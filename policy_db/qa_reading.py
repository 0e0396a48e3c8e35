"""What a message asks about the policy, read once per message: whether it asks at all, its topics, what it asks to
have computed, the measures it names and whether a document speaks to it. The readers are qa's and qa_cues' own; a
message (text, store, document) is read by them once, and every step of a turn that needs them — the reading of the
message, the answer, the computed answer — takes this one result instead of reading the text again."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from . import qa
from .qa_cues import computed_asked, is_question, topics_in
from .store import Store

_KEPT = 512
_read: OrderedDict[tuple, "Asked"] = OrderedDict()


@dataclass(frozen=True)
class Asked:
    question: bool                 # "房租能免几个月" asks; "租的国企的门面" does not
    topics: tuple[str, ...]        # qa_topics.yaml topics, in their priority order
    computed: tuple[str, ...]      # what it asks to have computed: sme_class, amount
    measures: tuple[str, ...]      # ids of the measures it names, best first
    about_policy: bool             # a document speaks to it (qa.is_about_policy)


def asked(text: str, store: Store, policy_id: str | None = None) -> Asked:
    """The message's reading as a question, made once per (text, store, document)."""
    key = (text, store.fingerprint, policy_id)
    if key in _read:
        _read.move_to_end(key)
        return _read[key]
    policy = store.policies[policy_id] if policy_id else None
    found = _read[key] = Asked(is_question(text), tuple(topics_in(text)), tuple(computed_asked(text)),
                               tuple(m.id for m in qa.measures_in(text, policy, store)),
                               qa.is_about_policy(text, store, policy_id))
    if len(_read) > _KEPT:
        _read.popitem(last=False)
    return found
