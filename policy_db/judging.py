"""Judging one document's measures against its view of the facts (policy_db.judging_context): its scopes once for
all of them, then each measure's checks (the first failure the texts decide refuses; a case they leave open names
whom to ask), the parts of a measure that applies, and its amount; every reason is written only when read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Mapping

from .assessment import MeasureResult, PartResult
from .expressions import Expression, Possible
from .judging_context import Context, show, template
from .model import Measure
from .prepared import FACT, Check, PreparedMeasure, PreparedPolicy, plan


def _said(ctx: Context, check: Check, text: str) -> str:
    """A condition's holds/fails text, naming the other document when its rule decided (without its figures the
    answer is open: "没裁员" holds whatever the 少裁员 standard, "裁员3人" depends on it), quoting the scope sentence
    when the scope refused."""
    condition = check.condition
    said = template(ctx, text)
    if condition.outside and check.outside and check.run({**ctx.env, **check.outside}) is None:
        said += f"（{condition.outside}）"
    if text == condition.fails:
        said += check.quote
    return said


def amount_of(ctx: Context, measure: Measure) -> tuple[float | None, Callable[[], str] | None, list[str]]:
    """The amount and what writes its formula ("7200 × 50% = 3600"), or the facts it still lacks."""
    if measure.amount is None:
        return None, None, []
    formula, env = measure.amount.formula, ctx.env
    value = formula.run(env)
    if value is None:
        return None, partial(_written, ctx, formula), ctx.fact_names(formula.unknown_names(env))
    value = round(float(value), 2)
    return value, partial(_written, ctx, formula, value), []


def _written(ctx: Context, formula: Expression, value: float | None = None) -> str:
    """A formula with the values it read ("7200 × 50%"), and its result when it has one."""
    written = formula.render(ctx.env, lambda n, v: show(ctx, n, v))
    return written if value is None else f"{written} = {show(ctx, '', value)}"


@dataclass(slots=True, eq=False)
class _Scope:
    """A document's scope (or lender scope) judged once for all its measures: the check that refused, else the first
    the texts leave open (`not_covered`), whether any is open, and the facts those still need. A scope judged alike on
    the same day is one object (PreparedPolicy.states): a measure's shared results are found by it (see
    PreparedMeasure)."""

    refused: Check | None = None
    refusal: str | Callable[[], str] | None = None
    uncovered: Check | None = None
    open: bool = False
    open_facts: tuple[str, ...] = ()
    shared: bool = False  # the one object for its judging (else written from one evaluation's facts)


def _open_facts(ctx: Context, check: Check) -> list[str]:
    """The facts missing behind the names a check reads that are not settled (unknown, or only narrowed to
    candidates): the fact itself, or the class's indicators."""
    env, out = ctx.env, []
    for name, what in check.reads:
        value = env.get(name)
        if value is None or isinstance(value, Possible):
            if what == FACT:
                out.append(name)
            else:
                out += ctx.sme.missing
    return out


def _refusal(ctx: Context, check: Check) -> str | Callable[[], str]:
    return check.refusal or partial(_said, ctx, check, check.condition.fails)


def _scope(ctx: Context, cp: PreparedPolicy, kind: str, checks: tuple[Check, ...]) -> _Scope:
    env, uncovered, is_open, missing = ctx.env, None, False, []
    for c in checks:
        value = c.run(env)
        if value is None:
            is_open = True
            missing += _open_facts(ctx, c)
        elif not value:
            if c.refuses:
                refusal = _refusal(ctx, c)
                if refusal.__class__ is str:
                    return _state(cp, (kind, ctx.as_of, c), c, refusal)
                return _Scope(c, refusal)  # its sentence is written from these facts: shared with no other judging
            uncovered = uncovered or c
    missing = tuple(dict.fromkeys(missing)) if missing else ()
    return _state(cp, (kind, ctx.as_of, uncovered, is_open, missing), None, None, uncovered, is_open, missing)


def _state(cp: PreparedPolicy, key: tuple, *judged: Any) -> _Scope:
    states = cp.states
    state = states.get(key)
    if state is None:
        if len(states) > 1024:
            states.clear()
        state = states[key] = _Scope(*judged, shared=True)
    return state


_NO_SCOPE = _Scope()


