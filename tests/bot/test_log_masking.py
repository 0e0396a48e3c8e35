"""Personal numbers never reach a log (bot/log_masking.py): records made through logging and through structlog as
Rasa configures it, checked at the handler's output."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot import log_masking

PHONE, ID_NUMBER, CREDIT_CODE = "13812345678", "37150219850612301X", "91371500MA3C4X7Y2K"


@pytest.fixture
def captured():
    """A handler on a fresh logger, with the masking record factory installed for the test only."""
    factory = logging.getLogRecordFactory()
    log_masking.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("test.log_masking")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logging.setLogRecordFactory(factory)


@pytest.mark.parametrize("text, kept", [
    (f"电话{PHONE}，法人身份证{ID_NUMBER}，信用代码{CREDIT_CODE}", "电话[电话]，法人身份证[身份证号]，信用代码[信用代码]"),
    ("手机 138-1234-5678 或 +86 139 1234 5678", "手机 [电话] 或 [电话]"),
    ("座机0635-8888888", "座机[电话]"),
    ("身份证号110101199003074512", "身份证号[身份证号]"),
    ("GET /chat/signin?token=Zx9_abc-1&next=1", "GET /chat/signin?token=[令牌]&next=1"),
    ("Authorization: Bearer Zx9_abc-1", "Authorization: Bearer [令牌]"),
])
def test_numbers_in_a_message_are_masked(captured, text, kept):
    logger, stream = captured
    logger.debug("Received user message '%s'", text)
    assert stream.getvalue().strip() == f"Received user message '{kept}'"


@pytest.mark.parametrize("text", ["去年营收18000000元", "12个人", "2020年2月至6月", "sender test-1a2b3c4d5e",
                                  "timestamp 1764500000.123456"])
def test_figures_of_a_conversation_are_not_numbers_to_mask(captured, text):
    logger, stream = captured
    logger.info(text)
    assert stream.getvalue().strip() == text


def test_numbers_inside_json_with_escaped_chinese_are_masked(captured):
    """structlog renders Rasa's events as JSON with \\uXXXX escapes: '电话13812345678' arrives as
    '\\u7535\\u8bdd13812345678', the number glued to the hex digits of an escape."""
    logger, stream = captured
    logger.error(json.dumps({"event": "rest.message.received.failure", "text": f"电话{PHONE}，身份证{ID_NUMBER}"}))
    out = stream.getvalue()
    assert PHONE not in out and ID_NUMBER not in out
    assert json.loads(out)["text"] == "电话[电话]，身份证[身份证号]"


def test_a_structlog_record_as_rasa_configures_it_is_masked(captured):
    import structlog

    logger, stream = captured
    log = structlog.wrap_logger(logger, processors=[structlog.processors.JSONRenderer()],
                                wrapper_class=structlog.stdlib.BoundLogger)
    log.info("rest.message.received", text=f"我的手机{PHONE}")
    assert PHONE not in stream.getvalue() and "[电话]" in json.loads(stream.getvalue())["text"]


def test_the_filter_also_masks_on_a_handler(captured):
    """MaskNumbers is a logging.Filter: a handler that carries it masks records made before install()."""
    logger, stream = captured
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "caller %s", (PHONE,), None)
    assert log_masking.MaskNumbers().filter(record) and record.getMessage() == "caller [电话]"


def test_installing_twice_masks_once(captured):
    log_masking.install()
    logger, stream = captured
    logger.info(PHONE)
    assert stream.getvalue().strip() == "[电话]"
