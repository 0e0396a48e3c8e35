"""Who may reach what on the Rasa server (docs/contract.md E9): one request middleware in front of the REST channel
and the pages.

- **Origins.** A browser request from another site (``Sec-Fetch-Site``, else the ``Origin`` header) is refused (403)
  unless its origin is listed in ``HUIQI_CORS_ORIGINS`` (space- or comma-separated, e.g. ``https://www.example.gov.cn``); listed origins
  get ``Access-Control-Allow-Origin`` for themselves only. Default: same origin only.
- **Token.** When the server is not bound to a loopback address (``rasa run`` binds 0.0.0.0 unless told
  ``--interface 127.0.0.1``), or ``HUIQI_ACCESS=token`` says so (a proxy on the same host in front), the REST channel
  and ``/chat/…`` need the channel token: ``Authorization: Bearer <token>`` (integrations), or the signed cookie that
  ``/chat/signin`` sets after checking the token once (people, the page). The token is ``HUIQI_CHANNEL_TOKEN``, else
  ``build/channel-token`` (made on first use, like the operator token).
- **Staff.** The console, the trainer and ``/staff/api/`` admit staff accounts by their role, and the operator token
  where it is listed, wherever the server listens (bot.web.staff.server ``gate``, bot/staff/roles.py).
- **Conversations.** A REST message into a conversation the server handed out (``POST /chat/conversation``) needs
  that conversation's cookie or secret (bot.web.chat.conversations).
- **REST body.** Rasa's REST channel answers 500 (or an empty list) to a body that is not an object of strings; the
  middleware answers such a body with 400 and a polite JSON error before Rasa reads it. A message over the length
  the assistant takes (bot.nlu.guard.MAX_LENGTH) is refused as too long either way, so it goes on cut to one
  character over: the NLU's time grows faster than the text (10,000 characters took 49 s, blocking every
  conversation of the server), and the cut version gets the same polite refusal.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import time
from html import escape
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

from sanic import response
from sanic.exceptions import MethodNotSupported, NotFound
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.nlu.guard import MAX_LENGTH
from bot.staff.access import kept_token

from .chat import conversations
from .cookies import set_cookie
from .replies import json_reply, secure
from .staff import server as staff

ROOT = Path(__file__).parents[2]
TOKEN_FILE = ROOT / "build" / "channel-token"
TOKEN_ENV = "HUIQI_CHANNEL_TOKEN"
ACCESS_ENV = "HUIQI_ACCESS"
ORIGINS_ENV = "HUIQI_CORS_ORIGINS"
COOKIE = "huiqi_access"
COOKIE_SECONDS = 12 * 3600
REST_PATH = "/webhooks/rest/webhook"
MAX_REST_BYTES = 262_144  # a 10,000-character message, \u-escaped, fits; the bot itself refuses over 2,000
MAX_SENDER_CHARS = 255  # the sender_id column of Rasa's SQL tracker store
SIGNIN_PATH = "/chat/signin"


def channel_token(environ: Optional[dict] = None) -> str:
    """The channel token: the same rules as the operator token (bot.staff.access), under its own name and file."""
    environ = os.environ if environ is None else environ
    return kept_token(TOKEN_FILE, environ.get(TOKEN_ENV) or "")


def token_required(host: Any, environ: Optional[dict] = None) -> bool:
    """True unless the server listens on loopback only and nobody asked for the token anyway."""
    environ = os.environ if environ is None else environ
    if (environ.get(ACCESS_ENV) or "").strip().lower() == "token":
        return True
    if not isinstance(host, str) or not host:
        return True
    if host.strip("[]").lower() == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return True


def allowed_origins(environ: Optional[dict] = None) -> set[str]:
    environ = os.environ if environ is None else environ
    given = (environ.get(ORIGINS_ENV) or "").replace(",", " ").split()
    return {origin.rstrip("/").lower() for origin in given}


def same_origin(origin: str, host: str) -> bool:
    """The Origin names this server (the Host the browser used). A Host without port (a proxy that drops it) is
    compared by host name."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname or not host:
        return False
    host = host.lower()
    if ":" in host.rsplit("]", 1)[-1]:
        return parts.netloc.lower() == host
    return parts.hostname == host.strip("[]")


