"""How well the assistant reads what owners type: for each message of a conversation set, given what the bot had
just asked and what it already knew, which facts the message sets or changes.

Each message goes through the trained NLU (the model `make run` serves) and then through the interview forms'
`take_answer`, the step that turns a parsed message and its context into slot events, so the figures are those of
the running assistant. Teacher forcing: a turn is judged on its own, with the set's own facts as context.

Prints turn accuracy (exactly the expected changes), fact precision and recall per fact, and silent changes
(a known fact changed where the message did not change it).

Run: .venv/bin/python -m bench.reading [tests/nlu/conversations_heldout.yml | tests/nlu/reading_corpus.yml …]
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from rasa.core.agent import Agent
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateFollowupForm, ValidateProfileForm
from actions.slots import CHECKLIST_FACTS, UNKNOWN_FACTS
from actions.store_access import policy_store
from bot.model import ROOT, ensure

SETS = (ROOT / "tests" / "nlu" / "conversations_heldout.yml",)
CHECKLIST = "checklist"


@dataclass
class Tally:
    turns: int = 0
    exact: int = 0
    silent: int = 0
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    misses: list = field(default_factory=list)


def turns_of(path: Path) -> Iterator[tuple[dict, dict]]:
    """(known facts before the turn, turn) for a conversation set or a flat corpus of items."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for conversation in data.get("conversations", []):
        known = dict(conversation.get("known") or {})
        for turn in conversation["turns"]:
            yield dict(known), turn
            known.update(turn.get("expect") or {})
    for item in data.get("items", []):
        yield dict(item.get("known") or {}), item


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-6
    return a == b


def read_turn(parsed: dict, known: dict, turn: dict) -> tuple[dict, list]:
    """The facts the assistant sets or changes for this message, and the facts it records as not known."""
    store = policy_store()
    asked = turn.get("asked")
    slots = {**known, "requested_slot": asked, CHECKLIST_FACTS: turn.get("offered") or []}
    tracker = Tracker("bench-reading", slots, parsed, [], False, None, {}, "action_listen")
    form = ValidateFollowupForm() if asked == CHECKLIST else ValidateProfileForm()
    events = form.take_answer(CollectingDispatcher(), tracker)
    set_facts = {e["name"]: e["value"] for e in events if e.get("event") == "slot" and e["name"] in store.facts}
    changed = {k: v for k, v in set_facts.items() if not (k in known and _same(known[k], v))}
    unknown = next((e["value"] for e in events if e.get("event") == "slot" and e["name"] == UNKNOWN_FACTS), [])
    return changed, list(unknown or [])


def score(agent: Agent, path: Path) -> Tally:
    tally = Tally()
    for known, turn in turns_of(path):
        parsed = asyncio.run(agent.parse_message(turn["say"]))
        got, unknown = read_turn(parsed, known, turn)
        want = turn.get("expect") or {}
        tally.turns += 1
        for fact, value in want.items():
            if fact in got and _same(got[fact], value):
                tally.tp[fact] += 1
            else:
                tally.fn[fact] += 1
        for fact, value in got.items():
            if not (fact in want and _same(want[fact], value)):
                tally.fp[fact] += 1
                if fact in known and fact not in want:
                    tally.silent += 1
        exact = set(got) == set(want) and all(_same(got[k], want[k]) for k in want) \
            and set(unknown) >= set(turn.get("unknown") or [])
        tally.exact += exact
        if not exact:
            tally.misses.append((turn.get("asked"), turn["say"], want, got))
    return tally


def report(path: Path, tally: Tally, show_misses: int = 15) -> None:
    tp, fp, fn = sum(tally.tp.values()), sum(tally.fp.values()), sum(tally.fn.values())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"set: {path.resolve().relative_to(ROOT)}")
    print(f"turns read exactly right: {tally.exact}/{tally.turns} = {tally.exact / tally.turns:.1%}")
    print(f"facts: precision {precision:.3f}, recall {recall:.3f} (expected {tp + fn}, set {tp + fp})")
    print(f"silent changes of a known fact: {tally.silent}")
    print("per fact (precision / recall / expected):")
    for fact in sorted(set(tally.tp) | set(tally.fp) | set(tally.fn)):
        t, f, n = tally.tp[fact], tally.fp[fact], tally.fn[fact]
        print(f"  {fact:24s} {t / (t + f) if t + f else 1:.2f} / {t / (t + n) if t + n else 1:.2f} / {t + n}")
    for asked, say, want, got in tally.misses[:show_misses]:
        print(f"  ✗ [{asked}] {say}\n      expected {want}\n      got      {got}")


def main(paths: list[Path]) -> None:
    agent = Agent.load(str(ensure()))
    for path in paths:
        report(path, score(agent, path))
        print()


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or list(SETS))
