"""Local servers implementing the providers' documented sending APIs, for the tests (none of
the real ones can be reached from here): Twilio's `POST /2010-04-01/Accounts/{sid}/
Messages.json` (HTTP Basic with the account SID and auth token), Africa's Talking's `POST
/version1/messaging` (apiKey header), a courier-style External send URL, and WhatsApp Cloud
API's `POST /{phone-number-id}/messages` (Bearer token). Each answers as the provider does,
records what it was sent, and can be told to fail the next requests for a passing reason."""

import base64
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode


@dataclass
class Sent:
    provider: str
    to: str
    text: str
    body: dict[str, Any]


class _Local:
    """A local HTTP server answering JSON from `handle(method, path, headers, body)`."""

    url: str = ""

    def start(self) -> Any:
        local = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def _answer(self, method: str) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = local.handle(method, self.path, dict(self.headers), raw)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any]:
        raise NotImplementedError


@dataclass
class Provider(_Local):
    """One server for all four APIs (each on its own path)."""

    account: str = "AC0000000000000000000000000000test"
    secret: str = "provider-secret"
    sent: list[Sent] = field(default_factory=list)
    failures: int = 0  # the next this many sends answer 503
    url: str = ""

    def handle(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any]:
        if method != "POST":
            return 405, {"message": "Method Not Allowed"}
        if self.failures:
            self.failures -= 1
            return 503, {"message": "Service Unavailable"}
        if path.startswith("/2010-04-01/Accounts/"):
            return self._twilio(path, headers, _form(raw))
        if path == "/version1/messaging":
            return self._africastalking(headers, _form(raw))
        if path == "/external/send":
            return self._external(headers, _form(raw))
        if path.endswith("/messages"):
            return self._whatsapp(headers, json.loads(raw or b"{}"))
        return 404, {"message": "Not Found"}

    def _twilio(self, path: str, headers: dict[str, str], form: dict[str, str]) -> tuple[int, Any]:
        expected = base64.b64encode(f"{self.account}:{self.secret}".encode()).decode()
        if headers.get("Authorization") != f"Basic {expected}" or f"/{self.account}/" not in path:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if not form.get("To") or not form.get("Body") or not form.get("From"):
            return 400, {
                "code": 21604,
                "message": "A 'To' phone number is required.",
                "status": 400,
            }
        sid = f"SM{len(self.sent):032x}"
        self.sent.append(Sent("twilio", form["To"], form["Body"], form))
        return 201, {"sid": sid, "status": "queued", "to": form["To"], "body": form["Body"]}

    def _africastalking(self, headers: dict[str, str], form: dict[str, str]) -> tuple[int, Any]:
        if headers.get("apiKey") != self.secret:
            return 401, "The supplied authentication is invalid"
        message_id = f"ATXid_{len(self.sent)}"
        self.sent.append(Sent("africastalking", form["to"], form["message"], form))
        recipient = {
            "statusCode": 101,
            "number": form["to"],
            "status": "Success",
            "cost": "KES 0.8000",
            "messageId": message_id,
        }
        return 201, {
            "SMSMessageData": {
                "Message": "Sent to 1/1 Total Cost: KES 0.8000",
                "Recipients": [recipient],
            }
        }

    def _external(self, headers: dict[str, str], form: dict[str, str]) -> tuple[int, Any]:
        if headers.get("Authorization") != f"Token {self.secret}":
            return 403, {"error": "forbidden"}
        self.sent.append(Sent("external", form["to"], form["text"], form))
        return 200, {"status": "ok"}

    def _whatsapp(self, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, Any]:
        if headers.get("Authorization") != f"Bearer {self.secret}":
            return 401, {"error": {"message": "Invalid OAuth access token.", "code": 190}}
        text = body.get("text", {}).get("body", "") if body.get("type") == "text" else ""
        self.sent.append(Sent("whatsapp", body.get("to", ""), text, body))
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
            "messages": [{"id": f"wamid.{len(self.sent)}"}],
        }


def _form(raw: bytes) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(raw.decode()).items()}


@dataclass
class RapidPro(_Local):
    """RapidPro's `GET /api/v2/runs.json` as documented: `Authorization: Token <token>`,
    filtered by `flow` and `after` (modified_on, inclusive), newest first, in pages of
    `page_size` with a `next` URL that carries the page's cursor."""

    token: str = "rapidpro-token"
    runs: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 250
    asked: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def handle(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any]:
        if method != "GET":
            return 405, {"detail": 'Method "POST" not allowed.'}
        if headers.get("Authorization") != f"Token {self.token}":
            return 403, {"detail": "Authentication credentials were not provided."}
        route, _, query = path.partition("?")
        if route != "/api/v2/runs.json":
            return 404, {"detail": "Not found."}
        params = {key: values[0] for key, values in parse_qs(query).items()}
        self.asked.append(params)
        found = [r for r in self.runs if r["flow"]["uuid"] == params.get("flow")]
        if "after" in params:
            after = datetime.fromisoformat(params["after"])
            found = [r for r in found if datetime.fromisoformat(r["modified_on"]) >= after]
        found.sort(key=lambda r: datetime.fromisoformat(r["modified_on"]), reverse=True)
        start = int(base64.urlsafe_b64decode(params.get("cursor", "MA==")).decode())
        page = found[start : start + self.page_size]
        more = start + self.page_size < len(found)
        cursor = base64.urlsafe_b64encode(str(start + self.page_size).encode()).decode()
        query = urlencode({**params, "cursor": cursor})
        following = f"{self.url}/api/v2/runs.json?{query}" if more else None
        return 200, {"next": following, "previous": None, "results": page}
