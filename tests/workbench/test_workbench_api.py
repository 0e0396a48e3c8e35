"""The workbench's endpoints (bot/web/workbench/server.py, docs/contract.md E13) over real HTTP: the pages and the
access middleware as the Rasa server mounts them (tests/bot/staff_app.py, no model), in their own process, with
their own versions folder and call records, called by a signed-in policy editor. A made-up notice goes
draft → edit → check → preview → publish through the API alone, and this process's default store (as every server's)
then serves it: the interview asks its new fact, Q&A answers from its clause, the engine gives its amount, the
trainer offers it. Bad input gets a 400 in Chinese and changes nothing."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import urllib.error
import urllib.request

import pytest


from bot.staff import accounts, audit, migrations, records
from policy_db import evaluate, next_questions, qa, qa_reading, store, version_table
from simulator import cases as simulated, grading, statement_form
from testing.app_process import serving, staff_app
from testing.staff import create_accounts, session_headers
from tests.security.http_client import call as http_call
from tests.workbench.conftest import NOTICE, SMALL, completed
from tests.workbench.test_workbench_drafting import _numbered_docx

TOKEN = "workbench-test-token"
EDITOR, OPERATOR = "editor-1", "operator-1"
DAY = dt.date(2020, 4, 1)


def _record(sender: str, facts: dict) -> records.Record:
    return records.Record(id=sender[-12:], sender=sender, kind="call", operator="张三", started="2020-04-01T09:00:00",
                          ended="2020-04-01T09:05:00", as_of="2020-04-01", policy_version="", facts=facts,
                          sme_class="small", sme_rule="", asked=[], caller_said=[], answered=[], departments=[],
                          open_points=[], follow_up=False, caller="李老板")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workbench")
    versions, filed = folder / "versions", folder / "records.db"
    db = migrations.open_records(filed)
    records.save(_record("call-000000000001", {**SMALL, "affected": True, "monthly_rent": 6000}), db)
    create_accounts(db, (EDITOR, "周编辑", accounts.POLICY_EDITOR, "editor password 1"),
                    (OPERATOR, "王工", accounts.OPERATOR, "operator password 1"))
    env = {"HUIQI_OPERATOR_TOKEN": TOKEN, "POLICY_VERSIONS": str(versions), "HUIQI_RECORDS_DB": str(filed),
           "HUIQI_TRAINER_DB": str(folder / "trainer.db")}
    with serving(staff_app, env) as url:
        store.watch_versions(versions, interval=0)  # this process serves what the server publishes, as a server would
        try:
            yield url, versions, db
        finally:
            store.watch_versions(version_table.VERSIONS_DIR)


def _headers(db, who: str | None) -> dict:
    """A fresh session of the account ``who`` (its cookie and CSRF token), the automation token, or nobody."""
    if who is None:
        return {}
    if who == "token":
        return {"Authorization": f"Bearer {TOKEN}"}
    return session_headers(db, who)


def call(server, path: str, body=None, who: str | None = EDITOR, method: str | None = None):
    url, _, db = server
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url + path, data=data, method=method or ("POST" if data else "GET"),
                                     headers={"Content-Type": "application/json", **_headers(db, who)})
    try:
        with urllib.request.urlopen(request, timeout=300) as r:
            raw, status, headers = r.read(), r.status, r.headers
    except urllib.error.HTTPError as e:
        raw, status, headers = e.read(), e.code, e.headers
    try:
        return status, json.loads(raw), headers
    except ValueError:
        return status, raw.decode("utf-8", "replace"), headers


def test_the_workbench_is_for_signed_in_policy_editors_and_their_drafts_and_publishes_are_audited(server):
    anonymous = http_call(server[0], "GET", "/workbench/")
    assert (anonymous.status, anonymous.headers["location"]) == (303, "/staff/signin?next=/workbench/")
    status, page, headers = call(server, "/workbench/")
    assert status == 200 and "workbench.js" in page and headers["X-Frame-Options"] == "DENY"
    status, words, _ = call(server, "/workbench/api/words")
    assert status == 200 and words["page"]["title"] == "政策工作台" and words["checks"]["verbatim"]
    for path in ("/workbench/api/words", "/workbench/api/options", "/workbench/api/versions"):
        assert call(server, path, who=None)[0] == 401
        assert call(server, path, who="token")[0] == 403  # automation has no business here
        assert call(server, path, who=OPERATOR)[0] == 403
    assert call(server, "/workbench/api/draft", {"text": NOTICE}, who=None)[0] == 401
    assert call(server, "/workbench/server.py")[0] == 404
    assert call(server, "/workbench/api/nothing")[:2] == (404, {"error": "未找到"})
    _, _, db = server
    status, made, _ = call(server, "/workbench/api/draft", {"text": NOTICE})
    lines = audit.find(db, audit.Filter(login=EDITOR))
    assert status == 200 and lines[0]["action"] == "policy_draft" and lines[0]["display"] == "周编辑"
    assert lines[0]["detail"] == made["document"]["policy"]["title"]


def test_a_change_without_the_sessions_csrf_token_is_refused(server):
    url, _, db = server
    headers = {k: v for k, v in _headers(db, EDITOR).items() if k != "X-CSRF-Token"}
    request = urllib.request.Request(url + "/workbench/api/draft", data=json.dumps({"text": NOTICE}).encode(),
                                     headers={"Content-Type": "application/json", **headers})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 403


def test_the_forms_offer_the_stores_choices(server):
    status, options, _ = call(server, "/workbench/api/options")
    assert status == 200 and options["levels"] == ["市", "省", "国家"] and "山东省" in options["areas"]
    assert {k["name"] for k in options["kinds"]} >= {"benefit", "service", "lender_duty"}
    assert any(f["name"] == "monthly_rent" and f["type"] == "money" for f in options["facts"])
    assert "市财政局" in options["departments"] and options["versions"] == [] and options["served"] == 0


@pytest.mark.parametrize("body, error", [
    ({"text": ""}, "请提供文件原文（不超过200000字）"),
    ({"text": 5}, "请提供文件原文（不超过200000字）"),
    ({"docx": "bm90IGEgZG9jeA=="}, "无法读取这个 .docx 文件"),
    ({"docx": "%%%"}, "无法读取这个 .docx 文件"),
])
def test_a_draft_of_nothing_readable_is_refused_politely(server, body, error):
    assert call(server, "/workbench/api/draft", body)[:2] == (400, {"error": error, "problems": []})


def test_a_docx_is_drafted_like_text(server):
    status, made, _ = call(server, "/workbench/api/draft",
                           {"docx": base64.b64encode(_numbered_docx()).decode(), "name": "通知.docx"})
    assert status == 200 and [c["number"] for c in made["clauses"]] == ["（一）", "（二）", "二"]
    assert [f["kind"] for f in made["clauses"][0]["figures"]] == ["months"]


def test_a_fresh_draft_holds_every_section_the_page_fills_in_empty(server):
    status, made, _ = call(server, "/workbench/api/draft", {"text": NOTICE})
    document = made["document"]
    assert status == 200 and (document["parameters"], document["measures"], document["facts"], document["cases"]) \
        == ({}, [], {}, [])


@pytest.mark.parametrize("body", [{}, {"document": []}, {"document": {"measures": "x"}}])
def test_a_malformed_draft_is_told_so_and_nothing_is_published(server, body):
    status, reply, _ = call(server, "/workbench/api/publish", body)
    assert status == 400 and reply["error"]
    assert call(server, "/workbench/api/versions")[1]["versions"] == []


def test_a_notice_goes_from_text_to_served_measures_through_the_api_alone(server):
    status, made, _ = call(server, "/workbench/api/draft", {"text": NOTICE})
    assert status == 200 and made["document"]["policy"]["number"] == "测试〔2020〕7号"
    first = next(c for c in made["clauses"] if c["number"] == "一")
    assert [(f["kind"], f["text"]) for f in first["figures"]] == [
        ("period", "自2020年3月1日至8月31日"), ("percent", "10%"), ("amount", "最高5万元")]
    document = completed(made["document"])

    spoilt = {**document, "parameters": {**document["parameters"],
                                         "pilot_rate": {**document["parameters"]["pilot_rate"], "text": "15%"}}}
    status, checked, _ = call(server, "/workbench/api/check", {"document": spoilt})
    assert status == 200 and not checked["ok"]
    assert {"check": "parameters", "where": "pilot_rate",
            "message": "参数“pilot_rate”的原文“15%”不在它引用的条款（第一项）中。"} in checked["problems"]
    status, refused, _ = call(server, "/workbench/api/publish", {"document": spoilt})
    assert status == 400 and refused["problems"] and call(server, "/workbench/api/versions")[1]["versions"] == []

    assert call(server, "/workbench/api/check", {"document": document})[1] == {"ok": True, "problems": []}
    status, preview, _ = call(server, "/workbench/api/preview",
                              {"document": document, "simulated": 20, "as_of": "2020-04-01"})
    assert status == 200 and preview["profiles"] == {"case": 3, "simulated": 20, "record": 1}
    [measure] = preview["measures"]
    assert measure["id"] == "pilot7-1" and measure["new"] and measure["newly_eligible"]["count"] >= 1
    assert any(e["label"] == "工单 000000000001（李老板）" for e in measure["to_ask"]["examples"])

    assert PILOT_ID not in store.load().policies
    status, published, _ = call(server, "/workbench/api/publish",
                                {"document": document, "effective": dt.date.today().isoformat(), "note": "试点"})
    assert status == 200 and published["version"]["number"] == 1
    assert published["message"].startswith(f"已发布为第 1 版，{dt.date.today().isoformat()} 起生效。")
    assert published["outreach"] == {"filed": 0}  # its caller did not agree to be contacted
    assert published["retrain_pending"][0]["new_facts"] == {"on_pilot_list": ["试点示范名单", "示范名单", "列入试点"]}
    [line] = audit.find(server[2], audit.Filter(action="policy_publish"))
    assert (line["login"], line["detail"]) == (EDITOR, f"1 {PILOT_ID} {dt.date.today().isoformat()}")

    served = store.load()  # no restart: the next load serves the new version
    assert PILOT_ID in served.policies
    asked = {q.fact: q for q in next_questions(SMALL, store=served)}
    assert asked["on_pilot_list"].ask == "企业是否列入了试点示范名单？"
    answer = qa.answer(qa_reading.asked("试点示范补贴按多少比例发", served), served)
    assert "10%" in answer.text and "测试〔2020〕7号" in answer.text
    result = evaluate({**SMALL, "on_pilot_list": True, "monthly_rent": 8000}, DAY, store=served).result("pilot7-1")
    assert (result.status, result.amount_yuan) == ("eligible", 800.0)
    assert "pilot7-1" in {m["id"] for m in statement_form.options(served)["measures"]}
    owner = {**SMALL, "on_pilot_list": True, "monthly_rent": 8000}  # the trainer grades a statement about it
    key = grading.answer_key(owner, served, DAY)
    assert key.amounts["pilot7-1"] == 800 and grading.grade(owner, key, served, as_of=DAY).mistakes == ()
    doubled = dataclasses.replace(key, amounts={**key.amounts, "pilot7-1": 1600})
    [wrong] = grading.grade(owner, doubled, served, as_of=DAY).mistakes
    assert (wrong.measure, wrong.right) == ("pilot7-1", False) and wrong.clause.label.endswith("（测试〔2020〕7号）第一项")
    assert any("on_pilot_list" in c.facts for c in simulated.generate(served, 60))


PILOT_ID = "test-2020-pilot7"
