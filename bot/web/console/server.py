"""The hotline console at ``/console/`` (docs/contract.md E7, E13): the call-assist, takeover and record endpoints.

People sign in with their own staff account (bot/web/staff/server.py); the request middleware admits each request
by the roles of bot/staff/roles.py before a handler here runs, and ``request.ctx.actor`` is who asks: the account's
display name signs what an operator does, its login files the records. Operators list and open the records they
filed; supervisors every record. Each takeover, release, fact edit, record filed, read, edited or exported is a
line of the audit trail (bot/staff/audit.py). The operator token remains for automation (load tests, monitoring),
admitted only where roles.py lists it (:mod:`bot.staff.access` keeps it).

A caller's line goes through the same REST channel handler, NLU and dialogue as the chat, in the call's own
conversation (sender ids ``call-…``, so a console call never writes into an owner's chat conversation). A
conversation id never travels in an address: the reads take it in the header ``X-Huiqi-Sender``, the changes in the
JSON body.

Every route is registered in :func:`blueprint`; mounted with the other pages by :mod:`bot.web.pages`.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.staff import fact_edit, outreach, records, takeover
from bot.staff.accounts import SUPERVISOR
from policy_db import store as policy_db_store

from ..files import served
from ..history import SENDER, stored_history
from ..replies import NOT_FRAMEABLE, json_object, json_reply, secure
from ..routes import blueprint_of
from ..staff import server as staff
from .panel import conversation_state
from .record_views import file_record, may_open, summary, with_links

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent
CALL_SENDER = re.compile(r"call-[A-Za-z0-9_-]{1,59}")
RECORD_ID = re.compile(r"[0-9a-f]{12}")
SENDER_HEADER = "x-huiqi-sender"
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


def _body(request: Request) -> dict | HTTPResponse:
    return json_object(request, MAX_MESSAGE_BYTES, NOT_FRAMEABLE)


def header_sender(request: Request) -> Optional[str]:
    """The conversation a read is about, from the header ``X-Huiqi-Sender`` (never the address), when well-formed."""
    sender = request.headers.get(SENDER_HEADER, "")
    return sender if SENDER.fullmatch(sender) else None


class Console:
    """The console's handlers and what they share: the message handler Rasa gives every input channel. Who may
    call each (the roles of bot/staff/roles.py) is checked by the request middleware before a handler runs."""

    def __init__(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        self.on_new_message = on_new_message
        self.steps = {"take": self.take, "reply": self.reply, "release": self.release, "fact": self.correct_fact}

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
        sender = header_sender(request)
        if sender is None:
            return _bad_sender()
        return _json(await stored_history(request, sender))

    async def state(self, request: Request) -> HTTPResponse:
        """The panel beside a conversation: facts, class and rule row, next question and why, the result."""
        sender = header_sender(request)
        if sender is None:
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
        agent, sender, actor = request.app.ctx.agent, body.get("sender"), request.ctx.actor
        if not isinstance(sender, str) or not SENDER.fullmatch(sender):
            return _bad_sender()
        step_of = self.steps.get(step)
        if step_of is None:
            return _json({"error": "未找到"}, status=404)
        try:
            return await step_of(request, agent, sender, takeover.Operator(actor.display, actor.login), body)
        except fact_edit.EditError as e:
            return _json({"error": str(e)}, status=400)
        except takeover.TakeoverError as e:
            return _json({"error": str(e)}, status=e.status)

    async def take(self, request: Request, agent, sender: str, operator: takeover.Operator,
                   body: dict) -> HTTPResponse:
        if sender.startswith("call-"):
            raise takeover.TakeoverError("电话来电无需接入", 400)
        await takeover.take(agent, sender, operator, _words())
        staff.log(request, "takeover", sender=sender)
        return _json(await conversation_state(agent, sender))

    async def reply(self, request: Request, agent, sender: str, operator: takeover.Operator,
                    body: dict) -> HTTPResponse:
        text = body.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_CHARS:
            raise takeover.TakeoverError("回复内容无效", 400)
        await takeover.reply(agent, sender, operator, text.strip())
        return _json(await conversation_state(agent, sender))

    async def release(self, request: Request, agent, sender: str, operator: takeover.Operator,
                      body: dict) -> HTTPResponse:
        """Gives the chat back to the assistant and files its record."""
        await takeover.release(agent, sender, operator, _words())
        staff.log(request, "release", sender=sender)
        record = await file_record(agent, sender, "chat", request.ctx.actor)
        staff.log(request, "record_file", record=record.id, sender=sender)
        return _json({**await conversation_state(agent, sender), "record": with_links(record)})

    async def correct_fact(self, request: Request, agent, sender: str, operator: takeover.Operator,
                           body: dict) -> HTTPResponse:
        said = await takeover.correct(agent, sender, operator, body.get("fact"), body.get("value"))
        staff.log(request, "fact_edit", sender=sender, detail=str(body.get("fact"))[:40])
        return _json({**await conversation_state(agent, sender), "said": said["text"]})

    # ---------------------------------------------------------------- call records

    async def find_records(self, request: Request) -> HTTPResponse:
        """The records holding every word of ``?q=``, newest first: an operator's own, a supervisor's every one."""
        actor = request.ctx.actor
        query = request.args.get("q", "")[:100]
        mine = None if actor.role == SUPERVISOR else actor.login
        return _json([summary(r) for r in records.find(query, account=mine)])

    async def file_call(self, request: Request) -> HTTPResponse:
        """``{sender}``: ends a phone call and files its record under the signed-in account."""
        body = _body(request)
        if not isinstance(body, dict):
            return body
        sender = body.get("sender")
        if not isinstance(sender, str) or not CALL_SENDER.fullmatch(sender):
            return _bad_call_sender()
        record = await file_record(request.app.ctx.agent, sender, "call", request.ctx.actor)
        staff.log(request, "record_file", record=record.id, sender=sender)
        return _json(with_links(record))

    async def open_record(self, request: Request, record_id: str) -> HTTPResponse:
        """One record: ``.json`` / ``.txt`` / ``.html`` (the printable page) to export. The printable page opens in
        a new tab of the same site, which carries the session cookie (SameSite=Strict allows it)."""
        name, _, ext = record_id.partition(".")
        found = _record(name) if ext in ("", "json", "txt", "html") else None
        if found is None:
            return _json({"error": "没有这份工单"}, status=404)
        if not may_open(request.ctx.actor, found):
            return _json({"error": staff.error("not_yours")}, status=403)
        staff.log(request, "record_export" if ext else "record_read", record=found.id, sender=found.sender,
                  detail=ext)
        if ext == "txt":
            return _secure(response.text(records.as_text(found, policy_db_store.load()), headers={
                "Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="{name}.txt"'}))
        if ext == "html":
            return _secure(response.html(records.as_page(found, policy_db_store.load()),
                                         headers={"Cache-Control": "no-store"}))
        resp = _json(with_links(found))
        if ext == "json":
            resp.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return resp

    async def edit_record(self, request: Request, record_id: str) -> HTTPResponse:
        """The operator's edits of a record (records.edit says which fields)."""
        found = _record(record_id.partition(".")[0])
        if found is None:
            return _json({"error": "没有这份工单"}, status=404)
        if not may_open(request.ctx.actor, found):
            return _json({"error": staff.error("not_yours")}, status=403)
        body = _body(request)
        if not isinstance(body, dict):
            return body
        try:
            found = records.save(records.edit(found, body))
        except records.RecordError as e:
            return _json({"error": str(e)}, status=400)
        staff.log(request, "record_edit", record=found.id, sender=found.sender, detail=" ".join(sorted(body)))
        return _json(with_links(found))

    # ---------------------------------------------------------------- 政策找企业: the 回访 list

    async def outreach_list(self, request: Request) -> HTTPResponse:
        """The open 回访 tasks: consenting enterprises a publish newly qualified, with the measure and its line."""
        return _json(outreach.open_tasks(staff.database()))

    async def outreach_done(self, request: Request, task_id: int) -> HTTPResponse:
        """An operator has called back (or told) the enterprise: the task leaves the list, under their account."""
        done = outreach.complete(staff.database(), task_id, request.ctx.actor.login)
        if done is None:
            return _json({"error": _words()["staff"]["outreach_gone"]}, status=404)
        is_chat = done["source"] == outreach.CHAT
        staff.log(request, "outreach_done", record=None if is_chat else done["key"],
                  sender=done["key"] if is_chat else None, detail=f'{done["version"]} {done["measure"]}')
        return _json(done)


