"""A simulated enterprise owner for whole conversations over REST: it knows its true facts (personas.yaml), opens
in its own words, and answers each question the bot asks (by its `ask` payload) with a colloquial phrase.

Used by the end-to-end tests and by bench/turns.py and bench/resend.py. The personas stay beside the e2e tests
that were written with them; this module reads them by path, never by importing tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import cn2an
import yaml

PERSONAS = Path(__file__).parents[1] / "tests" / "e2e" / "personas.yaml"
CONSENT = "contact_consent"  # the phrases answering the interview's last question (docs/contract.md E16)
CONSENT_TYPE = "consent"      # its payload's type


def load_personas(path: Path = PERSONAS) -> tuple[dict, list[dict]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["phrases"], data["personas"]


def _chinese(n: float) -> str:
    return cn2an.an2cn(int(n)) if float(n).is_integer() else str(n)


@dataclass
class SimulatedUser:
    persona: dict
    phrases: dict
    rng: random.Random = field(default_factory=lambda: random.Random(2020))
    questions: int = 0
    asked: list = field(default_factory=list)

    @property
    def facts(self) -> dict:
        return self.persona["facts"]

    def say_value(self, fact: str) -> str:
        value = self.facts.get(fact)
        if value is None:
            return self.rng.choice(self.phrases["dont_know"])
        if isinstance(value, bool):
            return self.rng.choice(self.phrases["yes" if value else "no"])
        templates = self.phrases.get(fact) or ["{n}"]
        if fact == "layoffs" and value == 0 and self.phrases.get("layoffs_zero"):
            templates = self.phrases["layoffs_zero"]
        template = self.rng.choice(templates)
        return template.format(n=value, cn=_chinese(value) if isinstance(value, (int, float)) else value,
                               wan=f"{value / 10_000:g}" if isinstance(value, (int, float)) else value,
                               word=self.persona.get("industry_word", value), value=value)

    def answer_checklist(self, facts: list[str]) -> str:
        picked = [str(i) for i, fact in enumerate(facts, start=1) if self.facts.get(fact) is True]
        return "、".join(picked) if picked else self.rng.choice(["都没有", "都不符合", "一个都没有"])

    def reply(self, bot_messages: list[dict]) -> str | None:
        """The answer to the bot's last question, or None when it asked nothing; to a `confirm` (contract E12) yes
        when the guess is the persona's own fact, else no, and for two rows the persona's."""
        asks = [m["custom"] for m in bot_messages if m.get("custom", {}).get("type") in ("ask", "confirm", CONSENT_TYPE)]
        if not asks:
            return None
        ask = asks[-1]
        if ask["type"] == CONSENT_TYPE:  # not a fact of the enterprise, and not counted as a question about it
            return self.rng.choice(self.phrases[CONSENT])
        self.questions += 1
        self.asked.append(ask.get("fact") or "checklist")
        if ask["type"] == "confirm":
            truth = self.facts.get(ask["fact"])
            if isinstance(ask["value"], list):
                return truth if truth in ask["value"] else self.rng.choice(self.phrases["no"])
            return self.rng.choice(self.phrases["yes" if truth == ask["value"] else "no"])
        if ask.get("multi"):
            return self.answer_checklist(ask["facts"])
        return "，".join(self.say_value(fact) for fact in (ask["fact"], *ask.get("together", [])))


def converse(user: SimulatedUser, say: Callable[[str], list[dict]], max_turns: int = 30) -> list[dict]:
    """Hold the conversation to its end; returns every bot message received."""
    received: list[dict] = []
    message: str | None = user.persona["opening"]
    for _ in range(max_turns):
        replies = say(message)
        received += replies
        message = user.reply(replies)
        if message is None:
            return received
    raise AssertionError(f"the interview did not end within {max_turns} turns; asked {user.asked}")
