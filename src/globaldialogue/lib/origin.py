"""Whether a browser's POST comes from one of our own pages.

Cookie-authenticated forms that are exempt from CSRF tokens (so that phones without
cookies and partner embeds keep working) still refuse other sites: browsers say where a
request comes from in `Sec-Fetch-Site` (all current ones) or `Origin` (older ones, on POST).
A request with neither (an old browser, a command-line client) carries no cookie another
site could have set off, and is let through.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest


def same_origin(request: HttpRequest) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")  # "none": typed or bookmarked
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == request.get_host()  # "null" has no host: refused
