"""Why a measure does not apply, and what would change if a fact were different (without storing it)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from policy_db import FactError, evaluate, qa, qa_reading, report

from .questions import answer_or_say
from .slots import known_facts
from .store_access import policy_store
from reading.interpretation import stated_facts


class ActionExplainWhyNot(Action):
    def name(self) -> Text:
        return "action_explain_why_not"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        assessment = evaluate(known_facts(tracker, store), store=store)
        measures = qa.measures_asked(qa_reading.asked(tracker.latest_message.get("text") or "", store), store)
        if not measures:
            lines = [f"{r.measure.id} {r.measure.title}：{r.why}" for r in assessment.by_status("ineligible")]
            dispatcher.utter_message(text=store.words.say("which_measure_of", lines="\n".join(lines))
                                     if lines else store.words.say("which_measure"))
            return []
        dispatcher.utter_message(text="\n".join(_explain(assessment, assessment.result(m.id)) for m in measures))
        return []


def _explain(assessment, r) -> str:
    """One measure's standing for this enterprise in the words of its kind ("可以享受" only for a benefit), with the
    notice's words and how the data reads them where that is an interpretation."""
    m, words = r.measure, assessment.words
    home = r.policy is None or r.policy.id == assessment.policy.id
    clause = r.clause_label if home else f"{r.policy.cited}{r.clause_label}"
    quote = words.say("explain_quote", called=assessment.policy.called if home else "", excerpt=m.excerpt) + (
        f"（{m.reading}）" if m.reading else "")
    said = {"measure": f"{m.id} {m.title}", "why": r.why, "quote": quote,
            "source": words.say("explain_source", clause=clause, departments="、".join(m.departments))}
    if r.status == "eligible":
        kind = words.kinds[m.kind]
        note = f"{kind.note}。" if kind.note and not assessment.for_lender else ""
        return words.say("explain_eligible", state=kind.state, note=note, **said)
    return words.say("explain_unknown" if r.status == "unknown" else "explain_ineligible", **said)


class ActionWhatIf(Action):
    def name(self) -> Text:
        return "action_what_if"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        facts = known_facts(tracker, store)
        change = stated_facts(tracker.latest_message, store)
        words = store.words
        if not change:  # "失业保险金能涨多少" read as a what-if: a question about the notice, answered from it
            return answer_or_say(dispatcher, tracker, words.say("what_if_unclear"))
        try:
            before = evaluate(facts, store=store)
            after = evaluate({**facts, **change}, store=store)
        except FactError as err:
            dispatcher.utter_message(text=words.say("what_if_impossible", error=err.message))
            return []
        supposed = "，".join(words.say("what_if_fact", label=store.facts[k].label,
                                      value=report.show_value(store.facts[k], v)) for k, v in change.items())
        diff = report.changes(before, after)
        body = "\n".join(diff) if diff else words.say("what_if_unchanged")
        dispatcher.utter_message(text=words.say("what_if", supposed=supposed, body=body))
        return []
