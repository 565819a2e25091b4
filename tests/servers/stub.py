"""A tiny OpenAI chat-completions server on 127.0.0.1, scripted per test.

Each request to /v1/chat/completions takes the next queued `Reply` (or `default` when the queue is
empty) and is recorded in `requests`, so tests can assert what was sent and how often.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str/bytes -> sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a slow server)
    truncate: bool = False  # promise the whole body, send half of it, hang up

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


def _completion(message: dict[str, Any], finish_reason: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "test",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def text(content: str, finish_reason: str = "stop") -> Reply:
    return Reply(body=_completion({"role": "assistant", "content": content}, finish_reason))


def tool_calls(*calls: tuple[str, Any]) -> Reply:
    """A reply calling tools; each call is (name, args) with args a dict, or a str sent verbatim."""
    encoded = [
        {
            "id": f"call_{i}",
            "type": "function",
            "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)},
        }
        for i, (name, args) in enumerate(calls)
    ]
    return Reply(body=_completion({"role": "assistant", "content": None, "tool_calls": encoded}, "tool_calls"))


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    kind = {401: "invalid_api_key", 404: "model_not_found", 429: "rate_limit_exceeded"}.get(status, "server_error")
    return Reply(status, {"error": {"message": message, "type": kind, "code": kind}}, headers or {})


class StubServer:
    def __init__(self) -> None:
        self.queue: list[Reply] = []
        self.default = error(500, "stub: no reply queued")
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The api_base to give a client (the OpenAI SDK appends /chat/completions)."""
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self.queue.extend(replies)

    def _next(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self.queue.pop(0) if self.queue else self.default

    def start(self) -> "StubServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()  # wakes handlers that are being slow on purpose
        self._http.shutdown()
        self._http.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    self._send(Reply(body={"object": "list", "data": [{"id": "test", "object": "model"}]}))
                else:
                    self._send(error(404, "no such path"))

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                # The headers as received: looked up without regard to case, as HTTP says (httpx2 sends
                # "authorization" in lower case).
                reply = server._next({"path": self.path, "headers": self.headers, "json": body})
                if reply.delay and server._closing.wait(reply.delay):
                    return
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                payload = reply.payload()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload[: len(payload) // 2] if reply.truncate else payload)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (a timeout test)
                self.close_connection = True

        return Handler


@pytest.fixture
def stub_server():
    server = StubServer().start()
    try:
        yield server
    finally:
        server.stop()
