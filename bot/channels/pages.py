"""The chat widget's channel: serves the page at ``/chat/`` from the running Rasa server (contract §E1, §E5).

The page talks to Rasa's standard REST channel (``/webhooks/rest/webhook``, same origin); this channel only serves
the static files of ``bot/web/chat/`` and three read-only helpers:

- ``GET /chat/clauses`` — every clause of the notice, ``{label: {"heading", "text"}}``, for "open the clause" links;
- ``GET /chat/policy`` — the policy's title, hotline and end date, and the facts' Chinese labels
  (``{"title", "short_title", "issuer", "hotline", "valid_until", "facts": {name: {"label", "type", "unit"}}}``), for the
  clause viewer, summaries and hand-off cards;
- ``GET /chat/history?sender=<id>`` — the conversation's messages since its last restart, for re-rendering after a
  reload.

Registered in credentials.yml as ``bot.channels.pages.ChatPages:``. Rasa mounts a channel's blueprint at
``urljoin("/webhooks/", url_prefix())``; an absolute prefix puts it at ``/chat``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, Restarted, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parents[1] / "web" / "chat"
SENDER = re.compile(r"[A-Za-z0-9_-]{1,64}")
ASSET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*\.[a-z0-9]+$")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}
# No inline script or style anywhere; the page may be framed by any site (embed.js), so no frame-ancestors.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _assets() -> Dict[str, Path]:
    """The files that may be served, by name: exactly those in bot/web/chat/ (no sub-folders, no traversal)."""
    if not WEB_DIR.is_dir():
        return {}
    return {p.name: p for p in WEB_DIR.iterdir()
            if p.is_file() and ASSET.match(p.name) and p.suffix in CONTENT_TYPES}


def _secure(resp: HTTPResponse) -> HTTPResponse:
    resp.headers.update(SECURITY_HEADERS)
    return resp


def _json(body: Any, status: int = 200) -> HTTPResponse:
    return _secure(response.json(body, status=status, ensure_ascii=False,
                                 headers={"Cache-Control": "no-store"}))


def _file(name: str) -> HTTPResponse:
    path = _assets().get(name)
    if path is None:
        return _secure(response.text("未找到", status=404))
    return _secure(response.raw(path.read_bytes(), content_type=CONTENT_TYPES[path.suffix],
                                headers={"Cache-Control": "no-cache"}))


def clauses() -> Dict[str, Dict[str, str]]:
    from policy_db import store

    policy = store.load().default_policy
    return {c.label: {"heading": c.heading, "text": c.text} for c in policy.clauses.values()}


def policy_info() -> Dict[str, Any]:
    from policy_db import store

    s = store.load()
    policy = s.default_policy
    return {"id": policy.id, "title": policy.title, "short_title": policy.short_title, "issuer": policy.issuer,
            "hotline": policy.hotline, "valid_until": policy.in_force_until.isoformat(),
            "facts": {name: {"label": spec.label, "type": spec.type, "unit": spec.unit} for name, spec in s.facts.items()}}


def history(events) -> List[Dict[str, Any]]:
    """The messages of a tracker's events since the last restart, in the REST channel's split: text, then custom."""
    out: List[Dict[str, Any]] = []
    for event in events:
        if isinstance(event, Restarted):
            out = []
        elif isinstance(event, UserUttered):
            text = event.text or ""
            if text and not text.startswith("/"):
                out.append({"from": "user", "text": text, "time": event.timestamp})
        elif isinstance(event, BotUttered):
            if event.text:
                out.append({"from": "bot", "text": event.text, "time": event.timestamp})
            custom = (event.data or {}).get("custom")
            if custom:
                out.append({"from": "bot", "custom": custom, "time": event.timestamp})
    return out


class ChatPages(InputChannel):
    """Serves the chat widget; messages themselves go through the REST channel."""

    @classmethod
    def name(cls) -> Text:
        return "chat"

    def url_prefix(self) -> Text:
        return "/chat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        pages = Blueprint("chat_pages", __name__)

        @pages.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):
                return _secure(response.redirect("/chat/"))
            return _file("index.html")

        @pages.route("/clauses", methods=["GET"])
        async def get_clauses(request: Request) -> HTTPResponse:
            return _json(clauses())

        @pages.route("/policy", methods=["GET"])
        async def get_policy(request: Request) -> HTTPResponse:
            return _json(policy_info())

        @pages.route("/history", methods=["GET"])
        async def get_history(request: Request) -> HTTPResponse:
            sender = request.args.get("sender", "")
            if not SENDER.fullmatch(sender):
                return _json({"error": "sender 无效"}, status=400)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or agent.tracker_store is None:
                return _json([])
            tracker = await agent.tracker_store.retrieve(sender)
            return _json(history(tracker.events) if tracker else [])

        @pages.route("/<asset:str>", methods=["GET"])
        async def static(request: Request, asset: str) -> HTTPResponse:
            # Sanic's router sends "/chat/" here with an empty name (the page links its files absolutely).
            return _file(asset or "index.html")

        return pages
