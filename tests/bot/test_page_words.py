"""The words the pages show around the payloads come from the store (GET /chat/policy, POST /chat/describe), and the
page files under bot/web/ hold none of them: a policy change needs no change to a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actions.conversation import greeting
from bot.web.chat import server as chat
from policy_db import classification, evaluate, report

WEB = Path(chat.__file__).parents[1]
PAGE_FILES = sorted(p for p in WEB.rglob("*") if p.suffix in {".js", ".html", ".css"})
# What the project's hook looks for in page files: place, departments' titles, measures and documents by name.
HOOK = re.compile(r"聊城|责任单位|稳岗|人社部|公告2020|小或微型")


@pytest.fixture
def info(policy_store, monkeypatch):
    monkeypatch.setattr("policy_db.store.load", lambda *a, **k: policy_store)
    return chat.policy_info()


def test_every_handoff_reason_the_assistant_sends_has_its_words_in_the_store(policy_store):
    reasons = policy_store.words.pages["handoff_reasons"]
    assert set(policy_store.words.pages["handoff_said"]) <= set(reasons)
    assert all(isinstance(text, str) and text.strip() for text in reasons.values())


def test_the_page_info_carries_the_greeting_the_class_labels_the_facts_and_the_pages_words(info, policy_store):
    assert info["greeting"] == greeting(policy_store)
    assert info["classes"] == classification.CLASS_LABELS
    assert info["class_unknown"] == classification.class_label(None)
    assert set(info["facts"]) == set(policy_store.facts)
    assert info["facts"]["employees"] == {"label": policy_store.facts["employees"].label, "type": "count",
                                          "unit": policy_store.facts["employees"].unit}
    words = info["words"]
    assert words["handoff_reasons"] == policy_store.words.pages["handoff_reasons"]
    assert words["hotline_label"] and words["class_heading"]
    assert "{period}" in words["expired"]
    policy = policy_store.default_policy
    assert (info["hotline"], info["period"], info["valid_until"]) == (
        policy.hotline, policy.period, policy.in_force_until.isoformat())


def test_facts_are_described_by_the_code_that_writes_the_bots_text(policy_store, monkeypatch):
    monkeypatch.setattr("policy_db.store.load", lambda *a, **k: policy_store)
    facts = {"industry": "餐饮业", "employees": 12, "revenue": 399999999, "contract_dispute": True, "nothing": 1,
             "insured": None}
    described = chat.describe(facts, "medium")
    assert described["sme_class"] == classification.CLASS_LABELS["medium"]
    assert [f["name"] for f in described["facts"]] == ["industry", "employees", "revenue", "contract_dispute"]
    for f in described["facts"]:
        spec = policy_store.facts[f["name"]]
        assert (f["label"], f["value"]) == (spec.label, report.show_value(spec, facts[f["name"]]))
    assert "39999.9999万元" in described["facts"][2]["value"]  # never rounded to 40000万元
    # Without a settled class, what the facts make of it (the candidates), as the bot's text says it.
    open_class = chat.describe({"industry": "餐饮业", "employees": 12})["sme_class"]
    assert open_class == evaluate({"industry": "餐饮业", "employees": 12}, store=policy_store).sme_label
    # Whatever a client sends, an answer and no error.
    assert chat.describe("x", 5) == {"sme_class": classification.class_label(None), "facts": []}
    assert chat.describe({"employees": "许多"}, None)["facts"][0]["value"] == "许多人"


def test_page_files_hold_no_policy_wording(policy_store):
    words = set(classification.CLASS_LABELS.values()) | {classification.class_label(None)}
    words |= {spec.label for spec in policy_store.facts.values()}
    words |= set(policy_store.words.pages["handoff_reasons"].values())
    words |= {policy_store.words.pages["hotline_label"], greeting(policy_store)}
    for p in policy_store.place_policies():
        words |= {p.title, p.short_title, p.issuer, *(d for m in p.measures for d in m.departments)}
        words |= {m.title for m in p.measures if len(m.title) > 2}
    assert PAGE_FILES and any(p.parent.name == "shared" for p in PAGE_FILES)
    for path in PAGE_FILES:
        text = path.read_text(encoding="utf-8")
        assert not HOOK.search(text), (path, HOOK.search(text))
        found = sorted(w for w in words if w and w in text)
        assert not found, (path.name, found)
