"""The assistant's Chinese wording for questions, and the contract's `ask` payloads that go with them."""

from __future__ import annotations

from policy_db.model import FactSpec

YES_NO_OPTIONS = ["是", "否", "不清楚"]
HINTS = {
    "bool": "请回答“是”或“不是”；不清楚也可以直接说“不清楚”。",
    "count": "请直接回复人数，比如“12”或“十二个人”。",
    "months": "请直接回复月数，比如“3个月”。",
    "money": "请回复金额（元），比如“48000”“4.8万”或“四万八”。",
    "industry": "请说说主营业务，比如“开饭店的”“做物流的”“机械加工厂”。",
    "choice": "请从下面几种里选一种。",
}


def ask_text(spec: FactSpec, attempt: int, together: list[FactSpec] = ()) -> str:
    """The question, with those asked together; asked again after an answer that did not fit, it says so and
    shows how to answer."""
    question = "".join(s.ask for s in (spec, *together))
    if attempt == 0:
        return question
    return f"抱歉，我没太明白。{question}{HINTS.get(spec.type, '')}"


def ask_options(spec: FactSpec, industries: list[str]) -> list[str]:
    if spec.type == "bool":
        return YES_NO_OPTIONS
    if spec.type == "choice":
        return list(spec.choices)
    if spec.type == "industry":
        return industries
    return []


def ask_payload(spec: FactSpec, options: list[str], together: list[FactSpec] = ()) -> dict:
    payload = {"type": "ask", "fact": spec.name}
    if together:
        payload["together"] = [s.name for s in together]
    if options:
        payload["options"] = options
    return payload


def checklist_text(situations: list[str]) -> str:
    lines = [f"{i}. {s}" for i, s in enumerate(situations, start=1)]
    return ("还有几项措施要看具体情况。以下情况符合的请回复序号（可多选，如“1、3”），都不符合回复“都没有”：\n"
            + "\n".join(lines))


def checklist_reminder(situations: list[str], attempt: int) -> str:
    """The checklist asked again (after a question or an answer that did not fit): still numbered in the payload's
    order (contract §2), in one compact paragraph instead of the full list."""
    sorry = "抱歉，我没太明白。" if attempt else ""
    items = "；".join(f"{i}. {s}" for i, s in enumerate(situations, start=1))
    return f"{sorry}请回复符合情况的序号（可多选），都不符合回复“都没有”，不清楚可以说“不清楚”：{items}"


def checklist_payload(facts: list[str], situations: list[str]) -> dict:
    return {"type": "ask", "facts": facts, "multi": True, "options": situations}
