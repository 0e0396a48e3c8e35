"""The operator token of the hotline console (bot/staff/access.py, docs/contract.md E7): where it comes from,
how it is checked. That every console endpoint refuses a request without it, against the real server, is in
tests/browser/test_console.py."""

from __future__ import annotations

import stat

import pytest

from bot.staff import access


def test_the_token_is_generated_once_into_the_file_readable_only_by_its_owner(tmp_path):
    path = tmp_path / "build" / "operator-token"
    first = access.operator_token(path, environ={})
    assert len(first) >= 40 and path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert access.operator_token(path, environ={}) == first  # reused, not regenerated
    assert access.operator_token(tmp_path / "other", environ={}) != first  # random


def test_the_environment_variable_wins_and_creates_no_file(tmp_path):
    path = tmp_path / "operator-token"
    assert access.operator_token(path, environ={access.TOKEN_ENV: " s3cret "}) == "s3cret"
    assert not path.exists()
    assert access.token_source({access.TOKEN_ENV: "x"}) == f"环境变量 {access.TOKEN_ENV}"
    assert access.token_source({}) == str(access.TOKEN_FILE)
    # an empty variable is as good as none
    assert access.operator_token(path, environ={access.TOKEN_ENV: "  "}) == path.read_text().strip()


@pytest.mark.parametrize("header, ok", [
    ("Bearer tok-123", True),
    ("bearer tok-123", True),
    ("Bearer tok-12", False),
    ("Bearer tok-1234", False),
    ("Bearer ", False),
    ("Basic tok-123", False),
    ("tok-123", False),
    ("", False),
    (None, False),
    (["Bearer tok-123"], False),
    ("Bearer 令牌", False),
])
def test_only_the_exact_bearer_token_is_accepted(header, ok):
    assert access.authorized(header, "tok-123") is ok


def test_an_empty_token_accepts_nothing():
    assert not access.authorized("Bearer ", "")
    assert not access.authorized("Bearer x", "")


def test_the_comparison_is_constant_time(monkeypatch):
    calls = []
    real = access.hmac.compare_digest
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    assert access.authorized("Bearer abc", "abc")
    assert calls == [(b"abc", b"abc")]
