"""The security tests run against the e2e tests' servers (tests/e2e/conftest.py: E2E_RASA_PORT / E2E_ACTION_PORT).

As in tests/browser/conftest.py: importing the e2e `assistant` fixture would register a second session fixture that
starts a second pair of servers on the same ports in a run of the whole suite. These tests are collected after the
e2e tests, so they reuse the servers that run already started; run alone, they start them themselves.
"""

from __future__ import annotations

import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e import conftest as e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


def _serves_chat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/chat/", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class _Running:
    """Servers somebody else started (the e2e fixture of this run): used, never stopped."""

    url: str


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    rasa_port = int(os.environ.get("E2E_RASA_PORT", "5105"))
    action_port = int(os.environ.get("E2E_ACTION_PORT", "5155"))
    running = _Running(f"http://127.0.0.1:{rasa_port}")
    if _serves_chat(running.url):
        yield running
        return
    work = tmp_path_factory.mktemp("assistant")
    endpoints = e2e.write_endpoints(work / "endpoints.yml", action_port, work / "conversations.db")
    server = e2e.Assistant(model=e2e.ensure(), rasa_port=rasa_port, action_port=action_port, endpoints=endpoints,
                           log_dir=work)
    server.start()
    yield server
    server.stop()
