"""A web app of the project in a process of its own, for tests over real HTTP: a free port, the app started with
the environment the test gives it, its address once it answers, and the process stopped afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppDidNotStart(RuntimeError):
    """The app's process ended before it answered; the message holds the end of what it printed."""


@contextmanager
def serving(arguments: Callable[[int], list[str]], env: dict, ready: str = "/__routes",
            timeout: float = 60) -> Iterator[str]:
    """``python <arguments(port)>`` from the repository's root, with ``env`` over this process's environment;
    yields ``http://127.0.0.1:<port>`` once ``ready`` answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, *arguments(port)], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + ready, timeout=2)
                break
            except urllib.error.HTTPError:  # it answers, if only to refuse
                break
            except OSError:
                if process.poll() is not None:
                    raise AppDidNotStart(process.stderr.read().decode()[-2000:])
                if time.monotonic() > deadline:
                    raise AppDidNotStart(f"{url}{ready} did not answer in {timeout} s")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def staff_app(port: int) -> list[str]:
    """The pages and access middleware as the Rasa server mounts them, without a model (tests/bot/staff_app.py)."""
    return ["-m", "tests.bot.staff_app", str(port)]
