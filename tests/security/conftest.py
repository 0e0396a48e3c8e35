"""The security tests run against the e2e tests' servers (tests/e2e/conftest.py: E2E_RASA_PORT / E2E_ACTION_PORT).

As in tests/browser/conftest.py: importing the e2e `assistant` fixture would register a second session fixture that
starts a second pair of servers on the same ports in a run of the whole suite. These tests are collected after the
e2e tests, so they reuse the servers that run already started; run alone, they start them themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import conftest as e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    yield from e2e.shared_servers(tmp_path_factory)
