"""Starts the real action and Rasa servers once per test session, on ports and a conversation store of their own."""

from __future__ import annotations

import os
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.interview import post
from bot.model import ensure
from bot.serve import Assistant, write_endpoints


class Conversation:
    """One REST conversation (contract §1): send text, get the bot's messages back."""

    def __init__(self, url: str, sender: str | None = None):
        self.url = url
        self.sender = sender or f"test-{uuid.uuid4().hex[:10]}"
        self.transcript: list[tuple[str, list[dict]]] = []

    def say(self, text: str, message_id: str | None = None) -> list[dict]:
        replies = post(self.url, self.sender, text, timeout=60, message_id=message_id)
        self.transcript.append((text, replies))
        return replies

    @staticmethod
    def texts(replies: list[dict]) -> str:
        return "\n".join(m["text"] for m in replies if "text" in m)

    @staticmethod
    def payloads(replies: list[dict], kind: str | None = None) -> list[dict]:
        return [m["custom"] for m in replies if "custom" in m and (kind is None or m["custom"].get("type") == kind)]

    def last_result(self) -> dict | None:
        for _, replies in reversed(self.transcript):
            found = self.payloads(replies, "result")
            if found:
                return found[-1]
        return None

    def dump(self) -> str:
        return "\n".join(f">>> {text}\n{self.texts(replies)}" for text, replies in self.transcript)


def started_servers(tmp_path_factory):
    """A private pair of servers on E2E_RASA_PORT / E2E_ACTION_PORT with their own stores, stopped afterwards."""
    work = tmp_path_factory.mktemp("assistant")
    rasa_port = int(os.environ.get("E2E_RASA_PORT", "5105"))
    action_port = int(os.environ.get("E2E_ACTION_PORT", "5155"))
    # the console's call records and the trainer's scores of this run only
    os.environ["HUIQI_RECORDS_DB"] = str(work / "records.db")
    os.environ["HUIQI_TRAINER_DB"] = str(work / "trainer.db")
    endpoints = write_endpoints(work / "endpoints.yml", action_port, work / "conversations.db")
    server = Assistant(model=ensure(), rasa_port=rasa_port, action_port=action_port, endpoints=endpoints,
                       log_dir=work)
    server.start()
    yield server
    server.stop()


@dataclass
class Running:
    """Servers somebody else started (the e2e fixture of this run): used, never stopped."""

    url: str


def _serves_chat(url: str) -> bool:
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
    if _serves_chat(running.url):
        yield running
    else:
        yield from started_servers(tmp_path_factory)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    yield from shared_servers(tmp_path_factory)


@pytest.fixture
def conversation(assistant) -> Conversation:
    return Conversation(assistant.url)


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent.name == "e2e":
            item.add_marker(pytest.mark.e2e)
