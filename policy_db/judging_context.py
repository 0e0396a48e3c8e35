"""One document's view of the facts, which its conditions and formulas are judged against: the facts validated once,
the document's parameters as of the day, the SME class the facts allow (the derived values its expressions read)
with its reason written only when read, whether a financial institution asks, and how its templates show a value."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from . import classification as sme
from .prepared import DERIVED, PreparedPolicy, PreparedStore


@dataclass
class Classified:
    """The SME class the facts allow (derived values the expressions read, shared by the evaluations that reach the
    same thresholds of the same row: PreparedStore.classes), and its reason, written when read."""

    values: dict[str, Any]
    classes: frozenset[str] | None
    missing: tuple[str, ...]
    reason: Callable[[], str]


class Shown(dict):
    """The values the data's Chinese templates show, each written when a template first asks for it; an unknown
    placeholder reads as 未知 rather than failing."""

    def __init__(self, ctx: Context):
        super().__init__()
        self.ctx = ctx

    def __missing__(self, key: str) -> str:
        env = self.ctx.env
        if key in env:
            value = env[key]
            text = value if isinstance(value, str) else show(self.ctx, key, value)
        elif key == "sme_reason":
            text = self.ctx.sme.reason()
        else:
            return "未知"
        self[key] = text
        return text


class Context:
    """One document's view of the facts: what its expressions read (the facts, its parameters as of the day, the SME
    class they allow)."""

    __slots__ = ("prepared", "policy", "facts", "env", "sme", "lender", "as_of", "_shown")

    def __init__(self, prepared: PreparedStore, cp: PreparedPolicy, facts: dict[str, Any], env: dict[str, Any],
                 classified: Classified, lender: bool, as_of: dt.date):
        self.prepared = prepared
        self.as_of = as_of
        self.policy = cp.policy
        self.facts = facts
        self.env = env
        self.sme = classified
        self.lender = lender
        self._shown: Shown | None = None

    @property
    def shown(self) -> Shown:
        if self._shown is None:
            self._shown = Shown(self)
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


def classify_facts(prepared: PreparedStore, cp: PreparedPolicy, env: dict[str, Any]) -> Classified:
    classification = cp.classification
    industry = prepared.industry
    row = classification.rows.get(env.get(industry)) if industry and env.get(industry) else None
    if row is None:
        return Classified(dict(sme=None, sme_class=None, sme_label=sme.class_label(None)), None,
                      (industry,) if industry else (), lambda: "行业未知")
    values = [env.get(i) for i in row.indicators]
    key = (classification.id, row.row, row.name,
           *[None if v is None else bisect_right(cut, v) for v, cut in zip(values, row.cuts)])
    known = prepared.classes.get(key)
    if known is None:
        if len(prepared.classes) > 4096:
            prepared.classes.clear()
        classes = sme.possible_classes(row, env)
        known = prepared.classes[key] = (
            dict(sme=sme.is_sme(classes), sme_class=sme.class_value(classes), sme_label=sme.class_label(classes)),
            classes, tuple(sme.missing_indicators(row, env)))
    derived, classes, missing = known
    return Classified(derived, classes, missing,
                      lambda: sme.describe(row, dict(zip(row.indicators, values)), classification.indicators))


def contexts_for(prepared: PreparedStore, documents: tuple[PreparedPolicy, ...], facts: tuple[tuple[str, Any], ...],
                 as_of: dt.date) -> list[Context]:
    """Each document's context for the facts as (name, value) pairs; they are validated and classified once per
    classification (again only for a document whose parameters carry a fact's name), and documents whose parameters
    can stand side by side share one view (PreparedStore.shared_view)."""
    shared = prepared.shared_view(documents, as_of) if len(documents) > 1 else None
    if shared is not None:  # one view serves every document
        cp = documents[0]
        clean = cp.validate.pairs(facts)
        given = clean if prepared.defaults_unknown else {**prepared.defaults, **clean}
        classified = classify_facts(prepared, cp, given)
        env = shared.copy()  # the defaults and the parameters, whose names no fact and no class value has
        env.update(clean)
        env.update(classified.values)
        lender = is_lender(prepared, given)
        return [Context(prepared, cp, clean, env, classified, lender, as_of) for cp in documents]
    known: dict[str, tuple[dict, dict, Classified, bool]] = {}
    out = []
    for cp in documents:
        cid = cp.classification.id
        if cid not in known:
            clean = cp.validate.pairs(facts)
            given = clean if prepared.defaults_unknown else {**prepared.defaults, **clean}
            classified = classify_facts(prepared, cp, given)
            known[cid] = clean, {**prepared.defaults, **clean, **classified.values}, classified, \
                is_lender(prepared, given)
        clean, base, classified, lender = known[cid]
        env = base.copy()
        env.update(cp._by_day.get(as_of) or cp.parameters(as_of))
        if cp.shadowing:
            classified = classify_facts(prepared, cp, env)
            env.update(classified.values)
            lender = is_lender(prepared, env)
        out.append(Context(prepared, cp, clean, env, classified, lender, as_of))
    return out


def is_lender(prepared: PreparedStore, env: Mapping[str, Any]) -> bool:
    """A financial institution asks (a fact with role `lender` in facts.yaml holds)."""
    return any(map(env.get, prepared.lender_facts))


def show(ctx: Context, name: str, value: Any) -> str:
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


def template(ctx: Context, text: str) -> str:
    return text.format_map(ctx.shown) if "{" in text else text
