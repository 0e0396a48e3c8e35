"""Answers questions about the policies from the store: which document (its cue words, else every document in
force for the place), which measure (its words in the question, else full-text search), what about it (a topic from
qa_topics.yaml), and the answer composed from that measure's data, always with its document, clause and
departments, and the measures of other documents on the same ground. Where a text says nothing the answer says so
(未作规定) and names who to ask; a document the store does not hold is said to be not held, never paraphrased; no
figure is ever made up: every figure comes from a parameter or a clause.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from . import qa_documents as docs
from .model import Measure, Policy
from .qa_citing import quote, source
from .qa_cues import Answer, cue_file, is_question, topics_in  # noqa: F401  (is_question, Answer: part of the API)
from .qa_other_areas import area_measures, other_area
from .qa_words import any_word, has_word, learn, lessons, measure_words
from .store import Store, words

UNIT_OF_TOPIC = {"rate": {"percent"}, "cap": {"yuan"}, "months": {"months"}}
FIGURE_UNITS = set().union(*UNIT_OF_TOPIC.values())


def _other_years(question: str, policy: Policy) -> bool:
    """A year the notice does not cover ("2023年…还是50%吗"): the notice says nothing about it."""
    start = policy.issued or policy.in_force_from
    covered = {start.year, policy.in_force_from.year, policy.in_force_until.year, start.year - 1}
    return any(int(y) not in covered for y in re.findall(r"(20\d\d)年", question))


def measures_in(question: str, policy: Policy | None, store: Store | None = None) -> list[Measure]:
    """Measures whose title or keywords the question uses as words (policy_db.qa_words: "合同额" names no 合同), best
    first: the more, longer and more specific
    words of a measure the question uses, the better; only the best-scoring measures are returned. A word that
    other measures also speak of ("减免房租" is in three titles) counts for less than one only this measure has
    ("孵化器"). ``policy`` None: each document in force for the place is scored on its own and the best-scoring
    document's measures win (the place's own on a tie)."""
    if policy is None:
        best, found = 0.0, []
        for p in store.place_policies():
            score, measures = _best(question, store.measures_here(p))
            if score > best:
                best, found = score, measures
        return found
    return _best(question, policy.measures)[1]


def _best(question: str, measures: tuple[Measure, ...]) -> tuple[float, list[Measure]]:
    """The best score among ``measures`` and the measures that have it; scored once per question and set of
    measures (the reading of a message, its answer and its computed answer all ask)."""
    learn(phrases=measure_words(measures))
    key = (question, tuple(m.id for m in measures), lessons())
    if key not in _SCORED:
        spread = _word_spread(measures)
        scores = {m.id: sum(len(w) / spread[w] for w in set((m.title, *m.keywords)) if has_word(question, w))
                  for m in measures}
        best = max(scores.values(), default=0)
        _SCORED[key] = best, tuple(m for m in measures if best and scores[m.id] == best)
        if len(_SCORED) > _SCORED_KEPT:
            _SCORED.pop(next(iter(_SCORED)))
    best, found = _SCORED[key]
    return best, list(found)


_SCORED: dict[tuple, tuple[float, tuple[Measure, ...]]] = {}
_SCORED_KEPT = 2048


@lru_cache(maxsize=32)
def _word_spread(measures: tuple[Measure, ...]) -> dict[str, int]:
    """For every title and keyword: how many measures use it in their title, keywords or text (once per set).

    Cached by the measures themselves (they are frozen): a set made afresh for each question (a document's measures
    for the place) finds its entry, and the cache stays bounded."""
    texts = [" ".join((m.title, *m.keywords, m.excerpt)) for m in measures]
    words = {w for m in measures for w in (m.title, *m.keywords)}
    return {w: max(1, sum(1 for t in texts if w in t)) for w in words}


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _figures(policy: Policy, measure: Measure, units: set[str]) -> list[str]:
    params = [policy.parameters[n] for n in measure.parameter_names(policy.parameters)]
    return [f"{p.description}：{p.text}" for p in params if p.unit in units and p.reference == measure.clause]


def _about_measure(policy: Policy, measure: Measure, topic: str | None, topics: list[str]) -> tuple[str, bool]:
    """The sentences answering ``topic`` about one measure, and whether the notice states it."""
    if topic in UNIT_OF_TOPIC:
        units = set().union(*(UNIT_OF_TOPIC[t] for t in topics if t in UNIT_OF_TOPIC))
        figures = _figures(policy, measure, units)
        if figures:
            return f"{'；'.join(figures)}。{quote(measure, policy)}", True
        given, missing = _figures(policy, measure, FIGURE_UNITS), cue_file()["figures_missing"]
        if given and units != UNIT_OF_TOPIC["months"]:  # "房租减免能省多少": the months the clause gives
            return f"{'；'.join(given)}。{quote(measure, policy)}", True
        if given:  # "稳岗返还能返几个月": no months, but a share
            lead = missing["months"].format(called=policy.called, title=measure.title)
            return f"{lead}{'；'.join(given)}。{quote(measure, policy)}", False
        if measure.not_given:
            return f"{policy.called}未作规定：{measure.not_given}。{measure.title}：{measure.summary}", False
        return missing["any"].format(called=policy.called, title=measure.title) + measure.summary, False
    if topic == "departments":
        return f"{measure.title}的责任单位是{'、'.join(measure.departments)}。{quote(measure, policy)}", True
    if topic == "approval":
        if measure.approval:
            return f"{measure.title}须{measure.approval}。{quote(measure, policy)}", True
        return f"{policy.called}未作规定{measure.title}的审批程序。{quote(measure, policy)}", False
    if topic == "not_stated":
        missing = f"（{measure.not_given}）" if measure.not_given else ""
        return (f"{policy.called}未作规定这方面的具体内容{missing}，请向{'、'.join(measure.departments)}咨询。"
                f"关于{measure.title}，{quote(measure, policy)}"), False
    if topic == "who":
        lead = ""
        if measure.audience == "enterprise" and policy.scope_quote:
            clause = policy.clauses[policy.references["scope"]].label
            lead = f"支持对象：“{policy.scope_quote}”（{clause}）。"
        return f"{measure.title}：{quote(measure, policy)}{lead}", True
    return f"{measure.title}：{quote(measure, policy)}", True


def _sentence(clause_text: str, contains: str) -> str:
    return next(s for s in re.split(r"(?<=[。;；])", clause_text) if contains in s).strip()


def _phrase(clause_text: str, contains: str) -> str:
    """The words between the stops around ``contains``, verbatim: a passage quotes what answers, not the paragraph."""
    return next(s for s in re.split(r"[。;；:：,，]", clause_text) if contains in s).strip()


def _procedure(store: Store, documents: list[Policy]) -> str:
    """'办理程序：通知原文：“各项政策依照规定的程序和权限办理”（依据通知末段）' for each of ``documents`` whose words say
    how its measures are handled (qa_topics.yaml `procedure`); "" when none does."""
    where, home = cue_file()["procedure"], store.default_policy
    lines = []
    for p in {p.id: p for p in documents}.values():
        clause = p.clauses.get(p.references.get(where["clause"], ""))
        if clause is None or where["contains"] not in clause.text:
            continue
        cited = "" if p.id == home.id else (p.number or f"《{p.short_title}》")
        lines.append(f"{where['lead']}{p.called}原文：“{_phrase(clause.text, where['contains'])}”（依据{cited}{clause.label}）")
    return "\n".join(lines)


def _standing(policy: Policy, as_of: dt.date) -> str:
    """Whether the document was in force on the day asked about, from its dates (never a fixed "已到期")."""
    if as_of > policy.in_force_until:
        return "已执行期满，按其测算的金额仅供参考"
    if as_of < policy.in_force_from:
        return "尚未施行"
    return "在执行期内"


def _about_policy(policy: Policy, store: Store, topic: str, question: str,
                  as_of: dt.date | None = None) -> Answer | None:
    """Questions about a document as a whole: dates, the hotline, whom it supports, what its terms mean."""
    as_of = as_of or dt.date.today()
    if topic == "dates":
        clause = policy.clauses[policy.references.get("in_force", "scope")]
        issued = f"于{_date(policy.issued)}发布，" if policy.issued else ""
        text = (f"《{policy.short_title}》由{policy.issuer}{issued}{_period_words(policy)}，"
                f"{_standing(policy, as_of)}（依据{clause.label}）。")
        return Answer(text, (), clause.label, (policy.issuer,), True)
    if topic == "hotline" and policy.hotline:
        clause = policy.clauses[policy.references["hotline"]]
        text = (f"“{policy.hotline}”是{clause.label}所列的法律服务热线。{policy.called}原文："
                f"“{_sentence(clause.text, policy.hotline)}”（依据{clause.label}，{policy.department_role}："
                f"{policy.hotline_department}）")
        return Answer(text, tuple(m.id for m in policy.measures if m.clause == clause.number), clause.label,
                      (policy.hotline_department,), True)
    if topic == "who" and policy.scope_quote:
        scope = policy.clauses[policy.references["scope"]]
        c = store.classification_for(policy)
        rule = c.reading_rules[0].split("：", 1)[-1] if c.reading_rules else ""
        text = (f"{policy.called}原文：“{policy.scope_quote}”（依据{scope.label}）。是否属于中小企业按"
                f"《{c.title}》（{c.document}）划型：{rule}")
        return Answer(text, (), scope.label, (policy.issuer,), True)
    if topic == "apply":
        procedure = _procedure(store, [policy])
        if procedure:
            alone = cue_file()["procedure"]["alone"].format(called=policy.called, department_role=policy.department_role)
            clause = policy.clauses[policy.references[cue_file()["procedure"]["clause"]]]
            return Answer(f"{alone}\n{procedure}", (), clause.label, (policy.issuer,), False)
        return None
    if topic in cue_file()["sentences"]:
        where = cue_file()["sentences"][topic]
        if where["clause"] not in policy.references:
            return None
        clause = policy.clauses[policy.references[where["clause"]]]
        if where["contains"] not in clause.text:
            return None
        sentence = next(s for s in re.split(r"(?<=。)", clause.text) if where["contains"] in s)
        lead = where.get("lead", "").format(implements=policy.implements, issuer=policy.issuer)
        text = f"{lead}{policy.called}原文：“{sentence.strip()}”（依据{clause.label}，发文单位：{policy.issuer}）"
        if topic == "later":
            text += docs.documents_held(store, policy)
        return Answer(text, (), clause.label, (policy.issuer,), True)
    if topic == "definition":
        for term, meaning in cue_file()["terms"].items():
            if has_word(question, term):
                return _define(policy, store, term, meaning)
    return None


def _department_named(question: str, policy: Policy) -> Answer | None:
    """'人社局的电话' — a department by its short name: what it handles, and that the notice gives no contacts."""
    for alias, name in cue_file()["departments"].items():
        if has_word(question, alias):
            handled = [m for m in policy.measures if name in m.departments]
            listing = "、".join(f"{m.id} {m.title}" for m in handled)
            text = (f"{policy.called}未作规定{name}的联系方式或办理细节，请直接向{name}咨询。"
                    f"按{policy.called}，{name}负责：{listing}。")
            clause = policy.clauses[handled[0].clause].label if handled else None
            return Answer(text, tuple(m.id for m in handled), clause, (name,), False)
    return None


def _term_note(question: str, policy: Policy, answered: str) -> str:
    """The meaning of a term the question touches (e.g. 裁员 → how 少裁员 is read), when not already said."""
    for term, meaning in cue_file()["terms"].items():
        if has_word(question, term) and "parameters" in meaning:
            params = [policy.parameters[n] for n in meaning["parameters"]]
            if not all(p.text in answered for p in params):
                refs = "、".join(dict.fromkeys(p.reference for p in params))
                return f"另：{policy.called}没有给“{meaning.get('defines', term)}”下定义，实践中按{refs}执行：" + "；".join(
                    f"{p.description}（{p.text}）" for p in params) + "。"
    return ""


def _define(policy: Policy, store: Store, term: str, meaning: dict) -> Answer:
    if meaning.get("classification"):
        c = store.classification_for(policy)
        clause = policy.clauses[policy.references.get("classification", "scope")]
        rules = "".join(rule.split("：", 1)[-1] for rule in c.reading_rules[:2])
        text = (f"“{term}”按《{c.title}》（{c.document}）划分：{rules}告诉我行业和人数、营业收入，"
                f"我可以帮您判断（依据{clause.label}，发文单位：{policy.issuer}）。")
        return Answer(text, (), clause.label, (policy.issuer,), True)
    if "measure" in meaning:
        m = policy.measure(str(meaning["measure"]))
        return Answer(f"“{term}”：{m.summary}{source(policy, m)}", (m.id,), policy.clauses[m.clause].label,
                      m.departments, True)
    params = [policy.parameters[n] for n in meaning["parameters"]]
    refs = "、".join(dict.fromkeys(p.reference for p in params))
    defined = "；".join(f"{p.description}（{p.text}）" for p in params)
    text = f"{policy.called}本身没有给“{meaning.get('defines', term)}”下定义；实践中按{refs}执行：{defined}。"
    m = next((m for m in policy.measures if set(meaning["parameters"]) & set(m.parameter_names(policy.parameters))),
             None)
    if m is None:  # a term of the notice as a whole, used by no single measure
        return Answer(f"{text}（责任单位：{policy.issuer}）", (), None, (policy.issuer,), True)
    return Answer(f"{text}{source(policy, m)}", (m.id,), policy.clauses[m.clause].label, m.departments, True)


def _passage(question: str, store: Store, measures: list[Measure], documents: list[Policy]) -> Answer | None:
    """A topic the texts answer in sentences of their own (qa_topics.yaml `passages`: "三险是哪几个", "员工个人那部分也
    免吗"), quoted from whichever of ``documents`` hold them, when the question names no measure or one it concerns."""
    home, topics = store.default_policy, topics_in(question)
    for topic, where in cue_file()["passages"].items():
        concerned = [question, *(m.title for m in measures)]
        if topic not in topics or (measures and not any(any_word(w, where["about"]) for w in concerned)):
            continue
        quotes = [(p, c, _phrase(c.text, says)) for says in where["says"] for p in documents
                  for c in p.clauses.values() if says in c.text]
        if not quotes:
            continue
        lines = [f"{p.called}原文：“{sentence}”（依据{'' if p.id == home.id else p.number or f'《{p.short_title}》'}"
                 f"{c.label}，发文单位：{p.issuer}）" for p, c, sentence in quotes]
        asks = tuple(dict.fromkeys(a for p, _, _ in quotes if (a := docs.consult(store, p))))
        if asks:
            lines.append(f"具体办理可向{'、'.join(asks)}咨询。")
        issuers = tuple(dict.fromkeys(p.issuer for p, _, _ in quotes))
        return Answer("\n".join([where["lead"], *lines]), (), quotes[0][1].label, issuers + asks, True)
    return None


def _leading(policy: Policy, documents: list[Policy]) -> list[Policy]:
    """The documents with ``policy`` first (the one a conversation is about)."""
    return sorted(documents, key=lambda p: p.id != policy.id)


def _closest(question: str, candidates: list[Measure]) -> Measure:
    """Among the measures of one clause, the one sharing most characters with the question."""
    asked = set(question)
    return max(candidates, key=lambda m: len(asked & set(m.title + "".join(m.keywords) + m.summary)))


POLICY_TOPICS = {"dates", "hotline", "definition", "who", "later", "basis", "addressees", "overview", "extension"}


def is_about_policy(question: str, store: Store, policy_id: str | None = None) -> bool:
    """Whether a message, whatever its intent, asks something a document speaks to: it names a measure, a
    department or a document (held or not), or asks about a document's dates, hotline, terms or whom it supports."""
    policy = store.policies[policy_id] if policy_id else None
    if measures_in(question, policy, store) or any_word(question, cue_file()["departments"]):
        return True
    if (docs.elsewhere(question, store) or area_measures(question, store)) and is_question(question):
        return True
    if docs.not_held_named(question) or (policy is None and docs.documents_cued(question, store)
                                     and POLICY_TOPICS & set(topics_in(question))):
        return True
    if POLICY_TOPICS & set(topics_in(question)) and any_word(question, cue_file()["policy_words"]):
        return True
    return is_question(question) and _shared_words(question, store, policy or store.default_policy) >= MIN_SHARED_WORDS


MIN_SHARED_WORDS = 2


def _shared_words(question: str, store: Store, policy: Policy) -> int:
    """How many of the question's words its best-matching clause contains ("防疫物资检测要钱吗": 物资, 检测)."""
    hits = store.search(question, limit=1, policy=policy.id)
    return sum(1 for w in words(question) if len(w) > 1 and hits and w in hits[0].text) if hits else 0


def measures_pointed(question: str, store: Store) -> list[Measure]:
    """The measures a question names, of the documents it points at by their cue words when it names some there
    ("国家的社保免征" is 人社部发〔2020〕11号's, though Shandong's statement uses the same words)."""
    measures = measures_in(question, None, store)
    cued = docs.documents_cued(question, store)
    if cued and measures and not {m.policy for m in measures} & {p.id for p in cued}:
        in_cued = [m for p in cued for m in measures_in(question, p) if m in store.measures_here(p)]
        measures = in_cued or measures
    return measures


def measures_asked(question: str, store: Store, policy: Policy | None = None) -> list[Measure]:
    """The measures a question is about: by their words, else the closest measure of the best-matching clause
    (of ``policy``, or of every document in force for the place)."""
    named = measures_in(question, policy, store) if policy is not None else measures_pointed(question, store)
    if named:
        return named
    for p in [policy] if policy is not None else store.place_policies():
        hits = store.search(question, limit=1, policy=p.id)
        if hits and hits[0].measures:
            here = {m.id for m in store.measures_here(p)}
            found = [p.measure(mid) for mid in hits[0].measures if mid in here]
            if found:
                return [_closest(question, found)]
    return []


def answer(question: str, store: Store, policy_id: str | None = None, *, lender: bool = False,
           as_of: dt.date | None = None) -> Answer:
    """The answer to a question; ``lender`` when a bank or local financial organisation asks (their duties).
    Without ``policy_id`` every document in force for the place may answer, the place's own first."""
    home = store.default_policy
    if policy_id:
        return _answer_in(question, store, store.policies[policy_id], [], lender, as_of, asked_in=True)
    elsewhere = docs.elsewhere(question, store)
    if elsewhere:
        return docs.elsewhere_answer(store, elsewhere)
    topics = topics_in(question)
    cued = docs.documents_cued(question, store)
    named = docs.not_held_named(question)
    if named:
        return docs.not_held(store, named)
    there = other_area(question, store)
    if there:
        return there
    measures = measures_pointed(question, store)
    passage = _passage(question, store, measures, store.place_policies())
    if passage:
        return passage
    if "extension" in topics and (cued or measures):
        held = cued or [store.policies[m.policy] for m in measures]
        family = [p for m in measures for p, _ in docs.family(store, m)]
        documents = {p.id: p for p in [*held, *family]}
        return docs.extension(store, list(documents.values()))
    if "overview" in topics and not measures:
        return docs.overview(store, [p for p in cued if p.id != home.id] or store.place_policies())
    if not measures:
        policy = next((p for p in cued if p.id != home.id), None) if "later" not in topics else None
        return _answer_in(question, store, policy or home, [], lender, as_of)
    main = measures[0]
    return _answer_in(question, store, store.policies[main.policy], [main, *measures[1:]], lender, as_of)


def _answer_in(question: str, store: Store, policy: Policy, named: list[Measure], lender: bool,
               as_of: dt.date | None, asked_in: bool = False) -> Answer:
    """The answer from one document (and, for a measure, those of other documents on the same ground, those of the
    documents the question points at first — by its cue words, or ``asked_in`` this one: "山东能免多久" leads with
    Shandong's months)."""
    home = store.default_policy
    topics = topics_in(question)
    other_year = _other_years(question, policy)
    if other_year:
        topics = ["not_stated", "dates", *topics]
    there = other_area(question, store, policy) if asked_in else None
    if there:
        return there
    measures = named or [m for m in measures_in(question, policy) if m in store.measures_here(policy)]
    passage = _passage(question, store, measures, _leading(policy, store.place_policies())) if asked_in else None
    if passage:
        return passage
    if not measures:
        for topic in topics:
            whole = _about_policy(policy, store, topic, question, as_of)
            if whole:
                return whole
        by_department = _department_named(question, policy) if policy.id == home.id else None
        if by_department:
            return by_department
        # another document asked for a figure ("能免几个月" about Shandong) answers from its closest measure
        figure = bool(set(topics) & set(UNIT_OF_TOPIC))
        measures = measures_asked(question, store, policy) if policy.id == home.id or figure else []
        if policy.id != home.id and not measures:
            return docs.overview(store, [policy])
    elif "definition" in topics:
        whole = _about_policy(policy, store, "definition", question, as_of)
        if whole:
            return whole
    if not measures:
        text = (f"抱歉，{policy.called}未作规定与此相关的内容。《{policy.short_title}》由{policy.issuer}发布，"
                f"您可以向其咨询，或换个说法问我。")
        return Answer(text, (), None, (policy.issuer,), False)
    main = measures[0]
    topic = next((t for t in topics if t not in {"dates", "hotline", "definition"}), None)
    family = docs.family(store, main) or [(policy, main)]
    leading = {p.id for p in docs.documents_cued(question, store)} | ({policy.id} if asked_in else set())
    family.sort(key=lambda pm: pm[0].id not in leading)
    if topic == "departments" and len(measures) > 1 and all(m.policy == main.policy for m in measures):
        departments = tuple(dict.fromkeys(d for m in measures for d in m.departments))
        text = "；".join(f"{m.title}：{'、'.join(m.departments)}" for m in measures) + "。"
        return Answer(f"{text}（依据{policy.clauses[main.clause].label}）", tuple(m.id for m in measures),
                      policy.clauses[main.clause].label, departments, True)
    # "大型企业社保能减多少": a measure whose text states the share (减半征收) answers with it, not with silence
    share = not other_year and any_word(question, cue_file()["shares_asked"])
    texts, stated, dated = [], True, set()
    for p, m in family:
        asked = "rate" if topic == "not_stated" and share and _figures(p, m, UNIT_OF_TOPIC["rate"]) else topic
        sentence, said = _one_measure(store, p, m, asked, [asked, *topics], lender)
        stated = stated and said
        if (p, m) == family[0] and p.id != home.id and p.period and "dates" not in topics:
            sentence += f"执行期：{p.period}。"
        texts.append(f"{sentence}{source(p, m, home)}")
        if "dates" in topics and p.id not in dated:
            dated.add(p.id)
            texts[-1] += _period(p)
    texts[-1] += _term_note(question, policy, "".join(texts))
    procedure = _procedure(store, [p for p, _ in family]) if "apply" in topics else ""
    if procedure:
        texts.append(procedure)
    ask = docs.consult(store, policy) if policy.department_role != "责任单位" else None
    if ask:
        texts.append(f"具体办理可向{ask}咨询。")
    departments = tuple(dict.fromkeys(d for p, m in family for d in m.departments)) + ((ask,) if ask else ())
    first, lead = family[0]
    return Answer("\n".join(texts), tuple(m.id for _, m in family), first.clauses[lead.clause].label, departments,
                  stated)


def _one_measure(store: Store, policy: Policy, measure: Measure, topic: str | None, topics: list[str],
                 lender: bool) -> tuple[str, bool]:
    kind = store.words.kinds[measure.kind]
    if lender and measure.to_lender:
        return f"{measure.title}：{kind.lender_lead}{measure.to_lender}", True
    sentence, stated = _about_measure(policy, measure, topic, topics)
    if kind.note:
        sentence += f"{kind.note}。"
    if measure.note:
        sentence += f"注：{measure.note}。"
    return sentence, stated


def _period_words(policy: Policy) -> str:
    """The period in the document's words, with its last day where those words do not give it."""
    until = _date(policy.in_force_until)
    if policy.period and until in policy.period:
        return policy.period
    return f"{policy.period}（至{until}）" if policy.period else f"执行至{until}"


def _period(policy: Policy) -> str:
    issued = f"于{_date(policy.issued)}发布，" if policy.issued else ""
    return f"《{policy.short_title}》{issued}{_period_words(policy)}。"
