"""Starts a private pair of servers for a benchmark and measures what they hold in memory."""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import yaml

from bot.ops.model import ensure
from bot.ops.serve import Assistant

ROOT = Path(__file__).parents[1]
RASAS_STORE = "SQL"  # Rasa's own SQL tracker store, to compare with the one endpoints.yml names


def endpoints_of_make_run(path: Path, action_port: int, tracker_db: Path, tracker_store: str | None = None) -> Path:
    """The repository's endpoints.yml (what `make run` serves with) with this pair's action server and conversation
    file; `tracker_store` replaces the store's type (e.g. RASAS_STORE)."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    config["tracker_store"]["db"] = str(tracker_db)
    if tracker_store:
        config["tracker_store"]["type"] = tracker_store
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@contextmanager
def running_assistant(rasa_port: int = 5405, action_port: int = 5455, model: Path | None = None,
                      rasa_env: dict | None = None, tracker_store: str | None = None, calls_via: int | None = None):
    """The pair on ports of its own, configured as `make run`'s; `model` (default: the current one, trained first
    if missing), extra environment for the Rasa server and another tracker store let a benchmark compare two
    settings; `calls_via` is a port the Rasa server calls the action server through (a recording proxy)."""
    work = Path(tempfile.mkdtemp(prefix="huiqi-bench-"))
    endpoints = endpoints_of_make_run(work / "endpoints.yml", calls_via or action_port, work / "conversations.db",
                                      tracker_store)
    assistant = Assistant(model=model or ensure(), rasa_port=rasa_port, action_port=action_port,
                          endpoints=endpoints, log_dir=work, rasa_env=rasa_env or {})
    assistant.start()
    try:
        yield assistant
    finally:
        assistant.stop()


def resident_mb(pid: int) -> float:
    """Resident memory of a server's whole process group (the server and any workers), in MB."""
    out = subprocess.run(["ps", "-eo", "pgid=,rss="], capture_output=True, text=True, check=True).stdout
    return sum(int(rss) for pgid, rss in (line.split() for line in out.splitlines()) if int(pgid) == pid) / 1024


def memory_parts(pid: int | str, top: int = 6) -> dict:
    """One process's resident memory from /proc, in MB: anonymous (Python objects, TensorFlow's tensors and
    graphs, malloc's arenas) and file-backed (the shared libraries' pages that were touched), and the biggest
    mappings by file (`[anon]` and `[heap]` for memory of no file). `pid` may be "self"."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    kb = {key: int(status[key].split()[0]) for key in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}
    by_file: dict[str, int] = {}
    name = "[anon]"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if not fields[0].endswith(":"):  # a mapping's header: address perms offset dev inode [path]
            name = Path(fields[5]).name if len(fields) > 5 and fields[5].startswith("/") else \
                fields[5] if len(fields) > 5 else "[anon]"
        elif fields[0] == "Rss:":
            by_file[name] = by_file.get(name, 0) + int(fields[1])
    biggest = sorted(by_file.items(), key=lambda item: -item[1])[:top]
    return {"rss": round(kb["VmRSS"] / 1024), "anon": round(kb["RssAnon"] / 1024),
            "file": round(kb["RssFile"] / 1024), "peak": round(kb["VmHWM"] / 1024),
            "mappings": {key: round(value / 1024) for key, value in biggest}}


def cpu_seconds(group: int) -> float:
    """CPU time used so far by every thread of every process of a server's process group, from /proc (schedstat's
    run time, in nanoseconds: per-turn figures need more than the 10 ms ticks of /proc/<pid>/stat)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) != group:
                continue
            total += sum(int(task.read_text().split()[0]) for task in (stat.parent / "task").glob("*/schedstat"))
        except (OSError, IndexError, ValueError):
            continue  # the process or thread ended meanwhile
    return total / 1e9


def main_thread_seconds(pid: int) -> float:
    """CPU time of a server's main thread (the event loop: NLU's Python parts, the policies, the tracker store, the
    action calls), from /proc. TensorFlow's pool threads spin while they wait for work, more so when the machine is
    busy, so the whole process's time moves with the machine's load; the main thread's much less."""
    try:
        return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0
