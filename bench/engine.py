"""Times evaluate() and next_questions() over 10,000 random profiles, complete and partial.

Target: under 1 ms each on the project's 2-core machine. Prints µs per call and the comparison with that target.
Run: .venv/bin/python -m bench.engine [--n 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bench.profiles import random_profile
from policy_db import evaluate, next_questions, store

TARGET_US = 1000.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    s = store.load()
    rng = random.Random(2020)
    profiles = [random_profile(s, rng, keep=rng.choice([0.0, 0.2, 0.5, 0.8, 1.0])) for _ in range(args.n)]
    timings = {"evaluate": [], "next_questions": []}
    for facts in profiles:
        t0 = time.perf_counter()
        evaluate(facts, store=s)
        t1 = time.perf_counter()
        next_questions(facts, store=s)
        t2 = time.perf_counter()
        timings["evaluate"].append((t1 - t0) * 1e6)
        timings["next_questions"].append((t2 - t1) * 1e6)
    print(f"{args.n} profiles (complete and partial)")
    for name, values in timings.items():
        values.sort()
        mean, p95 = statistics.fmean(values), values[int(len(values) * 0.95)]
        verdict = "within" if mean < TARGET_US else "OVER"
        print(f"{name:>15}: mean {mean:7.1f} µs, p95 {p95:7.1f} µs  (target {TARGET_US:.0f} µs: {verdict}, "
              f"{mean / TARGET_US:.2f}× of baseline)")


if __name__ == "__main__":
    main()
