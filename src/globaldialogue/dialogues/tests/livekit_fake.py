"""A local stand-in for a LiveKit server's HTTP side, for tests: the Twirp RoomService calls
we make (protobuf over POST, a JWT in Authorization) and the browser's first request to
/rtc (recorded, then refused: no media server here)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from livekit import api as livekit

TWIRP = "/twirp/livekit.RoomService/"


class FakeLiveKit:
    """Calls land in `calls` as (method, request message, JWT claims); browser requests'
    paths in `browser_paths`. Twirp requests are checked against key and secret."""

    def __init__(self, key: str, secret: str) -> None:
        self.key, self.secret = key, secret
        self.calls: list[tuple[str, Any, dict[str, Any]]] = []
        self.browser_paths: list[str] = []
        self.participants: set[tuple[str, str]] = set()  # (room, identity) connected
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeLiveKit":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def methods(self) -> list[str]:
        return [method for method, _request, _claims in self.calls]

    def _answer(self, method: str, body: bytes, claims: dict[str, Any]) -> tuple[int, bytes]:
        if method == "CreateRoom":
            request = livekit.CreateRoomRequest.FromString(body)
            self.calls.append((method, request, claims))
            room = livekit.Room(name=request.name, max_participants=request.max_participants)
            return 200, room.SerializeToString()
        if method == "RemoveParticipant":
            request = livekit.RoomParticipantIdentity.FromString(body)
            self.calls.append((method, request, claims))
            if (request.room, request.identity) not in self.participants:
                return 404, b'{"code": "not_found", "msg": "participant not found"}'
            self.participants.discard((request.room, request.identity))
            return 200, livekit.RemoveParticipantResponse().SerializeToString()
        return 404, b'{"code": "bad_route", "msg": "no such method"}'

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    claims = jwt.decode(token, fake.secret, algorithms=["HS256"])
                except jwt.InvalidTokenError:
                    return self._reply(401, b'{"code": "unauthenticated", "msg": "bad token"}')
                if not self.path.startswith(TWIRP) or claims.get("iss") != fake.key:
                    return self._reply(401, b'{"code": "unauthenticated", "msg": "bad key"}')
                self._reply(*fake._answer(self.path.removeprefix(TWIRP), body, claims))

            def do_GET(self) -> None:
                fake.browser_paths.append(self.path)
                self._reply(401, b"no media server in tests")

            def _reply(self, status: int, body: bytes) -> None:
                self.send_response(status)
                kind = "application/protobuf" if status == 200 else "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
