"""What the answers say about one document as a whole rather than one measure: its dates and whether it is in force
on the day asked, its hotline, whom it supports, how its measures are applied for, the sentences of its own that
answer a topic (later documents, its basis, its addressees), what its terms mean, and a department it names."""

from __future__ import annotations

import datetime as dt
import re

from . import qa_documents as docs
from .model import Policy
from .qa_citing import source
from .qa_cues import Answer
from .qa_words import cue_file
from .report import day_text
from .store import Store


def sentence(clause_text: str, contains: str) -> str:
    return next(s for s in re.split(r"(?<=[。;；])", clause_text) if contains in s).strip()


def phrase(clause_text: str, contains: str) -> str:
    """The words between the stops around ``contains``, verbatim: a passage quotes what answers, not the paragraph."""
    return next(s for s in re.split(r"[。;；:：,，]", clause_text) if contains in s).strip()


def procedure(store: Store, documents: list[Policy]) -> str:
    """'办理程序：通知原文：“各项政策依照规定的程序和权限办理”（依据通知末段）' for each of ``documents`` whose words say
    how its measures are handled (qa_topics.yaml `procedure`); "" when none does."""
    where, home = cue_file()["procedure"], store.default_policy
    lines = []
    for p in {p.id: p for p in documents}.values():
        clause = p.clauses.get(p.references.get(where["clause"], ""))
        if clause is None or where["contains"] not in clause.text:
            continue
        cited = "" if p.id == home.id else (p.number or f"《{p.short_title}》")
        lines.append(f"{where['lead']}{p.called}原文：“{phrase(clause.text, where['contains'])}”（依据{cited}{clause.label}）")
    return "\n".join(lines)


def _standing(policy: Policy, as_of: dt.date) -> str:
    """Whether the document was in force on the day asked about, from its dates (never a fixed "已到期")."""
    if as_of > policy.in_force_until:
        return "已执行期满，按其测算的金额仅供参考"
    if as_of < policy.in_force_from:
        return "尚未施行"
    return "在执行期内"


def about_policy(policy: Policy, store: Store, topic: str, terms: tuple[str, ...],
                 as_of: dt.date | None = None) -> Answer | None:
    """Questions about a document as a whole: dates, the hotline, whom it supports, what the ``terms`` the
    question uses mean."""
    as_of = as_of or dt.date.today()
    if topic == "dates":
        clause = policy.clauses[policy.references.get("in_force", "scope")]
        issued = f"于{day_text(policy.issued)}发布，" if policy.issued else ""
        text = (f"《{policy.short_title}》由{policy.issuer}{issued}{period_words(policy)}，"
                f"{_standing(policy, as_of)}（依据{clause.label}）。")
        return Answer(text, (), clause.label, (policy.issuer,), True)
    if topic == "hotline" and policy.hotline:
        clause = policy.clauses[policy.references["hotline"]]
        text = (f"“{policy.hotline}”是{clause.label}所列的法律服务热线。{policy.called}原文："
                f"“{sentence(clause.text, policy.hotline)}”（依据{clause.label}，{policy.department_role}："
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
        how = procedure(store, [policy])
        if how:
            alone = cue_file()["procedure"]["alone"].format(called=policy.called, department_role=policy.department_role)
            clause = policy.clauses[policy.references[cue_file()["procedure"]["clause"]]]
            return Answer(f"{alone}\n{how}", (), clause.label, (policy.issuer,), False)
        return None
    if topic in cue_file()["sentences"]:
        where = cue_file()["sentences"][topic]
        if where["clause"] not in policy.references:
            return None
        clause = policy.clauses[policy.references[where["clause"]]]
        if where["contains"] not in clause.text:
            return None
        said = next(s for s in re.split(r"(?<=。)", clause.text) if where["contains"] in s)
        lead = where.get("lead", "").format(implements=policy.implements, issuer=policy.issuer)
        text = f"{lead}{policy.called}原文：“{said.strip()}”（依据{clause.label}，发文单位：{policy.issuer}）"
        if topic == "later":
            text += docs.documents_held(store, policy)
        return Answer(text, (), clause.label, (policy.issuer,), True)
    if topic == "definition":
        for term, meaning in cue_file()["terms"].items():
            if term in terms:
                return define(_defining(policy, store, meaning), store, term, meaning)
    return None


def _defining(policy: Policy, store: Store, meaning: dict) -> Policy:
    """The document a term is read by: ``policy`` when it holds what the meaning names (the measure, the
    parameters, where its scope or classification is said), else the place's own notice, whose terms they are
    ("三不一优是啥意思" asked about the VAT announcement)."""
    holds = (("measure" not in meaning or any(m.id == str(meaning["measure"]) for m in policy.measures))
             and all(n in policy.parameters for n in meaning.get("parameters", ()))
             and (not meaning.get("classification") or {"classification", "scope"} & set(policy.references)))
    return policy if holds else store.default_policy


def department_named(departments: tuple[str, ...], policy: Policy) -> Answer | None:
    """'人社局的电话' — a department by its short name: what it handles, and that the notice gives no contacts."""
    for alias, name in cue_file()["departments"].items():
        if alias in departments:
            handled = [m for m in policy.measures if name in m.departments]
            listing = "、".join(f"{m.id} {m.title}" for m in handled)
            text = (f"{policy.called}未作规定{name}的联系方式或办理细节，请直接向{name}咨询。"
                    f"按{policy.called}，{name}负责：{listing}。")
            clause = policy.clauses[handled[0].clause].label if handled else None
            return Answer(text, tuple(m.id for m in handled), clause, (name,), False)
    return None


def define(policy: Policy, store: Store, term: str, meaning: dict) -> Answer:
    """What a term means: the classification's rows, a measure's summary, or the parameters practice reads it by."""
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


def period_words(policy: Policy) -> str:
    """The period in the document's words, with its last day where those words do not give it."""
    until = day_text(policy.in_force_until)
    if policy.period and until in policy.period:
        return policy.period
    return f"{policy.period}（至{until}）" if policy.period else f"执行至{until}"


def period(policy: Policy) -> str:
    issued = f"于{day_text(policy.issued)}发布，" if policy.issued else ""
    return f"《{policy.short_title}》{issued}{period_words(policy)}。"
