"""What a message asks about the policy, read once per message: whether it asks at all, its topics, what it asks to
have computed, the measures and documents it names or points at, and whatever else of its words an answer turns on
(a place, an area, a year, a term, a department, a passage). The message's text is read here and only here; the
reading of the message (reading.interpretation), the answer (policy_db.qa) and the computed answer
(policy_db.computed) all take this one `Asked` instead of reading the text again."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Mapping

from .model import Measure, Policy
from .qa_cues import computed_asked, is_question, topics_in
from .qa_measures import ClauseSearch, measures_in, measures_pointed
from .qa_words import any_word, cue_file, has_word, learn_store
from .store import Store

_KEPT = 512
_read: OrderedDict[tuple, "Asked"] = OrderedDict()
POLICY_TOPICS = {"dates", "hotline", "definition", "who", "later", "basis", "addressees", "overview", "extension"}
MIN_SHARED_WORDS = 2
YEAR = re.compile(r"(20\d\d)年")


@dataclass(frozen=True)
class Asked:
    text: str
    policy_id: str | None          # the document the conversation is about, when one is
    question: bool                 # "房租能免几个月" asks; "租的国企的门面" does not
    topics: tuple[str, ...]        # qa_topics.yaml topics, in their priority order
    computed: tuple[str, ...]      # what it asks to have computed: sme_class, amount
    measures: tuple[str, ...]      # ids of the measures it names (of `policy_id`'s document, else of the best), best first
    about_policy: bool             # a document speaks to it
    named_in: Mapping[str, tuple[Measure, ...]]  # per document held: the measures of it the message names, best first
    pointed: tuple[Measure, ...]   # the measures it names, of the documents it points at by their cue words first
    cued: tuple[str, ...]          # the documents in force for the place it points at by their cue words (国家, 山东…)
    elsewhere: str | None          # a place the assistant does not serve ("济南那边有啥补贴")
    not_held: Mapping | None       # a document the store does not hold (qa_topics.yaml `not_held`)
    areas: tuple[tuple[str, tuple[Measure, ...]], ...]  # per document: its measures for an area the place is not in
    area_pointed: tuple[str, ...]  # of those documents, the ones it points at (cue words, or a measure here named)
    years: tuple[int, ...]         # years it names ("2023年…还是50%吗")
    terms: tuple[str, ...]         # terms of qa_topics.yaml it uses, in their order
    departments: tuple[str, ...]   # departments it names by a short name (人社局), in qa_topics.yaml's order
    shares: bool                   # it asks for a share ("能减多少")
    passages: tuple[str, ...]      # passage topics whose subject words it uses (qa_topics.yaml `passages` `about`)
    clauses: ClauseSearch = field(compare=False, repr=False)  # each document's best-matching clause, searched once


def asked(text: str, store: Store, policy_id: str | None = None) -> Asked:
    """The message's reading as a question, made once per (text, store, document)."""
    key = (text, store.fingerprint, policy_id)
    if key in _read:
        _read.move_to_end(key)
        return _read[key]
    found = _read[key] = read(text, store, policy_id)
    if len(_read) > _KEPT:
        _read.popitem(last=False)
    return found


def is_about_policy(text: str, store: Store, policy_id: str | None = None) -> bool:
    """Whether a message, whatever its intent, asks something a document speaks to (from its one reading)."""
    return asked(text, store, policy_id).about_policy


def read(text: str, store: Store, policy_id: str | None = None) -> Asked:
    """Every reader of the Q&A over the message, once; jieba knows every cue word of the store first, so a
    message reads the same whichever is read first."""
    learn_store(store)
    cues = cue_file()
    cued = tuple(p for p in store.place_policies() if any_word(text, p.cues))
    named_in = {pid: tuple(measures_in(text, p)) for pid, p in store.policies.items()}
    areas = _area_measures(text, store)
    measures = named_in[policy_id] if policy_id else tuple(measures_in(text, None, store))
    reading = dict(
        text=text, policy_id=policy_id, question=is_question(text), topics=tuple(topics_in(text)),
        computed=tuple(computed_asked(text)), measures=tuple(m.id for m in measures), named_in=named_in,
        pointed=tuple(measures_pointed(text, store, list(cued))), cued=tuple(p.id for p in cued),
        elsewhere=next((p for p in cues["other_places"] if has_word(text, p) and p not in store.place.within), None),
        not_held=_not_held_named(text), areas=tuple((p.id, tuple(there)) for p, there in areas),
        area_pointed=tuple(p.id for p, _ in areas if p in cued or any(_named(text, m) for m in store.measures_here(p))),
        years=tuple(int(y) for y in YEAR.findall(text)),
        terms=tuple(t for t in cues["terms"] if has_word(text, t)),
        departments=tuple(a for a in cues["departments"] if has_word(text, a)),
        shares=any_word(text, cues["shares_asked"]),
        passages=tuple(t for t, where in cues["passages"].items() if any_word(text, where["about"])),
        clauses=ClauseSearch(text, store))
    reading["about_policy"] = _speaks_to(reading, store, any_word(text, cues["policy_words"]))
    return Asked(**reading)


def _speaks_to(reading: dict, store: Store, policy_words: bool) -> bool:
    """Whether a document speaks to the message: it names a measure, a department or a document (held or not), or
    asks about a document's dates, hotline, terms or whom it supports, or shares words with a clause."""
    policy_id, topics = reading["policy_id"], POLICY_TOPICS & set(reading["topics"])
    if reading["measures"] or reading["departments"]:
        return True
    if (reading["elsewhere"] or reading["areas"]) and reading["question"]:
        return True
    if reading["not_held"] or (policy_id is None and reading["cued"] and topics):
        return True
    if topics and policy_words:
        return True
    policy = store.policies[policy_id] if policy_id else store.default_policy
    return reading["question"] and reading["clauses"].shared_words(policy) >= MIN_SHARED_WORDS


def _not_held_named(text: str) -> dict | None:
    """A document the store does not hold that the message names (unless it asks one of the document's own
    topics of another)."""
    topics = set(topics_in(text))
    for doc in cue_file()["not_held"]:
        if any_word(text, doc["words"]) and not topics & set(doc.get("except_topics", ())):
            return doc
    return None


def _named(text: str, measure: Measure) -> bool:
    return any_word(text, (measure.title, *measure.keywords))


def _area_measures(text: str, store: Store) -> list[tuple[Policy, list[Measure]]]:
    """Measures for an area the place is not in that the message names by their own words ("湖北"), by document
    (in a city of 湖北省 it is those "除湖北省外" that are elsewhere, and they are for 全国, where it is too)."""
    found = []
    for p in store.place_policies():
        there = [m for m in p.measures if m.area and m.area.within not in store.place.within and _named(text, m)]
        if there:
            found.append((p, there))
    return found
