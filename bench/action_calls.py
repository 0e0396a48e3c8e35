"""What the Rasa server sends the action server in the load test's interviews (bench/interview.py, the simulator's
owners): calls per turn by action, the events and bytes of each call, and Rasa's CPU per turn. A recording proxy
sits between the two servers (its own cost is not in the figures). Issue 20: "the action server receives what it
needs, not the whole tracker".

Run: python -m bench.action_calls [--interviews 8] [--rasas-store]   (ports 5415/5465, proxy 5466)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import threading
from collections import Counter, defaultdict

from aiohttp import ClientSession, web

from bench.interview import Interview, owners
from bench.servers import RASAS_STORE, main_thread_seconds, running_assistant
from policy_db import load
from testing.rest import post

PORTS = {"rasa_port": 5415, "action_port": 5465}
PROXY = 5466
BARE_CONVERSATIONS = 30


class Recorder:
    """An HTTP proxy to the action server that notes each call: action, events sent, bytes, domain or not."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.calls: list[dict] = []
        self.ready = threading.Event()

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        call = json.loads(body)
        self.calls.append({"action": call["next_action"], "bytes": len(body), "events": len(call["tracker"]["events"]),
                           "domain": "domain" in call})
        async with self.session.post(self.target, data=body, headers={"Content-Type": "application/json"}) as reply:
            return web.Response(body=await reply.read(), status=reply.status, content_type="application/json")

    def serve(self) -> None:
        async def main():
            self.session = ClientSession()
            app = web.Application(client_max_size=2 ** 24)
            app.router.add_post("/webhook", self.forward)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", PROXY).start()
            self.ready.set()
            await asyncio.Event().wait()

        threading.Thread(target=lambda: asyncio.run(main()), daemon=True).start()
        self.ready.wait(10)


def main(interviews: int, tracker_store: str | None) -> None:
    recorder = Recorder(f"http://127.0.0.1:{PORTS['action_port']}/webhook")
    recorder.serve()
    per_turn, by_turn_number, cpu, replies_seen = [], defaultdict(list), [], []
    with running_assistant(**PORTS, tracker_store=tracker_store, calls_via=PROXY) as assistant:
        rasa = assistant.group.processes["rasa"].pid
        post(assistant.url, "warm-up", "你好")
        for n, owner in enumerate(owners(load(), interviews, seed=14)):
            turn = iter(range(1, 100))

            def send(sender: str, text: str):
                before, used = len(recorder.calls), main_thread_seconds(rasa)
                replies = post(assistant.url, sender, text)
                replies_seen.append(replies)
                cpu.append((main_thread_seconds(rasa) - used) * 1000)
                calls = recorder.calls[before:]
                per_turn.append(calls)
                by_turn_number[next(turn)].extend(calls)
                return replies

            Interview(owner, f"calls-{n}").run(send)
        bare = []
        for n in range(BARE_CONVERSATIONS):
            for text in ("你好", "谢谢"):  # what bench/load.py's bare users say
                used = main_thread_seconds(rasa)
                post(assistant.url, f"bare-{n}", text)
                bare.append((main_thread_seconds(rasa) - used) * 1000)
    calls = [call for turn in per_turn for call in turn]
    print(f"{interviews} interviews, {len(per_turn)} turns, {len(calls)} action calls: "
          f"{len(calls) / len(per_turn):.2f} per turn; turns by number of calls: "
          f"{dict(sorted(Counter(len(turn) for turn in per_turn).items()))}")
    print("calls by action: " + ", ".join(f"{name} {count}" for name, count in
                                          Counter(call["action"] for call in calls).most_common()))
    print("calls in one turn, most common: " + "; ".join(
        f"{' + '.join(names)} ×{count}" for names, count in
        Counter(tuple(call["action"] for call in turn) for turn in per_turn if len(turn) > 1).most_common(6)))
    print(f"with the domain: {sum(call['domain'] for call in calls)} of {len(calls)}")
    print("| interview turn | " + " | ".join(str(k) for k in sorted(by_turn_number)[:14]) + " |")
    for label, key in (("events sent (mean)", "events"), ("request KB (mean)", "bytes")):
        cells = [f"{statistics.fmean(c[key] for c in by_turn_number[k]) / (1024 if key == 'bytes' else 1):.0f}"
                 if by_turn_number[k] else "–" for k in sorted(by_turn_number)[:14]]
        print(f"| {label} | " + " | ".join(cells) + " |")
    digest = hashlib.sha256(json.dumps(replies_seen, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]
    print(f"every reply of every turn, digest: {digest} (the same digest: the same conversations, word for word)")
    kb = statistics.fmean(call["bytes"] for call in calls) / 1024
    print(f"Rasa main thread CPU per interview turn {statistics.fmean(cpu):.1f} ms, per bare turn "
          f"{statistics.fmean(bare):.1f} ms (bare ÷ interview {statistics.fmean(bare) / statistics.fmean(cpu):.2f}); {kb:.1f} KB per call; tracker store "
          f"{tracker_store or 'endpoints.yml'}; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--interviews", type=int, default=8)
    arguments.add_argument("--rasas-store", action="store_true")
    options = arguments.parse_args()
    main(options.interviews, RASAS_STORE if options.rasas_store else None)
