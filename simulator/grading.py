"""Grading a trainee's statement against the engine: item by item, each mistake with its decisive condition and clause.

The trainee states what a hotline operator would tell the caller: the SME class, for each measure whether it applies
(适用 / 不适用 / 还不能确定, as the engine itself answers), the amount of each measure that applies, and the departments
to contact. The engine's assessment of the case's true facts is the answer key. Only the grade sheet's own words come
from grading.yaml; the policy's words (labels, titles, conditions, clauses, departments) come from the store.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from policy_db import Assessment, MeasureResult, Store, evaluate, load, next_questions
from policy_db.amounts import grouped
from policy_db.classification import CLASS_LABELS, class_label, class_rule

WORDS_FILE = Path(__file__).with_name("grading.yaml")
STATUSES = ("eligible", "ineligible", "unknown")
UNKNOWN_CLASS = "unknown"
MAX_AMOUNT = 1e13


class StatementError(ValueError):
    """A statement the grader cannot read (said to the trainee in Chinese; nothing is graded or recorded)."""


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    return yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Statement:
    """What the trainee tells the caller. ``sme_class`` is a key of CLASS_LABELS, or ``unknown`` (规模待定)."""

    sme_class: str | None
    measures: dict[str, str]
    amounts: dict[str, float]
    departments: frozenset[str]


@dataclass(frozen=True)
class Clause:
    label: str
    text: str


@dataclass(frozen=True)
class Item:
    """One graded item. ``measure`` is the measure id it counts toward in the running score (None for the class
    and departments)."""

    kind: str
    key: str
    title: str
    right: bool
    expected: str
    stated: str
    explanation: str | None = None
    clause: Clause | None = None
    figures: tuple[str, ...] = ()
    measure: str | None = None

    def to_payload(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "title": self.title, "right": self.right,
                "expected": self.expected, "stated": self.stated, "explanation": self.explanation,
                "clause": {"label": self.clause.label, "text": self.clause.text} if self.clause else None,
                "figures": list(self.figures), "measure": self.measure}


@dataclass(frozen=True)
class Grade:
    items: tuple[Item, ...]
    asked: int
    fewest: int
    words: dict[str, Any] = field(repr=False, default_factory=dict)
    not_asked: tuple[str, ...] = ()  # labels of facts the engine's interview asks that the trainee never did

    @property
    def right(self) -> int:
        return sum(i.right for i in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def mistakes(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if not i.right)

    def summary(self) -> str:
        w = self.words or words()
        share = self.right / self.total if self.total else 0.0
        return w["score"].format(right=self.right, total=self.total, percent=f"{share:.0%}")

    def questions_text(self) -> str:
        w = self.words or words()
        text = w["questions"].format(asked=self.asked, fewest=self.fewest)
        return f"{text}。{w['questions_fewer']}" if self.asked < self.fewest else text

    def not_asked_text(self) -> str | None:
        w = self.words or words()
        return w["not_asked"].format(facts="、".join(self.not_asked)) if self.not_asked else None

    def to_payload(self) -> dict[str, Any]:
        return {"right": self.right, "total": self.total, "summary": self.summary(),
                "questions": {"asked": self.asked, "fewest": self.fewest, "text": self.questions_text(),
                              "not_asked": list(self.not_asked), "not_asked_text": self.not_asked_text()},
                "tolerance": tolerance_text(), "items": [i.to_payload() for i in self.items]}


def tolerance_text() -> str:
    t = words()["tolerance"]
    return words()["tolerance_text"].format(yuan=grouped(t["yuan"]), percent=f"{t['share']:.0%}")


def within_tolerance(stated: float, expected: float) -> bool:
    t = words()["tolerance"]
    return abs(stated - expected) <= max(t["yuan"], t["share"] * abs(expected))


def home_results(assessment: Assessment) -> tuple[MeasureResult, ...]:
    """The measures a trainee is graded on: those of the place's own notice (the first document)."""
    return assessment.views[0].results if assessment.views else assessment.results


def assess(facts: Mapping[str, Any], store: Store, as_of: dt.date | None = None) -> Assessment:
    return evaluate(facts, as_of, store=store)


def status_label(store: Store, status: str) -> str:
    return words()["statuses"].get(status) or store.words.statuses[status]


def class_text(sme_class: str | None) -> str:
    if sme_class in CLASS_LABELS:
        return CLASS_LABELS[sme_class]
    return class_label(None) if sme_class == UNKNOWN_CLASS else words()["class_unknown_stated"]


