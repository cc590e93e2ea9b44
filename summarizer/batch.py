"""Many articles at once: bounded concurrency, streamed input, results as they finish, a resumable store.

Each input ends as exactly one :class:`BatchResult` (a summary, an error record, or "skipped" when a token budget
ran out first). Inputs are pulled from the iterable only as fast as results leave, so memory stays flat however
long the batch is.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Sequence,
)
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from summarizer import clean
from summarizer.api import ArticleLike, Policy, Summarizer, as_article
from summarizer.errors import ConfigError, InputError
from summarizer.llm import make_llm, resolve_backend
from summarizer.schemas import ALL_TASKS, Article, Summary, Task, Usage
from summarizer.store import DEFAULT_LEASE_S, Store, make_key, new_owner

T = TypeVar("T")
R = TypeVar("R")

#: Most requests a backend gets at once, whatever --concurrency says: the embedded llama.cpp server has one
#: slot, so more parallel requests only queue there and run into the client timeout.
BACKEND_MAX_CONCURRENCY: dict[str, int] = {"local": 1, "compatible": 256, "openai": 256}
#: openai's client retries 429/5xx/timeouts this often in a batch (honouring Retry-After); a one-off call uses 2.
DEFAULT_BATCH_RETRIES = 5
#: How often a claim held by another live process is polled (seconds, doubling up to the maximum).
_BUSY_POLL_S = (0.2, 2.0)
#: Article file types a folder input is read for.
FOLDER_SUFFIXES = (".txt", ".html", ".htm")


class ErrorInfo(BaseModel):
    """Why an item failed: the exception's type and message (and the HTTP status for provider errors)."""

    type: str
    message: str
    status_code: int | None = None

    @classmethod
    def of(cls, exc: BaseException) -> ErrorInfo:
        """Describe an exception."""
        status = getattr(exc, "status_code", None)
        return cls(type=type(exc).__name__, message=str(exc), status_code=status if isinstance(status, int) else None)


class BatchResult(BaseModel):
    """The outcome of one input: a summary, or an error record; ``cached`` when the store already held it.

    ``status`` is "ok" for a summary whose check passed and "flagged" for one whose check found an unsupported
    item (a summary given as "ok" whose validation is not ok is recorded as "flagged").
    """

    id: str
    index: int
    status: Literal["ok", "flagged", "error", "skipped"]
    summary: Summary | None = None
    error: ErrorInfo | None = None
    usage: Usage = Field(default_factory=Usage)
    cached: bool = False

    @model_validator(mode="after")
    def _flag(self) -> BatchResult:
        # Set here, where every result is built (a fresh run, the store, a Batch-API file): never an "ok" on a
        # summary whose own check failed.
        validation = self.summary.validation if self.summary is not None else None
        if self.status == "ok" and validation is not None and not validation.ok:
            self.status = "flagged"
        return self

    @property
    def ok(self) -> bool:
        """True when a summary was produced (now or earlier), whether its check passed ("ok") or not ("flagged")."""
        return self.status in ("ok", "flagged")

    def to_line(self) -> str:
        """One JSONL line: id, index, status, cached, usage, and the summary or the error."""
        data: dict[str, Any] = {
            "id": self.id,
            "index": self.index,
            "status": self.status,
            "cached": self.cached,
            "usage": self.usage.model_dump(),
        }
        if self.summary is not None:
            data["summary"] = self.summary.model_dump(mode="json")
        if self.error is not None:
            data["error"] = self.error.model_dump(exclude_none=True)
        return json.dumps(data, ensure_ascii=False)


@dataclass(frozen=True)
class BatchInput:
    """One input with its id: an article, or the reason it could not be read (it then becomes an error result)."""

    id: str
    article: Article | None = None
    error: ErrorInfo | None = None


# -- input readers -----------------------------------------------------------------------------------------


_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false"}


