"""A message sent again with the id it was first sent with (contract §E11) is answered from the conversation: the
replies it got, as they were stored, with nothing run or stored twice.

Why: an owner whose reply was lost (a dropped connection, a timeout while the server was busy or a database
restarting) sends the message again, and a load balancer may resend it to another server; without an id, Rasa runs
it a second time and the conversation holds it twice. The check runs inside `MessageProcessor.handle_message`, which
Rasa calls under the conversation's lock, so a resend that arrives while the first is still running waits for it
and then finds it. The conversation read for the check is the one Rasa goes on with (it would read it again a
moment later: bench/resend.py measured that second read at 12% of a turn).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.rest import CLIENT_MESSAGE_ID

_handle_message = MessageProcessor.handle_message
_get_tracker = MessageProcessor.get_tracker
_read_for_this_message: ContextVar[Optional[DialogueStateTracker]] = ContextVar("read_for_this_message", default=None)


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


async def handle_message(self: MessageProcessor, message: UserMessage) -> Optional[List[Dict[Text, Any]]]:
    message_id = client_id(message)
    if not message_id:
        return await _handle_message(self, message)
    tracker = await _get_tracker(self, message.sender_id)
    events = list(tracker.events)
    sent = first_sending(events, message_id)
    if sent is not None and sent.text == message.text:
        for reply in replies_to(events, sent):
            await message.output_channel.send_response(message.sender_id, reply)
        return message.output_channel.messages if isinstance(message.output_channel, CollectingOutputChannel) else None
    if sent is None:  # else the id came before with other words: a new message, under Rasa's own id
        message.message_id = message_id
    reading = _read_for_this_message.set(tracker)
    try:
        return await _handle_message(self, message)
    finally:
        _read_for_this_message.reset(reading)


async def get_tracker(self: MessageProcessor, conversation_id: Text) -> DialogueStateTracker:
    """The conversation as `handle_message` read it for this message (once), else as Rasa reads it."""
    tracker = _read_for_this_message.get()
    if tracker is not None and tracker.sender_id == conversation_id:
        _read_for_this_message.set(None)
        return tracker
    return await _get_tracker(self, conversation_id)


def install() -> None:
    MessageProcessor.handle_message = handle_message
    MessageProcessor.get_tracker = get_tracker
