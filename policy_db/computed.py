"""Answers to questions that carry their own facts (about the measures of every document in force for the place): "20个人的软件公司，年收入800万，算小微吗", "没裁员，去年失业保险
交了3万6，稳岗返还能拿多少". The class or the amount is computed by the engine from what the question states (and
what the conversation knows), with the rule row or the formula, the clause and the departments, and the conditions
it had to assume; the interview is offered, not forced. What a question asks to have computed is read from its
words (qa_topics.yaml `computed`): facts the conversation knows do not turn "房租减免找哪个部门" into a sum.
"""

from __future__ import annotations

from typing import Any, Mapping

from . import qa, report
from . import qa_documents as docs
from .assessment import MeasureResult
from .engine import estimate, evaluate
from .model import Measure, Policy
from .qa_reading import Asked
from .store import Store

CLASS_TOPIC = "sme_class"
AMOUNT_TOPIC = "amount"


def _class_answer(facts: Mapping[str, Any], store: Store, policy: Policy) -> str | None:
    classification = store.classification_for(policy)
    if facts.get(store.industry_fact) not in classification.rows:
        return None
    assessment = evaluate(facts, store=store, policy=policy.id)
    return f"按您说的：{assessment.sme_reason}。依据《{classification.title}》（{classification.document}）。"


def _amount_answer(store: Store, result: MeasureResult) -> str:
    measure = result.measure
    policy = store.policies[measure.policy]
    clause = result.clause_label if policy.id == store.default_policy.id else f"{policy.cited}{result.clause_label}"
    line = (f"按您说的数字，{measure.title}{measure.amount.label}{report.money(result.amount_yuan)}"
            f"（{result.formula}）。依据{clause}，{policy.department_role}：{'、'.join(measure.departments)}。")
    if measure.note:
        line += f"注：{measure.note}。"
    if result.status == "unknown":
        line += f"这是假定其他条件都符合时的估算，还没有核实：{'、'.join(result.missing_labels)}。"
    return line


def _with_formula(asked: Asked, store: Store, policy: Policy | None) -> list[Measure]:
    """The measures with a formula a question may ask the amount of: the best-named of each document (of those it
    points at by their cue words, when it names some there), with those that set their figures or stand on the same
    ground — 人社部发〔2020〕11号 only caps the months of the exemption, Shandong's statement sets them. Which of them
    the facts complete decides ("单位部分一个月八千，社保能省多少钱" names the city's deferral and the exemption)."""
    documents = [policy] if policy is not None else store.place_policies()
    named = [m for p in documents for m in asked.named_in[p.id] if m in store.measures_here(p)]
    named = [m for m in named if m.policy in asked.cued] or named or qa.measures_asked(asked, store, policy)
    family = [m for n in named for _, m in docs.family(store, n) or [(None, n)]]
    return [m for m in dict.fromkeys(family) if m.amount is not None]


def _computed(facts: Mapping[str, Any], store: Store, measure: Measure) -> list[MeasureResult]:
    """The measure's amount from the facts; when the facts rule it out, that of another measure of its clause that
    they do not rule out ("单位社保每月二十万，能免多少" for a large firm: not the exemption, the halving), saying
    what is still unchecked."""
    result = estimate(facts, measure.id, store=store, policy=measure.policy)
    if result.status != "ineligible":
        return [result]
    policy = store.policies[measure.policy]
    others = [m for m in store.measures_here(policy) if m.clause == measure.clause and m.amount and m != measure]
    results = [estimate(facts, m.id, store=store, policy=policy.id) for m in others]
    return [r for r in results if r.status != "ineligible"]


def computed_answer(asked: Asked, facts: Mapping[str, Any], store: Store) -> str | None:
    """The class or the amounts a message read as a question asks for (policy_db.qa_reading), computed from the
    facts it carries; None when it asks for neither or the facts do not suffice."""
    policy = store.policies[asked.policy_id] if asked.policy_id else store.default_policy
    lines = []
    if CLASS_TOPIC in asked.computed:
        lines.append(_class_answer(facts, store, policy))
    if AMOUNT_TOPIC in asked.computed:
        results = [r for m in _with_formula(asked, store, policy if asked.policy_id else None)
                   for r in _computed(facts, store, m)]
        results = {r.measure.id: r for r in results if r.amount_yuan is not None}
        lines += [_amount_answer(store, r) for r in results.values()]
    lines = [line for line in lines if line]
    return "\n".join(lines) if lines else None