def _words() -> dict:
    return policy_db_store.load().words.pages


def _record(name: str) -> Optional[records.Record]:
    return records.get(name) if RECORD_ID.fullmatch(name) else None


def blueprint(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
    """Every route of the console: the page and its files are public; who may call each /api/ route is
    bot/staff/roles.py's, checked by the request middleware (bot.web.staff.server.gate)."""
    console = Console(on_new_message)
    return blueprint_of("console_pages", "/console", [
        ("/", ["GET"], console.index),
        ("/api/session", ["GET"], console.session),
        ("/api/message", ["POST"], console.message),
        ("/api/history", ["GET"], console.history),
        ("/api/state", ["GET"], console.state),
        ("/api/queue", ["GET"], console.queue),
        ("/api/takeover/<step:str>", ["POST"], console.take_step),
        ("/api/records", ["GET"], console.find_records),
        ("/api/records", ["POST"], console.file_call),
        ("/api/records/<record_id:str>", ["GET"], console.open_record),
        ("/api/records/<record_id:str>", ["PUT"], console.edit_record),
        ("/api/outreach", ["GET"], console.outreach_list),
        ("/api/outreach/<task_id:int>", ["POST"], console.outreach_done),
        ("/api/<rest:path>", ["GET", "POST", "PUT", "DELETE", "PATCH"], console.unknown),
        ("/<asset:str>", ["GET"], console.static),
    ])
