"""The eligibility engine: for any facts, complete or not, which measures apply, why, and how much.

Pure over the model loaded from the store (no Rasa, no SQL here). Unknown facts propagate as unknown, so a
partial profile already says what is certain; :func:`next_questions` says which missing fact settles most.

The store comes prepared (policy_db.prepared), so an evaluation validates and classifies the facts once, judges each
document's scope once, walks every measure once, and writes a result's sentences only when they are read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Callable, Iterable, Mapping

from . import classification as sme
from .assessment import Assessment, MeasureResult, PartResult, PolicyView
from .expressions import Possible
from .model import Measure
from .prepared import DERIVED, FACT, Check, Links, PreparedMeasure, PreparedPolicy, PreparedStore
from .store import Store, load
from .total import total_of
from .across_documents import linked, net_of_reliefs, one_deferral


@dataclass(frozen=True)
class Question:
    """A missing fact worth asking, with the open measures it would help decide."""

    fact: str
    label: str
    ask: str
    kind: str  # "condition" decides a status; "amount" only completes an estimate
    measures: tuple[str, ...]
    yes_no: bool


@dataclass
class _Class:
    """The SME class the facts allow (derived values the expressions read), and its reason, written when read."""

    values: dict[str, Any]
    classes: frozenset[str] | None
    missing: list[str]
    reason: Callable[[], str]


class _Shown(dict):
    """The values the data's Chinese templates show, each written when a template first asks for it; an unknown
    placeholder reads as 未知 rather than failing."""

    def __init__(self, ctx: _Context):
        super().__init__()
        self.ctx = ctx

    def __missing__(self, key: str) -> str:
        env = self.ctx.env
        if key in env:
            value = env[key]
            text = value if isinstance(value, str) else _show(self.ctx, key, value)
        elif key == "sme_reason":
            text = self.ctx.sme.reason()
        else:
            return "未知"
        self[key] = text
        return text


class _Context:
    """One document's view of the facts: what its expressions read (the facts, its parameters as of the day, the SME
    class they allow)."""

    __slots__ = ("prepared", "policy", "facts", "env", "sme", "lender", "_shown")

    def __init__(self, prepared: PreparedStore, cp: PreparedPolicy, facts: dict[str, Any], env: dict[str, Any],
                 classified: _Class, lender: bool):
        self.prepared = prepared
        self.policy = cp.policy
        self.facts = facts
        self.env = env
        self.sme = classified
        self.lender = lender
        self._shown: _Shown | None = None

    @property
    def shown(self) -> _Shown:
        if self._shown is None:
            self._shown = _Shown(self)
        return self._shown

    def labels(self, names: Iterable[str]) -> tuple[str, ...]:
        labels = self.prepared.labels
        return tuple(labels[n] for n in names)

    def fact_names(self, names: Iterable[str]) -> list[str]:
        """Map names an expression reads to the facts that are missing behind them."""
        out: list[str] = []
        for name in names:
            if name in DERIVED:
                out += self.sme.missing
            elif name in self.prepared.specs:
                out.append(name)
        return list(dict.fromkeys(out))


def _classified(prepared: PreparedStore, cp: PreparedPolicy, env: dict[str, Any]) -> _Class:
    classification = cp.classification
    industry = prepared.industry
    row = classification.rows.get(env.get(industry)) if industry and env.get(industry) else None
    if row is None:
        return _Class(dict(sme=None, sme_class=None, sme_label=sme.class_label(None)), None,
                      [industry] if industry else [], lambda: "行业未知")
    classes = sme.possible_classes(row, env)
    values = dict(sme=sme.is_sme(classes), sme_class=sme.class_value(classes), sme_label=sme.class_label(classes))
    return _Class(values, classes, sme.missing_indicators(row, env),
                  lambda: sme.describe(row, env, classification.indicators))


def _contexts(prepared: PreparedStore, documents: list[PreparedPolicy], facts: Mapping[str, Any],
              as_of: dt.date) -> list[_Context]:
    """Each document's context; the facts are validated and classified once per classification (again only for a
    document whose parameters carry a fact's name)."""
    known: dict[str, tuple[dict, dict, _Class, bool]] = {}
    out = []
    for cp in documents:
        cid = cp.classification.id
        if cid not in known:
            clean = cp.validate(facts)
            base = {**prepared.defaults, **clean}
            classified = _classified(prepared, cp, base)
            known[cid] = clean, {**base, **classified.values}, classified, _lender(prepared, base)
        clean, base, classified, lender = known[cid]
        env = {**base, **cp.parameters(as_of)}
        if cp.shadowing:
            classified = _classified(prepared, cp, env)
            env.update(classified.values)
            lender = _lender(prepared, env)
        out.append(_Context(prepared, cp, clean, env, classified, lender))
    return out


