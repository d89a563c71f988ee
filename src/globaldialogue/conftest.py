"""Shared fixtures: the UN75 survey, Olga (she organizes: `olga`, a staff User, and
`olga_client`), Pat's partner key (`pat_key`), browsers and real server processes. Who the
other personas are: personas.py. Tests are marked by the fixtures they use, and outside CI
those whose browser or service is missing are skipped with one line saying how to run them.
"""

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from globaldialogue.accounts.actions import create_api_key
from globaldialogue.accounts.models import Scope
from globaldialogue.consultations.actions import save_consultation
from globaldialogue.deliberation import meaning
from globaldialogue.deliberation.duplicates import forget_indexes
from globaldialogue.deliberation.routing import forget_tables
from globaldialogue.dialogues.models import Event
from globaldialogue.dialogues.tests.events import youth_event
from globaldialogue.results.cells import forget_cells
from globaldialogue.surveys.access import forget_survey
from globaldialogue.surveys.demo import load_demo_survey
from globaldialogue.surveys.models import Survey
from globaldialogue.testing import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    WEBRTC_FLAGS,
    redis_answers,
    sign_in,
    suite_redis_url,
)

# --- what a test needs, read from its fixtures ------------------------------------------------

UNDER_CI = os.environ.get("CI") == "true"
HOW_TO_RUN = "`bash .ci/run` installs everything and runs the whole suite"


@dataclass
class Requirement:
    """Something outside Python that some tests need; outside CI, its tests skip if missing."""

    marker: str  # set on every test that uses `fixture`
    fixture: str
    missing: Callable[[], str]  # what is missing, or "" when it is there
    install: str
    reason: str = ""  # set when its tests are skipped


def _browser_missing() -> str:
    if not shutil.which(CHROMIUM):
        return f"{CHROMIUM} is not installed"
    for needed in (AXE_SCRIPT, AXE_SCRIPT.parents[1] / "enketo-core" / "package.json"):
        if not needed.exists():
            return f"{needed} is missing (npm ci)"
    return ""


def _redis_missing() -> str:
    url = suite_redis_url()
    return "" if redis_answers(url) else f"Redis does not answer at {url}"


def _media_servers_missing() -> str:
    from globaldialogue.dialogues.tests.media_servers import missing

    return missing()


def _production_missing() -> str:
    from globaldialogue.operations.tests.production import missing

    return missing()


def _java_missing() -> str:
    return "" if shutil.which("java") else "java is not installed (ODK Validate needs it)"


REQUIREMENTS = [
    Requirement("browser", "chromium", _browser_missing, "apt-get install chromium npm"),
    Requirement("server", "start_server", lambda: "", ""),
    Requirement("redis", "redis_url", _redis_missing, "apt-get install redis-server"),
    Requirement("java", "odk_validate", _java_missing, "apt-get install default-jre-headless"),
    Requirement("turn", "coturn", _media_servers_missing, "apt-get install coturn janus"),
    Requirement("janus", "start_janus", _media_servers_missing, "apt-get install coturn janus"),
    Requirement(
        "production",
        "production_site",
        _production_missing,
        "apt-get install nginx postgresql redis-server",
    ),
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by the fixtures it uses (so `-m "not browser"` needs no hand-set
    marker); outside CI, skip the tests whose browser or service is missing."""
    for requirement in REQUIREMENTS:
        users = [i for i in items if requirement.fixture in getattr(i, "fixturenames", ())]
        for item in users:
            item.add_marker(getattr(pytest.mark, requirement.marker))
        requirement.reason = requirement.missing() if users and not UNDER_CI else ""
        for item in users if requirement.reason else []:
            item.add_marker(pytest.mark.skip(reason=requirement.reason))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line per missing browser or service: how many tests it cost, and how to run them."""
    skipped = [str(report.longrepr) for report in terminalreporter.stats.get("skipped", [])]
    for r in REQUIREMENTS:
        count = sum(r.reason in text for text in skipped) if r.reason else 0
        if count:
            terminalreporter.write_line(
                f"{count} {r.marker} tests skipped: {r.reason}. To run them: "
                f"{r.install} (then make test), or {HOW_TO_RUN}.",
                yellow=True,
            )


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing() -> Any:
    """Passwords the tests set are hashed with 1,000 PBKDF2 rounds instead of 1,000,000
    (0.2 s each, some hundred times). The rounds are written in each hash, so the servers the
    tests start, with the usual hashers, still check them."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["globaldialogue.testing.QuickHasher", *settings.PASSWORD_HASHERS]
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rate-limit counters, cached results and surveys must not leak from one test to the next.
    cache.clear()
    forget_survey()
    forget_indexes()
    meaning.forget_indexes()
    forget_tables()
    forget_cells()


@pytest.fixture
def un75(db: Any) -> Survey:
    """The demo survey, published, without the synthetic sample."""
    return load_demo_survey()


@pytest.fixture
def olga(db: Any) -> User:
    return User.objects.create_superuser("olga", "olga@example.org", "olga-password-1")


@pytest.fixture
def olga_client(olga: User) -> Client:
    client = sign_in(Client(), olga)
    return client


@pytest.fixture
def pat_key(un75: Survey) -> str:
    """Pat's partner key, for the UN75 consultation only: responses, events (published by
    organizers) and deliberation."""
    _key, secret = create_api_key(
        name="U-Report (Pat)",
        consultation=un75.consultation,
        scopes=[Scope.RESPONSES, Scope.EVENTS, Scope.DELIBERATION],
    )
    return secret


@pytest.fixture
def youth_dialogue(db: Any) -> Event:
    """A published dialogue event of UN75 a week from now, in four languages, no one yet."""
    consultation = save_consultation(slug="un75", title={"en": "UN75"}, languages=["en"])
    title = {"en": "Youth dialogue", "fr": "Dialogue des jeunes"}
    return youth_event(consultation, ["en", "fr", "ar", "zh-hans"], title)


# --- browser tests -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Any:
    """Debian's Chromium driven by Playwright. Missing under CI=true is a failure (elsewhere
    its tests were skipped at collection)."""
    if missing := _browser_missing():
        pytest.fail(f"{missing}; .ci/run installs it")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a fresh, temporary user-data-dir of its own. The fake
    # media flags change nothing for pages that ask for no camera.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS + WEBRTC_FLAGS
        )
        _BROWSERS.append(browser)
        yield browser
        _BROWSERS.clear()
        browser.close()


_BROWSERS: list[Any] = []


@pytest.fixture(autouse=True)
def _close_leftover_pages() -> Any:
    """A test's pages go with it, even one that left them open or failed half-way: a room
    left open keeps sending fake camera and microphone, and slowed every later test."""
    yield
    for browser in _BROWSERS:
        for context in list(browser.contexts):
            context.close()


def _page(chromium: Any, **options: Any) -> Any:
    context = chromium.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(15000)
    # What the Content-Security-Policy (web/csp.py) blocked: a test fails if anything was.
    # It forbids eval, so tests wait with functions, wait_for_function("() => ..."): a bare
    # expression is eval'd by Playwright on each poll, and refused.
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return context, page


@pytest.fixture
def phone(chromium: Any) -> Any:
    """A phone-sized page (390 x 844, touch)."""
    context, page = _page(chromium, viewport=PHONE, has_touch=True, is_mobile=True)
    yield page
    context.close()
    assert page.csp_violations == []


@pytest.fixture
def desktop(chromium: Any) -> Any:
    context, page = _page(chromium, viewport={"width": 1280, "height": 900})
    yield page
    context.close()
    assert page.csp_violations == []


# --- real server processes ---------------------------------------------------------------------


class Server:
    """`globaldialogue serve` in a child process, on the test database."""

    def __init__(self, env: dict[str, str], port: int, worker: bool) -> None:
        self.env, self.port, self.worker = env, port, worker
        self.url = f"http://127.0.0.1:{port}"
        self.process: Any = None

    def start(self) -> "Server":
        import subprocess
        import sys

        command = [sys.executable, "-m", "globaldialogue", "serve", "--port", str(self.port)]
        if not self.worker:
            command.append("--no-worker")
        # A process group of its own, so killing it takes its worker child along.
        self.process = subprocess.Popen(command, env=self.env, start_new_session=True)
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        import time

        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start within 60 s")

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flushing, as in a crash or an OOM kill."""
        import signal

        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        import signal

        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def _database_url() -> str:
    from django.db import connection

    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    auth = f"{user}:{settings['PASSWORD']}" if settings["PASSWORD"] else user
    return f"postgres://{auth}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture(scope="session")
