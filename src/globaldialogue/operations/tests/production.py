"""The production topology on this machine, for the `production` tests: nginx started from
deploy/ (TLS, its own ports) in front of two `globaldialogue serve` processes and two
`globaldialogue worker` processes (RQ), on a PostgreSQL database and a Redis database of
their own. Nothing of the test process's own database is used: the tests read what
landed with SQL."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from globaldialogue.testing import free_port

REPOSITORY = Path(__file__).resolve().parents[4]
DEPLOY = REPOSITORY / "deploy"
POSTGRES = os.environ.get(
    "GLOBALDIALOGUE_PRODUCTION_POSTGRES", "postgres://postgres@127.0.0.1:5432"
)
REDIS = os.environ.get("GLOBALDIALOGUE_PRODUCTION_REDIS", "redis://127.0.0.1:6379/13")
HOST_CONFIG = "/etc/globaldialogue/"  # where deploy/'s nginx files expect their includes


def missing() -> str:
    """What the production tests need and this machine lacks ("" when all is there)."""
    import redis

    if not shutil.which("nginx"):
        return "nginx is not installed"
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2).close()
    except psycopg.Error:
        return f"PostgreSQL does not answer at {POSTGRES}"
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return f"Redis does not answer at {REDIS}"
    return ""


@dataclass
class Site:
    folder: Path
    env: dict[str, str]
    database: str
    web_ports: list[int]
    https_port: int
    http_port: int
    data: dict[str, Any] = field(default_factory=dict)
    web: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    nginx: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
            return connection.execute(query, args).fetchall()

    def client(self, **options: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, verify=False, timeout=15, **options)  # noqa: S501

    def command(self, *args: str, log: Path | None = None) -> subprocess.Popen[bytes]:
        """A globaldialogue command; with `log`, its JSON log lines (INFO) go there."""
        env = {**self.env, "LOG_LEVEL": "INFO"} if log else self.env
        return subprocess.Popen(
            [sys.executable, "-m", "globaldialogue", *args],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=log.open("ab") if log else None,
        )

    def worker_log(self) -> str:
        return "".join(path.read_text() for path in sorted(self.folder.glob("worker-*.log")))

    def start_web(self, port: int) -> None:
        self.web[port] = self.command("serve", "--no-worker", "--port", str(port))
        _wait(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), f"web process {port}")

    def start_worker(self) -> subprocess.Popen[bytes]:
        worker = self.command("worker", log=self.folder / f"worker-{len(self.workers)}.log")
        self.workers.append(worker)
        return worker

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL to the process and all it started (an RQ work horse has a session of
        its own), as when a machine is lost."""
        for child in _descendants(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for process in [*self.web.values(), *self.workers, self.nginx]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.web.values(), *self.workers, self.nginx]:
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def start_site(folder: Path) -> Site:
    database = f"gd_production_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    https_port = free_port()
    site = Site(
        folder=folder,
        env=_environment(folder, f"{POSTGRES}/{database}", https_port),
        database=database,
        web_ports=[free_port(), free_port()],
        https_port=https_port,
        http_port=free_port(),
    )
    _run(site, "migrate", "--no-input")
    loaded = subprocess.run(
        [sys.executable, "-m", "globaldialogue.operations.tests.production_data"],
        env=site.env,
        check=True,
        capture_output=True,
        text=True,
    )
    site.data = json.loads(loaded.stdout.strip().splitlines()[-1])
    for port in site.web_ports:
        site.start_web(port)
    site.start_worker()
    site.start_worker()
    site.nginx = _start_nginx(site)
    return site


def drop_site(site: Site) -> None:
    site.stop()
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{site.database}" WITH (FORCE)')


def _environment(folder: Path, database_url: str, https_port: int) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GLOBALDIALOGUE_", "DJANGO"))}
    return {
        **keep,
        "SECRET_KEY": "production-suite-secret",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS,
        "GLOBALDIALOGUE_DATA_DIR": str(folder / "data"),
        "GLOBALDIALOGUE_CACHE_PREFIX": folder.name,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}",
        "BEHIND_HTTPS_PROXY": "true",
        "GLOBALDIALOGUE_TRUSTED_PROXIES": "1",
        "GLOBALDIALOGUE_RATE_SUBMIT_IP": "0/1",
        "GLOBALDIALOGUE_RATE_VOTE_IP": "0/1",
        "GLOBALDIALOGUE_RATE_WITHDRAW_IP": "5/3600",
        "GLOBALDIALOGUE_ANALYSES_AUTO_REFRESH": "false",
        "GLOBALDIALOGUE_WORKER_DEAD_SECONDS": "4",
        "LOG_LEVEL": "WARNING",
    }


def _run(site: Site, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "globaldialogue", *args], env=site.env, check=True, timeout=300
    )


def _start_nginx(site: Site) -> subprocess.Popen[bytes]:
    """deploy/nginx as an operator installs it, with only this machine's differences: ports,
    certificate, static folder, and the includes' folder."""
    folder = site.folder / "nginx"
    folder.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(folder / "privkey.pem"),
         "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    upstream = (DEPLOY / "nginx/upstream.conf").read_text()
    for default, port in zip(("127.0.0.1:8001", "127.0.0.1:8002"), site.web_ports, strict=True):
        upstream = upstream.replace(default, f"127.0.0.1:{port}")
    (folder / "nginx-upstream.conf").write_text(upstream)
    shutil.copy(DEPLOY / "nginx/proxy-headers.conf", folder / "nginx-proxy-headers.conf")
    site_conf = (DEPLOY / "nginx/globaldialogue.conf").read_text()
    for default, here in (
        (HOST_CONFIG, f"{folder}/"),
        ("/etc/letsencrypt/live/consult.example.org/", f"{folder}/"),
        ("/var/lib/globaldialogue/", f"{site.folder}/data/"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{site.https_port} ssl http2;"),
        ("listen 80;", f"listen 127.0.0.1:{site.http_port};"),
        ("listen [::]:443 ssl http2;", ""),
        ("listen [::]:80;", ""),
    ):
        assert default in site_conf, default
        site_conf = site_conf.replace(default, here)
    (folder / "site.conf").write_text(site_conf)
    (folder / "nginx.conf").write_text(
        f"""daemon off;
{"user root;" if os.geteuid() == 0 else ""}
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    include {folder}/site.conf;
}}
"""
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)], start_new_session=True
    )
    _wait(lambda: _answers(f"http://127.0.0.1:{site.http_port}/healthz"), "nginx")
    return process


def children(pid: int) -> list[int]:
    """The processes `pid` started (Linux)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _descendants(pid: int) -> list[int]:
    found = children(pid)
    return [*found, *(d for child in found for d in _descendants(child))]


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _wait(condition: Any, what: str, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {within:.0f} s")
