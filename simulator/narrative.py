"""A case's opening words: a short Chinese line in an owner's voice (narratives.yaml) that states how the enterprise
stands and, three times in four, its trade in an everyday word of the classification."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import yaml

from policy_db.model import Classification

NARRATIVES = Path(__file__).with_name("narratives.yaml")


@lru_cache(maxsize=1)
def _narratives() -> dict:
    return yaml.safe_load(NARRATIVES.read_text(encoding="utf-8"))


_TRADE_WORDS: dict[tuple[int, str], tuple[Classification, list[str]]] = {}


def trade_words(cls: Classification, row: str) -> list[str]:
    """trade_words_of, kept per classification object and row (reading every synonym is slow; the object is kept
    with its words, so its id is not reused while cached)."""
    key = (id(cls), row)
    if key not in _TRADE_WORDS:
        _TRADE_WORDS[key] = (cls, trade_words_of(cls, row))
    return list(_TRADE_WORDS[key][1])


def trade_words_of(cls: Classification, row: str) -> list[str]:
    """Words an owner would use for the trade, from the classification's own synonyms: nouns of two characters or
    more that name this row (not verb phrases like 做外贸, which the templates' 做…的 already say), with no digit,
    none stating another fact (narratives.yaml trade_words_left_out)."""
    left_out = _narratives()["trade_words_left_out"]
    return [w for w, r in cls.synonyms.items() if r == row and len(w) >= 2 and cls.industry_for(w) == row
            and not w.startswith(("做", "是", "搞", "跑", "干", "送", "卖")) and not w.isascii()
            and not any(c.isdigit() for c in w)  # a narrative states no figure ("4S店")
            and not any(part in w for part in left_out)]


def _industry_word(rng: random.Random, cls: Classification, row: str) -> str:
    words = trade_words(cls, row)
    return rng.choice(words) if words else row


def narrative(rng: random.Random, cls: Classification, facts: dict, scenario: str, tags: list[str]) -> str:
    texts = _narratives()
    if scenario == "lender":
        tags.append("states:is_financial_institution")
        return rng.choice(texts["lender"])
    if facts.get("incubator_operator"):
        tags.append("states:incubator_operator")
        return rng.choice(texts["operator"])
    key = "affected" if facts.get("affected") else "not_affected"
    tags.append("states:affected")
    if rng.random() < 0.75:
        word = _industry_word(rng, cls, facts["industry"])
        tags += ["states:industry", f"word:{word}"]
        return rng.choice(texts[key]["with_trade"]).format(word=word)
    return rng.choice(texts[key]["plain"])
