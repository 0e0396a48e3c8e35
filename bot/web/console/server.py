"""The hotline console at ``/console/`` (docs/contract.md E7): the operator token and the call-assist endpoints.

The page and its static files are public (they hold no data and no secret); every endpoint under ``/console/api/``
refuses a request without the operator token (401, :mod:`bot.staff.access`). The token travels in the
``Authorization: Bearer …`` header, never in an address, and is compared with :func:`hmac.compare_digest`.

A caller's line goes through the same REST channel handler, NLU and dialogue as the chat, in the call's own
conversation (sender ids ``call-…``, so a console call never writes into an owner's chat conversation): the console
endpoint checks the token and hands the message to the handler Rasa gives every input channel, collecting the
replies exactly as Rasa's REST channel does.

Mounted with the other pages by :mod:`bot.web.pages`.
"""

from __future__ import annotations

import hmac
import logging
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.slots import FACT_NOTES, UNKNOWN_FACTS, facts_in
from bot.staff import fact_edit, records as call_records, takeover
from bot.staff.access import authorized, operator_token
from policy_db import store as policy_db_store

from ..files import served
from ..history import SENDER, stored_history
from ..replies import NOT_FRAMEABLE, json_object, json_reply, secure
from . import panel as call_panel

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent
CALL_SENDER = re.compile(r"call-[A-Za-z0-9_-]{1,59}")
RECORD_ID = re.compile(r"[0-9a-f]{12}")
MAX_MESSAGE_BYTES = 16_384
MAX_MESSAGE_CHARS = 2000


def _secure(resp: HTTPResponse) -> HTTPResponse:
    """The console is never framed by another site (unlike the chat page)."""
    return secure(resp, NOT_FRAMEABLE)


def _json(body: Any, status: int = 200) -> HTTPResponse:
    return json_reply(body, status, NOT_FRAMEABLE)


def _bad_sender() -> HTTPResponse:
    return _json({"error": "sender 无效"}, status=400)


def _denied() -> HTTPResponse:
    resp = _json({"error": "需要操作员令牌"}, status=401)
    resp.headers["WWW-Authenticate"] = 'Bearer realm="console"'
    return resp


def policy_store():
    return policy_db_store.load()


def store_words() -> dict:
    return policy_store().words.pages


def _pending(events) -> Optional[dict]:
    """The `ask` payload of the last question asked, while no message has come after it."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return None
        custom = (event.data or {}).get("custom") if isinstance(event, BotUttered) else None
        if isinstance(custom, dict) and custom.get("type") == "ask":
            return custom
    return None


async def conversation_state(agent, sender: str) -> dict:
    """The console's picture of a conversation and where it stands with people."""
    store = policy_store()
    tracker = await agent.tracker_store.retrieve(sender)
    events = list(tracker.events) if tracker else []
    slots = tracker.current_slot_values() if tracker else {}
    facts = facts_in(slots, store)
    standing = takeover.standing(events)
    ask = _pending(events)
    return {"sender": sender, "standing": asdict(standing) if standing else None, "ask": ask,
            **call_panel.picture(store, facts, None if ask is None or ask.get("multi") else ask.get("fact"),
                                 slots.get(FACT_NOTES) or {})}


async def _record(agent, sender: str, kind: str, operator: str) -> call_records.Record:
    """Files the record of a conversation that has just ended (a call hung up, a takeover given back)."""
    store = policy_store()
    tracker = await agent.tracker_store.retrieve(sender)
    slots = tracker.current_slot_values() if tracker else {}
    facts = facts_in(slots, store)
    record = call_records.fill(store, sender, kind, operator, tracker.events if tracker else [], facts,
                               slots.get(UNKNOWN_FACTS) or [])
    return call_records.save(record)


def record_key(token: str, record_id: str) -> str:
    """The key of one record's printable page: it opens that page only, and changes with the operator token."""
    return hmac.new(token.encode("utf-8"), record_id.encode("utf-8"), "sha256").hexdigest()[:32]


