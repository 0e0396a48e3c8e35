"""The chat widget's page at ``/chat/`` (contract §E1, §E5).

The page talks to Rasa's standard REST channel (``/webhooks/rest/webhook``, same origin); this module only serves
the static files beside it in ``bot/web/chat/``, the ES modules every page shares (``bot/web/shared/`` at
``/chat/shared/``) and five helpers:

- ``GET /chat/clauses`` — every clause of the notice, ``{label: {"heading", "text"}}``, for "open the clause" links;
- ``GET /chat/policy`` — every word a page shows around the payloads, from the store: the policy's title, hotline
  and period, the greeting, the SME class labels, the facts' labels and units, the hand-off reasons (docs/contract.md
  E1), so the pages hold no policy wording;
- ``POST /chat/describe`` — facts as a person reads them (``{"facts": {...}, "sme_class": ...}`` → the class label
  and ``[{"name", "label", "value"}]``, written by the same code as the bot's own text);
- ``GET /chat/history`` — the messages of this browser's conversation since its last restart (the one its cookie
  names, or a REST client's with its secret: :mod:`bot.web.chat.conversations`, which also serves
  ``/chat/conversation``), for re-rendering after a reload and for polling;
- ``POST /chat/report`` — the 政策匹配报告 of a result as a printable HTML page (``{"facts": {...}, "as_of": ...}``
  as JSON, or that JSON in the form field ``request`` so a result card's form can open it in a new tab), rendered by
  :mod:`policy_db.report_page`, which the console's call record shares.

Every route is registered in :func:`blueprint`; mounted with the other pages by :mod:`bot.web.pages`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from html import escape
from pathlib import Path
from typing import Any, Dict

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.conversation import greeting
from policy_db import FactError, classification, evaluate, report, report_page, store, validate

from bot.staff import outreach

from ..files import SHARED_DIR, served
from ..history import stored_history
from ..replies import json_object
from ..replies import json_reply as _json
from ..replies import secure as _secure
from ..routes import blueprint_of
from ..staff.server import database as staff_database
from . import conversations

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent
MAX_DESCRIBE_BYTES = 16_384
MAX_REPORT_BYTES = 16_384


def clauses() -> Dict[str, Dict[str, str]]:
    policy = store.load().default_policy
    return {c.label: {"heading": c.heading, "text": c.text} for c in policy.clauses.values()}


def policy_info() -> Dict[str, Any]:
    """Every word the pages show around the payloads, from the store (policy_db data), never from the pages."""
    s = store.load()
    policy = s.default_policy
    words = {k: v for k, v in s.words.pages.items() if k != "staff"}  # the staff pages' words stay on the server
    words["expired"] = s.words.documents.get("expired")  # "执行期（{period}）已过，以下金额仅供参考。"
    return {"id": policy.id, "title": policy.title, "short_title": policy.short_title, "issuer": policy.issuer,
            "hotline": policy.hotline, "hotline_department": policy.hotline_department,
            "valid_until": policy.in_force_until.isoformat(), "period": policy.period,
            "greeting": greeting(s),
            "classes": dict(classification.CLASS_LABELS), "class_unknown": classification.class_label(None),
            "words": words,
            "facts": {name: {"label": spec.label, "type": spec.type, "unit": spec.unit} for name, spec in s.facts.items()}}


def describe(facts: Any, sme_class: Any = None) -> Dict[str, Any]:
    """Facts as a person reads them, written by the code that writes the bot's own text (policy_db.report.show_value:
    是/否, 12人, 399,999,999元（39999.9999万元）), in the order given; names that are no fact of the store are left
    out. The class label is the payload's class, else what the facts make of it ("中小企业（小或微型）")."""
    s = store.load()
    facts = facts if isinstance(facts, dict) else {}
    rows = []
    known = {}
    for name, value in facts.items():
        spec = s.facts.get(name) if isinstance(name, str) else None
        if spec is None or value is None or not isinstance(value, (bool, int, float, str)):
            continue
        try:
            text = report.show_value(spec, value)
        except (TypeError, ValueError):
            text = str(value)
        rows.append({"name": name, "label": spec.label, "value": text})
        known[name] = value
    if isinstance(sme_class, str) and sme_class in classification.CLASS_LABELS:
        label = classification.CLASS_LABELS[sme_class]
    else:
        try:
            label = evaluate(known, store=s).sme_label if known else classification.class_label(None)
        except Exception:  # facts a client made up: no class rather than an error
            label = classification.class_label(None)
    return {"sme_class": label, "facts": rows}


class BadReport(ValueError):
    """A report request that is not facts the store accepts (400)."""


