"""The hotline console's endpoints against the real servers, without a browser (docs/contract.md E7): an owner asks
for a person, an operator takes the chat over, replies, corrects a fact and gives it back, and the assistant goes on
with the corrected fact; a phone call typed in the console keeps its own conversation, panel and record. The same
steps in a real browser are tests/browser/test_takeover.py and test_console.py (skipped where Chromium is missing)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from bot.staff.access import operator_token
from policy_db import evaluate, store as policy_db_store
from testing.rest import Conversation
from testing.staff import SENDER_HEADER, StaffSession, make_staff

OPERATOR = "王工"
COLLEAGUE = "李工"
OPENING = "我们是饭店，12个人，去年营收180万，受疫情影响挺大"
REPLY = "您好，我是人工客服。请问去年的营业收入准确是多少？"
OWNER_ANSWER = "我刚核对了，去年营收其实只有80万"
TICKED = "给员工缴纳了失业保险，租的是国有企业的经营性房产"


@pytest.fixture(scope="module")
def operator(assistant) -> StaffSession:
    """An operator signed in as the console page signs in (§E14): the session cookie, the CSRF token on changes."""
    return StaffSession(assistant.url, make_staff("operator", OPERATOR))


@pytest.fixture(scope="module")
def colleague(assistant) -> StaffSession:
    return StaffSession(assistant.url, make_staff("operator", COLLEAGUE))


@pytest.fixture(scope="module")
def token_call(assistant):
    """The automation token's calls (§E7: admitted by session, message, state and queue only)."""
    token = operator_token()  # the server's: the same variable or file (it made the file when it started)

    def call(path: str, body=None, sender: str | None = None):
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}",
                   **({SENDER_HEADER: sender} if sender else {})}
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(assistant.url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    return call


def _unsigned(assistant, path: str) -> int:
    """The status of a GET with no session: what a stranger's browser gets."""
    try:
        with urllib.request.urlopen(assistant.url + path, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def test_an_operator_takes_a_chat_over_corrects_a_fact_and_gives_it_back(assistant, operator, colleague):
    words = policy_db_store.load().words.pages
    owner = Conversation.started(assistant.url)
    owner.say(OPENING)
    handoff = owner.payloads(owner.say("转人工"), "handoff")
    assert handoff, owner.dump()

    status, queue = operator.call("/console/api/queue")
    waiting = [entry for entry in queue if entry["sender"] == owner.sender]
    assert status == 200 and waiting and waiting[0]["status"] == "waiting"

    status, state = operator.call("/console/api/takeover/take", {"sender": owner.sender})
    assert status == 200 and state["standing"]["status"] == "taken" and state["standing"]["operator"] == OPERATOR
    assert {f["name"]: f["value"] for f in state["facts"]}["revenue"] == "1,800,000元（180万元）"
    status, again = colleague.call("/console/api/takeover/take", {"sender": owner.sender})
    assert status == 409 and again["error"] == f"该对话已由{OPERATOR}接入"

    assert operator.call("/console/api/takeover/reply", {"sender": owner.sender, "text": REPLY})[0] == 200
    seen = owner.history()
    assert {"from": "notice", "event": "joined", "operator": OPERATOR,
            "text": words["operator_joined"].format(operator=OPERATOR)}.items() <= seen[-2].items()
    assert seen[-1]["from"] == "operator" and seen[-1]["text"] == REPLY

    assert owner.say(OWNER_ANSWER) == []  # the assistant says nothing while a person is there
    status, corrected = operator.call("/console/api/takeover/fact", {"sender": owner.sender, "fact": "revenue",
                                                                     "value": "80万"})
    assert status == 200 and "上年度营业收入：1,800,000元（180万元） → 800,000元（80万元）" in corrected["said"]
    assert corrected["result"]["enterprise"]["facts"]["revenue"] == 800_000
    assert owner.history()[-2]["text"] == corrected["said"]

    status, released = operator.call("/console/api/takeover/release", {"sender": owner.sender})
    record = released["record"]
    assert status == 200 and released["standing"]["status"] == "released"
    assert record["kind"] == "chat" and record["sender"] == owner.sender and record["facts"]["revenue"] == 800_000
    assert OWNER_ANSWER in record["caller_said"]
    status, page = operator.call(record["print_url"])  # a new tab of the same browser: the session's cookie
    assert status == 200 and "<html" in page and OWNER_ANSWER in page
    assert _unsigned(assistant, record["print_url"]) == 401
    assert owner.sender not in {entry["sender"] for entry in operator.call("/console/api/queue")[1]}

    owner.say("汇总一下")
    facts = owner.last_result()["enterprise"]["facts"]
    assert facts["revenue"] == 800_000 and facts["employees"] == 12
    assert owner.last_result()["enterprise"]["sme_class"] == evaluate(facts, store=policy_db_store.load()).sme_class


def test_a_phone_call_keeps_its_own_conversation_panel_and_record(assistant, operator, colleague):
    call = f"call-{uuid.uuid4().hex[:10]}"
    status, replies = operator.call("/console/api/message", {"sender": call, "message": OPENING})
    assert status == 200 and replies and all(r["recipient_id"] == call for r in replies)
    status, state = operator.call("/console/api/state", sender=call)
    assert status == 200 and state["sender"] == call and state["standing"] is None
    assert {f["name"] for f in state["facts"]} >= {"industry", "employees", "revenue", "affected"}
    assert state["sme_class"]["value"] == "small" and state["ask"]["multi"] and state["next"] is None  # the checklist
    assert operator.call("/console/api/message", {"sender": call, "message": TICKED})[0] == 200
    status, state = operator.call("/console/api/state", sender=call)
    assert {"insured", "rents_soe_property"} <= {f["name"] for f in state["facts"]}
    assert state["next"]["fact"] == state["ask"]["fact"] and state["next"]["why"], state["ask"]
    status, said = operator.call("/console/api/history", sender=call)
    assert status == 200 and said[0] == {"from": "user", "text": OPENING, "time": said[0]["time"]}
    assert operator.call("/console/api/takeover/take", {"sender": call}) == (400, {"error": "电话来电无需接入"})

    status, record = operator.call("/console/api/records", {"sender": call})
    assert status == 200 and record["kind"] == "call" and record["caller_said"] == [OPENING, TICKED]
    status, found = operator.call("/console/api/records?q=" + urllib.parse.quote(call))
    assert status == 200 and [line["id"] for line in found] == [record["id"]]
    status, edited = operator.call(f"/console/api/records/{record['id']}", {"caller": "张经理"}, method="PUT")
    assert status == 200 and edited["caller"] == "张经理"
    assert _unsigned(assistant, f"/console/api/records/{record['id']}.json") == 401
    assert colleague.call(f"/console/api/records/{record['id']}.json")[0] in (403, 404)  # another operator's record


def test_the_automation_token_reads_the_queue_and_a_call_s_panel_but_takes_nothing_over(token_call):
    call = f"call-{uuid.uuid4().hex[:10]}"
    assert token_call("/console/api/message", {"sender": call, "message": OPENING})[0] == 200
    status, state = token_call("/console/api/state", sender=call)
    assert status == 200 and state["sender"] == call
    assert token_call("/console/api/queue")[0] == 200
    assert token_call("/console/api/takeover/take", {"sender": call})[0] == 403
    assert token_call("/console/api/records", {"sender": call})[0] == 403
