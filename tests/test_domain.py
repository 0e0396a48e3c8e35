"""The domain, the policy store and the action server agree on facts and actions."""

from pathlib import Path

import yaml
from rasa_sdk import Action

import actions.conversation  # noqa: F401
import actions.corrections  # noqa: F401
import actions.explanations  # noqa: F401
import actions.forms  # noqa: F401
import actions.guard  # noqa: F401
import actions.handoff  # noqa: F401
import actions.profile  # noqa: F401
import actions.questions  # noqa: F401
import actions.results  # noqa: F401

DOMAIN = yaml.safe_load((Path(__file__).parents[1] / "domain.yml").read_text(encoding="utf-8"))


def _all_actions():
    seen, todo = {}, list(Action.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        try:
            seen[cls().name()] = cls
        except (NotImplementedError, TypeError):
            continue
    return seen


def test_every_fact_of_the_store_is_a_slot_and_an_entity(policy_store):
    assert set(policy_store.facts) <= set(DOMAIN["slots"])
    entities = {e if isinstance(e, str) else next(iter(e)) for e in DOMAIN["entities"]}  # "presents: {…}" too
    assert set(policy_store.facts) <= entities | {"industry"}


def test_every_custom_action_of_the_domain_is_implemented():
    custom = [a for a in DOMAIN["actions"] if not a.startswith("utter_")]
    missing = set(custom) - set(_all_actions())
    assert not missing


def test_no_fact_has_an_ask_action_or_response_so_the_form_validation_asks_in_its_own_call(policy_store):
    asks = {f"{prefix}{form}{slot}" for prefix in ("action_ask_", "utter_ask_") for form in ("", *(
        f"{name}_" for name in DOMAIN["forms"])) for slot in [*policy_store.facts, "checklist"]}
    assert not asks & (set(DOMAIN["actions"]) | set(DOMAIN.get("responses", {})))
