"""The store's checks of a document, as a library: the tests run them on every document held, the workbench on a
draft before anything is saved. One definition each, each returning its problems in Chinese (workbench_words.yaml).

- verbatim: every clause stands in the source; every excerpt in its clause; summaries state no other number;
  departments are named in the text or are the issuers;
- parameters: every figure stands in the clause it cites, with the value the clause writes; a figure from outside the
  notice names its document; a benefit's amount uses only its own clause's figures;
- facts: every name a condition or formula reads is a defined fact, a parameter of the document or the SME class;
- cases: every expert case agrees with the engine, every measure has one, every condition is shown holding and
  failing;
- dates: the period runs forward, its ends are those its clause states, no figure starts after it ends (nor, stated
  by the document itself, before it starts);
- double_counting: only benefits have amounts, each says whether it adds to the total, and two measures on the same
  money add on the same base (counted once).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from . import expert_cases
from .clause_figures import find_figures
from .model import Measure, Policy
from .prepared import DERIVED
from .store import Store

WORDS = Path(__file__).with_name("workbench_words.yaml")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CITED_DOCUMENT = re.compile(r"〔\d{4}〕\d+号|公告\d{4}年第\d+号")


@dataclass(frozen=True)
class Problem:
    """One thing that stops a document being published: which check, where (as staff read it), and what to do."""

    check: str
    where: str
    message: str

    def as_dict(self) -> dict:
        return {"check": self.check, "where": self.where, "message": self.message}


@lru_cache(maxsize=1)
def words() -> dict:
    return yaml.safe_load(WORDS.read_text(encoding="utf-8"))


def say(name: str, section: str = "checks", **values) -> str:
    return words()[section][name].format(**values)


def problem(check: str, name: str, where: str = "", **values) -> Problem:
    return Problem(check, where, say(name, where=where, **values))


def measure_where(m: Measure) -> str:
    return say("measure", value=m.name)


# —— verbatim
def verbatim(policy: Policy, source: str) -> list[Problem]:
    """Clauses, excerpts, the scope quote, summaries' numbers and departments all rest on the text as given."""
    out = [problem("verbatim", "clause_not_verbatim", c.label) for c in policy.clauses.values()
           if not c.text or c.text not in source]
    scope = policy.clauses.get(policy.references.get("scope", ""))
    if policy.scope_quote and (scope is None or policy.scope_quote not in scope.text):
        out.append(problem("verbatim", "scope_quote_not_in_clause", say("scope"), value=policy.scope_quote,
                           clause=scope.label if scope else policy.references.get("scope")))
    issuers = set(re.split(r"[、，,\s]+", policy.issuer))
    for m in policy.measures:
        clause = policy.clauses.get(m.clause)
        if clause is None:
            continue
        where = measure_where(m)
        if not m.excerpt or m.excerpt not in clause.text:
            out.append(problem("verbatim", "excerpt_not_in_clause", where, value=m.excerpt, clause=clause.label))
        for part in m.parts:
            if part.excerpt not in m.excerpt or part.excerpt not in clause.text:
                out.append(problem("verbatim", "part_not_in_excerpt", where, part=part.title))
        for text in (m.summary, m.to_lender or ""):
            extra = sorted(set(_NUMBER.findall(text)) - set(_NUMBER.findall(clause.text)))
            if extra:
                out.append(problem("verbatim", "summary_number_not_in_clause", where, value="、".join(extra)))
        for dept in m.departments:
            if dept not in clause.text and dept not in source and dept not in issuers:
                out.append(problem("verbatim", "department_not_in_text", where, value=dept))
    return out


