"""What the server logs leaves out the keys people hold: a personal link's token (logged
with every 4xx of Django's), a partner's signature."""

import io
import logging

import pytest
from django.test import Client

from globaldialogue.lib.logredact import RedactSecrets


@pytest.fixture
def console() -> io.StringIO:
    """What the configured console handler (settings.LOGGING) writes, while the test runs."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSecrets) for f in h.filters)
    )
    written = io.StringIO()
    previous = handler.setStream(written)  # type: ignore[attr-defined]
    yield written
    handler.setStream(previous)  # type: ignore[attr-defined]


def test_a_personal_links_token_never_reaches_the_log(db, console):
    token = "Zq8sXTVk2mVnJ0Yd-secret-token"
    Client().get(f"/d/no-such-event/you/{token}/room/")
    Client().post("/messaging/8f6c0c5e-2b1e-4d4f-9a51-1c2d3e4f5a6b/receive", {})
    logging.getLogger("globaldialogue").warning(
        "refused /c/x/?xid=amina&xid_sig=0f3a9b and /api?key=gd_abc"
    )
    logged = console.getvalue()
    assert "Not Found: /d/no-such-event/you/[redacted]/room/" in logged
    assert "Not Found: /messaging/[redacted]/receive" in logged
    assert token not in logged and "0f3a9b" not in logged and "gd_abc" not in logged
    assert "xid=amina" in logged  # ids are not secrets; their signatures are
