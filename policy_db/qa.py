"""Answers questions about the policies from the store, composed from the message's one reading
(policy_db.qa_reading.Asked): which document (its cue words, else every document in force for the place), which
measure (its words in the question, else the closest of the best-matching clause), what about it (a topic from
qa_topics.yaml), and the answer composed from that measure's data, always with its document, clause and
departments, and the measures of other documents on the same ground. Where a text says nothing the answer says so
(未作规定) and names who to ask; a document the store does not hold is said to be not held, never paraphrased; no
figure is ever made up: every figure comes from a parameter or a clause. Nothing here reads the message's text.
"""

from __future__ import annotations

import datetime as dt

from . import qa_documents as docs
from .model import Measure, Policy
from .qa_citing import source
from .qa_cues import Answer
from .qa_measure_answers import UNIT_OF_TOPIC, figures, one_measure, term_note
from .qa_other_areas import other_area
from .qa_passages import passage
from .qa_reading import Asked
from .qa_whole_document import about_policy, department_named, period, procedure
from .store import Store


def _other_years(asked: Asked, policy: Policy) -> bool:
    """A year the notice does not cover ("2023年…还是50%吗"): the notice says nothing about it."""
    start = policy.issued or policy.in_force_from
    covered = {start.year, policy.in_force_from.year, policy.in_force_until.year, start.year - 1}
    return any(y not in covered for y in asked.years)


def measures_asked(asked: Asked, store: Store, policy: Policy | None = None) -> list[Measure]:
    """The measures a message is about: those it names, else the closest measure of the best-matching clause
    (of ``policy``, or of every document in force for the place)."""
    named = [m for m in asked.named_in[policy.id]] if policy is not None else list(asked.pointed)
    if named:
        return named
    for p in [policy] if policy is not None else store.place_policies():
        closest = asked.clauses.closest_measure(p)
        if closest is not None:
            return [closest]
    return []


def answer(asked: Asked, store: Store, *, lender: bool = False, as_of: dt.date | None = None) -> Answer:
    """The answer to a message read as a question; ``lender`` when a bank or local financial organisation asks
    (their duties). Read without a document (``asked.policy_id``), every document in force for the place may
    answer, the place's own first."""
    home = store.default_policy
    if asked.policy_id:
        return _answer_in(asked, store, store.policies[asked.policy_id], [], lender, as_of, asked_in=True)
    if asked.elsewhere:
        return docs.elsewhere_answer(store, asked.elsewhere)
    cued = [store.policies[pid] for pid in asked.cued]
    if asked.not_held:
        return docs.not_held(store, asked.not_held)
    there = other_area(asked, store)
    if there:
        return there
    measures = list(asked.pointed)
    quoted = passage(asked, store, measures, store.place_policies())
    if quoted:
        return quoted
    if "extension" in asked.topics and (cued or measures):
        held = cued or [store.policies[m.policy] for m in measures]
        family = [p for m in measures for p, _ in docs.family(store, m)]
        documents = {p.id: p for p in [*held, *family]}
        return docs.extension(store, list(documents.values()))
    if "overview" in asked.topics and not measures:
        return docs.overview(store, [p for p in cued if p.id != home.id] or store.place_policies())
    if not measures:
        policy = next((p for p in cued if p.id != home.id), None) if "later" not in asked.topics else None
        return _answer_in(asked, store, policy or home, [], lender, as_of)
    main = measures[0]
    return _answer_in(asked, store, store.policies[main.policy], [main, *measures[1:]], lender, as_of)


def _leading(policy: Policy, documents: list[Policy]) -> list[Policy]:
    """The documents with ``policy`` first (the one a conversation is about)."""
    return sorted(documents, key=lambda p: p.id != policy.id)


