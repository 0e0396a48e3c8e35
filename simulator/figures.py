"""Figures in Chinese text, and which of the assistant's figures come from nowhere (invented figures).

A figure the assistant says must stand in the owner's words, in the engine's result for the same facts, or in the
policy data (rates, caps, months, thresholds, dates, clause numbers, phone numbers). Each figure is compared both
as written (180 of "180万元") and as its value (1800000), so either way of saying it counts as the same figure.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cn2an
import yaml

import policy_db
from policy_db import Store

_ARABIC = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(个亿|亿|万|w|W|千|k|K|%|％)?")
_CHINESE = re.compile(r"[零一二两三四五六七八九十百千万亿]{2,}|[一二两三四五六七八九十](?=[个人元块万亿%项条名])")
_ENUMERATION = re.compile(r"(?m)(?:^|(?<=[\s：；。]))\d{1,2}[、.．)）](?!\d)|[（(]\d{1,2}[)）]")
_EXAMPLES = re.compile(r"(比如|例如|譬如)[^。？！\n]*")  # "请回复金额，比如“48000”“4.8万”": examples, not claims
FACTS_FILE = "facts.yaml"
_SCALE = {"个亿": 1e8, "亿": 1e8, "万": 1e4, "w": 1e4, "W": 1e4, "千": 1e3, "k": 1e3, "K": 1e3, "%": 0.01, "％": 0.01}
_NOT_FIGURES = ("一下", "一些", "一起", "一直", "一般", "一样", "一定", "一份", "一项", "一次", "统一", "唯一", "万一", "一旦",
                "十分", "三不一优", "一个")


@dataclass(frozen=True)
class Figure:
    text: str  # as it stands in the text
    written: float  # the number as written (180 of 180万)
    value: float  # its value (1800000)


def figures(text: str) -> list[Figure]:
    """Every figure of a text, list numbering ("1、", "2.") and examples ("比如“48000”") left out."""
    text = _EXAMPLES.sub(" ", _ENUMERATION.sub(" ", text))
    found = []
    for m in _ARABIC.finditer(text):
        written = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        found.append(Figure(m.group(0).strip(), written, round(written * _SCALE.get(m.group(3) or "", 1), 6)))
    for m in _CHINESE.finditer(text):
        word = m.group(0)
        if len(word) <= 2 and any(w in text[max(0, m.start() - 1):m.end() + 2] for w in _NOT_FIGURES):
            continue
        try:
            value = float(cn2an.cn2an(word, "smart"))
        except (ValueError, KeyError):
            continue
        found.append(Figure(word, value, value))
    return found


class Known:
    """A set of numbers, compared to six decimals (5.5% read as 0.055000000000000004 is 0.055)."""

    def __init__(self, numbers=()):
        self._keys: set[float] = set()
        for n in numbers:
            self.add(n)

    def add(self, n: float) -> None:
        self._keys.add(round(n, 6))

    def update(self, text: str) -> None:
        for f in figures(text):
            self.add(f.written)
            self.add(f.value)

    def __contains__(self, n: float) -> bool:
        return round(n, 6) in self._keys


def _numbers_in(value) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers_in(v)]
    if isinstance(value, (list, tuple)):  # a list's length too: "不适用（17项）" counts a group's measures
        return [float(len(value))] + [n for v in value for n in _numbers_in(v)]
    return []


@lru_cache(maxsize=4)
def _store_known(path: str) -> Known:
    """Every figure of the policy data: its YAML and source texts (parameters, thresholds, clauses, dates, phones)
    and the store's own values (thresholds in yuan and in the table's unit, parameters as numbers)."""
    known = Known()
    data = Path(policy_db.__file__).parent
    for file in [*data.glob("*.yaml"), *data.glob("policies/**/*"), *data.glob("reference/**/*")]:
        if file.is_file():
            known.update(_policy_text(file))
    return known


def _policy_text(file: Path) -> str:
    """A data file's text; facts.yaml's without its `simulator` keys: the simulator's ranges are no policy figure."""
    text = file.read_text(encoding="utf-8")
    if file.name != FACTS_FILE:
        return text
    facts = yaml.safe_load(text)
    return json.dumps({name: {k: v for k, v in spec.items() if k != "simulator"} for name, spec in facts.items()},
                      ensure_ascii=False)


def store_known(store: Store) -> Known:
    known = _store_known(str(store.path))
    for policy in store.policies.values():
        for p in policy.parameters.values():
            for _, v in p.values:
                known.add(float(v))
    for cls in store.classifications.values():
        for row in cls.rows.values():
            for limits in (row.sme_below, row.medium_at_least, row.small_at_least):
                for v in limits.values():
                    known.add(float(v))
    return known


def payload_known(payload: dict) -> Known:
    """The figures of a result payload: its numbers, its lists' lengths, and the figures of its texts."""
    known = Known(_numbers_in(payload))
    known.update(json.dumps(payload, ensure_ascii=False))
    return known


def invented(bot_texts: list[str], owner_texts: list[str], engine_payload: dict, store: Store) -> list[str]:
    """The assistant's figures found neither in the owner's words, nor in the engine's result, nor in the store."""
    owner = Known()
    for text in owner_texts:
        owner.update(text)
    sources = (owner, payload_known(engine_payload), store_known(store))
    out = []
    for text in bot_texts:
        for f in figures(text):
            if not any(n in k for k in sources for n in (f.written, f.value)):
                out.append(f.text)
    return out
