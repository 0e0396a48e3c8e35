"""The policy store the actions read, opened on first use (not at import time) and cached by policy_db.
Its path is policy_db's default (build/policy.db, or POLICY_DB)."""

from __future__ import annotations

from policy_db import store


def policy_store() -> store.Store:
    return store.load()
