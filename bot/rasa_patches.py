"""Every change this project makes to Rasa's internals, for Rasa 3.6.21 (the last open-source release, so none of
these will move under us), each with what it works around; `bot.rasa_server` installs them all before Rasa's
server starts (`install()`), and nothing else patches Rasa.

Before an upgrade, read each against the new Rasa: a patch whose target changed must be redone or dropped.

- jax refused (TensorFlow's optional `import jax`): about 100 MB for TF Lite's converter, which Rasa never calls.
- DIET loaded for prediction (`RasaModel.load`): Rasa builds a loaded model by a training step and keeps Adam's
  slots and the training graph, about 240 MB.
- Replies checked by compiled validators (`RemoteAction._validate_action_result`): `jsonschema.validate` checks
  the schema itself and all 23 event branches on every reply.
- One kept HTTP session per endpoint (`EndpointConfig.session`): Rasa opens a new `aiohttp.ClientSession` and TCP
  connection for every action call.
- Action calls carry the last two turns, as compact JSON (`RemoteAction._action_call_format`, the kept session):
  Rasa sends every event of the session, ASCII-escaped, with every call (RasaHQ/rasa#6334).
- An unreachable action server answered politely (`RemoteAction.run`): Rasa logs an error, the owner gets nothing.
- A message sent again answered once (`MessageProcessor.handle_message`, `get_tracker`): contract §E11; Rasa runs
  a resent message twice.
- Kept sessions closed on stop (`rasa.core.run.close_resources`).

Each is measured in bench/RESULTS.md (bench/turns.py, bench/memory.py, bench/resend.py) and tested in tests/bot.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("jax", None)  # before anything imports TensorFlow: `import jax` then fails, as TF allows for

import asyncio  # noqa: E402  (below: TensorFlow comes with Rasa's action classes)
import copy
import logging
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Text

import aiohttp
import rasa
import rasa.core.run
import ujson
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import ActionExecuted, Event, UserUttered, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

from bot.resent_messages import client_id, first_sending, replies_to
from bot.unavailable import actions_unavailable, words

logger = logging.getLogger(__name__)

_rasa_load = RasaModel.load.__func__
_new_session = EndpointConfig.session
_remote_run = RemoteAction.run
_handle_message = MessageProcessor.handle_message
_get_tracker = MessageProcessor.get_tracker


# ---------------------------------------------------------------- DIET loaded for prediction (bench/memory.py)

def load_for_prediction(cls, model_file_name: str, model_data_example: RasaModelData,
                        predict_data_example: Optional[RasaModelData] = None, finetune_mode: bool = False,
                        *args: Any, **kwargs: Any) -> RasaModel:
    """RasaModel.load for a model that only predicts: its weights are built by a prediction, not by a training
    step, so no optimizer, gradients or training graph are kept (each weight is checked to be in the checkpoint:
    the same intents, entities and confidences on the held-out messages). A model to fine-tune loads as Rasa's."""
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


# ---------------------------------------------------------------- action calls (bench/turns.py)

class ResponseValidator:
    """Rasa's response schema, with the events' `oneOf` looked up by event name: the branches' names are distinct,
    so "exactly one branch matches" is "the branch named by the event matches": same verdicts, an eighth of the
    work, and the schema itself is checked once."""

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


# What the actions read of a conversation's events reaches back to the user's previous message at most: the form
# reads the events since the user's latest message and the action run before it (actions/forms.py), the fallback
# the intents of the last two user messages (actions/handoff.py), rasa_sdk the trailing slot events and the latest
# input channel. Rasa sends every event of the session with every call (RasaHQ/rasa#6334): 10 KB at an interview's
# first turn, 110 KB by its twelfth, serialised by the Rasa server, whose one process is what saturates under load.
TURNS_SENT = 2


def recent_events(events: Iterable[Event], turns: int = TURNS_SENT) -> List[Event]:
    """The events from the listen before the user's `turns`-th last message on (all of them in a shorter
    conversation)."""
    events = list(events)
    said = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            said += 1
            if said == turns:
                listened = index > 0 and isinstance(events[index - 1], ActionExecuted)
                return events[index - 1 if listened else index:]
    return events


