"""A private pair of servers (the Rasa server and the action server) with stores of their own, for the tests and
the benchmarks; and the pair another fixture of the same run already started, reused rather than started twice."""

from __future__ import annotations

import os
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.ops.model import ensure
from bot.ops.serve import Assistant, write_endpoints


@contextmanager
def assistant_in(work: Path, rasa_port: int, action_port: int):
    """Both servers on these ports, their endpoints, conversation store and logs in `work`; stopped on leaving."""
    endpoints = write_endpoints(work / "endpoints.yml", action_port, work / "conversations.db")
    assistant = Assistant(model=ensure(), rasa_port=rasa_port, action_port=action_port, endpoints=endpoints,
                          log_dir=work)
    assistant.start()
    try:
        yield assistant
    finally:
        assistant.stop()


def started_servers(tmp_path_factory):
    """A private pair on E2E_RASA_PORT / E2E_ACTION_PORT with their own stores, stopped afterwards (a generator for
    a session fixture)."""
    work = tmp_path_factory.mktemp("assistant")
    rasa_port = int(os.environ.get("E2E_RASA_PORT", "5105"))
    action_port = int(os.environ.get("E2E_ACTION_PORT", "5155"))
    # the console's call records and the trainer's scores of this run only
    os.environ["HUIQI_RECORDS_DB"] = str(work / "records.db")
    os.environ["HUIQI_TRAINER_DB"] = str(work / "trainer.db")
    with assistant_in(work, rasa_port, action_port) as server:
        yield server


@dataclass
class Running:
    """Servers somebody else started (the e2e fixture of this run): used, never stopped."""

    url: str


def serves_chat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/chat/", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def shared_servers(tmp_path_factory):
    """Servers already answering on E2E_RASA_PORT (started by the first of the e2e, security and browser fixtures of
    this run), else a pair of its own. Each test folder has its own `assistant` fixture (importing one fixture into
    another folder's conftest would register it twice); whichever runs first starts the pair, the others reuse it."""
    running = Running(f"http://127.0.0.1:{int(os.environ.get('E2E_RASA_PORT', '5105'))}")
    if serves_chat(running.url):
        yield running
    else:
        yield from started_servers(tmp_path_factory)
