"""Answers questions about the policy from the store: which measure (its words in the question, else full-text
search), what about it (a topic from qa_topics.yaml), and the answer composed from that measure's data, always with
its clause and departments. Where the notice says nothing the answer says so (通知未作规定) and names who to ask;
no figure is ever made up: every figure comes from a parameter or a clause.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .model import Measure, Policy
from .store import Store, words

TOPICS_FILE = Path(__file__).with_name("qa_topics.yaml")
UNIT_OF_TOPIC = {"rate": {"percent"}, "cap": {"yuan"}, "months": {"months"}}


@dataclass(frozen=True)
class Answer:
    text: str
    measures: tuple[str, ...]
    clause: str | None
    departments: tuple[str, ...]
    stated: bool


@lru_cache(maxsize=1)
def _topics() -> dict:
    return yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))


def _other_years(question: str, policy: Policy) -> bool:
    """A year the notice does not cover ("2023年…还是50%吗"): the notice says nothing about it."""
    covered = {policy.issued.year, policy.in_force_until.year, policy.issued.year - 1}
    return any(int(y) not in covered for y in re.findall(r"(20\d\d)年", question))


def topics_in(question: str) -> list[str]:
    """The topics a question asks about, in the priority order of qa_topics.yaml."""
    found = []
    for topic, cues in _topics()["topics"].items():
        if any(str(cue) in question for cue in cues):
            found.append(topic)
    return found


def measures_in(question: str, policy: Policy) -> list[Measure]:
    """Measures whose title or keywords the question contains, best first: the more, longer and more specific
    words of a measure the question uses, the better; only the best-scoring measures are returned. A word that
    other measures also speak of ("减免房租" is in three titles) counts for less than one only this measure has
    ("孵化器")."""
    spread = _word_spread(policy)
    scores = {m.id: sum(len(w) / spread[w] for w in set((m.title, *m.keywords)) if w in question)
              for m in policy.measures}
    best = max(scores.values(), default=0)
    return [m for m in policy.measures if best and scores[m.id] == best]


_SPREADS: dict[int, tuple[Policy, dict[str, int]]] = {}


def _word_spread(policy: Policy) -> dict[str, int]:
    """For every title and keyword: how many measures use it in their title, keywords or text (once per policy)."""
    known = _SPREADS.get(id(policy))
    if known is None or known[0] is not policy:
        texts = [" ".join((m.title, *m.keywords, m.excerpt)) for m in policy.measures]
        words = {w for m in policy.measures for w in (m.title, *m.keywords)}
        known = _SPREADS[id(policy)] = (policy, {w: max(1, sum(1 for t in texts if w in t)) for w in words})
    return known[1]


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _source(policy: Policy, measure: Measure) -> str:
    return f"（依据{policy.clauses[measure.clause].label}，责任单位：{'、'.join(measure.departments)}）"


def _figures(policy: Policy, measure: Measure, units: set[str]) -> list[str]:
    params = [policy.parameters[n] for n in measure.parameter_names(policy.parameters)]
    return [f"{p.description}：{p.text}" for p in params if p.unit in units and p.reference == measure.clause]


def _quote(measure: Measure) -> str:
    """The measure's words, with how the data reads them where that is an interpretation (1.2's 失业保证金)."""
    reading = f"（{measure.reading}）" if measure.reading else ""
    return f"通知原文：“{measure.excerpt}”{reading}。"


def _about_measure(policy: Policy, measure: Measure, topic: str | None, topics: list[str]) -> tuple[str, bool]:
    """The sentences answering ``topic`` about one measure, and whether the notice states it."""
    if topic in UNIT_OF_TOPIC:
        units = set().union(*(UNIT_OF_TOPIC[t] for t in topics if t in UNIT_OF_TOPIC))
        figures = _figures(policy, measure, units)
        if figures:
            return f"{'；'.join(figures)}。{_quote(measure)}", True
        if measure.not_given:
            return f"通知未作规定：{measure.not_given}。{measure.title}：{measure.summary}", False
        return f"通知对{measure.title}没有规定具体数额或期限。{measure.summary}", False
    if topic == "departments":
        return f"{measure.title}的责任单位是{'、'.join(measure.departments)}。{_quote(measure)}", True
    if topic == "approval":
        if measure.approval:
            return f"{measure.title}须{measure.approval}。{_quote(measure)}", True
        return f"通知未作规定{measure.title}的审批程序。{_quote(measure)}", False
    if topic == "not_stated":
        missing = f"（{measure.not_given}）" if measure.not_given else ""
        return (f"通知未作规定这方面的具体内容{missing}，请向{'、'.join(measure.departments)}咨询。"
                f"关于{measure.title}，{_quote(measure)}"), False
    if topic == "who":
        scope = "；".join(c.holds for c in policy.scope if "{" not in c.holds)
        lead = f"本通知支持的是中小企业，且须{scope}。" if measure.audience == "enterprise" else ""
        return f"{measure.title}：{_quote(measure)}{lead}", True
    return f"{measure.title}：{_quote(measure)}", True


def _about_policy(policy: Policy, store: Store, topic: str, question: str) -> Answer | None:
    """Questions about the notice as a whole: dates, the hotline, what its terms mean."""
    scope_clause = policy.clauses[policy.references.get("in_force", "scope")]
    if topic == "dates":
        text = (f"《{policy.short_title}》由{policy.issuer}于{_date(policy.issued)}发布，自发布之日起执行至"
                f"{_date(policy.in_force_until)}，现已到期，按其测算的金额仅供参考（依据{scope_clause.label}）。")
        return Answer(text, (), scope_clause.label, (policy.issuer,), True)
    if topic == "hotline":
        clause = policy.clauses[policy.references["hotline"]]
        text = (f"企业新签订单的法律援助可拨打“{policy.hotline}”法律服务热线，存量订单的违约和纠纷也可申请法律援助"
                f"（依据{clause.label}，责任单位：{policy.hotline_department}）。")
        return Answer(text, tuple(m.id for m in policy.measures if m.clause == clause.number), clause.label,
                      (policy.hotline_department,), True)
    if topic == "who":
        scope = policy.clauses[policy.references.get("classification", "scope")]
        c = store.classification_for(policy)
        text = (f"本通知支持的是受疫情影响、生产经营遇到困难的中小企业，是否属于中小企业按《{c.title}》（{c.document}）"
                f"划分，大型企业不在支持范围内。通知原文：“{scope.text.split('。')[0]}。”（依据{scope.label}）")
        return Answer(text, (), scope.label, (policy.issuer,), True)
    if topic in _topics()["sentences"]:
        where = _topics()["sentences"][topic]
        clause = policy.clauses[policy.references[where["clause"]]]
        sentence = next(s for s in re.split(r"(?<=。)", clause.text) if where["contains"] in s)
        lead = where.get("lead", "").format(implements=policy.implements, issuer=policy.issuer)
        return Answer(f"{lead}通知原文：“{sentence.strip()}”（依据{clause.label}，发文单位：{policy.issuer}）", (),
                      clause.label, (policy.issuer,), True)
    if topic == "definition":
        for term, meaning in _topics()["terms"].items():
            if term in question:
                return _define(policy, store, term, meaning)
    return None


def _department_named(question: str, policy: Policy) -> Answer | None:
    """'人社局的电话' — a department by its short name: what it handles, and that the notice gives no contacts."""
    for alias, name in _topics()["departments"].items():
        if alias in question:
            handled = [m for m in policy.measures if name in m.departments]
            listing = "、".join(f"{m.id} {m.title}" for m in handled)
            text = (f"通知未作规定{name}的联系方式或办理细节，请直接向{name}咨询。按通知，{name}负责：{listing}。")
            clause = policy.clauses[handled[0].clause].label if handled else None
            return Answer(text, tuple(m.id for m in handled), clause, (name,), False)
    return None


def _term_note(question: str, policy: Policy, answered: str) -> str:
    """The meaning of a term the question touches (e.g. 裁员 → how 少裁员 is read), when not already said."""
    for term, meaning in _topics()["terms"].items():
        if term in question and "parameters" in meaning:
            params = [policy.parameters[n] for n in meaning["parameters"]]
            if not all(p.text in answered for p in params):
                refs = "、".join(dict.fromkeys(p.reference for p in params))
                return f"另：通知没有给“{meaning.get('defines', term)}”下定义，实践中按{refs}执行：" + "；".join(
                    f"{p.description}（{p.text}）" for p in params) + "。"
    return ""


def _define(policy: Policy, store: Store, term: str, meaning: dict) -> Answer:
    if meaning.get("classification"):
        c = store.classification_for(policy)
        clause = policy.clauses[policy.references.get("classification", "scope")]
        text = (f"“{term}”按《{c.title}》（{c.document}）划分：按行业分别看从业人员、营业收入或资产总额，"
                f"低于行业上限的为中小微型企业，再按下限分为中型、小型、微型。告诉我行业和人数、营业收入，"
                f"我可以帮您判断（依据{clause.label}，责任单位：{policy.issuer}）。")
        return Answer(text, (), clause.label, (policy.issuer,), True)
    if "measure" in meaning:
        m = policy.measure(str(meaning["measure"]))
        return Answer(f"“{term}”：{m.summary}{_source(policy, m)}", (m.id,), policy.clauses[m.clause].label,
                      m.departments, True)
    params = [policy.parameters[n] for n in meaning["parameters"]]
    refs = "、".join(dict.fromkeys(p.reference for p in params))
    defined = "；".join(f"{p.description}（{p.text}）" for p in params)
    text = f"通知本身没有给“{meaning.get('defines', term)}”下定义；实践中按{refs}执行：{defined}。"
    m = next((m for m in policy.measures if set(meaning["parameters"]) & set(m.parameter_names(policy.parameters))),
             None)
    if m is None:  # a term of the notice as a whole, used by no single measure
        return Answer(f"{text}（责任单位：{policy.issuer}）", (), None, (policy.issuer,), True)
    return Answer(f"{text}{_source(policy, m)}", (m.id,), policy.clauses[m.clause].label, m.departments, True)


def _closest(question: str, candidates: list[Measure]) -> Measure:
    """Among the measures of one clause, the one sharing most characters with the question."""
    asked = set(question)
    return max(candidates, key=lambda m: len(asked & set(m.title + "".join(m.keywords) + m.summary)))


POLICY_TOPICS = {"dates", "hotline", "definition", "who", "later", "basis", "addressees"}


def is_about_policy(question: str, store: Store, policy_id: str | None = None) -> bool:
    """Whether a message, whatever its intent, asks something the notice speaks to: it names a measure or a
    department, or asks about the notice's dates, hotline, terms or whom it supports."""
    policy = store.policies[policy_id] if policy_id else store.default_policy
    if measures_in(question, policy) or any(alias in question for alias in _topics()["departments"]):
        return True
    if POLICY_TOPICS & set(topics_in(question)) and any(w in question for w in _topics()["policy_words"]):
        return True
    return is_question(question) and _shared_words(question, store, policy) >= MIN_SHARED_WORDS


