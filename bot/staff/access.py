"""The operator token of the hotline console (docs/contract.md E7): where it comes from and how a request's header is
checked against it.

It is ``HUIQI_OPERATOR_TOKEN`` when that is set, else the contents of ``build/operator-token``, generated
(``secrets.token_urlsafe``, mode 0600) on first use; the launchers make it before the servers start so every server
holds the same one. The channel token of the pages (bot.web.access) is kept by the same rules under its own name.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).parents[2]
TOKEN_FILE = ROOT / "build" / "operator-token"
TOKEN_ENV = "HUIQI_OPERATOR_TOKEN"


def kept_token(path: Path, given: str = "") -> str:
    """``given`` when it is not blank, else the token in the file, created with a fresh token when absent."""
    if given.strip():
        return given.strip()
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first (or an empty file): use what it holds
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token + "\n")
    return token


def operator_token(path: Path = TOKEN_FILE, environ: Optional[dict] = None) -> str:
    """The operator token: the environment variable when set, else the file, created with a fresh token when absent."""
    environ = os.environ if environ is None else environ
    return kept_token(path, environ.get(TOKEN_ENV) or "")


def token_source(environ: Optional[dict] = None) -> str:
    """Where the token comes from, for the launcher's start-up lines (never the token itself)."""
    environ = os.environ if environ is None else environ
    if (environ.get(TOKEN_ENV) or "").strip():
        return f"环境变量 {TOKEN_ENV}"
    return str(TOKEN_FILE)


def authorized(header: Any, token: str) -> bool:
    """True when the Authorization header is exactly ``Bearer <token>`` (constant-time comparison)."""
    if not token or not isinstance(header, str):
        return False
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))
