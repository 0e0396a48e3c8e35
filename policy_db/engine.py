"""The eligibility engine: for any facts, complete or not, which measures apply, why, and how much.

Pure over the model loaded from the store (no Rasa, no SQL here). Unknown facts propagate as unknown, so a
partial profile already says what is certain; :func:`next_questions` says which missing fact settles most.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from . import classification as sme
from .assessment import Assessment, MeasureResult, PartResult, PolicyView
from .amounts import plain
from .expressions import Possible
from .facts import validate
from .model import Condition, Measure, Policy
from .store import Store, load
from .total import total_of

DERIVED = ("sme", "sme_class", "sme_label", "sme_reason")


@dataclass(frozen=True)
class Question:
    """A missing fact worth asking, with the open measures it would help decide."""

    fact: str
    label: str
    ask: str
    kind: str  # "condition" decides a status; "amount" only completes an estimate
    measures: tuple[str, ...]
    yes_no: bool


class _Labels(dict):
    """Placeholders of the data's Chinese templates; an unknown one reads as 未知 rather than failing."""

    def __missing__(self, key: str) -> str:
        return "未知"


@dataclass
class _Context:
    policy: Policy
    store: Store
    facts: dict[str, Any]
    env: dict[str, Any]
    classification_missing: list[str] = field(default_factory=list)
    classes: frozenset[str] | None = None
    shown: _Labels | None = None

    @property
    def lender(self) -> bool:
        """The asker is a financial institution (a fact with role `lender` in facts.yaml holds)."""
        return any(self.env.get(name) for name in self.store.facts_with_role("lender"))

    def open_names(self, expression) -> list[str]:
        """Names an expression reads that are not settled: unknown, or only narrowed to candidates."""
        return [n for n in expression.names if self.env.get(n) is None or isinstance(self.env.get(n), Possible)]

    def labels(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.store.facts[n].label for n in names)

    def fact_names(self, names: Iterable[str]) -> list[str]:
        """Map names an expression reads to the facts that are missing behind them."""
        out: list[str] = []
        for name in names:
            if name in DERIVED:
                out += self.classification_missing
            elif name in self.store.facts:
                out.append(name)
        return list(dict.fromkeys(out))


def _context(facts: Mapping[str, Any], as_of: dt.date, store: Store, policy: Policy) -> _Context:
    """The facts (validated) with the policy's parameters as of the day, and the SME class they allow."""
    classification = store.classification_for(policy)
    clean = validate(facts, store.facts, classification)
    env: dict[str, Any] = {name: spec.default for name, spec in store.facts.items()}
    env.update(clean)
    env.update(policy.parameter_values(as_of))
    ctx = _Context(policy, store, clean, env)
    industry = store.industry_fact
    row = classification.rows.get(env.get(industry)) if industry and env.get(industry) else None
    if row is None:
        ctx.classification_missing = [industry] if industry else []
        env.update(sme=None, sme_class=None, sme_label=sme.class_label(None), sme_reason="行业未知")
        return ctx
    classes = sme.possible_classes(row, env)
    ctx.classes = classes
    ctx.classification_missing = sme.missing_indicators(row, env)
    env.update(sme=sme.is_sme(classes), sme_class=sme.class_value(classes), sme_label=sme.class_label(classes),
               sme_reason=sme.describe(row, env, classification.indicators))
    return ctx


def _show(ctx: _Context, name: str, value: Any) -> str:
    """One value as a formula or a message shows it: 50%, 6000, 3."""
    if value is None:
        spec = ctx.store.facts.get(name)
        return spec.label if spec else name
    param = ctx.policy.parameters.get(name)
    if param is not None and param.unit == "percent":
        return f"{value * 100:g}%"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "")
    return str(value)


def _template(ctx: _Context, text: str) -> str:
    if "{" not in text:
        return text
    if ctx.shown is None:
        ctx.shown = _Labels({k: (v if isinstance(v, str) else _show(ctx, k, v)) for k, v in ctx.env.items()})
    return text.format_map(ctx.shown)


