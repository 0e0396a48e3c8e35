"""Which stored messages answer a message sent again (bot/resent_messages.py), and which ids a client may give."""

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.channels.rest import client_message_id
from bot.resent_messages import first_sending, replies_to


def _turn(text: str, message_id: str, *replies) -> list:
    return [UserUttered(text, message_id=message_id), ActionExecuted("action_interview"), *replies,
            ActionExecuted("action_listen")]


def test_the_replies_of_the_turn_come_back_as_rasa_sent_them_with_their_buttons_and_payloads():
    events = [*_turn("你好", "m-first1", BotUttered("您好！")),
              *_turn("我们是开超市的", "m-second", BotUttered("请问有多少人？", {"buttons": [{"title": "10人",
                                                                                     "payload": "10人"}]}),
                     SlotSet("industry", "retail"), BotUttered(data={"custom": {"type": "result"}})),
              *_turn("十个人", "m-third1", BotUttered("好的"))]
    said = first_sending(events, "m-second")
    assert said.text == "我们是开超市的"
    assert replies_to(events, said) == [
        {"text": "请问有多少人？", "buttons": [{"title": "10人", "payload": "10人"}]},
        {"custom": {"type": "result"}}]


def test_an_operators_words_during_a_takeover_are_not_part_of_the_turn():
    said = UserUttered("还在吗", message_id="m-paused1")
    events = [said, BotUttered("您好，我是王工", metadata={"operator": "王工"}), UserUttered("在的")]
    assert replies_to(events, said) == []


def test_an_id_never_stored_finds_nothing():
    assert first_sending(_turn("你好", "m-first1", BotUttered("您好！")), "m-unknown") is None


def test_a_client_id_is_8_to_64_letters_digits_dashes_or_underscores():
    assert client_message_id({"message_id": "m-0123456789abcdef"}) == "m-0123456789abcdef"
    for bad in ("short", "m-" + "a" * 63, "m-<script>", "m-12345678 ", 12345678, None, ["m-12345678"]):
        assert client_message_id({"message_id": bad}) is None, bad
    assert client_message_id(["not", "an", "object"]) is None
