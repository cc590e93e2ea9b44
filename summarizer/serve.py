"""The embedded model's server process: llama.cpp's OpenAI-compatible server, watched so it never lingers.

    python -m summarizer.serve [--parent PID] [--idle-timeout S] [--record PATH --lock PATH] [--module M] -- ARGS

It runs ``M`` (default ``llama_cpp.server``) in this process with ``ARGS``, and wraps the ASGI app that module
hands to ``uvicorn.run`` so it knows how many requests are in flight and when the last one ended. A watchdog
thread then ends the process

- when the process ``--parent`` is gone, however it died (SIGKILL included): a private server never outlives the
  program that started it;
- after ``--idle-timeout`` seconds with no request in flight: the shared server of a cache folder (see
  :mod:`summarizer.local`) stops by itself, and removes its record under ``--lock`` first, so no client can pick
  it up in the moment it goes.

The wrapper also watches each request's connection once the app has read its body. When the client goes (killed,
timed out) before its answer, llama.cpp stops computing that answer: before the next generated token, or within a
prompt's evaluation through llama.cpp's abort callback (see :func:`stop_abandoned_answers`). The model is then free
for the next queued request, and nobody waits for an answer no one will read.

Greedy decoding under a JSON grammar (every local request) checks the model's own pick against the grammar before
matching the grammar against the whole vocabulary (see :class:`CheckedGreedySampler`): the same tokens, without
the ~50 ms a token that llama-cpp-python's sampler chain spends on Qwen's 151k-token vocabulary.

Each answer computed by llama.cpp carries the header ``x-summarizer-waited-s``: the seconds the request waited
behind other clients' requests for the model (see :func:`time_the_wait`). A client of the shared server takes it
off the time it records for its own call, so a brief that queued behind another process's is not charged for it.

SIGTERM (``summarizer model stop``) is uvicorn's graceful shutdown: the requests in flight whose clients are still
connected are answered first; those whose clients are gone end at once, as above.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import ctypes
import fcntl
import json
import os
import runpy
import select
import sys
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from pathlib import Path
from typing import Any

#: Answered by the wrapper itself, at once, even while llama.cpp is busy (its /v1/models waits for the model's
#: lock); a ping counts as activity, so a client that pinged the server has ``idle_timeout`` seconds to use it.
PING_PATH = "/summarizer/ping"
#: How often the watchdog looks (seconds): the reaction time to a dead parent when no pidfd can be had.
POLL_S = 0.25
DEFAULT_MODULE = "llama_cpp.server"
#: Response header: seconds from the request's arrival to the start of its computation (the wait for the model).
WAITED_HEADER = "x-summarizer-waited-s"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

#: The request's "client gone" flag. A context variable: anyio copies the context into the worker thread where
#: llama_cpp.server runs the completion, so the model code sees the flag of the request it is computing.
_GONE: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar("summarizer_client_gone", default=None)


class Wait:
    """When a request arrived and when the model began computing it (set from the model's thread)."""

    def __init__(self) -> None:
        self.arrived = time.perf_counter()
        self.started: float | None = None

    def start(self) -> None:
        """The model begins on this request (the first call counts: a chat completion calls a completion)."""
        if self.started is None:
            self.started = time.perf_counter()

    def header(self) -> tuple[bytes, bytes] | None:
        """The WAITED_HEADER of a computed request, or None when the model never began on it."""
        if self.started is None:
            return None
        return WAITED_HEADER.encode(), f"{max(0.0, self.started - self.arrived):.3f}".encode()


#: The request's Wait, seen by the model's thread as _GONE is.
_WAIT: contextvars.ContextVar[Wait | None] = contextvars.ContextVar("summarizer_wait", default=None)


class ClientGone(Exception):
    """The client of the request being computed disconnected: its answer was abandoned."""


class Disconnect:
    """A request's ``receive``, watched for the client's disconnect once the app has read the body."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self.gone = threading.Event()  # read by the model's thread
        self._seen = asyncio.Event()  # awaited by the app's own later receive() calls
        self._watcher: asyncio.Task[None] | None = None

    async def receive(self) -> Message:
        """The next message for the app: the body as sent, then http.disconnect once the client is gone."""
        if self._watcher is None:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self._mark_gone()
            elif not message.get("more_body", False):
                # The body is read: from now on only the watcher calls the real receive, so the two never race.
                self._watcher = asyncio.ensure_future(self._watch())
            return message
        # Later calls wait for the watcher's word: at once if the client has gone, else until it goes (Starlette's
        # is_disconnected() makes such a call in a cancelled scope, and so reads "still connected").
        await self._seen.wait()
        return {"type": "http.disconnect"}

    async def _watch(self) -> None:
        # After the body, the server's receive() returns only when the client disconnects (or the response ends).
        while (await self._receive())["type"] != "http.disconnect":
            pass
        self._mark_gone()

    def _mark_gone(self) -> None:
        self.gone.set()
        self._seen.set()

    def close(self) -> None:
        """Stop watching (the app has returned)."""
        if self._watcher is not None:
            self._watcher.cancel()


class Activity:
    """Requests in flight and the time the last one started or ended (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.inflight = 0
        self.last = time.monotonic()

    def wrap(self, app: ASGIApp) -> ASGIApp:
        """The ASGI app, counting its HTTP requests."""

        async def counted(scope: Scope, receive: Any, send: Any) -> None:
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            if scope.get("path") == PING_PATH:
                with self._lock:
                    self.last = time.monotonic()
                    body = json.dumps({"pid": os.getpid(), "inflight": self.inflight}).encode()
                await send(
                    {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
                )
                await send({"type": "http.response.body", "body": body})
                return
            with self._lock:
                self.inflight += 1
                self.last = time.monotonic()
            disconnect = Disconnect(receive)
            wait = Wait()

            async def send_waited(message: Message) -> None:
                header = wait.header() if message.get("type") == "http.response.start" else None
                if header is not None:
                    message = {**message, "headers": [*message.get("headers", []), header]}
                await send(message)

            token = _GONE.set(disconnect.gone)
            waiting = _WAIT.set(wait)
            try:
                await app(scope, disconnect.receive, send_waited)
            finally:
                _WAIT.reset(waiting)
                _GONE.reset(token)
                disconnect.close()
                with self._lock:
                    self.inflight -= 1
                    self.last = time.monotonic()

        return counted

    def idle_for(self) -> float:
        """Seconds since the last request ended, or 0 while one is in flight."""
        with self._lock:
            return 0.0 if self.inflight else time.monotonic() - self.last


class ForwardClock:
    """Wall-clock seconds and tokens of the model's forward passes in one completion: the prompt (multi-token
    evals) and the generated tokens (one-token evals).

    llama.cpp's own counters miss part of the first completion after loading: a sampling profile (py-spy) of that
    request found its worker thread inside llama_decode nearly all along, yet the prompt and eval counters summed to
    17-26 % less than its wall time (under 2 % on the next request). bench/brief_latency.py reads this clock."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start counting a new completion."""
        self.prompt_s = self.generation_s = 0.0
        self.prompt_tokens = self.generated_tokens = 0

    def add(self, n_tokens: int, seconds: float) -> None:
        """Count one forward pass of ``n_tokens`` tokens."""
        if n_tokens > 1:
            self.prompt_s += seconds
            self.prompt_tokens += n_tokens
        else:
            self.generation_s += seconds
            self.generated_tokens += n_tokens

    def line(self) -> str:
        """The log line bench/brief_latency.py reads, and a fresh start for the next completion."""
        out = (
            f"forward passes: prompt {self.prompt_s:.3f} s / {self.prompt_tokens} tokens, "
            f"generation {self.generation_s:.3f} s / {self.generated_tokens} tokens"
        )
        self.reset()
        return out


#: The clock of the completion in progress (llama_cpp.server runs one at a time, under its lock).
FORWARD = ForwardClock()


def stop_abandoned_answers(llama_cpp: Any) -> None:
    """Patch ``llama_cpp.Llama.eval`` to raise ClientGone once the client of the request it computes is gone."""
    real_eval = llama_cpp.Llama.eval
    no_callback = llama_cpp.ggml_abort_callback()  # a NULL function pointer

    # Llama.eval is where every token goes through the model: the prompt (one call, seconds per 512-token batch)
    # and then each generated token (one call per token, tens of milliseconds each). llama_cpp.server runs the
    # completion in a worker thread, out of the event loop's reach; this is where it can be stopped.
    def timed_eval(self: Any, tokens: Sequence[int]) -> None:
        started = time.perf_counter()
        try:
            real_eval(self, tokens)
        finally:
            FORWARD.add(len(tokens), time.perf_counter() - started)

    def eval(self: Any, tokens: Sequence[int]) -> None:
        gone = _GONE.get()
        if gone is None:  # not within a request
            timed_eval(self, tokens)
            return
        if gone.is_set():
            raise ClientGone("the client disconnected: its answer was abandoned")
        if len(tokens) <= 1:
            # A generated token: checking before each is prompt enough, and a Python callback polled by llama.cpp
            # (at each step of the graph, under the GIL) would slow every token of the answers that are read.
            timed_eval(self, tokens)
            return
        abort = llama_cpp.ggml_abort_callback(lambda _data: gone.is_set())  # referenced until reset below
        llama_cpp.llama_set_abort_callback(self._ctx.ctx, abort, None)
        try:
            timed_eval(self, tokens)
        except RuntimeError:  # llama_decode returned 2 (aborted); eval keeps only the batches it completed
            if gone.is_set():
                raise ClientGone("the client disconnected: its prompt was abandoned") from None
            raise
        finally:
            llama_cpp.llama_set_abort_callback(self._ctx.ctx, no_callback, None)

    llama_cpp.Llama.eval = eval


def time_the_wait(llama_cpp: Any) -> None:
    """Patch ``llama_cpp.Llama``'s completion methods to mark when the model begins on the current request.

    llama_cpp.server calls them once the request holds the model's lock, so the time from the request's arrival
    to that call is the time it queued behind other requests (sent back as WAITED_HEADER).
    """

    def marking(real: Callable[..., Any]) -> Callable[..., Any]:
        def marked(self: Any, *args: Any, **kwargs: Any) -> Any:
            wait = _WAIT.get()
            if wait is not None:
                wait.start()
            return real(self, *args, **kwargs)

        return marked

    for name in ("create_chat_completion", "create_completion"):
        setattr(llama_cpp.Llama, name, marking(getattr(llama_cpp.Llama, name)))


class CheckedGreedySampler:
    """Greedy decoding under a grammar that checks the model's own choice first, as llama.cpp's common sampler does.

    llama-cpp-python's chain (penalties, grammar, greedy) matches every one of the vocabulary's ~151k tokens against
    the grammar on every generated token: about a third of a brief's time. The greedy pick without the grammar is
    the answer whenever the grammar allows it (the highest-scoring token is then also the highest-scoring allowed
    one), so only that token is checked; only when the grammar refuses it is the whole vocabulary matched, and the
    pick made as before. Grammar masking and the repeat penalty each act on one token at a time and leave a masked
    token masked, so both paths give the token the original chain gives, ties included (greedy keeps the first).
    """

    def __init__(self, llama_cpp: Any, chain: Any, grammar: Any, n_vocab: int) -> None:
        import numpy as np

        self._api = llama_cpp
        self.chain = chain  # a LlamaSampler: the original chain less its grammar (penalties, greedy)
        self.grammar = grammar  # a LlamaSampler holding the grammar alone
        self._ids = np.arange(n_vocab, dtype=np.int32)
        # One buffer laid out as llama_token_data (int32 id, float logit, float p), filled anew for each pick.
        self._cur = np.zeros(n_vocab, dtype=np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)]))
        self._data = llama_cpp.llama_token_data_array(
            data=self._cur.ctypes.data_as(llama_cpp.llama_token_data_p), size=n_vocab, selected=-1, sorted=False
        )
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_data = llama_cpp.llama_token_data_array(data=self._one, size=1, selected=-1, sorted=False)
        self.tokens = 0  # tokens picked
        self.full = 0  # of which the grammar refused the greedy pick, so it was matched against the whole vocabulary
        self.seconds = 0.0  # spent picking

    def sample(self, ctx: Any, idx: int = -1) -> int:
        """The next token from the logits of output ``idx`` of ``ctx`` (a LlamaContext), accepted by every sampler."""
        import numpy as np

        logits = np.ctypeslib.as_array(self._api.llama_get_logits_ith(ctx.ctx, idx), shape=(len(self._ids),))
        return self.choose(logits)

    def choose(self, logits: Any) -> int:
        """The token the original chain picks from ``logits`` (one per vocabulary entry), accepted by every sampler."""
        started = time.perf_counter()
        token = self._pick(logits, [self.chain])
        if not self._allowed(token):
            self.full += 1
            token = self._pick(logits, [self.grammar, self.chain])
        self.chain.accept(token)  # the penalties' window of recent tokens
        self.grammar.accept(token)  # the grammar's parse state
        self.tokens += 1
        self.seconds += time.perf_counter() - started
        return token

    def _pick(self, logits: Any, samplers: list[Any]) -> int:
        self._cur["id"] = self._ids
        self._cur["logit"] = logits
        self._cur["p"] = 0.0
        data = self._data
        data.size, data.selected, data.sorted = len(self._ids), -1, False
        for sampler in samplers:
            self._api.llama_sampler_apply(sampler.sampler, ctypes.byref(data))
        return int(data.data[data.selected].id)

    def _allowed(self, token: int) -> bool:
        self._one[0].id, self._one[0].logit, self._one[0].p = token, 0.0, 0.0
        self._one_data.size, self._one_data.selected, self._one_data.sorted = 1, -1, False
        self._api.llama_sampler_apply(self.grammar.sampler, ctypes.byref(self._one_data))
        return bool(self._one[0].logit != float("-inf"))

    def reset(self) -> None:
        """Reset every sampler (as LlamaSampler.reset)."""
        self.chain.reset()
        self.grammar.reset()

    def close(self) -> None:
        """Free both samplers (as LlamaSampler.close)."""
        self.chain.close()
        self.grammar.close()


