"""`make simulate N=500`: the self-test of simulator/selftest.py against a private pair of servers (ports 5605/5655),
or against a running assistant given with --url. Prints the table and the wall time."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.servers import running_assistant
from policy_db import load
from simulator.selftest import selftest, table


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--url", help="a running assistant; without it a private pair is started")
    p.add_argument("--out", type=Path, default=Path("test-artifacts/simulate"))
    p.add_argument("--workers", type=int, default=4)
    args = p.parse_args()
    store = load()
    start = time.perf_counter()
    if args.url:
        summary, _ = selftest(args.url.rstrip("/"), args.n, args.seed, store, out=args.out, workers=args.workers)
    else:
        with running_assistant(5605, 5655) as assistant:
            summary, _ = selftest(assistant.url, args.n, args.seed, store, out=args.out, workers=args.workers)
    print(table(summary, summary["wall_s"]))
    print(f"总耗时（含启动服务）wall time with start-up: {time.perf_counter() - start:.0f} s")
    if summary["failed"]:
        print(f"失败对话已写入 {args.out}/（可重放的 YAML）")


if __name__ == "__main__":
    main()
