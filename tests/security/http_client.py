"""A client that sends exactly what it is given (any body, any header) and never raises on a status: how the security
tests talk to the servers."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes
    set_cookies: list = field(default_factory=list)  # every Set-Cookie header (`headers` keeps the last)

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def call(url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
    """One HTTP request exactly as given (any body, any header), never raising on a status: the hostile client."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read(),
                     [v for k, v in response.getheaders() if k.lower() == "set-cookie"])
    finally:
        connection.close()
