"""What the policy workbench does with a document, over the store as published: draft it from a notice's text,
check it, preview what publishing it would change, publish it. The page's server calls these and nothing else.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Iterable

from . import checks, draft_shape, expert_cases
from .checks import Problem
from .document_folder import normalised
from .drafting import draft
from .preview import Profile, compare
from .store import Store
from .versions import PublishError, Versions


def known_departments(store: Store) -> list[str]:
    """The departments the store knows: those its measures name, and those its place consults."""
    names = {d for p in store.policies.values() for m in p.measures for d in m.departments}
    return sorted(names | set(store.place.consult.values()))


def draft_from_text(text: str, store: Store) -> dict:
    """The draft of a notice (drafting.draft) with the notes staff read, in the page's JSON shape."""
    made = draft(text, known_departments(store)).as_dict()
    notes = checks.words()["draft_notes"]
    made["notes"] = [notes[name] for name in made["notes"]]
    return made


class DraftProblems(Exception):
    """A draft that cannot be read into a store yet: its problems of form, or why reading it failed."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def candidate(document: dict, versions: Versions) -> Store:
    """The latest version with the document in it, once its form is complete (else DraftProblems)."""
    problems = draft_shape.shape(document, versions.store())
    if problems:
        raise DraftProblems(problems)
    try:
        return versions.candidate(document)
    except (KeyError, ValueError, TypeError, AttributeError, sqlite3.Error) as e:  # what the data's readers raise
        raise DraftProblems([Problem("build", checks.say("policy"), checks.say("cannot_build", value=e))]) from e


def check(document: dict, versions: Versions) -> list[Problem]:
    """Every problem that stops the document being published: its form first, then, read into a candidate store
    (the latest version with it), the store's checks."""
    doc = normalised(document)
    try:
        return store_checks(candidate(doc, versions), doc)
    except DraftProblems as e:
        return e.problems


def store_checks(candidate: Store, document: dict) -> list[Problem]:
    return checks.all_checks(candidate, str(document["policy"]["id"]), document["source"], document["cases"])


def case_profiles(cases: Iterable[dict]) -> list[Profile]:
    """Expert cases as profiles to preview, each on its own day."""
    return [Profile("case", str(c.get("name", i)), str(c.get("name", i)), c.get("facts") or {}, expert_cases.as_of(c))
            for i, c in enumerate(cases, start=1)]


def preview(document: dict, versions: Versions, profiles: Iterable[Profile] = (), as_of: dt.date | None = None,
            examples: int = 3) -> dict:
    """What publishing the document would change (policy_db.preview) over its expert cases and ``profiles``, as of
    ``as_of`` (by default the day the document takes effect); DraftProblems while it cannot be read."""
    doc = normalised(document)
    after = candidate(doc, versions)
    day = as_of or dt.date.fromisoformat(str(doc["policy"]["in_force_from"]))
    return compare(versions.store(), after, [*case_profiles(doc["cases"]), *profiles], day, examples)


def publish(document: dict, effective: dt.date, versions: Versions, note: str = ""):
    """Publish the document as the next version (Versions.publish), if and only if every check passes."""
    doc = normalised(document)
    problems = draft_shape.shape(doc, versions.store())
    if problems:
        raise PublishError(checks.say("refused", "publish"), problems)
    return versions.publish(doc, effective, lambda candidate: store_checks(candidate, doc), note)
