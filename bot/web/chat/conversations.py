"""An owner's conversation belongs to the browser that started it (issue 23, docs/contract.md E14).

``POST /chat/conversation`` starts one: the server picks its id (``owner-`` and 24 hex digits) and binds it with a
secret, an HMAC-SHA256 of the id under the server's conversation key (``HUIQI_CONVERSATION_KEY``, else
``build/conversation-key``, made on first use like the operator token; one key for every server of a cluster). A
browser gets the secret only in the HttpOnly cookie ``huiqi_conversation`` (``<id>.<secret>``); a REST client that
asks for it (``{"with_secret": true}``) gets it in the answer and sends it in the header ``X-Conversation-Secret``.

For a conversation so started, the REST channel's messages (§1), ``/chat/history`` and its polling need the secret:
another browser that knows the id gets a 403, neither its history nor a reply in it. The id never travels in an
address: ``/chat/history`` reads it from the cookie, or from the header ``X-Huiqi-Sender`` beside the secret.
A conversation whose id the client chose itself, as the base contract lets it, works as before over the REST
channel: nothing about it changes (its history is not served, since nothing proves whose it is).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any, Optional

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.staff.access import kept_token
from policy_db import store as policy_db_store

from ..cookies import set_cookie
from ..replies import json_object, json_reply

ROOT = Path(__file__).parents[3]
KEY_FILE = ROOT / "build" / "conversation-key"
KEY_ENV = "HUIQI_CONVERSATION_KEY"
COOKIE = "huiqi_conversation"
SECRET_HEADER = "x-conversation-secret"
SENDER_HEADER = "x-huiqi-sender"
BOUND = re.compile(r"owner-[0-9a-f]{24}")
COOKIE_DAYS = 30


def conversation_key() -> str:
    """The key that signs conversation ids: the environment variable, else the file (made on first use, as the
    operator token is)."""
    return kept_token(KEY_FILE, os.environ.get(KEY_ENV) or "")


def secret_of(sender: str, key: Optional[str] = None) -> str:
    mac = hmac.new((key or conversation_key()).encode("utf-8"), f"huiqi-conversation:{sender}".encode("utf-8"),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def bound(sender: Any) -> bool:
    """Whether the id is one the server hands out (so it takes the secret)."""
    return isinstance(sender, str) and BOUND.fullmatch(sender) is not None


def holds(sender: str, secret: Any, key: Optional[str] = None) -> bool:
    return isinstance(secret, str) and hmac.compare_digest(secret.encode("utf-8"),
                                                           secret_of(sender, key).encode("utf-8"))


def from_cookie(request: Request) -> Optional[str]:
    """The conversation whose cookie this browser holds, when the cookie is genuine."""
    value = request.cookies.get(COOKIE)
    if not isinstance(value, str) or "." not in value:
        return None
    sender, _, secret = value.partition(".")
    return sender if bound(sender) and holds(sender, secret) else None


def may_use(request: Request, sender: Any) -> bool:
    """A request may read or write ``sender``'s conversation: any id the client chose itself (the base contract);
    a bound one only with its cookie or its secret."""
    if not bound(sender):
        return True
    return from_cookie(request) == sender or holds(sender, request.headers.get(SECRET_HEADER))


def asked_for(request: Request) -> Optional[str]:
    """The bound conversation a history request is about, and may read: the cookie's, or the one named in
    ``X-Huiqi-Sender`` with its secret; None otherwise."""
    named = request.headers.get(SENDER_HEADER)
    if named is None:
        return from_cookie(request)
    return named if bound(named) and may_use(request, named) else None


def rest_refused(request: Request) -> Optional[HTTPResponse]:
    """The refusal of a REST message (a well-formed body, checked before) into a bound conversation this client
    does not hold; None when it may go."""
    sender = json.loads(request.body.decode("utf-8")).get("sender")
    return None if may_use(request, sender) else refusal()


def _errors() -> dict:
    return policy_db_store.load().words.pages["staff"]["errors"]


def refusal() -> HTTPResponse:
    return json_reply({"error": _errors()["conversation"]}, status=403)


def _with_cookie(resp: HTTPResponse, request: Request, sender: str) -> HTTPResponse:
    """The conversation's cookie: HttpOnly, for the whole site (the REST channel and /chat/history); over https
    SameSite=None; Secure, so the page framed by embed.js on another site keeps it, else SameSite=Lax."""
    return set_cookie(resp, request, COOKIE, f"{sender}.{secret_of(sender)}", max_age=COOKIE_DAYS * 86400,
                      framed=True)


async def conversation(request: Request) -> HTTPResponse:
    """``GET /chat/conversation``: this browser's conversation (``{"sender": null}`` when it has none yet: a first
    visit is no error, and a 404 would be logged in the page's console); ``POST``: a new one, its secret in the
    answer too when the body asks ``{"with_secret": true}``."""
    if request.method == "GET":
        return json_reply({"sender": from_cookie(request)})
    body = json_object(request, 1024) if request.body else {}
    if not isinstance(body, dict):
        return body
    sender = "owner-" + secrets.token_hex(12)
    answer = {"sender": sender, **({"secret": secret_of(sender)} if body.get("with_secret") is True else {})}
    return _with_cookie(json_reply(answer, status=201), request, sender)
