"""Load with Locust (bench/locustfile.py): simulated owners interviewing at once on make run's pair of servers and on
the cluster, and the same number of users on a bare turn in the same run, printed as a ratio; `--soak` keeps one
server under load for ten minutes and prints its memory as it goes. Everything on localhost, on ports of its own.

Run: python -m bench.load [--users 50] [--seconds 90] [--only single|cluster] [--rasas-store]   (make load)

With `--only single`, each server's CPU time per turn (from /proc) is printed too: the Rasa server's one process is
what saturates, so its CPU per turn is the figure that decides the ratio, and the least disturbed by other work on
the machine.
     python -m bench.load --soak [--minutes 10]                                  (make soak)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench.servers import RASAS_STORE, cpu_seconds, main_thread_seconds, resident_mb, running_assistant
from bot.ops.cluster import Cluster, Ports
from bot.ops.model import ensure

ROOT = Path(__file__).parents[1]
# Locust runs from its own virtualenv (requirements/bench.txt; make bench-deps, which make load and make soak run).
BENCH_VENV_PYTHON = ROOT / "build" / "bench-venv" / "bin" / "python"
LOCUST_PYTHON = str(BENCH_VENV_PYTHON) if BENCH_VENV_PYTHON.exists() else sys.executable
SINGLE = {"rasa_port": 5825, "action_port": 5875}
CLUSTER = Ports(front=5884, rasa=(5821, 5822), actions=(5871, 5872), actions_front=5854, postgres=5836, redis=5877)


def machine() -> str:
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    gib = int(memory.split()[1]) / 1024 / 1024
    return (f"{os.cpu_count()} CPUs, {gib:.0f} GiB RAM, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
            f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def locust(url: str, mode: str, users: int, seconds: int, work: Path) -> dict:
    """One headless Locust run; its aggregated figures, and the interviews' outcome in interview mode."""
    prefix, outcome = work / f"{mode}-{users}", work / f"{mode}-{users}.json"
    env = {**os.environ, "LOAD_MODE": mode, "LOAD_OUT": str(outcome), "PYTHONPATH": str(ROOT)}
    subprocess.run([LOCUST_PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                    "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--stop-timeout", "60",
                    "--host", url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                   cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    figures = {"turns": int(row["Request Count"]), "errors": int(row["Failure Count"]),
               "turns_per_s": float(row["Requests/s"]), "p50": float(row["50%"]), "p95": float(row["95%"]),
               "p99": float(row["99%"])}
    if outcome.exists():
        figures.update(json.loads(outcome.read_text(encoding="utf-8")))
    return figures


def _line(label: str, f: dict) -> str:
    return (f"| {label} | {f['turns']} | {f['turns_per_s']:.1f} | {f['p50']:.0f} | {f['p95']:.0f} | {f['p99']:.0f} | "
            f"{f['errors']} |")


def _with_cpu(run, groups: dict) -> dict:
    """A Locust run, with each server's CPU milliseconds per turn (from /proc) and the load average after it."""
    before = {name: (cpu_seconds(group), main_thread_seconds(group)) for name, group in groups.items()}
    figures = run()
    for name, group in groups.items():
        turns = max(figures["turns"], 1)
        figures[f"{name}_cpu_ms"] = (cpu_seconds(group) - before[name][0]) * 1000 / turns
        figures[f"{name}_main_ms"] = (main_thread_seconds(group) - before[name][1]) * 1000 / turns
    figures["load_average"] = os.getloadavg()[0]
    return figures


def _cpu_line(label: str, interview: dict, bare: dict, groups: dict) -> str:
    if not groups:
        return ""
    parts = [f"{name} {interview[f'{name}_cpu_ms']:.1f} / {bare[f'{name}_cpu_ms']:.1f} (main thread "
             f"{interview[f'{name}_main_ms']:.1f} / {bare[f'{name}_main_ms']:.1f})" for name in groups]
    rasa, main = (interview["rasa_cpu_ms"], bare["rasa_cpu_ms"]), (interview["rasa_main_ms"], bare["rasa_main_ms"])
    return (f"{label}: CPU ms per turn, interview / bare: {', '.join(parts)}; bare ÷ interview (Rasa) "
            f"{rasa[1] / max(rasa[0], 0.01):.2f}, main thread {main[1] / max(main[0], 0.01):.2f}; load average "
            f"after each run {interview['load_average']:.2f} / {bare['load_average']:.2f}\n")


def compare(label: str, url: str, users: int, seconds: int, work: Path, groups: dict | None = None) -> list:
    """Interviews, then bare turns, on the same servers; `groups` (name → process group) adds CPU per turn."""
    folder = work / label.replace(" ", "_")
    folder.mkdir(exist_ok=True)
    groups = groups or {}
    interview = _with_cpu(lambda: locust(url, "interview", users, seconds, folder), groups)
    bare = _with_cpu(lambda: locust(url, "bare", users, seconds, folder), groups)
    return [
        _line(f"{label}: interviews", interview),
        _line(f"{label}: bare turn (你好/谢谢)", bare),
        f"\n{label}: {interview.get('interviews', 0)} interviews finished, {interview.get('with_result', 0)} with a "
        f"result; results differing from their own owner's facts: {interview.get('results_differing_from_own_facts')}"
        f" ({interview.get('differing_facts')}); cross-talk: {interview.get('cross_talk')}. "
        f"Interview turn / bare turn: p50 ×"
        f"{interview['p50'] / max(bare['p50'], 1):.1f}, p95 ×{interview['p95'] / max(bare['p95'], 1):.1f}, "
        f"throughput ×{interview['turns_per_s'] / max(bare['turns_per_s'], 0.01):.2f}\n",
        _cpu_line(label, interview, bare, groups),
    ]


HEADER = ["| run | turns | turns/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---|---|---|---|---|---|"]


def load(users: int, seconds: int, only: str | None, rasas_store: bool = False) -> None:
    work = Path(tempfile.mkdtemp(prefix="huiqi-load-"))
    work.chmod(0o755)  # the cluster's PostgreSQL runs as the postgres user and enters it
    print(f"Load: {users} users, {seconds} s each run; {machine()}", flush=True)
    if only in (None, "single"):
        label = "make run, Rasa's SQL store" if rasas_store else "make run"
        with running_assistant(**SINGLE, tracker_store=RASAS_STORE if rasas_store else None) as assistant:
            groups = {name: process.pid for name, process in assistant.group.processes.items()}
            print("\n".join(["", *HEADER, *compare(label, assistant.url, users, seconds, work, groups)]),
                  f"\n{machine()}", flush=True)
    if only in (None, "cluster"):
        home = work / "cluster-home"
        home.mkdir()
        cluster = Cluster(ensure(), home, CLUSTER).start()
        try:
            print("\n".join(["", *HEADER, *compare("cluster", cluster.url, users, seconds, work)]), flush=True)
        finally:
            cluster.stop()
    print(f"Interviews whose result differs from the owner's facts: {work}/*/interview-{users}.json.examples.json")


def soak(minutes: int, users: int) -> None:
    """Interviews for `minutes` on one pair of servers, their resident memory printed each minute."""
    work = Path(tempfile.mkdtemp(prefix="huiqi-soak-"))
    print(f"Soak: {users} users for {minutes} min on make run's pair; {machine()}", flush=True)
    with running_assistant(**SINGLE) as assistant:
        rasa, actions = assistant.group.processes["rasa"].pid, assistant.group.processes["actions"].pid
        samples = []
        done = threading.Event()

        def sample():
            for minute in range(minutes + 1):
                samples.append((minute, resident_mb(rasa), resident_mb(actions)))
                print(f"  {minute:2d} min: Rasa {samples[-1][1]:.0f} MB, actions {samples[-1][2]:.0f} MB", flush=True)
                if done.wait(60):
                    return

        watcher = threading.Thread(target=sample)
        watcher.start()
        figures = locust(assistant.url, "interview", users, minutes * 60, work)
        done.set()
        watcher.join()
        samples.append(("end", resident_mb(rasa), resident_mb(actions)))
    first, last = samples[0], samples[-1]
    print(*HEADER, _line("soak: interviews", figures), sep="\n")
    print(f"Memory growth over the soak: Rasa {first[1]:.0f} → {last[1]:.0f} MB ({last[1] - first[1]:+.0f}), actions "
          f"{first[2]:.0f} → {last[2]:.0f} MB ({last[2] - first[2]:+.0f}); {figures.get('interviews', 0)} interviews, "
          f"cross-talk {figures.get('cross_talk')}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--only", choices=["single", "cluster"])
    parser.add_argument("--soak", action="store_true")
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--rasas-store", action="store_true",
                        help="make run's pair with Rasa's own SQL tracker store instead of endpoints.yml's")
    args = parser.parse_args()
    if args.soak:
        soak(args.minutes, min(args.users, 20))
    else:
        load(args.users, args.seconds, args.only, args.rasas_store)


if __name__ == "__main__":
    main()
