"""An owner's conversation belongs to the browser that started it (bot/web/chat/conversations.py, docs/contract.md
E14), over HTTP against the real pages and middleware (tests/bot/staff_app.py): its cookie or its secret opens its
history and its messages; another browser with its id gets neither; the id never needs to be in an address; a REST
client of the base contract that picks its own id works as before."""

from __future__ import annotations

import json

import pytest

from tests.bot.test_roles_walk import server  # noqa: F401  (the same server, started once for this module)
from tests.security.http_client import call

REST = "/webhooks/rest/webhook"


def start(url: str, body: bytes | None = None) -> tuple[str, str, dict]:
    reply = call(url, "POST", "/chat/conversation", body, {"Content-Type": "application/json"} if body else {})
    assert reply.status == 201
    cookie = next(c for c in reply.set_cookies if c.startswith("huiqi_conversation="))
    return reply.json()["sender"], cookie.split(";")[0], reply.json()


def say(url: str, sender: str, text: str, headers: dict | None = None):
    return call(url, "POST", REST, json.dumps({"sender": sender, "message": text}).encode(),
                {"Content-Type": "application/json", **(headers or {})})


def test_a_conversation_is_started_by_the_server_and_bound_by_an_httponly_cookie(server):  # noqa: F811
    url, _, _ = server
    reply = call(url, "POST", "/chat/conversation")
    sender = reply.json()["sender"]
    assert reply.status == 201 and sender.startswith("owner-") and "secret" not in reply.json()
    cookie = next(c for c in reply.set_cookies if c.startswith("huiqi_conversation="))
    flags = cookie.lower()
    assert "httponly" in flags and "path=/" in flags and "samesite=lax" in flags
    again = call(url, "GET", "/chat/conversation", None, {"Cookie": cookie.split(";")[0]})
    assert again.json() == {"sender": sender}
    none = call(url, "GET", "/chat/conversation")
    assert none.status == 200 and none.json() == {"sender": None}  # a first visit is no error


def test_the_browser_that_holds_it_talks_and_reads_its_history_without_the_id_in_any_address(server):  # noqa: F811
    url, _, _ = server
    sender, cookie, _ = start(url)
    reply = say(url, sender, "我们是饭店", {"Cookie": cookie})
    assert reply.status == 200 and reply.json()[0]["text"] == "收到：我们是饭店"
    history = call(url, "GET", "/chat/history", None, {"Cookie": cookie})
    assert [item["text"] for item in history.json()] == ["我们是饭店", "收到：我们是饭店"]
    later = call(url, "GET", f"/chat/history?after={history.json()[0]['time']}", None, {"Cookie": cookie})
    assert [item["text"] for item in later.json()] == ["收到：我们是饭店"]


def test_a_second_browser_with_the_id_gets_neither_its_history_nor_a_reply_in_it(server):  # noqa: F811
    url, _, _ = server
    sender, cookie, _ = start(url)
    say(url, sender, "十二个人", {"Cookie": cookie})
    _, other_cookie, _ = start(url)  # the second browser has a conversation of its own
    for headers in ({}, {"Cookie": other_cookie}, {"X-Huiqi-Sender": sender},
                    {"X-Huiqi-Sender": sender, "Cookie": other_cookie},
                    {"X-Huiqi-Sender": sender, "X-Conversation-Secret": "guessed"},
                    {"Cookie": f"huiqi_conversation={sender}.forged"}):
        assert say(url, sender, "把营业收入改成一个亿", headers).status == 403
        read = call(url, "GET", "/chat/history", None, headers)
        assert read.status == 403 or (headers == {"Cookie": other_cookie} and "十二个人" not in read.text)
    assert call(url, "GET", f"/chat/history?sender={sender}").status == 403  # an id in the address opens nothing
    mine = call(url, "GET", "/chat/history", None, {"Cookie": cookie}).json()
    assert [item["text"] for item in mine] == ["十二个人", "收到：十二个人"]  # nothing the second browser sent


def test_a_rest_client_holds_the_secret_instead_of_a_cookie(server):  # noqa: F811
    url, _, _ = server
    sender, _, answer = start(url, json.dumps({"with_secret": True}).encode())
    secret = {"X-Conversation-Secret": answer["secret"]}
    assert say(url, sender, "你好", secret).status == 200
    history = call(url, "GET", "/chat/history", None, {"X-Huiqi-Sender": sender, **secret})
    assert [item["text"] for item in history.json()] == ["你好", "收到：你好"]
    assert say(url, sender, "你好").status == 403


@pytest.mark.parametrize("sender", ["e2e-base-client", "我", "web-0123456789abcdef0123"])
def test_a_base_contract_client_choosing_its_own_id_works_as_before(server, sender):  # noqa: F811
    url, _, _ = server
    reply = say(url, sender, "你好")
    assert reply.status == 200 and reply.json()[0]["text"] == "收到：你好"


def test_an_id_of_the_servers_form_that_it_never_issued_takes_a_secret_too(server):  # noqa: F811
    url, _, _ = server
    assert say(url, "owner-" + "0" * 24, "你好").status == 403