def server_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return tmp_path_factory.mktemp("server-data")


@pytest.fixture
def start_server(transactional_db: Any, server_data_dir: Any) -> Any:
    """Start servers on the test database; each is stopped when the test ends."""
    import socket

    servers: list[Server] = []

    def start(
        *,
        worker: bool = False,
        tasks: str = "database",
        extra_env: dict[str, str] | None = None,
        port: int = 0,
    ) -> Server:
        with socket.socket() as probe:  # a free port, unless the test chose one
            probe.bind(("127.0.0.1", port))
            port = probe.getsockname()[1]
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "GLOBALDIALOGUE_THREAD_POOL": "true",
            "GLOBALDIALOGUE_DATA_DIR": str(server_data_dir),
            "GLOBALDIALOGUE_TASKS": tasks,
            "GLOBALDIALOGUE_RATE_SUBMIT_IP": "0/1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        server = Server(env, port, worker).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def coturn(tmp_path: Any) -> Any:
    """A real coturn (TURN) from deploy/coturn/, on loopback."""
    from globaldialogue.dialogues.tests.media_servers import Coturn

    if missing := _media_servers_missing():
        pytest.fail(f"{missing}; .ci/run installs it")
    server = Coturn(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def start_janus(tmp_path: Any) -> Any:
    """Start a real Janus from deploy/janus/ (its event handler posting to `events_url`)."""
    from globaldialogue.dialogues.tests.media_servers import Janus

    if missing := _media_servers_missing():
        pytest.fail(f"{missing}; .ci/run installs it")
    started: list[Janus] = []

    def start(events_url: str = "") -> Janus:
        folder = tmp_path / f"janus-{len(started)}"
        folder.mkdir()
        started.append(Janus(folder, events_url).start())
        return started[-1]

    yield start
    for server in started:
        server.stop()
        # Shown only when the test failed (pytest prints a failed test's captured output).
        log = (server.folder / "janus.log").read_text(errors="replace").splitlines()
        print(f"--- the last lines of {server.folder.name}/janus.log", *log[-80:], sep="\n")


@pytest.fixture
def odk_validate() -> Callable[[Any, str], Any]:
    """Build a version's XForm and check it with ODK Validate (pyxform ships it; it needs
    Java). Missing under CI=true is a failure (elsewhere its tests were skipped)."""
    if missing := _java_missing():
        pytest.fail(f"{missing}; .ci/run installs it")
    from globaldialogue.surveys.xform import build_xform

    return lambda definition, form_id: build_xform(definition, form_id, validate=True)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database of the suite's own. Missing under CI=true is a failure (elsewhere
    its tests were skipped at collection)."""
    url = suite_redis_url()
    if not redis_answers(url):
        pytest.fail(f"Redis at {url} does not answer; .ci/run starts it")
    return url
