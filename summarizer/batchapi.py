"""OpenAI Batch-API files: write request lines, run them against any compatible endpoint, collect the results.

The request body is captured from the normal path itself: the real openai client with instructor, over an
in-memory transport that records the JSON it would send. The body therefore cannot drift from what
``Summarizer.summarize`` sends (prompt, JSON-schema instructions, response_format, temperature, seed, max_tokens).
Collecting replays each result body through the same client and parser, then builds the Summary with
``api.to_summary`` and the validation layer (``checks.apply``).

Like llm.py this module talks to openai and instructor; it imports them lazily, only when a Batch file is made
or read.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer import checks
from summarizer.api import Summarizer, to_summary
from summarizer.batch import BatchInput, BatchResult, ErrorInfo, bounded_map, store_key
from summarizer.drafts import draft_model
from summarizer.errors import ConfigError, LLMError
from summarizer.llm import Backend, InstructorLLM
from summarizer.store import Store

CHAT_URL = "/v1/chat/completions"
#: The base URL request bodies are captured from: never contacted, the in-memory transport answers first.
CAPTURE_URL = "http://batch.invalid/v1"

#: What ``batch prepare --target`` writes for: OpenAI's Batch API (strict json_schema), vLLM's run_batch
#: (json_schema, the full schema for its guided decoding) or llama.cpp's server (json_object with a schema, as the
#: local backend sends it).
TARGETS = ("openai", "vllm", "llamacpp")
#: OpenAI's documented limits for one Batch input file; prepare splits its output past either.
MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200 * 1024 * 1024
#: JSON Schema keywords outside the subset OpenAI's strict Structured Outputs documents (the strictest common
#: subset: no length, range or count constraints, no defaults). An array's item count moves into its description.
UNSUPPORTED_KEYWORDS = frozenset(
    {
        "default",
        "examples",
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minContains",
        "maxContains",
        "minProperties",
        "maxProperties",
        "patternProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)


def strict_schema(model: type[Any]) -> dict[str, Any]:
    """``model``'s JSON Schema as OpenAI's strict mode takes it: every object closed, every property required."""
    import openai

    # openai's own conversion closes every object and makes every property required (optional ones nullable).
    schema: dict[str, Any] = _strip(openai.pydantic_function_tool(model)["function"]["parameters"])
    return schema


def _strip(node: Any) -> Any:
    if isinstance(node, list):
        return [_strip(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strip(v) for k, v in node.items() if k not in UNSUPPORTED_KEYWORDS}
    low, high = node.get("minItems"), node.get("maxItems")
    if low is not None or high is not None:
        count = (
            f"{low} to {high}"
            if low is not None and high is not None
            else f"at least {low}"
            if high is None
            else f"at most {high}"
        )
        out["description"] = " ".join(filter(None, [node.get("description"), f"{count} items."]))
    return out


def batch_backend(target: str, model: str | None) -> Backend:
    """The backend a Batch file is written for; the model must be named (it is written into every request)."""
    if target not in TARGETS:
        raise ConfigError(f"Unknown --target {target!r}; choose from {', '.join(TARGETS)}.")
    if not model:
        example = "gpt-4o-mini" if target == "openai" else "the name your server serves"
        raise ConfigError(
            f"batch prepare writes the model into every request: give it with --model (e.g. {example}); "
            "nothing is assumed."
        )
    kind = {"openai": "openai", "vllm": "compatible", "llamacpp": "local"}[target]
    return Backend(kind, model, None if target == "openai" else CAPTURE_URL)  # type: ignore[arg-type]


class _Captured(Exception):
    """Raised by the capturing transport once it holds the request body (ends the call before any network)."""


class _Quiet(logging.Filter):
    """Drops instructor's log records about the capture's own deliberate connection error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


