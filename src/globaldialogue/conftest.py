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