def check_chosen_token_first(llama_cpp: Any) -> None:
    """Patch ``llama_cpp.Llama`` so greedy decoding under a grammar uses :class:`CheckedGreedySampler`.

    Only greedy decoding (temperature 0, what the library asks for) without a logits processor changes: there the
    check gives the very token the original chain gives. Sampling at a temperature keeps llama-cpp-python's chain,
    since a check-then-resample draws from another distribution than sampling under the grammar. After each
    completion the log gets a line ``grammar check: N tokens, M against the whole vocabulary, S s sampling``
    beside llama.cpp's timings (bench/brief_latency.py reads it).
    """
    import importlib
    import inspect
    import weakref

    _internals: Any = importlib.import_module("llama_cpp._internals")  # untyped: Any, as llama_cpp here

    real_init = llama_cpp.Llama._init_sampler
    signature = inspect.signature(real_init)
    checked: weakref.WeakKeyDictionary[Any, CheckedGreedySampler] = weakref.WeakKeyDictionary()

    def _init_sampler(self: Any, *args: Any, **kwargs: Any) -> Any:
        FORWARD.reset()  # a completion starts here (an abandoned one printed no timings)
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        given = bound.arguments
        if given["grammar"] is None or given["temp"] != 0.0 or given["logits_processor"] is not None:
            return real_init(self, *args, **kwargs)
        grammar = given["grammar"]
        given["grammar"] = None
        chain = real_init(*bound.args, **bound.kwargs)
        alone = _internals.LlamaSampler()
        alone.add_grammar(self._model, grammar)
        sampler = CheckedGreedySampler(llama_cpp, chain, alone, self._n_vocab)
        checked[self._ctx] = sampler
        return sampler

    real_print = _internals.LlamaContext.print_timings

    # Llama._create_completion prints the context's timings (verbose) right after its last token: the line for
    # this completion's sampler goes with them.
    def print_timings(ctx: Any) -> None:
        real_print(ctx)
        print(FORWARD.line(), file=sys.stderr, flush=True)
        sampler = checked.pop(ctx, None)
        if sampler is not None:
            print(
                f"grammar check: {sampler.tokens} tokens, {sampler.full} against the whole vocabulary, "
                f"{sampler.seconds:.3f} s sampling",
                file=sys.stderr,
                flush=True,
            )

    llama_cpp.Llama._init_sampler = _init_sampler
    _internals.LlamaContext.print_timings = print_timings