class _WireLLM(InstructorLLM):
    """InstructorLLM whose HTTP goes to ``handler`` in memory instead of the network (same mode, same kwargs)."""

    def __init__(self, backend: Backend, handler: Callable[[Any], Any], *, schema_retries: int) -> None:
        super().__init__(backend, schema_retries=schema_retries)
        self._handler = handler

    def _base_url(self) -> str | None:
        return CAPTURE_URL  # never start the embedded server just to build a request

    def _client(self) -> Any:
        if self._sync is None:
            import httpx2
            import instructor
            import openai

            client = openai.OpenAI(
                api_key="unused",
                base_url=CAPTURE_URL,
                max_retries=0,
                http_client=httpx2.Client(transport=httpx2.MockTransport(self._handler)),
            )
            self._sync = instructor.from_openai(client, mode=self.mode)
        return self._sync


def _twin(summarizer: Summarizer, llm: InstructorLLM) -> Summarizer:
    """A Summarizer with the same configuration talking to ``llm``."""
    return Summarizer(llm=llm, **summarizer.settings())


class RequestBuilder:
    """Builds the exact chat-completions body the normal path would send for an article."""

    def __init__(self, summarizer: Summarizer) -> None:
        self._bodies: list[dict[str, Any]] = []
        self.backend = summarizer.backend
        self._summarizer = _twin(summarizer, _WireLLM(self.backend, self._capture, schema_retries=0))

    def _capture(self, request: Any) -> Any:
        self._bodies.append(json.loads(request.content))
        raise _Captured

    def body(self, item: BatchInput) -> tuple[dict[str, Any], str]:
        """The request body for ``item`` and the hash of its cleaned text; raises the article's own errors."""
        if item.article is None:
            raise ConfigError("no article")
        self._bodies.clear()
        prep = self._summarizer.prepare(item.article)
        quiet = _Quiet()
        logger = logging.getLogger("instructor.v2.retry")
        logger.addFilter(quiet)  # instructor logs our deliberate stop as an API error: keep stderr clean
        try:
            self._summarizer.summarize(item.article)
        except LLMError:
            if not self._bodies:
                raise
        finally:
            logger.removeFilter(quiet)
        return self._bodies[0], prep.info.content_hash


class SchemaRequestBuilder:
    """Request bodies with ``response_format`` of type ``json_schema``: our prompt as it is, without instructor's
    JSON-mode schema text (the schema travels in response_format); strict for OpenAI, full for vLLM."""

    def __init__(self, summarizer: Summarizer, *, strict: bool) -> None:
        self.backend = summarizer.backend
        self.strict = strict
        self._summarizer = summarizer

    def body(self, item: BatchInput) -> tuple[dict[str, Any], str]:
        """The request body for ``item`` and the hash of its cleaned text; raises the article's own errors."""
        if item.article is None:
            raise ConfigError("no article")
        prep = self._summarizer.prepare(item.article)
        model = draft_model(prep.tasks)
        schema = strict_schema(model) if self.strict else model.model_json_schema()
        body: dict[str, Any] = {
            "model": self.backend.model,
            "messages": prep.messages,
            "temperature": 0.0,
            "seed": 0,
            # OpenAI's name for the output cap (max_tokens is deprecated there); vLLM reads max_tokens.
            ("max_completion_tokens" if self.strict else "max_tokens"): self._summarizer.max_tokens,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "draft", "strict": True, "schema": schema},
            },
        }
        return body, prep.info.content_hash


def make_builder(summarizer: Summarizer, target: str) -> RequestBuilder | SchemaRequestBuilder:
    """The request builder for a --target."""
    if target == "llamacpp":
        return RequestBuilder(summarizer)  # exactly what the local backend sends, grammar included
    return SchemaRequestBuilder(summarizer, strict=target == "openai")


def custom_id(position: int, content_hash: str) -> str:
    """The Batch custom_id: the 1-based input position and the start of the cleaned text's hash."""
    return f"{position}-{content_hash[:16]}"


@dataclass
class PrepareReport:
    """What ``prepare`` wrote (and in which files) and what it could not."""

    written: int = 0
    failed: list[BatchResult] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def part_path(path: str | os.PathLike[str], part: int) -> Path:
    """The name of part ``part`` (1-based) of a split file: requests.jsonl, requests.2.jsonl, requests.3.jsonl…"""
    p = Path(path)
    return p if part == 1 else p.with_name(f"{p.stem}.{part}{p.suffix}")


