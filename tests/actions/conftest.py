"""Every action reads the test session's freshly built store."""

import pytest

from actions import store_access


@pytest.fixture(autouse=True)
def fresh_store(policy_store, monkeypatch):
    monkeypatch.setattr(store_access, "policy_store", lambda: policy_store)
    for module in ("forms", "asking", "results", "questions", "explanations", "corrections", "profile", "handoff",
                   "handoff_card", "conversation"):
        mod = __import__(f"actions.{module}", fromlist=["policy_store"])
        if hasattr(mod, "policy_store"):
            monkeypatch.setattr(mod, "policy_store", lambda: policy_store)