def _conditions(ctx: _Context, measure: Measure) -> tuple[Condition, ...]:
    if measure.audience == "enterprise":
        return ctx.policy.scope + measure.conditions
    if measure.audience == "lender":
        return ctx.policy.lender_scope + measure.conditions
    return measure.conditions


def _outside_decides(ctx: _Context, condition: Condition) -> bool:
    """Whether a rule from another document decided this condition: without its figures the answer is open
    ("没裁员" holds whatever the 少裁员 standard; "裁员3人" depends on it)."""
    outside = {n: None for n in condition.test.names
               if n in ctx.policy.parameters and ctx.policy.parameters[n].reference not in ctx.policy.clauses}
    return bool(outside) and condition.test({**ctx.env, **outside}) is None


def _said(ctx: _Context, condition: Condition, text: str) -> str:
    """A condition's holds/fails text, naming the other document when its rule decided, quoting the scope
    sentence when the scope refused."""
    said = _template(ctx, text)
    if condition.outside and _outside_decides(ctx, condition):
        said += f"（{condition.outside}）"
    if text == condition.fails and any(condition is c for c in ctx.policy.scope):
        clause = ctx.policy.clauses[ctx.policy.references["scope"]]
        said += f"。{ctx.policy.called}原文：“{ctx.policy.scope_quote}”（{clause.label}）"
    return said


def _months(ctx: _Context, measure: Measure) -> int | None:
    return ctx.env[measure.months_parameter] if measure.months_parameter else None


def _amount(ctx: _Context, measure: Measure) -> tuple[float | None, str | None, list[str]]:
    if measure.amount is None:
        return None, None, []
    formula = measure.amount.formula
    value = formula(ctx.env)
    written = formula.render(ctx.env, lambda n, v: _show(ctx, n, v))
    if value is None:
        return None, written, ctx.fact_names(formula.unknown_names(ctx.env))
    value = round(float(value), 2)
    return value, f"{written} = {_show(ctx, '', value)}", []


