"""Two of the patches (bot/rasa_patches.py) keep Rasa's behaviour: the same verdicts on action-server replies, and
the same requests over one kept connection, with nothing left open when the server stops."""

import asyncio
import copy
from datetime import datetime

import pytest
from aiohttp import web
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events as E
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches
from bot.rasa_patches import close_kept_sessions, kept_session, validate_action_result

SCHEMA = RemoteAction.action_response_format_spec()

EVERY_EVENT = [
    E.UserUttered("我们是饭店", {"name": "inform", "confidence": 0.9}, [{"entity": "industry", "value": "餐饮业"}]),
    E.ActionExecuted("profile_form"), E.ActionExecutionRejected("profile_form"), E.ActiveLoop("profile_form"),
    E.AgentUttered("好"), E.BotUttered("企业现在有多少员工？", {"custom": {"type": "ask", "fact": "employees"}}),
    E.ReminderCancelled("r"), E.EntitiesAdded([{"entity": "industry", "value": "餐饮业"}]), E.StoryExported(),
    E.FollowupAction("action_show_result"), E.LegacyForm("f"), E.LegacyFormValidation(True),
    E.LoopInterrupted(True), E.ConversationPaused(), E.ReminderScheduled("greet", datetime(2020, 3, 1)),
    E.AllSlotsReset(), E.Restarted(), E.ConversationResumed(), E.UserUtteranceReverted(), E.SessionStarted(),
    E.SlotSet("employees", 12), E.ActionReverted(), E.DefinePrevUserUtteredFeaturization(False),
]


def _replies():
    """Valid replies of every event type, and broken ones each way an event or the reply can break."""
    good = [{"events": [event.as_dict()], "responses": [{"text": "好"}]} for event in EVERY_EVENT]
    bad = []
    for reply in good:
        event = reply["events"][0]
        bad.append({**reply, "events": [{**event, "event": "no_such_event"}]})
        bad.append({**reply, "events": [{k: v for k, v in event.items() if k != "event"}]})
        bad.append({**reply, "events": [{**event, "timestamp": "yesterday"}]})
    bad += [
        {"events": [{"event": "slot", "name": 5, "value": 1}]},
        {"events": [{"event": "action", "name": ["x"]}]},
        {"events": [{"event": "user", "text": 12}]},
        {"events": [{"event": "active_loop", "name": {"x": 1}}]},
        {"events": "not a list"},
        {"events": ["not an object"]},
        {"responses": "not a list"},
    ]
    return good + bad


@pytest.mark.parametrize("reply", _replies())
def test_every_reply_gets_rasas_own_verdict(reply):
    try:
        validate(reply, SCHEMA)
        rasa_says_valid = True
    except ValidationError:
        rasa_says_valid = False
    if rasa_says_valid:
        assert validate_action_result(RemoteAction("x", None), copy.deepcopy(reply)) is True
    else:
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            validate_action_result(RemoteAction("x", None), copy.deepcopy(reply))


def test_the_samples_hold_a_valid_reply_of_every_event_type():
    for event in EVERY_EVENT:
        validate({"events": [event.as_dict()]}, SCHEMA)
    assert len({event.type_name for event in EVERY_EVENT}) == len(rasa_patches.response_validator().by_event)


async def _action_server(peers: list):
    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"events": [], "responses": [{"text": (await request.json())["next_action"]}],
                                  "token": request.query.get("token")})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}/webhook"


def test_calls_to_the_action_server_share_one_connection_and_close_on_stop(monkeypatch):
    monkeypatch.setattr(EndpointConfig, "session", kept_session)

    async def scenario():
        peers: list = []
        runner, url = await _action_server(peers)
        endpoint = EndpointConfig(url=url, token="secret")
        try:
            replies = [await endpoint.request(json={"next_action": f"action_{i}"}) for i in range(3)]
            session = endpoint.kept_session
            assert not session.closed
            await close_kept_sessions()
            assert session.closed
        finally:
            await runner.cleanup()
        return replies, peers

    replies, peers = asyncio.run(scenario())
    assert [r["responses"][0]["text"] for r in replies] == ["action_0", "action_1", "action_2"]
    assert {r["token"] for r in replies} == {"secret"}  # the endpoint's parameters still go with every call
    assert len(peers) == 3 and len(set(peers)) == 1


def test_a_new_event_loop_gets_a_new_session(monkeypatch):
    monkeypatch.setattr(EndpointConfig, "session", kept_session)
    endpoint = EndpointConfig(url="http://127.0.0.1:1/webhook")

    async def borrow():
        async with endpoint.session() as session:
            return session

    first = asyncio.run(borrow())
    second = asyncio.run(borrow())
    assert first is not second
    asyncio.run(close_kept_sessions())
