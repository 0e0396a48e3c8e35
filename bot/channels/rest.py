"""Rasa's REST channel (contract §1) at the same address, taking the client's id for each message (§E11): a message
whose reply was lost on the way, sent again with the same id, is answered once and not run twice
(bot/resent_messages.py does the answering, inside the conversation's lock)."""

from __future__ import annotations

import re
from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

CLIENT_MESSAGE_ID = "client_message_id"
MESSAGE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def client_message_id(body: Any) -> Optional[str]:
    """The body's `message_id` when it is a well-formed one; anything else is no id (the message still goes)."""
    value = body.get("message_id") if isinstance(body, dict) else None
    return value if isinstance(value, str) and MESSAGE_ID_PATTERN.match(value) else None


class ResendSafeRestInput(RestInput):
    """Named "rest" like Rasa's, so the address stays /webhooks/rest/webhook."""

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        try:
            body = request.json
        except Exception:
            return None
        message_id = client_message_id(body)
        return {CLIENT_MESSAGE_ID: message_id} if message_id else None

