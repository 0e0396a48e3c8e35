"""Latency of interview turns against the running assistant, memory of both servers, questions per interview.

- p50/p95 of a turn that runs custom actions (every turn of the simulated interviews) and of a turn that runs none
  ("谢谢", "再见" at the end of the same conversations: NLU + rules only, over the same conversation history), and
  their ratio. Target: p95 ratio ≤ 1.5.
- Resident memory of the Rasa server and the action server together. Target: ≤ 1.6 GB.
- Mean questions per interview over the simulated owners of tests/e2e/personas.yaml. Target: ≤ 7.

Also the CPU time per turn of each kind of the Rasa server's main thread (from /proc: the figure least moved by other
work on the machine) and the load average.

Run: .venv/bin/python -m bench.turns [--rasas-store] [--ports 5405 5455]   (starts its own servers on those ports;
     --rasas-store: with Rasa's own SQL tracker store instead of the one endpoints.yml names)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from bench.servers import RASAS_STORE, main_thread_seconds, resident_mb, running_assistant
from testing.rest import Conversation
from testing.simulated_user import SimulatedUser, converse, load_personas

TARGETS = {"ratio": 1.5, "memory_mb": 1600, "questions": 7}
PLAIN_TURNS = ("谢谢", "再见")  # rules answer these with a fixed response: no custom action runs


def _timed(chat: Conversation, timings: list[float], cpu: list[float], rasa: int):
    """`chat.say`, noting each turn's wall time and the CPU time of the Rasa server's main thread (ms)."""
    def say(text: str):
        used = main_thread_seconds(rasa)
        start = time.perf_counter()
        replies = chat.say(text)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((main_thread_seconds(rasa) - used) * 1000)
        return replies
    return say


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(rounds: int = 3, tracker_store: str | None = None, ports: tuple = (5405, 5455)) -> None:
    phrases, personas = load_personas()
    load_before = os.getloadavg()
    with running_assistant(*ports, tracker_store=tracker_store) as assistant:
        rasa = assistant.group.processes["rasa"].pid
        Conversation(assistant.url).say("你好")  # warm-up
        interview, plain, questions, interview_cpu, plain_cpu = [], [], [], [], []
        for r in range(rounds):
            for persona in personas:
                user = SimulatedUser(persona, phrases, random.Random(f"{persona['name']}{r}"))
                chat = Conversation(assistant.url)
                converse(user, _timed(chat, interview, interview_cpu, rasa))
                questions.append(user.questions)
                for text in PLAIN_TURNS:
                    _timed(chat, plain, plain_cpu, rasa)(text)
        memory = {name: resident_mb(p.pid) for name, p in zip(("action server", "rasa server"),
                                                              assistant.processes)}
    ratio = percentile(interview, 0.95) / percentile(plain, 0.95)
    total = sum(memory.values())
    mean_questions = statistics.fmean(questions)
    print(f"interview turns (custom actions): n={len(interview)}  p50 {percentile(interview, .5):6.1f} ms  "
          f"p95 {percentile(interview, .95):6.1f} ms")
    print(f"plain turns (no custom action):   n={len(plain)}  p50 {percentile(plain, .5):6.1f} ms  "
          f"p95 {percentile(plain, .95):6.1f} ms")
    print(f"p95 ratio: {ratio:.2f}  (target ≤ {TARGETS['ratio']}: {'met' if ratio <= TARGETS['ratio'] else 'MISSED'})")
    print("resident memory: " + ", ".join(f"{k} {v:.0f} MB" for k, v in memory.items())
          + f", together {total:.0f} MB  (target ≤ {TARGETS['memory_mb']} MB: "
          f"{'met' if total <= TARGETS['memory_mb'] else 'MISSED'})")
    print(f"questions per interview: mean {mean_questions:.2f} over {len(questions)} interviews, max {max(questions)} "
          f"(target ≤ {TARGETS['questions']}: {'met' if mean_questions <= TARGETS['questions'] else 'MISSED'})")
    cpu = statistics.fmean(interview_cpu), statistics.fmean(plain_cpu)
    print(f"Rasa server's main thread, CPU per turn: interview {cpu[0]:.1f} ms, plain {cpu[1]:.1f} ms (plain ÷ interview "
          f"{cpu[1] / cpu[0]:.2f})")
    print(f"tracker store: {tracker_store or 'endpoints.yml'}; load average before "
          f"{' '.join(f'{x:.2f}' for x in load_before)}, after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rasas-store", action="store_true")
    arguments.add_argument("--ports", type=int, nargs=2, default=(5405, 5455), metavar=("RASA", "ACTIONS"))
    options = arguments.parse_args()
    main(tracker_store=RASAS_STORE if options.rasas_store else None, ports=tuple(options.ports))
