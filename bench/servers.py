"""Starts a private pair of servers for a benchmark and measures what they hold in memory."""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from bot.ops.model import ensure
from bot.ops.serve import Assistant, write_endpoints


@contextmanager
def running_assistant(rasa_port: int = 5405, action_port: int = 5455, model: Path | None = None,
                      rasa_env: dict | None = None):
    """The pair on ports of its own; `model` (default: the current one, trained first if missing) and extra
    environment for the Rasa server let a benchmark compare two settings."""
    work = Path(tempfile.mkdtemp(prefix="huiqi-bench-"))
    endpoints = write_endpoints(work / "endpoints.yml", action_port, work / "conversations.db")
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
