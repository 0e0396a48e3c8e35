"""Starts the real action and Rasa servers once per test session, on ports and a conversation store of their own
(testing/servers.py, shared with the security and browser tests); each test talks to them as a REST client
(testing/rest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.rest import Conversation
from testing.servers import shared_servers

__all__ = ["Conversation", "shared_servers"]


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
