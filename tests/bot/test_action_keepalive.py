"""Rasa's kept connection to the action server lets an idle connection go before the action server closes it, so a
call never goes out on a connection the server has just closed (bot/rasa_patches.py)."""

from __future__ import annotations

import asyncio

from rasa.utils.endpoints import EndpointConfig
from sanic.config import DEFAULT_CONFIG

from bot.rasa_patches import close_kept_sessions, kept_session


def test_idle_connections_go_before_the_action_server_closes_them():
    async def pool_keepalive() -> float:
        async with kept_session(EndpointConfig("http://127.0.0.1:1/webhook")) as session:
            seconds = session.connector._keepalive_timeout
        await close_kept_sessions()
        return seconds

    assert asyncio.run(pool_keepalive()) < DEFAULT_CONFIG["KEEP_ALIVE_TIMEOUT"]
