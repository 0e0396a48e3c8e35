"""`rasa run`, with a message sent again answered once (bot/resent_messages.py, contract §E11), an action server
that cannot be reached answered for politely, two changes measured by bench/turns.py, both about the calls Rasa
makes to the action server:

- Replies are checked against Rasa's response schema by validators built once, instead of `jsonschema.validate`,
  which re-checks the schema itself on every reply; and each event is checked against the one branch of the
  schema's `oneOf` that its `event` name selects, instead of against all 23. The branches' names are distinct, so
  "exactly one branch matches" is "the branch named by the event matches": same verdicts, an eighth of the work.
- Calls reuse one HTTP session (and its keep-alive connection) per endpoint, instead of Rasa opening a new
  `aiohttp.ClientSession` and TCP connection for every call. Same requests, headers, auth and timeout; the session
  is closed when the server stops.

and two changes measured by bench/memory.py, about what the server holds (the same weights and prediction graph: the
same intents, entities and confidences on the held-out messages):

- Rasa builds a loaded DIET by training it one step (`RasaModel.load`: compile with Adam, `fit` one example), then
  overwrites the weights from the checkpoint. A server never trains, yet kept Adam's two slots per weight, the traced
  training step and its gradients: about 240 MB. Here the weights are built by one prediction instead, then restored
  (each one checked to be in the checkpoint), and the prediction traced again.
- TensorFlow's import brings in jax, for TF Lite's converter, which Rasa never calls (jax is in the venv as another
  package's dependency): about 100 MB. Its import fails here as it would without jax, which TensorFlow allows for.

While `make run`'s one action server is down (crashed, restarting), Rasa logs an error and the owner gets no reply;
the owner reads instead what the cluster's nginx answers in that case (bot/unavailable.py): the message was not
handled, send it again, what was said before is kept.

Run as ``python -m bot.rasa_server run --model …`` (bot.serve does).
"""

from __future__ import annotations

import sys

sys.modules.setdefault("jax", None)  # before anything imports TensorFlow: `import jax` then fails, as TF allows for

import asyncio  # noqa: E402  (below: TensorFlow comes with Rasa's action classes)
import copy
import logging
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

import aiohttp
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event, deserialise_events
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

from bot.unavailable import actions_unavailable, words

_new_session = EndpointConfig.session
_remote_run = RemoteAction.run
logger = logging.getLogger(__name__)


class ResponseValidator:
    """Rasa's response schema, with the events' `oneOf` looked up by event name."""

    def __init__(self, schema: Dict[Text, Any]) -> None:
        schema = copy.deepcopy(schema)
        cls = validator_for(schema)
        cls.check_schema(schema)
        branches = schema["properties"]["events"]["items"].pop("oneOf")
        self.common = cls(schema)
        self.by_event = {branch["properties"]["event"]["const"]: cls(branch) for branch in branches}
        if len(self.by_event) != len(branches):
            raise ValueError("the schema's event branches do not have distinct names")

    def validate(self, result: Any) -> None:
        self.common.validate(result)
        for event in result.get("events") or []:
            branch = self.by_event.get(event["event"])
            if branch is None:
                raise ValidationError(f"{event['event']!r} is not one of the event types Rasa knows")
            branch.validate(event)


@lru_cache(maxsize=1)
def response_validator() -> ResponseValidator:
    return ResponseValidator(RemoteAction.action_response_format_spec())


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result, with the compiled validators."""
    try:
        response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (f". Failed to validate Action server response from API, make sure your response from "
                          f"the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
        raise error


class _Borrowed:
    """`async with` over a kept session: hands it out and leaves it open (Rasa's `request` closes what it gets)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


_opened: List[aiohttp.ClientSession] = []  # every kept session, to close when the server stops


# The action server (Sanic) closes a connection idle for its KEEP_ALIVE_TIMEOUT, 5 s; aiohttp keeps one 15 s. A
# connection the server has closed, taken again while the event loop was busy (a long message in the NLU), failed the
# action call ("Cannot write to closing transport") and the owner got no reply: idle connections go after 2 s.
KEEPALIVE_SECONDS = 2


def _session_to_keep(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """Rasa's session (same headers, auth and timeout) with a pool that lets idle connections go before the server."""
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"]) \
        if endpoint.basic_auth else None
    return aiohttp.ClientSession(headers=endpoint.headers, auth=auth,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                 connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS))


def kept_session(self: EndpointConfig):
    """EndpointConfig.session, reusing one open session per endpoint (kept on it) on the running event loop."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _new_session(self)
    session = getattr(self, "kept_session", None)
    if session is None or session.closed or session._loop is not loop:
        session = self.kept_session = _session_to_keep(self)
        _opened.append(session)
    return _Borrowed(session)


async def close_kept_sessions() -> None:
    sessions = list(_opened)
    _opened.clear()
    for session in sessions:
        if not session.closed:
            await session.close()


def action_server_unreachable(problem: RasaException) -> bool:
    """Whether Rasa's failed action call never reached a working action server (refused, dropped, or a proxy's
    502–504), as opposed to an action that failed."""
    cause = problem.__cause__ or problem.__context__
    return isinstance(cause, aiohttp.ClientConnectionError) or (
        isinstance(cause, aiohttp.ClientResponseError) and cause.status in (502, 503, 504))


async def run_or_say_unavailable(self: RemoteAction, output_channel, nlg, tracker, domain) -> List[Event]:
    """RemoteAction.run; when the action server cannot be reached, what nginx answers in the cluster."""
    try:
        return await _remote_run(self, output_channel, nlg, tracker, domain)
    except RasaException as problem:
        if not action_server_unreachable(problem):
            raise
        logger.error(f"动作服务器无法连接，已请用户稍后再发（{self.name()}）：{problem}")
        reply = actions_unavailable(words()["actions_unavailable"])
        said = await self._utter_responses(reply["responses"], output_channel, nlg, tracker)
        return [*said, *deserialise_events(reply["events"])]


_rasa_load = RasaModel.load.__func__


def load_for_prediction(cls, model_file_name: str, model_data_example: RasaModelData,
                        predict_data_example: Optional[RasaModelData] = None, finetune_mode: bool = False,
                        *args: Any, **kwargs: Any) -> RasaModel:
    """RasaModel.load for a model that only predicts: its weights are built by a prediction, not by a training
    step, so no optimizer, gradients or training graph are kept. A model to fine-tune loads as Rasa loads it."""
    if finetune_mode or predict_data_example is None:
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                          *args, **kwargs)
    model = cls(*args, **kwargs)
    model.run_inference(predict_data_example)  # creates every weight the prediction reads, with random values
    model.load_weights(model_file_name).expect_partial().assert_existing_objects_matched()  # all of them restored
    model.prepared_for_prediction = False  # the labels' embeddings and the traced step held the random weights
    model._tf_predict_step = None
    model.run_inference(predict_data_example)
    return model


def install() -> None:
    """Applies the changes to the Rasa classes this process will use."""
    import rasa.core.run

    from bot import resent_messages

    close_resources = rasa.core.run.close_resources

    async def close_resources_and_sessions(app, loop) -> None:
        await close_resources(app, loop)
        await close_kept_sessions()

    resent_messages.install()
    RemoteAction._validate_action_result = validate_action_result
    RemoteAction.run = run_or_say_unavailable
    RasaModel.load = classmethod(load_for_prediction)
    EndpointConfig.session = kept_session
    rasa.core.run.close_resources = close_resources_and_sessions


def main() -> None:
    from bot import log_masking

    log_masking.install()  # user text reaches Rasa's logs; personal numbers must not (contract E9)
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
