"""What the owner reads when a server cannot answer, the same in both layouts: the words (deploy/messages.yml) and
the action server's reply that carries them. The cluster's nginx sends that reply when no action server answers;
`make run`'s Rasa server makes it itself while its one action server is down (restarting)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

MESSAGES = Path(__file__).parents[1] / "deploy" / "messages.yml"


@lru_cache(maxsize=1)
def words() -> dict:
    return yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))


def actions_unavailable(text: str) -> dict:
    """The action server's reply when none can answer: the polite text; a rejection "by the action itself", so that
    an active form neither rejects the owner's message silently (Rasa's form does when no slot was filled) nor asks
    its next question; and listening next, so the conversation waits for the owner to send it again."""
    return {"events": [{"event": "action_execution_rejected", "name": "action_default_fallback"},
                       {"event": "followup", "name": "action_listen"}],
            "responses": [{"text": text}]}
