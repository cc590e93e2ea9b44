"""A stand-in for ``python -m llama_cpp.server``: the same flags, the same uvicorn.run call, no model.

The local backend starts it instead of llama.cpp when ``SUMMARIZER_SERVER_MODULE=tests.fake_llama_server``, so
process tests (signals, orphans, the shared server) run in seconds. It answers ``/v1/models`` and
``/v1/chat/completions`` with a schema-valid draft made of the prompt's own sentences (bench/latency_server.py's
``draft_for``), after ``FAKE_LLAMA_LATENCY`` seconds. With ``FAKE_LLAMA_TRACE=DIR`` it writes ``DIR/pid`` when it
listens (and a line to ``DIR/starts``) and appends ``start``/``end`` lines to ``DIR/requests`` around each
completion.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _draft_for() -> Any:
    spec = importlib.util.spec_from_file_location("latency_server", ROOT / "bench" / "latency_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.draft_for


def _trace(name: str, line: str) -> None:
    folder = os.environ.get("FAKE_LLAMA_TRACE")
    if folder:
        with open(Path(folder) / name, "a") as fh:
            fh.write(line + "\n")


def make_app(alias: str) -> Any:
    """The ASGI app."""
    draft_for = _draft_for()
    latency = float(os.environ.get("FAKE_LLAMA_LATENCY", "0"))
    counter = 0

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        nonlocal counter
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    folder = os.environ.get("FAKE_LLAMA_TRACE")
                    if folder:
                        # Atomically: a test polling for the file never reads it half written.
                        (Path(folder) / "pid.tmp").write_text(str(os.getpid()))
                        os.replace(Path(folder) / "pid.tmp", Path(folder) / "pid")
                        _trace("starts", f"{os.getpid()} {time.time()}")
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope["path"].endswith("/models"):
            payload: dict[str, Any] = {"object": "list", "data": [{"id": alias, "object": "model"}]}
        else:
            counter += 1
            n = counter
            _trace("requests", f"start {n} {time.time()}")
            request = json.loads(body)
            prompt = "\n".join(str(m.get("content", "")) for m in request["messages"])
            await asyncio.sleep(latency)
            content = json.dumps(draft_for(prompt))
            payload = {
                "id": f"chatcmpl-{n}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": alias,
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
            }
            _trace("requests", f"end {n} {time.time()}")
        data = json.dumps(payload).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": data})

    return app


def main() -> None:
    """Parse llama_cpp.server's flags and serve."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--model")
    parser.add_argument("--model_alias", default="fake")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args, _ = parser.parse_known_args(sys.argv[1:])
    import uvicorn

    uvicorn.run(make_app(args.model_alias), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
