"""Grading a trainee's statement against the engine: item by item, each mistake with its decisive condition and clause.

The trainee states what a hotline operator would tell the caller: the SME class, for each measure of every document
of the place in force on the case's day (the city's notice, the province's and the nation's, as the store holds
them) whether it applies (适用 / 不适用 / 还不能确定, as the engine itself answers), what kind of help each that applies
is (the group the chat card shows it under), the amount of each that applies, and the departments to contact. The
engine's assessment of the case's true facts is the answer key: the same `evaluate` and the same groups the chat
shows. Only the grade sheet's own words come from grading.yaml; the policy's words (labels, titles, kinds,
conditions, clauses, departments) come from the store.
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
from policy_db.report_page import whom_to_ask

from .situation import as_of as case_day, in_force

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
    """What the trainee tells the caller. ``sme_class`` is a key of CLASS_LABELS, or ``unknown`` (规模待定);
    ``kinds`` the kind of help (words.yaml `kinds`) of each measure stated as applying."""

    sme_class: str | None
    measures: dict[str, str]
    amounts: dict[str, float]
    departments: frozenset[str]
    kinds: dict[str, str] = field(default_factory=dict)


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


def graded_results(assessment: Assessment) -> tuple[MeasureResult, ...]:
    """The measures a trainee is graded on: those of every document in force on the assessment's day, in the
    place's order of documents (the chat's own results, nothing recomputed)."""
    return tuple(r for v in assessment.views if in_force(v.policy, assessment.as_of) for r in v.results)


def assess(facts: Mapping[str, Any], store: Store, as_of: dt.date | None = None) -> Assessment:
    """The engine's assessment, as the chat makes it, as of the cases' day unless ``as_of`` says otherwise."""
    return evaluate(facts, as_of or case_day(store), store=store)


def status_label(store: Store, status: str) -> str:
    return words()["statuses"].get(status) or store.words.statuses[status]


def class_text(sme_class: str | None) -> str:
    if sme_class in CLASS_LABELS:
        return CLASS_LABELS[sme_class]
    return class_label(None) if sme_class == UNKNOWN_CLASS else words()["class_unknown_stated"]


def kind_label(store: Store, kind: str, lender: bool = False) -> str:
    """A kind of help as the chat card heads its group (a financial institution asking sees its own headings)."""
    k = store.words.kinds[kind]
    return (k.lender_heading or k.heading) if lender else k.heading


def departments(store: Store, r: MeasureResult) -> tuple[str, ...]:
    """Whom the caller is told to ask about a measure: its 责任单位, or for a document naming only its issuers the
    local department of its matter (the report's rule, policy_db.report_page.whom_to_ask)."""
    return whom_to_ask(store, r.policy, r.measure)


def documents(store: Store, day: dt.date | None = None) -> list:
    """The place's documents in force on the cases' day (or ``day``), in the place's order."""
    day = day or case_day(store)
    return [p for p in store.place_policies() if in_force(p, day)]


def _form(store: Store) -> dict[str, str]:
    day = case_day(store)
    return {k: v.format(place=store.place.name, day=f"{day.year}年{day.month}月{day.day}日")
            for k, v in words()["form"].items()}


def options(store: Store) -> dict[str, Any]:
    """What the statement form offers, all from the store: the classes, the documents in force on the cases' day
    each with its measures (id, number, title, clause), the statuses, the kinds of help, and every department a
    caller may be sent to."""
    w = words()
    docs, measures, asks = [], [], []
    for p in documents(store):
        here = store.measures_here(p)
        docs.append({"id": p.id, "heading": w["document"].format(level=p.level, cited=p.cited, period=p.period or ""),
                     "measures": [m.id for m in here]})
        for m in here:
            measures.append({"id": m.id, "name": m.name, "title": m.title, "clause": p.clauses[m.clause].label,
                             "has_amount": m.amount is not None, "policy": p.id})
            asks += whom_to_ask(store, p, m)
    return {"classes": [{"key": k, "label": v} for k, v in CLASS_LABELS.items()]
            + [{"key": UNKNOWN_CLASS, "label": class_label(None)}],
            "statuses": [{"key": s, "label": status_label(store, s)} for s in STATUSES],
            "kinds": [{"key": k, "label": kind_label(store, k)} for k in store.words.kinds],
            "measures": measures, "documents": docs, "departments": list(dict.fromkeys(asks)),
            "policy": store.default_policy.short_title, "tolerance": tolerance_text(), "items": dict(w["items"]),
            "form": _form(store)}


def _refused(reason: str) -> StatementError:
    return StatementError(words()["refused"][reason])


def _amount(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _refused("amount")
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        raise _refused("amount") from None
    if not math.isfinite(number) or not 0 <= number < MAX_AMOUNT:
        raise _refused("amount_range")
    return number


def read_statement(data: Any, store: Store) -> Statement:
    """A statement from untrusted JSON-like data: ids, statuses, kinds and departments must be the store's own."""
    if not isinstance(data, Mapping):
        raise _refused("statement")
    form = options(store)
    ids = {m["id"] for m in form["measures"]}
    sme_class = data.get("sme_class")
    if sme_class not in (None, "", *CLASS_LABELS, UNKNOWN_CLASS):
        raise _refused("class")
    measures = data.get("measures") or {}
    if isinstance(measures, list):
        measures = {m: "eligible" for m in measures}
    if not isinstance(measures, Mapping) or not all(k in ids and v in STATUSES for k, v in measures.items()):
        raise _refused("measures")
    kinds = data.get("kinds") or {}
    if not isinstance(kinds, Mapping) or not all(k in ids and v in store.words.kinds for k, v in kinds.items()):
        raise _refused("kinds")
    amounts = data.get("amounts") or {}
    if not isinstance(amounts, Mapping) or not all(k in ids for k in amounts):
        raise _refused("amounts")
    departments = data.get("departments") or []
    if not isinstance(departments, list) or not all(d in form["departments"] for d in departments):
        raise _refused("departments")
    return Statement(sme_class or None, dict(measures),
                     {k: _amount(v) for k, v in amounts.items() if v not in (None, "")}, frozenset(departments),
                     {k: v for k, v in kinds.items() if k in measures and measures[k] == "eligible"})


def _clause(assessment: Assessment, r: MeasureResult) -> Clause:
    """The sentence a measure rests on; a measure of another document than the notice names its document."""
    label = r.clause_label if r.policy.id == assessment.policy.id else f"{r.policy.cited}{r.clause_label}"
    return Clause(label, r.measure.excerpt)


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


def _measure_item(assessment: Assessment, r: MeasureResult, store: Store, stated: str) -> Item:
    right = stated == r.status
    explanation = None if right else words()["explain"]["measure"][r.status].format(why=r.why)
    return Item("measure", r.measure.id, assessment.name(r), right, status_label(store, r.status),
                status_label(store, stated), explanation, None if right else _clause(assessment, r),
                measure=r.measure.id)


def _kind_items(assessment: Assessment, store: Store, statement: Statement) -> list[Item]:
    """Each measure that applies, under the heading the chat card groups it by (`Assessment.groups`): the trainee
    must say what kind of help it is — the enterprise's own benefit, a request to a lender, an encouragement, a
    service, a benefit for the workers (a kind said of a measure not stated as applying counts for nothing). The
    explanation is the group's note, else the measure's summary."""
    w = words()
    items = []
    for g in assessment.groups(graded_results(assessment)):
        for r in g.results if g.status == "eligible" else ():
            said = statement.kinds.get(r.measure.id) if statement.measures.get(r.measure.id) == "eligible" else None
            shown = kind_label(store, said, assessment.for_lender) if said else w["nothing_stated"]
            title = f"{assessment.name(r)}{w['items']['kind']}"
            if said == g.kind:
                items.append(Item("kind", r.measure.id, title, True, g.title, shown, measure=r.measure.id))
                continue
            text = w["explain"]["kind"].format(expected=g.title, why=g.note or r.measure.summary)
            items.append(Item("kind", r.measure.id, title, False, g.title, shown, text, _clause(assessment, r),
                              measure=r.measure.id))
    return items


def _figures(r: MeasureResult) -> tuple[str, ...]:
    """The policy's figures an amount is computed with: '运营补贴上限：50万元'."""
    params, amount = r.policy.parameters, r.measure.amount
    names = [n for n in dict.fromkeys([*(amount.formula.names if amount else ()), r.measure.months_parameter])
             if n in params]
    return tuple(f"{params[n].description}：{params[n].text}" for n in names)


def _yuan(value: float) -> str:
    return words()["yuan"].format(amount=grouped(value))


def _amount_item(assessment: Assessment, r: MeasureResult, stated: float | None) -> Item | None:
    """An amount is graded where the engine computes one, and where the trainee gave one the engine does not."""
    w = words()
    due = r.status == "eligible" and r.amount_yuan is not None
    if not due and stated is None:
        return None
    shown = _yuan(stated) if stated is not None else w["nothing_stated"]
    title = f"{assessment.name(r)}{w['items']['amount']}"
    clause = _clause(assessment, r)
    if not due:
        return Item("amount", r.measure.id, title, False, w["nothing_stated"], shown, w["explain"]["amount_not_due"],
                    clause, measure=r.measure.id)
    expected = _yuan(r.amount_yuan)
    if stated is None:
        text = w["explain"]["amount_missing"].format(expected=expected, formula=r.formula)
        return Item("amount", r.measure.id, title, False, expected, shown, text, clause, _figures(r), r.measure.id)
    if within_tolerance(stated, r.amount_yuan):
        return Item("amount", r.measure.id, title, True, expected, shown, measure=r.measure.id)
    text = w["explain"]["amount_wrong"].format(expected=expected, formula=r.formula, stated=shown)
    return Item("amount", r.measure.id, title, False, expected, shown, text, clause, _figures(r), r.measure.id)


def _department_items(assessment: Assessment, store: Store, stated: frozenset[str]) -> list[Item]:
    """Every department a caller is sent to for a measure that applies must be named; one named for none of them
    is a mistake."""
    w = words()
    responsible: dict[str, list[MeasureResult]] = {}
    for r in graded_results(assessment):
        if r.status == "eligible":
            for d in departments(store, r):
                responsible.setdefault(d, []).append(r)
    items = []
    title = w["items"]["department"]
    for d, rs in responsible.items():
        named = d in stated
        text = None if named else w["explain"]["department_missing"].format(
            department=d, measures="、".join(assessment.name(r) for r in rs))
        items.append(Item("department", d, f"{title}：{d}", named, d, d if named else w["nothing_stated"], text,
                          None if named else _clause(assessment, rs[0])))
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
    """The grade sheet of one statement about an enterprise with these (true) facts, as of the cases' day unless
    ``as_of`` says otherwise."""
    store = store or load()
    assessment = assess(facts, store, as_of)
    results = graded_results(assessment)
    items = [_class_item(assessment, store, statement.sme_class)]
    items += [_measure_item(assessment, r, store, statement.measures.get(r.measure.id, "ineligible")) for r in results]
    items += _kind_items(assessment, store, statement)
    items += [i for r in results if (i := _amount_item(assessment, r, statement.amounts.get(r.measure.id))) is not None]
    items += _department_items(assessment, store, statement.departments)
    fewest = fewest_questions(facts, store) if fewest is None else fewest
    return Grade(tuple(items), asked, fewest, words(), tuple(store.facts[f].label for f in not_asked))


def answer_key(facts: Mapping[str, Any], store: Store | None = None, as_of: dt.date | None = None) -> Statement:
    """The statement that scores full marks: what the engine says, as a trainee would state it."""
    store = store or load()
    assessment = assess(facts, store, as_of)
    results = graded_results(assessment)
    eligible = [r for r in results if r.status == "eligible"]
    return Statement(assessment.sme_class or UNKNOWN_CLASS, {r.measure.id: r.status for r in results},
                     {r.measure.id: r.amount_yuan for r in eligible if r.amount_yuan is not None},
                     frozenset(d for r in eligible for d in departments(store, r)),
                     {r.measure.id: r.measure.kind for r in eligible})