def _not_an_article(exc: ValidationError, data: dict[str, Any]) -> str:
    """Every problem of an Article object, in words (never "and 1 more": the hidden one may be the useful one)."""
    errors = exc.errors()
    missing_text = any(e["type"] == "missing" and tuple(e["loc"]) == ("text",) for e in errors)
    words = []
    for e in errors:
        name = ".".join(str(p) for p in e["loc"])
        if e["type"] == "missing":
            has = ", ".join(map(str, data)) or "no fields at all"
            words.append(f"no {name!r} field (has: {has})")
        elif e["type"] == "extra_forbidden":
            if not missing_text:  # with "no 'text' field (has: ...)" the unknown names are already said
                words.append(f"unknown field {name!r} (an Article has: {', '.join(Article.model_fields)})")
        elif e["type"] == "value_error" and "error" in e.get("ctx", {}):
            words.append(str(e["ctx"]["error"]))  # a check of our own (Article's published_at) says it in words
        else:
            words.append(f"{name!r} {e['msg'][:1].lower()}{e['msg'][1:]}, got {e['input']!r}")
    return "; ".join(words)


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[BatchInput]:
    """Stream Article objects from a JSONL file; a bad line becomes an input that carries its error in words.

    An input without an id gets its 1-based position as id (blank lines are not inputs), so an error record's id
    and index agree as they do for every other id-less input; its message names the line.
    """
    position = 0
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue  # blank lines (a trailing newline) are not inputs
            position += 1
            fallback = str(position)
            try:
                data = json.loads(line.rstrip("\r\n"))  # the line break ends the line; it is not inside a string
            except json.JSONDecodeError as exc:
                what = exc.msg[:1].lower() + exc.msg[1:]  # "Unterminated string starting at", "Expecting value"
                where = f"column {exc.colno}" if what.endswith(" at") else f"at column {exc.colno}"
                msg = f"line {lineno}: not valid JSON ({what} {where})"
                yield BatchInput(fallback, error=ErrorInfo(type="InputError", message=msg))
                continue
            if not isinstance(data, dict):
                kind = _JSON_TYPES.get(type(data), "null")
                msg = f"line {lineno}: not an article: expected a JSON object with a 'text' field, got {kind}"
                yield BatchInput(fallback, error=ErrorInfo(type="InputError", message=msg))
                continue
            raw_id = data.get("id")
            item_id = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id) else fallback
            try:
                article = Article.model_validate(data)
            except ValidationError as exc:
                msg = f"line {lineno}: {_not_an_article(exc, data)}"
                yield BatchInput(item_id, error=ErrorInfo(type="InputError", message=msg))
                continue
            yield BatchInput(item_id, article)


def read_folder(path: str | os.PathLike[str]) -> Iterator[BatchInput]:
    """Stream the .txt/.html files of a folder (sorted by name; the file name is the id)."""
    files = sorted(p for p in Path(path).iterdir() if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES)
    for file in files:
        try:
            text = clean.decode(file.read_bytes())
        except (InputError, OSError) as exc:
            yield BatchInput(file.name, error=ErrorInfo.of(exc))
            continue
        yield BatchInput(file.name, Article(text=text, id=file.name))


def read_inputs(path: str | os.PathLike[str]) -> Iterator[BatchInput]:
    """A folder of article files, or a JSONL file of Articles."""
    return read_folder(path) if Path(path).is_dir() else read_jsonl(path)


def count_inputs(path: str | os.PathLike[str]) -> int:
    """How many inputs ``read_inputs`` will yield, without parsing them (for a progress bar's total)."""
    p = Path(path)
    if p.is_dir():
        return sum(1 for f in p.iterdir() if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES)
    with open(p, "rb") as fh:
        return sum(1 for line in fh if line.strip())


# -- configuration ------------------------------------------------------------------------------------------


def make_summarizer(
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    max_retries: int = DEFAULT_BATCH_RETRIES,
    tasks: Sequence[Task] = ALL_TASKS,
    policy: Policy = "report",
) -> Summarizer:
    """A Summarizer for batch work: the usual backend resolution, with openai's retry count set for batches."""
    backend = resolve_backend(model, base_url, api_key)
    if backend.kind != "local":  # the embedded server is never rate limited; its retries stay off
        backend = dataclasses.replace(backend, max_retries=max_retries)
    return Summarizer(llm=make_llm(backend), tasks=tasks, policy=policy)


