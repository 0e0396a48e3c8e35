"""Every action reads the test session's store (built once, tests/conftest.py), put in through
actions.store_access.use."""

import pytest

from actions import store_access


@pytest.fixture(autouse=True)
def session_store_for_actions(policy_store):
    store_access.use(policy_store)
    yield
    store_access.use(None)
