"""The interview's questions in the words of the store (facts.yaml `ask`, words.yaml `conversation`), and the
contract's `ask` payloads that go with them."""

from __future__ import annotations

from policy_db.model import FactSpec
from policy_db.words import Words
from reading.interpretation import CONSENT


def ask_text(words: Words, spec: FactSpec, attempt: int, together: list[FactSpec] = ()) -> str:
    """The question, with those asked together; asked again after an answer that did not fit, it says so and
    shows how to answer."""
    question = "".join(s.ask for s in (spec, *together))
    if attempt == 0:
        return question
    return words.say("ask_again", question=question, hint=words.conversation["hints"].get(spec.type, ""))


def ask_options(words: Words, spec: FactSpec, industries: list[str]) -> list[str]:
    if spec.type == "bool":
        return list(words.conversation["yes_no_options"])
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


def checklist_text(words: Words, situations: list[str]) -> str:
    return words.say("checklist", lines="\n".join(f"{i}. {s}" for i, s in enumerate(situations, start=1)))


def checklist_reminder(words: Words, situations: list[str], attempt: int) -> str:
    """The checklist asked again (after a question or an answer that did not fit): still numbered in the payload's
    order (contract §2), in one compact paragraph instead of the full list."""
    items = "；".join(f"{i}. {s}" for i, s in enumerate(situations, start=1))
    return words.say("checklist_again", items=items, **({} if attempt else {"not_understood": ""}))


def checklist_payload(facts: list[str], situations: list[str]) -> dict:
    return {"type": "ask", "facts": facts, "multi": True, "options": situations}


def consent_payload(words: Words) -> dict:
    """The payload of the interview's last question (docs/contract.md E16): its own type, since the base
    contract's `ask` names a fact of the enterprise and this is none."""
    return {"type": "consent", "options": list(words.conversation["consent_options"])}
