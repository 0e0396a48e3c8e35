"""The trainer's endpoints (bot/web/trainer/server.py, docs/contract.md E8) over real HTTP: a bare Sanic app serving
the trainer and the staff sign-in behind the access middleware, in its own process, with its own score book and
records database (the accounts). Bad input gets a 400 in Chinese and changes nothing; the case's true facts are
never sent before the round is graded; scores are kept under the signed-in trainee's login, who sees only their
own."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bot.staff import accounts, migrations
from policy_db import load
from simulator import cases
from testing.app_process import serving
from testing.staff import session_headers

SERVE = """
from sanic import Sanic
from bot.web import access
from bot.web.staff import server as staff
from bot.web.trainer import server as trainer
app = Sanic("trainer_test")
access.install(app)
app.blueprint(staff.blueprint())
app.blueprint(trainer.blueprint())
app.run(host="127.0.0.1", port={port}, access_log=False, motd=False)
"""
TRAINEE, OTHER, CHIEF = "trainee-api", "trainee-two", "chief"
_sessions: dict[str, dict] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("trainer")
    db = work / "trainer.db"
    records = migrations.open_records(work / "records.db")
    for login, role in ((TRAINEE, accounts.TRAINEE), (OTHER, accounts.TRAINEE), (CHIEF, accounts.SUPERVISOR)):
        records.execute("insert into accounts (login, display, role, password_hash, created, created_by) "
                        "values (?, ?, ?, 'not-a-hash', '2024-01-01T00:00:00+08:00', 'test')", [login, login, role])
        _sessions[login] = session_headers(records, login)
    with serving(lambda port: ["-c", SERVE.format(port=port)],
                 {"HUIQI_TRAINER_DB": str(db), "HUIQI_RECORDS_DB": str(work / "records.db")},
                 ready="/staff/signin") as url:
        yield url, db


def call(url: str, path: str, body=None, raw: bytes | None = None, who: str = TRAINEE):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url + path, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json", **_sessions.get(who, {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null"), dict(e.headers)


def attempts(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("select count(*) from attempts").fetchone()[0]


def test_the_form_options_come_from_the_store(server):
    url, _ = server
    status, options, headers = call(url, "/trainer/api/options")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    store = load()
    day = cases.as_of(store)
    held = [p for p in store.place_policies() if p.in_force_from <= day <= p.in_force_until]
    assert [m["id"] for m in options["measures"]] == [m.id for p in held for m in store.measures_here(p)]
    assert [d["id"] for d in options["documents"]] == [p.id for p in held] and len(held) > 1
    assert {"key": "lender_duty", "label": "可以向金融机构提出"} in options["kinds"]
    assert "市税务局" in options["departments"] and "财政部" not in options["departments"]
    assert {"key": "small", "label": "小型企业"} in options["classes"]
    assert "市人力资源社会保障局" in options["departments"]
    assert [s["label"] for s in options["statuses"]] == ["适用", "不适用", "还不能确定"]


def test_a_whole_round_opening_questions_grade_and_progress(server):
    url, db = server
    store = load()
    case = cases.case(store, 7)
    status, started, _ = call(url, "/trainer/api/round", {"name": "别人的名字", "seed": 7})
    assert status == 200 and started["opening"] == case.narrative and started["seed"] == 7
    assert started["trainee"] == TRAINEE  # the account's, whatever name the body gives
    assert "facts" not in json.dumps(started)  # nothing of the case but its opening
    status, answer, _ = call(url, "/trainer/api/ask", {"round": started["round"], "message": "有多少员工？"})
    assert status == 200 and answer["questions"] == 1 and answer["answer"]
    statement = {"sme_class": "small", "measures": {"1.1": "eligible"}, "amounts": {"1.1": 1}, "departments": []}
    status, sheet, _ = call(url, "/trainer/api/grade", {"round": started["round"], "statement": statement})
    assert status == 200 and sheet["questions"]["asked"] == 1 and sheet["total"] > sheet["right"]
    assert any(i["clause"] and i["explanation"] for i in sheet["items"] if not i["right"])
    assert {f["name"] for f in sheet["facts"]} == set(case.facts)   # the truth, once graded
    assert sheet["progress"]["attempts"][-1]["right"] == sheet["right"]
    status, again, _ = call(url, "/trainer/api/grade", {"round": started["round"], "statement": statement})
    assert status == 409 and again["error"] == "本案例已评分，请开始新的案例"
    status, progress, _ = call(url, "/trainer/api/progress")
    assert status == 200 and len(progress["attempts"]) == 1 and progress["names"]["1.1"] == "1.1 稳岗返还"


def test_a_trainee_sees_only_their_own_scores_and_rounds_and_a_supervisor_sees_anyones(server):
    url, _ = server
    _, started, _ = call(url, "/trainer/api/round", {"seed": 11})
    status, reply, _ = call(url, "/trainer/api/ask", {"round": started["round"], "message": "有多少员工？"}, who=OTHER)
    assert status == 404  # another trainee's round is as good as none
    call(url, "/trainer/api/grade", {"round": started["round"], "statement": {"sme_class": "micro"}})
    _, mine, _ = call(url, "/trainer/api/progress", who=OTHER)
    _, asked_for_theirs, _ = call(url, "/trainer/api/progress?name=" + TRAINEE, who=OTHER)
    assert mine["trainee"] == asked_for_theirs["trainee"] == OTHER
    _, theirs, _ = call(url, "/trainer/api/progress?name=" + TRAINEE, who=CHIEF)
    assert theirs["trainee"] == TRAINEE and theirs["attempts"]
    status, reply, _ = call(url, "/trainer/api/progress", who="nobody")
    assert status == 401


@pytest.mark.parametrize("path, body, message", [
    ("/trainer/api/round", {"name": "张三", "seed": "1; drop"}, "案例编号应为数字"),
    ("/trainer/api/round", {"name": "张三", "seed": 10**12}, "案例编号过大"),
    ("/trainer/api/round", ["张三"], "需要 JSON 对象"),
    ("/trainer/api/ask", {"round": "../../etc/passwd", "message": "几个人"}, "案例不存在或已过期，请开始新的案例"),
])
def test_bad_requests_are_refused_in_chinese_and_store_nothing(server, path, body, message):
    url, db = server
    before = attempts(db)
    status, reply, _ = call(url, path, body)
    assert status in (400, 404) and reply["error"] == message
    assert attempts(db) == before


def test_a_bad_question_or_statement_changes_nothing(server):
    url, db = server
    _, started, _ = call(url, "/trainer/api/round", {"name": "张三", "seed": 3})
    status, reply, _ = call(url, "/trainer/api/ask", {"round": started["round"], "message": "   "})
    assert status == 400 and reply["error"] == "请输入要问的问题"
    status, reply, _ = call(url, "/trainer/api/ask", {"round": started["round"], "message": "问" * 201})
    assert status == 400 and reply["error"] == "问题最多200个字"
    before = attempts(db)
    status, reply, _ = call(url, "/trainer/api/grade", {"round": started["round"],
                                                        "statement": {"measures": {"1.1": "yes"}}})
    assert status == 400 and reply["error"] == "措施或其判断无效" and attempts(db) == before
    status, reply, _ = call(url, "/trainer/api/grade", {"round": started["round"],
                                                        "statement": {"sme_class": "micro"}})
    assert status == 200 and attempts(db) == before + 1   # the round was still open: the good statement counts


def test_oversized_and_malformed_bodies(server):
    url, _ = server
    status, reply, _ = call(url, "/trainer/api/round", raw=b"{" + b" " * 20_000 + b"}")
    assert status == 413 and reply["error"] == "请求过大"
    status, reply, _ = call(url, "/trainer/api/round", raw=b"not json")
    assert status == 400
    status, reply, _ = call(url, "/trainer/api/progress?name=" + urllib.request.quote("a\nb"), who=CHIEF)
    assert status == 400 and reply["error"] == "姓名只能包含文字、字母、数字和间隔号"
    status, reply, _ = call(url, "/trainer/api/nothing")
    assert status == 404


def test_a_statement_of_every_document_with_kinds_is_graded_over_http(server):
    url, _ = server
    store = load()
    seed = next(n for n in range(1, 500) if "reaches:vat13-1" in cases.case(store, n).tags)
    _, started, _ = call(url, "/trainer/api/round", {"name": "接口测试员", "seed": seed})
    statement = {"sme_class": None, "measures": {"vat13-1": "eligible", "1.1": "eligible"},
                 "kinds": {"vat13-1": "lender_duty", "1.1": "benefit"}, "amounts": {}, "departments": ["市税务局"]}
    status, sheet, _ = call(url, "/trainer/api/grade", {"round": started["round"], "statement": statement})
    assert status == 200
    kind = next(i for i in sheet["items"] if i["kind"] == "kind" and i["key"] == "vat13-1")
    assert not kind["right"] and kind["expected"] == "可以享受" and kind["stated"] == "可以向金融机构提出"
    assert next(i for i in sheet["items"] if i["kind"] == "measure" and i["key"] == "vat13-1")["right"]
    _, progress, _ = call(url, "/trainer/api/progress")
    assert progress["names"]["vat13-1"] == store.find("vat13-1")[1].name
    assert "kind" in {k["key"] for k in progress["kinds"]}
    status, refused, _ = call(url, "/trainer/api/round", {"name": "接口测试员", "seed": seed})
    status, refused, _ = call(url, "/trainer/api/grade", {"round": refused["round"],
                                                           "statement": {"kinds": {"vat13-1": "gift"}}})
    assert status == 400 and refused == {"error": "措施类别无效"}
