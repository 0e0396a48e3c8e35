"""What a trainee may state about a case, and how it is read: the statement (the SME class; for each measure of every
document in force on the case's day whether it applies, what kind of help it is, how much; the departments), the
form that offers the choices, all from the store, and the reading of a statement sent as untrusted JSON. The
trainer's own words (the form's, the grade sheet's) are grading.yaml's."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from policy_db import Store
from policy_db.amounts import grouped
from policy_db.classification import CLASS_LABELS, class_label
from policy_db.report_page import whom_to_ask

from .situation import as_of as case_day
from .situation import in_force

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


def tolerance_text() -> str:
    t = words()["tolerance"]
    return words()["tolerance_text"].format(yuan=grouped(t["yuan"]), percent=f"{t['share']:.0%}")


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
