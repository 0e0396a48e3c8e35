"""What message ids cost and what a resend saves (contract §E11), on the same simulated interviews.

- Every interview is played twice, alternately: once without ids (Rasa as it was) and once with an id per message,
  which costs the look-up of the conversation before each turn. p50/p95 of a turn each way, and the ratio (the
  baseline is the run without ids).
- After each interview with ids, its last message is sent again with its id: answered from the store (no NLU, no
  action), p50/p95 of that against a turn.

Run: .venv/bin/python -m bench.resend   (starts its own servers on ports 5405/5455)
"""

from __future__ import annotations

import random
import time
import uuid

from bench.servers import running_assistant
from bench.turns import percentile
from testing.rest import Conversation
from testing.simulated_user import SimulatedUser, converse, load_personas


class _Timed(Conversation):
    """A conversation timing each turn, with or without a fresh message id per message."""

    def __init__(self, url: str, with_ids: bool, timings: list):
        super().__init__(url)
        self.with_ids, self.timings, self.last = with_ids, timings, None

    def say(self, text: str, message_id: str | None = None) -> list[dict]:
        message_id = message_id or (f"m-{uuid.uuid4().hex[:20]}" if self.with_ids else None)
        start = time.perf_counter()
        replies = super().say(text, message_id)
        self.timings.append((time.perf_counter() - start) * 1000)
        self.last = (text, message_id, replies)
        return replies


def main(rounds: int = 2) -> None:
    phrases, personas = load_personas()
    plain, with_ids, resent = [], [], []
    with running_assistant() as assistant:
        Conversation(assistant.url).say("你好")  # warm-up
        for r in range(rounds):
            for persona in personas:
                for ids, timings in ((False, plain), (True, with_ids)):
                    chat = _Timed(assistant.url, ids, timings)
                    converse(SimulatedUser(persona, phrases, random.Random(f"{persona['name']}{r}")), chat.say)
                    if ids:
                        text, message_id, replies = chat.last
                        again = _Timed(assistant.url, True, resent)
                        again.sender = chat.sender
                        assert again.say(text, message_id) == replies, "a resend was not answered as the first sending"
    for label, timings in (("turn without ids (baseline)", plain), ("turn with an id", with_ids),
                           ("resend answered from the store", resent)):
        print(f"{label:32} n={len(timings):4}  p50 {percentile(timings, .5):6.1f} ms  p95 {percentile(timings, .95):6.1f} ms")
    print(f"with ids / without, p50: {percentile(with_ids, .5) / percentile(plain, .5):.2f}   "
          f"p95: {percentile(with_ids, .95) / percentile(plain, .95):.2f}")
    print(f"resend / turn with an id, p50: {percentile(resent, .5) / percentile(with_ids, .5):.2f}")


if __name__ == "__main__":
    main()
