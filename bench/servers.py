"""Starts a private pair of servers for a benchmark and measures what they hold in memory."""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from bot.model import ensure
from bot.serve import Assistant, write_endpoints


@contextmanager
def running_assistant(rasa_port: int = 5405, action_port: int = 5455):
    work = Path(tempfile.mkdtemp(prefix="huiqi-bench-"))
    endpoints = write_endpoints(work / "endpoints.yml", action_port, work / "conversations.db")
    assistant = Assistant(model=ensure(), rasa_port=rasa_port, action_port=action_port, endpoints=endpoints,
                          log_dir=work)
    assistant.start()
    try:
        yield assistant
    finally:
        assistant.stop()


def resident_mb(pid: int) -> float:
    """Resident memory of a server's whole process group (the server and any workers), in MB."""
    out = subprocess.run(["ps", "-eo", "pgid=,rss="], capture_output=True, text=True, check=True).stdout
    return sum(int(rss) for pgid, rss in (line.split() for line in out.splitlines()) if int(pgid) == pid) / 1024
