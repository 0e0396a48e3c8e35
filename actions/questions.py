"""Answers questions about the policy from the store (policy_db.qa), with clause and department.

Questions about the policy come in many shapes the classifier may file elsewhere ("房租能免几个月" reads as asking
about eligibility too): ``answer_if_about_policy`` lets any path answer what the notice says before going on.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from policy_db import qa, qa_reading
from policy_db.computed import computed_answer

from .changes import echo
from reading.interpretation import Reading, stated_facts
from .message_reading import read_message, record
from .results import tell_result
from .slots import fact_events, known_facts
from .store_access import policy_store

def _asks_as_lender(tracker: Tracker, store) -> tuple[list[EventType], bool]:
    """Whether a lender asks (the fact with the role `lender`, facts.yaml), and the slot events when this message
    says so."""
    said = {k: v for k, v in stated_facts(tracker.latest_message, store).items()
            if k in store.facts_with_role("lender") and v is True}
    return fact_events(said, tracker.current_slot_values()), store.asks_as_lender({**known_facts(tracker, store), **said})


def answer_if_about_policy(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Answers from the notice when the latest message asks something it speaks to; else does nothing. A question
    that carries its own facts gets the class or the amount computed from them (policy_db.computed)."""
    store = policy_store()
    reading = _read(tracker, store)
    if reading.kind == "summary":
        return tell_result(dispatcher, tracker, store)
    says_lender, lender = _asks_as_lender(tracker, store)
    asked = _asked(tracker, store, reading)
    computed = None if lender else computed_answer(asked, {**known_facts(tracker, store), **reading.as_said}, store)
    if computed:
        if not tracker.active_loop:
            computed += store.words.say("computed_next")
        dispatcher.utter_message(text=computed)
    elif asked.about_policy:
        dispatcher.utter_message(text=qa.answer(asked, store, lender=lender).text)
    else:
        return []
    return says_lender


def _read(tracker: Tracker, store) -> Reading:
    return read_message(tracker, store)


def _asked(tracker: Tracker, store, reading: Reading) -> qa_reading.Asked:
    """What the message asks, as the reading carries it (read now only for a message the reading takes as bad)."""
    return reading.asked or qa_reading.asked(tracker.latest_message.get("text") or "", store)


def answer_or_say(dispatcher: CollectingDispatcher, tracker: Tracker, otherwise: str) -> List[EventType]:
    """Answers from the notice when the message asks something it speaks to; else says ``otherwise``."""
    said = len(dispatcher.messages)
    events = answer_if_about_policy(dispatcher, tracker)
    if len(dispatcher.messages) == said:
        dispatcher.utter_message(text=otherwise)
    return events


class ActionAnswerPolicy(Action):
    def name(self) -> Text:
        return "action_answer_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        """The answer; facts the question states ("20个人的软件公司…算小微吗") are recorded and echoed."""
        store = policy_store()
        reading = _read(tracker, store)
        events = answer_if_about_policy(dispatcher, tracker)
        if not dispatcher.messages:
            _, lender = _asks_as_lender(tracker, store)
            dispatcher.utter_message(text=qa.answer(_asked(tracker, store, reading), store, lender=lender).text)
        for line in echo(store, known_facts(tracker, store), reading):
            dispatcher.utter_message(text=line)
        return events + record(tracker, reading)


class ActionAnswerIfAboutPolicy(Action):
    """Before an eligibility interview starts: what the notice says about the measure asked about."""

    def name(self) -> Text:
        return "action_answer_if_about_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        return answer_if_about_policy(dispatcher, tracker)


class ActionOutOfScope(Action):
    """Out of scope unless it names something of the notice; then it is answered from the notice."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        policy = store.default_policy
        return answer_or_say(dispatcher, tracker, store.words.say(
            "out_of_scope", title=policy.short_title, issuer=policy.issuer, year=policy.issued.year))
