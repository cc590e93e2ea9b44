"""``python -m llama_cpp.server`` itself with a slow stand-in for the model: the real app, chat handler and Llama.eval.

The local backend runs it when ``SUMMARIZER_SERVER_MODULE=tests.fake_llama_engine``. Only what lies under
``Llama.eval`` is faked: llama.cpp's decode (``FAKE_LLAMA_PREFILL`` seconds for the prompt, ``FAKE_LLAMA_TOKEN_S``
seconds per generated token, polling the abort callback as ggml does between graph nodes), a byte tokenizer, and
the token loop of ``Llama._create_completion`` (``FAKE_LLAMA_TOKENS`` tokens, each through ``Llama.eval``; a
comma-separated list gives the count of the first, second... completion, the last for all later ones). The
answer is bench/latency_server.py's draft of the prompt, as in tests/fake_llama_server.py. With
``FAKE_LLAMA_TRACE=DIR`` it writes ``DIR/pid`` and ``DIR/starts`` as that module does, and appends to
``DIR/requests`` a line ``start N T`` when a completion starts, ``prefilled N T`` after its prompt, then
``end N T TOKENS`` when it is answered or ``stop N T TOKENS EXCEPTION`` when it was abandoned.
"""

from __future__ import annotations

import ctypes
import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import llama_cpp
import llama_cpp.server.__main__
import numpy as np
from llama_cpp.server.model import LlamaProxy

from tests.fake_llama_server import _draft_for, _trace

PREFILL_S = float(os.environ.get("FAKE_LLAMA_PREFILL", "1"))
TOKEN_S = float(os.environ.get("FAKE_LLAMA_TOKEN_S", "0.05"))
TOKENS = [int(n) for n in os.environ.get("FAKE_LLAMA_TOKENS", "40").split(",")]
#: How often the fake decode polls the abort callback (ggml does it after each node of the graph).
NODE_S = 0.01

draft_for = _draft_for()
_abort: dict[int, Any] = {}  # the callback llama_set_abort_callback installed, by context
_count = 0
_count_lock = threading.Lock()


def _set_abort_callback(ctx: int, callback: Any, _data: Any) -> None:
    _abort[ctx] = callback if callback else None


class FakeBatch:
    """The llama_batch that Llama.eval fills."""

    n = 0

    def set_batch(self, batch: Sequence[int], n_past: int, logits_all: bool) -> None:
        self.n = len(batch)


class FakeContext:
    """The llama_context: a decode that takes its time and honours the abort callback, as llama_decode does."""

    def __init__(self, prompt_tokens: list[int]) -> None:
        self.ctx = id(self)
        self.prompt_tokens = prompt_tokens  # the prompt's length sets the prefill's time per token

    def kv_cache_seq_rm(self, seq_id: int, p0: int, p1: int) -> None:
        pass

    def decode(self, batch: FakeBatch) -> None:
        prompt = batch.n > 1
        seconds = PREFILL_S * batch.n / max(1, len(self.prompt_tokens)) if prompt else TOKEN_S
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(NODE_S, left))
            callback = _abort.get(self.ctx)
            if callback is not None and callback(ctypes.c_void_p()):
                raise RuntimeError("llama_decode returned 2")


class FakeLlama(llama_cpp.Llama):
    """A Llama without weights: llama.cpp's calls are faked, the Python above Llama.eval is the real one."""

    def __init__(self, alias: str) -> None:  # no super().__init__: it would load weights
        self.verbose = False
        self.chat_handler = None
        self._chat_handlers = {}
        self.chat_format = "chatml"
        self.model_path = alias
        self.n_batch = 512
        self.n_tokens = 0
        self._logits_all = False
        self.input_ids = np.zeros(1 << 20, dtype=np.intc)
        self._ctx = FakeContext([])  # type: ignore[assignment]
        self._batch = FakeBatch()  # type: ignore[assignment]

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        return list(text)

    def close(self) -> None:
        pass

    def __del__(self) -> None:
        pass

    def _create_completion(self, prompt: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:  # type: ignore[override]
        global _count
        with _count_lock:
            _count += 1
            n = _count
        _trace("requests", f"start {n} {time.time()}")
        tokens: list[int] = list(prompt)
        done = 0
        try:
            self.n_tokens = 0
            self._ctx.prompt_tokens = tokens  # type: ignore[attr-defined]
            self.eval(tokens)
            _trace("requests", f"prefilled {n} {time.time()}")
            for _ in range(TOKENS[min(n, len(TOKENS)) - 1]):
                self.eval([0])
                done += 1
        except Exception as exc:
            _trace("requests", f"stop {n} {time.time()} {done} {type(exc).__name__}")
            raise
        _trace("requests", f"end {n} {time.time()} {done}")
        text = json.dumps(draft_for(bytes(tokens).decode("utf-8", "replace")))
        yield {
            "id": f"cmpl-{n}",
            "object": "text_completion",
            "created": int(time.time()),
            "model": kwargs.get("model") or self.model_path,
            "choices": [{"text": text, "index": 0, "logprobs": None, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": len(tokens), "completion_tokens": done, "total_tokens": len(tokens) + done},
        }


def _load(settings: Any) -> FakeLlama:
    """The "model load": write the trace's pid and starts, as tests/fake_llama_server.py does once it listens."""
    folder = os.environ.get("FAKE_LLAMA_TRACE")
    if folder:
        (Path(folder) / "pid.tmp").write_text(str(os.getpid()))
        os.replace(Path(folder) / "pid.tmp", Path(folder) / "pid")
        _trace("starts", f"{os.getpid()} {time.time()}")
    return FakeLlama(settings.model_alias or "fake")


def main() -> None:
    """Serve llama_cpp.server's app with the stand-in model."""
    llama_cpp.llama_set_abort_callback = _set_abort_callback
    LlamaProxy.load_llama_from_model_settings = staticmethod(_load)  # type: ignore[method-assign]
    llama_cpp.server.__main__.main()


if __name__ == "__main__":
    main()
