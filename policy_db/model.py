"""The policy as the engine sees it: immutable objects built from the store's rows.

Nothing here knows about YAML or SQLite; :mod:`policy_db.store` hands plain records in and gets these back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import trade_words
from .expressions import Expression, compile_expression


@dataclass(frozen=True)
class FactSpec:
    """One enterprise fact of contract §3: its type, bounds and how to ask for it."""

    name: str
    type: str
    label: str
    ask: str
    situation: str | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    max_exclusive: float | None = None
    at_most: str | None = None
    choices: tuple[str, ...] = ()
    default: Any = None
    implies: dict[str, Any] = field(default_factory=dict)  # facts a positive value of this one says too
    about_asker: bool = False  # says who is asking ("我们是农商行的"): taken even from a question
    role: str | None = None  # class_indicator, lender (facts.yaml)
    denied: str | None = None  # the fact said not to hold, to confirm a guess ("企业没有受到疫情影响")
    simulator: dict[str, Any] = field(default_factory=dict)  # how generated enterprises have it (facts.yaml)
    period: str | None = None  # "month": a yearly figure said for it is its twelfth; "year": last year's (facts.yaml)
    part_of: str | None = None  # the fact this one is a share of: a figure given for the whole answers the share asked

    @property
    def is_yes_no(self) -> bool:
        return self.type == "bool"


@dataclass(frozen=True)
class Parameter:
    """A figure of the policy (rate, cap, months) with the clause it comes from and the dates it holds from."""

    name: str
    description: str
    unit: str
    reference: str
    text: str
    values: tuple[tuple[dt.date, Any], ...]

    def at(self, day: dt.date) -> Any:
        """The value in force on ``day`` (the earliest one before the parameter starts)."""
        current = self.values[0][1]
        for start, value in self.values:
            if start <= day:
                current = value
        return current


@dataclass(frozen=True)
class Condition:
    """``outside`` names the document a rule comes from when it is not the notice (said when that rule decides);
    ``not_covered``: when it fails, the stored texts do not decide the case (an open answer naming whom to ask), they
    do not refuse it."""

    test: Expression
    holds: str
    fails: str
    outside: str | None = None
    not_covered: bool = False


@dataclass(frozen=True)
class Amount:
    """``total_base``: what the money is paid on (amounts on one base count once in a total); ``total_excluded``:
    why the amount is never added (a deferral must be paid later); ``within``: the fact whose money this relief is
    part of (the exempt employer share is part of the premium a deferral defers, and is not deferred)."""

    label: str
    formula: Expression
    total_base: str | None = None
    total_excluded: str | None = None
    within: str | None = None


@dataclass(frozen=True)
class Part:
    """One of several things a numbered item holds, with its own conditions (measure 14: the green channel and
    lenient enforcement)."""

    title: str
    excerpt: str
    conditions: tuple[Condition, ...]
    handoff: str | None = None


@dataclass(frozen=True)
class Area:
    """Where a document or measure applies: an area (全国, 山东省, 聊城市) and those it excepts ("除湖北省外")."""

    within: str
    excepts: tuple[str, ...] = ()

    def covers(self, place: "Place") -> bool:
        return self.within in place.within and not set(self.excepts) & set(place.within)


@dataclass(frozen=True)
class Place:
    """The place the assistant serves (place.yaml): the areas it lies in, the order of levels, whom to consult."""

    name: str
    within: tuple[str, ...]
    levels: tuple[str, ...]
    consult: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Ref:
    """A measure of another (or the same) document; ``same_money``: the money both act on (two deferrals of the same
    premiums), shown once where both apply."""

    policy: str
    measure: str
    same_money: str | None = None


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    clause: str
    departments: tuple[str, ...]
    summary: str
    excerpt: str
    audience: str
    kind: str
    conditions: tuple[Condition, ...]
    amount: Amount | None = None
    months_parameter: str | None = None
    approval: str | None = None
    to_lender: str | None = None
    not_given: str | None = None
    reading: str | None = None
    parts: tuple[Part, ...] = ()
    keywords: tuple[str, ...] = ()
    mentioned_parameters: tuple[str, ...] = ()
    policy: str = ""
    number: str = ""  # how the document numbers it, shown to people ("1.1", "一"; "" when it has none)
    area: Area | None = None  # narrower than its document's
    implements: Ref | None = None  # the measure of a higher document whose figures this one sets
    see_also: tuple[Ref, ...] = ()  # measures of other documents on the same ground
    note: str | None = None  # a caution said wherever the measure is shown (e.g. where its figure comes from)

    @property
    def name(self) -> str:
        """'1.1 稳岗返还'; a measure without a number by its title."""
        return f"{self.number} {self.title}" if self.number else self.title

    def parameter_names(self, known: dict) -> list[str]:
        """Parameters of ``known`` this measure uses or states, in order of first use."""
        names: list[str] = []
        if self.months_parameter:
            names.append(self.months_parameter)
        if self.amount:
            names += self.amount.formula.names
        for c in (*self.conditions, *(c for p in self.parts for c in p.conditions)):
            names += c.test.names
        names += self.mentioned_parameters
        return [n for n in dict.fromkeys(names) if n in known]


@dataclass(frozen=True)
class Clause:
    number: str
    label: str
    section: str | None
    heading: str
    text: str


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    short_title: str
    issuer: str
    issued: dt.date | None
    in_force_from: dt.date
    in_force_until: dt.date
    implements: str | None
    classification: str | None
    hotline: str | None
    hotline_department: str | None
    references: dict[str, str]
    scope: tuple[Condition, ...]
    scope_quote: str | None
    lender_scope: tuple[Condition, ...]
    clauses: dict[str, Clause]
    measures: tuple[Measure, ...]
    parameters: dict[str, Parameter]
    number: str | None = None  # 人社部发〔2020〕11号
    level: str = ""  # 国家 / 省 / 市
    area: Area = Area("全国")
    matter: str | None = None  # 社会保险, 增值税: whom to consult locally (place.yaml)
    nature: str | None = None  # what kind of text it is, when not the document itself
    period: str | None = None  # the period in the document's own words
    issued_note: str | None = None
    department_role: str = "责任单位"  # what its measures' departments are: 责任单位, or only the 发文单位
    lender_refused: str | None = None
    cues: tuple[str, ...] = ()  # words that point a question at this document
    called: str = "文件"  # what the text calls itself: 通知, 公告, 说明

    @property
    def cited(self) -> str:
        """'《阶段性减免企业社会保险费的通知》（人社部发〔2020〕11号）': how answers name the document."""
        return f"《{self.short_title}》（{self.number}）" if self.number else f"《{self.short_title}》"

    def parameter_values(self, as_of: dt.date) -> dict[str, Any]:
        """Parameters as they stood on ``as_of``, clamped to the policy's own period (estimates after expiry use
        the last values in force)."""
        day = min(max(as_of, self.in_force_from), self.in_force_until)
        return {name: p.at(day) for name, p in self.parameters.items()}

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)


@dataclass(frozen=True)
class IndustryRow:
    row: int
    name: str
    covers: str | None
    sme_below: dict[str, float]
    medium_at_least: dict[str, float]
    small_at_least: dict[str, float]
    units: dict[str, str] = field(default_factory=dict)  # per indicator: the table's money unit (万元) or 人
    money: frozenset[str] = frozenset()  # indicators that are money (stored in yuan, written in the table's unit)

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        """In the classification's order of indicators."""
        return tuple(dict.fromkeys([*self.sme_below, *self.medium_at_least, *self.small_at_least]))

    @cached_property
    def probes(self) -> dict[str, tuple[float, ...]]:
        """Per indicator, the values where the class can change (0 and the row's thresholds of it): an unknown
        indicator is tried at each."""
        kinds = (self.sme_below, self.medium_at_least, self.small_at_least)
        return {i: (0, *(t[i] for t in kinds if i in t)) for i in self.indicators}

    @cached_property
    def cuts(self) -> tuple[tuple[float, ...], ...]:
        """Per indicator (in their order), its probes sorted: how many a value reaches decides every comparison the
        row's rules make of it (a limit is "below", a floor "at least")."""
        return tuple(tuple(sorted(set(self.probes[i]))) for i in self.indicators)


