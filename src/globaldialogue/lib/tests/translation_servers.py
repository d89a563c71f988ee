"""Local servers that speak the machine translation providers' documented HTTP APIs, for
tests (no provider can run here; docs/translation.md says so).

LibreTranslate: `POST /translate`, JSON with `q` (a text or a list), `source`, `target`,
`format` and `api_key` when the server asks for keys; answers `{"translatedText": ...}` of
the same shape as `q`, or `{"error": ...}` with 400 (an unsupported language) or 403 (a
bad key). DeepL: `POST /v2/translate` with `Authorization: DeepL-Auth-Key <key>`, JSON with
`text` (a list), `target_lang` and `source_lang`; answers `{"translations": [{"text",
"detected_source_language"}]}`, 403 for a bad key, 400 for an unsupported target (plain EN
is not a target: EN-GB or EN-US) and 456 when the quota is used up.

Each "translates" by tagging the text with the target, "[fr] Every child...", so a test sees
which language was asked for; `requests` keeps every body received.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LIBRE_LANGUAGES = {"en", "fr", "es", "ru", "zh", "zt", "ar", "pt", "sw"}
DEEPL_SOURCES = {"EN", "FR", "ES", "RU", "ZH", "AR", "PT"}
DEEPL_TARGETS = {"EN-GB", "EN-US", "FR", "ES", "RU", "ZH", "ZH-HANS", "ZH-HANT", "AR", "PT-PT"}


class _Server:
    path = ""

    def __init__(self, key: str = "") -> None:
        self.key = key
        self.requests: list[dict[str, Any]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Any:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, body: dict[str, Any], headers: Any) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != fake.path:
                    return self._send(404, {"error": "Not Found"})
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._send(400, {"error": "Invalid request"})
                fake.requests.append(body)
                self._send(*fake.answer(body, self.headers))

            def _send(self, status: int, document: dict[str, Any]) -> None:
                data = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


class FakeLibreTranslate(_Server):
    path = "/translate"

    def answer(self, body: dict[str, Any], headers: Any) -> tuple[int, dict[str, Any]]:
        if self.key and body.get("api_key") != self.key:
            return 403, {"error": "Invalid API key"}
        for side in ("source", "target"):
            if body.get(side) not in LIBRE_LANGUAGES:
                return 400, {"error": f"{body.get(side)} is not supported"}
        texts = body.get("q")
        tag = f"[{body['target']}] "
        if isinstance(texts, list):
            return 200, {"translatedText": [tag + str(t) for t in texts]}
        return 200, {"translatedText": tag + str(texts)}


class FakeDeepL(_Server):
    path = "/v2/translate"

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.quota_left = 1_000_000  # characters

    def answer(self, body: dict[str, Any], headers: Any) -> tuple[int, dict[str, Any]]:
        if headers.get("Authorization") != f"DeepL-Auth-Key {self.key}":
            return 403, {"message": "Wrong endpoint or authentication key"}
        target, source = body.get("target_lang", ""), body.get("source_lang", "")
        if target not in DEEPL_TARGETS or (source and source not in DEEPL_SOURCES):
            return 400, {"message": "Value for 'target_lang' not supported."}
        texts = [str(t) for t in body.get("text", [])]
        self.quota_left -= sum(len(t) for t in texts)
        if self.quota_left < 0:
            return 456, {"message": "Quota exceeded"}
        rows = [{"detected_source_language": source, "text": f"[{target}] {t}"} for t in texts]
        return 200, {"translations": rows}
