"""What the engine answers, and its one serialisation: the `result` payload of contract §2."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .amounts import plain
from .model import Measure, Part, Policy
from .words import Words
from .total import Total, not_yet_in_force


def _written(result: PartResult | MeasureResult) -> str:
    """A reason, written the first time it is read. Results are shared by evaluations in several threads (the
    workbench's previews): the text is read once into a local, so a thread never calls what another has just
    replaced by its text."""
    why = result._why
    if not isinstance(why, str):
        why = result._why = why()
    return why


@dataclass(eq=False, slots=True)
class PartResult:
    """One part of a measure that holds several (see model.Part). Its `why` is written when first read."""

    part: Part
    status: str
    _why: str | Callable[[], str] = field(repr=False)
    missing: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        return _written(self)

    def name(self, r: MeasureResult) -> str:
        """A measure as a sentence names it: '1.1 稳岗返还'; one of another document with that document."""
        if r.policy is None or r.policy.id == self.policy.id:
            return r.measure.name
        return f"{r.measure.name}（{r.policy.number or r.policy.short_title}）"

    def to_payload(self) -> dict[str, Any]:
        return {"title": self.part.title, "status": self.status, "why": self.why, "missing": list(self.missing)}


@dataclass(eq=False, slots=True)
class MeasureResult:
    """One measure judged. Its `why` and `formula` are written when first read (most results of an evaluation are
    never shown): the engine gives them as a text or as what writes it; `missing_labels` names `missing`."""

    measure: Measure
    status: str
    _why: str | Callable[[], str] = field(repr=False)
    months: int | None = None
    amount_yuan: float | None = None
    _formula: str | Callable[[], str] | None = field(default=None, repr=False)
    missing: tuple[str, ...] = ()
    _labels: Mapping[str, str] = field(default_factory=dict, repr=False)  # fact → label
    parts: tuple[PartResult, ...] = ()
    policy: Policy | None = None  # the document the measure belongs to
    links: tuple[str, ...] = ()  # sentences naming other documents' measures on the same ground (also in `why`)
    # what next_questions counts of it, found once per result (engine.asks): never copied with the result
    _asks: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def why(self) -> str:
        return _written(self)

    def but(self, **changes: Any) -> MeasureResult:
        """dataclasses.replace without its look at every field's definition (the engine links results each
        evaluation)."""
        made = MeasureResult(self.measure, self.status, self._why, self.months, self.amount_yuan, self._formula,
                             self.missing, self._labels, self.parts, self.policy, self.links)
        for name, value in changes.items():
            setattr(made, name, value)
        return made

    @property
    def formula(self) -> str | None:
        formula = self._formula  # read once: another thread may write it between two reads
        if not (formula is None or isinstance(formula, str)):
            formula = self._formula = formula()
        return formula

    @property
    def missing_labels(self) -> tuple[str, ...]:
        return tuple(self._labels[f] for f in self.missing)

    @property
    def clause_label(self) -> str:
        return self.policy.clauses[self.measure.clause].label

    @property
    def open_part_facts(self) -> tuple[str, ...]:
        """Facts that would decide a part still open (the measure already applies through another part)."""
        return tuple(dict.fromkeys(f for p in self.parts if p.status == "unknown" for f in p.missing))

    @property
    def applying_parts(self) -> tuple[PartResult, ...]:
        return tuple(p for p in self.parts if p.status == "eligible")

    @property
    def months_text(self) -> str | None:
        """The period as its text words it ("缓缴期最长6个月", "自2020年3月1日至5月31日"), never a bare "最长N个月"."""
        name = self.measure.months_parameter
        return self.policy.parameters[name].text if name and self.policy and name in self.policy.parameters else None

    def to_payload(self, policy: Policy | None = None) -> dict[str, Any]:
        m, policy = self.measure, self.policy or policy
        payload = {
            "id": m.id, "title": m.title, "status": self.status, "kind": m.kind, "amount_yuan": self.amount_yuan,
            "months": self.months, "months_text": self.months_text, "formula": self.formula,
            "departments": list(m.departments),
            "clause": policy.clauses[m.clause].label, "why": self.why, "missing": list(self.missing),
            "summary": m.summary, "reading": m.reading, "policy": policy.id, "number": m.number, "note": m.note,
            "implements": m.implements.measure if m.implements else None,
            "see_also": [r.measure for r in m.see_also],
        }
        if self.parts:
            payload["parts"] = [p.to_payload() for p in self.parts]
        return payload


def built(cls: type, **fields: Any) -> Any:
    """A frozen answer (PolicyView, Assessment) made in one step, every field given: the dataclass's own __init__
    sets each field through object.__setattr__, a cost the engine would pay some twenty times per evaluation."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


