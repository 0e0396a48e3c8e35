"""Expert cases (tests/cases/*.yaml, a document's cases.yaml): run one against a store, and see which side of each
condition the cases show.

A case is facts in and what an expert expects out: the SME class, a measure's status, amount, months, formula,
reason, the facts still missing, or a fact refused. :func:`mismatches` says, in Chinese, where the engine answers
otherwise. :func:`sides` says, for every condition of a document (its scope, its measures', their parts'), whether
some case shows it holding (the measure applies) and some shows it failing (the measure is refused, or left open,
with that condition's reason): a condition shown on one side only is a rule nobody has checked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

from .assessment import Assessment
from .engine import evaluate
from .facts import FactError
from .model import Condition, Policy
from .store import Store

HOLDS, FAILS = "holds", "fails"


def as_of(case: dict) -> dt.date | None:
    day = case.get("as_of")
    return dt.date.fromisoformat(str(day)) if day else None


def run(case: dict, store: Store) -> Assessment | FactError:
    """The engine's answer to a case's facts, or the fact it refused."""
    try:
        return evaluate(case.get("facts") or {}, as_of(case), store=store)
    except FactError as refused:
        return refused


def mismatches(case: dict, store: Store, answer: Assessment | FactError | None = None) -> list[str]:
    """Where the engine's answer differs from the case's expectations, each said in Chinese; [] when it agrees."""
    answer = run(case, store) if answer is None else answer
    expect = case.get("expect") or {}
    if "refused" in case:
        if not isinstance(answer, FactError):
            return [f"应当拒收“{case['refused']}”，实际没有拒收"]
        return [] if answer.fact == case["refused"] else [f"应当拒收“{case['refused']}”，实际拒收的是“{answer.fact}”"]
    if isinstance(answer, FactError):
        return [f"案例的情况被拒收：{answer.message}"]
    out = []
    for key, word in (("sme_class", "企业规模"), ("expired", "已过期"), ("not_yet_in_force", "尚未施行")):
        got = getattr(answer, key)
        if key in expect and got != expect[key]:
            out.append(f"{word}应为 {expect[key]}，实际为 {got}")
    known = {r.measure.id: r for r in answer.results}
    for mid, want in (expect.get("measures") or {}).items():
        got = known.get(str(mid))
        if got is None:
            out.append(f"措施 {mid} 不在本地适用的措施之中")
            continue
        out += [f"措施 {mid}：{m}" for m in _measure_mismatches(got, want)]
    return out


def _measure_mismatches(got, want: dict) -> list[str]:
    out = []
    for key, word in (("status", "结论"), ("amount_yuan", "金额"), ("months", "月数"), ("formula", "算式")):
        if key in want and getattr(got, key) != want[key]:
            out.append(f"{word}应为 {want[key]}，实际为 {getattr(got, key)}（{got.why}）")
    if "kind" in want and got.measure.kind != want["kind"]:
        out.append(f"类别应为 {want['kind']}，实际为 {got.measure.kind}")
    if "why_contains" in want and want["why_contains"] not in got.why:
        out.append(f"理由应包含“{want['why_contains']}”，实际为“{got.why}”")
    if "missing" in want and not set(want["missing"]) <= set(got.missing):
        out.append(f"还应缺少 {'、'.join(want['missing'])}，实际缺少 {'、'.join(got.missing) or '无'}")
    return out


@dataclass(frozen=True)
class Side:
    """A condition of a document and where it stands: the scope, or a measure (and one of its parts)."""

    measure: str | None  # None: the document's scope (or its lender scope)
    part: str | None
    condition: Condition

    @property
    def said(self) -> str:
        return self.condition.holds


def conditions(policy: Policy, measures: Iterable) -> list[Side]:
    """Every condition of the document whose sides the cases should show: its scopes', its measures', their
    parts'."""
    out = [Side(None, None, c) for c in (*policy.scope, *policy.lender_scope)]
    for m in measures:
        out += [Side(m.id, None, c) for c in m.conditions]
        out += [Side(m.id, p.title, c) for p in m.parts for c in p.conditions]
    return out


def _pattern(template: str) -> re.Pattern:
    """A holds/fails template as a pattern of what it says ("不属于中小企业（{sme_reason}）")."""
    pieces = re.split(r"\{[^{}]*\}", template)
    return re.compile(".+?".join(re.escape(p) for p in pieces))


def sides(cases: Iterable[dict], store: Store, policy_id: str) -> dict[Side, set[str]]:
    """For each condition of the document (those of its measures that apply to the place), the sides the cases
    show: HOLDS where a measure it governs applies (or its part does), FAILS where the measure or part is refused,
    or left open, with its reason."""
    policy = store.policies[policy_id]
    here = store.measures_here(policy)
    found = {side: set() for side in conditions(policy, here)}
    for case in cases:
        answer = run(case, store)
        if isinstance(answer, FactError):
            continue
        for r in answer.results:
            if r.policy is not None and r.policy.id == policy_id:
                _mark(found, policy, r, answer.for_lender)
    return found


def _mark(found: dict[Side, set[str]], policy: Policy, r, lender: bool) -> None:
    """A lender asking is told what each measure says to it, its conditions unread: only the lender scope is shown
    to hold, by a measure for lenders that applies to it."""
    m = r.measure
    if lender:
        if m.audience == "lender" and r.status == "eligible":
            for side in found:
                if side.measure is None and any(side.condition is c for c in policy.lender_scope):
                    found[side].add(HOLDS)
        return
    scope = {"enterprise": policy.scope, "lender": policy.lender_scope}.get(m.audience, ())
    governing = [s for s in found if (s.measure is None and any(s.condition is c for c in scope))
                 or (s.measure == m.id and s.part is None)]
    _mark_status(found, governing, r.status, r.why)
    for part in r.parts:
        mine = [s for s in found if s.measure == m.id and s.part == part.part.title]
        _mark_status(found, mine, part.status, part.why)


def _mark_status(found: dict[Side, set[str]], governing: list[Side], status: str, why: str) -> None:
    if status == "eligible":
        for side in governing:
            found[side].add(HOLDS)
        return
    for side in governing:
        if _pattern(side.condition.fails).search(why):
            found[side].add(FAILS)
            break