def _lender(prepared: PreparedStore, env: Mapping[str, Any]) -> bool:
    """A financial institution asks (a fact with role `lender` in facts.yaml holds)."""
    return any(env.get(name) for name in prepared.lender_facts)


def _show(ctx: _Context, name: str, value: Any) -> str:
    """One value as a formula or a message shows it: 50%, 6000, 3."""
    if value is None:
        spec = ctx.prepared.specs.get(name)
        return spec.label if spec else name
    param = ctx.policy.parameters.get(name)
    if param is not None and param.unit == "percent":
        return f"{value * 100:g}%"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "")
    return str(value)


def _template(ctx: _Context, text: str) -> str:
    return text.format_map(ctx.shown) if "{" in text else text


def _said(ctx: _Context, check: Check, text: str) -> str:
    """A condition's holds/fails text, naming the other document when its rule decided (without its figures the
    answer is open: "没裁员" holds whatever the 少裁员 standard, "裁员3人" depends on it), quoting the scope sentence
    when the scope refused."""
    condition = check.condition
    said = _template(ctx, text)
    if condition.outside and check.outside and check.run({**ctx.env, **check.outside}) is None:
        said += f"（{condition.outside}）"
    if text == condition.fails:
        said += check.quote
    return said


def _amount(ctx: _Context, measure: Measure) -> tuple[float | None, Callable[[], str] | None, list[str]]:
    """The amount and what writes its formula ("7200 × 50% = 3600"), or the facts it still lacks."""
    if measure.amount is None:
        return None, None, []
    formula, env = measure.amount.formula, ctx.env

    def written() -> str:
        return formula.render(env, lambda n, v: _show(ctx, n, v))

    value = formula.run(env)
    if value is None:
        return None, written, ctx.fact_names(formula.unknown_names(env))
    value = round(float(value), 2)
    return value, lambda: f"{written()} = {_show(ctx, '', value)}", []


@dataclass(slots=True)
class _Scope:
    """A document's scope (or lender scope) judged once for all its measures: the check that refused, else the first
    the texts leave open (`not_covered`), whether any is open, and the facts those still need."""

    refused: Check | None = None
    refusal: str | Callable[[], str] | None = None
    uncovered: Check | None = None
    open: bool = False
    open_facts: tuple[str, ...] = ()


def _open_facts(ctx: _Context, check: Check) -> list[str]:
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


def _refusal(ctx: _Context, check: Check) -> str | Callable[[], str]:
    return check.refusal or partial(_said, ctx, check, check.condition.fails)


def _scope(ctx: _Context, checks: tuple[Check, ...]) -> _Scope:
    env, uncovered, is_open, missing = ctx.env, None, False, []
    for c in checks:
        value = c.run(env)
        if value is None:
            is_open = True
            missing += _open_facts(ctx, c)
        elif not value:
            if c.refuses:
                return _Scope(c, _refusal(ctx, c))
            uncovered = uncovered or c
    return _Scope(None, None, uncovered, is_open, tuple(dict.fromkeys(missing)))


_NO_SCOPE = _Scope()


