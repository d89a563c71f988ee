"""Every page says where its scripts and styles may come from: this site, or the request's
own nonce (inline code someone slipped into a page has none, so it does not run). The back
office may inline styles, never scripts."""

import re

import pytest
from django.test import Client


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


PAGES = ["/", "/s/un75/", "/s/un75/results", "/r/un75/", "/d/", "/api/docs", "/api/openapi.json"]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_allow_only_this_site_and_the_nonce(un75, path):
    response = Client().get(path)
    found = directives(response)
    assert "'unsafe-inline'" not in found["script-src"]
    assert "'unsafe-eval'" not in found["script-src"]
    assert "'unsafe-inline'" not in found["style-src"]
    assert found["object-src"] == "'none'" and found["frame-ancestors"] == "'none'"
    nonce = re.search(r"'nonce-([^']+)'", found["script-src"]).group(1)
    html = response.content.decode()
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        if "src=" not in tag and "application/json" not in tag:
            assert f'nonce="{nonce}"' in tag, tag  # every inline one carries this request's


def test_each_request_gets_its_own_nonce(un75):
    first, second = (directives(Client().get("/s/un75/"))["script-src"] for _ in range(2))
    assert first != second


def test_the_back_office_inlines_styles_but_never_scripts(olga_client):
    found = directives(olga_client.get("/admin/"))
    assert "'unsafe-inline'" in found["style-src"] and "'unsafe-inline'" not in found["script-src"]
