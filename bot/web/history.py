"""A conversation as the pages show it (the chat page after a reload, the console beside a call or a chat taken
over): its messages since its last restart, who said each, from the tracker store of the running assistant."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.shared.core.events import BotUttered, Restarted, UserUttered
from sanic.request import Request

from bot.staff.takeover import notice_of, said_by_operator

SENDER = re.compile(r"[A-Za-z0-9_-]{1,64}")


def history(events, after: float | None = None) -> List[Dict[str, Any]]:
    """The messages of a tracker's events since the last restart, in the REST channel's split: text, then custom.
    What an operator said is ``from: "operator"`` with the operator's name, the notices of a person joining or
    leaving ``from: "notice"`` (docs/contract.md E7); ``after`` keeps only what came later (the pages' polling)."""
    out: List[Dict[str, Any]] = []
    for event in events:
        if isinstance(event, Restarted):
            out = []
        elif isinstance(event, UserUttered):
            text = event.text or ""
            if text and not text.startswith("/"):
                out.append({"from": "user", "text": text, "time": event.timestamp})
        elif isinstance(event, BotUttered):
            operator, notice = said_by_operator(event), notice_of(event)
            who = {"from": "notice", "event": notice, "operator": operator} if notice else (
                {"from": "operator", "operator": operator} if operator else {"from": "bot"})
            if event.text:
                out.append({**who, "text": event.text, "time": event.timestamp})
            custom = (event.data or {}).get("custom")
            if custom:
                out.append({**who, "custom": custom, "time": event.timestamp})
    return [item for item in out if after is None or item["time"] > after]


async def stored_history(request: Request, sender: str) -> list:
    """A conversation's messages from the tracker store of the running assistant; with ``?after=<time>`` only the
    later ones (a page polling for an operator's words)."""
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return []
    try:
        after = float(request.args.get("after")) if request.args.get("after") else None
    except ValueError:
        after = None
    tracker = await agent.tracker_store.retrieve(sender)
    return history(tracker.events, after) if tracker else []
