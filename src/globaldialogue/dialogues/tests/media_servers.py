"""The real media components the room tests start: coturn (TURN) and Janus, each from
deploy/'s own configuration with only the ports, folders and secrets changed (and, for
coturn, loopback peers allowed: every test participant is on this machine)."""

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from globaldialogue.testing import free_port

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"
TURN_SECRET = "a-turn-secret-for-the-tests"
JANUS_SECRETS = {
    "token": "a-janus-token-secret",
    "admin": "a-janus-admin-key",
    "events": "a-janus-events-password",
}


def missing() -> str:
    for program, package in (("turnserver", "coturn"), ("janus", "janus")):
        if not shutil.which(program):
            return f"{program} is not installed (apt-get install {package})"
    return ""


class Coturn:
    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: Any = None

    def start(self) -> "Coturn":
        text = (DEPLOY / "coturn" / "turnserver.conf").read_text()
        kept = [
            line
            for line in text.splitlines()
            if not line.startswith(("cert=", "pkey=", "tls-listening-port", "log-file"))
            and not re.match(r"denied-peer-ip=(127\.|::1)", line)
        ]
        kept += [
            "listening-ip=127.0.0.1",
            "relay-ip=127.0.0.1",
            "allow-loopback-peers",
            "no-tls",
            "no-dtls",
            f"log-file={self.folder / 'turn.log'}",
            "simple-log",
            f"pidfile={self.folder / 'turn.pid'}",
        ]
        config = "\n".join(kept).replace("CHANGE-THIS", TURN_SECRET)
        config = config.replace("listening-port=3478", f"listening-port={self.port}")
        (self.folder / "turnserver.conf").write_text(config + "\n")
        return self.start_again()

    def start_again(self) -> "Coturn":
        """Start from the configuration written; after stop(), the same server on the same
        port (credentials still valid)."""
        self.process = subprocess.Popen(
            ["turnserver", "-c", str(self.folder / "turnserver.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, self.process, "coturn")
        return self

    @property
    def urls(self) -> str:
        return f"turn:127.0.0.1:{self.port}"

    def stop(self) -> None:
        _stop(self.process)


class Janus:
    def __init__(self, folder: Path, events_url: str = "") -> None:
        self.folder, self.port = folder, free_port()
        self.events_url = events_url or "http://127.0.0.1:9/unused"
        self.process: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/janus"

    def settings(self) -> dict[str, str]:
        """The platform's settings that reach this Janus."""
        return {
            "GLOBALDIALOGUE_JANUS_URL": self.url,
            "GLOBALDIALOGUE_JANUS_TOKEN_SECRET": JANUS_SECRETS["token"],
            "GLOBALDIALOGUE_JANUS_ADMIN_KEY": JANUS_SECRETS["admin"],
            "GLOBALDIALOGUE_JANUS_EVENTS_SECRET": JANUS_SECRETS["events"],
        }

    def start(self) -> "Janus":
        for source in sorted((DEPLOY / "janus").glob("*.jcfg")):
            text = source.read_text()
            for key, value in (
                ("token_auth_secret", JANUS_SECRETS["token"]),
                ("admin_key", JANUS_SECRETS["admin"]),
                ("backend_pwd", JANUS_SECRETS["events"]),
                ("admin_secret", "unused"),
            ):
                text = re.sub(rf'({key} = )"CHANGE-THIS"', rf'\1"{value}"', text)
            text = text.replace('"/etc/janus"', f'"{self.folder}"')
            text = text.replace("port = 8088", f"port = {self.port}")
            text = re.sub(r'backend = "[^"]*"', f'backend = "{self.events_url}"', text)
            (self.folder / source.name).write_text(text)
        command = ["janus", "-C", str(self.folder / "janus.jcfg"), "-F", str(self.folder)]
        with (self.folder / "janus.log").open("w") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _wait_for_port(self.port, self.process, "Janus")
        return self

    def configure(self, settings: Any) -> None:
        """Point this process's settings (pytest-django's `settings`) at this Janus."""
        for name, value in self.settings().items():
            setattr(settings, name.removeprefix("GLOBALDIALOGUE_"), value)
        settings.JANUS_API_URL = self.url

    def stop(self) -> None:
        _stop(self.process)


def _wait_for_port(port: int, process: Any, name: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not listen on {port} within 20 s")


def _stop(process: Any) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
