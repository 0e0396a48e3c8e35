"""The pages as the Rasa server mounts them (bot.web.pages.Pages: the chat, the console, the supervisor's endpoints,
the trainer, the staff sign-in, and the access middleware), on a bare Sanic app with a small agent of
Rasa's own in-memory stores instead of a trained model: what the role tests need, started in seconds.

``python -m tests.bot.staff_app PORT``; ``GET /__routes`` lists every route the app registered. A line typed in the
console, or sent to the REST channel's address (``POST /webhooks/rest/webhook``, served here by a stand-in that
keeps the message in the conversation as Rasa's does), is answered "收到：<line>" (there is no model to answer it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic, response

from bot.web.pages import Pages

ROOT = Path(__file__).parents[2]
TRACKER_DB_ENV = "HUIQI_TEST_TRACKER_DB"


class SmallAgent:
    """What the pages use of Rasa's agent: its tracker and lock stores, the processor's trackers, a parse. The
    domain is the project's (so a conversation's slots read back); the tracker store is in memory, or Rasa's SQL
    store on the SQLite file HUIQI_TEST_TRACKER_DB names, which a test may fill from its own process."""

    def __init__(self) -> None:
        self.domain = Domain.load(str(ROOT / "domain.yml"))
        shared = os.environ.get(TRACKER_DB_ENV)
        self.tracker_store = SQLTrackerStore(self.domain, dialect="sqlite", db=shared) if shared \
            else InMemoryTrackerStore(self.domain)
        self.lock_store = InMemoryLockStore()
        self.processor = SimpleNamespace(get_tracker=self.tracker_store.get_or_create_tracker)

    async def parse_message(self, text: str) -> dict:
        return {"text": text, "intent": {"name": None, "confidence": 0.0}, "entities": []}


async def on_new_message(message) -> None:
    await message.output_channel.send_text_message(message.sender_id, f"收到：{message.text}")


async def rest_message(request):
    """The REST channel's stand-in: the message and the answer kept in the conversation, the answer returned."""
    agent, body = request.app.ctx.agent, request.json
    collector = CollectingOutputChannel()
    await on_new_message(UserMessage(body["message"], collector, body["sender"]))
    tracker = await agent.tracker_store.get_or_create_tracker(body["sender"])
    tracker.update(UserUttered(body["message"]))
    for said in collector.messages:
        tracker.update(BotUttered(said["text"]))
    await agent.tracker_store.save(tracker)
    return response.json(collector.messages)


def app() -> Sanic:
    served = Sanic("staff_test")
    served.blueprint(Pages().blueprint(on_new_message), url_prefix="/chat")  # where Rasa mounts it
    served.ctx.agent = SmallAgent()
    served.add_route(rest_message, "/webhooks/rest/webhook", methods=["POST"])

    @served.route("/__routes")
    async def routes(request):
        return response.json([{"path": "/" + r.path, "methods": sorted(r.methods)} for r in served.router.routes])

    return served


if __name__ == "__main__":
    app().run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, motd=False)
