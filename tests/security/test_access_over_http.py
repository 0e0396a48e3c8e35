"""Who may reach what, over HTTP, on a Rasa server bound to 0.0.0.0 as `rasa run` binds by default (contract E9):
the channel token (Bearer or the sign-in cookie), the origins, Rasa's HTTP API off, the console's own token, and
personal numbers masked in the server's debug log. Its own servers (E2E_RASA_PORT + 3, E2E_ACTION_PORT + 3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.staff.access import operator_token
from bot.ops.model import ensure
from bot.ops.serve import write_endpoints
from tests.security.http_client import call

ROOT = Path(__file__).parents[2]
TOKEN = "test-channel-token-Zx9"
PARTNER = "https://partner.example.gov.cn"
MESSAGE = {"sender": "access-test", "message": "我们是饭店，12个人"}


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    """Action server on loopback, Rasa server on 0.0.0.0 with --debug (so user text is logged), the channel token
    and one partner origin configured."""
    work = tmp_path_factory.mktemp("public")
    rasa_port = int(os.environ.get("E2E_RASA_PORT", "5105")) + 3
    action_port = int(os.environ.get("E2E_ACTION_PORT", "5155")) + 3
    endpoints = write_endpoints(work / "endpoints.yml", action_port, work / "conversations.db")
    env = {k: v for k, v in os.environ.items() if k != "HUIQI_ACCESS"}
    env.update(HUIQI_CHANNEL_TOKEN=TOKEN, HUIQI_CORS_ORIGINS=PARTNER, SANIC_HOST="127.0.0.1")
    servers = []
    for name, args in (("actions", ["-m", "bot.action_server", "--actions", "actions", "--port", str(action_port)]),
                       ("rasa", ["-m", "bot.rasa_server", "run", "--model", str(ensure()), "--interface", "0.0.0.0",
                                 "--port", str(rasa_port), "--endpoints", str(endpoints), "--credentials",
                                 str(ROOT / "credentials.yml"), "--debug"])):
        log = open(work / f"{name}.log", "w")
        servers.append(subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True))
    url = f"http://127.0.0.1:{rasa_port}"
    try:
        _wait(url, f"http://127.0.0.1:{action_port}/health", servers, work)
        yield url, work / "rasa.log"
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait(url: str, health: str, servers: list, work: Path, timeout: float = 240) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(server.poll() is not None for server in servers):
            raise RuntimeError(f"a server exited early; logs in {work}")
        try:
            for check in (health, f"{url}/"):
                urllib.request.urlopen(check, timeout=2).close()
            return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"servers not up within {timeout:.0f}s; logs in {work}")


def post_message(url: str, headers: dict | None = None, body: dict = MESSAGE):
    return call(url, "POST", "/webhooks/rest/webhook", json.dumps(body, ensure_ascii=False).encode(),
                {"Content-Type": "application/json", **(headers or {})})


def signed_in_cookie(url: str) -> str:
    reply = call(url, "POST", "/chat/signin", f"token={TOKEN}".encode(),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 303 and reply.headers["location"] == "/chat/"
    return reply.headers["set-cookie"].split(";", 1)[0]


def test_rasa_s_http_api_is_off(public):
    url, _ = public
    assert call(url, "POST", "/model/parse", b'{"text": "hi"}', {"Content-Type": "application/json"}).status == 404
    for path in ("/conversations/access-test/tracker", "/status", "/version", "/domain"):
        assert call(url, "GET", path).status == 404, path
    assert call(url, "POST", "/conversations/access-test/messages", b'{"text": "hi", "sender": "user"}').status == 404


def test_without_the_token_the_channel_and_the_pages_are_closed(public):
    url, _ = public
    refused = post_message(url)
    assert refused.status == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    assert "令牌" in refused.json()["error"]
    for path in ("/chat/policy", "/chat/clauses", "/chat/history", "/chat/chat.js", "/webhooks/rest/"):
        assert call(url, "GET", path).status == 401, path
    reply = call(url, "GET", "/chat/")
    assert reply.status == 303 and reply.headers["location"] == "/chat/signin?next=/chat/"
    # the trainer is for staff accounts (contract E13), wherever the server listens; the channel token opens nothing
    reply = call(url, "GET", "/trainer/", headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status == 303 and reply.headers["location"] == "/staff/signin?next=/trainer/"
    assert call(url, "GET", "/trainer/api/options").status == 401


def test_an_integration_comes_in_with_the_bearer_token(public):
    url, _ = public
    reply = post_message(url, {"Authorization": f"Bearer {TOKEN}"})
    assert reply.status == 200 and any(m.get("text") for m in reply.json())
    assert post_message(url, {"Authorization": f"Bearer {TOKEN}x"}).status == 401
    assert post_message(url, {"Authorization": f"Basic {TOKEN}"}).status == 401


def test_a_person_signs_in_once_and_the_page_works_with_the_cookie(public):
    url, _ = public
    form = call(url, "GET", "/chat/signin")
    assert form.status == 200 and "访问令牌" in form.text and TOKEN not in form.text
    wrong = call(url, "POST", "/chat/signin", b"token=guess", {"Content-Type": "application/x-www-form-urlencoded"})
    assert wrong.status == 401 and "令牌不正确" in wrong.text and "set-cookie" not in wrong.headers
    reply = call(url, "POST", "/chat/signin", f"token={TOKEN}".encode(),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    attributes = reply.headers["set-cookie"].lower()
    assert "httponly" in attributes and "samesite=lax" in attributes and "path=/" in attributes
    assert TOKEN.lower() not in attributes
    cookie = {"Cookie": signed_in_cookie(url)}
    assert call(url, "GET", "/chat/", headers=cookie).status == 200
    assert call(url, "GET", "/chat/policy", headers=cookie).json()["title"]
    assert post_message(url, cookie).status == 200


def test_a_link_with_the_token_signs_in_and_leaves_the_address(public):
    url, _ = public
    reply = call(url, "GET", f"/chat/signin?token={TOKEN}")
    assert reply.status == 303 and reply.headers["location"] == "/chat/" and "huiqi_access=" in reply.headers["set-cookie"]
    trainer = call(url, "GET", f"/chat/signin?token={TOKEN}&next=/trainer/")
    assert trainer.status == 303 and trainer.headers["location"] == "/chat/"  # the trainer is no longer its page


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "/console/api/session"])
def test_signing_in_never_sends_the_browser_elsewhere(public, elsewhere):
    url, _ = public
    reply = call(url, "GET", f"/chat/signin?token={TOKEN}&next={elsewhere}")
    assert reply.status == 303 and reply.headers["location"] == "/chat/"


@pytest.mark.parametrize("cookie", ["huiqi_access=9999999999.AAAA", "huiqi_access=", f"huiqi_access={TOKEN}"])
def test_a_made_up_cookie_does_not_open_the_channel(public, cookie):
    url, _ = public
    assert post_message(url, {"Cookie": cookie}).status == 401


def test_other_sites_are_refused_and_the_configured_one_may_read(public):
    url, _ = public
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    evil = post_message(url, {**bearer, "Origin": "https://evil.example"})
    assert evil.status == 403 and "access-control-allow-origin" not in evil.headers
    sandboxed = post_message(url, {**bearer, "Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert sandboxed.status == 403
    own_form = post_message(url, {**bearer, "Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert own_form.status == 200
    partner = post_message(url, {**bearer, "Origin": PARTNER})
    assert partner.status == 200 and partner.headers["access-control-allow-origin"] == PARTNER
    preflight = call(url, "OPTIONS", "/webhooks/rest/webhook", headers={
        "Origin": PARTNER, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status in (200, 204) and preflight.headers.get("access-control-allow-origin") == PARTNER
    assert "authorization" in preflight.headers.get("access-control-allow-headers", "").lower()
    stranger = call(url, "OPTIONS", "/webhooks/rest/webhook", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in stranger.headers


def test_the_console_keeps_its_own_operator_token(public):
    url, _ = public
    assert call(url, "GET", "/console/api/session", headers={"Authorization": f"Bearer {TOKEN}"}).status == 401
    assert call(url, "GET", "/console/api/session",
                headers={"Authorization": f"Bearer {operator_token()}"}).json() == {"ok": True}


def test_phone_and_id_numbers_never_reach_the_log(public):
    url, log = public
    said = {"sender": "access-log-test", "message": "我的手机13812345678，身份证37150219850612301X，代码91371500MA3C4X7Y2K"}
    assert post_message(url, {"Authorization": f"Bearer {TOKEN}"}, said).status == 200
    deadline = time.monotonic() + 30  # the server writes its log in its own time
    text = ""
    while "[信用代码]" not in text and time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
    assert "[电话]" in text and "[身份证号]" in text and "[信用代码]" in text  # the message was logged, masked
    for number in ("13812345678", "37150219850612301X", "91371500MA3C4X7Y2K"):
        assert number not in text
