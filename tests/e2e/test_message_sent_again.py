"""An owner whose reply was lost sends the message again with its id (contract §E11): the assistant answers it as it
did the first time and the conversation holds it once; other words under a used id, or no valid id, are new
messages."""

import threading
import uuid

import pytest

from tests.e2e.conftest import Conversation

OPENING = "我们是开超市的，十五个人，去年营收四百万"


@pytest.fixture
def conversation(assistant) -> Conversation:
    """One the server started, so its history can be read (docs/contract.md E14)."""
    return Conversation.started(assistant.url)


def _said_by_owner(conversation: Conversation) -> list:
    return [item["text"] for item in conversation.history() if item["from"] == "user"]


def _id() -> str:
    return f"m-{uuid.uuid4().hex}"


def test_a_message_sent_again_with_its_id_gets_the_same_answer_and_is_kept_once(conversation):
    message_id = _id()
    first = conversation.say(OPENING, message_id)
    again = conversation.say(OPENING, message_id)
    assert again == first and Conversation.payloads(first, "ask")
    assert _said_by_owner(conversation) == [OPENING]
    summary = Conversation.texts(conversation.say("你都记了我们哪些情况", _id()))
    assert "从业人员人数：15人" in summary


def test_a_resend_while_the_first_is_still_answered_waits_for_it_and_gets_its_answer(conversation):
    message_id, answers = _id(), []
    senders = [threading.Thread(target=lambda: answers.append(conversation.say(OPENING, message_id)))
               for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert len(answers) == 2 and answers[0] == answers[1] and Conversation.payloads(answers[0], "ask")
    assert _said_by_owner(conversation) == [OPENING]


def test_other_words_under_a_used_id_are_a_new_message(conversation):
    message_id = _id()
    conversation.say(OPENING, message_id)
    replies = conversation.say("你都记了我们哪些情况", message_id)
    assert "从业人员人数：15人" in Conversation.texts(replies)
    assert _said_by_owner(conversation) == [OPENING, "你都记了我们哪些情况"]


def test_without_a_valid_id_each_sending_is_a_message_of_its_own(conversation):
    for message_id in (None, "x", "m-" + "a" * 100, "m-<script>"):
        conversation.say("你好", message_id)
    assert _said_by_owner(conversation) == ["你好"] * 4