@dataclass(frozen=True)
class Group:
    """Measures shown together: the eligible ones of one kind, or all unknown, or all ineligible."""

    title: str
    status: str
    kind: str | None
    note: str | None
    results: tuple[MeasureResult, ...]

    def name(self, r: MeasureResult) -> str:
        """A measure as a sentence names it: '1.1 稳岗返还'; one of another document with that document."""
        if r.policy is None or r.policy.id == self.policy.id:
            return r.measure.name
        return f"{r.measure.name}（{r.policy.number or r.policy.short_title}）"

    def to_payload(self) -> dict[str, Any]:
        return {"title": self.title, "status": self.status, "kind": self.kind, "note": self.note,
                "measures": [r.measure.id for r in self.results]}


@dataclass(frozen=True)
class PolicyView:
    """One document's part of an assessment: its measures that apply to the place, judged as of the day."""

    policy: Policy
    as_of: dt.date
    results: tuple[MeasureResult, ...]
    scope_missing: tuple[str, ...] = ()

    @property
    def expired(self) -> bool:
        return self.as_of > self.policy.in_force_until

    @property
    def not_yet_in_force(self) -> bool:
        return self.as_of < self.policy.in_force_from

    def to_payload(self, groups: list[Group]) -> dict[str, Any]:
        p = self.policy
        return {"id": p.id, "title": p.title, "short_title": p.short_title, "number": p.number, "issuer": p.issuer,
                "level": p.level, "nature": p.nature, "period": p.period,
                "valid_from": p.in_force_from.isoformat(), "valid_until": p.in_force_until.isoformat(),
                "expired": self.expired, "department_role": p.department_role,
                "measures": [r.measure.id for r in self.results], "groups": [g.to_payload() for g in groups]}


