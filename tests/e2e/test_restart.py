"""Conversations persist in the SQL tracker store: a restarted assistant still knows what it was told. A second
assistant on busy ports refuses to start instead of answering with the first one's servers."""

import pytest

from bot.ops.model import ensure
from bot.ops.serve import Assistant, write_endpoints
from tests.e2e.conftest import Conversation

PORTS = {"rasa_port": 5125, "action_port": 5175}


def test_a_restart_loses_no_conversation(tmp_path):
    endpoints = write_endpoints(tmp_path / "endpoints.yml", PORTS["action_port"], tmp_path / "conversations.db")
    first = Assistant(model=ensure(), endpoints=endpoints, log_dir=tmp_path, **PORTS).start()
    try:
        chat = Conversation(first.url, sender="restart-check")
        chat.say("我们是开超市的，十五个人，去年营收四百万，疫情影响很大")
    finally:
        first.stop()
    again = Assistant(model=ensure(), endpoints=endpoints, log_dir=tmp_path, **PORTS).start()
    try:
        text = Conversation.texts(Conversation(again.url, sender="restart-check").say("你都记了我们哪些情况"))
        assert "零售业" in text and "从业人员人数：15人" in text
    finally:
        again.stop()


def test_a_second_assistant_on_busy_ports_refuses_to_start(assistant, tmp_path):
    endpoints = write_endpoints(tmp_path / "endpoints.yml", assistant.action_port, tmp_path / "c.db")
    second = Assistant(model=ensure(), rasa_port=assistant.rasa_port, action_port=assistant.action_port,
                       endpoints=endpoints, log_dir=tmp_path)
    with pytest.raises(RuntimeError, match="已被占用"):
        second.start()
    assert second.processes == []