@dataclass(frozen=True)
class Classification:
    id: str
    title: str
    document: str
    indicators: dict[str, str]
    rows: dict[str, IndustryRow]
    synonyms: dict[str, str] = field(default_factory=dict)
    reading_rules: tuple[str, ...] = ()
    phrases: trade_words.TradePhrases = field(default_factory=trade_words.TradePhrases)

    def industry_for(self, word: str) -> str | None:
        """The one row a user's words name; None when they name none, or a trade that fits two rows: a caller
        never guesses (industries_for says which two, to ask)."""
        rows = self.industries_for(word)
        return rows[0] if len(rows) == 1 else None

    def industries_for(self, text: str) -> tuple[str, ...]:
        """The rows the trade a message names may be, best first (policy_db.trade_words.industries_for)."""
        return trade_words.industries_for(text, self.rows, self.synonyms, self.phrases)


def trade_phrases_from_record(record: dict | None) -> trade_words.TradePhrases:
    record = record or {}
    return trade_words.TradePhrases(
        heads={str(w): row for row, words in (record.get("heads") or {}).items() for w in words},
        ends=tuple(record.get("ends") or ()), not_after=tuple(record.get("not_after") or ()),
        customers=tuple(record.get("customers") or ()), joiners=tuple(str(w) for w in record.get("joiners") or ("",)),
        main=tuple(record.get("main") or ()),
        ambiguous={str(w): tuple(rows) for w, rows in (record.get("ambiguous") or {}).items()},
    )


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def condition_from_record(record: dict) -> Condition:
    return Condition(compile_expression(record["test"]), record["holds"], record["fails"], record.get("outside"),
                     bool(record.get("not_covered")))


