"""Where the simulator's cases are set: the classification of the place's notice, the day, and every document's
parameters on that day, all read from the store."""

from __future__ import annotations

import datetime as dt

from policy_db import Store
from policy_db.model import Classification, Policy


def classification(store: Store) -> Classification:
    return store.classification_for(store.default_policy)


def parameters(store: Store) -> dict:
    """Every document's parameters as they stood on the cases' day (names are unique across documents)."""
    values: dict = {}
    day = as_of(store)
    for policy in store.place_policies():
        values.update(policy.parameter_values(day))
    return values


def in_force(policy: Policy, day: dt.date) -> bool:
    return policy.in_force_from <= day <= policy.in_force_until


def as_of(store: Store) -> dt.date:
    """The day the cases' situations are set: the first day of the place's own notice on which the most documents
    of the place are in force (each starts on one of their first days), so a trainee is graded on every document
    the store holds that was in force with the notice, whatever documents the store holds."""
    home = store.default_policy
    days = sorted({min(max(p.in_force_from, home.in_force_from), home.in_force_until) for p in store.place_policies()})
    return max(days, key=lambda day: (sum(in_force(p, day) for p in store.place_policies()), -day.toordinal()))
