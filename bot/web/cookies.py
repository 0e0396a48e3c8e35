"""The cookies our pages set, one way: HttpOnly for the whole site, Secure over https (directly or behind a proxy
that says so). A page a person opens on our own site is SameSite=Strict (staff); one the chat widget may open framed
by another site (embed.js) is SameSite=None over https, else Lax."""

from __future__ import annotations

from typing import Optional

from sanic.request import Request
from sanic.response import HTTPResponse


def over_https(request: Request) -> bool:
    return request.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def set_cookie(resp: HTTPResponse, request: Request, name: str, value: str, *, max_age: Optional[int] = None,
               framed: bool = False) -> HTTPResponse:
    """Sets ``name`` on ``resp``; ``framed`` for the chat's cookies, which must survive the widget's frame."""
    resp.cookies[name] = value
    cookie = resp.cookies[name]
    cookie["path"] = "/"
    cookie["httponly"] = True
    if max_age is not None:
        cookie["max-age"] = max_age
    https = over_https(request)
    if https:
        cookie["secure"] = True
    cookie["samesite"] = ("None" if https else "Lax") if framed else "Strict"
    return resp
