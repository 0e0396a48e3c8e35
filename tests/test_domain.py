"""The domain, the policy store and the action server agree on facts and actions; the facts' part of the domain is
what facts.yaml makes."""

import shutil
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Action

from policy_db import domain

import actions.conversation  # noqa: F401
import actions.corrections  # noqa: F401
import actions.explanations  # noqa: F401
import actions.forms  # noqa: F401
import actions.guard  # noqa: F401
import actions.handoff  # noqa: F401
import actions.profile  # noqa: F401
import actions.questions  # noqa: F401
import actions.results  # noqa: F401

DOMAIN_FILE = Path(__file__).parents[1] / "domain.yml"
DOMAIN = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


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


def test_the_committed_domain_is_what_the_data_makes():
    assert domain.is_current(DOMAIN_FILE), "run: python -m policy_db domain"


def _data_with_a_new_fact(tmp_path: Path) -> Path:
    """A copy of the data files the domain is written from, facts.yaml with one more fact."""
    root = tmp_path / "policy_db"
    shutil.copytree(domain.DATA_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "policies", "reference"))
    facts = (root / "facts.yaml").read_text(encoding="utf-8")
    (root / "facts.yaml").write_text(facts + "exports_goods:\n  type: bool\n  label: 有出口业务\n"
                                     "  ask: 企业有出口业务吗？\n", encoding="utf-8")
    return root


def test_a_fact_added_to_facts_yaml_becomes_an_entity_and_a_slot_with_no_other_edit(tmp_path):
    written = yaml.safe_load(domain.generated(DOMAIN_FILE.read_text(encoding="utf-8"), _data_with_a_new_fact(tmp_path)))
    assert "exports_goods" in written["entities"]
    assert written["slots"]["exports_goods"] == DOMAIN["slots"]["employees"] == {
        "type": "any", "influence_conversation": False, "mappings": [{"type": "custom"}]}
    assert not domain.is_current(DOMAIN_FILE, _data_with_a_new_fact(tmp_path / "again"))
    assert {k: v for k, v in written.items() if k not in ("entities", "slots")} == {
        k: v for k, v in DOMAIN.items() if k not in ("entities", "slots")}


def test_the_hand_written_parts_and_a_missing_marker_are_left_to_people():
    text = DOMAIN_FILE.read_text(encoding="utf-8")
    assert domain.generated(text) == text
    with pytest.raises(domain.DomainError):
        domain.generated(text.replace("# <<< facts: slots", "# end of the facts"))


def test_rasas_fixed_responses_are_the_utter_sentences_of_words_yaml(tmp_path):
    said = yaml.safe_load((domain.DATA_DIR / "words.yaml").read_text(encoding="utf-8"))["conversation"]
    assert DOMAIN["responses"] == {name: [{"text": text}] for name, text in said.items() if name.startswith("utter_")}
    root = _data_with_a_new_fact(tmp_path)
    words = (root / "words.yaml").read_text(encoding="utf-8")
    (root / "words.yaml").write_text(words.replace(said["utter_thanks"], "不用谢！"), encoding="utf-8")
    written = yaml.safe_load(domain.generated(DOMAIN_FILE.read_text(encoding="utf-8"), root))
    assert written["responses"]["utter_thanks"] == [{"text": "不用谢！"}]