MIN_SHARED_WORDS = 2


def _shared_words(question: str, store: Store, policy: Policy) -> int:
    """How many of the question's words its best-matching clause contains ("防疫物资检测要钱吗": 物资, 检测)."""
    hits = store.search(question, limit=1, policy=policy.id)
    return sum(1 for w in words(question) if len(w) > 1 and hits and w in hits[0].text) if hits else 0


def is_question(text: str) -> bool:
    """"房租能免几个月" is a question; "租的国企的门面" is not."""
    text = text.strip()
    return any(m in text for m in _topics()["question_markers"]) or text.endswith(tuple(_topics()["question_endings"]))


def measures_asked(question: str, store: Store, policy: Policy) -> list[Measure]:
    """The measures a question is about: by their words, else the closest measure of the best-matching clause."""
    named = measures_in(question, policy)
    if named:
        return named
    hits = store.search(question, limit=1, policy=policy.id)
    if hits and hits[0].measures:
        return [_closest(question, [policy.measure(mid) for mid in hits[0].measures])]
    return []


def answer(question: str, store: Store, policy_id: str | None = None, *, lender: bool = False) -> Answer:
    """The answer to a question; ``lender`` when a bank or local financial organisation asks (their duties)."""
    policy = store.policies[policy_id] if policy_id else store.default_policy
    topics = topics_in(question)
    if _other_years(question, policy):
        topics = ["not_stated", "dates", *topics]
    measures = measures_in(question, policy)
    if not measures:
        for topic in topics:
            whole = _about_policy(policy, store, topic, question)
            if whole:
                return whole
        named = _department_named(question, policy)
        if named:
            return named
        measures = measures_asked(question, store, policy)
    elif "definition" in topics:
        whole = _about_policy(policy, store, "definition", question)
        if whole:
            return whole
    if not measures:
        text = (f"抱歉，通知未作规定与此相关的内容。《{policy.short_title}》由{policy.issuer}发布，"
                f"您可以向其咨询，或换个说法问我。")
        return Answer(text, (), None, (policy.issuer,), False)
    main = measures[0]
    topic = next((t for t in topics if t not in {"dates", "hotline", "definition"}), None)
    if topic == "departments" and len(measures) > 1:
        departments = tuple(dict.fromkeys(d for m in measures for d in m.departments))
        text = "；".join(f"{m.title}：{'、'.join(m.departments)}" for m in measures) + "。"
        return Answer(f"{text}（依据{policy.clauses[main.clause].label}）", tuple(m.id for m in measures),
                      policy.clauses[main.clause].label, departments, True)
    kind = store.words.kinds[main.kind]
    if lender and main.to_lender:
        sentence, stated = f"{main.title}：{kind.lender_lead}{main.to_lender}", True
    else:
        sentence, stated = _about_measure(policy, main, topic, topics)
        if kind.note:
            sentence += f"{kind.note}。"
    if "dates" in topics:
        sentence += _period(policy)
    sentence += _term_note(question, policy, sentence)
    return Answer(f"{sentence}{_source(policy, main)}", (main.id,), policy.clauses[main.clause].label,
                  main.departments, stated)


def _period(policy: Policy) -> str:
    return f"本通知自{_date(policy.issued)}发布之日起执行至{_date(policy.in_force_until)}。"
