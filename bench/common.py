"""Shared helpers for the benchmarks: a fresh PostgreSQL database, a server, the machine."""

import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
# Several web processes share their cache, rate limits and channel layer through Redis, as
# in production (`serve` refuses several without it).
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")
BIN = Path(sys.executable).parent


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = int(
        next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    ) // (1024 * 1024)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, Python {platform.python_version()}"


def fresh_database(name: str) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def environment(database_url: str, **extra: str) -> dict[str, str]:
    data = OUT / "data"
    data.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS,
        "SECRET_KEY": "bench-secret",
        "GLOBALDIALOGUE_DATA_DIR": str(data),
        "GLOBALDIALOGUE_RATE_SUBMIT_IP": "0/1",
        "GLOBALDIALOGUE_TASKS": "database",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def setup_django(env: dict[str, str]) -> None:
    """Use the project's models in this process, against `env`'s database."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "globaldialogue.settings"
    import django

    django.setup()


def embedded_django(prefix: str, **extra: str) -> None:
    """Use the project in this process on the embedded database (SQLite) of a fresh data
    folder, as `make demo` runs, migrated."""
    import tempfile

    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        GLOBALDIALOGUE_DATA_DIR=tempfile.mkdtemp(prefix=prefix),
        SECRET_KEY="bench-secret",
        LOG_LEVEL="WARNING",
        **extra,
    )
    setup_django({})
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def globaldialogue(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "globaldialogue"), *args], env=env, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            str(BIN / "globaldialogue"),
            "serve",
            "--no-worker",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
        ]
        self.process = subprocess.Popen(command, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def save(name: str, result: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def wrk_result(output: str) -> dict:
    """Requests, failures, rate and latency percentiles from `wrk --latency` output."""
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(failed.group(1)) if failed else 0,
        "socket_errors": errors.group(1) if errors else "",
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        # At a line's start: the thread stats end in a share such as "70.50%".
        "p50": re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1),
    }


def timed(work):
    """(result, seconds) of calling `work()`."""
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def shell_output(env: dict[str, str], code: str) -> str:
    """What `globaldialogue shell -c code` prints, run in `env`."""
    return subprocess.run(
        [str(BIN / "globaldialogue"), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
