"""The login guard (app/login.py): failed attempts limited, sessions that end, safe cookies.

The limiter and the settings are tested on their own; everything else against the real app served by
`vraagbaak serve`, through Gradio's own /login, /config and /logout routes."""

from __future__ import annotations

import time

import httpx
import pytest

from app.errors import UserError
from app.login import FailureLimiter, SessionClock, _with_flags, settings_from_env
from tests.conftest import start_server

SESSION_S = 6.0
HTTP = httpx.Client(trust_env=False, timeout=60)  # straight to loopback, whatever proxy the machine has
USERS = "ann:geheim-ann,bob:geheim-bob,carol:geheim-carol,dave:geheim-dave"


# --- the limiter, the session clock and the settings, without a server ----------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limiter_refuses_the_sixth_attempt_within_the_window_and_admits_after_it():
    clock = Clock()
    limiter = FailureLimiter(5, 60, clock)
    for _ in range(5):
        assert limiter.admit(["user:ann", "address:10.0.0.1"]) == 0
        clock.now += 1
    assert limiter.admit(["user:ann", "address:10.0.0.9"]) == pytest.approx(55)  # the user is blocked
    assert limiter.admit(["user:bob", "address:10.0.0.1"]) == pytest.approx(55)  # and the address
    assert limiter.admit(["user:bob", "address:10.0.0.9"]) == 0  # others are not
    clock.now = 1060.5  # the first attempt has left the window
    assert limiter.admit(["user:ann", "address:10.0.0.1"]) == 0
    assert limiter.admit(["user:ann", "address:10.0.0.1"]) > 0


def test_a_success_clears_the_user_and_takes_only_its_own_attempt_off_the_address():
    clock = Clock()
    limiter = FailureLimiter(3, 60, clock)
    for _ in range(2):
        limiter.admit(["user:ann", "address:a"])
    limiter.admit(["user:ann", "address:a"])
    limiter.succeeded("user:ann", ["address:a"])
    assert limiter.admit(["user:ann", "address:b"]) == 0  # ann starts again
    assert limiter.admit(["user:x", "address:a"]) == 0  # address a keeps its two failures: room for one
    assert limiter.admit(["user:y", "address:a"]) > 0


def test_sessions_expire_in_the_order_they_were_issued():
    clock = Clock()
    sessions = SessionClock(10, clock)
    sessions.issue("first")
    clock.now += 5
    sessions.issue("second")
    assert sessions.expired() == []
    clock.now += 5
    assert sessions.expired() == ["first"]
    clock.now += 5
    assert sessions.expired() == ["second"]
    assert sessions.expired() == []


def test_settings_come_from_the_environment_and_a_wrong_value_is_refused_in_dutch():
    assert settings_from_env({}).session_s == 8 * 3600 and settings_from_env({}).max_failures == 5
    settings = settings_from_env(
        {
            "VRAAGBAAK_SESSION_HOURS": "0.5",
            "VRAAGBAAK_LOGIN_MAX_FAILURES": "3",
            "VRAAGBAAK_LOGIN_WINDOW_SECONDS": "30",
            "VRAAGBAAK_TRUSTED_PROXY": " 127.0.0.1, 10.0.0.0/24 ",
        }
    )
    assert (settings.session_s, settings.max_failures, settings.window_s) == (1800, 3, 30)
    assert settings.trusted_proxy == "127.0.0.1,10.0.0.0/24"
    for name, value in [
        ("VRAAGBAAK_SESSION_HOURS", "acht"),
        ("VRAAGBAAK_SESSION_HOURS", "-1"),
        ("VRAAGBAAK_LOGIN_MAX_FAILURES", "2.5"),
        ("VRAAGBAAK_TRUSTED_PROXY", "proxy.example"),
    ]:
        with pytest.raises(UserError, match=f"{name}: '{value}' is geen"):
            settings_from_env({name: value})


def test_login_cookies_get_httponly_always_and_secure_only_when_asked():
    both = [b"HttpOnly", b"Secure"]
    _, value = _with_flags(b"set-cookie", b"access-token-unsecure-x=t; Path=/; SameSite=lax", both)
    assert value == b"access-token-unsecure-x=t; Path=/; SameSite=lax; HttpOnly; Secure"
    _, value = _with_flags(b"set-cookie", b"access-token-x=t; HttpOnly; Secure", both)
    assert value == b"access-token-x=t; HttpOnly; Secure"
    assert _with_flags(b"set-cookie", b"other=1", both) == (b"set-cookie", b"other=1")
    assert _with_flags(b"set-cookie", b"access-token-x=t", [b"HttpOnly"])[1] == b"access-token-x=t; HttpOnly"


# --- the served app -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proxied(tmp_path_factory, cli_env):
    """The app behind a 'proxy' on loopback: its X-Forwarded-For and -Proto count; sessions of 6 s."""
    home = tmp_path_factory.mktemp("login-proxied") / "index"
    extra = {
        "VRAAGBAAK_AUTH": USERS,
        "VRAAGBAAK_TRUSTED_PROXY": "127.0.0.1",
        "VRAAGBAAK_SESSION_HOURS": str(SESSION_S / 3600),
    }
    process, url = start_server(home, cli_env, extra)
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def direct(tmp_path_factory, cli_env):
    """The app with a login and no trusted proxy: forwarded headers are anyone's claim."""
    home = tmp_path_factory.mktemp("login-direct") / "index"
    process, url = start_server(home, cli_env, {"VRAAGBAAK_AUTH": "ann:geheim-ann"})
    yield url
    process.terminate()
    process.wait(timeout=30)


