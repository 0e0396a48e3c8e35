"""`rasa run`, with one change measured by bench/turns.py: replies of the action server are checked against Rasa's
response schema by a validator built once, instead of `jsonschema.validate`, which re-checks the schema itself on
every reply (most of the cost of an interview turn). Same schema, same verdicts; only the repeated work goes.

Run as ``python -m bot.rasa_server run --model …`` (bot.serve does).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result, with the compiled validator."""
    try:
        response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (f". Failed to validate Action server response from API, make sure your response from "
                          f"the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
        raise error


def main() -> None:
    RemoteAction._validate_action_result = validate_action_result
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
