"""政策找企业 over real HTTP (tests/bot/staff_app.py: the pages and access middleware as the Rasa server mounts them,
with Rasa's SQL tracker store on a file this test fills): a notice published through the workbench's API puts the
consenting enterprises it newly qualifies on the console's 回访 list, with the measure's amount and clause; nobody
who did not agree is listed or told; an owner back in the chat reads it first, once; an operator marks a task
done under their account; retention removes the tasks with the conversations and records."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops import retention
from bot.staff import accounts, audit, migrations, records
from bot.web.chat.conversations import SECRET_HEADER, SENDER_HEADER, secret_of
from policy_db import store, version_table, workbench
from testing.app_process import serving, staff_app
from testing.staff import create_accounts, session_headers
from tests.workbench.conftest import NOTICE, SMALL, completed
from tests.workbench.test_workbench_api import _record

KEY = "outreach-test-conversation-key"
EDITOR, OPERATOR = "editor-9", "operator-9"
AGREED, DECLINED, NEVER_ASKED = "owner-" + "a" * 24, "owner-" + "b" * 24, "owner-" + "c" * 24
RENT_NOTICE = NOTICE.replace("对列入试点示范名单的中小企业", "对中小企业")
PILOT = "pilot7-1"
ROOT_DOMAIN = Domain.load(str(Path(__file__).parents[2] / "domain.yml"))


def rent_subsidy(store_now) -> dict:
    """The made-up notice's subsidy for every SME (no new fact): the rent a profile already gave decides it."""
    doc = completed(workbench.draft_from_text(RENT_NOTICE, store_now)["document"])
    doc["facts"] = {}
    measure = doc["measures"][0]
    measure["conditions"] = measure["conditions"][:1]
    measure["summary"] = "中小企业按每月房租的10%给予试点示范补贴，最高5万元。"
    measure["excerpt"] = "对中小企业,按每月房租的10%给予试点示范补贴,最高5万元"
    small, large = doc["cases"][0], doc["cases"][2]
    for case in (small, large):
        case["facts"].pop("on_pilot_list")
    large["expect"]["measures"][PILOT].pop("why_contains")
    doc["cases"] = [small, large]
    return doc


def _conversation(sender: str, consent: bool | None) -> DialogueStateTracker:
    facts = {**SMALL, "affected": True, "monthly_rent": 8000}
    events = [ActionExecuted("action_listen"), UserUttered("我们是饭店，20个人，去年营收300万，房租每月8000")]
    events += [SlotSet(name, value) for name, value in facts.items()]
    if consent is not None:
        events.append(SlotSet("contact_consent", consent))
    return DialogueStateTracker.from_events(sender, events, ROOT_DOMAIN.slots)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outreach")
    versions, filed, conversations = folder / "versions", folder / "records.db", folder / "conversations.db"
    db = migrations.open_records(filed)
    rent = {**SMALL, "affected": True, "monthly_rent": 6000}
    records.save(dataclasses.replace(_record("call-00000000000a", rent), contact_consent=True, caller="赵老板"), db)
    records.save(_record("call-00000000000b", rent), db)  # the caller did not agree
    create_accounts(db, (EDITOR, "周编辑", accounts.POLICY_EDITOR, "editor password 9"),
                    (OPERATOR, "王工", accounts.OPERATOR, "operator password 9"))
    trackers = SQLTrackerStore(ROOT_DOMAIN, dialect="sqlite", db=str(conversations))
    for sender, consent in ((AGREED, True), (DECLINED, False), (NEVER_ASKED, None)):
        asyncio.run(trackers.save(_conversation(sender, consent)))
    env = {"POLICY_VERSIONS": str(versions), "HUIQI_RECORDS_DB": str(filed), "HUIQI_CONVERSATION_KEY": KEY,
           "HUIQI_TEST_TRACKER_DB": str(conversations), "HUIQI_TRAINER_DB": str(folder / "trainer.db")}
    with serving(staff_app, env) as url:
        store.watch_versions(versions, interval=0)
        try:
            yield url, db, trackers, folder
        finally:
            store.watch_versions(version_table.VERSIONS_DIR)


def call(server, path: str, body=None, who: str | None = None, headers: dict | None = None):
    url, db = server[0], server[1]
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url + path, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json",
                                              **(session_headers(db, who) if who else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=300) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def owner(sender: str) -> dict:
    return {SENDER_HEADER: sender, SECRET_HEADER: secret_of(sender, KEY)}


