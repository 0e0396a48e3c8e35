"""What the assistant's own pages and endpoints answer with: the security headers (one policy, the console's also
forbids framing), JSON replies that are never cached, and a request's JSON object read within a size limit."""

from __future__ import annotations

from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

# No inline script or style anywhere; the chat page may be framed by any site (embed.js), the console by none.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")
FRAMEABLE = {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
NOT_FRAMEABLE = {**FRAMEABLE, "Content-Security-Policy": _CSP + "; frame-ancestors 'none'", "X-Frame-Options": "DENY"}


def secure(resp: HTTPResponse, headers: dict[str, str] = FRAMEABLE) -> HTTPResponse:
    resp.headers.update(headers)
    return resp


def json_reply(body: Any, status: int = 200, headers: dict[str, str] = FRAMEABLE) -> HTTPResponse:
    return secure(response.json(body, status=status, ensure_ascii=False, headers={"Cache-Control": "no-store"}),
                  headers)


def json_object(request: Request, limit: int, headers: dict[str, str] = FRAMEABLE) -> dict | HTTPResponse:
    """The request's JSON object, or the reply that refuses it: 413 over `limit` bytes, 400 when it is none."""
    if len(request.body or b"") > limit:
        return json_reply({"error": "请求过大"}, status=413, headers=headers)
    try:
        body = request.json
    except Exception:
        body = None
    return body if isinstance(body, dict) else json_reply({"error": "需要 JSON 对象"}, status=400, headers=headers)
