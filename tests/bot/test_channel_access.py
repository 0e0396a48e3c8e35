"""Who may reach the channels and pages (bot/web/access.py): the decisions, without a server. The same rules
over HTTP against a real server bound to 0.0.0.0 are in tests/security/test_access_over_http.py."""

from __future__ import annotations

import json

import pytest

from bot.web import access


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_a_server_on_loopback_takes_no_token(host):
    assert not access.token_required(host, environ={})


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "assistant.example.gov.cn", "", None])
def test_a_server_reachable_from_elsewhere_takes_the_token(host):
    assert access.token_required(host, environ={})


def test_a_proxy_on_the_same_host_can_ask_for_the_token():
    assert access.token_required("127.0.0.1", environ={"HUIQI_ACCESS": "token"})


def test_the_token_comes_from_the_environment_first(tmp_path, monkeypatch):
    monkeypatch.setattr(access, "TOKEN_FILE", tmp_path / "channel-token")
    assert access.channel_token({"HUIQI_CHANNEL_TOKEN": "s3cret"}) == "s3cret"
    assert not (tmp_path / "channel-token").exists()


def test_without_the_variable_a_token_is_made_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(access, "TOKEN_FILE", tmp_path / "channel-token")
    first = access.channel_token({})
    assert len(first) >= 32 and access.channel_token({}) == first
    assert (tmp_path / "channel-token").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("origin, host", [
    ("http://127.0.0.1:5005", "127.0.0.1:5005"),
    ("https://zhengce.example.gov.cn", "zhengce.example.gov.cn"),
    ("http://assistant.example:8080", "assistant.example"),  # a proxy that drops the port from Host
])
def test_the_server_s_own_origin_is_allowed(origin, host):
    assert access.origin_allowed(origin, host, set())


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:9999", "file://", ""])
def test_other_origins_are_refused_unless_configured(origin):
    assert not access.origin_allowed(origin, "127.0.0.1:5005", set())


@pytest.mark.parametrize("origin", [None, "null", "http://127.0.0.1:5005"])
@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_browser_that_says_the_request_is_from_another_site_is_refused(origin, site):
    assert not access.origin_allowed(origin, "127.0.0.1:5005", set(), fetch_site=site)


def test_our_own_form_posted_under_no_referrer_is_let_through():
    """The result card's form (Referrer-Policy: no-referrer): Origin null, Sec-Fetch-Site same-origin."""
    assert access.origin_allowed("null", "127.0.0.1:5005", set(), fetch_site="same-origin")
    assert access.origin_allowed(None, "127.0.0.1:5005", set(), fetch_site="none")  # typed in the address bar


def test_a_configured_site_is_let_through_whatever_the_browser_says():
    assert access.origin_allowed("https://wx.example.cn", "a:1", {"https://wx.example.cn"}, fetch_site="cross-site")


def test_a_configured_origin_is_allowed_and_no_other():
    configured = access.allowed_origins({"HUIQI_CORS_ORIGINS": "https://www.example.gov.cn/, https://wx.example.cn"})
    assert configured == {"https://www.example.gov.cn", "https://wx.example.cn"}
    assert access.origin_allowed("https://wx.example.cn", "assistant:5005", configured)
    assert not access.origin_allowed("https://wx.example.cn.evil.example", "assistant:5005", configured)


def test_a_request_without_origin_is_not_a_cross_site_one():
    assert access.origin_allowed(None, "127.0.0.1:5005", set())


def test_the_sign_in_cookie_holds_for_its_token_until_it_expires():
    value = access.cookie_value("token-a", now=1_000_000)
    assert access.cookie_valid(value, "token-a", now=1_000_000 + 60)
    assert not access.cookie_valid(value, "token-b", now=1_000_000 + 60)
    assert not access.cookie_valid(value, "token-a", now=1_000_000 + access.COOKIE_SECONDS + 1)


@pytest.mark.parametrize("forged", ["", "x", "9999999999.", "9999999999.AAAA", "abc.def", None, 5])
def test_a_made_up_cookie_is_refused(forged):
    assert not access.cookie_valid(forged, "token-a", now=0)


def test_a_cookie_with_a_later_expiry_written_in_is_refused():
    expires, mac = access.cookie_value("token-a", now=0).split(".")
    assert not access.cookie_valid(f"{int(expires) + 10**6}.{mac}", "token-a", now=0)


@pytest.mark.parametrize("header, given", [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None),
                                           ("Bearer", None), (None, None)])
def test_the_token_is_read_from_a_bearer_header_only(header, given):
    assert access.bearer(header) == given


@pytest.mark.parametrize("body", [
    b'{"sender": "a", "message": "\xe4\xbd\xa0\xe5\xa5\xbd"}',
    b'{"sender": "a", "message": ""}',
    b'{"sender": "a"}',
    b'{"sender": "a", "message": "hi", "metadata": {"via": "wechat"}, "input_channel": "rest"}',
], ids=str)
def test_a_well_formed_rest_body_goes_to_rasa(body):
    assert access.rest_body_problem(body) is None


@pytest.mark.parametrize("body", [
    b"", b"{bad", b"[1, 2]", b'"text"', b"null", b"\xff\xfe",
    b'{"message": "hi"}', b'{"sender": null, "message": "hi"}', b'{"sender": 5, "message": "hi"}',
    b'{"sender": ["a"], "message": "hi"}', b'{"sender": "  ", "message": "hi"}',
    json.dumps({"sender": "a" * 256, "message": "hi"}).encode(),
    b'{"sender": "a", "message": {"text": "hi"}}', b'{"sender": "a", "message": 5}',
    b'{"sender": "a", "message": ["hi"]}', b'{"sender": "a", "message": "hi", "metadata": "x"}',
    b'{"sender": "a", "message": "hi", "input_channel": 5}',
], ids=lambda body: str(body)[:60])
def test_a_malformed_rest_body_gets_a_polite_400(body):
    status, reason = access.rest_body_problem(body)
    assert status == 400 and reason.startswith("抱歉")


def test_an_oversized_rest_body_gets_a_polite_413():
    status, reason = access.rest_body_problem(json.dumps({"sender": "a", "message": "长" * 50_000}).encode())
    assert status == 413 and "太长" in reason


def test_a_ten_thousand_character_message_still_reaches_the_bot():
    assert access.rest_body_problem(json.dumps({"sender": "a", "message": "长" * 10_000}).encode()) is None


def test_a_message_over_the_length_limit_goes_on_cut_to_one_character_over():
    from bot.nlu.guard import MAX_LENGTH, problem

    body = json.dumps({"sender": "a", "message": "  " + "长" * 10_000, "metadata": {"k": 1}}).encode()
    cut = json.loads(access.cut_to_length(body))
    assert cut == {"sender": "a", "message": "长" * (MAX_LENGTH + 1), "metadata": {"k": 1}}
    assert problem(cut["message"]) == problem("长" * 10_000) == "too_long"


@pytest.mark.parametrize("message", ["长" * 2000, " " * 2001, "短", None])
def test_a_message_within_the_limit_goes_on_as_it_is(message):
    assert access.cut_to_length(json.dumps({"sender": "a", "message": message}).encode()) is None
