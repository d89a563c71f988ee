"""Data for the test personas (see conftest.py), shared by tests across apps."""

import asyncio
import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from asgiref.testing import ApplicationCommunicator
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 (same algorithm name) with 1,000 rounds: for the tests only."""

    iterations = 1000


def answers_pierre() -> dict[str, Any]:
    return {
        "future_outlook": "better",
        "world_2045": ["less_conflict", {"option": "other", "text": "La paix partout"}],
        "cooperation": "essential",
        "covid_views": "more",
        "advice": "Écoutez les jeunes.",
        "age_group": "16_30",
        "gender": "male",
        "country": "FR",
    }


def payload(
    answers: dict[str, Any] | None = None,
    language: str = "fr",
    response_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    return {
        "id": str(response_id or uuid.uuid4()),
        "language": language,
        "answers": answers_pierre() if answers is None else answers,
    }


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Rooms: a fake camera and microphone, no permission prompts, WebRTC over loopback.
WEBRTC_FLAGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    # Host candidates as addresses, not mDNS names: on the loopback there is no STUN to
    # give another, and Janus ignores .local names, leaving ICE to peer-reflexive luck.
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]

PHONE = {"width": 390, "height": 844}  # a phone-sized viewport, for browser tests
LAPTOP = {"width": 1366, "height": 768}  # the commonest laptop screen, for the back office

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def current_code(device: Any) -> str:
    """What the authenticator app set up as `device` shows now."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client: Any, user: Any) -> Any:
    """Sign `user` in to the back office on a test client, as after their password and the
    code from their authenticator app (given one if they had none): the session is
    verified, as the back office asks by default. (Setting an app up through the pages is
    web/tests/test_two_factor.py's; this module imports no app.)"""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _new = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "authenticator"}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def log_in(page: Any, site_url: str, user: Any) -> None:
    """Give the browser page a session of `user` on the site at `site_url`."""
    from django.conf import settings
    from django.test import Client

    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site_url}]
    )


def fill_core(page: Any, country: str) -> None:
    """Answer the UN75 survey's core questions on a browser page (as a participant)."""
    page.check("input[name=future_outlook][value=better]")
    page.check("input[name=world_2045][value=environment]")
    page.check("input[name=world_2045][value=education]")
    page.check("input[name=trends][value=climate]")
    page.check("input[name=cooperation][value=essential]")
    page.select_option("select[name=country]", country)


def free_port() -> int:
    """A TCP port nothing listens on now, on loopback."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    page: Any,
    script: str,
    arg: Any = None,
    *,
    timeout: float = 60,
    every: float = 0.5,
    explain: str = "",
) -> Any:
    """Evaluate `script` (a function of `arg`) until its value is truthy, and return it. Use it
    for anything that answers with a promise (getStats): Playwright's wait_for_function does
    not wait for a promise, and a promise is truthy, so it would pass at once. `explain`, a
    script too, says what was seen instead when time runs out."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            seen = page.evaluate(explain) if explain else value
            raise AssertionError(f"not true within {timeout} s: {script} (saw: {seen!r})")
        page.wait_for_timeout(every * 1000)


def accessibility_problems(page: Any) -> list[str]:
    """Serious and critical WCAG 2.2 AA violations that axe-core finds on the page."""
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `npm ci` (make test does)")
    # Evaluated by the browser's debugging protocol, not added as a <script> tag: the page's
    # Content-Security-Policy (rightly) refuses inline scripts without its nonce.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class WebsocketCommunicator(ApplicationCommunicator):
    """A browser's side of a WebSocket, speaking ASGI to the real application.
    (channels.testing has one too, but importing it needs daphne.)"""

    def __init__(self, app: Any, path: str, headers: list[Any], query: str = "") -> None:
        scope = {
            "type": "websocket",
            "path": path,
            "headers": headers,
            "query_string": query.encode(),
            "subprotocols": [],
        }
        super().__init__(app, scope)

    async def connect(self, timeout: float = 5) -> tuple[bool, object]:
        await self.send_input({"type": "websocket.connect"})
        reply = await self.receive_output(timeout)
        return reply["type"] == "websocket.accept", reply.get("code")

    async def receive_json_from(self, timeout: float = 5) -> dict[str, Any]:
        reply = await self.receive_output(timeout)
        assert reply["type"] == "websocket.send", reply
        return dict(json.loads(reply["text"]))

    async def send_json_to(self, message: Any) -> None:
        await self.send_input({"type": "websocket.receive", "text": json.dumps(message)})

    async def until(self, wanted: Any, timeout: float = 5) -> dict[str, Any]:
        """The next message for which `wanted(message)` is true (others are skipped)."""
        while True:
            message = await self.receive_json_from(timeout)
            if wanted(message):
                return message

    async def disconnect(self, code: int = 1000, timeout: float = 5) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def run(scenario: Any) -> Any:
    """Run an async scenario to its end, in a thread of its own: Playwright's sync API may
    already run an event loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result()


def suite_redis_url() -> str:
    """The Redis database the suite uses: REDIS_URL's, or one of its own on localhost."""
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"


def redis_answers(url: str) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True
