"""A message sent again with the id it was first sent with (contract §E11) is answered from the conversation: the
replies it got, as they were stored, with nothing run or stored twice.

Why: an owner whose reply was lost (a dropped connection, a timeout while the server was busy or a database
restarting) sends the message again, and a load balancer may resend it to another server; without an id, Rasa runs
it a second time and the conversation holds it twice. What is stored for a message and which replies answered it
are read here; the check runs inside Rasa's `MessageProcessor.handle_message` (bot/rasa_patches.py), under the
conversation's lock, so a resend that arrives while the first is still running waits for it and then finds it.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered

from bot.channels.rest import CLIENT_MESSAGE_ID


def client_id(message: UserMessage) -> Optional[str]:
    return (message.metadata or {}).get(CLIENT_MESSAGE_ID)


def first_sending(events: Iterable[Event], message_id: str) -> Optional[UserUttered]:
    """The user message stored under this id, or None."""
    return next((event for event in events if isinstance(event, UserUttered) and event.message_id == message_id), None)


def replies_to(events: List[Event], said: UserUttered) -> List[Dict[Text, Any]]:
    """The assistant's messages of the turn that answered `said`, as Rasa sends a response: they end where the
    assistant listens again (an operator's words during a takeover are not part of the turn)."""
    replies = []
    for event in events[events.index(said) + 1:]:
        if isinstance(event, UserUttered) or (isinstance(event, ActionExecuted) and event.action_name == "action_listen"):
            break
        if isinstance(event, BotUttered) and not (event.metadata or {}).get("operator"):
            reply = {key: value for key, value in event.data.items() if value}
            replies.append({"text": event.text, **reply} if event.text is not None else reply)
    return replies