def action_call(self: RemoteAction, tracker: DialogueStateTracker, domain) -> Dict[Text, Any]:
    """RemoteAction._action_call_format, with the events of the last `TURNS_SENT` turns (the slots, latest message,
    active loop and the rest of the state are Rasa's, computed from every event)."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(tracker.events)]
    call = {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state, "version": rasa.__version__}
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        call["domain"] = domain.as_dict()
    return call


def compact_json(value: Any) -> str:
    """JSON as `json.dumps` writes it (same numbers, NaN and Infinity), without escaping Chinese (a third of the
    bytes) and four times as fast."""
    return ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False)


_opened: List[aiohttp.ClientSession] = []  # every kept session, to close when the server stops

# The action server (Sanic) closes a connection idle for its KEEP_ALIVE_TIMEOUT, 5 s; aiohttp keeps one 15 s. A
# connection the server has closed, taken again while the event loop was busy (a long message in the NLU), failed the
# action call ("Cannot write to closing transport") and the owner got no reply: idle connections go after 2 s.
KEEPALIVE_SECONDS = 2


def _session_to_keep(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """Rasa's session (same headers, auth and timeout) with a pool that lets idle connections go before the server."""
    auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"]) \
        if endpoint.basic_auth else None
    return aiohttp.ClientSession(headers=endpoint.headers, auth=auth,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                 connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
                                 json_serialize=compact_json)


def kept_session(self: EndpointConfig):
    """EndpointConfig.session, reusing one open session per endpoint (kept on it) on the running event loop: the
    same requests, headers, auth and timeout over one keep-alive connection."""
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
    """RemoteAction.run; while `make run`'s one action server is down (crashed, restarting), the owner reads what
    the cluster's nginx answers in that case (bot/unavailable.py): the message was not handled, send it again, what
    was said before is kept."""
    try:
        return await _remote_run(self, output_channel, nlg, tracker, domain)
    except RasaException as problem:
        if not action_server_unreachable(problem):
            raise
        logger.error(f"动作服务器无法连接，已请用户稍后再发（{self.name()}）：{problem}")
        reply = actions_unavailable(words()["actions_unavailable"])
        said = await self._utter_responses(reply["responses"], output_channel, nlg, tracker)
        return [*said, *deserialise_events(reply["events"])]


# ---------------------------------------------------------------- a message sent again (bot/resent_messages.py)

_read_for_this_message: ContextVar[Optional[DialogueStateTracker]] = ContextVar("read_for_this_message", default=None)


async def handle_message(self: MessageProcessor, message: UserMessage) -> Optional[List[Dict[Text, Any]]]:
    """MessageProcessor.handle_message, which Rasa calls under the conversation's lock: a message whose id is
    stored already gets the replies it got, with nothing run or stored twice. The conversation read for the check
    is the one Rasa goes on with (bench/resend.py measured a second read at 12% of a turn)."""
    message_id = client_id(message)
    if not message_id:
        return await _handle_message(self, message)
    tracker = await _get_tracker(self, message.sender_id)
    events = list(tracker.events)
    sent = first_sending(events, message_id)
    if sent is not None and sent.text == message.text:
        for reply in replies_to(events, sent):
            await message.output_channel.send_response(message.sender_id, reply)
        return message.output_channel.messages if isinstance(message.output_channel, CollectingOutputChannel) else None
    if sent is None:  # else the id came before with other words: a new message, under Rasa's own id
        message.message_id = message_id
    reading = _read_for_this_message.set(tracker)
    try:
        return await _handle_message(self, message)
    finally:
        _read_for_this_message.reset(reading)


async def get_tracker(self: MessageProcessor, conversation_id: Text) -> DialogueStateTracker:
    """The conversation as `handle_message` read it for this message (once), else as Rasa reads it."""
    tracker = _read_for_this_message.get()
    if tracker is not None and tracker.sender_id == conversation_id:
        _read_for_this_message.set(None)
        return tracker
    return await _get_tracker(self, conversation_id)


# ---------------------------------------------------------------- all of them

def install() -> None:
    """Applies every patch to the Rasa classes this process will use."""
    close_resources = rasa.core.run.close_resources

    async def close_resources_and_sessions(app, loop) -> None:
        await close_resources(app, loop)
        await close_kept_sessions()

    RasaModel.load = classmethod(load_for_prediction)
    RemoteAction._validate_action_result = validate_action_result
    RemoteAction._action_call_format = action_call
    RemoteAction.run = run_or_say_unavailable
    EndpointConfig.session = kept_session
    MessageProcessor.handle_message = handle_message
    MessageProcessor.get_tracker = get_tracker
    rasa.core.run.close_resources = close_resources_and_sessions