def parts(path: str | os.PathLike[str]) -> list[Path]:
    """A file and the further parts ``prepare`` split off it, in order."""
    found = [Path(path)]
    while part_path(path, len(found) + 1).exists():
        found.append(part_path(path, len(found) + 1))
    return found


class _SplitWriter:
    """JSONL lines into PATH, then PATH's further parts, each under the request and byte limits; every part is
    written as .partial and moved into place only when all went well."""

    def __init__(self, path: str | os.PathLike[str], max_requests: int, max_bytes: int) -> None:
        self.path, self.max_requests, self.max_bytes = path, max_requests, max_bytes
        self.files: list[Path] = []
        self._fh: Any = None
        self._count = self._bytes = 0

    def _partial(self, n: int) -> Path:
        return Path(f"{part_path(self.path, n)}.partial")

    def write(self, line: str) -> None:
        data = (line + "\n").encode()
        if len(data) > self.max_bytes:
            raise ConfigError(f"one request is {len(data):,} bytes, over the {self.max_bytes:,}-byte file limit")
        if self._fh is None or self._count >= self.max_requests or self._bytes + len(data) > self.max_bytes:
            if self._fh is not None:
                self._fh.close()
            self.files.append(part_path(self.path, len(self.files) + 1))
            self._fh = open(self._partial(len(self.files)), "wb")  # noqa: SIM115 - closed in close()/abort()
            self._count = self._bytes = 0
        self._fh.write(data)
        self._count += 1
        self._bytes += len(data)

    def close(self) -> None:
        if self._fh is None:  # nothing written: still an (empty) file at PATH
            self.files.append(Path(self.path))
            self._fh = open(self._partial(1), "wb")  # noqa: SIM115
        self._fh.close()
        for n, final in enumerate(self.files, start=1):
            os.replace(self._partial(n), final)
        n = len(self.files) + 1
        while part_path(self.path, n).exists():  # parts of an earlier, longer run would be read by collect
            part_path(self.path, n).unlink()
            n += 1

    def abort(self) -> None:
        if self._fh is not None:
            self._fh.close()


def prepare(
    inputs: Iterable[BatchInput],
    builder: RequestBuilder | SchemaRequestBuilder | Summarizer,
    out: str | os.PathLike[str],
    *,
    max_requests: int = MAX_REQUESTS_PER_FILE,
    max_bytes: int = MAX_BYTES_PER_FILE,
) -> PrepareReport:
    """Write one Batch request line per input into ``out`` (split into parts past OpenAI's per-file limits);
    inputs that cannot be prepared are reported, not written. A Summarizer stands for its backend's own request."""
    if isinstance(builder, Summarizer):
        builder = RequestBuilder(builder)
    report = PrepareReport()
    writer = _SplitWriter(out, max_requests, max_bytes)
    try:
        for index, item in enumerate(inputs):
            if item.error is not None:
                report.failed.append(BatchResult(id=item.id, index=index, status="error", error=item.error))
                continue
            try:
                body, content_hash = builder.body(item)
            except Exception as exc:  # a bad article must not stop the file
                report.failed.append(BatchResult(id=item.id, index=index, status="error", error=ErrorInfo.of(exc)))
                continue
            line = {"custom_id": custom_id(index + 1, content_hash), "method": "POST", "url": CHAT_URL, "body": body}
            writer.write(json.dumps(line, ensure_ascii=False))
            report.written += 1
    except BaseException:
        writer.abort()
        raise
    writer.close()
    report.files = writer.files
    return report


# -- collect ------------------------------------------------------------------------------------------------