def with_links(record: call_records.Record, token: str) -> dict:
    """A record as the console opens it: its fields (an old record's groups read as call_records.readable does),
    the rows above its form in the words of its text export, and the address of its printable page."""
    store = policy_store()
    return {**asdict(call_records.readable(record, store)), "rows": call_records.overview_rows(record, store),
            "print_url": f"/console/api/records/{record.id}.html?key={record_key(token, record.id)}"}


def summary(record: call_records.Record) -> dict:
    """A record's line in the console's list: what applies, section by section as the result titles them."""
    return {"id": record.id, "sender": record.sender, "kind": record.kind,
            "kind_label": call_records.kind_label(record, policy_store()), "operator": record.operator,
            "ended": record.ended,
            "caller": record.caller, "sme_class": record.sme_class, "follow_up": record.follow_up,
            "departments": record.departments[:3], "applying": call_records.applying(record)}


def blueprint(on_new_message: Callable[[UserMessage], Awaitable[Any]],
              token: Optional[str] = None) -> Blueprint:
    token = token or operator_token()
    console = Blueprint("console_pages", url_prefix="/console")

    def allowed(request: Request) -> bool:
        return authorized(request.headers.get("authorization"), token)

    @console.route("/", methods=["GET"])
    async def index(request: Request) -> HTTPResponse:
        if not request.path.endswith("/"):
            return _secure(response.redirect("/console/"))
        return served("index.html", WEB_DIR, NOT_FRAMEABLE)

    @console.route("/api/session", methods=["GET"])
    async def session(request: Request) -> HTTPResponse:
        if not allowed(request):
            return _denied()
        return _json({"ok": True})

    @console.route("/api/message", methods=["POST"])
    async def message(request: Request) -> HTTPResponse:
        if not allowed(request):
            return _denied()
        body = json_object(request, MAX_MESSAGE_BYTES, NOT_FRAMEABLE)
        if not isinstance(body, dict):
            return body
        sender, text = body.get("sender"), body.get("message")
        if not isinstance(sender, str) or not CALL_SENDER.fullmatch(sender):
            return _json({"error": "sender 无效（应为 call-…）"}, status=400)
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_CHARS:
            return _json({"error": "message 无效"}, status=400)
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, sender, input_channel="rest",
                                             metadata={"via": "console"}))
        except Exception:
            logger.exception("console message failed")
            return _json({"error": "处理失败"}, status=500)
        return _json(collector.messages)

    @console.route("/api/history", methods=["GET"])
    async def history(request: Request) -> HTTPResponse:
        if not allowed(request):
            return _denied()
        sender = request.args.get("sender", "")
        if not SENDER.fullmatch(sender):
            return _bad_sender()
        return _json(await stored_history(request, sender))

    @console.route("/api/state", methods=["GET"])
    async def state(request: Request) -> HTTPResponse:
        """The panel beside a conversation: facts, class and rule row, next question and why, the result."""
        if not allowed(request):
            return _denied()
        sender = request.args.get("sender", "")
        if not SENDER.fullmatch(sender):
            return _bad_sender()
        return _json(await conversation_state(request.app.ctx.agent, sender))

    @console.route("/api/queue", methods=["GET"])
    async def queue(request: Request) -> HTTPResponse:
        if not allowed(request):
            return _denied()
        return _json(await takeover.queue(request.app.ctx.agent))

    @console.route("/api/takeover/<step:str>", methods=["POST"])
    async def take_step(request: Request, step: str) -> HTTPResponse:
        """take / reply / release a chat conversation, or correct a fact of it or of a call."""
        if not allowed(request):
            return _denied()
        body = json_object(request, MAX_MESSAGE_BYTES, NOT_FRAMEABLE)
        if not isinstance(body, dict):
            return body
        agent, sender = request.app.ctx.agent, body.get("sender")
        if not isinstance(sender, str) or not SENDER.fullmatch(sender):
            return _bad_sender()
        words = store_words()
        try:
            operator = takeover.operator_name(body.get("operator"))
            if step == "take":
                if sender.startswith("call-"):
                    raise takeover.TakeoverError("电话来电无需接入", 400)
                await takeover.take(agent, sender, operator, words)
            elif step == "reply":
                text = body.get("text")
                if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_CHARS:
                    raise takeover.TakeoverError("回复内容无效", 400)
                await takeover.reply(agent, sender, operator, text.strip())
            elif step == "release":
                await takeover.release(agent, sender, operator, words)
                record = await _record(agent, sender, "chat", operator)
                return _json({**await conversation_state(agent, sender), "record": with_links(record, token)})
            elif step == "fact":
                said = await takeover.correct(agent, sender, operator, body.get("fact"), body.get("value"))
                return _json({**await conversation_state(agent, sender), "said": said["text"]})
            else:
                return _json({"error": "未找到"}, status=404)
        except fact_edit.EditError as e:
            return _json({"error": str(e)}, status=400)
        except takeover.TakeoverError as e:
            return _json({"error": str(e)}, status=e.status)
        return _json(await conversation_state(agent, sender))

    @console.route("/api/records", methods=["GET", "POST"])
    async def records(request: Request) -> HTTPResponse:
        """GET: the records holding every word of ``?q=`` (newest first); POST ``{sender, operator}``: ends a phone
        call and files its record."""
        if not allowed(request):
            return _denied()
        if request.method == "GET":
            query = request.args.get("q", "")[:100]
            return _json([summary(r) for r in call_records.find(query)])
        body = json_object(request, MAX_MESSAGE_BYTES, NOT_FRAMEABLE)
        if not isinstance(body, dict):
            return body
        sender = body.get("sender")
        if not isinstance(sender, str) or not CALL_SENDER.fullmatch(sender):
            return _json({"error": "sender 无效（应为 call-…）"}, status=400)
        try:
            operator = takeover.operator_name(body.get("operator"))
        except takeover.TakeoverError as e:
            return _json({"error": str(e)}, status=e.status)
        return _json(with_links(await _record(request.app.ctx.agent, sender, "call", operator), token))

    @console.route("/api/records/<record_id:str>", methods=["GET", "PUT"])
    async def record(request: Request, record_id: str) -> HTTPResponse:
        """One record: ``.json`` / ``.txt`` / ``.html`` (the printable page) to export; PUT to edit. The printable
        page is opened in a new tab, which sends no header: it also takes the record's own key (``print_url``)."""
        name, _, ext = record_id.partition(".")
        keyed = ext == "html" and request.method == "GET" and hmac.compare_digest(
            request.args.get("key", ""), record_key(token, name))
        if not (allowed(request) or keyed):
            return _denied()
        found = call_records.get(name) if RECORD_ID.fullmatch(name) else None
        if found is None:
            return _json({"error": "没有这份工单"}, status=404)
        if request.method == "PUT":
            body = json_object(request, MAX_MESSAGE_BYTES, NOT_FRAMEABLE)
            if not isinstance(body, dict):
                return body
            try:
                found = call_records.save(call_records.edit(found, body))
            except call_records.RecordError as e:
                return _json({"error": str(e)}, status=400)
            return _json(with_links(found, token))
        if ext == "txt":
            return _secure(response.text(call_records.as_text(found, policy_store()), headers={
                "Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="{name}.txt"'}))
        if ext == "html":
            return _secure(response.html(call_records.as_page(found, policy_store()),
                                         headers={"Cache-Control": "no-store"}))
        resp = _json(with_links(found, token))
        if ext == "json":
            resp.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return resp

    @console.route("/api/<rest:path>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    async def unknown(request: Request, rest: str) -> HTTPResponse:
        if not allowed(request):
            return _denied()
        return _json({"error": "未找到"}, status=404)

    @console.route("/<asset:str>", methods=["GET"])
    async def static(request: Request, asset: str) -> HTTPResponse:
        return served(asset or "index.html", WEB_DIR, NOT_FRAMEABLE)

    return console
