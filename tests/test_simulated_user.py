"""The simulated owner of the end-to-end tests answers a `confirm` (contract E12) as the persona would: yes when the
guess is its own fact, no when it is not, its row when two are offered; a confirmation counts as a question."""

import random

from testing.simulated_user import SimulatedUser, load_personas

PHRASES, PERSONAS = load_personas()


def _confirm(fact, value):
    return [{"text": "跟您确认一下"}, {"custom": {"type": "confirm", "fact": fact, "value": value}}]


def test_a_confirmation_is_answered_from_the_personas_facts():
    persona = next(p for p in PERSONAS if p["facts"].get("industry") == "工业")
    user = SimulatedUser(persona, PHRASES, random.Random(0))
    assert user.reply(_confirm("industry", "工业")) in PHRASES["yes"]
    assert user.reply(_confirm("industry", "批发业")) in PHRASES["no"]
    assert user.reply(_confirm("industry", ["批发业", "工业"])) == "工业"
    assert user.questions == 3 and user.asked == ["industry"] * 3
