"""The policy store the actions read, opened on first use (not at import time) and cached by policy_db."""

from __future__ import annotations

import os
from pathlib import Path

from policy_db import store


def policy_store() -> store.Store:
    path = os.environ.get("POLICY_DB")
    return store.load(Path(path) if path else None)
