"""The assistant's words (words.yaml), by name: how a result speaks of kinds of help, statuses, totals, links and
documents; what the pages show around the payloads; and every sentence of the conversation, which the actions
fetch with :meth:`Words.say`, so that no action holds a sentence of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Kind:
    """How a kind of help (contract §2 `kind`) is presented, to an enterprise and to a lender that asks."""

    name: str
    heading: str
    state: str
    mark: str
    note: str | None = None
    lender_heading: str | None = None
    lender_lead: str | None = None
    to_enterprises: bool = True


@dataclass(frozen=True)
class Words:
    kinds: dict[str, Kind]
    statuses: dict[str, str]
    total: dict[str, str]
    links: dict[str, str] = field(default_factory=dict)
    coverage: dict[str, str] = field(default_factory=dict)  # cases the texts leave open; one sum two measures share
    documents: dict[str, str] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)  # what pages show around the payloads (GET /chat/policy)
    conversation: dict[str, Any] = field(default_factory=dict)  # what the assistant says in the conversation

    def say(self, name: str, **values: Any) -> str:
        """The conversation's sentence ``name``, its {placeholders} filled from ``values``; a placeholder not given
        that names another sentence is that sentence ("{not_understood}请回复…")."""
        return self.conversation[name].format_map(_Values(values, self.conversation))


class _Values(dict):
    def __init__(self, values: dict[str, Any], sentences: dict[str, Any]):
        super().__init__(values)
        self.sentences = sentences

    def __missing__(self, key: str) -> Any:
        return self.sentences[key]


def words_from_record(record: dict) -> Words:
    kinds = {name: Kind(name=name, **spec) for name, spec in record["kinds"].items()}
    return Words(kinds, record["statuses"], record["total"], record.get("links", {}), record.get("coverage", {}),
                 record.get("documents", {}), record.get("pages", {}), record.get("conversation", {}))
