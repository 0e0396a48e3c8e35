"""Personal numbers never reach a log (docs/contract.md E9): mobile and landline numbers, 18-digit 身份证 numbers,
统一社会信用代码, and access tokens in addresses or headers are replaced before any handler sees a record.

Rasa logs what users type (at DEBUG, and with failures), often as JSON where Chinese is ``\\uXXXX``-escaped, so a
number may follow an escape's hex digits: that counts as a boundary too. The filter runs where records are made
(the log record factory), so handlers that Rasa or Sanic add later are covered as well.
"""

from __future__ import annotations

import logging
import re

_BEFORE = r"(?:(?<=\\u[0-9a-fA-F]{4})|(?<![0-9A-Za-z]))"
_AFTER = r"(?![0-9A-Za-z])"
_USCC_CHAR = "[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]"
PATTERNS = [
    (re.compile(_BEFORE + r"\d{17}[0-9Xx]" + _AFTER), "[身份证号]"),
    (re.compile(_BEFORE + _USCC_CHAR + r"{2}\d{6}" + _USCC_CHAR + "{10}" + _AFTER), "[信用代码]"),
    (re.compile(_BEFORE + r"(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}" + _AFTER), "[电话]"),
    (re.compile(_BEFORE + r"0\d{2,3}[- ]\d{7,8}" + _AFTER), "[电话]"),
    (re.compile(r"(token=)[^&\s\"'\\]+", re.IGNORECASE), r"\1[令牌]"),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[令牌]"),
]


def mask(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskNumbers(logging.Filter):
    """Rewrites a record's message with the numbers masked (the record stays, only its text changes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error handling
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        for name in ("exc_text", "request"):  # a formatted traceback; the address in Sanic's access log
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, mask(value))
        return True


def install() -> None:
    """Masks every record this process makes from now on (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "masks_numbers", False):
        return
    masker = MaskNumbers()

    def masked_record(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        masker.filter(record)
        return record

    masked_record.masks_numbers = True
    logging.setLogRecordFactory(masked_record)