def origin_allowed(origin: Optional[str], host: str, configured: set[str], fetch_site: Optional[str] = None) -> bool:
    """A browser says where a request comes from in ``Sec-Fetch-Site`` when it can; a form posted from a page with
    ``Referrer-Policy: no-referrer`` (ours) carries ``Origin: null`` but ``Sec-Fetch-Site: same-origin``. Browsers
    without that header are judged by ``Origin``, and ``null`` is let through there (it cannot be told apart)."""
    if origin is not None and origin.rstrip("/").lower() in configured:
        return True
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    if origin is None or origin == "null":
        return True  # not a cross-origin browser request, or one that cannot be placed
    return same_origin(origin, host)


def _sign(token: str, expires: int) -> str:
    mac = hmac.new(token.encode("utf-8"), f"huiqi-chat:{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def cookie_value(token: str, now: Optional[float] = None) -> str:
    expires = int(now if now is not None else time.time()) + COOKIE_SECONDS
    return f"{expires}.{_sign(token, expires)}"


def cookie_valid(value: Any, token: str, now: Optional[float] = None) -> bool:
    """A cookie made by cookie_value with this token that has not expired (a new token voids every cookie)."""
    if not isinstance(value, str) or "." not in value:
        return False
    expires, _, mac = value.partition(".")
    if not expires.isdigit() or int(expires) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(mac.encode(), _sign(token, int(expires)).encode())


def token_matches(given: Any, token: str) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given.strip().encode("utf-8"),
                                                                          token.encode("utf-8"))


def bearer(header: Any) -> Optional[str]:
    if not isinstance(header, str):
        return None
    scheme, _, given = header.partition(" ")
    return given.strip() if scheme.lower() == "bearer" and given.strip() else None


def rest_body_problem(body: bytes) -> Optional[tuple[int, str]]:
    """Why a REST channel body cannot go to Rasa (status, polite reason), or None when it can."""
    if len(body) > MAX_REST_BYTES:
        return 413, "抱歉，消息太长了，请分几次发送。"
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return 400, '抱歉，请求格式不正确：需要 JSON 对象 {"sender": "会话编号", "message": "消息文字"}。'
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return 400, f"抱歉，请求格式不正确：sender 应为 1–{MAX_SENDER_CHARS} 个字符的会话编号。"
    if data.get("message") is not None and not isinstance(data["message"], str):
        return 400, "抱歉，请求格式不正确：message 应为文字。"
    if data.get("metadata") is not None and not isinstance(data["metadata"], dict):
        return 400, "抱歉，请求格式不正确：metadata 应为 JSON 对象。"
    if data.get("input_channel") is not None and not isinstance(data["input_channel"], str):
        return 400, "抱歉，请求格式不正确：input_channel 应为文字。"
    return None


def cut_to_length(body: bytes) -> Optional[bytes]:
    """A well-formed REST body whose message is over MAX_LENGTH characters (stripped, as the guard counts them),
    with the message cut to MAX_LENGTH + 1; None when the body can go as it is."""
    data = json.loads(body.decode("utf-8"))
    message = data.get("message")
    if not isinstance(message, str) or len(message) <= MAX_LENGTH + 1:
        return None
    data["message"] = message.strip()[:MAX_LENGTH + 1]
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# The page people open after signing in with the channel token (never an address given from outside).
PAGES = ("/chat/",)


def _guarded(path: str) -> bool:
    """Paths behind the channel token: the channels and the chat pages, not the sign-in itself. The console and the
    trainer are for staff accounts (bot.web.staff.server)."""
    return path.startswith(("/webhooks/", "/chat")) and path != SIGNIN_PATH


def _ours(path: str) -> bool:
    return path.startswith(("/webhooks/", "/chat", "/console", "/trainer", "/workbench", "/staff"))


def _host(request: Request) -> str:
    return request.headers.get("x-forwarded-host") or request.headers.get("host") or ""


def _signed_in(request: Request, token: str) -> bool:
    return token_matches(bearer(request.headers.get("authorization")), token) or \
        cookie_valid(request.cookies.get(COOKIE), token)


def _page_after(value: Any) -> str:
    return value if value in PAGES else PAGES[0]


def _signin_page(page: str, problem: str = "", status: int = 200) -> HTTPResponse:
    note = f"<p role=\"alert\">{escape(problem)}</p>" if problem else ""
    page = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>惠企政策助手 · 登录</title></head>'
            '<body><main><h1>惠企政策助手</h1><p>请输入访问令牌（由部署单位提供）。</p>'
            f'{note}<form method="post" action="{SIGNIN_PATH}"><label>访问令牌 '
            '<input name="token" type="password" autocomplete="off" required></label> '
            f'<input name="next" type="hidden" value="{escape(page)}">'
            '<button type="submit">进入</button></form></main></body></html>')
    return secure(response.html(page, status=status, headers={"Cache-Control": "no-store"}))


