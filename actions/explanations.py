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
            dispatcher.utter_message(text="请问您想了解哪一项措施？目前不适用的有：\n" + "\n".join(lines)
                                     if lines else "请问您想了解哪一项措施，比如“为什么不能享受房租减免”？")
            return []
        dispatcher.utter_message(text="\n".join(_explain(assessment, assessment.result(m.id)) for m in measures))
        return []


def _explain(assessment, r) -> str:
    """One measure's standing for this enterprise in the words of its kind ("可以享受" only for a benefit), with the
    notice's words and how the data reads them where that is an interpretation."""
    m = r.measure
    home = r.policy is None or r.policy.id == assessment.policy.id
    clause = r.clause_label if home else f"{r.policy.cited}{r.clause_label}"
    quote = f"{'通知原文' if home else '原文'}：“{m.excerpt}”" + (f"（{m.reading}）" if m.reading else "")
    source = f"（{clause}，责任单位：{'、'.join(m.departments)}）"
    if r.status == "eligible":
        kind = assessment.words.kinds[m.kind]
        note = f"{kind.note}。" if kind.note and not assessment.for_lender else ""
        return f"{m.id} {m.title}：按您提供的情况{kind.state}，{r.why}。{note}{quote}{source}。"
    if r.status == "unknown":
        return f"{m.id} {m.title}：还不能确定，{r.why}。{quote}{source}。"
    return f"{m.id} {m.title}：不适用，原因是{r.why}。{quote}{source}。"


class ActionWhatIf(Action):
    def name(self) -> Text:
        return "action_what_if"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        facts = known_facts(tracker, store)
        change = stated_facts(tracker.latest_message, store)
        if not change:  # "失业保险金能涨多少" read as a what-if: a question about the notice, answered from it
            return answer_or_say(dispatcher, tracker, "请说说假设哪一项不同，比如“如果我们没裁员呢”“要是员工有25个呢”。")
        try:
            before = evaluate(facts, store=store)
            after = evaluate({**facts, **change}, store=store)
        except FactError as err:
            dispatcher.utter_message(text=f"这个假设无法测算：{err.message}。")
            return []
        supposed = "，".join(f"{store.facts[k].label}为{report.show_value(store.facts[k], v)}" for k, v in change.items())
        diff = report.changes(before, after)
        body = "\n".join(diff) if diff else "各项措施的结果都不变。"
        dispatcher.utter_message(text=f"假设{supposed}：\n{body}\n（这只是假设测算，您提供的信息没有改动。）")
        return []
