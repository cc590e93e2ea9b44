"""A tiny OpenAI-compatible chat server on 127.0.0.1 for batch benchmarks and tests (stdlib only).

It answers ``POST /v1/chat/completions`` after a fixed latency with a schema-valid draft built from the prompt's
own numbered sentences ([S1] ...): five bullets that copy the first sentences (with their real numbers), claims
from sentences with "said", and timeline events from sentences naming a weekday or month. The validation layer
therefore has real work to do. JSON mode gets the draft as message content, TOOLS mode as a tool call.

Fault injection: ``--rate-limit-first N`` answers the first N requests with HTTP 429 and a Retry-After header.
``GET /stats`` returns the request counts, so a test can check that nothing was paid twice.

    python bench/latency_server.py --latency 1.0          # prints "listening on http://127.0.0.1:PORT/v1"
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SENTENCE = re.compile(r"^\[S(\d+)\] (.+)$", re.M)
_TIME_WORD = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|yesterday|today|last (?:week|month|year))\b"
)
_NAME = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")


def _words(text: str, n: int) -> str:
    return " ".join(text.split()[:n])


def draft_for(prompt: str) -> dict[str, Any]:
    """A schema-valid draft (title, bullets, claims, timeline) made of the prompt's own sentences."""
    sentences = [(int(m.group(1)), m.group(2).strip()) for m in _SENTENCE.finditer(prompt)]
    if not sentences:
        sentences = [(1, "No sentences were given.")]
    bullets = [
        {"text": _words(text, 25), "cites": [sid]} for sid, text in (sentences * 5)[: max(5, min(6, len(sentences)))]
    ]
    claims = []
    for sid, text in sentences:
        if " said" in text or " told " in text:
            name = _NAME.search(text)
            claims.append({"who": name.group(1) if name else "A spokesperson", "role": "", "claim": _words(text, 20)})
            claims[-1]["cite"] = sid
        if len(claims) == 3:
            break
    timeline = []
    for sid, text in sentences:
        m = _TIME_WORD.search(text)
        if m:
            timeline.append({"when": m.group(1), "what": _words(text, 10), "cite": sid})
        if len(timeline) == 3:
            break
    return {"title": _words(sentences[0][1], 10), "bullets": bullets, "claims": claims, "timeline": timeline}


class Stats:
    """Request counts (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.completions = 0
        self.rate_limited = 0
        self.times: list[float] = []

    def as_dict(self) -> dict[str, Any]:
        """The counts as JSON-ready data."""
        with self.lock:
            return {
                "requests": self.requests,
                "completions": self.completions,
                "rate_limited": self.rate_limited,
                "times": list(self.times),
            }


class Server(ThreadingHTTPServer):
    """The HTTP server and its settings."""

    daemon_threads = True
    request_queue_size = 512

    def __init__(self, port: int, latency: float, rate_limit_first: int, retry_after: str) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.latency = latency
        self.rate_limit_first = rate_limit_first
        self.retry_after = retry_after
        self.stats = Stats()

    @property
    def url(self) -> str:
        """The base URL clients use."""
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class Handler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 so clients keep their connections alive."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle on, the client's delayed ACK adds ~40 ms per answer.
    disable_nagle_algorithm = True
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: a benchmark makes thousands of requests

    def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away (a killed batch): nothing to answer

    def do_GET(self) -> None:
        """GET /stats: the counts."""
        if self.path.rstrip("/").endswith("/stats"):
            self._send(200, self.server.stats.as_dict())
        else:
            self._send(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        """POST /v1/chat/completions: the answer is built first, then sent ``latency`` seconds after the request came
        in — a fixed latency, like a model call, however long this Python server takes to build the draft."""
        due = time.monotonic() + self.server.latency
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        stats = self.server.stats
        with stats.lock:
            stats.requests += 1
            stats.times.append(time.time())
            limited = stats.requests <= self.server.rate_limit_first
            if limited:
                stats.rate_limited += 1
        if not self.path.endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        if limited:
            error = {"error": {"message": "Rate limit reached", "type": "rate_limit_error", "code": "rate_limited"}}
            self._send(429, error, {"Retry-After": self.server.retry_after})
            return
        messages = request.get("messages", [])
        prompt = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
        answer = json.dumps(draft_for(prompt))
        message: dict[str, Any] = {"role": "assistant", "content": answer}
        finish = "stop"
        tools = request.get("tools")
        if tools:
            name = tools[0]["function"]["name"]
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": name, "arguments": answer}}],
            }
            finish = "tool_calls"
        prompt_chars = sum(len(str(m.get("content", ""))) for m in messages)
        with stats.lock:
            stats.completions += 1
            n = stats.completions
        time.sleep(max(0.0, due - time.monotonic()))
        self._send(
            200,
            {
                "id": f"chatcmpl-{n}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.get("model", "fake"),
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": {
                    "prompt_tokens": prompt_chars // 4,
                    "completion_tokens": len(answer) // 4,
                    "total_tokens": prompt_chars // 4 + len(answer) // 4,
                },
            },
        )


def serve_in_thread(latency: float = 0.0, *, rate_limit_first: int = 0, retry_after: str = "1") -> Server:
    """Start a server on a free port in a daemon thread; call ``.shutdown()`` when done."""
    server = Server(0, latency, rate_limit_first, retry_after)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    """Run the server in the foreground until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--rate-limit-first", type=int, default=0, help="answer the first N requests with 429")
    parser.add_argument("--retry-after", default="1", help="the Retry-After header sent with a 429")
    args = parser.parse_args(argv)
    server = Server(args.port, args.latency, args.rate_limit_first, args.retry_after)
    print(f"listening on {server.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
