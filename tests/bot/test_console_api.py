"""The console's endpoints (bot/web/console/server.py, docs/contract.md E7) over real HTTP: a bare Sanic app serving
only the console's blueprint with a known operator token and a records file of its own. Without the token every
endpoint under /console/api/ answers 401; a record's printable page opens with its own key and nothing else. What
needs a running assistant (a call's messages, the queue, a takeover) is in tests/browser/test_console.py and
tests/browser/test_takeover.py."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bot.staff import records
from bot.web.console.record_views import record_key

ROOT = Path(__file__).parents[2]
TOKEN = "console-test-token"
SERVE = """
from sanic import Sanic
from bot.web.console import server
async def on_new_message(message):
    raise RuntimeError("no assistant here")
app = Sanic("console_test")
app.ctx.agent = None
app.blueprint(server.blueprint(on_new_message, token={token!r}))
app.run(host="127.0.0.1", port={port}, access_log=False, motd=False)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, policy_store):
    db = tmp_path_factory.mktemp("records") / "records.db"
    filed = records.save(records.fill(policy_store, "call-1", "call", "王工", [], {"industry": "餐饮业", "employees": 12}),
                         records.database(db))
    port = _free_port()
    env = {**os.environ, "HUIQI_RECORDS_DB": str(db), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", SERVE.format(port=port, token=TOKEN)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/console/", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    yield url, filed
    proc.terminate()
    proc.wait(timeout=10)


def call(url: str, path: str, method: str = "GET", body=None, token: str | None = TOKEN):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


@pytest.mark.parametrize("method, path", [
    ("GET", "/console/api/session"), ("POST", "/console/api/message"), ("GET", "/console/api/history?sender=a"),
    ("GET", "/console/api/state?sender=a"), ("GET", "/console/api/queue"), ("POST", "/console/api/takeover/take"),
    ("GET", "/console/api/records"), ("POST", "/console/api/records"), ("GET", "/console/api/records/0123456789ab"),
    ("PUT", "/console/api/records/0123456789ab"), ("DELETE", "/console/api/anything"),
])
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_endpoint_refuses_a_request_without_the_operator_token(server, method, path, token):
    url, _ = server
    status, body, headers = call(url, path, method, {} if method in ("POST", "PUT") else None, token=token)
    assert status == 401 and json.loads(body) == {"error": "需要操作员令牌"}
    assert headers["WWW-Authenticate"] == 'Bearer realm="console"'


def test_the_page_is_public_never_framed_and_its_server_code_is_not_served(server):
    url, _ = server
    status, page, headers = call(url, "/console/", token=None)
    assert status == 200 and "<html" in page and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert call(url, "/console/server.py", token=None)[0] == 404
    assert call(url, "/console/panel.py", token=None)[0] == 404


def test_with_the_token_unknown_addresses_and_steps_are_a_chinese_404(server):
    url, _ = server
    status, body, _ = call(url, "/console/api/session")
    assert status == 200 and json.loads(body) == {"ok": True}
    status, body, _ = call(url, "/console/api/nothing/here", "PATCH")
    assert status == 404 and json.loads(body) == {"error": "未找到"}
    status, body, _ = call(url, "/console/api/takeover/steal", "POST", {"sender": "owner-1", "operator": "王工"})
    assert status == 404 and json.loads(body) == {"error": "未找到"}
    status, body, _ = call(url, "/console/api/takeover/take", "POST", {"sender": "../x", "operator": "王工"})
    assert status == 400 and json.loads(body) == {"error": "sender 无效"}
    status, body, _ = call(url, "/console/api/takeover/take", "POST", {"sender": "owner-1", "operator": "<b>"})
    assert status == 400 and "操作员名称无效" in json.loads(body)["error"]
    status, body, _ = call(url, "/console/api/records", "POST", {"sender": "owner-1", "operator": "王工"})
    assert status == 400 and json.loads(body) == {"error": "sender 无效（应为 call-…）"}


def test_records_are_found_opened_exported_and_edited_with_the_token(server):
    url, filed = server
    status, body, _ = call(url, "/console/api/records?q=" + urllib.parse.quote("王工"))
    assert status == 200 and [line["id"] for line in json.loads(body)] == [filed.id]
    status, body, headers = call(url, f"/console/api/records/{filed.id}.json")
    opened = json.loads(body)
    assert status == 200 and opened["id"] == filed.id and opened["rows"]
    assert opened["print_url"] == f"/console/api/records/{filed.id}.html?key={record_key(TOKEN, filed.id)}"
    assert headers["Content-Disposition"] == f'attachment; filename="{filed.id}.json"'
    status, text, _ = call(url, f"/console/api/records/{filed.id}.txt")
    assert status == 200 and "王工" in text
    status, body, _ = call(url, f"/console/api/records/{filed.id}", "PUT", {"caller": "张经理"})
    assert status == 200 and json.loads(body)["caller"] == "张经理"
    status, body, _ = call(url, f"/console/api/records/{filed.id}", "PUT", {"sme_class": "大型企业"})
    assert status == 400 and json.loads(body) == {"error": "“sme_class”不能修改"}
    assert call(url, "/console/api/records/ffffffffffff.json")[0] == 404


def test_the_printable_page_opens_with_its_own_key_and_no_other(server):
    url, filed = server
    key = record_key(TOKEN, filed.id)
    status, page, _ = call(url, f"/console/api/records/{filed.id}.html?key={key}", token=None)
    assert status == 200 and "王工" in page
    for other in (record_key("another-token", filed.id), "", urllib.parse.quote("令牌")):
        assert call(url, f"/console/api/records/{filed.id}.html?key={other}", token=None)[0] == 401
    assert call(url, f"/console/api/records/{filed.id}.json?key={key}", token=None)[0] == 401
