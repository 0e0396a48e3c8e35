"""Every page folder with a server module (bot/web/<page>/server.py) is mounted by the one channel that serves the
pages (bot.web.pages.Pages), at its own prefix, and that prefix is one the access rules know (bot.web.access)."""

from __future__ import annotations

from pathlib import Path

from sanic import Sanic

from bot.web import access
from bot.web.pages import Pages

WEB = Path(access.__file__).parent


async def _no_assistant(message) -> None:
    raise AssertionError("no message is sent here")


def test_each_page_folder_is_mounted_at_its_own_prefix_behind_the_access_rules():
    app = Sanic("pages_mounted_test")
    app.blueprint(Pages().blueprint(_no_assistant), url_prefix=Pages().url_prefix())
    app.router.finalize()
    prefixes = {route.path.split("/")[0] for route in app.router.routes}
    folders = {p.parent.name for p in WEB.glob("*/server.py")}
    assert {"chat", "console", "trainer"} <= folders
    assert prefixes == folders
    assert all(access._ours(f"/{prefix}/") for prefix in prefixes)
    assert access.SIGNIN_PATH.strip("/") in {route.path for route in app.router.routes}
