"""Times evaluate() and next_questions() over 10,000 random profiles, complete and partial: next_questions as a
turn calls it, right after evaluate on the same facts (which shares that judging), and alone on facts not judged yet.

Target: a mean of 100 µs each on the project's 2-core machine. Prints µs per call (wall clock, and the process's CPU
time, which another process on the machine disturbs less), the ratio to the stored baseline of the previous commit
(bench/engine-baseline.json), the machine and its load average, since the figures mean little without them.

Run: .venv/bin/python -m bench.engine [--n 10000]
     .venv/bin/python -m bench.engine --save-baseline   (on the previous commit's checkout: stores its figures)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import time
from pathlib import Path

from bench.profiles import random_profile
from policy_db import evaluate, next_questions, store

TARGET_US = 100.0
BASELINE = Path(__file__).with_name("engine-baseline.json")


def machine() -> dict:
    """nproc, the CPU model, the load average now."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown") \
        if Path("/proc/cpuinfo").exists() else platform.processor() or "unknown"
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model,
            "load": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version()}


def commit() -> str:
    """The commit of the checkout the measured policy_db comes from, marked when it has changes."""
    here = Path(store.__file__).parent
    try:
        head = subprocess.run(["git", "-C", str(here), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--", "."], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+changes" if dirty else head


def measure(n: int) -> dict[str, dict[str, float]]:
    s = store.load()
    rng = random.Random(2020)
    profiles = [random_profile(s, rng, keep=rng.choice([0.0, 0.2, 0.5, 0.8, 1.0])) for _ in range(n)]
    wall: dict[str, list[float]] = {"evaluate": [], "next_questions": [], "next_questions_alone": []}
    cpu = dict.fromkeys(wall, 0.0)
    for facts in profiles:  # facts no call has judged just before: no recent judging to share (policy_db.engine)
        c0, t0 = time.process_time(), time.perf_counter()
        next_questions(facts, store=s)
        c1, t1 = time.process_time(), time.perf_counter()
        wall["next_questions_alone"].append((t1 - t0) * 1e6)
        cpu["next_questions_alone"] += (c1 - c0) * 1e6
    for facts in profiles:  # as a turn does: the result, then the next question on the same facts
        c0, t0 = time.process_time(), time.perf_counter()
        evaluate(facts, store=s)
        c1, t1 = time.process_time(), time.perf_counter()
        next_questions(facts, store=s)
        c2, t2 = time.process_time(), time.perf_counter()
        wall["evaluate"].append((t1 - t0) * 1e6)
        wall["next_questions"].append((t2 - t1) * 1e6)
        cpu["evaluate"] += (c1 - c0) * 1e6
        cpu["next_questions"] += (c2 - c1) * 1e6
    out = {}
    for name, values in wall.items():
        values.sort()
        out[name] = {"mean": round(statistics.fmean(values), 1), "p95": round(values[int(len(values) * 0.95)], 1),
                     "cpu_mean": round(cpu[name] / n, 1)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--save-baseline", action="store_true",
                        help=f"store these figures as the baseline ({BASELINE.name}) instead of comparing")
    parser.add_argument("--label", help="what is measured, for the baseline (default: the commit)")
    args = parser.parse_args()
    before = machine()
    figures = measure(args.n)
    after = machine()
    print(f"{args.n} profiles (complete and partial); code {commit()}")
    print(f"machine: {before['nproc']} CPUs, {before['cpu']}, Python {before['python']}; load average "
          f"{' '.join(map(str, before['load']))} before, {' '.join(map(str, after['load']))} after")
    if args.save_baseline:
        record = {"code": args.label or commit(), "date": dt.datetime.now().isoformat(timespec="minutes"),
                  "n": args.n, "machine": {**before, "load_after": after["load"]}, **figures}
        BASELINE.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else None
    for name, f in figures.items():
        verdict = "within" if f["mean"] <= TARGET_US else "OVER"
        line = (f"{name:>15}: mean {f['mean']:7.1f} µs, p95 {f['p95']:7.1f} µs, CPU {f['cpu_mean']:7.1f} µs "
                f"(target {TARGET_US:.0f} µs: {verdict})")
        if baseline and not args.save_baseline and name in baseline:
            b = baseline[name]
            line += (f"; {f['mean'] / b['mean']:.2f}× the baseline's mean {b['mean']:.1f} µs, "
                     f"CPU {f['cpu_mean'] / b['cpu_mean']:.2f}×")
        print(line)
    if baseline and not args.save_baseline:
        m = baseline["machine"]
        print(f"baseline: {baseline['code']}, {baseline['date']}, load average {' '.join(map(str, m['load']))}")


if __name__ == "__main__":
    main()