def options(store: Store) -> dict[str, Any]:
    """What the statement form offers, all from the store: the classes, each measure of the notice (id, number,
    title, clause), the statuses, and every department the notice names."""
    policy = store.default_policy
    measures = store.measures_here(policy)
    departments = list(dict.fromkeys(d for m in measures for d in m.departments))
    return {"classes": [{"key": k, "label": v} for k, v in CLASS_LABELS.items()]
            + [{"key": UNKNOWN_CLASS, "label": class_label(None)}],
            "statuses": [{"key": s, "label": status_label(store, s)} for s in STATUSES],
            "measures": [{"id": m.id, "name": m.name, "title": m.title, "clause": policy.clauses[m.clause].label,
                          "has_amount": m.amount is not None} for m in measures],
            "departments": departments, "policy": policy.short_title, "tolerance": tolerance_text(),
            "items": dict(words()["items"])}


def _amount(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise StatementError("金额应为数字（元）")
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        raise StatementError("金额应为数字（元）") from None
    if not math.isfinite(number) or not 0 <= number < MAX_AMOUNT:
        raise StatementError("金额超出范围")
    return number


def read_statement(data: Any, store: Store) -> Statement:
    """A statement from untrusted JSON-like data: ids, statuses and departments must be the store's own."""
    if not isinstance(data, Mapping):
        raise StatementError("陈述应为一个对象")
    form = options(store)
    ids = {m["id"] for m in form["measures"]}
    sme_class = data.get("sme_class")
    if sme_class not in (None, "", *CLASS_LABELS, UNKNOWN_CLASS):
        raise StatementError("企业规模无效")
    measures = data.get("measures") or {}
    if isinstance(measures, list):
        measures = {m: "eligible" for m in measures}
    if not isinstance(measures, Mapping) or not all(k in ids and v in STATUSES for k, v in measures.items()):
        raise StatementError("措施或其判断无效")
    amounts = data.get("amounts") or {}
    if not isinstance(amounts, Mapping) or not all(k in ids for k in amounts):
        raise StatementError("金额对应的措施无效")
    departments = data.get("departments") or []
    if not isinstance(departments, list) or not all(d in form["departments"] for d in departments):
        raise StatementError("部门无效")
    return Statement(sme_class or None, dict(measures),
                     {k: _amount(v) for k, v in amounts.items() if v not in (None, "")}, frozenset(departments))


def _clause(r: MeasureResult) -> Clause:
    return Clause(r.clause_label, r.measure.excerpt)


def _class_rules(assessment: Assessment, store: Store, classes: list[str | None]) -> str:
    """The rules of the enterprise's row for the right class and the stated one: where the boundary lies."""
    classification = store.classification_for(assessment.policy)
    row = classification.rows.get(assessment.facts.get(store.industry_fact))
    if row is None:
        return assessment.sme_reason
    named = [c for c in dict.fromkeys(classes) if c in CLASS_LABELS]
    return "；".join(class_rule(row, c, classification.indicators) for c in named) or assessment.sme_reason


def _class_item(assessment: Assessment, store: Store, stated: str | None) -> Item:
    expected = assessment.sme_class or UNKNOWN_CLASS
    w = words()
    if stated == expected:
        return Item("class", "class", w["items"]["class"], True, class_text(expected), class_text(stated))
    classification = store.classification_for(assessment.policy)
    clause = Clause(f"《{classification.title}》（{classification.document}）",
                    _class_rules(assessment, store, [expected, stated]))
    return Item("class", "class", w["items"]["class"], False, class_text(expected), class_text(stated),
                w["explain"]["class"].format(expected=class_text(expected), reason=assessment.sme_reason), clause)


def _measure_item(r: MeasureResult, store: Store, stated: str) -> Item:
    right = stated == r.status
    explanation = None if right else words()["explain"]["measure"][r.status].format(why=r.why)
    return Item("measure", r.measure.id, r.measure.name, right, status_label(store, r.status),
                status_label(store, stated), explanation, None if right else _clause(r), measure=r.measure.id)


def _figures(r: MeasureResult) -> tuple[str, ...]:
    """The policy's figures an amount is computed with: '运营补贴上限：50万元'."""
    params, amount = r.policy.parameters, r.measure.amount
    names = [n for n in dict.fromkeys([*(amount.formula.names if amount else ()), r.measure.months_parameter])
             if n in params]
    return tuple(f"{params[n].description}：{params[n].text}" for n in names)


def _yuan(value: float) -> str:
    return words()["yuan"].format(amount=grouped(value))


def _amount_item(r: MeasureResult, stated: float | None) -> Item | None:
    """An amount is graded where the engine computes one, and where the trainee gave one the engine does not."""
    w = words()
    due = r.status == "eligible" and r.amount_yuan is not None
    if not due and stated is None:
        return None
    shown = _yuan(stated) if stated is not None else w["nothing_stated"]
    title = f"{r.measure.name}{w['items']['amount']}"
    if not due:
        return Item("amount", r.measure.id, title, False, w["nothing_stated"], shown, w["explain"]["amount_not_due"],
                    _clause(r), measure=r.measure.id)
    expected = _yuan(r.amount_yuan)
    if stated is None:
        text = w["explain"]["amount_missing"].format(expected=expected, formula=r.formula)
        return Item("amount", r.measure.id, title, False, expected, shown, text, _clause(r), _figures(r),
                    r.measure.id)
    if within_tolerance(stated, r.amount_yuan):
        return Item("amount", r.measure.id, title, True, expected, shown, measure=r.measure.id)
    text = w["explain"]["amount_wrong"].format(expected=expected, formula=r.formula, stated=shown)
    return Item("amount", r.measure.id, title, False, expected, shown, text, _clause(r), _figures(r), r.measure.id)


def _department_items(results: tuple[MeasureResult, ...], stated: frozenset[str]) -> list[Item]:
    """Every department of a measure that applies must be named; one named for none of them is a mistake."""
    w = words()
    responsible: dict[str, list[MeasureResult]] = {}
    for r in results:
        if r.status == "eligible":
            for d in r.measure.departments:
                responsible.setdefault(d, []).append(r)
    items = []
    title = w["items"]["department"]
    for d, rs in responsible.items():
        named = d in stated
        text = None if named else w["explain"]["department_missing"].format(
            department=d, measures="、".join(r.measure.name for r in rs))
        items.append(Item("department", d, f"{title}：{d}", named, d, d if named else w["nothing_stated"], text,
                          None if named else _clause(rs[0])))
    for d in sorted(stated - set(responsible)):
        items.append(Item("department", d, f"{title}：{d}", False, w["nothing_stated"], d,
                          w["explain"]["department_extra"].format(department=d)))
    return items


def interview(facts: Mapping[str, Any], store: Store, given: Mapping[str, Any] | None = None) -> list[str]:
    """The facts the engine's own interview asks about for these facts, in its order: each turn the first of
    ``next_questions`` not yet asked, answered from the facts (or left open when they do not hold it), until the
    engine has nothing left to ask. ``given`` is what the caller said before any question (by default who is
    asking, e.g. a bank)."""
    if given is None:
        given = {n: facts[n] for n, spec in store.facts.items() if spec.about_asker and n in facts}
    known = dict(given)
    asked: list[str] = []
    while True:
        question = next((q for q in next_questions(known, store=store) if q.fact not in asked and q.fact not in given),
                        None)
        if question is None:
            return asked
        asked.append(question.fact)
        if facts.get(question.fact) is not None:
            known[question.fact] = facts[question.fact]


def fewest_questions(facts: Mapping[str, Any], store: Store, given: Mapping[str, Any] | None = None) -> int:
    """How many questions the engine's interview needs for these facts (one fact a question)."""
    return len(interview(facts, store, given))


def grade(facts: Mapping[str, Any], statement: Statement, store: Store | None = None, *, asked: int = 0,
          as_of: dt.date | None = None, fewest: int | None = None, not_asked: tuple[str, ...] = ()) -> Grade:
    """The grade sheet of one statement about an enterprise with these (true) facts."""
    store = store or load()
    assessment = assess(facts, store, as_of)
    results = home_results(assessment)
    items = [_class_item(assessment, store, statement.sme_class)]
    items += [_measure_item(r, store, statement.measures.get(r.measure.id, "ineligible")) for r in results]
    items += [i for r in results if (i := _amount_item(r, statement.amounts.get(r.measure.id))) is not None]
    items += _department_items(results, statement.departments)
    fewest = fewest_questions(facts, store) if fewest is None else fewest
    return Grade(tuple(items), asked, fewest, words(), tuple(store.facts[f].label for f in not_asked))


def answer_key(facts: Mapping[str, Any], store: Store | None = None, as_of: dt.date | None = None) -> Statement:
    """The statement that scores full marks: what the engine says, as a trainee would state it."""
    store = store or load()
    assessment = assess(facts, store, as_of)
    results = home_results(assessment)
    return Statement(assessment.sme_class or UNKNOWN_CLASS, {r.measure.id: r.status for r in results},
                     {r.measure.id: r.amount_yuan for r in results
                      if r.status == "eligible" and r.amount_yuan is not None},
                     frozenset(d for r in results if r.status == "eligible" for d in r.measure.departments))
