"""Validation actions of the two interview forms: take the latest answer, say which fact to ask next, and ask it.

The forms themselves are Rasa's (domain.yml, data/rules); these only decide, from policy_db, which slots the form
still requires (``required_slots``) and what the latest message contributes, and word the question (actions.asking).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from .asking import ask_for
from .changes import echo
from .confirmation import ask_to_confirm
from .message_reading import read_message, record, turn_of
from .questions import answer_if_about_policy
from .interview import followup_slots, profile_slots
from .slots import (CHECKLIST, CHECKLIST_FACTS, CONSENT, FAILED_ASKS, FOCUS, PENDING_CONFIRMATION,
                    UNKNOWN_FACTS, known_facts, listed, value_of)
from .store_access import policy_store

MAX_FAILED_ASKS = 2


class _InterviewForm(FormValidationAction):
    @abstractmethod
    def plan(self, tracker: Tracker) -> List[Text]:
        """The slots this form still requires, in the order to ask them."""

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: Dict[Text, Any]) -> List[Text]:
        return self.plan(tracker)

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: Dict[Text, Any]) -> EventType:
        """Always names the next slot (None ends the form), even when the plan matches the domain's list."""
        required = self.plan(tracker)
        return SlotSet("requested_slot", next((s for s in required if value_of(tracker, s) is None), None))

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        events = self.take_answer(dispatcher, tracker)
        tracker.add_slots(events)
        events.append(await self.next_requested_slot(dispatcher, tracker, domain))
        slot = events[-1]["value"]
        confirming = any(e.get("name") == PENDING_CONFIRMATION and e.get("value") for e in events)
        if slot is not None and not confirming and not self.rasa_rejects(tracker, events):
            events += ask_for(slot, dispatcher, tracker, policy_store())
        elif slot is None and not dispatcher.messages and not _said_since_the_user_spoke(tracker.events) \
                and not any(e.get("name") not in ("requested_slot", FAILED_ASKS) for e in events):
            # the form ends on a message that changes nothing
            dispatcher.utter_message(text=policy_store().words.say("nothing_new"))
        return events

    def rasa_rejects(self, tracker: Tracker, events: List[EventType]) -> bool:
        """Whether Rasa's FormAction.validate will reject this run: the form was already active, the user has just
        spoken, and no slot but `requested_slot` was set. Another action then handles the message and the form asks
        when it resumes, so asking now would ask twice."""
        if (tracker.active_loop or {}).get("name") != self.form_name() or _activated_now(tracker.events, self.form_name()):
            return False  # activation: Rasa validates what is known and never rejects
        if any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events):
            return False
        return _runs_on_the_users_message(tracker.events)

    def take_answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """Acts on the reading of the latest message (reading.interpretation): records what it sets, echoes every
        change of a known fact and every figure taken from a hedge, answers a question it also asks."""
        store = policy_store()
        requested = tracker.get_slot("requested_slot")
        skipped = listed(tracker, UNKNOWN_FACTS)
        turn = turn_of(tracker, store)
        known = dict(turn.known)
        confirming = dict(turn.confirming)
        reading = read_message(tracker, store, turn)
        if reading.kind in ("bad", "hypothetical"):
            return []
        done: List[EventType] = [SlotSet(PENDING_CONFIRMATION, None)] if confirming else []
        if reading.error is not None:
            dispatcher.utter_message(text=store.words.say("not_recorded", error=reading.error.message))
            return [self._count_failure(tracker, requested or reading.error.fact)]
        answered_already = _said_since_the_user_spoke(tracker.events)
        if reading.understood:
            if reading.asks and not answered_already:  # facts and a question at once
                answer_if_about_policy(dispatcher, tracker)
            for line in echo(store, known, reading):
                dispatcher.utter_message(text=line)
            events: List[EventType] = done + record(tracker, reading)
            if reading.unknown:
                events.append(SlotSet(UNKNOWN_FACTS, skipped + reading.unknown))
            if reading.answered_checklist:
                events.append(SlotSet(CHECKLIST, "answered"))
            if reading.to_confirm:
                events += ask_to_confirm(dispatcher, store, reading.to_confirm)
            if reading.consent is not None:
                dispatcher.utter_message(text=store.words.say("consent_yes" if reading.consent else "consent_no"))
                events.append(SlotSet(CONSENT, reading.consent))
            return events or [self._unchanged_failures(tracker)]  # said something: Rasa must not reject the run
        if reading.kind in ("question", "other"):  # Rasa hands it to the rule for its intent; the form asks later
            return done
        answered = [] if answered_already else answer_if_about_policy(dispatcher, tracker)
        if dispatcher.messages:  # a question about the notice, not an answer: answered, then asked again
            return done + (answered or [self._unchanged_failures(tracker)])
        if confirming:  # "不是" to a guess: dropped; the form asks its own question
            return done
        if requested and reading.kind in ("unfit", "dont_know"):
            return self._did_not_fit(dispatcher, tracker, requested, skipped)
        return []

    @staticmethod
    def _unchanged_failures(tracker: Tracker) -> EventType:
        """A slot event that changes nothing, for a run that only spoke: Rasa rejects a form run that sets no slot
        and drops what it said."""
        return SlotSet(FAILED_ASKS, dict(tracker.get_slot(FAILED_ASKS) or {}))

    def _count_failure(self, tracker: Tracker, fact: str) -> EventType:
        failed = dict(tracker.get_slot(FAILED_ASKS) or {})
        failed[fact] = failed.get(fact, 0) + 1
        return SlotSet(FAILED_ASKS, failed)

    def _did_not_fit(self, dispatcher: CollectingDispatcher, tracker: Tracker, requested: str,
                     skipped: List[str]) -> List[EventType]:
        """An answer that fits no fact: asked again once, differently worded, then skipped."""
        count = self._count_failure(tracker, requested)
        if count["value"][requested] < MAX_FAILED_ASKS:
            return [count]
        words = policy_store().words
        if requested == CHECKLIST:
            dispatcher.utter_message(text=words.say("skipped_checklist"))
            return [count, SlotSet(UNKNOWN_FACTS, skipped + listed(tracker, CHECKLIST_FACTS)),
                    SlotSet(CHECKLIST, "skipped")]
        if requested == CONSENT:  # asked twice and not answered: no consent, and not asked again
            dispatcher.utter_message(text=words.say("consent_no"))
            return [count, SlotSet(CONSENT, False)]
        dispatcher.utter_message(text=words.say("skipped_fact"))
        return [count, SlotSet(UNKNOWN_FACTS, skipped + [requested])]


