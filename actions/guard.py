"""Input the assistant cannot act on gets a short, polite answer and changes nothing (contract §5)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

REPLIES = {
    "empty": "您好像还没有输入内容。请说说企业的情况，或直接问政策问题。",
    "too_long": "消息太长了（超过2000字），请分几次简要地说。",
    "emoji_only": "收到表情啦～请用文字说说企业的情况或想问的政策。",
    "mixed_script": "抱歉，我只能看懂中文，请用中文描述。",
    "not_chinese": "抱歉，我只能看懂中文，请用中文描述。",
    "hostile": "这条消息包含我无法处理的代码或特殊格式，已忽略。请用普通文字提问。",
    "instructions": "我只能解答惠企政策措施方面的问题，这类请求无法处理。",
}
DEFAULT_REPLY = "抱歉，这条消息我无法处理，请换个说法。"


class ActionRefuseBadInput(Action):
    def name(self) -> Text:
        return "action_refuse_bad_input"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        reason = next(tracker.get_latest_entity_values("input_problem"), None)
        dispatcher.utter_message(text=REPLIES.get(reason, DEFAULT_REPLY))
        return []
