"""The eligibility engine: for any facts, complete or not, which measures apply, why, and how much.

Pure over the model loaded from the store (no Rasa, no SQL here). Unknown facts propagate as unknown, so a
partial profile already says what is certain; :func:`next_questions` says which missing fact settles most.

The store comes prepared (policy_db.prepared), so an evaluation validates and classifies the facts once, judges each
document's scope once, walks every measure once, and writes a result's sentences only when they are read.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import partial
from math import copysign
from itertools import repeat
from operator import is_, itemgetter
from typing import Any, Iterable, Mapping

from .across_documents import linked, net_of_reliefs, one_deferral
from .assessment import Assessment, MeasureResult, PolicyView, built
from .judging import amount_of, judge, judge_document, scopes_of
from .judging_context import Context, contexts_for
from .prepared import Links, PreparedPolicy, PreparedStore
from .store import Store, load
from .total import Total, total_of
from .words import Words

_value = itemgetter(1)
_day: tuple[float, float, dt.date | None] = (0.0, 0.0, None)  # today, and from when until when it is today


def _today() -> dt.date:
    """The local date as date.today() gives it, asked of the clock's calendar once a day (date.today() costs a few
    µs, a noticeable part of an evaluation)."""
    global _day
    now = time.time()
    start, end, day = _day
    if start <= now < end:
        return day
    day = dt.date.fromtimestamp(now)
    _day = (time.mktime(day.timetuple()), time.mktime((day + dt.timedelta(days=1)).timetuple()), day)
    return day


@dataclass(frozen=True)
class Question:
    """A missing fact worth asking, with the open measures it would help decide."""

    fact: str
    label: str
    ask: str
    kind: str  # "condition" decides a status; "amount" only completes an estimate
    measures: tuple[str, ...]
    yes_no: bool


@dataclass(frozen=True)
class _Pass:
    """Every measure of the documents judged once, deferrals netted and shared money said once: what both evaluate
    and next_questions need (the links and the total are evaluate's). The recent ones are kept on the prepared store
    (PreparedStore.recent) and given again for the same facts, day and documents: a turn asks both about the facts it
    holds, and every conversation starts from the same few. A pass is kept whole (tuples, results that only ever
    write their own text when read): evaluations in other threads (the workbench's previews) read it as it was made."""

    items: tuple[tuple[str, Any], ...]  # the facts as given
    as_of: dt.date
    policy: str | None
    documents: tuple[PreparedPolicy, ...]
    contexts: tuple[Context, ...]
    results: tuple[MeasureResult, ...]
    spans: tuple[tuple[int, int], ...]  # each document's results
    scope_missing: tuple[tuple[str, ...], ...]
    links: Links


RECENT = 4  # passes kept per store: more keeps more objects alive, and the garbage collector runs more often


def _exact(a: tuple[tuple[str, Any], ...], b: tuple[tuple[str, Any], ...]) -> bool:
    """Facts equal in names, order, values and types are the same facts unless a zero's sign differs (-0.0 == 0.0,
    but a formula shows it); the very same values (a turn's own facts) need no look."""
    return all(map(is_, map(_value, a), map(_value, b))) or all(
        x is y or not isinstance(x, float) or copysign(1.0, x) == copysign(1.0, y) for (_, x), (_, y) in zip(a, b))


def _pass(store: Store, facts: Mapping[str, Any], as_of: dt.date, policy: str | None) -> _Pass:
    prepared = store.prepared
    items = tuple(facts.items())
    recent = prepared.recent
    try:
        key = (as_of, policy, items, tuple(map(type, map(_value, items))))
        known = recent.get(key)
    except TypeError:  # a value that cannot be a key: judged (or refused) afresh
        key = known = None
    if known is not None and _exact(known.items, items):
        return known
    ids = (policy,) if policy else prepared.place_ids
    documents, spans = prepared.assessed(ids)
    contexts = contexts_for(prepared, documents, items, as_of)
    results: list[MeasureResult] = []
    scope_missing = tuple([judge_document(ctx, cp, results) for ctx, cp in zip(contexts, documents)])
    links = prepared.links(ids)
    net_of_reliefs(prepared, links, results)
    one_deferral(links, results)
    done = built(_Pass, items=items, as_of=as_of, policy=policy, documents=documents, contexts=tuple(contexts),
                 results=tuple(results), spans=spans, scope_missing=scope_missing, links=links)
    if key is not None:
        if len(recent) >= RECENT:
            recent.clear()
        recent[key] = done
    return done


def _view(cp: PreparedPolicy, span: tuple[int, int], missing: tuple[str, ...], results: tuple[MeasureResult, ...],
          as_of: dt.date) -> PolicyView:
    view = object.__new__(PolicyView)  # see assessment.built
    view.__dict__.update(policy=cp.policy, as_of=as_of, results=results[span[0]:span[1]], scope_missing=missing)
    return view


def evaluate(facts: Mapping[str, Any], as_of: dt.date | None = None, *, store: Store | None = None,
             policy: str | None = None) -> Assessment:
    """Assess every measure in force for the place (every document of place.yaml's areas, or only ``policy``) for
    these facts, as of ``as_of`` (today by default)."""
    store = store or load()
    as_of = as_of or _today()
    p = _pass(store, facts, as_of, policy)
    results = list(p.results)
    linked(p.links, results)
    results = tuple(results)
    ctx, home = p.contexts[0], p.documents[0].policy
    classes = ctx.sme.classes
    scope_missing = tuple(dict.fromkeys(f for m in p.scope_missing for f in m)) if any(p.scope_missing) else ()
    return built(Assessment, policy=home, as_of=as_of, expired=as_of > home.in_force_until, facts=dict(ctx.facts),
                 sme_class=next(iter(classes)) if classes and len(classes) == 1 else None,
                 sme_label=ctx.env["sme_label"], _sme_reason=ctx.sme.reason, results=results,
                 scope_missing=scope_missing, words=store.words, lender=ctx.lender,
                 _write_total=partial(_total, p.links.priced, results, store.words, as_of),
                 _write_views=partial(_views, p.documents, p.spans, p.scope_missing, results, as_of))


def _views(documents: tuple[PreparedPolicy, ...], spans: tuple[tuple[int, int], ...],
           scope_missing: tuple[tuple[str, ...], ...], results: tuple[MeasureResult, ...], as_of: dt.date
           ) -> tuple[PolicyView, ...]:
    """An assessment's views of its documents, written when first read (assessment._WhenRead)."""
    return tuple(map(_view, documents, spans, scope_missing, repeat(results), repeat(as_of)))


def _total(priced: tuple[int, ...], results: tuple[MeasureResult, ...], words: Words, as_of: dt.date
           ) -> Total | None:
    """An assessment's total, written when first read (assessment._WhenRead)."""
    return total_of(map(results.__getitem__, priced), words, as_of)


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
    results = assessment.results if assessment else _pass(store, facts, _today(), policy).results
    focus = set(measures) if measures else None
    deciding: defaultdict[str, list[str]] = defaultdict(list)
    completing: defaultdict[str, list[str]] = defaultdict(list)
    for r in results:
        counted = r._asks
        if counted is None:
            counted = asks(r)
        if counted:
            measure, decides, completes = counted
            if focus is not None and measure not in focus:
                continue
            for fact in decides:
                deciding[fact].append(measure)
            for fact in completes:
                completing[fact].append(measure)
    prepared = store.prepared
    order, n, asked = prepared.order, len(prepared.order), prepared.questions
    # most measures first, then the data's order, as one number (each fact's order is below n)
    ranked = sorted([(order[f] - n * len(ids), f, tuple(ids)) for f, ids in deciding.items()])
    questions = [asked.get((f, "condition", ids)) or _question(prepared, f, "condition", ids) for _, f, ids in ranked]
    if completing:
        ranked = sorted([(order[f] - n * len(ids), f, tuple(ids)) for f, ids in completing.items()
                         if f not in deciding])
        questions += [asked.get((f, "amount", ids)) or _question(prepared, f, "amount", ids) for _, f, ids in ranked]
    return questions


def asks(r: MeasureResult) -> tuple:
    """What next_questions counts of a result: its measure, the facts that would decide it (an open measure's missing
    facts, or those of an applying measure's open parts) and those that only complete its amount; () when none. Kept
    on the result (most results are shared by many judgings)."""
    status = r.status
    if status == "unknown":
        counted = (r.measure.id, r.missing, ()) if r.missing else ()
    elif status == "eligible":
        decides = r.open_part_facts if r.parts else ()
        counted = (r.measure.id, decides, r.missing) if decides or r.missing else ()
    else:
        counted = ()
    r._asks = counted
    return counted


def _question(prepared: PreparedStore, fact: str, kind: str, measures: tuple[str, ...]) -> Question:
    """Questions are values: the same one is built once and shared (a few hundred ever differ); next_questions
    looks the known ones up itself."""
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
    ctx = contexts_for(prepared, (cp,), tuple(facts.items()), as_of or _today())[0]
    result = judge(ctx, cp.measure(measure), scopes_of(ctx, cp))
    if result.status != "unknown" or ctx.lender:
        return result
    amount, formula, _ = amount_of(ctx, measure)
    return replace(result, amount_yuan=amount, _formula=formula)