def store_key(summarizer: Summarizer, article: Article) -> str:
    """The result-store key of ``article`` under ``summarizer``'s configuration."""
    backend = summarizer.backend
    text = clean.clean(article.text).text
    content_hash = hashlib.sha256(text.encode()).hexdigest()
    extra = {
        # Metadata reaches the prompt (title, source, date) or the resolution of relative dates.
        "title": article.title,
        "source": article.source,
        "published_at": article.published_at,
        "language": article.language,
        "max_tokens": summarizer.max_tokens,
        "max_article_chars": getattr(summarizer, "_max_article_chars", None),
        "max_reasks": summarizer.max_reasks if summarizer.policy == "reask" else None,
    }
    return make_key(
        content_hash,
        model=backend.model,
        backend=backend.kind,
        prompt_version=summarizer.prompts.version,
        tasks=summarizer.tasks,
        policy=summarizer.policy,
        extra=extra,
    )


def effective_concurrency(summarizer: Summarizer, concurrency: int) -> int:
    """The requested concurrency capped by the backend's own limit (the embedded server takes one at a time)."""
    if concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, got {concurrency}.")
    return max(1, min(concurrency, BACKEND_MAX_CONCURRENCY.get(summarizer.backend.kind, concurrency)))


# -- a bounded, streaming map -------------------------------------------------------------------------------


async def _aiter(items: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def bounded_map(
    items: Iterable[T] | AsyncIterable[T],
    fn: Callable[[int, T], Awaitable[R]],
    *,
    window: int,
    ordered: bool = False,
) -> AsyncIterator[tuple[int, R]]:
    """Run ``fn(index, item)`` over a stream with at most ``window`` items started but not yet yielded.

    ``fn`` must not raise (wrap failures into its result). Results come as they finish, or in input order when
    ``ordered`` (then a slow head item holds the window: memory stays bounded, throughput may dip).
    """
    source = _aiter(items).__aiter__()
    finished: asyncio.Queue[tuple[int, R]] = asyncio.Queue()
    running: set[asyncio.Task[None]] = set()
    held: dict[int, R] = {}
    started = yielded = 0
    next_out = 0
    exhausted = False

    async def run(index: int, item: T) -> None:
        await finished.put((index, await fn(index, item)))

    try:
        while True:
            while not exhausted and started - yielded < window:
                try:
                    item = await source.__anext__()
                except StopAsyncIteration:
                    exhausted = True
                    break
                task = asyncio.ensure_future(run(started, item))
                running.add(task)
                task.add_done_callback(running.discard)
                started += 1
            if yielded == started and exhausted:
                return
            index, result = await finished.get()
            if not ordered:
                yielded += 1
                yield index, result
                continue
            held[index] = result
            while next_out in held:
                out = held.pop(next_out)
                yielded += 1
                yield next_out, out
                next_out += 1
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)


# -- the batch ----------------------------------------------------------------------------------------------


@dataclass
class _Budget:
    limit: int | None
    spent: int = 0

    @property
    def exhausted(self) -> bool:
        return self.limit is not None and self.spent >= self.limit


class _NotStarted(Exception):
    """The token budget was spent before this item's first model call."""