def log_in(  # type: ignore[no-untyped-def]
    url: str, user: str, password: str, address: str | None = None, https: bool = False, form: bool = False
):
    """POST to Gradio's /login, urlencoded or (`form`) multipart as its login page sends it."""
    headers = {"X-Forwarded-For": address} if address else {}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    fields = {"username": user, "password": password}
    if form:
        return HTTP.post(url + "login", files={k: (None, v) for k, v in fields.items()}, headers=headers)
    return HTTP.post(url + "login", data=fields, headers=headers)


def session_cookie(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return "; ".join(f"{name}={value}" for name, value in response.cookies.items())


def config_status(url: str, cookie: str) -> int:
    return HTTP.get(url + "config", headers={"Cookie": cookie}).status_code


def login_cookies(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [value for value in response.headers.get_list("set-cookie") if value.startswith("access-token")]


def flags(cookie: str) -> set[str]:
    """A set-cookie value's attributes, lower case, without their values."""
    return {part.split("=")[0].strip().lower() for part in cookie.split(";")[1:]}


def test_after_300_wrong_passwords_the_right_one_is_refused_too(proxied):
    statuses = [log_in(proxied, "carol", f"fout-{n}", "10.0.0.1", form=True).status_code for n in range(300)]
    assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}
    refused = log_in(proxied, "carol", "geheim-carol", "10.0.0.1", form=True)
    assert refused.status_code == 429
    seconds = int(refused.headers["Retry-After"])
    assert 0 < seconds <= 60
    assert refused.json()["detail"] == (
        f"Te veel mislukte aanmeldpogingen; probeer het over {seconds} seconden opnieuw."
    )
    assert log_in(proxied, "carol", "geheim-carol", "10.0.0.2").status_code == 429  # the user is blocked
    assert log_in(proxied, "bob", "geheim-bob", "10.0.0.1").status_code == 429  # so is the address
    assert log_in(proxied, "bob", "geheim-bob", "10.0.0.3").status_code == 200  # others log in


def test_failures_from_one_address_block_it_for_every_user_name(proxied):
    assert [log_in(proxied, f"x{n}", "fout", "10.0.1.1").status_code for n in range(5)] == [400] * 5
    assert log_in(proxied, "dave", "geheim-dave", "10.0.1.1").status_code == 429
    assert log_in(proxied, "dave", "geheim-dave", "10.0.1.2").status_code == 200


def test_a_successful_login_clears_the_users_failures(proxied):
    assert [log_in(proxied, "ann", "fout", "10.0.2.1").status_code for _ in range(4)] == [400] * 4
    assert log_in(proxied, "ann", "geheim-ann", "10.0.2.1").status_code == 200
    assert [log_in(proxied, "ann", "fout", "10.0.2.2").status_code for _ in range(5)] == [400] * 5
    assert log_in(proxied, "ann", "fout", "10.0.2.3").status_code == 429  # counting again from zero


def test_a_session_ends_after_its_time(proxied):
    started = time.monotonic()
    cookie = session_cookie(log_in(proxied, "bob", "geheim-bob", "10.0.3.1"))
    assert config_status(proxied, cookie) == 200
    time.sleep(max(0.0, started + SESSION_S + 1 - time.monotonic()))
    assert config_status(proxied, cookie) == 401
    fresh = session_cookie(log_in(proxied, "bob", "geheim-bob", "10.0.3.1"))
    assert config_status(proxied, fresh) == 200


def test_logout_ends_the_session_on_the_server(proxied):
    cookie = session_cookie(log_in(proxied, "bob", "geheim-bob", "10.0.4.1"))
    config = HTTP.get(proxied + "config", headers={"Cookie": cookie}).json()
    offered = [c["props"] for c in config["components"] if c["props"].get("elem_id") == "vb-logout"]
    assert len(offered) == 1 and 'href="/logout">Afmelden</a>' in offered[0]["value"]  # the page offers it
    logout = HTTP.get(proxied + "logout", headers={"Cookie": cookie})
    assert logout.status_code == 302
    assert config_status(proxied, cookie) == 401  # the old cookie, sent again, no longer logs in


def test_over_https_every_login_cookie_is_secure_and_httponly(proxied):
    response = log_in(proxied, "bob", "geheim-bob", "10.0.5.1", https=True)
    cookie = session_cookie(response)
    logout = HTTP.get(proxied + "logout", headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    for issued in [response, logout]:
        cookies = login_cookies(issued)
        assert len(cookies) == 2, cookies  # access-token-* and access-token-unsecure-*
        for value in cookies:
            assert {"secure", "httponly"} <= flags(value), value


def test_an_untrusted_client_cannot_claim_https_or_another_address(direct):
    response = log_in(direct, "ann", "geheim-ann", "10.9.9.1", https=True)
    assert response.status_code == 200
    unsecure = [value for value in login_cookies(response) if value.startswith("access-token-unsecure")]
    assert len(unsecure) == 1 and "secure" not in flags(unsecure[0])  # plain http on loopback: a cookie
    assert "httponly" in flags(unsecure[0])  # the browser keeps
    assert [log_in(direct, f"x{n}", "fout", f"10.9.9.{n + 10}").status_code for n in range(5)] == [400] * 5
    assert log_in(direct, "ann", "geheim-ann", "10.9.9.99").status_code == 429  # one address: 127.0.0.1
