"""The store prepared once for the engine, so an evaluation only runs what depends on the facts.

Built the first time a store is used (:attr:`Store.prepared`): each document's scope and each measure's conditions as
ready checks with what their texts need (the parameters of other documents they read, whether they are the scope),
the facts' labels, defaults and roles as lookups, the parameters of each document per day, and, per set of documents
assessed together, which measures link, share money or net a relief off a deferral. The expressions stay the data's;
only the work of finding them is done ahead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Callable, Mapping

from .facts import Validator
from .model import Classification, Condition, FactSpec, Measure, Part, Place, Policy
from .words import Words

DERIVED = ("sme", "sme_class", "sme_label", "sme_reason")
CLASS_VALUES = frozenset(DERIVED[:3])  # the derived values a context holds (judging_context.classify_facts)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
FACT, CLASS = "fact", "class"  # what a name an expression reads is, when not a parameter


@dataclass(frozen=True, slots=True, eq=False)
class Check:
    """A condition ready to run; ``outside``: parameters of another document it reads (set to unknown to see
    whether that rule decided it); ``quote``: for a scope condition, the scope sentence its refusal quotes;
    ``refusal``: its refusal as said, when no fact can change it (no placeholder, no rule of another document);
    ``name``: when the condition is one name (``insured``), that name, read from the facts without calling ``run``;
    ``asks``: ``(fact,)``, the missing facts it names while open, when it reads one fact."""

    condition: Condition
    run: Callable[[Mapping[str, Any]], Any]
    names: tuple[str, ...]
    outside: dict[str, None]
    quote: str
    reads: tuple[tuple[str, str], ...]  # the names that are facts (FACT) or the class (CLASS), with which
    refuses: bool  # its failure refuses the measure (else the texts do not decide: `not_covered`)
    fact: str | None  # the one fact it reads, when it reads only that (the fact it needs while open)
    refusal: str | None
    name: str | None
    asks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PreparedPart:
    part: Part
    checks: tuple[Check, ...]


@dataclass(frozen=True, slots=True)
class PreparedMeasure:
    """A measure with its own checks; ``scope``: which of its document's scopes comes first (enterprise, lender or
    none); ``chain``: that scope's checks and its own, as its reason lists them when all hold; ``outcomes``: its
    results that no fact's value is written into (refused with a fixed sentence, open for named facts), built once
    each and shared by every evaluation that reaches them (they are values; most results of an evaluation are these).
    Such a result is found again without running a check (PreparedPolicy.tables) by the document's judged scopes, the
    class and the values its checks read, when each of these has few values (a yes/no, a choice, the class):
    ``keyed``; ``key_facts``: the facts among them; ``reads_class``: a check reads the class, whose missing
    indicators are then its open facts; ``whole``: its applying result is found so too (it has no amount, and the
    values its sentences show are among those read), its sentences written once; ``said_once``: its checks whose
    refusal shows only such values, so too."""

    measure: Measure
    scope: str | None
    checks: tuple[Check, ...]
    parts: tuple[PreparedPart, ...]
    chain: tuple[Check, ...]
    months: str | None  # the parameter giving its months
    outcomes: dict[tuple, Any] = field(compare=False, repr=False)
    keyed: bool = False
    key_facts: tuple[str, ...] = ()
    reads_class: bool = False
    whole: bool = False
    said_once: frozenset[Check] = frozenset()


NEVER: dict = {}  # the table of a measure whose results are never found by key: always empty, never written


class PreparedPolicy:
    """A document: its scopes and measures (those of the place) as checks, its parameters per day."""

    def __init__(self, policy: Policy, measures: tuple[Measure, ...], classification: Classification,
                 fact_names: frozenset[str], validate: Validator, few_values: frozenset[str]):
        self.policy = policy
        self.classification = classification
        self.validate = validate  # the facts, checked as this document's classification reads them
        self.fact_names = fact_names
        self.few_values = few_values  # the facts with few values (yes/no, a choice, the industry) and the class
        self.states: dict[tuple, Any] = {}  # its scopes as judged, by day and outcome (policy_db.judging)
        self.unscoped: dict[dt.date, Any] = {}  # per day, the scopes of a document without any
        self.scope = tuple(self._check(c) for c in policy.scope)
        self.lender_scope = tuple(self._check(c) for c in policy.lender_scope)
        self.measures = tuple(self._measure(m) for m in measures)
        self._keys(self.measures)
        # its scopes judged, found again by the day, the class's missing indicators and the values their checks read,
        # when these have few values (policy_db.judging.scopes_of)
        scope_names = tuple(dict.fromkeys(n for c in (*self.scope, *self.lender_scope) for n in c.names
                                          if n not in policy.parameters))
        self.scope_key = itemgetter(*scope_names) if scope_names and all(n in few_values for n in scope_names) \
            else None
        self.judged_scopes: dict[tuple, dict[str | None, Any]] = {}
        # parameters named like a fact read the classification on the document's own values
        self.shadowing = tuple(n for n in policy.parameters if n in fact_names or n in DERIVED)
        self.reads_own = self._reads_own(measures)
        self._by_day: dict[dt.date, dict[str, Any]] = {}

    def measure(self, measure: Measure) -> PreparedMeasure:
        """A measure of the document prepared (also one outside the place, for an estimate)."""
        return next((pm for pm in self.measures if pm.measure is measure), None) or self._measure(measure)

    def _measure(self, measure: Measure) -> PreparedMeasure:
        scope = measure.audience if measure.audience in ("enterprise", "lender") else None
        checks = tuple(self._check(c) for c in measure.conditions)
        parts = tuple(PreparedPart(p, tuple(self._check(c) for c in p.conditions)) for p in measure.parts)
        before = {"enterprise": self.scope, "lender": self.lender_scope}.get(scope, ())
        part_checks = tuple(c for p in parts for c in p.checks)
        names = [n for c in (*checks, *part_checks) for n in c.names if n not in self.policy.parameters]
        keyed = all(n in self.few_values for n in names)
        # the sentences of its applying result: whose values they show, whether another document's rule is said
        shown = [n for c in before + checks for n in _PLACEHOLDER.findall(c.condition.holds)]
        shown += [n for c in part_checks for text in (c.condition.holds, c.condition.fails)
                  for n in _PLACEHOLDER.findall(text)]
        shown = [n for n in shown if n not in self.policy.parameters]
        whole = keyed and measure.amount is None and all(n in self.few_values for n in shown) and \
            not any(c.condition.outside and c.outside for c in (*before, *checks, *part_checks))
        names = tuple(dict.fromkeys([*names, *shown] if whole else names))
        # its refusals that show only values with few values (its class, its yes/no, its choice): written once each
        said = {c: [n for n in _PLACEHOLDER.findall(c.condition.fails) if n not in self.policy.parameters]
                for c in checks if c.refuses and c.refusal is None and not (c.condition.outside and c.outside)}
        said = {c: shows for c, shows in said.items() if all(n in self.few_values for n in shows)} if keyed else {}
        names = tuple(dict.fromkeys([*names, *(n for shows in said.values() for n in shows)]))
        return PreparedMeasure(measure, scope, checks, parts, before + checks, measure.months_parameter, {}, keyed,
                               tuple(n for n in names if n not in DERIVED) if keyed else (),
                               any(n in DERIVED for n in names), whole, frozenset(said))

    def _keys(self, measures: tuple[PreparedMeasure, ...]) -> None:
        """How a judging finds its keyed measures' results (policy_db.judging.judge_document): one list of tables per
        judging of the scopes and the class (``tables``, by the scopes and, when a measure reads the class, its missing
        indicators and ``class_key``'s values), a table per measure holding its results by the values of its facts:
        one fact's value read by name (``key_names``; "" reads None, for a measure without facts), several as a tuple
        (``multi``: position, reader)."""
        keyed = [pm for pm in measures if pm.keyed]
        self.class_key = itemgetter(*DERIVED[:3]) if any(pm.reads_class for pm in keyed) else None
        self.key_names = tuple(pm.key_facts[0] if len(pm.key_facts) == 1 else "" for pm in measures)
        self.multi = tuple((i, itemgetter(*pm.key_facts)) for i, pm in enumerate(measures) if len(pm.key_facts) > 1)
        self.keyed = tuple(pm.keyed for pm in measures)
        self.tables: dict[tuple, list[dict]] = {}

    def _check(self, condition: Condition) -> Check:
        """What running a condition and saying its texts needs, found once (see Check)."""
        policy = self.policy
        names = condition.test.names
        outside = {n: None for n in names
                   if n in policy.parameters and policy.parameters[n].reference not in policy.clauses}
        reads = tuple((n, CLASS if n in DERIVED else FACT) for n in names if n in DERIVED or n in self.fact_names)
        fact = names[0] if len(names) == 1 and reads and reads[0][1] == FACT else None
        quote = ""
        if any(condition is c for c in policy.scope):
            clause = policy.clauses[policy.references["scope"]]
            quote = f"。{policy.called}原文：“{policy.scope_quote}”（{clause.label}）"
        fixed = "{" not in condition.fails and not (condition.outside and outside)
        return Check(condition, condition.test.run, names, outside, quote, reads, not condition.not_covered, fact,
                     condition.fails + quote if fixed else None, condition.test.bare_name, (fact,) if fact else ())

    def _reads_own(self, measures: tuple[Measure, ...]) -> bool:
        """Its conditions, formulas and sentences read only facts, the class and its own parameters (the store's
        checks hold every document to it): the values of other documents' parameters beside them change nothing."""
        checks = [*self.scope, *self.lender_scope,
                  *(c for pm in self.measures for c in (*pm.checks, *(c for p in pm.parts for c in p.checks)))]
        names = {n for c in checks for n in c.names} | {n for m in measures if m.amount for n in m.amount.formula.names}
        names |= {n for c in checks for text in (c.condition.holds, c.condition.fails)
                  for n in _PLACEHOLDER.findall(text)}
        return names <= self.fact_names | set(DERIVED) | set(self.policy.parameters)

    def parameters(self, as_of: dt.date) -> dict[str, Any]:
        """Policy.parameter_values, kept per day (a few days are ever asked about)."""
        values = self._by_day.get(as_of)
        if values is None:
            if len(self._by_day) > 64:
                self._by_day.clear()
            values = self._by_day[as_of] = self.policy.parameter_values(as_of)
        return values


@dataclass(frozen=True)
class Links:
    """What ties measures of the documents assessed together, by position in the results. ``reliefs``: a deferral
    and the reliefs taken off it; ``same_money``: (first, second, the sentence the second says); ``notes``: (whose,
    the sentence, positions that must all apply); ``linking``: the positions those name, the only ones that may say
    a link; ``priced``: the positions of measures with an amount, the only ones a total may add."""

    reliefs: tuple[tuple[int, tuple[int, ...]], ...]
    same_money: tuple[tuple[int, int, str], ...]
    notes: tuple[tuple[int, str, tuple[int, ...]], ...]
    linking: tuple[int, ...]
    priced: tuple[int, ...]


class PreparedStore:
    """The facts as lookups and every document prepared; see the module's docstring."""

    def __init__(self, facts: dict[str, FactSpec], policies: list[Policy], place_ids: tuple[str, ...],
                 measures_here: Callable[[Policy], tuple[Measure, ...]],
                 classification_for: Callable[[Policy], Classification], words: Words, place: Place):
        self.specs = facts
        self.words = words
        self.place = place
        self.labels = {name: spec.label for name, spec in facts.items()}
        self.order = {name: i for i, name in enumerate(facts)}
        self.defaults = {name: spec.default for name, spec in facts.items()}
        self.lender_facts = tuple(name for name, spec in facts.items() if spec.role == "lender")
        # the defaults say no more than the facts alone (unknown, or no to a lender's question): the class and the
        # asker's kind are read from the facts without the defaults added
        self.defaults_unknown = all(v is None or name in self.lender_facts and not v
                                    for name, v in self.defaults.items())
        self.industry = next((name for name, spec in facts.items() if spec.type == "industry"), None)
        names = frozenset(facts)
        few = frozenset(name for name, spec in facts.items() if spec.type in ("bool", "choice", "industry"))
        validators: dict[str, Validator] = {}
        for c in map(classification_for, policies):
            validators.setdefault(c.id, Validator(facts, c))
        self.policies = {p.id: PreparedPolicy(p, measures_here(p), classification_for(p), names,
                                              validators[classification_for(p).id], few | CLASS_VALUES) for p in policies}
        self.place_ids = place_ids
        self._links: dict[tuple[str, ...], Links] = {}
        self._assessed: dict[tuple[str, ...], tuple] = {}
        self._shared: dict[tuple, dict[str, Any] | None] = {}
        self.questions: dict[tuple, Any] = {}  # the engine's questions, built once each (they are values)
        self.recent: dict[tuple, Any] = {}  # the engine's recent judgings, by their facts (policy_db.engine._Pass)
        # the SME class of a row by the thresholds its indicators reach (judging_context.classify_facts), once each
        self.classes: dict[tuple, Any] = {}

    def links(self, ids: tuple[str, ...]) -> Links:
        """How the measures of these documents, assessed together in this order, tie (prepared once per set)."""
        plan = self._links.get(ids)
        if plan is None:
            plan = self._links[ids] = _links(self.words, [self.policies[i] for i in ids])
        return plan


    def shared_view(self, documents: tuple[PreparedPolicy, ...], as_of: dt.date) -> dict[str, Any] | None:
        """The facts' defaults and the parameters of these documents as of the day in one mapping, which one view of
        the facts serves them all (judging_context.contexts_for: a copy, the facts and the class added): when they
        read only their own, share a classification, none is named like a fact (so no fact or class value replaces
        one), and a name two of them use has one value; else None."""
        key = (documents, as_of)
        view = self._shared.get(key, False)
        if view is False:
            if len(self._shared) > 64:
                self._shared.clear()
            merged: dict[str, Any] = {}
            shared = len({cp.classification.id for cp in documents}) == 1 and \
                all(cp.reads_own and not cp.shadowing for cp in documents)
            for cp in documents if shared else ():
                for name, value in cp.parameters(as_of).items():
                    if name in merged and (type(merged[name]) is not type(value) or merged[name] != value):
                        shared = False
                    merged[name] = value
            view = self._shared[key] = {**self.defaults, **merged} if shared else None
        return view

    def assessed(self, ids: tuple[str, ...]) -> tuple[tuple[PreparedPolicy, ...], tuple[tuple[int, int], ...]]:
        """These documents, and the positions of each one's results among all of theirs (prepared once per set)."""
        known = self._assessed.get(ids)
        if known is None:
            documents = tuple(self.policies[i] for i in ids)
            ends = [0]
            for cp in documents:
                ends.append(ends[-1] + len(cp.measures))
            known = self._assessed[ids] = documents, tuple(zip(ends, ends[1:]))
        return known


def _named(policy: Policy, measure: Measure) -> str:
    return f"{policy.cited}{measure.name}"


def _links(words: Words, policies: list[PreparedPolicy]) -> Links:
    """The engine's rules on related measures (implements, see_also, same_money, a relief within a deferral's
    money) resolved for these documents: which positions, which sentences."""
    pairs = [(p.policy, pm.measure) for p in policies for pm in p.measures]
    position = {m.id: i for i, (_, m) in enumerate(pairs)}
    reliefs = [i for i, (_, m) in enumerate(pairs) if m.amount and m.amount.within]
    deferrals = tuple((i, tuple(j for j in reliefs if pairs[j][1].amount.within in m.amount.formula.names))
                      for i, (_, m) in enumerate(pairs) if m.amount is not None and m.amount.total_excluded)
    same_money, notes = [], []
    for i, (policy, m) in enumerate(pairs):
        for ref in m.see_also:
            j = position.get(ref.measure)
            if ref.same_money and j is not None:
                first, second = sorted((i, j))
                link = words.coverage["same_money"].format(measure=_named(*pairs[first]), money=ref.same_money)
                same_money.append((first, second, link))
        target = position.get(m.implements.measure) if m.implements else None
        if target is not None:
            t_policy, t_measure = pairs[target]
            cap = t_policy.parameters.get(t_measure.months_parameter or "")
            notes.append((i, words.links["implements"].format(
                document=t_policy.cited, clause=t_policy.clauses[t_measure.clause].label,
                cap=f"：{cap.text}" if cap else ""), ()))
            notes.append((target, words.links["implemented_by"].format(measure=_named(policy, m)), ()))
        for ref in m.see_also:
            j = position.get(ref.measure)
            if j is None:
                continue
            first, second = sorted((i, j))
            notes.append((first, words.links["see_also"].format(measure=_named(*pairs[second])), (i, j)))
            if not ref.same_money:
                notes.append((second, words.links["see_also"].format(measure=_named(*pairs[first])), (i, j)))
    reliefs = tuple((i, js) for i, js in deferrals if js)
    linking = {i for i, _, _ in notes} | {i for i, _ in reliefs} | {second for _, second, _ in same_money}
    priced = tuple(i for i, (_, m) in enumerate(pairs) if m.amount is not None)
    return Links(reliefs, tuple(same_money), tuple(notes), tuple(sorted(linking)), priced)
