"""The launcher's compiled validator gives Rasa's verdicts on action-server replies."""

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import validate_action_result

GOOD = {"events": [{"event": "slot", "name": "employees", "value": 12}], "responses": [{"text": "好"}]}
BAD = {"events": [{"name": "employees"}], "responses": "not a list"}


def test_a_valid_reply_passes_as_with_rasa():
    validate(GOOD, RemoteAction.action_response_format_spec())
    assert validate_action_result(RemoteAction("x", None), GOOD) is True


def test_an_invalid_reply_is_rejected_as_with_rasa():
    with pytest.raises(ValidationError):
        validate(BAD, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate_action_result(RemoteAction("x", None), BAD)