def _parent_gone(parent: int, pidfd: int | None) -> bool:
    """Wait up to POLL_S for the parent to end; True once it has (a pidfd says so at once, else getppid changes)."""
    if pidfd is not None:
        ready, _, _ = select.select([pidfd], [], [], POLL_S)
        return bool(ready)
    time.sleep(POLL_S)
    return os.getppid() != parent


def _open_pidfd(pid: int) -> int | None:
    """A pidfd for ``pid`` (Linux 5.3+), or None where there is none; raises ProcessLookupError if pid is gone."""
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return int(opener(pid))
    except ProcessLookupError:
        raise
    except OSError:  # not supported by this kernel or sandbox
        return None


def watch(
    activity: Activity, parent: int | None, idle_timeout: float | None, record: Path | None, lock: Path | None
) -> None:
    """The watchdog loop: end the process when the parent is gone or the server has been idle long enough."""
    pidfd = None
    if parent is not None:
        try:
            pidfd = _open_pidfd(parent)
        except ProcessLookupError:
            os._exit(0)
        if os.getppid() != parent:  # the parent died before we could watch it
            os._exit(0)
    while True:
        if parent is not None:
            if _parent_gone(parent, pidfd):
                os._exit(0)
        else:
            time.sleep(POLL_S)
        if idle_timeout is not None and activity.idle_for() >= idle_timeout:
            if record is not None and lock is not None:
                # The lock keeps a client from choosing this server while it goes; a client that pinged it just
                # before has reset the idle clock, so check again under the lock.
                with open(lock, "a+") as fh:
                    fcntl.flock(fh, fcntl.LOCK_EX)
                    if activity.idle_for() < idle_timeout:
                        continue
                    with contextlib.suppress(OSError, ValueError):
                        if json.loads(record.read_text()).get("pid") == os.getpid():
                            record.unlink()
                    os._exit(0)  # the lock goes with the process
            os._exit(0)