def test_the_preview_judges_the_consenting_chats_and_records_before_anything_is_published(server):
    status, preview = call(server, "/workbench/api/preview", {"document": rent_subsidy(store.load()), "simulated": 5},
                           who=EDITOR)
    assert status == 200 and preview["profiles"] == {"case": 2, "record": 2, "chat": 1, "simulated": 5}
    [measure] = preview["measures"]
    assert measure["newly_eligible"]["count"] >= 4  # the small case, both records, the chat that agreed


@pytest.fixture(scope="module")
def published(server):
    status, body = call(server, "/workbench/api/publish",
                        {"document": rent_subsidy(store.load()), "effective": dt.date.today().isoformat()},
                        who=EDITOR)
    assert status == 200, body
    return body


def test_publishing_lists_the_consenting_enterprises_it_newly_qualifies_and_no_one_else(server, published):
    assert published["outreach"] == {"filed": 2}
    assert "2 条回访任务" in published["message"]
    status, tasks = call(server, "/console/api/outreach", who=OPERATOR)
    assert status == 200
    assert sorted((t["source"], t["key"], t["measure"], t["amount_yuan"]) for t in tasks) == [
        ("chat", AGREED, PILOT, 800.0), ("record", "00000000000a", PILOT, 600.0)]
    chat = next(t for t in tasks if t["source"] == "chat")
    assert "试点示范补贴" in chat["line"] and "800元" in chat["line"] and "8000 × 10%" in chat["line"]
    assert "某省测试厅" in chat["line"] and "依据" in chat["line"]
    assert next(t for t in tasks if t["source"] == "record")["label"] == "工单 00000000000a（赵老板）"


def test_the_list_is_for_the_desk_not_for_a_policy_editor_or_anyone(server, published):
    assert call(server, "/console/api/outreach", who=EDITOR)[0] == 403
    assert call(server, "/console/api/outreach")[0] in (401, 403)


def test_an_owner_who_agreed_reads_the_new_measure_first_and_once(server, published):
    status, news = call(server, "/chat/news", {}, headers=owner(AGREED))
    assert status == 200 and len(news) == 1
    text = news[0]["text"]
    assert text.startswith("欢迎回来！") and "1项新适用于您的企业" in text and "800元" in text
    status, history = call(server, "/chat/history", headers=owner(AGREED))
    assert status == 200 and history[-1]["text"] == text  # kept in the conversation, as the assistant's
    assert call(server, "/chat/news", {}, headers=owner(AGREED)) == (200, [])


def test_an_owner_who_did_not_agree_is_told_nothing(server, published):
    for sender in (DECLINED, NEVER_ASKED):
        assert call(server, "/chat/news", {}, headers=owner(sender)) == (200, [])
    assert call(server, "/chat/news", {}, headers={SENDER_HEADER: AGREED})[0] == 403  # not without its secret


def test_an_operator_marks_a_task_done_under_their_account(server, published):
    tasks = call(server, "/console/api/outreach", who=OPERATOR)[1]
    record_task = next(t for t in tasks if t["source"] == "record")
    status, done = call(server, f"/console/api/outreach/{record_task['id']}", {}, who=OPERATOR)
    assert status == 200 and (done["status"], done["done_by"]) == ("done", OPERATOR)
    assert [t["key"] for t in call(server, "/console/api/outreach", who=OPERATOR)[1]] == [AGREED]
    assert call(server, f"/console/api/outreach/{record_task['id']}", {}, who=OPERATOR)[0] == 404
    [line] = audit.find(server[1], audit.Filter(action="outreach_done"))
    assert (line["login"], line["record"], line["detail"]) == (OPERATOR, "00000000000a", f"1 {PILOT}")


def test_retention_removes_the_tasks_with_their_conversations_and_records(server, published):
    folder = server[3]
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{folder / "conversations.db"}"\n',
                         encoding="utf-8")
    removed = retention.run(-1, endpoints, folder / "records.db", dry_run=False)
    tasks = next(r for r in removed if r.where == "outreach")
    assert (tasks.conversations, tasks.rows) == (2, 2)
    assert call(server, "/console/api/outreach", who=OPERATOR) == (200, [])