def _signed_in_reply(request: Request, token: str, page: str) -> HTTPResponse:
    """303 to the page with the access cookie: the token leaves the address bar, the cookie stays HttpOnly.
    Over https it is SameSite=None; Secure so that the page works framed by another site (embed.js)."""
    resp = secure(response.redirect(page, status=303, headers={"Cache-Control": "no-store"}))
    return set_cookie(resp, request, COOKIE, cookie_value(token), max_age=COOKIE_SECONDS, framed=True)


async def signin(request: Request) -> HTTPResponse:
    """GET shows the form (or takes ``?token=`` from a link handed out once); POST takes the form's token."""
    token = channel_token()
    if request.method == "POST":
        try:
            form = request.form or {}
        except Exception:
            form = {}
        given, page = form.get("token"), _page_after(form.get("next"))
    else:
        given, page = request.args.get("token"), _page_after(request.args.get("next"))
        if given is None:
            return _signin_page(page)
    if token_matches(given, token):
        return _signed_in_reply(request, token, page)
    return _signin_page(page, "令牌不正确，请核对后重试。", status=401)


def _refusal(request: Request) -> HTTPResponse:
    page = request.path.rstrip("/") + "/"
    if request.method == "GET" and page in PAGES:
        return secure(response.redirect(f"{SIGNIN_PATH}?next={page}", status=303))
    resp = json_reply({"error": "需要访问令牌，请先登录或在请求头中提供 Authorization: Bearer <令牌>。"}, status=401)
    resp.headers["WWW-Authenticate"] = 'Bearer realm="huiqi"'
    return resp


async def check(request: Request) -> Optional[HTTPResponse]:
    """The request middleware: origin, then staff roles, then the channel token, then the REST body and the
    conversation it goes to; None lets the request through."""
    path = request.path
    if not _ours(path):
        return None
    origin = request.headers.get("origin")
    if not origin_allowed(origin, _host(request), allowed_origins(), request.headers.get("sec-fetch-site")):
        return json_reply({"error": "抱歉，不接受来自该网站的请求。"}, status=403)
    if request.method == "OPTIONS" and origin is not None:
        return _cors(response.empty(status=204), origin)
    refused = await staff.gate(request)
    if refused is not None:
        return refused
    if _guarded(path) and token_required(getattr(request.app.state, "host", None)) \
            and not _signed_in(request, channel_token()):
        return _refusal(request)
    if path == REST_PATH and request.method == "POST":
        problem = rest_body_problem(request.body or b"")
        if problem:
            return json_reply({"error": problem[1]}, status=problem[0])
        refused = conversations.rest_refused(request)
        if refused is not None:
            return refused
        shorter = cut_to_length(request.body)
        if shorter is not None:
            request.body, request.parsed_json = shorter, None
    return None


def _cors(resp: HTTPResponse, origin: str) -> HTTPResponse:
    resp.headers["Access-Control-Allow-Origin"] = origin
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-Conversation-Secret, X-Huiqi-Sender"
    resp.headers["Access-Control-Max-Age"] = "600"
    resp.headers["Vary"] = "Origin"
    return resp


async def allow_origin(request: Request, resp: HTTPResponse) -> None:
    """The response middleware: a configured origin (other than our own) may read the answer."""
    origin = request.headers.get("origin")
    if origin and _ours(request.path) and origin.rstrip("/").lower() in allowed_origins() \
            and not same_origin(origin, _host(request)):
        _cors(resp, origin)


def _unrouted(app):
    """Sanic's own 404/405 answer is English; under our paths it is a Chinese JSON error like every other."""
    def handler(request: Request, exception: Exception) -> HTTPResponse:
        if request is None or not _ours(request.path):
            return app.error_handler.default(request, exception)
        status = getattr(exception, "status_code", 404)
        error = "不支持该请求方法。" if status == 405 else "未找到。"
        return json_reply({"error": error}, status=status)

    return handler


def install(app) -> None:
    """Puts the middleware, the sign-in route and the Chinese 404/405 on the Rasa server's app (once)."""
    if getattr(app.ctx, "huiqi_access", False):
        return
    app.ctx.huiqi_access = True
    for unrouted in (NotFound, MethodNotSupported):
        app.error_handler.add(unrouted, _unrouted(app))
    app.register_middleware(check, "request")
    app.register_middleware(allow_origin, "response")
    app.add_route(signin, SIGNIN_PATH, methods=["GET", "POST"], name="huiqi_signin")
