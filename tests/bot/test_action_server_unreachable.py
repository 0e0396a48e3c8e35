"""Which failed action calls `make run`'s Rasa server answers with the polite request to send again
(bot/rasa_patches.py): an action server that cannot be reached, not an action that failed."""

import aiohttp
import pytest
from rasa.shared.exceptions import RasaException

from bot.rasa_patches import action_server_unreachable
from bot.unavailable import actions_unavailable, words


def _raised_from(cause: Exception) -> RasaException:
    """A RasaException raised inside `except cause`, as RemoteAction.run raises it."""
    try:
        try:
            raise cause
        except Exception:
            raise RasaException("Failed to execute custom action 'action_interview'")
    except RasaException as problem:
        return problem


def _status(code: int) -> aiohttp.ClientResponseError:
    return aiohttp.ClientResponseError(request_info=None, history=(), status=code)


@pytest.mark.parametrize("cause", [aiohttp.ClientConnectorError(None, ConnectionRefusedError(111, "refused")),
                                   aiohttp.ServerDisconnectedError(), _status(502), _status(503), _status(504)])
def test_a_server_down_or_a_proxy_without_one_is_unreachable(cause):
    assert action_server_unreachable(_raised_from(cause))


@pytest.mark.parametrize("cause", [_status(400), _status(500), _status(404), ValueError("a bug")])
def test_an_action_that_failed_or_rejected_the_message_is_not(cause):
    assert not action_server_unreachable(_raised_from(cause))


def test_the_reply_says_the_words_of_deploy_messages_and_then_listens():
    reply = actions_unavailable(words()["actions_unavailable"])
    assert reply["responses"] == [{"text": "抱歉，系统正忙，刚才这句话没能处理完，请稍后再发一次。您之前告诉我的情况都已保存。"}]
    assert reply["events"][-1] == {"event": "followup", "name": "action_listen"}
