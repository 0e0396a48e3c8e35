"""A page's blueprint made from its table of routes, so that every route of a page is registered in one place.

Sanic marks each handler it registers with attributes, which a bound method cannot take: each handler is registered
as a function that calls it, under the handler's own name."""

from __future__ import annotations

from functools import wraps
from typing import Any, Awaitable, Callable, Iterable

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

Handler = Callable[..., Awaitable[HTTPResponse]]
Route = tuple[str, list[str], Handler]   # path under the page's prefix, methods, handler


def _as_function(handler: Handler) -> Handler:
    @wraps(handler)
    async def route(request: Request, **params: Any) -> HTTPResponse:
        return await handler(request, **params)

    return route


def blueprint_of(name: str, url_prefix: str, routes: Iterable[Route]) -> Blueprint:
    """A blueprint at ``url_prefix`` holding exactly ``routes``."""
    bp = Blueprint(name, url_prefix=url_prefix)
    for path, methods, handler in routes:
        bp.add_route(_as_function(handler), path, methods=methods)
    return bp
