"""Page views per web process through Django's request path.

`globaldialogue serve --workers 1` (one process) on PostgreSQL with the demo loaded; wrk
with 16 connections for 15 s on each page: the health check (the whole middleware stack
around a view that does nothing), the home page and the survey page a participant opens.
Peer, same run and machine: a bare ASGI application under the same uvicorn that answers
every request with the survey page's bytes (what the server and the network stack can do
without Django); each page's rate is given as a share of it.

    .venv/bin/python bench/pages.py [--seconds 15]
"""

import argparse
import subprocess
import sys
import textwrap
import time

import httpx
from common import (
    Server,
    environment,
    free_port,
    fresh_database,
    globaldialogue,
    machine,
    save,
    wrk_result,
)

PAGES = {"health": "/healthz", "home": "/", "survey": "/s/un75/"}


def load(url: str, seconds: int) -> dict:
    def command(duration: int) -> list[str]:
        return ["wrk", "-t1", "-c16", f"-d{duration}s", "--latency", url]

    subprocess.run(command(2), capture_output=True, check=True)  # warm up
    output = subprocess.run(command(seconds), capture_output=True, text=True, check=True)
    return wrk_result(output.stdout)


def bare_server(body: bytes) -> tuple[subprocess.Popen, str]:
    """uvicorn serving a fixed body from a three-line ASGI app (the peer)."""
    port = free_port()
    code = textwrap.dedent(f"""
        import uvicorn
        BODY = {body!r}
        async def app(scope, receive, send):
            if scope["type"] != "http":
                return
            headers = [(b"content-type", b"text/html; charset=utf-8")]
            await send({{"type": "http.response.start", "status": 200, "headers": headers}})
            await send({{"type": "http.response.body", "body": BODY}})
        uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning", lifespan="off")
    """)
    process = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the bare server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    url = fresh_database("gd_bench_pages")
    env = environment(url)
    globaldialogue(env, "migrate", "--verbosity", "0")
    globaldialogue(env, "demo", "--no-sample", "--crowd-size", "0")
    server = Server(env, workers=1)
    try:
        survey_bytes = httpx.get(f"{server.url}{PAGES['survey']}").content
        pages = {name: load(f"{server.url}{path}", args.seconds) for name, path in PAGES.items()}
    finally:
        server.stop()
    bare, bare_url = bare_server(survey_bytes)
    try:
        peer = load(bare_url, args.seconds)
    finally:
        bare.terminate()
        bare.wait()
    bare_rate = peer["per_second"]
    ratios = {name: round(page["per_second"] / bare_rate, 3) for name, page in pages.items()}
    save(
        "pages",
        {"machine": machine(), "pages": pages, "bare_uvicorn": peer, "share_of_bare": ratios},
    )


if __name__ == "__main__":
    main()