def _decide(ctx: Context, checks: tuple[Check, ...], chain: tuple[Check, ...], scope: _Scope = _NO_SCOPE
            ) -> tuple[str, str | Callable[[], str], tuple[str, ...]]:
    """Status, the reason (or what writes it) and the missing facts of checks that must all hold after ``scope``:
    the first failure the texts decide refuses, whatever the others say; ``chain`` is every check, as the reason
    lists them when all hold."""
    if scope.refused is not None:
        return "ineligible", scope.refusal, ()
    env, uncovered, missing = ctx.env, scope.uncovered, None
    for c in checks:
        value = c.run(env)
        if value is None:
            facts = (c.fact,) if c.fact else _open_facts(ctx, c)
            missing = facts if missing is None else (*missing, *facts)
        elif not value:
            if c.refuses:
                return "ineligible", _refusal(ctx, c), ()
            uncovered = uncovered or c
    if missing is None:
        is_open, missing = scope.open, scope.open_facts
    else:
        is_open = True
        if len(missing) == 1:
            fact = missing[0]
            missing = scope.open_facts if fact in scope.open_facts else (*scope.open_facts, fact)
        else:
            missing = tuple(dict.fromkeys((*scope.open_facts, *missing)))
    if uncovered is not None:
        return "unknown", partial(_not_covered, ctx, uncovered), missing
    if is_open:
        return "unknown", partial(_asking, ctx.prepared.labels, missing), missing
    return "eligible", partial(_holding, ctx, chain), ()


def _asking(labels: Mapping[str, str], missing: tuple[str, ...]) -> str:
    return f"还需要了解：{'、'.join(labels[n] for n in missing)}"


def _kept(outcomes: dict, key: Any, result: MeasureResult, most: int = 256) -> MeasureResult:
    """A result no fact's value is written into, kept as its measure's shared outcome (PreparedMeasure.outcomes and
    memo)."""
    if len(outcomes) > most:
        outcomes.clear()
    outcomes[key] = result
    return result


def _holding(ctx: Context, chain: tuple[Check, ...]) -> str:
    return "，".join(_said(ctx, c, c.condition.holds) for c in chain)


def _not_covered(ctx: Context, check: Check) -> str:
    """A case the stored texts do not decide: what they leave open, and the department to ask (place.yaml)."""
    reason = template(ctx, check.condition.fails)
    words, place = ctx.prepared.words, ctx.prepared.place
    department = place.consult.get(ctx.policy.matter or "")
    return words.coverage["not_covered"].format(reason=reason, department=department) if department else reason


def _for_lender(ctx: Context, measure: Measure, months: int | None) -> MeasureResult:
    """A bank or local financial organisation asking: what each of its measures says to it, worded as its kind (a
    relief of insured units is its own benefit, with its amount)."""
    words = ctx.prepared.words
    if measure.to_lender:
        lead = words.kinds[measure.kind].lender_lead or ""
        amount, formula, missing = amount_of(ctx, measure)
        return MeasureResult(measure, "eligible", f"{lead}{measure.to_lender}", months, amount, formula,
                             tuple(missing), ctx.prepared.labels, policy=ctx.policy)
    refused = ctx.policy.lender_refused or words.statuses["lender_refused"]
    return MeasureResult(measure, "ineligible", refused, months, _labels=ctx.prepared.labels, policy=ctx.policy)


def _with_parts(why: str, parts: tuple[PartResult, ...]) -> str:
    """'…；适用：轻微违法违规柔性执法；防疫运输绿色通道：没有…' — which parts apply, and why the others do not."""
    applying = [p.part.title for p in parts if p.status == "eligible"]
    others = [f"{p.part.title}：{p.why}" for p in parts if p.status != "eligible"]
    return "；".join(x for x in (why, f"适用：{'、'.join(applying)}", *others) if x)


def judge(ctx: Context, pm: PreparedMeasure, scopes: Mapping[str | None, _Scope]) -> MeasureResult:
    return judge_measures(ctx, plan((pm,)), scopes, [])[0]


def _applying(ctx: Context, pm: PreparedMeasure, months: int | None) -> MeasureResult:
    """A measure whose conditions hold: through which of its parts, and how much."""
    measure, labels, policy = pm.measure, ctx.prepared.labels, ctx.policy
    parts = tuple(PartResult(p.part, *_decide(ctx, p.checks, p.checks)) for p in pm.parts) if pm.parts else ()
    if parts and not any(p.status == "eligible" for p in parts):
        status = "unknown" if any(p.status == "unknown" for p in parts) else "ineligible"
        missing = tuple(dict.fromkeys(f for p in parts for f in p.missing))
        return MeasureResult(measure, status, lambda: "；".join(f"{p.part.title}：{p.why}" for p in parts), months,
                             None, None, missing, labels, parts, policy)
    why = partial(_applies_because, ctx, pm.chain, parts, measure.summary)
    if measure.amount is None:
        return MeasureResult(measure, "eligible", why, months, None, None, (), labels, parts, policy)
    amount, formula, missing = amount_of(ctx, measure)
    return MeasureResult(measure, "eligible", why, months, amount, formula, tuple(missing), labels, parts, policy)


def _applies_because(ctx: Context, chain: tuple[Check, ...], parts: tuple[PartResult, ...], summary: str) -> str:
    """An applying measure's reason: what held and which parts apply; its summary when no condition says more."""
    why = _holding(ctx, chain)
    return (_with_parts(why, parts) if parts else why) or summary


