"""A simulated owner: opens with the case's narrative, then answers what is asked — by the bot's `ask` payload or
by a free-text question it reads itself — in colloquial Chinese, and volunteers nothing else.

The words are data (owner.yaml); the case's facts are the truth it tells. A fact the case does not hold gets a
"这个不清楚"-style answer; a question it cannot map to a fact gets "您问的是哪方面？".
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

import yaml

from policy_db import Store

from .cases import Case, classification
from .narrative import trade_words
from .speech import say_count, say_money

CONSENT = "contact_consent"  # the owner's answers to the interview's last question (docs/contract.md E16)
CONSENT_TYPE = "consent"      # its payload's type

WORDS = Path(__file__).with_name("owner.yaml")


@lru_cache(maxsize=1)
def _words() -> dict:
    data = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
    data["compiled"] = {fact: ([re.compile(c) for c in spec["cues"]], [re.compile(u) for u in spec.get("unless", [])])
                        for fact, spec in data["questions"].items()}
    return data


def fact_asked(message: str) -> list[str]:
    """The facts a free-text question asks about, in the order the question names them."""
    found = []
    for fact, (cues, unless) in _words()["compiled"].items():
        if any(u.search(message) for u in unless):
            continue
        hits = [m.start() for c in cues for m in [c.search(message)] if m]
        if hits:
            found.append((min(hits), fact))
    return [fact for _, fact in sorted(found, key=lambda x: x[0])]


class SimulatedOwner:
    """One owner of a case; ``rng`` decides the wording (the facts never change)."""

    def __init__(self, case: Case, store: Store, rng: random.Random):
        self.case, self.store, self.rng = case, store, rng
        self.asked: list[str] = []
        self.questions = 0
        self._words = _words()
        self._classification = classification(store)

    @property
    def facts(self) -> dict:
        return self.case.facts

    def opening(self) -> str:
        return self.case.narrative

    def fact_asked(self, message: str) -> list[str]:
        return fact_asked(message)

    @property
    def is_lender(self) -> bool:
        return self.store.asks_as_lender(self.facts)

    def ask_for_result(self) -> str:
        """What the owner says when the assistant stops asking without having said what applies."""
        return self.rng.choice(self._words["answers"]["ask_result_lender" if self.is_lender else "ask_result"])

    def reply(self, message: str, ask: dict | None = None) -> str:
        """The answer to what was just asked: the `ask` payload's facts when there is one, else the question's; to
        a `confirm` (contract E12), yes when the guess is the owner's own fact, else no, and for a trade its row."""
        if ask and ask.get("type") == "confirm":
            return self._confirm(ask)
        if ask and ask.get("type") == CONSENT_TYPE:  # not a question about the enterprise: not counted as one
            return self.rng.choice(self._words["answers"][CONSENT]["yes" if self.rng.random() < 0.7 else "no"])
        if ask and ask.get("multi"):
            facts = list(ask.get("facts") or [])
            self._note(facts)
            return self._checklist(facts)
        if ask and ask.get("fact"):
            facts = [ask["fact"], *ask.get("together", [])]
        else:
            facts = self.fact_asked(message)
        if not facts:
            return self.rng.choice(self._words["answers"]["clarify"])
        self._note(facts)
        parts = [self._answer(f, alone=len(facts) == 1) for f in facts]
        parts += self._in_passing(facts)
        return "，".join(parts)

    def _confirm(self, ask: dict) -> str:
        self._note([ask["fact"]])
        truth = self.facts.get(ask["fact"])
        if isinstance(ask.get("value"), list):
            return truth if truth in ask["value"] else self.rng.choice(self._words["answers"]["no"])
        key = "yes" if truth == ask.get("value") else "no"
        return self.rng.choice(self._words["answers"][key])

    def _note(self, facts: list[str]) -> None:
        self.questions += 1
        self.asked += [f for f in facts if f not in self.asked]

    def _in_passing(self, facts: list[str]) -> list[str]:
        """Now and then a fact closely tied to a 'yes' just given (有贷款 → 贷了多少), never anything else."""
        extra = []
        for fact in facts:
            for tied in self._words["ties"].get(fact, []):
                if tied not in facts and self.facts.get(fact) and self.facts.get(tied) and self.rng.random() < 0.2:
                    extra.append(self._answer(tied, alone=False))
        return extra

    def told_in_passing(self, fact: str) -> list[str]:
        """The facts the owner may add when asked about ``fact`` (owner.yaml ties)."""
        return list(self._words["ties"].get(fact, []))

    def _answer(self, fact: str, alone: bool) -> str:
        answers = self._words["answers"]
        value = self.facts.get(fact)
        spec = self.store.facts.get(fact)
        if spec is None or value is None:
            return self.rng.choice(answers["lender_not_applicable" if self.is_lender else "dont_know"])
        if spec.type == "bool":
            own = answers.get(fact) if isinstance(answers.get(fact), dict) else {}
            key = "yes" if value else "no"
            return self.rng.choice(own.get(key) or answers[key])
        if spec.type == "industry":
            return self.rng.choice(answers["industry"]).format(value=self._trade_word(value))
        if spec.type == "choice":
            return self.rng.choice(answers[fact]).format(value=value)
        if value == 0 and f"{fact}_zero" in answers:
            return self.rng.choice(answers[f"{fact}_zero"])
        template = self.rng.choice(answers[fact])
        if spec.type == "money":
            said = say_money(self.rng, value, alone=alone and template == "{money}")
            return self._hedged(template.format(money=said))
        return template.format(n=say_count(self.rng, int(value)))

    def _hedged(self, text: str) -> str:
        hedges = self._words["hedges"]
        if self.rng.random() < 0.25 and not any(h in text for h in hedges["before"] + hedges["after"]):
            return self.rng.choice(hedges["before"]) + text
        return text

    def _trade_word(self, row: str) -> str:
        """The word of the opening when it named the trade (an owner keeps calling it the same), else one of the
        row's words."""
        said = [t.split(":", 1)[1] for t in self.case.tags if t.startswith("word:")]
        if said:
            return said[0]
        words = trade_words(self._classification, row)
        return self.rng.choice(words) if words else row

    def _checklist(self, facts: list[str]) -> str:
        """Numbers of the situations that hold ("1、3"), now and then the situations in words, else "都没有"."""
        true = [i for i, f in enumerate(facts, start=1) if self.facts.get(f) is True]
        if not true and self.is_lender:
            return self.rng.choice(self._words["answers"]["lender_not_applicable"])
        if not true:
            return self.rng.choice(self._words["answers"]["checklist_none"])
        if self.rng.random() < 0.25:
            return "，".join(self.store.facts[facts[i - 1]].situation or self.store.facts[facts[i - 1]].label
                            for i in true)
        joiner = self.rng.choice(("、", "和", "，", " "))
        return joiner.join(str(i) for i in true)
