"""Whether a draft document is complete enough to be read into the store at all: every field the store reads, ids
that fit, clauses it cites, expressions in the policy language, new facts with their words.

The store's other checks (policy_db.checks) run on the document once it is read; these come first, so a draft with a
missing field is told which, instead of failing to load.
"""

from __future__ import annotations

import datetime as dt
import re

from .checks import Problem, problem, say
from .expressions import ExpressionError, compile_expression
from .store import Store

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_FACT_NAME = re.compile(r"^[a-z][a-z0-9_]{1,47}$")
POLICY_FIELDS = ("title", "short_title", "issuer", "level", "in_force_from", "in_force_until")
PARAMETER_FIELDS = ("description", "unit", "reference", "text", "values")
MEASURE_FIELDS = ("id", "title", "clause", "departments", "summary", "excerpt", "kind")
FACT_FIELDS = ("type", "label", "ask")


_ANY = object()
_FORM = {"policy": {"scope": {"conditions": [dict]}, "lender_scope": {"conditions": [dict]}, "area": dict},
         "clauses": [dict], "parameters": {str: {"values": dict}}, "facts": {str: {"words": [_ANY], "simulator": dict}},
         "measures": [{"conditions": [dict], "parts": [{"conditions": [dict]}], "amount": {"total": dict},
                       "departments": [_ANY], "keywords": [_ANY]}],
         "cases": [{"facts": dict, "expect": {"measures": dict}}], "source": str}


def _malformed(value, form, path: str) -> str | None:
    """The first place where ``value`` is not of ``form`` (a type, a list of one form, a dict of forms by key or
    of one form for every key), or None; a missing or empty part is left to the field checks."""
    if value is None or form is _ANY:
        return None
    if isinstance(form, type):
        return None if isinstance(value, form) else path
    if isinstance(form, list):
        if not isinstance(value, list):
            return path
        return next((bad for i, v in enumerate(value) if (bad := _malformed(v, form[0], f"{path}[{i + 1}]"))), None)
    if not isinstance(value, dict):
        return path
    if str in form:
        return next((bad for k, v in value.items() if (bad := _malformed(v, form[str], f"{path}.{k}"))), None)
    return next((bad for k, f in form.items() if (bad := _malformed(value.get(k), f, f"{path}.{k}".strip(".")))),
                None)


def shape(document: dict, store: Store) -> list[Problem]:
    """The draft's problems of form, against the store it would join (its facts, kinds, levels, measure ids)."""
    bad = _malformed(document, _FORM, "")
    if bad:
        return [problem("shape", "malformed", say("policy"), value=bad)]
    return [*_policy(document.get("policy") or {}, store), *_clauses(document.get("clauses") or []),
            *_parameters(document.get("parameters") or {}),
            *_measures(document, store), *_facts(document, store), *_cases(document)]


def _missing(where: str, record: dict, fields) -> list[Problem]:
    return [problem("shape", "missing_field", where, field=f) for f in fields
            if record.get(f) in (None, "", [], {})]


def _date(where: str, record: dict, field: str) -> list[Problem]:
    value = record.get(field)
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return [problem("shape", "bad_date", where, field=field, value=value)]
    return []


def _policy(policy: dict, store: Store) -> list[Problem]:
    where = say("policy")
    out = _missing(where, policy, ("id", *POLICY_FIELDS))
    if policy.get("id") and not _ID.match(str(policy["id"])):
        out.append(problem("shape", "bad_id", where, value=policy["id"]))
    levels = store.place.levels
    if policy.get("level") and policy["level"] not in levels:
        out.append(problem("shape", "bad_choice", where, field="level", value=policy["level"],
                           choices="、".join(levels)))
    area = policy.get("area")
    if not isinstance(area, dict) or not area.get("in"):
        out.append(problem("shape", "missing_field", where, field="area.in"))
    for field in ("in_force_from", "in_force_until", "issued"):
        if policy.get(field) not in (None, ""):
            out += _date(where, policy, field)
    return out


