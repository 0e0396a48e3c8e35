"""Every page the assistant serves itself, mounted on the running Rasa server as one input channel (registered in
credentials.yml as ``bot.web.pages.Pages:``), behind the access rules of :mod:`bot.web.access` (contract E9).

How a page is made (the chat, the console and the trainer are made so):

- a folder ``bot/web/<page>/`` holds the page's static files (``index.html``, its script and style) and
  ``server.py``; the files are served from that folder by :func:`bot.web.files.served` (never a ``.py``), the ES
  modules every page shares from ``bot/web/shared/`` at ``/chat/shared/``;
- ``server.py``'s ``blueprint(...)`` returns the page's blueprint at ``/<page>`` from one table of routes
  (:func:`bot.web.routes.blueprint_of`): path, methods, handler. Each handler is a small named function or method;
  what handlers share (a token, Rasa's message handler, a store) is given to ``blueprint`` and kept by the page's
  object, and every import sits at the top of the module;
- the page's blueprint is added in :meth:`Pages.blueprint`, and its address prefix in :mod:`bot.web.access`
  (which paths are ours, which need the channel token); when staff use it, its routes with the roles they admit go
  in bot/staff/roles.py (the staff sign-in, ``/staff/``, admits them: bot.web.staff.server).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint

from bot.ops import retrain
from bot.staff import migrations

from . import access
from .chat import server as chat
from .console import server as console
from .console import supervision
from .staff import server as staff
from .trainer import server as trainer
from .workbench import server as workbench


class _AllPages(Blueprint):
    """What Rasa mounts for this channel (one blueprint per channel, at the channel's prefix): on registering, it
    puts the access rules and every page, each at its own prefix, on the app."""

    __slots__ = ("pages",)

    def register(self, app, options):
        super().register(app, options)
        access.install(app)
        for page in self.pages:
            app.blueprint(page)
        app.register_listener(prepare_stores, "after_server_start")
        app.register_listener(retrain.start, "after_server_start")


async def prepare_stores(app, _loop) -> None:
    """Once the agent is loaded (Rasa loads it before the server starts) and before the pages are used: the records
    database brought up to date, Rasa's events indexed for the console's queue."""
    migrations.open_records().conn.close()
    agent = getattr(app.ctx, "agent", None)
    if agent is not None and agent.tracker_store is not None:
        migrations.index_events(agent.tracker_store)


class Pages(InputChannel):
    """Serves the pages; messages themselves go through the REST channel (the console's calls through the message
    handler Rasa gives every channel, passed on to the console here)."""

    @classmethod
    def name(cls) -> Text:
        return "chat"

    def url_prefix(self) -> Text:
        """Rasa mounts a channel's blueprint at ``urljoin("/webhooks/", url_prefix())``; an absolute prefix keeps
        it out of /webhooks (the pages' own prefixes are their blueprints')."""
        return "/chat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        mounted = _AllPages("huiqi_pages")
        mounted.pages = [chat.blueprint(), console.blueprint(on_new_message), supervision.blueprint(),
                         trainer.blueprint(), workbench.blueprint(), staff.blueprint()]
        return mounted