def _decide(ctx: _Context, checks: tuple[Check, ...], chain: tuple[Check, ...], scope: _Scope = _NO_SCOPE
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
        return "unknown", partial(_asking, ctx, missing), missing
    return "eligible", partial(_holding, ctx, chain), ()


def _asking(ctx: _Context, missing: tuple[str, ...]) -> str:
    return f"还需要了解：{'、'.join(ctx.labels(missing))}"


def _holding(ctx: _Context, chain: tuple[Check, ...]) -> str:
    return "，".join(_said(ctx, c, c.condition.holds) for c in chain)


def _not_covered(ctx: _Context, check: Check) -> str:
    """A case the stored texts do not decide: what they leave open, and the department to ask (place.yaml)."""
    reason = _template(ctx, check.condition.fails)
    words, place = ctx.prepared.words, ctx.prepared.place
    department = place.consult.get(ctx.policy.matter or "")
    return words.coverage["not_covered"].format(reason=reason, department=department) if department else reason


def _for_lender(ctx: _Context, measure: Measure, months: int | None) -> MeasureResult:
    """A bank or local financial organisation asking: what each of its measures says to it, worded as its kind (a
    relief of insured units is its own benefit, with its amount)."""
    words = ctx.prepared.words
    if measure.to_lender:
        lead = words.kinds[measure.kind].lender_lead or ""
        amount, formula, missing = _amount(ctx, measure)
        return MeasureResult(measure, "eligible", f"{lead}{measure.to_lender}", months, amount, formula,
                             tuple(missing), ctx.prepared.labels, policy=ctx.policy)
    refused = ctx.policy.lender_refused or words.statuses["lender_refused"]
    return MeasureResult(measure, "ineligible", refused, months, _labels=ctx.prepared.labels, policy=ctx.policy)


def _with_parts(why: str, parts: tuple[PartResult, ...]) -> str:
    """'…；适用：轻微违法违规柔性执法；防疫运输绿色通道：没有…' — which parts apply, and why the others do not."""
    applying = [p.part.title for p in parts if p.status == "eligible"]
    others = [f"{p.part.title}：{p.why}" for p in parts if p.status != "eligible"]
    return "；".join(x for x in (why, f"适用：{'、'.join(applying)}", *others) if x)


def _judge(ctx: _Context, pm: PreparedMeasure, scopes: Mapping[str | None, _Scope]) -> MeasureResult:
    return _judged(ctx, (pm,), scopes)[0]


def _applying(ctx: _Context, pm: PreparedMeasure, why: Callable[[], str], months: int | None) -> MeasureResult:
    """A measure whose conditions hold: through which of its parts, and how much."""
    measure, labels, policy = pm.measure, ctx.prepared.labels, ctx.policy
    parts = tuple(PartResult(p.part, *_decide(ctx, p.checks, p.checks)) for p in pm.parts) if pm.parts else ()
    if parts and not any(p.status == "eligible" for p in parts):
        status = "unknown" if any(p.status == "unknown" for p in parts) else "ineligible"
        missing = tuple(dict.fromkeys(f for p in parts for f in p.missing))
        return MeasureResult(measure, status, lambda: "；".join(f"{p.part.title}：{p.why}" for p in parts), months,
                             None, None, missing, labels, parts, policy)
    amount, formula, missing = _amount(ctx, measure)
    return MeasureResult(measure, "eligible", partial(_applies_because, why, parts, measure.summary), months, amount,
                         formula, tuple(missing), labels, parts, policy)


def _applies_because(why: Callable[[], str], parts: tuple[PartResult, ...], summary: str) -> str:
    """An applying measure's reason: what held and which parts apply; its summary when no condition says more."""
    return (_with_parts(why(), parts) if parts else why()) or summary


def _scopes(ctx: _Context, cp: PreparedPolicy) -> dict[str | None, _Scope]:
    return {"enterprise": _scope(ctx, cp.scope) if cp.scope else _NO_SCOPE,
            "lender": _scope(ctx, cp.lender_scope) if cp.lender_scope else _NO_SCOPE, None: _NO_SCOPE}


def _judged(ctx: _Context, measures: tuple[PreparedMeasure, ...], scopes: Mapping[str | None, _Scope]
            ) -> list[MeasureResult]:
    """Measures of a document judged (the scopes judged once for all of them)."""
    env, labels, policy, out = ctx.env, ctx.prepared.labels, ctx.policy, []
    if ctx.lender:
        return [_for_lender(ctx, pm.measure, env[pm.months] if pm.months else None) for pm in measures]
    for pm in measures:
        months = env[pm.months] if pm.months else None
        scope = scopes[pm.scope]
        if scope.refused is not None:
            out.append(MeasureResult(pm.measure, "ineligible", scope.refusal, months, None, None, (), labels, (),
                                     policy))
            continue
        status, why, missing = _decide(ctx, pm.checks, pm.chain, scope)
        if status == "eligible":
            out.append(_applying(ctx, pm, why, months))
        else:
            out.append(MeasureResult(pm.measure, status, why, months, None, None, missing, labels, (), policy))
    return out


def _document(ctx: _Context, cp: PreparedPolicy) -> tuple[list[MeasureResult], tuple[str, ...]]:
    """A document's measures judged; and the facts its scope still needs (none once a scope condition fails)."""
    scopes = _scopes(ctx, cp)
    scope = scopes["enterprise"]
    missing = () if scope.refused or scope.uncovered else scope.open_facts
    return _judged(ctx, cp.measures, scopes), missing


@dataclass
class _Pass:
    """Every measure of the documents judged once, deferrals netted and shared money said once: what both evaluate
    and next_questions need (the links and the total are evaluate's)."""

    documents: list[PreparedPolicy]
    contexts: list[_Context]
    results: list[MeasureResult]
    spans: list[tuple[int, int]]  # each document's results
    scope_missing: list[tuple[str, ...]]
    links: Links
    eligible: list[bool]


def _pass(store: Store, facts: Mapping[str, Any], as_of: dt.date, policy: str | None) -> _Pass:
    prepared = store.prepared
    ids = (policy,) if policy else prepared.place_ids
    documents = [prepared.policies[i] for i in ids]
    contexts = _contexts(prepared, documents, facts, as_of)
    results: list[MeasureResult] = []
    spans, scope_missing = [], []
    for ctx, cp in zip(contexts, documents):
        judged, missing = _document(ctx, cp)
        spans.append((len(results), len(results) + len(judged)))
        results += judged
        scope_missing.append(missing)
    links = prepared.links(ids)
    eligible = [r.status == "eligible" for r in results]
    net_of_reliefs(prepared, links, results, eligible)
    one_deferral(links, results, eligible)
    return _Pass(documents, contexts, results, spans, scope_missing, links, eligible)


def evaluate(facts: Mapping[str, Any], as_of: dt.date | None = None, *, store: Store | None = None,
             policy: str | None = None) -> Assessment:
    """Assess every measure in force for the place (every document of place.yaml's areas, or only ``policy``) for
    these facts, as of ``as_of`` (today by default)."""
    store = store or load()
    as_of = as_of or dt.date.today()
    p = _pass(store, facts, as_of, policy)
    linked(p.links, p.results, p.eligible)
    results = tuple(p.results)
    views = tuple([PolicyView(cp.policy, as_of, results[a:b], missing)
                   for cp, (a, b), missing in zip(p.documents, p.spans, p.scope_missing)])
    ctx, home = p.contexts[0], p.documents[0].policy
    classes = ctx.sme.classes
    scope_missing = tuple(dict.fromkeys(f for m in p.scope_missing for f in m)) if any(p.scope_missing) else ()
    return Assessment(policy=home, as_of=as_of, expired=as_of > home.in_force_until, facts=ctx.facts,
                      sme_class=next(iter(classes)) if classes and len(classes) == 1 else None,
                      sme_label=ctx.env["sme_label"], _sme_reason=ctx.sme.reason, results=results,
                      scope_missing=scope_missing, words=store.words, total=total_of(results, store.words, as_of),
                      views=views, lender=ctx.lender)


def next_questions(facts: Mapping[str, Any], *, measures: Iterable[str] | None = None,
                   store: Store | None = None, policy: str | None = None,
                   assessment: Assessment | None = None) -> list[Question]:
    """Missing facts ranked by how many open measures each could decide (then the data's order of facts).

    Facts that decide a status (or a part of an applying measure) come first; facts that only complete an amount of
    an eligible measure come after. Every document in force for the place counts (or only ``policy``).
    ``measures`` narrows the count to the measures the user asked about. Without ``assessment`` the measures are
    judged as evaluate judges them, without what only a shown result needs (links, the total).
    """
    store = store or load()
    results = assessment.results if assessment else _pass(store, facts, dt.date.today(), policy).results
    focus = set(measures) if measures else None
    deciding: dict[str, list[str]] = {}
    completing: dict[str, list[str]] = {}
    for r in results:
        if focus is not None and r.measure.id not in focus:
            continue
        if r.status == "unknown":
            for fact in r.missing:
                deciding.setdefault(fact, []).append(r.measure.id)
        elif r.status == "eligible":
            for fact in r.missing:
                completing.setdefault(fact, []).append(r.measure.id)
            for fact in r.open_part_facts if r.parts else ():
                deciding.setdefault(fact, []).append(r.measure.id)
    prepared = store.prepared
    order = prepared.order
    ranked = [(f, ids, "condition") for f, ids in sorted(deciding.items(), key=lambda kv: (-len(kv[1]), order[kv[0]]))]
    ranked += [(f, ids, "amount") for f, ids in sorted(completing.items(), key=lambda kv: (-len(kv[1]), order[kv[0]]))
               if f not in deciding]
    return [_question(prepared, f, kind, tuple(ids)) for f, ids, kind in ranked]


def _question(prepared: PreparedStore, fact: str, kind: str, measures: tuple[str, ...]) -> Question:
    """Questions are values: the same one is built once and shared (a few hundred ever differ)."""
    key = (fact, kind, measures)
    question = prepared.questions.get(key)
    if question is None:
        if len(prepared.questions) > 4096:
            prepared.questions.clear()
        spec = prepared.specs[fact]
        question = prepared.questions[key] = Question(fact, spec.label, spec.ask, kind, measures, spec.is_yes_no)
    return question


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
    prepared = store.prepared
    cp = prepared.policies[pol.id]
    ctx = _contexts(prepared, [cp], facts, as_of or dt.date.today())[0]
    result = _judge(ctx, cp.measure(measure), _scopes(ctx, cp))
    if result.status != "unknown" or ctx.lender:
        return result
    amount, formula, _ = _amount(ctx, measure)
    return replace(result, amount_yuan=amount, _formula=formula)