@dataclass(frozen=True)
class Assessment:
    policy: Policy
    as_of: dt.date
    expired: bool
    facts: dict[str, Any]
    sme_class: str | None
    sme_label: str
    _sme_reason: str | Callable[[], str] = field(repr=False)  # written when first read
    results: tuple[MeasureResult, ...]
    words: Words
    scope_missing: tuple[str, ...] = ()
    total: Total | None = None
    views: tuple[PolicyView, ...] = ()  # one per document, in the place's order (the first is `policy`)
    lender: bool = False  # the asker is a financial institution (facts.yaml role `lender`)

    @property
    def sme_reason(self) -> str:
        """The class with the rule row that gives it, or the rules that still decide it (classification.describe)."""
        reason = self._sme_reason  # read once: another thread may write it between two reads
        if not isinstance(reason, str):
            reason = reason()
            object.__setattr__(self, "_sme_reason", reason)
        return reason

    @property
    def not_yet_in_force(self) -> bool:
        """Asked about a day before the notice took effect: the measures did not exist yet."""
        return self.as_of < self.policy.in_force_from

    @property
    def for_lender(self) -> bool:
        return self.lender

    def result(self, measure_id: str) -> MeasureResult:
        return next(r for r in self.results if r.measure.id == measure_id)

    def by_status(self, status: str) -> list[MeasureResult]:
        return [r for r in self.results if r.status == status]

    def pending(self, r: MeasureResult) -> bool:
        """The measure applies, but its document is not in force yet on the day asked about."""
        return r.status == "eligible" and not_yet_in_force(r, self.as_of)

    def state(self, r: MeasureResult) -> str:
        """One measure's standing in a word: '可以享受' only for a benefit that applies and is in force."""
        if self.pending(r):
            return self.words.statuses["not_yet"]
        return self.words.kinds[r.measure.kind].state if r.status == "eligible" else self.words.statuses[r.status]

    def groups(self, results: tuple[MeasureResult, ...] | None = None) -> list[Group]:
        """Eligible measures by kind (in the order of words.yaml), then those applying once their document is
        in force, then the open ones, then the rest; of all documents, or of ``results`` (one document's)."""
        out = []
        results = self.results if results is None else results
        eligible = [r for r in results if r.status == "eligible" and not self.pending(r)]
        for name, kind in self.words.kinds.items():
            ms = tuple(r for r in eligible if r.measure.kind == name)
            if not ms:
                continue
            if self.for_lender:
                out.append(Group(kind.lender_heading or kind.heading, "eligible", name, None, ms))
            else:
                out.append(Group(kind.heading, "eligible", name, kind.note, ms))
        pending = tuple(r for r in results if self.pending(r))
        if pending:
            out.append(Group(self.words.statuses["not_yet"], "eligible", None,
                             self.words.documents["not_yet_note"], pending))
        for status in ("unknown", "ineligible"):
            ms = tuple(r for r in results if r.status == status)
            if ms:
                out.append(Group(self.words.statuses[status], status, None, None, ms))
        return out

    def total_payload(self) -> dict[str, Any] | None:
        t = self.total
        if t is None:
            return None
        shown = " + ".join(plain(r.amount_yuan) for r in t.parts)
        left_out = "；".join(f"{self.name(r)}，{why}" for r, why in t.left_out)
        return {"amount_yuan": t.amount_yuan, "parts": [r.measure.id for r in t.parts],
                "label": self.words.total["label"],
                "formula": f"{shown} = {plain(t.amount_yuan)}" if len(t.parts) > 1 else shown or None,
                "left_out": [{"id": r.measure.id, "why": why} for r, why in t.left_out],
                "note": self.words.total["left_out"].format(measures=left_out) if left_out else None}

    def name(self, r: MeasureResult) -> str:
        """A measure as a sentence names it: '1.1 稳岗返还'; one of another document with that document."""
        if r.policy is None or r.policy.id == self.policy.id:
            return r.measure.name
        return f"{r.measure.name}（{r.policy.number or r.policy.short_title}）"

    def to_payload(self) -> dict[str, Any]:
        """The contract's `result` payload (plus `valid_from`, `valid_until`, `groups`, `policies`, each measure's
        `kind`, `missing`, `summary`, `reading`, `parts`, `policy`…, see docs/contract.md E2 and E6)."""
        payload = {
            "type": "result",
            "policy": self.policy.id,
            "as_of": self.as_of.isoformat(),
            "expired": self.expired,
            "valid_from": self.policy.in_force_from.isoformat(),
            "valid_until": self.policy.in_force_until.isoformat(),
            "enterprise": {"sme_class": self.sme_class, "facts": dict(self.facts)},
            "measures": [r.to_payload(self.policy) for r in self.results],
            "groups": [g.to_payload() for g in self.groups()],
            "policies": [v.to_payload(self.groups(v.results)) for v in self.views],
        }
        total = self.total_payload()
        if total is not None:
            payload["total"] = total
        return payload


class _WhenRead:
    """A field of an answer the engine builds (``built``) without its value but with what writes it, under
    ``_write_<name>``: written the first time it is read, then held like any field (most evaluations are never shown:
    an interview's turn reads the results, not each document's view or the total). An answer made by its dataclass
    holds the value itself; the class reads the field's default."""

    def __init__(self, name: str, default: Any):
        self.name, self.writer, self.default = name, f"_write_{name}", default

    def __get__(self, answer: Any, owner: type | None = None) -> Any:
        if answer is None:
            return self.default
        held = answer.__dict__
        value = held[self.writer]()  # two threads may both write it: equal values, the last one kept
        held[self.name] = value
        return value


Assessment.views = _WhenRead("views", ())
Assessment.total = _WhenRead("total", None)