@dataclass
class _Run:
    """What one batch run shares between its items."""

    summarizer: Summarizer
    store: Store | None
    owner: str
    lease_s: float
    semaphore: asyncio.Semaphore
    budget: _Budget
    #: Keys being worked on in this run: a repeated article waits for the first copy instead of paying twice.
    inflight: dict[str, asyncio.Future[BatchResult]] = field(default_factory=dict)

    def skipped(self, index: int, item_id: str) -> BatchResult:
        msg = (
            f"The run's token budget ({self.budget.limit:,}) was spent before this item started; "
            "re-run with the same store to continue."
        )
        return BatchResult(
            id=item_id, index=index, status="skipped", error=ErrorInfo(type="BudgetExhausted", message=msg)
        )

    async def one(self, index: int, item: BatchInput) -> BatchResult:
        """The outcome of one input; never raises for the item's own failures."""
        if item.error is not None or item.article is None:
            error = item.error or ErrorInfo(type="InputError", message="no article")
            return BatchResult(id=item.id, index=index, status="error", error=error)
        if self.store is None:
            return await self._call(index, item.id, item.article, None)
        article = item.article
        try:
            key = store_key(self.summarizer, article)
        except Exception as exc:  # e.g. an article that cleans to nothing
            return BatchResult(id=item.id, index=index, status="error", error=ErrorInfo.of(exc))
        first = self.inflight.get(key)
        if first is not None:
            # The same article is already in flight in this run: wait for it rather than pay twice.
            earlier = await asyncio.shield(first)
            if not earlier.ok:
                return earlier.model_copy(update={"id": item.id, "index": index, "usage": Usage()})
        cached = await self._wait_for_claim(key, article, item.id, index)
        if cached is not None:
            return cached
        future: asyncio.Future[BatchResult] = asyncio.get_running_loop().create_future()
        self.inflight[key] = future
        try:
            result = await self._call(index, item.id, article, key)
            future.set_result(result)
            return result
        finally:
            del self.inflight[key]
            if not future.done():  # cancelled: waiting copies take their own turn
                future.cancel()

    async def _call(self, index: int, item_id: str, article: Article, key: str | None) -> BatchResult:
        """Summarise, each model call under the concurrency limit, and commit the outcome to the store at once."""
        started = False

        @asynccontextmanager
        async def slot() -> AsyncIterator[None]:
            nonlocal started
            async with self.semaphore:
                # Checked after the wait for a place: items queued when the budget ran out never start (a started
                # item finishes its re-asks).
                if not started and self.budget.exhausted:
                    raise _NotStarted
                started = True
                yield

        def spend(usage: Usage) -> None:
            self.budget.spent += usage.total_tokens

        try:
            summary = await self.summarizer.asummarize(article, slot=slot, on_usage=spend)
        except _NotStarted:
            if self.store is not None and key is not None:
                self.store.release(key, self.owner)
            return self.skipped(index, item_id)
        except Exception as exc:  # one bad item must not end the batch: it becomes an error record
            error = ErrorInfo.of(exc)
            if self.store is not None and key is not None:
                self.store.put_error(
                    key, error_type=error.type, message=error.message, item_id=item_id, owner=self.owner
                )
            return BatchResult(id=item_id, index=index, status="error", error=error)
        if self.store is not None and key is not None:
            self.store.put_result(key, summary, item_id=item_id, owner=self.owner)
        return BatchResult(id=item_id, index=index, status="ok", summary=summary, usage=summary.usage)

    async def _wait_for_claim(self, key: str, article: Article, item_id: str, index: int) -> BatchResult | None:
        """Serve a stored result, or take the claim on ``key`` (waiting while another process works on it)."""
        assert self.store is not None
        delay = _BUSY_POLL_S[0]
        while True:
            stored = self.store.result(key)  # a plain read first: a finished batch re-runs without write locks
            if stored is not None:
                summary = stored.summary()
                # The same text may come under another id or url: the stored summary carries this input's.
                summary.article.id, summary.article.url = article.id, article.url
                return BatchResult(
                    id=item_id, index=index, status="ok", summary=summary, usage=stored.usage, cached=True
                )
            if self.budget.exhausted:
                return self.skipped(index, item_id)
            state = self.store.claim(key, self.owner, lease_s=self.lease_s)
            if state == "claimed":
                return None
            if state == "busy":
                await asyncio.sleep(delay)
                delay = min(delay * 2, _BUSY_POLL_S[1])

    async def heartbeat(self) -> None:
        """Renew this run's claims well before they expire (slow local calls can take minutes)."""
        assert self.store is not None
        while True:
            await asyncio.sleep(self.lease_s / 3)
            self.store.renew(self.owner, lease_s=self.lease_s)


def _as_input(item: ArticleLike | BatchInput, index: int) -> BatchInput:
    if isinstance(item, BatchInput):
        return item
    try:
        article = as_article(item)
    except InputError as exc:
        return BatchInput(str(index + 1), error=ErrorInfo.of(exc))
    return BatchInput(article.id or str(index + 1), article)


