"""Guarding Gradio's built-in login: a limit on failed attempts, sessions that expire, safe cookies.

`LoginGuard` is an ASGI middleware around Gradio's FastAPI app (installed through
`launch(app_kwargs={"middleware": ...})`, so it is in place before the server starts). It

- counts login attempts (POST to a path ending in `/login`) per user name and per client address;
  every attempt counts as a failure until Gradio answers it with a session cookie. Once a key has
  `max_failures` attempts within `window_s` seconds, further attempts for it are refused with HTTP
  429 and `Retry-After` until the oldest of them leaves the window. A successful login clears the
  user's counter and takes that attempt off the address's counter;
- notes when each session token is issued (from the login response's `set-cookie`) and, once it is
  `session_s` old, removes it from Gradio's token store (`app.tokens`), so that its requests are
  no longer logged in;
- gives every login cookie (`access-token-*`, `access-token-unsecure-*`) `HttpOnly`, and `Secure`
  when the request came over HTTPS.

The client address and scheme are the ASGI scope's. uvicorn sets them from `X-Forwarded-For` and
`X-Forwarded-Proto` only for connections from the addresses in `FORWARDED_ALLOW_IPS`;
`trust_proxy` fills that from `VRAAGBAAK_TRUSTED_PROXY` (by default nobody, not even loopback).
"""

from __future__ import annotations

import math
import os
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from .errors import UserError

MAX_FAILURES = 5  # login attempts per user name, and per client address, within WINDOW_S
WINDOW_S = 60.0
SESSION_HOURS = 8.0  # a working day
MAX_LOGIN_BODY = 64 * 1024  # Gradio's login form is a user name and a password
MAX_KEYS = 10_000  # above this many counted keys, the ones without recent attempts are dropped
TOKEN_COOKIE = b"access-token"  # Gradio's two login cookies both start with this

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class LoginSettings:
    max_failures: int = MAX_FAILURES
    window_s: float = WINDOW_S
    session_s: float = SESSION_HOURS * 3600
    trusted_proxy: str = ""  # addresses or networks, comma-separated, whose forwarded headers count


def settings_from_env(environ: Mapping[str, str] = os.environ) -> LoginSettings:
    """The guard's settings: VRAAGBAAK_LOGIN_MAX_FAILURES, VRAAGBAAK_LOGIN_WINDOW_SECONDS,
    VRAAGBAAK_SESSION_HOURS and VRAAGBAAK_TRUSTED_PROXY, each with its default when unset."""
    return LoginSettings(
        max_failures=int(_positive(environ, "VRAAGBAAK_LOGIN_MAX_FAILURES", MAX_FAILURES, whole=True)),
        window_s=_positive(environ, "VRAAGBAAK_LOGIN_WINDOW_SECONDS", WINDOW_S),
        session_s=_positive(environ, "VRAAGBAAK_SESSION_HOURS", SESSION_HOURS) * 3600,
        trusted_proxy=_proxies(environ.get("VRAAGBAAK_TRUSTED_PROXY", "")),
    )


def _positive(environ: Mapping[str, str], name: str, default: float, whole: bool = False) -> float:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        number = 0
    if not number > 0 or math.isinf(number):
        kind = "positief geheel getal" if whole else "positief getal"
        raise UserError(f"{name}: '{value}' is geen {kind}.")
    return number


def _proxies(value: str) -> str:
    """The trusted proxy addresses, checked: uvicorn would take a typo silently as a host name."""
    import ipaddress

    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise UserError(
                f"VRAAGBAAK_TRUSTED_PROXY: '{entry}' is geen IP-adres of netwerk; geef het adres van de "
                "proxy, bv. 127.0.0.1 of 10.0.0.0/24 (meerdere gescheiden door komma's)."
            ) from None
    return ",".join(entries)


def trust_proxy(settings: LoginSettings) -> None:
    """Let uvicorn take client address and scheme from forwarded headers only from the trusted proxy.

    uvicorn reads FORWARDED_ALLOW_IPS when the server is configured (its own default trusts
    loopback); an empty value trusts nobody."""
    os.environ["FORWARDED_ALLOW_IPS"] = settings.trusted_proxy


class FailureLimiter:
    """Login attempts per key (a user name or a client address) in a sliding window.

    Used from one event loop: each method runs without interruption."""

    def __init__(self, max_failures: int, window_s: float, clock: Callable[[], float] = time.monotonic):
        self.max_failures = max_failures
        self.window_s = window_s
        self.clock = clock
        self._attempts: dict[str, deque[float]] = {}

    def admit(self, keys: Iterable[str]) -> float:
        """0 when an attempt may go ahead (it is counted against every key until `succeeded`),
        else the seconds until the busiest key has room again."""
        now = self.clock()
        keys = list(keys)
        waits = [self._wait(key, now) for key in keys]
        if max(waits, default=0) > 0:
            return max(waits)
        if len(self._attempts) > MAX_KEYS:
            self._forget_stale(now)
        for key in keys:
            self._attempts.setdefault(key, deque()).append(now)
        return 0.0

    def succeeded(self, cleared: str, uncounted: Iterable[str] = ()) -> None:
        """A login went through: forget the user's attempts, and take this one off the others."""
        self._attempts.pop(cleared, None)
        for key in uncounted:
            stamps = self._attempts.get(key)
            if stamps:
                stamps.pop()

    def _wait(self, key: str, now: float) -> float:
        stamps = self._attempts.get(key)
        if not stamps:
            return 0.0
        while stamps and stamps[0] <= now - self.window_s:
            stamps.popleft()
        if len(stamps) < self.max_failures:
            return 0.0
        return stamps[-self.max_failures] + self.window_s - now

    def _forget_stale(self, now: float) -> None:
        for key in [key for key, stamps in self._attempts.items() if stamps[-1] <= now - self.window_s]:
            del self._attempts[key]


