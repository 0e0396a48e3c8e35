"""The hotline console at ``/console/`` (docs/contract.md E7): the operator token and the call-assist endpoints.

The page and its static files are public (they hold no data and no secret); every endpoint under ``/console/api/``
refuses a request without the operator token (401, :mod:`bot.staff.access`). The token travels in the
``Authorization: Bearer …`` header, never in an address, and is compared with :func:`hmac.compare_digest`.

A caller's line goes through the same REST channel handler, NLU and dialogue as the chat, in the call's own
conversation (sender ids ``call-…``, so a console call never writes into an owner's chat conversation): the console
endpoint checks the token and hands the message to the handler Rasa gives every input channel, collecting the
replies exactly as Rasa's REST channel does.

Every route is registered in :func:`blueprint`; mounted with the other pages by :mod:`bot.web.pages`.
"""

from __future__ import annotations

import logging
import re
from functools import wraps
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.staff import fact_edit, records, takeover
from bot.staff.access import authorized, operator_token
from policy_db import store as policy_db_store

from ..files import served
from ..history import SENDER, stored_history
from ..replies import NOT_FRAMEABLE, json_object, json_reply, secure
from ..routes import Handler, blueprint_of
from .panel import conversation_state
from .record_views import file_record, key_matches, summary, with_links

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


def _bad_call_sender() -> HTTPResponse:
    return _json({"error": "sender 无效（应为 call-…）"}, status=400)


def _denied() -> HTTPResponse:
    resp = _json({"error": "需要操作员令牌"}, status=401)
    resp.headers["WWW-Authenticate"] = 'Bearer realm="console"'
    return resp


def _body(request: Request) -> dict | HTTPResponse:
    return json_object(request, MAX_MESSAGE_BYTES, NOT_FRAMEABLE)


