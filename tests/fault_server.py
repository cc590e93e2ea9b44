"""A scriptable OpenAI-compatible server on 127.0.0.1 for fault-injection tests.

Each request to ``POST /v1/chat/completions`` takes the next :class:`Reply` from a queue: a valid completion,
an HTTP error (429 with Retry-After, 500, 503), a reset connection, a stalled answer, a malformed body, a
truncated or empty answer. Every request is logged with its headers, body and arrival time (monotonic), so a
test can assert what the client sent, how often, and how long it waited between attempts.

Use the ``fault_server`` fixture::

    from tests.fault_server import fault_server  # noqa: F401

    def test_x(fault_server: FaultServer) -> None:
        fault_server.script(rate_limited(retry_after=1), completion({"title": "t"}))
"""

from __future__ import annotations

import gzip
import itertools
import json
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import pytest

ReplyKind = Literal["answer", "reset", "stall", "stall_body"]

#: A test key: long and unique enough that a leak anywhere is unambiguous.
TEST_KEY = "sk-fault-TESTKEY-0123456789abcdefghijklmnopqrstuv"


@dataclass(frozen=True)
class Reply:
    """One scripted behaviour of the server for one request."""

    kind: ReplyKind = "answer"
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    """For stalls: how long to wait (before the headers, or mid-body) before answering."""


@dataclass(frozen=True)
class Recorded:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    """time.monotonic() when the request had been read."""

    def json(self) -> Any:
        """The request body parsed as JSON."""
        return json.loads(self.body)


# -- reply builders --------------------------------------------------------------------------------------------


def _json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(payload).encode()
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    return Reply("answer", status, body, tuple(hdrs.items()))


def chat_completion(
    content: str | None,
    *,
    finish_reason: str = "stop",
    model: str = "m",
    prompt_tokens: int = 11,
    completion_tokens: int = 7,
    choices: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A chat.completion object as the OpenAI API returns it, with usage."""
    if choices is None:
        choices = [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ]
    return {
        "id": "chatcmpl-fault-1",
        "object": "chat.completion",
        "created": 1_745_000_000,
        "model": model,
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "system_fingerprint": None,
    }


def completion(
    content: str | dict[str, Any], *, headers: dict[str, str] | None = None, gzipped: bool = False, **kwargs: Any
) -> Reply:
    """200 with a valid chat.completion whose message content is ``content`` (a dict is sent as JSON text).

    ``headers`` are added to the response (e.g. Set-Cookie, openai-organization, to test cassette scrubbing);
    ``gzipped`` sends the body gzip-compressed with Content-Encoding: gzip.
    """
    text = content if isinstance(content, str) else json.dumps(content)
    reply = _json_reply(200, chat_completion(text, **kwargs), {"x-request-id": "req_fault_ok", **(headers or {})})
    if gzipped:
        body = gzip.compress(reply.body)
        return Reply(reply.kind, reply.status, body, (*reply.headers, ("Content-Encoding", "gzip")))
    return reply


def truncated(content: str = '{"title": "Rubio warns', **kwargs: Any) -> Reply:
    """200 with output cut at the token limit: finish_reason "length" and (by default) unfinished JSON."""
    return completion(content, finish_reason="length", **kwargs)


def empty_choices() -> Reply:
    """200 with a well-formed completion that holds no choices at all."""
    return _json_reply(200, chat_completion(None, choices=[]))


def error(status: int, message: str | None = None, headers: dict[str, str] | None = None) -> Reply:
    """An HTTP error with an OpenAI-style error body."""
    payload = {
        "error": {
            "message": message or f"fault server: scripted HTTP {status}",
            "type": "server_error" if status >= 500 else "invalid_request_error",
            "param": None,
            "code": None,
        }
    }
    return _json_reply(status, payload, {"x-request-id": f"req_fault_{status}", **(headers or {})})


def rate_limited(
    retry_after: float = 1.0, message: str = "Rate limit reached for requests", headers: dict[str, str] | None = None
) -> Reply:
    """429 Too Many Requests with a Retry-After header (seconds)."""
    value = str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
    return error(429, message, {"Retry-After": value, **(headers or {})})


def reset() -> Reply:
    """Close the connection with a TCP reset, without answering."""
    return Reply("reset")


def stall(seconds: float = 30.0, *, mid_body: bool = False) -> Reply:
    """Wait ``seconds`` before answering: before the status line, or (``mid_body``) after half the body."""
    ok = completion('{"title": "late"}')
    return Reply("stall_body" if mid_body else "stall", ok.status, ok.body, ok.headers, delay=seconds)


def malformed() -> Reply:
    """200 with Content-Type application/json but a body that is not JSON (cut mid-object)."""
    body = json.dumps(chat_completion('{"title": "x"}')).encode()[:57]
    return Reply("answer", 200, body, (("Content-Type", "application/json"),))


def html_page(status: int = 200, text: str = "502 Bad Gateway") -> Reply:
    """A proxy's HTML page where JSON was expected (``text`` is its body text)."""
    body = f"<html><body><h1>{text}</h1></body></html>".encode()
    return Reply("answer", status, body, (("Content-Type", "text/html"),))


#: What the server answers when the script has run out: a loud error the client must not retry.
EXHAUSTED = error(599, "fault server: no scripted reply left for this request", {"x-should-retry": "false"})


# -- the server ------------------------------------------------------------------------------------------------


class FaultServer:
    """A ThreadingHTTPServer on an ephemeral 127.0.0.1 port that plays scripted replies in order."""

    def __init__(self) -> None:
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.requests: list[Recorded] = []
        self.handler_errors: list[BaseException] = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fault = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="fault-server", daemon=True
        )

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to give an OpenAI client (ends in /v1)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def pending(self) -> int:
        """Scripted replies not yet used."""
        with self._lock:
            return len(self._replies)

    def script(self, *replies: Reply) -> FaultServer:
        """Queue replies for the next requests, in order."""
        with self._lock:
            self._replies.extend(replies)
        return self

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests (what the client waited before each retry, plus transfer)."""
        times = [r.at for r in self.requests]
        return [b - a for a, b in itertools.pairwise(times)]

    def start(self) -> FaultServer:
        """Serve in a daemon thread."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Release stalled handlers, stop serving and close the listening socket."""
        self._released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- used by the handler --

    def _next(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self._replies.popleft() if self._replies else EXHAUSTED

    def _wait(self, seconds: float) -> None:
        self._released.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fault: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout) or a reset we caused ourselves is expected; keep the output clean.
        import sys

        exc = sys.exc_info()[1]
        if exc is not None and not isinstance(exc, ConnectionError | OSError):
            self.fault.handler_errors.append(exc)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # the test output stays readable
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        fault = self.server.fault
        reply = fault._next(Recorded(self.command, self.path, headers, body, time.monotonic()))
        if reply.kind == "reset":
            # SO_LINGER with a zero timeout turns close() into a TCP RST: the client sees "connection reset".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if reply.kind == "stall":
            fault._wait(reply.delay)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.kind == "stall_body":
                half = len(reply.body) // 2
                self.wfile.write(reply.body[:half])
                self.wfile.flush()
                fault._wait(reply.delay)
                self.wfile.write(reply.body[half:])
            else:
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client gave up waiting


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    """A running FaultServer; fails the test if a handler crashed."""
    server = FaultServer().start()
    try:
        yield server
    finally:
        server.close()
    assert not server.handler_errors, f"fault server handler crashed: {server.handler_errors!r}"
