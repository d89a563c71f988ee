"""Behind an HTTPS proxy (BEHIND_HTTPS_PROXY=1), a running server sends plain HTTP to HTTPS
and tells browsers to stay on HTTPS (HSTS); the health check still answers over HTTP."""

import httpx
import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_behind_an_https_proxy_only_https_is_served(start_server, un75):
    server = start_server(extra_env={"BEHIND_HTTPS_PROXY": "1"})
    plain = httpx.get(f"{server.url}/s/un75/", follow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["location"] == f"https://127.0.0.1:{server.port}/s/un75/"
    secure = httpx.get(f"{server.url}/s/un75/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure.headers["strict-transport-security"].startswith("max-age=31536000")
    assert secure.headers["referrer-policy"] == "same-origin"
    assert httpx.get(f"{server.url}/healthz").status_code == 200
