"""Locust users for bench/load.py, against the REST channel (contract §1), as Rasa's load-testing guide does.

LOAD_MODE=interview: each user is a simulated owner (simulator) going through a whole interview, then the next one;
LOAD_MODE=bare: each user says "你好" and "谢谢" (a turn with no interview behind it), for the ratio.
Every reply must hold at least one message (an empty one counts as a failure). When the run ends, LOAD_OUT gets the
interviews' outcome: how many finished with a result, how many results differ from their own owner's facts, and
how many match another owner's facts instead (cross-talk).
"""

from __future__ import annotations

import itertools
from collections import Counter
import json
import os
import random
import uuid

from locust import HttpUser, constant, events, task

from bench.interview import Interview, cross_talk, differences, differing
from policy_db import load
from simulator import SimulatedOwner, generate
from testing.rest import REST_PATH

MODE = os.environ.get("LOAD_MODE", "interview")
CASES = generate(load(), 500, seed=int(os.environ.get("LOAD_SEED", "14")))
RUN = uuid.uuid4().hex[:6]
_numbers = itertools.count()
finished: list = []
examples: list = []  # interviews whose result differs from the owner's facts, for reading


class Owner(HttpUser):
    wait_time = constant(0)

    def _send(self, sender: str, text: str, name: str) -> list:
        with self.client.post(REST_PATH, json={"sender": sender, "message": text}, name=name,
                              catch_response=True) as response:
            try:
                replies = response.json()
            except ValueError:
                replies = None
            if not isinstance(replies, list) or not replies:
                response.failure(f"no reply: {response.status_code} {response.text[:80]!r}")
                return []
            return replies

    @task
    def converse(self) -> None:
        number = next(_numbers)
        sender = f"load-{RUN}-{number}"
        if MODE == "bare":
            for text in ("你好", "谢谢"):
                self._send(sender, text, "bare turn")
            return
        case = CASES[number % len(CASES)]
        owner = SimulatedOwner(case, load(), random.Random(f"{RUN}-{number}"))
        interview = Interview(owner, sender).run(lambda who, text: self._send(who, text, "interview turn"))
        finished.append((case.facts, interview.result, len(interview.turns)))
        wrong = differing(interview.result, case.facts)
        if wrong and len(examples) < 10:
            told = interview.result["enterprise"]["facts"]
            examples.append({"differ": {name: [case.facts[name], told[name]] for name in wrong},
                             "owner_said": [text for text, _ in interview.turns]})


@events.quitting.add_listener
def _write_outcome(environment, **kwargs) -> None:
    path = os.environ.get("LOAD_OUT")
    if not path or MODE == "bare":
        return
    all_facts = [facts for facts, _, _ in finished]
    results = [(i, facts, result) for i, (facts, result, _) in enumerate(finished) if result is not None]
    outcome = {
        "interviews": len(finished),
        "with_result": len(results),
        "turns": sum(turns for _, _, turns in finished),
        "results_differing_from_own_facts": sum(differences(result, facts) > 0 for _, facts, result in results),
        "differing_facts": dict(Counter(name for _, facts, result in results for name in differing(result, facts))),
        "cross_talk": sum(cross_talk(result, facts, all_facts[:i] + all_facts[i + 1:]) for i, facts, result in results),
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(outcome, out)
    with open(path + ".examples.json", "w", encoding="utf-8") as out:
        json.dump(examples, out, ensure_ascii=False, indent=1)