def report_request(body: bytes, content_type: str, form_value: Any = None) -> tuple[Dict[str, Any], Any]:
    """The facts and as-of day of a report request: JSON ``{"facts": {...}, "as_of": "YYYY-MM-DD"}``, as the body or
    as the form field ``request``; facts validated by policy_db.validate (BadReport otherwise)."""
    raw = form_value if not content_type.startswith("application/json") else body.decode("utf-8", "replace")
    try:
        data = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
        raise BadReport("需要 JSON 对象 {\"facts\": {...}, \"as_of\": \"YYYY-MM-DD\"}")
    as_of = data.get("as_of")
    if as_of is None:
        day = dt.date.today()
    else:
        try:
            day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) and len(as_of) == 10 else None
        except ValueError:
            day = None
        if day is None or not 1990 <= day.year <= 2100:
            raise BadReport("as_of 应为 YYYY-MM-DD 格式的日期")
    s = store.load()
    try:
        facts = validate(data["facts"], s.facts, s.classification_for(s.default_policy))
    except (FactError, TypeError, ValueError) as e:
        raise BadReport(str(e)) from None
    return facts, day


def report_html(facts: Dict[str, Any], as_of) -> str:
    s = store.load()
    return report_page.render_page(evaluate(facts, as_of, store=s), s, facts)


def _error_page(message: str, status: int) -> HTTPResponse:
    page = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>无法生成报告</title></head>'
            f"<body><main><h1>无法生成报告</h1><p>{escape(message)}</p></main></body></html>")
    return _secure(response.html(page, status=status, headers={"Cache-Control": "no-store"}))


async def index(request: Request) -> HTTPResponse:
    if not request.path.endswith("/"):
        return _secure(response.redirect("/chat/"))
    return served("index.html", WEB_DIR)


async def static(request: Request, asset: str) -> HTTPResponse:
    # Sanic's router sends "/chat/" here with an empty name (the page links its files absolutely).
    return served(asset or "index.html", WEB_DIR)


async def shared(request: Request, asset: str) -> HTTPResponse:
    return served(asset, SHARED_DIR)


async def get_clauses(request: Request) -> HTTPResponse:
    return _json(clauses())


async def get_policy(request: Request) -> HTTPResponse:
    return _json(policy_info())


async def post_describe(request: Request) -> HTTPResponse:
    body = json_object(request, MAX_DESCRIBE_BYTES)
    if not isinstance(body, dict):
        return body
    return _json(describe(body.get("facts"), body.get("sme_class")))


async def post_report(request: Request) -> HTTPResponse:
    body = request.body or b""
    if len(body) > MAX_REPORT_BYTES:
        return _error_page("请求过大", 413)
    content_type = (request.content_type or "").lower()
    form_value = None
    if not content_type.startswith("application/json"):
        try:
            form_value = request.form.get("request") if request.form else None
        except Exception:
            form_value = None
    try:
        facts, as_of = report_request(body, content_type, form_value)
    except BadReport as e:
        return _error_page(str(e), 400)
    return _secure(response.html(report_html(facts, as_of), headers={"Cache-Control": "no-store"}))



async def post_news(request: Request) -> HTTPResponse:
    """政策找企业: an owner back in the chat who agreed to be told reads first what a publish since made apply to the
    enterprise (once; kept in the conversation). ``[]`` when there is nothing new."""
    sender = conversations.asked_for(request)
    if sender is None:
        return conversations.refusal()
    text = await outreach.tell_returning_owner(request.app.ctx.agent, staff_database(), sender, store.load())
    return _json([{"from": "bot", "text": text}] if text else [])


async def get_history(request: Request) -> HTTPResponse:
    """The messages of this browser's conversation (its cookie), or of the one a REST client names in
    ``X-Huiqi-Sender`` with its secret; never by an id in the address."""
    sender = conversations.asked_for(request)
    if sender is None:
        return conversations.refusal()
    return _json(await stored_history(request, sender))


def blueprint() -> Blueprint:
    """Every route of the chat page."""
    return blueprint_of("chat_pages", "/chat", [
        ("/", ["GET"], index),
        ("/clauses", ["GET"], get_clauses),
        ("/policy", ["GET"], get_policy),
        ("/describe", ["POST"], post_describe),
        ("/report", ["POST"], post_report),
        ("/history", ["GET"], get_history),
        ("/news", ["POST"], post_news),
        ("/conversation", ["GET", "POST"], conversations.conversation),
        ("/shared/<asset:str>", ["GET"], shared),
        ("/<asset:str>", ["GET"], static),
    ])
