"""Django's middleware with its hooks on the event loop (lib/middleware.py), through a real
ASGI server: the CSRF check still refuses a form without its token, a signed-in session is
saved and read back, and pages carry their security headers, language and compression."""

import re

import httpx


def _login_form(http):
    page = http.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return page, token


def test_olga_signs_in_through_the_async_stack(start_server, olga):
    server = start_server()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        page, token = _login_form(http)
        assert page.headers["x-frame-options"] == "DENY"
        assert "nonce-" in page.headers["content-security-policy"]

        no_token = {"username": "olga", "password": "olga-password-1"}
        assert http.post("/admin/login/", data=no_token).status_code == 403

        wrong = {**no_token, "password": "not-it", "csrfmiddlewaretoken": token}
        assert http.post("/admin/login/", data=wrong).status_code == 200  # says why, again

        right = {**no_token, "csrfmiddlewaretoken": token}
        signed_in = http.post("/admin/login/?next=/admin/", data=right)
        assert signed_in.headers["location"] == "/admin/two-factor/"
        setting_up = http.get("/admin/two-factor/")  # the saved session says who she is
    assert setting_up.status_code == 200 and "<svg" in setting_up.text


def test_a_page_through_the_async_stack(start_server, un75):
    server = start_server()
    headers = {"Accept-Language": "fr", "Accept-Encoding": "gzip"}
    with httpx.Client(base_url=server.url, timeout=10, headers=headers) as http:
        page = http.get("/s/un75/")
        missing_slash = http.get("/s/un75", follow_redirects=False)
    assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    assert 'lang="fr"' in page.text and page.headers["x-content-type-options"] == "nosniff"
    assert '<option value="KE">' in page.text  # the country list, made once per language
    assert missing_slash.status_code == 301 and missing_slash.headers["location"] == "/s/un75/"