def _clauses(clauses: list) -> list[Problem]:
    out, seen = [], set()
    for c in clauses:
        where = say("clause", value=c.get("label") or c.get("number") or "")
        out += _missing(where, c, ("number", "label", "text"))
        number = str(c.get("number", ""))
        if number in seen:
            out.append(problem("shape", "duplicate_clause", where, value=number))
        seen.add(number)
    return out


def _parameters(parameters: dict) -> list[Problem]:
    out = []
    for name, p in parameters.items():
        where = say("parameter", value=name)
        if not _FACT_NAME.match(str(name)):
            out.append(problem("shape", "bad_id", where, value=name))
        out += _missing(where, p if isinstance(p, dict) else {}, PARAMETER_FIELDS)
        for day in (p.get("values") or {}) if isinstance(p, dict) else ():
            out += _date(where, {"values": day}, "values")
    return out


def _expression(where: str, source) -> list[Problem]:
    try:
        compile_expression(str(source))
    except (ExpressionError, SyntaxError, ValueError) as e:
        return [problem("shape", "bad_expression", where, value=source, error=str(e))]
    return []


def _measures(document: dict, store: Store) -> list[Problem]:
    policy_id = (document.get("policy") or {}).get("id")
    clauses = {str(c.get("number")) for c in document.get("clauses") or []}
    taken = {m.id: p for p in store.policies.values() if p.id != policy_id for m in p.measures}
    out, seen = [], set()
    for m in document.get("measures") or []:
        where = say("measure", value=m.get("title") or m.get("id") or "")
        out += _missing(where, m, MEASURE_FIELDS)
        mid = str(m.get("id", ""))
        if mid in taken or mid in seen:
            other = taken[mid].cited if mid in taken else where
            out.append(problem("shape", "duplicate_measure", where, value=mid, other=other))
        seen.add(mid)
        if m.get("clause") is not None and str(m["clause"]) not in clauses:
            out.append(problem("shape", "unknown_clause", where, value=m["clause"]))
        if m.get("kind") and m["kind"] not in store.words.kinds:
            out.append(problem("shape", "bad_choice", where, field="kind", value=m["kind"],
                               choices="、".join(store.words.kinds)))
        conditions = list(m.get("conditions") or []) + [c for p in m.get("parts") or [] for c in p.get("conditions") or []]
        for c in conditions:
            out += _missing(where, c, ("test", "holds", "fails")) or _expression(where, c["test"])
        amount = m.get("amount")
        if amount:
            out += _missing(where, amount, ("label", "formula")) or _expression(where, amount["formula"])
            total = amount.get("total") or {}
            if bool(total.get("base")) == bool(total.get("excluded")):
                out.append(problem("shape", "bad_amount_total", where))
            if m.get("kind") != "benefit":
                out.append(problem("shape", "amount_not_benefit", where))
    for scope in ("scope", "lender_scope"):
        for c in ((document.get("policy") or {}).get(scope) or {}).get("conditions") or []:
            out += _missing(say("scope"), c, ("test", "holds", "fails")) or _expression(say("scope"), c["test"])
    return out


def _facts(document: dict, store: Store) -> list[Problem]:
    """New facts are new (a document published again brings its own facts again), typed as the store's are, and
    say how owners put them."""
    types = sorted({spec.type for spec in store.facts.values() if spec.type != "industry"})
    policy_id = (document.get("policy") or {}).get("id")
    out = []
    for name, spec in (document.get("facts") or {}).items():
        where = say("fact", value=name)
        if not _FACT_NAME.match(str(name)):
            out.append(problem("shape", "bad_id", where, value=name))
        if name in store.facts and store.fact_documents.get(name) != policy_id:
            out.append(problem("shape", "fact_exists", where, value=name))
        spec = spec if isinstance(spec, dict) else {}
        out += _missing(where, spec, FACT_FIELDS)
        if spec.get("type") and spec["type"] not in types:
            out.append(problem("shape", "bad_choice", where, field="type", value=spec["type"], choices="、".join(types)))
        if not spec.get("words"):
            out.append(problem("shape", "fact_needs_words", where, value=name))
    return out


def _cases(document: dict) -> list[Problem]:
    out = []
    for i, case in enumerate(document.get("cases") or [], start=1):
        where = say("case", value=case.get("name") or i)
        out += _missing(where, case, ("name", "facts", "expect"))
    return out
