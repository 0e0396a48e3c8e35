"""Corrections ("不对，是15个人", "员工人数我说多了，实际八十个") and replies to a confirmation outside a form: the fact
is replaced or recorded, everything re-evaluated, and the change in outcome told."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from policy_db.interview import describe_correction, digest

from .confirmation import ask_to_confirm
from .message_reading import noted_result, read_message, record
from .questions import answer_if_about_policy, answer_or_say
from .slots import PENDING_CONFIRMATION, RESULT_SHOWN, known_facts
from .store_access import policy_store


class ActionApplyCorrection(Action):
    def name(self) -> Text:
        return "action_apply_correction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        return apply_reading(dispatcher, tracker, policy_store().words.say("correction_unclear"))


def apply_reading(dispatcher: CollectingDispatcher, tracker: Tracker, otherwise: str) -> List[EventType]:
    """Records what the message changes, echoing before → after and the changed result; a guess that would shut
    the owner out is asked first; a message that changes nothing gets the notice's answer or ``otherwise``."""
    store = policy_store()
    facts = known_facts(tracker, store)
    reading = read_message(tracker, store)
    done: List[EventType] = [SlotSet(PENDING_CONFIRMATION, None)] if tracker.get_slot(PENDING_CONFIRMATION) else []
    if reading.error is not None:
        dispatcher.utter_message(text=store.words.say("not_changed", error=reading.error.message))
        return done
    change = reading.facts
    if not change and not reading.to_confirm:
        return done + answer_or_say(dispatcher, tracker, otherwise)
    answered = answer_if_about_policy(dispatcher, tracker) if reading.asks else []  # "其实裁了两个人，那…还能拿吗"
    events = done + answered
    if change:
        text, after = describe_correction(store, facts, change)
        recorded = record(tracker, reading)
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(json_message=noted_result(after.to_payload(), tracker, recorded))
        events += recorded + [SlotSet(RESULT_SHOWN, digest({**facts, **change}))]
    if reading.to_confirm:
        events += ask_to_confirm(dispatcher, store, reading.to_confirm)
    return events


class ActionNoQuestionPending(Action):
    """"是的""不知道" when nothing was asked: answered from the notice if it names something of it ("会计回不来，
    报税能往后推不"), else a short word on what the user can do."""

    def name(self) -> Text:
        return "action_no_question_pending"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        words = policy_store().words
        if tracker.get_slot(PENDING_CONFIRMATION):  # "是的" to a guess held back: recorded, or dropped on a no
            return apply_reading(dispatcher, tracker, words.say("guess_dropped"))
        return answer_or_say(dispatcher, tracker, words.say("nothing_pending"))