def main(argv: list[str] | None = None) -> int:
    """Run the server module under the watchdog."""
    parser = argparse.ArgumentParser(prog="python -m summarizer.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--parent", type=int, help="end when this process ends")
    parser.add_argument("--idle-timeout", type=float, help="end after this many seconds with no request")
    parser.add_argument("--record", type=Path, help="the shared server's record, removed on an idle stop")
    parser.add_argument("--lock", type=Path, help="the lock file guarding the record")
    parser.add_argument("--module", default=DEFAULT_MODULE, help=f"the server module to run (default {DEFAULT_MODULE})")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then the server module's own arguments")
    ns = parser.parse_args(argv)
    rest = ns.args[1:] if ns.args[:1] == ["--"] else ns.args

    activity = Activity()
    import uvicorn

    real_run = uvicorn.run

    def run(app: Any, *args: Any, **kwargs: Any) -> Any:
        llama_cpp = sys.modules.get("llama_cpp")
        if llama_cpp is not None:  # the module has loaded llama.cpp (a stand-in may not): patch it before serving
            stop_abandoned_answers(llama_cpp)
            check_chosen_token_first(llama_cpp)
            time_the_wait(llama_cpp)
        return real_run(activity.wrap(app), *args, **kwargs)

    uvicorn.run = run  # the module calls uvicorn.run(app, ...): its app gets counted
    threading.Thread(
        target=watch, args=(activity, ns.parent, ns.idle_timeout, ns.record, ns.lock), daemon=True, name="watchdog"
    ).start()
    sys.argv = [ns.module, *rest]
    runpy.run_module(ns.module, run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