async def asummarize_many(
    articles: Iterable[ArticleLike | BatchInput] | AsyncIterable[ArticleLike | BatchInput],
    *,
    summarizer: Summarizer | None = None,
    concurrency: int = 8,
    ordered: bool = False,
    store: Store | str | os.PathLike[str] | None = None,
    max_tokens_budget: int | None = None,
    lease_s: float = DEFAULT_LEASE_S,
) -> AsyncGenerator[BatchResult, None]:
    """Summarise a stream of articles concurrently; yield one BatchResult per input as each finishes.

    ``concurrency`` caps the model calls in flight; preparing and checking articles happen around them. While the
    run lasts, the objects that existed when it started are exempt from full garbage collections (_freeze_heap).
    ``store`` (a Store or a path) makes the run resumable: stored results are served without a call and each new
    one is committed as it completes. ``max_tokens_budget`` stops starting new calls once the run has spent that
    many tokens; the remaining inputs come back as "skipped" and stay resumable.
    """
    summarizer = summarizer or make_summarizer()
    width = effective_concurrency(summarizer, concurrency)  # resolves the backend: ConfigError before any work
    own_store = store is not None and not isinstance(store, Store)
    db = Store(store) if store is not None and not isinstance(store, Store) else store
    assert db is None or isinstance(db, Store)
    run = _Run(summarizer, db, new_owner(), lease_s, asyncio.Semaphore(width), _Budget(max_tokens_budget))
    beat = asyncio.ensure_future(run.heartbeat()) if db is not None else None

    async def one(index: int, item: ArticleLike | BatchInput) -> BatchResult:
        return await run.one(index, _as_input(item, index))

    # Twice the concurrency: the next items are read and checked against the store while calls are in flight.
    window = max(2 * width, width + 4)
    thawed = _freeze_heap()
    try:
        async for _, result in bounded_map(articles, one, window=window, ordered=ordered):
            yield result
    finally:
        _thaw_heap(thawed)
        if beat is not None:
            beat.cancel()
        if db is not None:
            db.release_all(run.owner)  # claims of cancelled items go back at once, not after the lease
            if own_store:
                db.close()


# Batch runs under way that froze the heap (see _freeze_heap).
_frozen_runs = 0


def _freeze_heap() -> bool:
    """Exempt the objects that exist when a batch starts from the cyclic garbage collector until it ends.

    After the imports (openai's types, instructor, pydantic schemas) the process holds ~190,000 tracked objects,
    and every full collection walks them all: ~130 ms on 2 cores during which no answer is read and no call goes
    out, about once per 500 articles. They live as long as the process, so the run freezes them (``gc.freeze``);
    objects made during the run are collected as usual. The heap is thawed when the last run ends, so cyclic
    garbage that existed before is collected then. A process that froze its heap itself is left alone.
    Returns whether this run holds a share of the freeze (to hand to :func:`_thaw_heap`).
    """
    global _frozen_runs
    if _frozen_runs == 0 and gc.get_freeze_count():
        return False
    if _frozen_runs == 0:
        gc.freeze()
    _frozen_runs += 1
    return True


def _thaw_heap(frozen: bool) -> None:
    """End this run's share of :func:`_freeze_heap`; the last run to end unfreezes."""
    global _frozen_runs
    if not frozen:
        return
    _frozen_runs -= 1
    if _frozen_runs == 0:
        gc.unfreeze()


async def _release_http(summarizer: Summarizer) -> None:
    """Close the LLM's async HTTP client so no socket outlives the event loop that owns it.

    The sync API runs each batch on its own event loop; the openai client's pooled connections belong to that loop.
    """
    llm = getattr(summarizer, "_llm", None)  # only an LLM that was actually built
    close = getattr(llm, "aclose", None)
    if callable(close):
        await close()


