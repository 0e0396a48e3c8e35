"""One simulated owner's whole interview over the REST channel (contract §1, turns sent by testing/rest.py), for
the Locust load test and the cluster's fault tests: the owner opens with its narrative and answers each `ask` (or a
question in the text) until the bot has nothing more to ask. A result's facts are then checked against the owner's
own facts, and against the other owners' for cross-talk (a conversation answered with another's facts).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Optional

from policy_db import Store
from simulator import SimulatedOwner, generate
from testing.rest import payloads, texts

MAX_TURNS = 30


def owners(store: Store, n: int, seed: int = 0) -> list:
    """`n` simulated owners of generated cases, each with its own wording seed."""
    return [SimulatedOwner(case, store, random.Random(f"load-{seed}-{i}"))
            for i, case in enumerate(generate(store, n, seed))]


@dataclass
class Interview:
    owner: SimulatedOwner
    sender: str
    turns: list = field(default_factory=list)
    result: Optional[dict] = None

    def next_message(self) -> Optional[str]:
        """What the owner says next: the opening, then the answer to what was asked; None when nothing is asked."""
        if not self.turns:
            return self.owner.opening()
        if len(self.turns) >= MAX_TURNS:
            return None
        replies = self.turns[-1][1]
        asks = payloads(replies, "ask") + payloads(replies, "confirm") + payloads(replies, "consent")
        if asks:
            return self.owner.reply(texts(replies), asks[-1])
        text = texts(replies)
        if not payloads(replies, "result") and text.rstrip().endswith(("？", "?")):
            return self.owner.reply(text)
        return None

    def record(self, text: str, replies: list) -> None:
        self.turns.append((text, replies))
        found = payloads(replies, "result")
        if found:
            self.result = found[-1]

    def run(self, send: Callable[[str, str], list]) -> "Interview":
        message = self.next_message()
        while message is not None:
            self.record(message, send(self.sender, message))
            message = self.next_message()
        return self


def differing(result: Optional[dict], facts: dict) -> list:
    """The names of a result's facts that differ from `facts` (amounts within 5%, as an owner rounds them)."""
    told = ((result or {}).get("enterprise") or {}).get("facts") or {}
    wrong = []
    for name, value in told.items():
        if name not in facts or facts[name] is None:
            continue
        truth = facts[name]
        if isinstance(truth, (int, float)) and not isinstance(truth, bool) and isinstance(value, (int, float)):
            if abs(value - truth) > 0.05 * max(abs(truth), 1):
                wrong.append(name)
        elif value != truth:
            wrong.append(name)
    return wrong


def differences(result: Optional[dict], facts: dict) -> int:
    return len(differing(result, facts))


def shared_facts(result: Optional[dict], facts: dict) -> int:
    told = ((result or {}).get("enterprise") or {}).get("facts") or {}
    return sum(1 for name in told if facts.get(name) is not None)


def cross_talk(result: Optional[dict], own: dict, others: list) -> bool:
    """A result that is wrong for its own owner and right, on at least three facts, for another owner."""
    if result is None or differences(result, own) == 0:
        return False
    return any(differences(result, facts) == 0 and shared_facts(result, facts) >= 3 for facts in others)
