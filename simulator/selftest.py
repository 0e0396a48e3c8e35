"""The assistant's self-test: generated owners interviewed by the running assistant over REST (contract §1),
each final `result` compared with the engine's own assessment of the owner's true facts.

Figures: class agreement, per-measure status agreement, amount agreement, questions per interview, turn latency,
invented figures (simulator/figures.py), and how each recorded fact was read (the result's `enterprise.read_as`,
contract E12): per kind of reading how many were right and wrong, and the facts recorded from a guess (a cue, a trade,
implied by another fact) without the owner's yes. Failing conversations are written as replayable YAML.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policy_db import FactError, Store, evaluate, validate
from policy_db.facts import GUESSED_READINGS as GUESSES

from .cases import Case, generate
from .figures import invented
from .owner import SimulatedOwner

MAX_TURNS = 40
WORKERS = 4
UNNOTED = "unnoted"  # a recorded fact the result gives no reading for


@dataclass
class Interview:
    case: Case
    turns: list[dict] = field(default_factory=list)  # {"user", "texts", "payloads", "ms"}
    result: dict | None = None
    questions: int = 0
    asked: list[str] = field(default_factory=list)  # facts the owner was asked, in order
    error: str | None = None
    ended: str = "result"  # result, stalled, turn_cap, error
    expected: dict | None = None
    verdict: dict = field(default_factory=dict)

    @property
    def failures(self) -> list[str]:
        v = self.verdict
        out = [] if self.ended == "result" else [self.ended]
        if v.get("class") is False:
            out.append("class")
        if v.get("status_mismatches"):
            out.append("status")
        if v.get("amount_mismatches"):
            out.append("amount")
        if v.get("fact_mismatches"):
            out.append("facts")
        if set(v.get("invented", [])) - set(v.get("invented_explained", [])):
            out.append("invented_figures")
        return out


def post(url: str, sender: str, message: str, timeout: float = 120) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def _split(replies: list[dict]) -> tuple[list[str], list[dict]]:
    return [m["text"] for m in replies if "text" in m], [m["custom"] for m in replies if "custom" in m]


def interview(case: Case, url: str, store: Store, max_turns: int = MAX_TURNS) -> Interview:
    """Hold one conversation: the opening, then an answer to every `ask`, until a `result` with nothing more asked.
    When the assistant neither asks nor has given a result, the owner asks once for what applies."""
    owner = SimulatedOwner(case, store, random.Random(f"owner-{case.seed}"))
    sender = f"sim-{case.id}-{uuid.uuid4().hex[:8]}"
    run = Interview(case)
    message, nudged = owner.opening(), False
    for _ in range(max_turns):
        start = time.perf_counter()
        try:
            replies = post(url, sender, message)
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as e:
            run.error, run.ended = f"{type(e).__name__}: {e}", "error"
            return run
        texts, payloads = _split(replies)
        run.turns.append({"user": message, "texts": texts, "payloads": payloads,
                          "ms": round((time.perf_counter() - start) * 1000, 1)})
        results = [p for p in payloads if p.get("type") == "result"]
        asks = [p for p in payloads if p.get("type") in ("ask", "confirm", "consent")]
        if results:
            run.result = results[-1]
        run.questions, run.asked = owner.questions, list(owner.asked)
        if asks:
            message = owner.reply("\n".join(texts), asks[-1])
            continue
        if run.result is not None:
            return run
        if nudged:
            run.ended = "stalled"
            return run
        message, nudged = owner.ask_for_result(), True
    run.questions, run.asked, run.ended = owner.questions, list(owner.asked), "turn_cap"
    return run


def reasked(run: Interview) -> list[tuple[str, str]]:
    """Answers the assistant did not take: (fact, the owner's answer) where the same question came right back."""
    out = []
    for before, after in zip(run.turns, run.turns[1:]):
        asked = [p for p in before["payloads"] if p.get("type") == "ask"]
        again = [p for p in after["payloads"] if p.get("type") == "ask"]
        if asked and again and asked[-1] == again[-1]:
            out.append((asked[-1].get("fact") or "checklist", after["user"]))
    return out


def judge(run: Interview, store: Store) -> None:
    """Compare the assistant's final result with the engine's assessment of the true facts on the same day."""
    if run.result is None:
        return
    as_of = dt.date.fromisoformat(run.result["as_of"])
    assessment = evaluate(run.case.facts, as_of, store=store)
    run.expected = assessment.to_payload()
    bot = {m["id"]: m for m in run.result.get("measures", [])}
    statuses, amounts = {}, {}
    for r in assessment.results:
        got = bot.get(r.measure.id)
        got_status = got["status"] if got else None
        if got_status != r.status:
            statuses[r.measure.id] = {"assistant": got_status, "engine": r.status}
        got_amount = got.get("amount_yuan") if got else None
        if (got_amount is None) != (r.amount_yuan is None) or (
                got_amount is not None and abs(got_amount - r.amount_yuan) > 0.5):
            amounts[r.measure.id] = {"assistant": got_amount, "engine": r.amount_yuan}
    told = run.result.get("enterprise", {}).get("facts", {})
    read_as = run.result.get("enterprise", {}).get("read_as", {})
    facts = {k: {"assistant": told.get(k), "owner": v, "how": read_as.get(k, UNNOTED)}
             for k, v in run.case.facts.items() if k in told and told.get(k) != v}
    facts.update({k: {"assistant": v, "owner": None, "how": read_as.get(k, UNNOTED)}
                  for k, v in told.items() if k not in run.case.facts})
    facts.update({k: {"assistant": None, "owner": run.case.facts[k]} for k in run.asked
                  if k in run.case.facts and k not in told})
    guessed = sorted(k for k in told if read_as.get(k) in GUESSES)
    bot_texts = [t for turn in run.turns for t in turn["texts"]]
    owner_texts = [turn["user"] for turn in run.turns]
    made_up = sorted(set(invented(bot_texts, owner_texts, run.expected, store)))
    explained = _explained(run, made_up, as_of, store)
    run.verdict = {
        "class": run.result.get("enterprise", {}).get("sme_class") == assessment.sme_class,
        "class_assistant": run.result.get("enterprise", {}).get("sme_class"), "class_engine": assessment.sme_class,
        "measures": len(assessment.results), "status_mismatches": statuses, "amount_mismatches": amounts,
        "amounts_compared": sum(1 for r in assessment.results if r.amount_yuan is not None or
                                (bot.get(r.measure.id) or {}).get("amount_yuan") is not None),
        "fact_mismatches": facts, "reasked": [list(x) for x in reasked(run)],
        "invented": made_up, "invented_explained": explained,
        "read_as": {k: read_as.get(k, UNNOTED) for k in told}, "guessed": guessed,
        "guessed_wrong": [k for k in guessed if k in facts],
    }


def _explained(run: Interview, made_up: list[str], as_of: dt.date, store: Store) -> list[str]:
    """Invented figures that the engine gives for the facts the assistant had recorded when it sent a result (an
    interim result's counts, an amount from a misread fact): they follow from what it recorded, so they point at
    reading, not at made-up wording."""
    if not made_up:
        return []
    recorded = {json.dumps(p["enterprise"]["facts"], sort_keys=True, ensure_ascii=False): p["enterprise"]["facts"]
                for t in run.turns for p in t["payloads"] if p.get("type") == "result" and p.get("enterprise")}
    payloads = [evaluate(f, as_of, store=store).to_payload() for f in recorded.values() if _valid(f, store)]
    return [f for f in made_up if any(not invented([f], [], p, store) for p in payloads)]


def _valid(facts: dict, store: Store) -> bool:
    try:
        validate(facts, store.facts, store.classification_for(store.default_policy))
    except FactError:
        return False
    return True


def write_failure(run: Interview, out: Path) -> Path:
    """A replayable record: the case (facts, seed), what failed, and the transcript of turns."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{run.case.id}.yaml"
    record = {
        "case": {"id": run.case.id, "seed": run.case.seed, "facts": run.case.facts, "narrative": run.case.narrative,
                 "tags": list(run.case.tags)},
        "failures": run.failures, "error": run.error, "asked": run.asked, "verdict": run.verdict,
        "turns": [{"user": t["user"], "assistant": t["texts"],
                   "payloads": [p for p in t["payloads"] if p.get("type") in ("ask", "result", "handoff")]}
                  for t in run.turns],
    }
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return path


def load_failure(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def replay(record: dict, url: str, store: Store) -> Interview:
    """Send the recorded owner's messages again, in order, to a fresh conversation and judge the new result."""
    c = record["case"]
    run = Interview(Case(c["id"], c["seed"], c["facts"], c["narrative"], tuple(c["tags"])))
    sender = f"replay-{c['id']}-{uuid.uuid4().hex[:8]}"
    for turn in record["turns"]:
        start = time.perf_counter()
        texts, payloads = _split(post(url, sender, turn["user"]))
        run.turns.append({"user": turn["user"], "texts": texts, "payloads": payloads,
                          "ms": round((time.perf_counter() - start) * 1000, 1)})
        run.result = next((p for p in reversed(payloads) if p.get("type") == "result"), run.result)
    run.ended = "result" if run.result is not None else "stalled"
    judge(run, store)
    return run


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.failed, self.stream = total, 0, 0, stream
        self.start = time.perf_counter()
        self.lock = threading.Lock()

    def step(self, failed: bool) -> None:
        with self.lock:
            self.done += 1
            self.failed += failed
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            elapsed = time.perf_counter() - self.start
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                              f"失败 {self.failed}  {elapsed:5.0f}s")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def run_all(cases: list[Case], url: str, store: Store, workers: int = WORKERS, progress: Progress | None = None
            ) -> list[Interview]:
    def one(c: Case) -> Interview:
        run = interview(c, url, store)
        judge(run, store)
        if progress:
            progress.step(bool(run.failures))
        return run
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, cases))


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def summary(runs: list[Interview]) -> dict:
    judged = [r for r in runs if r.verdict]
    measures = sum(r.verdict["measures"] for r in judged)
    status_ok = measures - sum(len(r.verdict["status_mismatches"]) for r in judged)
    compared = sum(r.verdict["amounts_compared"] for r in judged)
    amount_ok = compared - sum(len(r.verdict["amount_mismatches"]) for r in judged)
    latencies = [t["ms"] for r in runs for t in r.turns]
    questions = [r.questions for r in runs if r.ended == "result"]
    invented_all = [f for r in judged for f in r.verdict["invented"]]
    explained = [f for r in judged for f in r.verdict["invented_explained"]]
    unexplained = sorted({f for r in judged for f in r.verdict["invented"] if f not in r.verdict["invented_explained"]})
    ended = {k: sum(1 for r in runs if r.ended == k) for k in ("result", "stalled", "turn_cap", "error")}
    return {
        "conversations": len(runs), "ended": ended,
        "class_agreement": sum(r.verdict["class"] for r in judged) / len(judged) if judged else 0.0,
        "status_agreement": status_ok / measures if measures else 0.0,
        "conversations_all_status_agree": sum(not r.verdict["status_mismatches"] for r in judged),
        "amount_agreement": amount_ok / compared if compared else 0.0, "amounts_compared": compared,
        "questions_mean": statistics.fmean(questions) if questions else 0.0,
        "questions_max": max(questions) if questions else 0,
        "latency_p50_ms": _pct(latencies, 0.5), "latency_p95_ms": _pct(latencies, 0.95), "turns": len(latencies),
        "invented_count": len(invented_all), "invented": sorted(set(invented_all)),
        "conversations_with_invented": sum(bool(r.verdict["invented"]) for r in judged),
        "invented_explained": len(explained), "invented_unexplained": unexplained,
        "invented_unexplained_count": len(invented_all) - len(explained),
        "failed": sum(bool(r.failures) for r in runs),
        "reasked": sum(len(r.verdict.get("reasked", [])) for r in judged),
        "conversations_reasked": sum(bool(r.verdict.get("reasked")) for r in judged),
        "read_as": _read_as(judged),
        "guessed": sum(len(r.verdict["guessed"]) for r in judged),
        "guessed_wrong": sum(len(r.verdict["guessed_wrong"]) for r in judged),
        "conversations_guessed": sum(bool(r.verdict["guessed"]) for r in judged),
    }


