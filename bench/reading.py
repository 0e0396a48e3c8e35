"""How well the assistant reads what owners type: for each message of a conversation set, given what the bot had
just asked and what it already knew, which facts the message sets or changes, and which costly guesses it asks the
owner to confirm instead of recording.

Each message goes through the trained NLU (the model `make run` serves) and then through the interview forms'
`take_answer`, the step that turns a parsed message and its context into slot events, so the figures are those of
the running assistant. Teacher forcing: a turn is judged on its own, with the set's own facts as context.

Prints turn accuracy (exactly the expected changes and confirmations), fact precision and recall per fact, and per
kind of message (answer, correction, yes with a reason, negated harm…) how often an expected fact was taken, a
costly guess confirmed first or taken silently, and a fact recorded wrong without asking ("silent wrong"); and per
kind of reading (how the assistant read each fact it recorded: an answer to the question, a confirmed guess, a fact
word with its value, a cue, a trade, implied by another fact; slot `fact_notes`) how many it took right and wrong.

Run: .venv/bin/python -m bench.reading [tests/nlu/conversations_fresh_a.yml … | tests/nlu/corpus/*.yml]
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from rasa.core.agent import Agent
from rasa.utils.log_utils import configure_structlog
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateFollowupForm, ValidateProfileForm
from actions.slots import CHECKLIST, CHECKLIST_FACTS, FACT_NOTES, PENDING_CONFIRMATION, UNKNOWN_FACTS
from actions.store_access import policy_store
from bench import corpus
from bot.ops.model import ROOT, ensure

SETS = tuple(sorted((ROOT / "tests" / "nlu").glob("conversations_*.yml")))
CONFIRM = "confirm"
DOMAIN_SLOTS = tuple(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["slots"])  # Rasa sends all


@dataclass
class Tally:
    turns: int = 0
    exact: int = 0
    silent: int = 0            # a known fact changed where the message did not change it
    silent_wrong: int = 0      # facts recorded wrong without asking (unexpected, wrong value, or a guess not confirmed)
    conversations: int = 0
    conversations_right: int = 0
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    by_kind: dict = field(default_factory=lambda: defaultdict(Counter))
    by_how: dict = field(default_factory=lambda: defaultdict(Counter))
    guesses_by_fact: dict = field(default_factory=lambda: defaultdict(Counter))  # fact → what became of its guesses
    misses: list = field(default_factory=list)


def turns_of(path: Path, part: str | None = None) -> Iterator[tuple[dict, dict, str]]:
    """(known facts before the turn, turn, conversation name) for a conversation set or a flat corpus of items
    (only its training or held-out `part`, bench.corpus, when given)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for conversation in data.get("conversations", []):
        known = dict(conversation.get("known") or {})
        for turn in conversation["turns"]:
            yield dict(known), turn, conversation.get("name", "")
            known.update(turn.get("expect") or {})
    for i, item in enumerate(data.get("items", [])):
        if part is None or corpus.part_of(item["say"]) == part:
            yield dict(item.get("known") or {}), item, f"item {i}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-6
    return a == b


@dataclass
class Taken:
    changed: dict        # facts set or changed
    unknown: list        # facts said not to be known
    confirming: dict     # costly guesses the assistant asks the owner to confirm, not recorded
    how: dict            # per fact set: how it was read (slot `fact_notes`)


def read_turn(parsed: dict, known: dict, turn: dict) -> Taken:
    """What the assistant does with this message in this turn."""
    store = policy_store()
    asked = turn.get("asked")
    slots = {**dict.fromkeys(DOMAIN_SLOTS), **known, "requested_slot": None if asked == CONFIRM else asked,
             CHECKLIST_FACTS: turn.get("offered") or [],
             PENDING_CONFIRMATION: turn.get("confirming") if asked == CONFIRM else None}
    tracker = Tracker("bench-reading", slots, parsed, [], False, None, {}, "action_listen")
    form = ValidateFollowupForm() if asked == CHECKLIST else ValidateProfileForm()
    events = form.take_answer(CollectingDispatcher(), tracker)
    slot_events = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    set_facts = {k: v for k, v in slot_events.items() if k in store.facts}
    changed = {k: v for k, v in set_facts.items() if not (k in known and _same(known[k], v))}
    notes = slot_events.get(FACT_NOTES) or {}
    return Taken(changed, list(slot_events.get(UNKNOWN_FACTS) or []),
                 dict(slot_events.get(PENDING_CONFIRMATION) or {}),
                 {k: (notes.get(k) or {}).get("how", "?") for k in changed})


def _asks_to_confirm(confirming: dict, fact: str, value: Any) -> bool:
    """Whether the assistant asks about this guess: the same value, or for a trade, a choice among the rows (a set
    that names the fact alone, value None, asks only that it be confirmed)."""
    if fact not in confirming:
        return False
    if value is None:
        return True
    asked = confirming[fact]
    if isinstance(value, list) or isinstance(asked, list):
        rows = value if isinstance(value, list) else [value]
        return bool(set(asked if isinstance(asked, list) else [asked]) & set(rows))
    return _same(asked, value)


def guesses_of(turn: dict) -> dict:
    """The costly guesses a turn expects confirmed, {fact: value}: the sets write them as a mapping, or as a list of
    the facts alone (value None: any value)."""
    confirm = turn.get("confirm") or {}
    return dict(confirm) if isinstance(confirm, dict) else {fact: None for fact in confirm}


