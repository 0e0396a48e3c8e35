"""The policy store the actions read: policy_db's default (build/policy.db, or POLICY_DB), opened on first use (not
at import time) and cached by policy_db; or the store handed to `use` (a test session's, built once). Every action
asks `policy_store()` when it runs, so this is the one place a different store is put in."""

from __future__ import annotations

from policy_db import store

_given: store.Store | None = None


def policy_store() -> store.Store:
    return _given if _given is not None else store.load()


def use(chosen: store.Store | None) -> None:
    """Every action reads `chosen` from now on; None: the default store again."""
    global _given
    _given = chosen
