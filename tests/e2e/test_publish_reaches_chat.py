"""A notice published through the workbench's API reaches the running assistant with no restart and no code change
(issue 22), on a private pair of the real servers with a versions folder and records of their own:

- owners finish an interview over REST and answer its last question (may the assistant tell them of new measures);
- a made-up notice with a new fact is published: a new owner's interview asks the new fact, the result gives the
  measure's amount, the Q&A answers from its clause;
- a made-up notice every SME qualifies for is published: the owner who agreed is on the console's 回访 list with the
  amount, the owner who declined is not;
- meanwhile the Rasa server retrains its NLU on the first notice's fact words and switches to the new model, which
  then reads the new fact said in passing ("已经列入了试点示范名单") while the old one answered throughout."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from bot.staff import accounts, migrations
from policy_db import store, workbench
from testing.rest import Conversation, payloads, texts
from testing.servers import assistant_in
from testing.staff import create_accounts, session_headers
from tests.workbench.conftest import NOTICE, completed
from tests.workbench.test_outreach import rent_subsidy

EDITOR, OPERATOR = "editor-e2e", "operator-e2e"
OPENING = "我们是开饭店的，20个人，去年营收300万，疫情影响挺大，房租每月8000"


@contextmanager
def environment(**values):
    """Both servers read these when they start (the action server has no environment of its own to pass)."""
    kept = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in kept.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    work = tmp_path_factory.mktemp("publishing")
    db = migrations.open_records(work / "records.db")
    create_accounts(db, (EDITOR, "周编辑", accounts.POLICY_EDITOR, "editor password 1"),
                    (OPERATOR, "王工", accounts.OPERATOR, "operator password 1"))
    with environment(POLICY_VERSIONS=str(work / "versions"), HUIQI_RECORDS_DB=str(work / "records.db"),
                     HUIQI_TRAINER_DB=str(work / "trainer.db"), HUIQI_RETRAIN_SECONDS="2"):
        with assistant_in(work, int(os.environ.get("E2E_PUBLISH_RASA_PORT", "5107")),
                          int(os.environ.get("E2E_PUBLISH_ACTION_PORT", "5157"))) as servers:
            yield servers.url, db, work


def staff_call(pair, path: str, body=None, who: str = EDITOR):
    url, db = pair[0], pair[1]
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url + path, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json", **session_headers(db, who)})
    try:
        with urllib.request.urlopen(request, timeout=300) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def interview(conversation: Conversation, opening: str, consent: str, holds: str = "") -> list:
    """Says the opening, answers what is asked (in a checklist, only the situation of the fact ``holds``; other
    facts "不清楚"; the last question ``consent``) and returns every reply."""
    replies = conversation.say(opening)
    seen = list(replies)
    for _ in range(15):
        asks = payloads(replies, "ask") + payloads(replies, "confirm") + payloads(replies, "consent")
        if not asks:
            return seen
        ask = asks[-1]
        offered = list(ask.get("facts") or [])
        checklist = str(offered.index(holds) + 1) if holds in offered else "都没有"
        answer = consent if ask["type"] == "consent" else checklist if ask.get("multi") else \
            "是的" if ask["type"] == "confirm" else "不清楚"
        replies = conversation.say(answer)
        seen += replies
    raise AssertionError("the interview did not end")


@pytest.fixture(scope="module")
def owners(pair):
    """Two owners who finished before anything was published: one agreed to be told, one declined."""
    agreed, declined = Conversation(pair[0]), Conversation(pair[0])
    said = interview(agreed, OPENING, "可以")
    assert "会在这里提醒您" in texts(said)
    assert "不会打扰您" in texts(interview(declined, OPENING, "不用了，谢谢"))
    return agreed, declined


def test_a_published_notice_is_asked_answered_and_computed_in_chat(pair, owners):
    pilot = completed(workbench.draft_from_text(NOTICE, store.load())["document"])
    status, body = staff_call(pair, "/workbench/api/publish", {"document": pilot, "note": "试点"})
    assert status == 200, body
    assert body["outreach"] == {"filed": 0}  # a new fact: nobody is known to qualify yet

    owner = Conversation(pair[0])
    said = interview(owner, OPENING, "不用了", holds="on_pilot_list")
    checklists = [p for p in payloads(said, "ask") if p.get("multi")]
    assert any("on_pilot_list" in p["facts"] for p in checklists), checklists
    result = payloads(said, "result")[-1]
    [pilot_line] = [m for m in result["measures"] if m["id"] == "pilot7-1"]
    assert pilot_line["status"] == "eligible" and pilot_line["amount_yuan"] == 800, owner.dump()[-3000:]
    answer = texts(Conversation(pair[0]).say("试点示范补贴按多少比例发"))
    assert "10%" in answer and "测试〔2020〕7号" in answer


def test_a_notice_every_sme_qualifies_for_reaches_the_owner_who_agreed_and_only_them(pair, owners):
    document = rent_subsidy(store.load())
    document["policy"]["id"] = "test-2020-rent9"
    document["measures"][0]["id"] = "rent9-1"
    for case in document["cases"]:
        case["expect"]["measures"] = {"rent9-1": case["expect"]["measures"]["pilot7-1"]}
    status, body = staff_call(pair, "/workbench/api/publish", {"document": document})
    assert status == 200, body
    assert body["outreach"] == {"filed": 1}
    status, tasks = staff_call(pair, "/console/api/outreach", who=OPERATOR)
    agreed, declined = owners
    assert status == 200 and [(t["key"], t["measure"], t["amount_yuan"]) for t in tasks] == [
        (agreed.sender, "rent9-1", 800.0)]
    assert "8000 × 10%" in tasks[0]["line"]


RETRAIN_WAIT = 1500  # seconds: assets, then `rasa train` (its cache keeps what did not change), then the switch


def test_the_nlu_learns_the_new_fact_words_in_the_background_and_switches(pair, owners):
    url, _, work = pair
    deadline = time.monotonic() + RETRAIN_WAIT
    log = work / "rasa.log"
    while "retrain: switched the NLU" not in (log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""):
        assert time.monotonic() < deadline, staff_call(pair, "/workbench/api/versions")[1]
        time.sleep(5)
    first = staff_call(pair, "/workbench/api/versions")[1]["versions"][0]
    assert not first["retrain_pending"] and first["retrained_model"].endswith("-v1.tar.gz")
    said = interview(Conversation(url), OPENING + "，我们已经列入了试点示范名单", "不用了")
    asked = [f for p in payloads(said, "ask") for f in (p.get("facts") or [p.get("fact")])]
    assert "on_pilot_list" not in asked, texts(said)
    [pilot_line] = [m for m in payloads(said, "result")[-1]["measures"] if m["id"] == "pilot7-1"]
    assert (pilot_line["status"], pilot_line["amount_yuan"]) == ("eligible", 800)
