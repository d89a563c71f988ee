"""Shared fixtures. Personas, used across the suite:

- Olga organizes the UN75 consultation (staff, uses the back office).
- Amina answers in Arabic on her phone; Li Wei answers in Chinese; Pierre in French.
- Pat runs a partner platform (U-Report) that sends batches with an API key.
"""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from globaldialogue.accounts.actions import create_api_key
from globaldialogue.surveys.demo import load_demo_survey
from globaldialogue.surveys.models import Survey


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rate-limit counters and cached results must not leak from one test to the next.
    cache.clear()


@pytest.fixture
def un75(db: Any) -> Survey:
    """The demo survey, published, without the synthetic sample."""
    return load_demo_survey()


@pytest.fixture
def olga(db: Any) -> User:
    return User.objects.create_superuser("olga", "olga@example.org", "olga-password-1")


@pytest.fixture
def olga_client(olga: User) -> Client:
    client = Client()
    client.force_login(olga)
    return client


@pytest.fixture
def pat_key(un75: Survey) -> str:
    """Pat's partner key, for the UN75 consultation only."""
    _key, secret = create_api_key(name="U-Report (Pat)", consultation=un75.consultation)
    return secret


# --- browser tests -----------------------------------------------------------------------------

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
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def chromium() -> Any:
    """Debian's Chromium driven by Playwright. Missing under CI=true is a failure, not a skip."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a fresh, temporary user-data-dir of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _page(chromium: Any, **options: Any) -> Any:
    context = chromium.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def phone(chromium: Any) -> Any:
    """A phone-sized page (390 x 844, touch)."""
    context, page = _page(chromium, viewport=PHONE, has_touch=True, is_mobile=True)
    yield page
    context.close()


@pytest.fixture
def desktop(chromium: Any) -> Any:
    context, page = _page(chromium, viewport={"width": 1280, "height": 900})
    yield page
    context.close()
