"""The console's endpoints (bot/web/console/server.py, docs/contract.md E7, E13) over real HTTP: a bare Sanic app
serving the console's blueprint behind the access middleware, with a records file of its own holding the accounts.
Without a session every endpoint under /console/api/ answers 401; an operator finds, opens, exports and edits the
records their account filed and gets 403 on another's; a supervisor opens every record; the printable page opens
in the session and with nothing else. What needs a running assistant (a call's messages, the queue, a takeover) is
in tests/browser/test_console.py and tests/browser/test_takeover.py; every route with every role is
tests/bot/test_roles_walk.py."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bot.staff import accounts, audit, migrations, records
from testing.app_process import serving
from testing.staff import session_headers

SERVE = """
from sanic import Sanic
from bot.web import access
from bot.web.console import server
from bot.web.staff import server as staff
async def on_new_message(message):
    raise RuntimeError("no assistant here")
app = Sanic("console_test")
app.ctx.agent = None
access.install(app)
app.blueprint(server.blueprint(on_new_message))
app.blueprint(staff.blueprint())
app.run(host="127.0.0.1", port={port}, access_log=False, motd=False)
"""
SESSIONS: dict[str, dict] = {}
WANG, LI, CHIEF = "wang", "li", "chief"


@pytest.fixture(scope="module")
def server(tmp_path_factory, policy_store):
    db = tmp_path_factory.mktemp("records") / "records.db"
    book = migrations.open_records(db)
    for login, display, role in ((WANG, "王工", accounts.OPERATOR), (LI, "李工", accounts.OPERATOR),
                                 (CHIEF, "张主管", accounts.SUPERVISOR)):
        book.execute("insert into accounts (login, display, role, password_hash, created, created_by) "
                     "values (?, ?, ?, 'not-a-hash', '2024-01-01T00:00:00+08:00', 'test')", [login, display, role])
        SESSIONS[login] = session_headers(book, login)
    filed = records.save(records.fill(policy_store, "call-1", "call", "王工", [],
                                      {"industry": "餐饮业", "employees": 12}, account=WANG), book)
    with serving(lambda port: ["-c", SERVE.format(port=port)], {"HUIQI_RECORDS_DB": str(db)},
                 ready="/staff/signin") as url:
        yield url, filed, book


def call(url: str, path: str, method: str = "GET", body=None, who: str | None = WANG, token: str | None = None):
    headers = {"Content-Type": "application/json", **(SESSIONS[who] if who else {})}
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
    ("GET", "/console/api/session"), ("POST", "/console/api/message"), ("GET", "/console/api/history"),
    ("GET", "/console/api/state"), ("GET", "/console/api/queue"), ("POST", "/console/api/takeover/take"),
    ("GET", "/console/api/records"), ("POST", "/console/api/records"), ("GET", "/console/api/records/0123456789ab"),
    ("PUT", "/console/api/records/0123456789ab"), ("DELETE", "/console/api/anything"),
])
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_endpoint_refuses_a_request_without_a_session(server, method, path, token):
    url, _, _ = server
    status, body, headers = call(url, path, method, {} if method in ("POST", "PUT") else None, who=None, token=token)
    assert status == 401 and json.loads(body) == {"error": "请先登录。"}
    assert headers["WWW-Authenticate"] == 'Bearer realm="console"'


def test_the_page_sends_a_stranger_to_sign_in_is_never_framed_and_its_server_code_is_not_served(server):
    url, _, _ = server
    request = urllib.request.Request(url + "/console/")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as sent:
        opener.open(request, timeout=30)
    assert sent.value.code == 303 and sent.value.headers["Location"] == "/staff/signin?next=/console/"
    status, page, headers = call(url, "/console/")
    assert status == 200 and "<html" in page and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert call(url, "/console/server.py", who=None)[0] == 404
    assert call(url, "/console/panel.py", who=None)[0] == 404


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_signed_in_unknown_addresses_and_steps_are_a_chinese_404(server):
    url, _, _ = server
    status, body, _ = call(url, "/console/api/session")
    assert status == 200 and json.loads(body) == {"ok": True}
    status, body, _ = call(url, "/console/api/nothing/here", "PATCH")
    assert status == 404 and json.loads(body) == {"error": "未找到"}
    status, body, _ = call(url, "/console/api/takeover/steal", "POST", {"sender": "owner-1"})
    assert status == 404 and json.loads(body) == {"error": "未找到"}
    status, body, _ = call(url, "/console/api/takeover/take", "POST", {"sender": "../x"})
    assert status == 400 and json.loads(body) == {"error": "sender 无效"}
    status, body, _ = call(url, "/console/api/records", "POST", {"sender": "owner-1"})
    assert status == 400 and json.loads(body) == {"error": "sender 无效（应为 call-…）"}
    status, body, _ = call(url, "/console/api/history?sender=call-1")  # an id in the address opens nothing
    assert status == 400 and json.loads(body) == {"error": "sender 无效"}


def test_an_operator_finds_opens_exports_and_edits_their_own_records_and_each_is_audited(server):
    url, filed, book = server
    status, body, _ = call(url, "/console/api/records?q=" + urllib.parse.quote("王工"))
    assert status == 200 and [line["id"] for line in json.loads(body)] == [filed.id]
    status, body, headers = call(url, f"/console/api/records/{filed.id}.json")
    opened = json.loads(body)
    assert status == 200 and opened["id"] == filed.id and opened["rows"] and opened["account"] == WANG
    assert opened["print_url"] == f"/console/api/records/{filed.id}.html"
    assert headers["Content-Disposition"] == f'attachment; filename="{filed.id}.json"'
    status, text, _ = call(url, f"/console/api/records/{filed.id}.txt")
    assert status == 200 and "王工" in text
    status, body, _ = call(url, f"/console/api/records/{filed.id}", "PUT", {"caller": "张经理"})
    assert status == 200 and json.loads(body)["caller"] == "张经理"
    status, body, _ = call(url, f"/console/api/records/{filed.id}", "PUT", {"sme_class": "大型企业"})
    assert status == 400 and json.loads(body) == {"error": "“sme_class”不能修改"}
    assert call(url, "/console/api/records/ffffffffffff.json")[0] == 404
    lines = [(line["action"], line["detail"]) for line in audit.find(book, audit.Filter(record=filed.id))]
    assert lines[:3] == [("record_edit", "caller"), ("record_export", "txt"), ("record_export", "json")]


def test_another_operator_gets_neither_the_record_nor_its_line_and_a_supervisor_gets_both(server):
    url, filed, _ = server
    assert json.loads(call(url, "/console/api/records?q=", who=LI)[1]) == []
    for path, method, body in ((f"/console/api/records/{filed.id}.json", "GET", None),
                               (f"/console/api/records/{filed.id}.html", "GET", None),
                               (f"/console/api/records/{filed.id}", "PUT", {"notes": "改一下"})):
        status, text, _ = call(url, path, method, body, who=LI)
        assert status == 403 and "不是您经办的" in text
    assert [line["id"] for line in json.loads(call(url, "/console/api/records?q=", who=CHIEF)[1])] == [filed.id]
    assert call(url, f"/console/api/records/{filed.id}.json", who=CHIEF)[0] == 200


def test_the_printable_page_opens_in_the_session_and_with_nothing_else(server):
    url, filed, _ = server
    status, page, _ = call(url, f"/console/api/records/{filed.id}.html")
    assert status == 200 and "王工" in page
    for key in ("0" * 32, "", urllib.parse.quote("令牌")):
        assert call(url, f"/console/api/records/{filed.id}.html?key={key}", who=None)[0] == 401