def _on_sigint(loop: asyncio.AbstractEventLoop, handler: Callable[[], None]) -> Callable[[], None]:
    """Route SIGINT to ``handler`` on ``loop`` while a batch runs; return the undo.

    Only when SIGINT still has Python's default handler and this is the main thread: a program's own handler stays.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return lambda: None
    loop.add_signal_handler(signal.SIGINT, handler)

    def undo() -> None:
        loop.remove_signal_handler(signal.SIGINT)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    return undo


def summarize_many(
    articles: Iterable[ArticleLike | BatchInput],
    *,
    summarizer: Summarizer | None = None,
    concurrency: int = 8,
    ordered: bool = False,
    store: Store | str | os.PathLike[str] | None = None,
    max_tokens_budget: int | None = None,
    lease_s: float = DEFAULT_LEASE_S,
) -> Generator[BatchResult, None, None]:
    """Sync twin of :func:`asummarize_many` (call it outside a running event loop)."""
    summarizer = summarizer or make_summarizer()
    loop = asyncio.new_event_loop()
    agen = asummarize_many(
        articles,
        summarizer=summarizer,
        concurrency=concurrency,
        ordered=ordered,
        store=store,
        max_tokens_budget=max_tokens_budget,
        lease_s=lease_s,
    )

    async def step() -> BatchResult:
        return await agen.__anext__()

    current: asyncio.Task[BatchResult] | None = None
    interrupted = False

    def on_sigint() -> None:
        # Ctrl-C raised inside whichever task runs (a half-sent request) leaves the loop stopped with the batch's
        # tasks pending, so nothing could release the claims; a cancelled step unwinds the batch in order instead.
        nonlocal interrupted
        interrupted = True
        if current is not None:
            current.cancel()

    restore = _on_sigint(loop, on_sigint)
    try:
        while True:
            if interrupted:
                raise KeyboardInterrupt
            current = loop.create_task(step())
            try:
                result = loop.run_until_complete(current)
            except StopAsyncIteration:
                return
            except asyncio.CancelledError:
                if interrupted:
                    raise KeyboardInterrupt from None
                raise
            except BaseException:
                # Ctrl-C or SIGTERM (see cli.Terminated) while the loop waited: cancel the step, so the calls in
                # flight are cancelled and the run's own clean-up (claims released, store closed) runs now.
                if not current.done():
                    current.cancel()
                    with contextlib.suppress(BaseException):
                        loop.run_until_complete(current)
                raise
            yield result
    finally:
        restore()
        try:
            if current is not None and not current.done():
                current.cancel()  # the consumer left mid-step: unwind the generator before closing it
                loop.run_until_complete(asyncio.gather(current, return_exceptions=True))
            loop.run_until_complete(agen.aclose())
            loop.run_until_complete(_release_http(summarizer))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


# -- usage, cost and the tally ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float
    output: float


def load_prices(path: str | os.PathLike[str]) -> dict[str, Price]:
    """Read a price table: JSON ``{model: {"input": $/1M, "output": $/1M}}``."""
    try:
        data = json.loads(Path(path).read_text())
        return {str(m): Price(float(p["input"]), float(p["output"])) for m, p in data.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f'Cannot read the price table {path}: {exc}. Expected {{"model": {{"input": 0.15, "output": 0.6}}}} '
            "in US dollars per million tokens."
        ) from exc


def cost(usage: Usage, price: Price) -> float:
    """The estimated cost of ``usage`` in US dollars."""
    return (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000


@dataclass
class Tally:
    """Running counts for a batch: ok, flagged, failed, skipped, cached, tokens spent this run, elapsed time."""

    ok: int = 0
    flagged: int = 0
    failed: int = 0
    skipped: int = 0
    cached: int = 0
    spent: Usage = field(default_factory=Usage)
    started: float = field(default_factory=time.perf_counter)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def done(self) -> int:
        """Inputs with an outcome so far."""
        return self.ok + self.flagged + self.failed + self.skipped

    def add(self, result: BatchResult) -> None:
        """Count one result (cached results cost nothing this run)."""
        if result.status == "ok":
            self.ok += 1
        elif result.status == "flagged":
            self.flagged += 1
        elif result.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1
            kind = result.error.type if result.error else "Error"
            self.errors[kind] = self.errors.get(kind, 0) + 1
        if result.cached:
            self.cached += 1
        else:
            self.spent = self.spent.add(result.usage)

    def line(self, price: Price | None = None, budget: int | None = None) -> str:
        """The one-line summary printed at the end of a run."""
        elapsed = time.perf_counter() - self.started
        parts = [
            f"{self.done:,} inputs ({self.cached:,} from the store): {self.ok:,} ok, {self.flagged:,} flagged,"
            f" {self.failed:,} failed"
        ]
        if self.errors:
            parts[-1] += " (" + ", ".join(f"{n} {k}" for k, n in sorted(self.errors.items())) + ")"
        if self.skipped:
            parts.append(f"{self.skipped:,} not started: token budget {budget or 0:,} spent, re-run to resume")
        parts.append(f"tokens {self.spent.prompt_tokens:,} in / {self.spent.completion_tokens:,} out")
        if price is not None:
            parts.append(f"est. cost ${cost(self.spent, price):,.4f}")
        rate = self.done / elapsed if elapsed > 0 else 0.0
        parts.append(f"{elapsed:,.1f} s ({rate:,.1f}/s)")
        return "; ".join(parts)
