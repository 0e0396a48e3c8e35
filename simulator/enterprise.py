"""An enterprise as owners have them: every fact drawn from its `simulator` key in facts.yaml (how often a yes/no
holds, the range of a figure, how often an owner knows it), and the figures put near or well inside the
classification's thresholds. Nothing here knows a fact by name: a fact added to facts.yaml is drawn too."""

from __future__ import annotations

import math
import random
from collections import ChainMap
from functools import lru_cache
from typing import Any, Mapping

from policy_db import Store
from policy_db.expressions import Expression, compile_expression
from policy_db.model import FactSpec, IndustryRow

NEAR = 0.10  # "within 10% of a threshold"


def thresholds(row: IndustryRow, indicator: str) -> list[tuple[str, float]]:
    return [(name, limits[indicator]) for name, limits in (("sme_below", row.sme_below),
                                                         ("medium_at_least", row.medium_at_least),
                                                         ("small_at_least", row.small_at_least))
            if indicator in limits]


def _round(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def _step(threshold: float) -> float:
    """Three significant figures of the threshold: the grain owners speak figures in near it."""
    return 10 ** max(0, math.floor(math.log10(max(threshold, 1))) - 2)


def money(rng: random.Random, low: float, high: float) -> int:
    """A log-uniform amount, rounded to two significant figures as an owner would say it."""
    value = math.exp(rng.uniform(math.log(max(low, 1)), math.log(max(high, low + 1))))
    return int(_round(value, 10 ** max(0, math.floor(math.log10(value)) - 1)))


def near(rng: random.Random, threshold: float, is_count: bool, side: str) -> int:
    """A value within 10% of a threshold on one side: a grain below it or exactly on it, or anywhere in that half
    of the band (a count threshold too small for a whole number within 10% below gets the next number down)."""
    step = 1 if is_count else _step(threshold)
    if side == "below":
        low, high = math.ceil(threshold * (1 - NEAR) / step) * step, threshold - step
        if high < low:
            return int(threshold - step)
        value = high if rng.random() < 0.4 else _round(rng.uniform(low, high), step)
        return int(min(max(value, low), high))
    high = math.floor(threshold * (1 + NEAR) / step) * step
    value = threshold if rng.random() < 0.4 else _round(rng.uniform(threshold, high), step)
    return int(min(max(value, threshold), high))


def _inside(rng: random.Random, row: IndustryRow, indicator: str, where: str, is_count: bool) -> int:
    """A value of an indicator comfortably inside a class band, so another indicator's boundary decides."""
    floors = {"micro": 0, "small": row.small_at_least.get(indicator, 0),
              "medium": row.medium_at_least.get(indicator, 0), "large": row.sme_below.get(indicator, 0)}
    ceilings = {"micro": row.small_at_least.get(indicator), "small": row.medium_at_least.get(indicator),
                "medium": row.sme_below.get(indicator), "large": None}
    low = max(floors[where] * 1.2, 1 if is_count else 10_000)
    high = ceilings[where] * 0.8 if ceilings[where] else low * 3
    if high <= low:
        high = low * 1.5
    if is_count:
        return int(rng.uniform(low, high))
    return money(rng, low, high)


@lru_cache(maxsize=None)
def _expression(source: str) -> Expression:
    return compile_expression(source)


def _value(term: Any, env: Mapping[str, Any]) -> Any:
    """A number of facts.yaml as written, or an expression of the facts drawn so far and the parameters."""
    return _expression(term)(env) if isinstance(term, str) else term


def bounds(spec: FactSpec, env: Mapping[str, Any]) -> tuple[Any, Any]:
    """The fact's `between` for an enterprise whose facts so far (and the parameters) are ``env``."""
    low, high = spec.simulator["between"]
    return _value(low, env), _value(high, env)


def draw(rng: random.Random, spec: FactSpec, env: Mapping[str, Any], need: bool = False) -> Any:
    """One fact's value as facts.yaml's `simulator` says, or None where the owner does not know it; a figure
    ``need``-ed is always known."""
    sim = spec.simulator
    holds = _value(sim["only_if"], env) if "only_if" in sim else True
    if spec.is_yes_no:
        chance = sim.get("chance", 0)
        return bool(holds) and chance > 0 and (chance >= 1 or rng.random() < chance)
    if spec.type == "choice":
        weights = sim["weights"]
        return rng.choices(list(weights), weights=list(weights.values()))[0]
    if not need and (not holds or ("known" in sim and rng.random() >= sim["known"])):
        return None
    if "typical" in sim:
        return math.ceil(rng.choice(sim["typical"]) * rng.uniform(*sim["spread"]))
    if "none" in sim and rng.random() < sim["none"]:
        return 0
    if "choices" in sim:
        return rng.choice(sim["choices"])
    low, high = bounds(spec, env)
    if low is None or high is None:
        return None
    if spec.type == "money":
        return money(rng, low, high)
    return rng.randint(int(low), max(int(low), int(high)))


def known(rng: random.Random, store: Store, facts: dict, params: dict, name: str) -> Any:
    """A figure a case needs, drawn for this enterprise."""
    return draw(rng, store.facts[name], ChainMap(facts, params), need=True)


def ordinary(rng: random.Random, store: Store, row: IndustryRow, band: str, params: dict,
             need: frozenset[str] = frozenset()) -> dict:
    """An ordinary enterprise of this row in this class band, its indicators inside the band and every other fact
    drawn in facts.yaml's order; the figures in ``need`` are always known (a measure's amount reads them)."""
    facts = {store.industry_fact: row.name}
    facts.update({i: _inside(rng, row, i, band, i not in row.money) for i in row.indicators})
    env = ChainMap(facts, params)
    for name, spec in store.facts.items():
        if name not in facts and spec.simulator:
            value = draw(rng, spec, env, name in need)
            if value is not None:
                facts[name] = value
    return facts


def forget(rng: random.Random, store: Store, facts: dict, tags: list[str], keep: tuple[str, ...]) -> None:
    """Now and then the owner does not know a figure (the accountant does): it leaves the facts (never one of
    ``keep``, the indicators whose boundary the case is about), as often as facts.yaml's `forgotten` says."""
    for name, spec in store.facts.items():
        share = spec.simulator.get("forgotten")
        if share and name in facts and name not in keep and rng.random() < share:
            del facts[name]
            tags.append(f"unknown:{name}")