def score_turn(tally: Tally, known: dict, turn: dict, taken: Taken) -> bool:
    want, guesses = turn.get("expect") or {}, guesses_of(turn)
    got = taken.changed
    kind = tally.by_kind[turn.get("kind") or "unlabelled"]
    kind["turns"] += 1
    for fact, value in want.items():
        if fact in got and _same(got[fact], value):
            tally.tp[fact] += 1
            kind["facts taken"] += 1
        else:
            tally.fn[fact] += 1
            kind["facts missed"] += 1
    for fact, value in guesses.items():
        if _asks_to_confirm(taken.confirming, fact, value):
            kind["guesses confirmed first"] += 1
            tally.guesses_by_fact[fact]["confirmed"] += 1
        elif fact in got:
            kind["guesses taken silently"] += 1
            tally.silent_wrong += 1
            tally.guesses_by_fact[fact][f"silent ({taken.how.get(fact, '?')})"] += 1
        else:
            kind["guesses neither asked nor taken"] += 1
            tally.guesses_by_fact[fact]["unseen"] += 1
    for fact, value in got.items():
        right = fact in want and _same(want[fact], value)
        tally.by_how[taken.how.get(fact, "?")]["right" if right else "wrong"] += 1
        if fact in guesses:
            continue
        if not right:
            tally.fp[fact] += 1
            tally.silent_wrong += 1
            kind["facts wrong"] += 1
            if fact in known and fact not in want:
                tally.silent += 1
    for fact in taken.confirming:
        if fact not in guesses:
            kind["asked to confirm needlessly"] += 1
    exact = set(got) == set(want) and all(_same(got[k], want[k]) for k in want) \
        and all(_asks_to_confirm(taken.confirming, f, v) for f, v in guesses.items()) \
        and set(taken.confirming) <= set(guesses) \
        and set(taken.unknown) >= set(turn.get("unknown") or [])
    kind["exact"] += exact
    return exact


def score(agent: Agent, path: Path, part: str | None = None) -> Tally:
    tally = Tally()
    conversation, right = None, True
    for known, turn, name in turns_of(path, part):
        if name != conversation:
            if conversation is not None:
                tally.conversations += 1
                tally.conversations_right += right
            conversation, right = name, True
        parsed = asyncio.run(agent.parse_message(turn["say"]))
        taken = read_turn(parsed, known, turn)
        tally.turns += 1
        exact = score_turn(tally, known, turn, taken)
        tally.exact += exact
        right = right and exact
        if not exact:
            tally.misses.append((turn.get("kind"), turn.get("asked"), turn["say"],
                                 {**(turn.get("expect") or {}), **{f"confirm {k}": v for k, v in guesses_of(turn).items()}},
                                 {**taken.changed, **{f"confirm {k}": v for k, v in taken.confirming.items()}}))
    if conversation is not None:
        tally.conversations += 1
        tally.conversations_right += right
    return tally


def report(path: Path, tally: Tally, show_misses: int = 15) -> None:
    tp, fp, fn = sum(tally.tp.values()), sum(tally.fp.values()), sum(tally.fn.values())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"set: {path}")
    print(f"turns read exactly right: {tally.exact}/{tally.turns} = {tally.exact / tally.turns:.1%}")
    if tally.conversations > 1 and not str(path).count("corpus"):
        print(f"conversations with every turn right: {tally.conversations_right}/{tally.conversations}")
    print(f"facts: precision {precision:.3f}, recall {recall:.3f} (expected {tp + fn}, set {tp + fp})")
    print(f"silent wrong facts (recorded wrong or guessed without asking): {tally.silent_wrong}")
    guesses = Counter()
    for counts in tally.by_kind.values():
        guesses.update({k: v for k, v in counts.items() if k.startswith("guesses")})
    print(f"costly guesses: {sum(guesses.values())} expected; confirmed first {guesses['guesses confirmed first']}, "
          f"taken silently {guesses['guesses taken silently']}, neither {guesses['guesses neither asked nor taken']}")
    print(f"silent changes of a known fact: {tally.silent}")
    print("costly guesses per fact (silent: how the fact was read):")
    for fact, counts in sorted(tally.guesses_by_fact.items()):
        print(f"  {fact:24s} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print("per kind of message:")
    for kind, counts in sorted(tally.by_kind.items()):
        rest = ", ".join(f"{k} {v}" for k, v in counts.items() if k not in ("turns", "exact") and v)
        print(f"  {kind:16s} exact {counts['exact']}/{counts['turns']}" + (f"; {rest}" if rest else ""))
    print("per kind of reading (how each recorded fact was read): right / wrong")
    for how, counts in sorted(tally.by_how.items()):
        print(f"  {how:16s} {counts['right']} / {counts['wrong']}")
    print("per fact (precision / recall / expected):")
    for fact in sorted(set(tally.tp) | set(tally.fp) | set(tally.fn)):
        t, f, n = tally.tp[fact], tally.fp[fact], tally.fn[fact]
        print(f"  {fact:24s} {t / (t + f) if t + f else 1:.2f} / {t / (t + n) if t + n else 1:.2f} / {t + n}")
    for kind, asked, say, want, got in tally.misses[:show_misses]:
        print(f"  ✗ [{kind}; {asked}] {say}\n      expected {want}\n      got      {got}")


def _option(name: str, default: str | None) -> str | None:
    return next((a.split("=", 1)[1] for a in sys.argv if a.startswith(f"--{name}=")), default)


def main(paths: list[Path]) -> None:
    """Options: --misses=N (how many misses to print), --part=train|heldout (of a corpus file)."""
    configure_structlog(logging.WARNING)  # Rasa's debug lines would print the held-out messages for all to read
    agent = Agent.load(str(ensure()))
    for path in paths:
        part = _option("part", None)
        print(f"part: {part}" if part else "", end="\n" if part else "")
        report(path, score(agent, path, part), int(_option("misses", "15")))
        print()


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:] if not arg.startswith("--")] or list(SETS))
