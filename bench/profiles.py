"""Random enterprise profiles, complete and partial, drawn from the facts' own specs (shared by benches and tests)."""

from __future__ import annotations

import random

from policy_db.store import Store


def random_value(spec, rng: random.Random, store: Store):
    if spec.type == "bool":
        return rng.random() < 0.5
    if spec.type == "industry":
        return rng.choice(list(store.classification_for(store.default_policy).rows))
    if spec.type == "choice":
        return rng.choice(spec.choices)
    if spec.type == "months":
        return rng.randint(0, int(spec.max))
    if spec.type == "count":
        return int(10 ** rng.uniform(0, 3.6))
    return round(10 ** rng.uniform(3, 9.5), 2)


def random_profile(store: Store, rng: random.Random, keep: float) -> dict:
    """Each fact is present with probability ``keep``; layoffs never exceed headcount."""
    facts = {}
    for name, spec in store.facts.items():
        if name != "is_financial_institution" and rng.random() < keep:
            facts[name] = random_value(spec, rng, store)
    if "layoffs" in facts:
        facts["layoffs"] = min(facts["layoffs"], facts.get("employees", facts["layoffs"]))
        if "employees" not in facts:
            facts["employees"] = facts["layoffs"] + rng.randint(0, 50)
    return facts
