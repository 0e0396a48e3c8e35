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
from .prepared import FACT, NEVER, Check, PreparedMeasure, PreparedPolicy


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
    if ctx.lender:
        return _for_lender(ctx, pm.measure, ctx.env[pm.months] if pm.months else None)
    return judged(ctx, pm, scopes[pm.scope])


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
    if cp.scope_key is not None:
        key = (ctx.as_of, ctx.sme.missing, cp.scope_key(ctx.env))
        known = cp.judged_scopes.get(key)
        if known is not None:
            return known
    none = unscoped[None]
    scopes = {"enterprise": _scope(ctx, cp, "enterprise", cp.scope) if cp.scope else none,
              "lender": _scope(ctx, cp, "lender", cp.lender_scope) if cp.lender_scope else none, None: none}
    if cp.scope_key is not None and scopes["enterprise"].shared and scopes["lender"].shared:
        if len(cp.judged_scopes) > 1024:
            cp.judged_scopes.clear()
        cp.judged_scopes[key] = scopes  # read only, by every judging with these values
    return scopes


def judged(ctx: Context, pm: PreparedMeasure, scope: _Scope, table: dict | None = None, key: Any = None
           ) -> MeasureResult:
    """A measure judged after its scope (:func:`_decide` written out, a measure with no check of its own taking its
    scope's answer); a result no fact's value is written into is kept in ``table`` under ``key``, when given (see
    :func:`judge_document`)."""
    env, labels, policy = ctx.env, ctx.prepared.labels, ctx.policy
    months = env[pm.months] if pm.months else None
    if scope.refused is not None:
        refusal = scope.refusal
        if refusal.__class__ is not str:
            return MeasureResult(pm.measure, "ineligible", refusal, months, None, None, (), labels, (), policy)
        made = pm.outcomes.get((refusal, months)) or _kept(pm.outcomes, (refusal, months), MeasureResult(
            pm.measure, "ineligible", refusal, months, None, None, (), labels, (), policy))
        if table is not None:
            table[key] = made
        return made
    uncovered, missing, get = scope.uncovered, None, env.get
    for c in pm.checks:
        value = c.run(env) if c.name is None else get(c.name)
        if value is None:
            facts = c.asks or _open_facts(ctx, c)
            missing = facts if missing is None else (*missing, *facts)
        elif not value:
            if c.refuses:
                refusal = c.refusal
                if refusal is None:
                    if table is None or c not in pm.said_once:
                        return MeasureResult(pm.measure, "ineligible", partial(_said, ctx, c, c.condition.fails),
                                             months, None, None, (), labels, (), policy)
                    made = table[key] = MeasureResult(pm.measure, "ineligible", _said(ctx, c, c.condition.fails),
                                                      months, None, None, (), labels, (), policy)
                    return made
                made = pm.outcomes.get((refusal, months)) or _kept(pm.outcomes, (refusal, months), MeasureResult(
                    pm.measure, "ineligible", refusal, months, None, None, (), labels, (), policy))
                if table is not None:
                    table[key] = made
                return made
            uncovered = uncovered or c
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
        return MeasureResult(pm.measure, "unknown", partial(_not_covered, ctx, uncovered), months, None, None,
                             missing, labels, (), policy)
    if is_open:
        made = pm.outcomes.get((missing, months)) or _kept(pm.outcomes, (missing, months), MeasureResult(
            pm.measure, "unknown", partial(_asking, labels, missing), months, None, None, missing, labels, (),
            policy))
        if table is not None:
            table[key] = made
        return made
    made = _applying(ctx, pm, months)
    if pm.whole and table is not None:  # its sentences are the same for every judging found by its key
        _written_all(made)
        table[key] = made
    return made


def _written_all(result: MeasureResult) -> None:
    for part in result.parts:
        part.why
    result.why


def judge_document(ctx: Context, cp: PreparedPolicy, out: list[MeasureResult]) -> tuple[str, ...]:
    """A document's measures judged, added to ``out``; the facts its scope still needs (none once a scope condition
    fails). The inner loop of every evaluation: the results of its keyed measures are found, all at once, in the
    tables of this judging of its scopes and class (PreparedPolicy.tables) by the values of each one's facts; only the
    others are judged."""
    scopes = cp.unscoped.get(ctx.as_of)
    if scopes is None or cp.scope or cp.lender_scope:
        scopes = scopes_of(ctx, cp)
    env = ctx.env
    if ctx.lender:
        out += [_for_lender(ctx, pm.measure, env[pm.months] if pm.months else None) for pm in cp.measures]
    else:
        enterprise, lender, none = scopes["enterprise"], scopes["lender"], scopes[None]
        if enterprise.shared and lender.shared:
            key = (enterprise, lender, none, ctx.sme.missing, cp.class_key(env)) if cp.class_key else \
                (enterprise, lender, none)
            tables = cp.tables.get(key)
            if tables is None:
                if len(cp.tables) > 1024:
                    cp.tables.clear()
                tables = cp.tables[key] = [{} if keyed else NEVER for keyed in cp.keyed]
            keys = list(map(env.get, cp.key_names))
            for i, read in cp.multi:
                keys[i] = read(env)
            found = list(map(dict.get, tables, keys))
        else:  # a scope refused with a sentence of these facts: shared with no other judging
            tables = keys = None
            found = [None] * len(cp.measures)
        if not all(found):
            measures = cp.measures
            for i in [i for i, r in enumerate(found) if r is None]:
                pm, table = measures[i], tables[i] if tables else NEVER
                found[i] = judged(ctx, pm, scopes[pm.scope], None if table is NEVER else table,
                                  keys[i] if keys else None)
        out += found
    scope = scopes["enterprise"]
    return () if scope.refused is not None or scope.uncovered is not None else scope.open_facts
