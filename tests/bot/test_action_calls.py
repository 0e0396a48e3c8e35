"""What an action call carries (bot/rasa_patches.py): the events of the last two turns, which hold everything the
actions read of the events, and the rest of the state as Rasa sends it, as JSON that parses to the same values."""

import asyncio
import json

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, LoopInterrupted, SessionStarted,
                                     SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import store_access
from actions.forms import _activated_now, _runs_on_the_users_message, _said_since_the_user_spoke
from actions.handoff import ActionFallback
from bot.rasa_patches import action_call, compact_json, recent_events

from tests.bot.test_tracker_cache import ROOT


def said(text, intent="inform", channel="rest"):
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text}
    return [ActionExecuted("action_listen"), UserUttered(text, parse["intent"], [], parse, input_channel=channel)]


def conversation() -> list:
    """An interview with what the readers look for: a form activated and validated, a question asked mid-form (an
    interruption), two misunderstood messages in a row, and the form resumed."""
    return [
        ActionExecuted("action_session_start"), SessionStarted(),
        *said("你好", "greet"), ActionExecuted("action_greet"), BotUttered("您好！"),
        *said("我们是开超市的"), ActionExecuted("profile_form"), ActiveLoop("profile_form"),
        SlotSet("industry", "零售业"), SlotSet("requested_slot", "employees"), BotUttered("企业现在有多少员工？"),
        *said("十五个人"), ActionExecuted("profile_form"), SlotSet("employees", 15),
        SlotSet("requested_slot", "revenue"), BotUttered("去年营收多少？"),
        *said("房租能减免吗", "ask_policy"), ActionExecuted("profile_form"), LoopInterrupted(True),
        ActionExecuted("action_answer_if_about_policy"), BotUttered("房租……"), ActionExecuted("profile_form"),
        SlotSet("requested_slot", "revenue"), BotUttered("去年营收多少？"),
        *said("嗯嗯啊啊", "nlu_fallback"), ActionExecuted("action_fallback"), BotUttered("抱歉，我没太明白。"),
        *said("哦哦哦", "nlu_fallback", channel="console"),
        ActionExecuted("action_fallback"), BotUttered("转人工"),
        *said("四百万"), ActionExecuted("profile_form"), SlotSet("revenue", 4_000_000), SlotSet("affected", True),
        ActiveLoop(None), SlotSet("requested_slot", None), ActionExecuted("action_show_result"),
        BotUttered(data={"custom": {"type": "result"}}),
        *said("谢谢", "thanks"), ActionExecuted("utter_thanks"), BotUttered("不客气"),
    ]


def sdk_events(events) -> list:
    return [event.as_dict() for event in events]


def readings(events: list) -> dict:
    """Everything the actions and rasa_sdk read of the events."""
    sdk = Tracker("owner", {}, {}, events, False, None, {}, None)
    return {"runs on the user's message": _runs_on_the_users_message(events),
            "said since the user spoke": _said_since_the_user_spoke(events),
            "form activated now": _activated_now(events, "profile_form"),
            "last two intents": [e.get("parse_data", {}).get("intent", {}).get("name")
                                 for e in events if e.get("event") == "user"][-2:],
            "slots to validate": sdk.slots_to_validate(),
            "latest input channel": sdk.get_latest_input_channel()}


def test_at_every_point_of_the_conversation_the_last_two_turns_read_as_every_event():
    events = conversation()
    for end in range(1, len(events) + 1):
        full = sdk_events(events[:end])
        sent = sdk_events(recent_events(events[:end]))
        assert full[-len(sent):] == sent
        assert readings(sent) == readings(full), end


def test_a_long_conversation_sends_a_fraction_of_its_events():
    events = conversation() * 3
    assert len(recent_events(events)) == 13  # the turns of 四百万 and 谢谢, each from the listen before it
    assert recent_events(events[:4]) == events[:4]


@pytest.mark.parametrize("misunderstood", [1, 2])
def test_the_fallback_answers_the_same_from_the_last_two_turns(policy_store, misunderstood):
    store_access.use(policy_store)
    try:
        events = conversation()
        end = max(i for i, e in enumerate(events) if isinstance(e, UserUttered) and e.intent_name == "nlu_fallback")
        if misunderstood == 1:
            end = [i for i, e in enumerate(events) if isinstance(e, UserUttered)
                   and e.intent_name == "nlu_fallback"][0]
        events = events[:end + 1]
        answers = []
        for sent in (events, recent_events(events)):
            dispatcher = CollectingDispatcher()
            tracker = Tracker("owner", {}, sent[-1].parse_data, sdk_events(sent), False, None, {}, "action_listen")
            asyncio.run(ActionFallback().run(dispatcher, tracker, {}))
            answers.append(dispatcher.messages)
        assert answers[0] == answers[1] and answers[0]
    finally:
        store_access.use(None)


def test_the_call_is_rasas_own_but_for_the_events():
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("owner", conversation() * 2, domain.slots)
    action = RemoteAction("validate_profile_form", EndpointConfig("http://127.0.0.1:1/webhook",
                                                                   enable_selective_domain=True))
    ours, rasas = action_call(action, tracker, domain), RemoteAction._action_call_format(action, tracker, domain)
    sent, every = ours["tracker"].pop("events"), rasas["tracker"].pop("events")
    assert ours == rasas  # slots, latest message, active loop, the domain for a validate_ action …
    assert every[-len(sent):] == sent and len(sent) < len(every) / 4


def test_the_json_sent_parses_to_what_rasa_would_have_sent():
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("owner", conversation(), domain.slots)
    call = RemoteAction._action_call_format(RemoteAction("action_show_result", None), tracker, domain)
    call["tracker"]["slots"]["odd numbers"] = [0.1 + 0.2, 1 / 3, 1e300, -0.0, float("inf"), 2 ** 70]
    text = compact_json(call)
    assert json.loads(text) == json.loads(json.dumps(call)) == call
    assert "零售业" in text and len(text.encode()) < len(json.dumps(call).encode())