class SessionClock:
    """When each session token was issued; all live equally long, so issue order is expiry order."""

    def __init__(self, session_s: float, clock: Callable[[], float] = time.monotonic):
        self.session_s = session_s
        self.clock = clock
        self._issued: OrderedDict[str, float] = OrderedDict()

    def issue(self, token: str) -> None:
        self._issued[token] = self.clock()
        self._issued.move_to_end(token)

    def expired(self) -> list[str]:
        """The tokens whose time is up, forgotten from here on."""
        limit = self.clock() - self.session_s
        gone = []
        while self._issued and next(iter(self._issued.values())) <= limit:
            gone.append(self._issued.popitem(last=False)[0])
        return gone


class LoginGuard:
    """ASGI middleware around Gradio's app; see the module docstring."""

    def __init__(self, app: ASGIApp, settings: LoginSettings | None = None):
        self.app = app
        self.settings = settings or settings_from_env()
        self.limiter = FailureLimiter(self.settings.max_failures, self.settings.window_s)
        self.sessions = SessionClock(self.settings.session_s)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        self._end_expired(scope)
        if scope["type"] == "http" and scope["method"] == "POST" and _is_login(scope["path"]):
            await self._login(scope, receive, send)
        else:
            await self.app(scope, receive, _cookie_guard(scope, send))

    def _end_expired(self, scope: Scope) -> None:
        tokens = getattr(scope.get("app"), "tokens", None)  # Starlette puts Gradio's App in the scope
        for token in self.sessions.expired():
            if tokens is not None:
                tokens.pop(token, None)

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _read_body(receive)
        if body is None:
            await _refuse(scope, send, 413, "Het aanmeldverzoek is te groot.")
            return
        user = await _form_user(scope, body)
        keys = [f"user:{user}", f"address:{_client(scope)}"]
        wait = self.limiter.admit(keys)
        if wait > 0:
            seconds = math.ceil(wait)
            message = f"Te veel mislukte aanmeldpogingen; probeer het over {seconds} seconden opnieuw."
            await _refuse(scope, send, 429, message, {"Retry-After": str(seconds)})
            return
        issued: list[str] = []
        guarded = _cookie_guard(scope, send)

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                issued.extend(_issued_tokens(message.get("headers", [])))
            await guarded(message)

        await self.app(scope, _replay(body), watch)
        if issued:
            self.sessions.issue(issued[0])
            self.limiter.succeeded(keys[0], keys[1:])


def _is_login(path: str) -> bool:
    return path.rstrip("/").endswith("/login")


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when it is larger than a login form can be."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > MAX_LOGIN_BODY:
            return None
        if not message.get("more_body"):
            return body


def _replay(body: bytes) -> Receive:
    """A `receive` that hands the already-read body on once, then waits for the disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _form_user(scope: Scope, body: bytes) -> str:
    """The user name in a login form (urlencoded or multipart), stripped as Gradio does; '' if none."""
    from starlette.requests import Request

    request = Request(scope, _replay(body))
    try:
        form = await request.form()
    except Exception:  # a malformed form: Gradio refuses it, and it counts for the address
        return ""
    user = form.get("username")
    await form.close()
    return user.strip() if isinstance(user, str) else ""


async def _refuse(
    scope: Scope, send: Send, status: int, message: str, headers: dict[str, str] | None = None
) -> None:
    from starlette.responses import JSONResponse

    async def no_body() -> Message:
        return {"type": "http.disconnect"}

    await JSONResponse({"detail": message}, status_code=status, headers=headers)(scope, no_body, send)


def _issued_tokens(headers: Iterable[tuple[bytes, bytes]]) -> list[str]:
    """The session tokens a response's login cookies carry."""
    tokens = []
    for name, value in headers:
        if name.lower() == b"set-cookie" and value.startswith(TOKEN_COOKIE):
            token = value.split(b";", 1)[0].partition(b"=")[2].strip(b'"')
            if token:
                tokens.append(token.decode("latin-1"))
    return tokens


def _cookie_guard(scope: Scope, send: Send) -> Send:
    """`send`, with every login cookie made HttpOnly, and Secure when the request came over HTTPS."""
    flags = [b"HttpOnly"] + ([b"Secure"] if scope.get("scheme") == "https" else [])

    async def guarded(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [
                _with_flags(name, value, flags) for name, value in message.get("headers", [])
            ]
        await send(message)

    return guarded


def _with_flags(name: bytes, value: bytes, flags: list[bytes]) -> tuple[bytes, bytes]:
    if name.lower() != b"set-cookie" or not value.startswith(TOKEN_COOKIE):
        return name, value
    present = {part.strip().lower() for part in value.split(b";")[1:]}
    missing = [flag for flag in flags if flag.lower() not in present]
    return name, b"; ".join([value, *missing])