# —— parameters
def parameters(policy: Policy) -> list[Problem]:
    """Each figure stands in the clause it cites with the value that clause writes ("50%" is 0.5), or names the
    document it comes from; a benefit's amount reads only figures of its own clause (contract §2)."""
    out = []
    year = policy.issued.year if policy.issued else policy.in_force_from.year
    for p in policy.parameters.values():
        where = p.name
        clause = policy.clauses.get(p.reference)
        if clause is None:
            if not _CITED_DOCUMENT.search(p.reference):
                out.append(problem("parameters", "parameter_reference_unknown", where, value=p.reference))
            continue
        at = clause.text.find(p.text) if p.text else -1
        if at < 0:
            out.append(problem("parameters", "parameter_text_not_in_clause", where, value=p.text, clause=clause.label))
            continue
        said = [f for f in find_figures(clause.text, year=year)
                if f.start < at + len(p.text) and at < f.end and f.parameter_unit == p.unit]
        values = [v for _, v in p.values]
        if said and not any(_same(f.value, v) for f in said for v in values):
            out.append(problem("parameters", "parameter_value_differs", where, value=_shown(values[0], p.unit),
                               text=said[0].text, figure=_shown(said[0].value, p.unit)))
    for m in policy.measures:
        if m.kind != "benefit" or m.amount is None:
            continue
        for name in m.amount.formula.names:
            p = policy.parameters.get(name)
            if p is not None and p.reference != m.clause:
                out.append(problem("parameters", "amount_parameter_outside_clause", measure_where(m), value=name,
                                   clause=policy.clauses[m.clause].label))
    return out


def _same(a, b) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) < 1e-9


def _shown(value, unit: str) -> str:
    if unit == "percent" and isinstance(value, (int, float)):
        return f"{value * 100:g}%"
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


# —— facts
def facts(policy: Policy, store: Store) -> list[Problem]:
    """Every name an expression reads, and every placeholder its sentences fill, is a fact of the store, a
    parameter of this document, or the SME class; a measure's months name one of its parameters."""
    known = set(store.facts) | set(DERIVED) | set(policy.parameters)
    out = []
    scoped = [(say("scope"), c) for c in (*policy.scope, *policy.lender_scope)]
    for m in policy.measures:
        where = measure_where(m)
        scoped += [(where, c) for c in m.conditions]
        scoped += [(say("part", measure=m.name, value=p.title), c) for p in m.parts for c in p.conditions]
        if m.amount is not None:
            out += [problem("facts", "name_undefined", where, value=n) for n in m.amount.formula.names
                    if n not in known]
            if m.amount.within and m.amount.within not in store.facts:
                out.append(problem("facts", "name_undefined", where, value=m.amount.within))
        if m.months_parameter and m.months_parameter not in policy.parameters:
            out.append(problem("facts", "months_parameter_undefined", where, value=m.months_parameter))
    for where, c in scoped:
        out += [problem("facts", "name_undefined", where, value=n) for n in c.test.names if n not in known]
        for text in (c.holds, c.fails):
            out += [problem("facts", "placeholder_undefined", where, value=n)
                    for n in dict.fromkeys(_PLACEHOLDER.findall(text)) if n not in known]
    return list(dict.fromkeys(out))


# —— expert cases
def cases(case_list: list[dict], store: Store, policy_id: str) -> list[Problem]:
    """The cases agree with the engine; every measure that applies here has a case; every condition is shown
    holding and failing."""
    out = []
    for case in case_list:
        wrong = expert_cases.mismatches(case, store)
        if wrong:
            out.append(problem("cases", "case_fails", case.get("name", ""), value="；".join(wrong)))
    policy = store.policies[policy_id]
    named = {str(mid) for case in case_list for mid in ((case.get("expect") or {}).get("measures") or {})}
    here = store.measures_here(policy)
    out += [problem("cases", "measure_without_case", m.name) for m in here if m.id not in named]
    for side, shown in expert_cases.sides(case_list, store, policy_id).items():
        where = say("scope") if side.measure is None else measure_where(policy.measure(side.measure))
        if side.part:
            where = say("part", measure=policy.measure(side.measure).name, value=side.part)
        for wanted, name in ((expert_cases.HOLDS, "side_missing_holds"), (expert_cases.FAILS, "side_missing_fails")):
            if wanted not in shown:
                out.append(problem("cases", name, where, value=side.condition.test.source))
    return out


