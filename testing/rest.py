"""A conversation over the REST channel (contract §1), as a client holds it: send a text, get the bot's messages."""

from __future__ import annotations

import json
import urllib.request
import uuid

REST_PATH = "/webhooks/rest/webhook"


def post(url: str, sender: str, text: str, timeout: float = 120, message_id: str | None = None) -> list:
    """One REST turn; the bot's messages. A message sent again passes its first `message_id` (contract §E11)."""
    message = {"sender": sender, "message": text}
    body = json.dumps({**message, "message_id": message_id} if message_id else message).encode()
    request = urllib.request.Request(url + REST_PATH, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def texts(replies: list) -> str:
    return "\n".join(m["text"] for m in replies if "text" in m)


def payloads(replies: list, kind: str | None = None) -> list:
    """The custom payloads of the replies, those of one `type` when `kind` is given."""
    return [m["custom"] for m in replies
            if isinstance(m.get("custom"), dict) and (kind is None or m["custom"].get("type") == kind)]


class Conversation:
    """One REST conversation: its sender id and every turn (what was said, what came back)."""

    texts = staticmethod(texts)
    payloads = staticmethod(payloads)

    def __init__(self, url: str, sender: str | None = None):
        self.url = url
        self.sender = sender or f"test-{uuid.uuid4().hex[:10]}"
        self.transcript: list[tuple[str, list[dict]]] = []

    def say(self, text: str, message_id: str | None = None) -> list[dict]:
        replies = post(self.url, self.sender, text, timeout=60, message_id=message_id)
        self.transcript.append((text, replies))
        return replies

    def last_result(self) -> dict | None:
        for _, replies in reversed(self.transcript):
            found = payloads(replies, "result")
            if found:
                return found[-1]
        return None

    def dump(self) -> str:
        return "\n".join(f">>> {text}\n{texts(replies)}" for text, replies in self.transcript)