def _read_as(judged: list[Interview]) -> dict[str, dict[str, int]]:
    """Per kind of reading (answer, stated, confirmed, cue, trade, implied…): the recorded facts right and wrong."""
    counts: dict[str, dict[str, int]] = {}
    for r in judged:
        for fact, how in r.verdict["read_as"].items():
            tally = counts.setdefault(how, {"right": 0, "wrong": 0})
            tally["wrong" if fact in r.verdict["fact_mismatches"] else "right"] += 1
    return dict(sorted(counts.items()))


def table(s: dict, wall_s: float | None = None) -> str:
    ended = s["ended"]
    rows = [
        ("对话数 conversations", f"{s['conversations']}（有结果 {ended['result']}，停滞 {ended['stalled']}，"
                                 f"超轮数 {ended['turn_cap']}，出错 {ended['error']}）"),
        ("划型一致 class agreement", f"{s['class_agreement']:.1%}"),
        ("措施状态一致 status agreement", f"{s['status_agreement']:.1%}（全部一致的对话 "
                                          f"{s['conversations_all_status_agree']}）"),
        ("金额一致 amount agreement", f"{s['amount_agreement']:.1%}（比较 {s['amounts_compared']} 项）"),
        ("每次访谈提问 questions/interview", f"平均 {s['questions_mean']:.2f}，最多 {s['questions_max']}"),
        ("每轮耗时 turn latency", f"p50 {s['latency_p50_ms']:.0f} ms，p95 {s['latency_p95_ms']:.0f} ms"
                                   f"（{s['turns']} 轮）"),
        ("编造的数字 invented figures", f"{s['invented_count']} 处，涉及 {s['conversations_with_invented']} 个对话；"
                                       f"其中 {s['invented_explained']} 处可由助手当时记下的事实算出（中间结果、误记）"),
        ("  无从解释的 unexplained", f"{s['invented_unexplained_count']} 处"
                                  + (f"：{'、'.join(s['invented_unexplained'][:20])}" if s["invented_unexplained"] else "")),
        ("答了又被重问 answers not taken", f"{s['reasked']} 次，涉及 {s['conversations_reasked']} 个对话"),
        ("事实怎么读到的 how facts were read", "，".join(
            f"{how} {c['right']}/{c['wrong']}" for how, c in s["read_as"].items()) + "（对/错）"),
        ("未经确认的推断 guessed silently", f"{s['guessed']} 项，其中错 {s['guessed_wrong']} 项，"
                                          f"涉及 {s['conversations_guessed']} 个对话"),
        ("失败对话 failed conversations", str(s["failed"])),
    ]
    if wall_s is not None:
        rows.append(("总耗时 wall time", f"{wall_s:.0f} s"))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def selftest(url: str, n: int, seed: int, store: Store, out: Path | None = None, workers: int = WORKERS,
             progress: bool = True) -> tuple[dict, list[Interview]]:
    """Run ``n`` generated owners against the assistant at ``url``; failing ones are written under ``out``."""
    cases = generate(store, n, seed)
    start = time.perf_counter()
    runs = run_all(cases, url, store, workers, Progress(len(cases)) if progress else None)
    s = summary(runs)
    s["wall_s"] = time.perf_counter() - start
    if out is not None:
        for r in runs:
            if r.failures:
                write_failure(r, out)
    return s, runs