# —— dates
def dates(policy: Policy, source: str) -> list[Problem]:
    """The period runs forward; the ends the document gives are those its clause states; no figure starts after it
    ends, nor, when the document states it, before it starts; the period as worded stands in the text."""
    start, end = policy.in_force_from, policy.in_force_until
    out = []
    if start > end:
        out.append(problem("dates", "dates_reversed", say("policy"), value=start, other=end))
    if policy.issued and policy.issued > end:
        out.append(problem("dates", "issued_after_end", say("policy"), value=policy.issued, other=end))
    for p in policy.parameters.values():  # a figure of another document holds from that document's own day
        earliest = start if p.reference in policy.clauses else dt.date.min
        out += [problem("dates", "parameter_date_outside", p.name, value=day, other=f"{start}—{end}")
                for day, _ in p.values if not earliest <= day <= end]
    clause = policy.clauses.get(policy.references.get("in_force", ""))
    if clause is not None:
        figures = find_figures(clause.text, year=start.year)
        until = [f.until for f in figures if f.until]
        issued = policy.issued.isoformat() if policy.issued else None
        since = [d for d in (issued if f.since == "issued" else f.since for f in figures) if d]
        if until and max(until) != end.isoformat():
            out.append(problem("dates", "end_differs_from_clause", say("policy"), value=end, other=max(until),
                               clause=clause.label))
        if since and min(since) != start.isoformat():
            out.append(problem("dates", "start_differs_from_clause", say("policy"), value=start, other=min(since),
                               clause=clause.label))
    for part in (policy.period or "").split("，"):
        if part and part not in source and part not in source.replace(",", "，"):
            out.append(problem("dates", "period_not_in_source", say("policy"), value=part))
    return out


# —— double counting
def double_counting(store: Store, policy_id: str) -> list[Problem]:
    """Only benefits have amounts, each says whether it adds to the total. Two measures that pay the same money add
    on one base, so the total counts it once: a measure and the one it implements, and two that read the same money
    fact and either name each other (see_also) or name their bases alike ("房租" and "房租减免")."""
    policy = store.policies[policy_id]
    out = []
    for m in policy.measures:
        if m.amount is None:
            continue
        if m.kind != "benefit":
            out.append(problem("double_counting", "amount_not_benefit", measure_where(m)))
        if bool(m.amount.total_base) == bool(m.amount.total_excluded):
            out.append(problem("double_counting", "bad_amount_total", measure_where(m)))
    if policy_id not in {p.id for p in store.place_policies()}:
        return out
    counted = [m for p in store.place_policies() for m in store.measures_here(p)
               if m.kind == "benefit" and m.amount is not None and m.amount.total_base]
    for m in (m for m in counted if m.policy == policy_id):
        for n in counted:
            if n is m or (n.policy == policy_id and n.id < m.id) or n.amount.total_base == m.amount.total_base:
                continue
            why = _same_money(store, m, n)
            if why and not _named_same_money(m, n):
                out.append(problem("double_counting", "counted_twice", measure_where(m), other=measure_where(n),
                                   value=why, base=m.amount.total_base, other_base=n.amount.total_base))
    return out


def _same_money(store: Store, m: Measure, n: Measure) -> str | None:
    """Why two measures with amounts look like the same money, in words; None when they do not."""
    if (m.implements and m.implements.measure == n.id) or (n.implements and n.implements.measure == m.id):
        return say("same_money_implements")
    shared = _money(store, m) & _money(store, n)
    if not shared:
        return None
    fact = store.facts[sorted(shared)[0]].label
    if any(r.measure == n.id for r in m.see_also) or any(r.measure == m.id for r in n.see_also):
        return say("same_money_see_also", fact=fact)
    a, b = m.amount.total_base, n.amount.total_base
    return say("same_money_bases", fact=fact) if a in b or b in a else None


def _money(store: Store, m: Measure) -> set[str]:
    return {n for n in m.amount.formula.names if n in store.facts and store.facts[n].type == "money"}


def _named_same_money(m: Measure, n: Measure) -> bool:
    return any(r.measure == n.id and r.same_money for r in m.see_also) or \
        any(r.measure == m.id and r.same_money for r in n.see_also)


def all_checks(store: Store, policy_id: str, source: str, case_list: Iterable[dict]) -> list[Problem]:
    """Every check of a document held in ``store`` (a draft: built into a candidate store first)."""
    policy = store.policies[policy_id]
    return [*verbatim(policy, source), *parameters(policy), *facts(policy, store),
            *cases(list(case_list), store, policy_id), *dates(policy, source), *double_counting(store, policy_id)]