def _index(paths: Sequence[str | os.PathLike[str]]) -> dict[str, tuple[int, int]]:
    """custom_id -> (file, byte offset) of its result line (results come in any order, in one file or several;
    only offsets are held in memory)."""
    offsets: dict[str, tuple[int, int]] = {}
    for n, path in enumerate(paths):
        with open(path, "rb") as fh:
            while True:
                offset = fh.tell()
                line = fh.readline()
                if not line:
                    break
                if not line.strip():
                    continue
                try:
                    cid = json.loads(line).get("custom_id")
                except (ValueError, AttributeError):
                    continue
                if isinstance(cid, str):
                    offsets[cid] = (n, offset)
    return offsets


def _requested(path: str | os.PathLike[str]) -> set[str]:
    """The custom_ids of a request file and of the parts prepare split off it."""
    ids: set[str] = set()
    for part in parts(path):
        with open(part, encoding="utf-8") as fh:
            ids.update(json.loads(line)["custom_id"] for line in fh if line.strip())
    return ids


class _Replayer:
    """Parses a stored chat.completion body through the normal client and parser (schema check included)."""

    def __init__(self, summarizer: Summarizer) -> None:
        self.body: dict[str, Any] = {}
        # JSON mode whatever the backend: every target's answer is the draft as message content.
        backend = dataclasses.replace(summarizer.backend, kind="compatible")
        self.llm = _WireLLM(backend, self._answer, schema_retries=0)

    def _answer(self, request: Any) -> Any:
        import httpx2

        return httpx2.Response(200, json=self.body)


def _failure(line: dict[str, Any]) -> ErrorInfo | None:
    response = line.get("response") or {}
    status = response.get("status_code")
    if line.get("error") is None and status == 200 and isinstance(response.get("body"), dict):
        return None
    error = line.get("error")
    if isinstance(error, dict):
        inner = error.get("error", error)
        message = str(inner.get("message") or inner) if isinstance(inner, dict) else str(inner)
    else:
        message = str(error) if error else "no response body"
    return ErrorInfo(
        type="BatchRequestError",
        message=f"the batch request failed (HTTP {status}): {message}",
        status_code=status if isinstance(status, int) else None,
    )


def collect(
    requests_path: str | os.PathLike[str],
    results_path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    inputs: Iterable[BatchInput],
    summarizer: Summarizer,
    *,
    store: Store | None = None,
) -> Iterator[BatchResult]:
    """Turn a Batch result file back into BatchResults (one per source input, in input order), storing each.

    Inputs with no result, a failed request or an answer that breaks the schema come back as errors; with a
    store they are recorded as errors, so a normal ``summarizer batch`` run over the same store redoes only those.
    """
    paths = [results_path] if isinstance(results_path, str | os.PathLike) else list(results_path)
    offsets = _index(paths)
    requested = _requested(requests_path)
    replay = _Replayer(summarizer)
    backend = summarizer.backend
    with contextlib.ExitStack() as stack:
        results = [stack.enter_context(open(p, "rb")) for p in paths]
        for index, item in enumerate(inputs):
            result = _collect_one(index, item, offsets, requested, results, replay, summarizer, backend)
            if store is not None and item.article is not None:
                key = store_key(summarizer, item.article)
                if result.summary is not None:
                    store.put_result(key, result.summary, item_id=item.id)
                elif result.error is not None:
                    store.put_error(key, error_type=result.error.type, message=result.error.message, item_id=item.id)
            yield result


