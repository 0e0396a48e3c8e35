"""Trackers as the action server receives them, and a way to run an action."""

import asyncio
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


DOMAIN_SLOTS = tuple(yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text(encoding="utf-8"))["slots"])


def tracker(slots=None, text="", intent="inform", entities=(), requested=None, events=(), active_loop=None):
    """As Rasa sends it: every slot of the domain, None unless given."""
    slots = {**dict.fromkeys(DOMAIN_SLOTS), **(slots or {})}
    if requested:
        slots["requested_slot"] = requested
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": list(entities)}
    return Tracker("test", slots, message, list(events), False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def entity(name, value, role=None):
    e = {"entity": name, "value": value}
    if role:
        e["role"] = role
    return e


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {"slots": {}, "forms": {}}))
    return dispatcher.messages, events


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def payloads(messages):
    return [m["custom"] for m in messages if m.get("custom")]