def scopes_of(ctx: Context, cp: PreparedPolicy) -> Mapping[str | None, _Scope]:
    unscoped = cp.unscoped.get(ctx.as_of)
    if unscoped is None:
        if len(cp.unscoped) > 64:
            cp.unscoped.clear()
        none = _state(cp, (None, ctx.as_of))
        unscoped = cp.unscoped[ctx.as_of] = {"enterprise": none, "lender": none, None: none}
    if not (cp.scope or cp.lender_scope):
        return unscoped
    none = unscoped[None]
    return {"enterprise": _scope(ctx, cp, "enterprise", cp.scope) if cp.scope else none,
            "lender": _scope(ctx, cp, "lender", cp.lender_scope) if cp.lender_scope else none, None: none}


def judge_measures(ctx: Context, measures: tuple[tuple, ...], scopes: Mapping[str | None, _Scope],
                   out: list[MeasureResult]) -> list[MeasureResult]:
    """Measures of a document judged, as its plan gives them (prepared.plan; the scopes judged once for all of
    them). The inner loop of every evaluation: an outcome found by its key, else :func:`_decide` written out, a
    measure with no check of its own taking its scope's answer."""
    env, labels, policy = ctx.env, ctx.prepared.labels, ctx.policy
    if ctx.lender:
        out += [_for_lender(ctx, pm.measure, env[pm.months] if pm.months else None) for *_, pm in measures]
        return out
    append, result, later, get = out.append, MeasureResult, partial, env.get  # the loop's names, read locally
    class_missing = ctx.sme.missing
    for kind, read, reads_class, memo, pm in measures:
        scope = scopes[kind]
        if memo is not None:
            if read is None:
                key = scope
            else:
                key = (scope, class_missing, read(env)) if reads_class else (scope, read(env))
            known = memo.get(key)
            if known is not None:
                append(known)
                continue
        else:
            key = None
        months = env[pm.months] if pm.months else None
        if scope.refused is not None:
            refusal = scope.refusal
            if refusal.__class__ is str:
                made = pm.outcomes.get((refusal, months)) or _kept(pm.outcomes, (refusal, months), result(
                    pm.measure, "ineligible", refusal, months, None, None, (), labels, (), policy))
                if key is not None:
                    _kept(memo, key, made, 4096)
                append(made)
            else:
                append(result(pm.measure, "ineligible", refusal, months, None, None, (), labels, (), policy))
            continue
        uncovered, missing = scope.uncovered, None
        for c in pm.checks:
            value = c.run(env) if c.name is None else get(c.name)
            if value is None:
                facts = c.asks or _open_facts(ctx, c)
                missing = facts if missing is None else (*missing, *facts)
            elif not value:
                if c.refuses:
                    refusal = c.refusal
                    if refusal is None:
                        append(result(pm.measure, "ineligible", later(_said, ctx, c, c.condition.fails), months,
                                      None, None, (), labels, (), policy))
                    else:
                        made = pm.outcomes.get((refusal, months)) or _kept(pm.outcomes, (refusal, months), result(
                            pm.measure, "ineligible", refusal, months, None, None, (), labels, (), policy))
                        if key is not None:
                            _kept(memo, key, made, 4096)
                        append(made)
                    break
                uncovered = uncovered or c
        else:
            if missing is None:
                is_open, missing = scope.open, scope.open_facts
            else:
                is_open = True
                if len(missing) != 1:
                    missing = tuple(dict.fromkeys((*scope.open_facts, *missing)))
                elif scope.open_facts:
                    fact = missing[0]
                    missing = scope.open_facts if fact in scope.open_facts else (*scope.open_facts, fact)
                else:
                    missing = tuple(missing)
            if uncovered is not None:
                append(result(pm.measure, "unknown", later(_not_covered, ctx, uncovered), months, None, None,
                              missing, labels, (), policy))
            elif is_open:
                made = pm.outcomes.get((missing, months)) or _kept(pm.outcomes, (missing, months), result(
                    pm.measure, "unknown", later(_asking, labels, missing), months, None, None, missing, labels, (),
                    policy))
                if key is not None:
                    _kept(memo, key, made, 4096)
                append(made)
            else:
                made = _applying(ctx, pm, months)
                if pm.whole and scope.shared:  # its sentences are the same for every judging found by its key
                    _written_all(made)
                    _kept(memo, key, made, 4096)
                append(made)
    return out


def _written_all(result: MeasureResult) -> None:
    for part in result.parts:
        part.why
    result.why


def judge_document(ctx: Context, cp: PreparedPolicy, out: list[MeasureResult]) -> tuple[str, ...]:
    """A document's measures judged, added to ``out``; the facts its scope still needs (none once a scope condition
    fails)."""
    scopes = cp.unscoped.get(ctx.as_of)
    if scopes is None or cp.scope or cp.lender_scope:
        scopes = scopes_of(ctx, cp)
    judge_measures(ctx, cp.plan, scopes, out)
    scope = scopes["enterprise"]
    return () if scope.refused is not None or scope.uncovered is not None else scope.open_facts