class Console:
    """The console's handlers and what they share: the operator token and the message handler Rasa gives every
    input channel."""

    def __init__(self, token: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        self.token = token
        self.on_new_message = on_new_message
        self.steps = {"take": self.take, "reply": self.reply, "release": self.release, "fact": self.correct_fact}

    def allowed(self, request: Request) -> bool:
        return authorized(request.headers.get("authorization"), self.token)

    def operator_only(self, handler: Handler) -> Handler:
        """The handler behind the operator token: 401 without it."""
        @wraps(handler)
        async def checked(request: Request, **params: Any) -> HTTPResponse:
            if not self.allowed(request):
                return _denied()
            return await handler(request, **params)

        return checked

    # ---------------------------------------------------------------- the page

    async def index(self, request: Request) -> HTTPResponse:
        if not request.path.endswith("/"):
            return _secure(response.redirect("/console/"))
        return served("index.html", WEB_DIR, NOT_FRAMEABLE)

    async def static(self, request: Request, asset: str) -> HTTPResponse:
        return served(asset or "index.html", WEB_DIR, NOT_FRAMEABLE)

    async def session(self, request: Request) -> HTTPResponse:
        return _json({"ok": True})

    async def unknown(self, request: Request, rest: str) -> HTTPResponse:
        return _json({"error": "未找到"}, status=404)

    # ---------------------------------------------------------------- a call and the conversations

    async def message(self, request: Request) -> HTTPResponse:
        """A caller's line, typed by the operator: through Rasa's handler, the replies collected as Rasa's REST
        channel collects them."""
        body = _body(request)
        if not isinstance(body, dict):
            return body
        sender, text = body.get("sender"), body.get("message")
        if not isinstance(sender, str) or not CALL_SENDER.fullmatch(sender):
            return _bad_call_sender()
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_CHARS:
            return _json({"error": "message 无效"}, status=400)
        collector = CollectingOutputChannel()
        try:
            await self.on_new_message(UserMessage(text, collector, sender, input_channel="rest",
                                                  metadata={"via": "console"}))
        except Exception:
            logger.exception("console message failed")
            return _json({"error": "处理失败"}, status=500)
        return _json(collector.messages)

    async def history(self, request: Request) -> HTTPResponse:
        sender = request.args.get("sender", "")
        if not SENDER.fullmatch(sender):
            return _bad_sender()
        return _json(await stored_history(request, sender))

    async def state(self, request: Request) -> HTTPResponse:
        """The panel beside a conversation: facts, class and rule row, next question and why, the result."""
        sender = request.args.get("sender", "")
        if not SENDER.fullmatch(sender):
            return _bad_sender()
        return _json(await conversation_state(request.app.ctx.agent, sender))

    async def queue(self, request: Request) -> HTTPResponse:
        return _json(await takeover.queue(request.app.ctx.agent))

    # ---------------------------------------------------------------- taking a chat over, correcting a fact

    async def take_step(self, request: Request, step: str) -> HTTPResponse:
        """take / reply / release a chat conversation, or correct a fact of it or of a call."""
        body = _body(request)
        if not isinstance(body, dict):
            return body
        agent, sender = request.app.ctx.agent, body.get("sender")
        if not isinstance(sender, str) or not SENDER.fullmatch(sender):
            return _bad_sender()
        try:
            operator = takeover.operator_name(body.get("operator"))
            step_of = self.steps.get(step)
            if step_of is None:
                return _json({"error": "未找到"}, status=404)
            return await step_of(agent, sender, operator, body)
        except fact_edit.EditError as e:
            return _json({"error": str(e)}, status=400)
        except takeover.TakeoverError as e:
            return _json({"error": str(e)}, status=e.status)

    async def take(self, agent, sender: str, operator: str, body: dict) -> HTTPResponse:
        if sender.startswith("call-"):
            raise takeover.TakeoverError("电话来电无需接入", 400)
        await takeover.take(agent, sender, operator, _words())
        return _json(await conversation_state(agent, sender))

    async def reply(self, agent, sender: str, operator: str, body: dict) -> HTTPResponse:
        text = body.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_CHARS:
            raise takeover.TakeoverError("回复内容无效", 400)
        await takeover.reply(agent, sender, operator, text.strip())
        return _json(await conversation_state(agent, sender))

    async def release(self, agent, sender: str, operator: str, body: dict) -> HTTPResponse:
        """Gives the chat back to the assistant and files its record."""
        await takeover.release(agent, sender, operator, _words())
        record = await file_record(agent, sender, "chat", operator)
        return _json({**await conversation_state(agent, sender), "record": with_links(record, self.token)})

    async def correct_fact(self, agent, sender: str, operator: str, body: dict) -> HTTPResponse:
        said = await takeover.correct(agent, sender, operator, body.get("fact"), body.get("value"))
        return _json({**await conversation_state(agent, sender), "said": said["text"]})

    # ---------------------------------------------------------------- call records

    async def find_records(self, request: Request) -> HTTPResponse:
        """The records holding every word of ``?q=``, newest first."""
        query = request.args.get("q", "")[:100]
        return _json([summary(r) for r in records.find(query)])

    async def file_call(self, request: Request) -> HTTPResponse:
        """``{sender, operator}``: ends a phone call and files its record."""
        body = _body(request)
        if not isinstance(body, dict):
            return body
        sender = body.get("sender")
        if not isinstance(sender, str) or not CALL_SENDER.fullmatch(sender):
            return _bad_call_sender()
        try:
            operator = takeover.operator_name(body.get("operator"))
        except takeover.TakeoverError as e:
            return _json({"error": str(e)}, status=e.status)
        return _json(with_links(await file_record(request.app.ctx.agent, sender, "call", operator), self.token))

    async def open_record(self, request: Request, record_id: str) -> HTTPResponse:
        """One record: ``.json`` / ``.txt`` / ``.html`` (the printable page) to export. The printable page is opened
        in a new tab, which sends no header: it also takes the record's own key (``print_url``)."""
        name, _, ext = record_id.partition(".")
        keyed = ext == "html" and key_matches(request.args.get("key", ""), self.token, name)
        if not (self.allowed(request) or keyed):
            return _denied()
        found = _record(name)
        if found is None:
            return _json({"error": "没有这份工单"}, status=404)
        if ext == "txt":
            return _secure(response.text(records.as_text(found, policy_db_store.load()), headers={
                "Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="{name}.txt"'}))
        if ext == "html":
            return _secure(response.html(records.as_page(found, policy_db_store.load()),
                                         headers={"Cache-Control": "no-store"}))
        resp = _json(with_links(found, self.token))
        if ext == "json":
            resp.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return resp

    async def edit_record(self, request: Request, record_id: str) -> HTTPResponse:
        """The operator's edits of a record (records.edit says which fields)."""
        found = _record(record_id.partition(".")[0])
        if found is None:
            return _json({"error": "没有这份工单"}, status=404)
        body = _body(request)
        if not isinstance(body, dict):
            return body
        try:
            found = records.save(records.edit(found, body))
        except records.RecordError as e:
            return _json({"error": str(e)}, status=400)
        return _json(with_links(found, self.token))


def _words() -> dict:
    return policy_db_store.load().words.pages


def _record(name: str) -> Optional[records.Record]:
    return records.get(name) if RECORD_ID.fullmatch(name) else None


def blueprint(on_new_message: Callable[[UserMessage], Awaitable[Any]],
              token: Optional[str] = None) -> Blueprint:
    """Every route of the console: the page and its files are public, everything under /api/ needs the operator
    token (the printable record also takes its own key)."""
    console = Console(token or operator_token(), on_new_message)
    operator = console.operator_only
    return blueprint_of("console_pages", "/console", [
        ("/", ["GET"], console.index),
        ("/api/session", ["GET"], operator(console.session)),
        ("/api/message", ["POST"], operator(console.message)),
        ("/api/history", ["GET"], operator(console.history)),
        ("/api/state", ["GET"], operator(console.state)),
        ("/api/queue", ["GET"], operator(console.queue)),
        ("/api/takeover/<step:str>", ["POST"], operator(console.take_step)),
        ("/api/records", ["GET"], operator(console.find_records)),
        ("/api/records", ["POST"], operator(console.file_call)),
        ("/api/records/<record_id:str>", ["GET"], console.open_record),
        ("/api/records/<record_id:str>", ["PUT"], operator(console.edit_record)),
        ("/api/<rest:path>", ["GET", "POST", "PUT", "DELETE", "PATCH"], operator(console.unknown)),
        ("/<asset:str>", ["GET"], console.static),
    ])
