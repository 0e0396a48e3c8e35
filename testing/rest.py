"""A conversation over the REST channel (contract §1), as a client holds it: send a text, get the bot's messages.
Either one whose id the client picks (the base contract), or one the server starts and binds with a secret
(docs/contract.md E14), whose history the client may then read."""

from __future__ import annotations

import json
import urllib.request
import uuid

REST_PATH = "/webhooks/rest/webhook"
SECRET_HEADER = "X-Conversation-Secret"


def post(url: str, sender: str, text: str, timeout: float = 120, message_id: str | None = None,
         secret: str | None = None) -> list:
    """One REST turn; the bot's messages. A message sent again passes its first `message_id` (contract §E11); a
    conversation the server started passes its `secret` (§E14)."""
    message = {"sender": sender, "message": text}
    body = json.dumps({**message, "message_id": message_id} if message_id else message).encode()
    headers = {"Content-Type": "application/json", **({SECRET_HEADER: secret} if secret else {})}
    request = urllib.request.Request(url + REST_PATH, data=body, headers=headers)
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

    def __init__(self, url: str, sender: str | None = None, secret: str | None = None):
        self.url = url
        self.sender = sender or f"test-{uuid.uuid4().hex[:10]}"
        self.secret = secret
        self.transcript: list[tuple[str, list[dict]]] = []

    @classmethod
    def started(cls, url: str) -> "Conversation":
        """A conversation the server starts and binds to this client by its secret (POST /chat/conversation)."""
        request = urllib.request.Request(url + "/chat/conversation", data=json.dumps({"with_secret": True}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        return cls(url, answer["sender"], answer["secret"])

    def say(self, text: str, message_id: str | None = None) -> list[dict]:
        replies = post(self.url, self.sender, text, timeout=60, message_id=message_id, secret=self.secret)
        self.transcript.append((text, replies))
        return replies

    def history(self) -> list[dict]:
        """The conversation's messages as the pages read them (GET /chat/history with its id and secret)."""
        request = urllib.request.Request(self.url + "/chat/history",
                                         headers={"X-Huiqi-Sender": self.sender, SECRET_HEADER: self.secret or ""})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def last_result(self) -> dict | None:
        for _, replies in reversed(self.transcript):
            found = payloads(replies, "result")
            if found:
                return found[-1]
        return None

    def dump(self) -> str:
        return "\n".join(f">>> {text}\n{texts(replies)}" for text, replies in self.transcript)