def _answer_in(asked: Asked, store: Store, policy: Policy, named: list[Measure], lender: bool,
               as_of: dt.date | None, asked_in: bool = False) -> Answer:
    """The answer from one document (and, for a measure, those of other documents on the same ground, those of the
    documents the message points at first — by its cue words, or ``asked_in`` this one: "山东能免多久" leads with
    Shandong's months)."""
    home = store.default_policy
    topics = list(asked.topics)
    other_year = _other_years(asked, policy)
    if other_year:
        topics = ["not_stated", "dates", *topics]
    there = other_area(asked, store, policy) if asked_in else None
    if there:
        return there
    measures = named or [m for m in asked.named_in[policy.id] if m in store.measures_here(policy)]
    quoted = passage(asked, store, measures, _leading(policy, store.place_policies())) if asked_in else None
    if quoted:
        return quoted
    if not measures:
        for topic in topics:
            whole = about_policy(policy, store, topic, asked.terms, as_of)
            if whole:
                return whole
        by_department = department_named(asked.departments, policy) if policy.id == home.id else None
        if by_department:
            return by_department
        # another document asked for a figure ("能免几个月" about Shandong) answers from its closest measure
        figure = bool(set(topics) & set(UNIT_OF_TOPIC))
        measures = measures_asked(asked, store, policy) if policy.id == home.id or figure else []
        if policy.id != home.id and not measures:
            return docs.overview(store, [policy])
    elif "definition" in topics:
        whole = about_policy(policy, store, "definition", asked.terms, as_of)
        if whole:
            return whole
    if not measures:
        text = (f"抱歉，{policy.called}未作规定与此相关的内容。《{policy.short_title}》由{policy.issuer}发布，"
                f"您可以向其咨询，或换个说法问我。")
        return Answer(text, (), None, (policy.issuer,), False)
    return _about_measures(asked, store, policy, measures, topics, other_year, lender, asked_in)


def _about_measures(asked: Asked, store: Store, policy: Policy, measures: list[Measure], topics: list[str],
                    other_year: bool, lender: bool, asked_in: bool) -> Answer:
    """The answer about the measures found: the first with those of other documents on the same ground, the
    documents the message points at first; their departments together when that is what is asked."""
    home, main = store.default_policy, measures[0]
    topic = next((t for t in topics if t not in {"dates", "hotline", "definition"}), None)
    family = docs.family(store, main) or [(policy, main)]
    leading = set(asked.cued) | ({policy.id} if asked_in else set())
    family.sort(key=lambda pm: pm[0].id not in leading)
    if topic == "departments" and len(measures) > 1 and all(m.policy == main.policy for m in measures):
        departments = tuple(dict.fromkeys(d for m in measures for d in m.departments))
        text = "；".join(f"{m.title}：{'、'.join(m.departments)}" for m in measures) + "。"
        return Answer(f"{text}（依据{policy.clauses[main.clause].label}）", tuple(m.id for m in measures),
                      policy.clauses[main.clause].label, departments, True)
    # "大型企业社保能减多少": a measure whose text states the share (减半征收) answers with it, not with silence
    share = not other_year and asked.shares
    texts, stated, dated = [], True, set()
    for p, m in family:
        about = "rate" if topic == "not_stated" and share and figures(p, m, UNIT_OF_TOPIC["rate"]) else topic
        said, given = one_measure(store, p, m, about, [about, *topics], lender)
        stated = stated and given
        if (p, m) == family[0] and p.id != home.id and p.period and "dates" not in topics:
            said += f"执行期：{p.period}。"
        texts.append(f"{said}{source(p, m, home)}")
        if "dates" in topics and p.id not in dated:
            dated.add(p.id)
            texts[-1] += period(p)
    texts[-1] += term_note(asked.terms, policy, "".join(texts), home)
    how = procedure(store, [p for p, _ in family]) if "apply" in topics else ""
    if how:
        texts.append(how)
    ask = docs.consult(store, policy) if policy.department_role != "责任单位" else None
    if ask:
        texts.append(f"具体办理可向{ask}咨询。")
    departments = tuple(dict.fromkeys(d for p, m in family for d in m.departments)) + ((ask,) if ask else ())
    first, lead = family[0]
    return Answer("\n".join(texts), tuple(m.id for _, m in family), first.clauses[lead.clause].label, departments,
                  stated)
