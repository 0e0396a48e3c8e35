"""Checks a set of enterprise facts before anything uses it: names, types and possible values.

All or nothing: :func:`validate` either returns the whole cleaned set or raises one :class:`FactError` whose
Chinese message names the fact, so nothing is ever half-applied.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Mapping

from .model import Classification, FactSpec

NUMERIC_TYPES = {"count", "months", "money"}
# How a fact is read when the owner did not say it outright or answer for it (contract E12 `read_as`): the reader
# holds these back for a yes, and the simulator counts them apart, so both take the one set from here. A fact the
# words only hint at ("suggested": "房子是街道办的") is always held back, so it is never recorded as such. A yes or no
# whose reason describes the opposite ("described": "没有，就是停了俩月"), or a figure said with words that cast doubt
# on it ("走了两个" to the layoffs question), answers the question no more than a cue does.
SUGGESTED = "suggested"
DESCRIBED = "described"
GUESSED_READINGS = frozenset({"cue", "trade", "implied", "hedged", SUGGESTED, DESCRIBED})
_TRUE = {"true", "yes", "1", "是", "对"}
_FALSE = {"false", "no", "0", "否", "不是"}


class FactError(ValueError):
    """A fact that cannot be taken: unknown name, wrong type or impossible value."""

    def __init__(self, fact: str, message: str):
        super().__init__(message)
        self.fact = fact
        self.message = message


def parse_text(spec: FactSpec, raw: str) -> Any:
    """Turn the text of ``name=value`` (CLI, URL) into a typed value; ``unknown``/empty means not known."""
    raw = raw.strip()
    if raw.lower() in {"", "none", "null", "unknown"}:
        return None
    if spec.type == "bool":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise FactError(spec.name, f"“{spec.label}”只能是 true 或 false，收到的是“{raw}”")
    if spec.type in NUMERIC_TYPES:
        try:
            number = float(raw.replace(",", ""))
        except ValueError:
            raise FactError(spec.name, f"“{spec.label}”应当是数字，收到的是“{raw}”") from None
        return int(number) if number.is_integer() and spec.type != "money" else number
    return raw


def _check_number(spec: FactSpec, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FactError(spec.name, f"“{spec.label}”应当是数字")
    if value != value or value in (float("inf"), float("-inf")):
        raise FactError(spec.name, f"“{spec.label}”不是一个有效的数字")
    if spec.type in {"count", "months"}:
        if float(value) != int(value):
            raise FactError(spec.name, f"“{spec.label}”应当是整数")
        value = int(value)
    unit = spec.unit or "元"
    if spec.min is not None and value < spec.min:
        raise FactError(spec.name, f"“{spec.label}”不能是负数" if spec.min == 0 else
                        f"“{spec.label}”不能小于{spec.min:g}{unit}")
    if spec.max is not None and value > spec.max:
        raise FactError(spec.name, f"“{spec.label}”不可能超过{spec.max:g}{unit}，请核对")
    if spec.max_exclusive is not None and value >= spec.max_exclusive:
        raise FactError(spec.name, f"“{spec.label}”{value:g}元不合常理，请核对")
    return value


def check_value(spec: FactSpec, value: Any, classification: Classification | None = None) -> Any:
    """One fact's value, cleaned (industry words resolved to their row), or a FactError."""
    if value is None:
        return None
    if spec.type == "bool":
        if not isinstance(value, bool):
            raise FactError(spec.name, f"“{spec.label}”只能是“是”或“否”")
        return value
    if spec.type in NUMERIC_TYPES:
        return _check_number(spec, value)
    if spec.type == "choice":
        if value not in spec.choices:
            raise FactError(spec.name, f"“{spec.label}”应为{'、'.join(spec.choices)}之一")
        return value
    if spec.type == "industry":
        row = classification.industry_for(str(value)) if classification else None
        if row is None:
            raise FactError(spec.name, f"没有找到“{value}”对应的行业，请换个说法，比如餐饮、零售、制造、软件")
        return row
    return value


def validate(facts: Mapping[str, Any], specs: Mapping[str, FactSpec],
             classification: Classification | None = None) -> dict[str, Any]:
    cleaned = {}
    for name, value in facts.items():
        spec = specs.get(name)
        if spec is None:
            raise FactError(name, f"不认识的信息项“{name}”")
        checked = check_value(spec, value, classification)
        if checked is not None:
            cleaned[name] = checked
    _check_together(cleaned, specs)
    return cleaned