def _truth(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _decide(ctx: _Context, conditions: tuple[Condition, ...]) -> tuple[str, str, tuple[str, ...]]:
    """Status, reason and missing facts of a list of conditions that must all hold."""
    outcomes = [(c, _truth(c.test(ctx.env))) for c in conditions]
    failed = next((c for c, v in outcomes if v is False and not c.not_covered), None)
    if failed is not None:
        return "ineligible", _said(ctx, failed, failed.fails), ()
    open_conditions = [c for c, v in outcomes if v is None]
    missing = tuple(ctx.fact_names(n for c in open_conditions for n in ctx.open_names(c.test)))
    uncovered = next((c for c, v in outcomes if v is False), None)
    if uncovered is not None:
        return "unknown", _not_covered(ctx, uncovered), missing
    if open_conditions:
        return "unknown", f"还需要了解：{'、'.join(ctx.labels(missing))}", missing
    return "eligible", "，".join(_said(ctx, c, c.holds) for c, _ in outcomes), ()


def _not_covered(ctx: _Context, condition: Condition) -> str:
    """A case the stored texts do not decide: what they leave open, and the department to ask (place.yaml)."""
    reason = _template(ctx, condition.fails)
    department = ctx.store.place.consult.get(ctx.policy.matter or "")
    return ctx.store.words.coverage["not_covered"].format(reason=reason, department=department) if department \
        else reason


def _for_lender(ctx: _Context, measure: Measure, base: dict) -> MeasureResult:
    """A bank or local financial organisation asking: what each of its measures says to it, worded as its kind (a
    relief of insured units is its own benefit, with its amount)."""
    if measure.to_lender:
        lead = ctx.store.words.kinds[measure.kind].lender_lead or ""
        amount, formula, missing = _amount(ctx, measure)
        return MeasureResult(status="eligible", why=f"{lead}{measure.to_lender}", amount_yuan=amount, formula=formula,
                             missing=tuple(missing), missing_labels=ctx.labels(missing), **base)
    refused = ctx.policy.lender_refused or ctx.store.words.statuses["lender_refused"]
    return MeasureResult(status="ineligible", why=refused, **base)


def _parts(ctx: _Context, measure: Measure) -> tuple[PartResult, ...]:
    return tuple(PartResult(p, *_decide(ctx, p.conditions)) for p in measure.parts)


def _with_parts(why: str, parts: tuple[PartResult, ...]) -> str:
    """'…；适用：轻微违法违规柔性执法；防疫运输绿色通道：没有…' — which parts apply, and why the others do not."""
    applying = [p.part.title for p in parts if p.status == "eligible"]
    others = [f"{p.part.title}：{p.why}" for p in parts if p.status != "eligible"]
    return "；".join(x for x in (why, f"适用：{'、'.join(applying)}", *others) if x)


def _judge(ctx: _Context, measure: Measure) -> MeasureResult:
    base = dict(measure=measure, months=_months(ctx, measure), policy=ctx.policy)
    if ctx.lender:
        return _for_lender(ctx, measure, base)
    status, why, missing = _decide(ctx, _conditions(ctx, measure))
    if status != "eligible":
        return MeasureResult(status=status, why=why, missing=missing, missing_labels=ctx.labels(missing), **base)
    parts = _parts(ctx, measure)
    if parts and not any(p.status == "eligible" for p in parts):
        status = "unknown" if any(p.status == "unknown" for p in parts) else "ineligible"
        missing = tuple(dict.fromkeys(f for p in parts for f in p.missing))
        why = "；".join(f"{p.part.title}：{p.why}" for p in parts)
        return MeasureResult(status=status, why=why, missing=missing, missing_labels=ctx.labels(missing),
                             parts=parts, **base)
    amount, formula, missing = _amount(ctx, measure)
    why = (_with_parts(why, parts) if parts else why) or measure.summary
    return MeasureResult(status="eligible", why=why, amount_yuan=amount, formula=formula, missing=tuple(missing),
                         missing_labels=ctx.labels(missing), parts=parts, **base)


def _scope_missing(ctx: _Context) -> list[str]:
    """Facts the policy's scope still needs (none once a scope condition fails)."""
    values = [(c, c.test(ctx.env)) for c in ctx.policy.scope]
    if any(v is False for _, v in values):
        return []
    return ctx.fact_names(n for c, v in values if v is None for n in ctx.open_names(c.test))


def _view(store: Store, policy: Policy, facts: Mapping[str, Any], as_of: dt.date) -> tuple[_Context, PolicyView]:
    ctx = _context(facts, as_of, store, policy)
    results = tuple(_judge(ctx, m) for m in store.measures_here(policy))
    return ctx, PolicyView(policy, as_of, results, tuple(_scope_missing(ctx)))


def _linked(store: Store, views: list[PolicyView]) -> list[PolicyView]:
    """Each applying measure names the measures of other documents on the same ground: the one it sets the figures
    of (`implements`), those that set its own, those listed as `see_also` (both ways)."""
    order = [r.measure.id for v in views for r in v.results]
    by_id = {r.measure.id: r for v in views for r in v.results}
    words = store.words.links
    notes: dict[str, list[str]] = {}

    def named(r) -> str:
        return f"{r.policy.cited}{r.measure.name}"

    for r in by_id.values():
        m = r.measure
        target = by_id.get(m.implements.measure) if m.implements else None
        if target is not None:
            cap = target.policy.parameters.get(target.measure.months_parameter or "")
            notes.setdefault(m.id, []).append(words["implements"].format(
                document=target.policy.cited, clause=target.policy.clauses[target.measure.clause].label,
                cap=f"：{cap.text}" if cap else ""))
            notes.setdefault(target.measure.id, []).append(words["implemented_by"].format(measure=named(r)))
        for ref in m.see_also:
            other = by_id.get(ref.measure)
            if other is None or not r.status == other.status == "eligible":
                continue
            first, second = sorted((r, other), key=lambda x: order.index(x.measure.id))
            notes.setdefault(first.measure.id, []).append(words["see_also"].format(measure=named(second)))
            if not ref.same_money:  # else the second already says where the one figure is (_one_deferral)
                notes.setdefault(second.measure.id, []).append(words["see_also"].format(measure=named(first)))
    out = []
    for v in views:
        results = tuple(_with_links(r, (*r.links, *notes.get(r.measure.id, ()))) for r in v.results)
        out.append(replace(v, results=results))
    return out


def _named(r: MeasureResult) -> str:
    return f"{r.policy.cited}{r.measure.name}"


def _replace_results(views: list[PolicyView], changed: dict[str, MeasureResult]) -> list[PolicyView]:
    return [replace(v, results=tuple(changed.get(r.measure.id, r) for r in v.results)) for v in views]


def _net_of_reliefs(store: Store, views: list[PolicyView]) -> list[PolicyView]:
    """A deferral defers only what is still due: the share an applying relief waives of the same premium (its
    `amount.total.within`) is taken off for the months both run (both from the same month), said in a link; while
    that share is unknown, the deferral has no figure. A relief still undecided leaves the figure an upper bound."""
    results = [r for v in views for r in v.results if r.status == "eligible"]
    reliefs = [r for r in results if r.measure.amount and r.measure.amount.within]
    changed: dict[str, MeasureResult] = {}
    for d in results:
        amount = d.measure.amount
        if amount is None or not amount.total_excluded or not d.months:
            continue
        for relief in (x for x in reliefs if x.measure.amount.within in amount.formula.names):
            d = changed.get(d.measure.id, d)
            if relief.amount_yuan is None or d.amount_yuan is None:
                missing = tuple(dict.fromkeys((*d.missing, *relief.missing)))
                changed[d.measure.id] = replace(d, amount_yuan=None, formula=None, missing=missing,
                                                missing_labels=tuple(store.facts[f].label for f in missing))
                continue
            per_month = relief.amount_yuan / relief.months
            months = min(d.months, relief.months)
            value = round(max(0.0, d.amount_yuan - per_month * months), 2)
            written = d.formula.rsplit(" = ", 1)[0]
            link = store.words.coverage["net_of"].format(measure=_named(relief), per_month=plain(per_month),
                                                         months=months)
            changed[d.measure.id] = replace(d, amount_yuan=value, links=(*d.links, link),
                                            formula=f"{written} - {plain(per_month)} × {months} = {plain(value)}")
    return _replace_results(views, changed)


def _one_deferral(store: Store, views: list[PolicyView]) -> list[PolicyView]:
    """Two measures acting on the same money (a see_also's `same_money`) that both apply show one figure: the first
    shown keeps it, the other says where it is."""
    order = [r for v in views for r in v.results]
    by_id = {r.measure.id: r for r in order}
    changed: dict[str, MeasureResult] = {}
    for r in order:
        for ref in r.measure.see_also:
            other = by_id.get(ref.measure)
            if not ref.same_money or other is None or not r.status == other.status == "eligible":
                continue
            first, second = sorted((r, other), key=order.index)
            link = store.words.coverage["same_money"].format(measure=_named(first), money=ref.same_money)
            changed[second.measure.id] = replace(second, amount_yuan=None, formula=None, missing=(),
                                                 missing_labels=(), links=(*second.links, link))
    return _replace_results(views, changed)


def _with_links(r: MeasureResult, links: tuple[str, ...]) -> MeasureResult:
    """An applying measure's links, said in its `why` too."""
    if r.status != "eligible" or not links:
        return r
    return replace(r, why=f"{r.why}；{'；'.join(links)}", links=links)


def evaluate(facts: Mapping[str, Any], as_of: dt.date | None = None, *, store: Store | None = None,
             policy: str | None = None) -> Assessment:
    """Assess every measure in force for the place (every document of place.yaml's areas, or only ``policy``) for
    these facts, as of ``as_of`` (today by default)."""
    store = store or load()
    as_of = as_of or dt.date.today()
    policies = [store.policies[policy]] if policy else store.place_policies()
    pairs = [_view(store, p, facts, as_of) for p in policies]
    ctx = pairs[0][0]
    views = _linked(store, _one_deferral(store, _net_of_reliefs(store, [v for _, v in pairs])))
    results = tuple(r for v in views for r in v.results)
    home = policies[0]
    sme_class = next(iter(ctx.classes)) if ctx.classes and len(ctx.classes) == 1 else None
    scope_missing = tuple(dict.fromkeys(f for v in views for f in v.scope_missing))
    return Assessment(policy=home, as_of=as_of, expired=as_of > home.in_force_until, facts=ctx.facts,
                      sme_class=sme_class, sme_label=ctx.env["sme_label"], sme_reason=ctx.env["sme_reason"],
                      results=results, scope_missing=scope_missing, words=store.words,
                      total=total_of(results, store.words, as_of), views=tuple(views), lender=ctx.lender)


def next_questions(facts: Mapping[str, Any], *, measures: Iterable[str] | None = None,
                   store: Store | None = None, policy: str | None = None,
                   assessment: Assessment | None = None) -> list[Question]:
    """Missing facts ranked by how many open measures each could decide (then the data's order of facts).

    Facts that decide a status (or a part of an applying measure) come first; facts that only complete an amount of
    an eligible measure come after. Every document in force for the place counts (or only ``policy``).
    ``measures`` narrows the count to the measures the user asked about.
    """
    store = store or load()
    assessment = assessment or evaluate(facts, store=store, policy=policy)
    focus = set(measures) if measures else None
    deciding: dict[str, list[str]] = {}
    completing: dict[str, list[str]] = {}
    for r in assessment.results:
        if focus is not None and r.measure.id not in focus:
            continue
        target = deciding if r.status == "unknown" else completing if r.status == "eligible" else None
        for fact in r.missing if target is not None else ():
            target.setdefault(fact, []).append(r.measure.id)
        for fact in r.open_part_facts if r.status == "eligible" else ():
            deciding.setdefault(fact, []).append(r.measure.id)
    order = {name: i for i, name in enumerate(store.facts)}
    ranked = [(f, ids, "condition") for f, ids in sorted(deciding.items(), key=lambda kv: (-len(kv[1]), order[kv[0]]))]
    ranked += [(f, ids, "amount") for f, ids in sorted(completing.items(), key=lambda kv: (-len(kv[1]), order[kv[0]]))
               if f not in deciding]
    return [Question(f, store.facts[f].label, store.facts[f].ask, kind, tuple(ids), store.facts[f].is_yes_no)
            for f, ids, kind in ranked]


def search(text: str, limit: int = 5, *, store: Store | None = None, policy: str | None = None):
    """Clauses matching ``text`` (jieba-segmented full text, BM25)."""
    store = store or load()
    return store.search(text, limit=limit, policy=policy)


def estimate(facts: Mapping[str, Any], measure_id: str, as_of: dt.date | None = None, *,
             store: Store | None = None, policy: str | None = None) -> MeasureResult:
    """A measure from the facts stated so far, for a question that carries its own figures: while conditions are
    still open (status `unknown`, their facts in `missing`), the amount its formula gives if they hold."""
    store = store or load()
    pol, measure = store.find(measure_id) if policy is None else (store.policies[policy], None)
    measure = measure or pol.measure(measure_id)
    ctx = _context(facts, as_of or dt.date.today(), store, pol)
    result = _judge(ctx, measure)
    if result.status != "unknown" or ctx.lender:
        return result
    amount, formula, _ = _amount(ctx, measure)
    return replace(result, amount_yuan=amount, formula=formula)
