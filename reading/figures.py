"""Figures said without a fact word: which kind of fact a figure's unit fits, the figure a correction gives
("查了下账，去年是一百三十万") with the known fact it corrects, and a figure for a whole that answers its share. Pure,
like the rest of the reading."""

from __future__ import annotations

from typing import Any, Mapping

from policy_db.store import Store

from .entities import CORRECTION, DENIED, NUMBER, found

UNIT_FITS = {"count": {"people", "plain"}, "months": {"months", "plain"}, "money": {"money", "plain"}}
_NEAR = 3  # a corrected figure is within this factor of the value it corrects, when its unit fits several facts
_EXPLAINED = ("是", "那是", "都是", "只是", "说的是")  # after a figure: it is being explained, not given
_UNIT_AFTER = "个人名位号万千元块钱"  # a figure's own unit, before what is said about it ("五个是临时的")
_GIVEN = ("是",)  # before a figure: it is the value given ("俺说差了，是二十万，去年秋天又添了五万")


def bare_numbers(message: Mapping, fact_type: str, plain: bool) -> list[dict]:
    """The figures whose unit fits a fact of this type (`plain`: also those said without a unit)."""
    fits = UNIT_FITS.get(fact_type, set()) - (set() if plain else {"plain"})
    return [e for e in found(message) if e.get("entity") == NUMBER and e.get("role") in fits]


def corrected_figure(message: Mapping, known: Mapping[str, Any], store: Store,
                     old: list | None = None) -> tuple[str, dict] | None:
    """(the known fact, the number entity) of a correction with a figure and no fact word ("不是二十二个，是二十个"):
    the fact the old figure names (also `old`, known values the message restates with their fact word), else the
    only known fact its unit fits, else the only one it is near ("房租…现在是三千五": a slip is corrected by a figure
    of its size, not a head count a thousand times it); of several figures, the one not explained away ("应该是
    四千二，三千六是前年的": 三千六 is the old one; "五个是临时的"), said to be the value ("是二十万，去年秋天又添了五万")
    and said with its unit. None without a word of correcting or a
    figure said not to be the value: the classifier's "correct" alone is no proof."""
    numbers = [e for e in found(message) if e.get("entity") == NUMBER and e.get("role") != DENIED]
    denied = [e["value"] for e in found(message) if e.get("entity") == NUMBER and e.get("role") == DENIED]
    said_so = bool(denied) or any(e.get("entity") == CORRECTION for e in found(message))
    denied += list(old or ())
    text = message.get("text") or ""
    explained = [e for e in numbers if _after(text, e).startswith(_EXPLAINED)]
    if len(numbers) > 1 and len(explained) < len(numbers):
        numbers = [e for e in numbers if not any(e is x for x in explained)]
        denied += [e["value"] for e in explained]
    values = [v for v in known.values() if not isinstance(v, bool)]
    restated = [e for e in numbers if e["value"] in values]
    if 0 < len(restated) < len(numbers):  # "刚才说五十多个…加上是六十三个": the known figure said again is the old one
        numbers = [e for e in numbers if not any(e is x for x in restated)]
        denied += [e["value"] for e in restated]
    if len(numbers) > 1:  # "辞的是八个，后厨还有俩": the figure said to be the value
        numbers = [e for e in numbers if text[:e.get("start", 0)].endswith(_GIVEN)] or numbers
    if len(numbers) > 1:  # "去年是二百八十万，有个大单子走的是另一个店的账": the figure with its unit is the value
        numbers = [e for e in numbers if e.get("role") != "plain"] or numbers
    if len(numbers) != 1 or not said_so:
        return None
    number = numbers[0]
    named = [k for k, v in known.items() if not isinstance(v, bool) and v in denied]
    fits = [k for k, v in known.items() if store.facts[k].type in UNIT_FITS
            and number.get("role") in UNIT_FITS[store.facts[k].type]]
    near = [k for k in fits if isinstance(known[k], (int, float)) and known[k] > 0
            and 1 / _NEAR <= number["value"] / known[k] <= _NEAR]
    choice = named if len(named) == 1 else fits if len(fits) == 1 else near if len(near) == 1 else []
    return (choice[0], number) if choice else None


def _after(text: str, number: Mapping) -> str:
    """What the message says after a figure and its unit."""
    return text[number.get("end", len(text)):].lstrip(_UNIT_AFTER)


def add_corrected_figure(message: Mapping, known: Mapping[str, Any], store: Store, new: dict, how: dict) -> None:
    """A correction's figure said without a fact word ("查了下账，是一百三十万"), or after the old value named
    with its fact word ("四十三个人是我说多了…正式的三十八个"), replaces the known fact it corrects in ``new``."""
    intent = (message.get("intent") or {}).get("name")
    if not (intent == "correct" or any(e.get("entity") == CORRECTION for e in found(message))):
        return
    restated = {k: v for k, v in new.items() if k in known and known[k] == v}
    if any(k in known for k in new if k not in restated):
        return
    corrected = corrected_figure(message, known, store, old=list(restated.values()))
    if corrected:
        fact, number = corrected
        new[fact], how[fact] = number["value"], number.get("additional_info") or {}


def take_whole_for_part(store: Store, pending: str | None, known: Mapping[str, Any], new: dict) -> None:
    """A figure for the whole premium answers its share when the share is what was asked, or known and being
    corrected while the whole is not ("单位缴纳的养老、失业、工伤合计每月两万一": the employer's share)."""
    for part, spec in store.facts.items():
        whole = spec.part_of
        if whole in new and part not in new and whole not in known \
                and (pending == part or pending is None and part in known):
            new[part] = new.pop(whole)