class ValidateProfileForm(_InterviewForm):
    def name(self) -> Text:
        return "validate_profile_form"

    def plan(self, tracker: Tracker) -> List[Text]:
        store = policy_store()
        return profile_slots(store, known_facts(tracker, store), listed(tracker, FOCUS), listed(tracker, UNKNOWN_FACTS))


class ValidateFollowupForm(_InterviewForm):
    def name(self) -> Text:
        return "validate_followup_form"

    def plan(self, tracker: Tracker) -> List[Text]:
        """What is still open, then, once, whether the owner wants to hear of new measures that fit (not a lender:
        its duties do not depend on its facts)."""
        store = policy_store()
        facts = known_facts(tracker, store)
        open_facts = followup_slots(store, facts, listed(tracker, UNKNOWN_FACTS), tracker.get_slot(CHECKLIST) is not None)
        asks_consent = tracker.get_slot(CONSENT) is None and not store.asks_as_lender(facts) \
            and not _on_the_phone(tracker.events)
        return open_facts + [CONSENT] if asks_consent else open_facts


def _on_the_phone(events: List[Dict[Text, Any]]) -> bool:
    """A phone call an operator types into the console (its messages say so): the caller's consent to be called
    again is the call record's, ticked by the operator, not a question about "here"."""
    user = next((e for e in reversed(events) if e.get("event") == "user"), None)
    return bool(user) and (user.get("metadata") or {}).get("via") == "console"


def _said_since_the_user_spoke(events: List[Dict[Text, Any]]) -> bool:
    """Whether an action of this turn already answered the message (the rule that started the form), so the
    form does not answer it twice."""
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot":
            return True
    return False


def _activated_now(events: List[Dict[Text, Any]], form: Text) -> bool:
    """Whether the form was activated on the latest message (Rasa's temporary tracker already holds its ActiveLoop):
    a message that starts the form and sets nothing must still get the form's first question."""
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == form:
            return True
    return False


def _runs_on_the_users_message(events: List[Dict[Text, Any]]) -> bool:
    """Whether the form runs straight on the user's message, not resumed after another action or an unhappy path.
    Rasa hands validation a copy of the tracker that ends with the form's own ActionExecuted and the slot candidates
    (FormAction._temporary_tracker); what happened before that tells."""
    runs = [i for i, e in enumerate(events) if e.get("event") == "action"]
    for event in reversed(events[:runs[-1]] if runs else []):
        if event.get("event") == "loop_interrupted" and event.get("is_interrupted"):
            return False
        if event.get("event") == "action":
            return event.get("name") == "action_listen"
    return False