class Validator:
    """:func:`validate` prepared for one set of specs and classification (the engine validates every evaluation): a
    quick test per fact accepts a value that is already clean, one check_value would return unchanged; any other
    value goes through check_value, so the cleaned facts and every error are validate's."""

    def __init__(self, specs: Mapping[str, FactSpec], classification: Classification | None = None):
        self.specs = specs
        self.classification = classification
        self.quick = {name: _quick(spec, classification) for name, spec in specs.items()}
        self.yes_no = frozenset(name for name, spec in specs.items() if spec.type == "bool")  # tested in line
        self.bounded = {name: spec.at_most for name, spec in specs.items() if spec.at_most}
        self.figures = {name: _bounds(spec) for name, spec in specs.items() if spec.type in NUMERIC_TYPES}

    def __call__(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        return self.pairs(facts.items())

    def pairs(self, facts: Iterable[tuple[str, Any]]) -> dict[str, Any]:
        """The facts given as (name, value) pairs (the engine reads a caller's mapping once)."""
        cleaned = {}
        quick, yes_no, figures, isfinite = self.quick, self.yes_no, self.figures, math.isfinite
        for name, value in facts:
            if value is True or value is False:
                if name in yes_no:
                    cleaned[name] = value
                    continue
            elif name in figures:  # _quick's test of a figure, without a call
                low, high, below, whole = figures[name]
                kind = value.__class__
                if (kind is int or kind is float and not whole and isfinite(value)) and low <= value <= high \
                        and value < below:
                    cleaned[name] = value
                    continue
            test = quick.get(name)
            if test is None:
                raise FactError(name, f"不认识的信息项“{name}”")
            if value is None:
                continue
            cleaned[name] = value if test(value) else check_value(self.specs[name], value, self.classification)
        for name, other in self.bounded.items():  # only the bounded facts looked at; validate's error if one fails
            value, bound = cleaned.get(name), cleaned.get(other)
            if value is not None and bound is not None and value > bound:
                _check_together(cleaned, self.specs)
        return cleaned


def _bounds(spec: FactSpec) -> tuple[float, float, float, bool]:
    """A figure's lowest, highest and excluded highest value, and whether it is whole (see _quick)."""
    return (-math.inf if spec.min is None else spec.min, math.inf if spec.max is None else spec.max,
            math.inf if spec.max_exclusive is None else spec.max_exclusive, spec.type in {"count", "months"})


def _quick(spec: FactSpec, classification: Classification | None) -> Callable[[Any], bool]:
    """Whether a value is already what check_value makes of it (False sends it through check_value)."""
    if spec.type == "bool":
        return lambda value: value is True or value is False
    if spec.type in NUMERIC_TYPES:
        whole = spec.type in {"count", "months"}
        low = -math.inf if spec.min is None else spec.min
        high = math.inf if spec.max is None else spec.max
        below = math.inf if spec.max_exclusive is None else spec.max_exclusive
        if whole:
            return lambda value: type(value) is int and low <= value <= high and value < below
        return lambda value: ((type(value) is float and math.isfinite(value)) or type(value) is int) \
            and low <= value <= high and value < below
    if spec.type == "choice":
        choices = spec.choices
        return lambda value: value in choices
    if spec.type == "industry":
        rows = frozenset(r for r in classification.rows if r == r.strip()) if classification else frozenset()
        return lambda value: type(value) is str and value in rows
    return lambda value: True


def _check_together(facts: Mapping[str, Any], specs: Mapping[str, FactSpec]) -> None:
    """Facts bounded by another fact (``at_most`` in facts.yaml), e.g. layoffs by headcount."""
    for name, value in facts.items():
        other = specs[name].at_most
        if other and facts.get(other) is not None and value > facts[other]:
            unit = specs[name].unit or ""
            raise FactError(name, f"“{specs[name].label}”（{value}{unit}）不能多于“{specs[other].label}”"
                                  f"（{facts[other]}{specs[other].unit or ''}），请核对")


def parse_assignments(pairs: list[str], specs: Mapping[str, FactSpec]) -> dict[str, Any]:
    """``["industry=餐饮业", "employees=12"]`` → typed facts (validation comes after)."""
    facts = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep:
            raise FactError(name, f"“{pair}”应写成 名称=值，例如 employees=12")
        if name not in specs:
            raise FactError(name, f"不认识的信息项“{name}”")
        facts[name] = parse_text(specs[name], raw)
    return facts