def _collect_one(
    index: int,
    item: BatchInput,
    offsets: dict[str, tuple[int, int]],
    requested: set[str],
    results: list[Any],
    replay: _Replayer,
    summarizer: Summarizer,
    backend: Backend,
) -> BatchResult:
    def error(info: ErrorInfo) -> BatchResult:
        return BatchResult(id=item.id, index=index, status="error", error=info)

    if item.error is not None or item.article is None:
        return error(item.error or ErrorInfo(type="InputError", message="no article"))
    try:
        prep = summarizer.prepare(item.article)
    except Exception as exc:
        return error(ErrorInfo.of(exc))
    cid = custom_id(index + 1, prep.info.content_hash)
    if cid not in requested:
        msg = f"no request {cid} in the request file: the source changed since `batch prepare`, or it failed there"
        return error(ErrorInfo(type="NotRequested", message=msg))
    if cid not in offsets:
        return error(ErrorInfo(type="MissingResult", message=f"no result for {cid} in the batch output"))
    n, offset = offsets[cid]
    results[n].seek(offset)
    line = json.loads(results[n].readline())
    failure = _failure(line)
    if failure is not None:
        return error(failure)
    replay.body = line["response"]["body"]
    model = draft_model(prep.tasks)
    try:
        completion = replay.llm.create(model, prep.messages, max_tokens=summarizer.max_tokens)
    except LLMError as exc:
        return error(ErrorInfo.of(exc))
    summary = to_summary(prep, completion.value, backend, summarizer.prompts.version, answered_by=completion.model)
    summary.usage = completion.usage
    summary = checks.apply(summary, summarizer.policy, prep.sentences)
    if summarizer.policy == "reask" and summary.validation is not None and not summary.validation.ok:
        summary.warnings.append("A Batch-API result cannot be re-asked: run it through `summarizer batch` to re-ask.")
    summary = checks.finish(summary, 0)
    return BatchResult(id=item.id, index=index, status="ok", summary=summary, usage=summary.usage)


# -- run ----------------------------------------------------------------------------------------------------


def _read_requests(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield {"custom_id": f"line-{lineno}", "_error": f"line {lineno}: {exc}"}
                continue
            yield data if isinstance(data, dict) else {"custom_id": f"line-{lineno}", "_error": "not an object"}


@dataclass
class RunReport:
    """Counts of a ``run_requests`` call."""

    ok: int = 0
    failed: int = 0


async def arun_requests(
    requests_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    base_url: str,
    api_key: str | None = None,
    concurrency: int = 8,
    max_retries: int = 5,
    timeout: float = 600.0,
    on_result: Callable[[bool], None] | None = None,
) -> RunReport:
    """Execute a Batch request file against an OpenAI-compatible endpoint; write vLLM run_batch-style results."""
    import httpx2
    import openai

    client = openai.AsyncOpenAI(
        api_key=api_key or "not-needed", base_url=base_url, max_retries=max_retries, timeout=timeout
    )
    prefix = "/v1"
    report = RunReport()

    async def one(_: int, request: dict[str, Any]) -> dict[str, Any]:
        cid = str(request.get("custom_id", ""))
        out: dict[str, Any] = {"id": f"batch_req_{uuid.uuid4().hex}", "custom_id": cid, "response": None}
        url = str(request.get("url", ""))
        if "_error" in request or request.get("method", "POST") != "POST" or not url.startswith(prefix):
            out["error"] = {"code": "invalid_request", "message": request.get("_error") or f"unsupported url {url}"}
            return out
        try:
            # The base URL already ends in /v1; retries (429 with Retry-After, 5xx) are openai's.
            response = await client.post(url[len(prefix) :], cast_to=httpx2.Response, body=request.get("body"))
            out["response"] = {
                "status_code": response.status_code,
                "request_id": response.headers.get("x-request-id") or f"req_{uuid.uuid4().hex}",
                "body": response.json(),
            }
            out["error"] = None
        except openai.APIStatusError as exc:
            out["response"] = {"status_code": exc.status_code, "request_id": exc.request_id or "", "body": None}
            out["error"] = exc.body if exc.body is not None else {"message": str(exc)}
        except (openai.APIError, ValueError) as exc:
            out["error"] = {"code": type(exc).__name__, "message": str(exc)}
        return out

    tmp = Path(f"{out_path}.partial")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            window = max(2 * concurrency, concurrency + 4)
            semaphore = asyncio.Semaphore(concurrency)

            async def limited(index: int, request: dict[str, Any]) -> dict[str, Any]:
                async with semaphore:
                    return await one(index, request)

            async for _, line in bounded_map(_read_requests(requests_path), limited, window=window, ordered=True):
                good = line.get("error") is None
                report.ok += good
                report.failed += not good
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
                if on_result is not None:
                    on_result(good)
        os.replace(tmp, out_path)
    finally:
        await client.close()
    return report