def parameter_from_record(record: dict) -> Parameter:
    values = tuple(sorted((_date(k), v) for k, v in record["values"].items()))
    return Parameter(record["name"], record["description"], record["unit"], str(record["reference"]),
                     str(record["text"]), values)


def area_from_record(record: dict | None) -> Area | None:
    return Area(record["in"], tuple(record.get("except") or ())) if record else None


def _ref(record: dict | None) -> Ref | None:
    return Ref(record["policy"], str(record["measure"]), record.get("same_money")) if record else None


def measure_from_record(record: dict, conditions: list[dict], departments: list[str]) -> Measure:
    amount = None
    if record.get("amount_formula"):
        total = record.get("amount_total") or {}
        amount = Amount(record["amount_label"], compile_expression(record["amount_formula"]), total.get("base"),
                        total.get("excluded"), total.get("within"))
    parts = tuple(Part(p["title"], p["excerpt"], tuple(condition_from_record(c) for c in p.get("conditions") or ()),
                       p.get("handoff")) for p in record.get("parts") or ())
    return Measure(
        id=record["id"], title=record["title"], clause=record["clause"], departments=tuple(departments),
        summary=record["summary"], excerpt=record["excerpt"], audience=record["audience"], kind=record["kind"],
        conditions=tuple(condition_from_record(c) for c in conditions), amount=amount,
        months_parameter=record.get("months_parameter"), approval=record.get("approval"),
        to_lender=record.get("to_lender"), not_given=record.get("not_given"), reading=record.get("reading"),
        parts=parts, keywords=tuple(record.get("keywords") or ()),
        mentioned_parameters=tuple(record.get("parameters") or ()), policy=record["policy"],
        number=record.get("number") or "", area=area_from_record(record.get("area")),
        implements=_ref(record.get("implements_ref")),
        see_also=tuple(_ref(r) for r in record.get("see_also") or ()), note=record.get("note"),
    )
