"""Fault injection: a real openai client talks real HTTP to tests/fault_server.py on 127.0.0.1.

Every fault ends in bounded retries (with backoff, honouring Retry-After) and then one typed error whose message
says what happened and what to do. Timeouts and retry counts are set small through Backend so the file runs fast.
"""

# The fault_server fixture is imported by name, so test parameters "redefine" it.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import openai
import pytest

from summarizer import Article, LLMError, OutputValidationError, Summarizer, TruncatedOutputError
from summarizer.llm import Backend, InstructorLLM
from tests.fault_server import (  # noqa: F401  (fault_server is a fixture)
    TEST_KEY,
    FaultServer,
    Reply,
    completion,
    empty_choices,
    error,
    fault_server,
    html_page,
    malformed,
    rate_limited,
    reset,
    stall,
    truncated,
)


@pytest.fixture
def brief(seed_000_draft: dict[str, Any]) -> dict[str, Any]:
    """A valid answer for tasks=["brief"] on seed 000."""
    return {"title": seed_000_draft["title"], "bullets": seed_000_draft["bullets"]}


Make = Callable[..., Summarizer]


def close(sz: Summarizer) -> None:
    """Close the sync openai client, so no socket leaks (InstructorLLM has aclose() but no sync close() yet)."""
    client = getattr(sz.llm, "_sync", None)
    if client is not None:
        client.client.close()


async def arun(sz: Summarizer, article: Article) -> Any:
    """asummarize, closing the async client inside the same event loop."""
    try:
        return await sz.asummarize(article)
    finally:
        assert isinstance(sz.llm, InstructorLLM)
        await sz.llm.aclose()


@pytest.fixture
def make(fault_server: FaultServer) -> Iterator[Make]:
    """Build Summarizers over a real openai client with small, explicit timeout and retry budgets; close them after."""
    built: list[Summarizer] = []

    def build(
        *, timeout: float = 5.0, max_retries: int = 1, schema_retries: int = 1, plain: bool = False
    ) -> Summarizer:
        if plain:  # exactly what a user writes: default timeout (120 s) and retries (2)
            sz = Summarizer(base_url=fault_server.url, model="m", api_key=TEST_KEY, tasks=["brief"])
        else:
            backend = Backend("compatible", "m", fault_server.url, TEST_KEY, timeout=timeout, max_retries=max_retries)
            sz = Summarizer(llm=InstructorLLM(backend, schema_retries=schema_retries), tasks=["brief"])
        built.append(sz)
        return sz

    yield build
    for sz in built:
        close(sz)


def causes(err: BaseException) -> list[BaseException]:
    """The exception and everything in its __cause__/__context__ chain."""
    out: list[BaseException] = []
    cur: BaseException | None = err
    while cur is not None and cur not in out:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


# -- the happy path over real HTTP: what the client sends --------------------------------------------------------


def test_a_good_answer_round_trips_over_real_http(
    make: Make, fault_server: FaultServer, seed_000: Article, brief: dict[str, Any]
) -> None:
    fault_server.script(completion(brief))
    s = make(plain=True).summarize(seed_000)
    assert s.quick_look is not None and s.quick_look.title == brief["title"]
    assert (s.usage.prompt_tokens, s.usage.completion_tokens, s.usage.attempts) == (11, 7, 1)
    [req] = fault_server.requests
    assert (req.method, req.path) == ("POST", "/v1/chat/completions")
    assert req.headers["authorization"] == f"Bearer {TEST_KEY}"
    body = req.json()
    assert body["model"] == "m" and body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "<article>" in body["messages"][1]["content"]


# -- 429 / Retry-After ---------------------------------------------------------------------------------------------


def test_429_is_retried_after_retry_after_then_succeeds(
    make: Make, fault_server: FaultServer, seed_000: Article, brief: dict[str, Any]
) -> None:
    fault_server.script(rate_limited(retry_after=1), completion(brief))
    started = time.monotonic()
    s = make(plain=True).summarize(seed_000)
    assert s.quick_look is not None
    assert len(fault_server.requests) == 2
    [gap] = fault_server.gaps()
    assert gap >= 1.0, f"the client retried {gap:.3f}s after a 429 with Retry-After: 1"
    assert time.monotonic() - started >= 1.0
    first, second = fault_server.requests
    assert second.headers["x-stainless-retry-count"] == "1"
    # The retry is the same request (same idempotency key and body), not a new one.
    assert first.headers.get("idempotency-key") == second.headers.get("idempotency-key")
    assert first.body == second.body


def test_429_on_every_attempt_gives_a_typed_error_after_bounded_retries(
    make: Make, fault_server: FaultServer, seed_000: Article
) -> None:
    fault_server.script(*[rate_limited(retry_after=1)] * 3)
    sz = make(plain=True)  # default: 2 retries
    with pytest.raises(LLMError) as info:
        sz.summarize(seed_000)
    err = info.value
    assert type(err) is LLMError
    assert (err.status_code, err.attempts) == (429, 3)
    assert len(fault_server.requests) == 3 and fault_server.pending == 0
    assert all(gap >= 1.0 for gap in fault_server.gaps()), fault_server.gaps()
    message = str(err)
    for fragment in ("HTTP 429", "after 3 attempts", "Retry-After", "lower the concurrency", fault_server.url):
        assert fragment in message
    assert err.request_id == "req_fault_429"
    assert any(isinstance(c, openai.RateLimitError) for c in causes(err))


def test_a_retry_after_beyond_two_minutes_is_not_waited_for(
    make: Make, fault_server: FaultServer, seed_000: Article
) -> None:
    fault_server.script(rate_limited(retry_after=600))
    started = time.monotonic()
    with pytest.raises(LLMError) as info:
        make(max_retries=2).summarize(seed_000)
    assert time.monotonic() - started < 1.0
    assert len(fault_server.requests) == 1
    assert info.value.status_code == 429 and "wait 600 s" in str(info.value)


# -- 5xx: exponential backoff, then success or a typed error -----------------------------------------------------


def test_500_is_retried_with_growing_backoff_then_fails_typed(
    make: Make, fault_server: FaultServer, seed_000: Article
) -> None:
    fault_server.script(*[error(500)] * 3)
    with pytest.raises(LLMError) as info:
        make(max_retries=2).summarize(seed_000)
    assert len(fault_server.requests) == 3
    first, second = fault_server.gaps()
    # openai: 0.5 s * 2**n with up to 25 % jitter, so 0.375-0.5 s, then 0.75-1 s.
    assert first >= 0.37 and second >= 0.74, (first, second)
    err = info.value
    assert (err.status_code, err.attempts) == (500, 3)
    assert "HTTP 500" in str(err) and "retry later" in str(err)


def test_503_then_success_recovers(
    make: Make, fault_server: FaultServer, seed_000: Article, brief: dict[str, Any]
) -> None:
    fault_server.script(error(503), completion(brief))
    s = make().summarize(seed_000)
    assert s.quick_look is not None and len(fault_server.requests) == 2


def test_404_is_not_retried_and_points_at_the_model_name(
    make: Make, fault_server: FaultServer, seed_000: Article
) -> None:
    fault_server.script(error(404, "The model `m` does not exist"))
    with pytest.raises(LLMError) as info:
        make(max_retries=2).summarize(seed_000)
    assert len(fault_server.requests) == 1
    assert info.value.status_code == 404 and info.value.attempts == 1
    assert "does not exist" in str(info.value) and "Check the model name" in str(info.value)


def test_a_server_that_is_not_running_is_reported_as_such(seed_000: Article) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = Backend("compatible", "m", f"http://127.0.0.1:{port}/v1", TEST_KEY, timeout=2.0, max_retries=0)
    with pytest.raises(LLMError) as info:
        Summarizer(llm=InstructorLLM(backend), tasks=["brief"]).summarize(seed_000)
    assert type(info.value) is LLMError and info.value.status_code is None
    assert "Could not connect" in str(info.value) and "is running" in str(info.value)


# -- every fault: sync and async give the same typed error --------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """A scripted fault, the error it must end in, and how many requests that may take."""

    replies: tuple[Reply, ...]
    error: type[LLMError]
    says: tuple[str, ...]
    requests: int
    status: int | None = None
    timeout: float = 5.0


# max_retries=1 (openai's HTTP retries) and schema_retries=1 (instructor's re-asks) in every case.
FAULTS: dict[str, Fault] = {
    "http-500": Fault((error(500),) * 2, LLMError, ("HTTP 500", "after 2 attempts", "retry later"), 2, 500),
    "http-503": Fault((error(503),) * 2, LLMError, ("HTTP 503", "retry later"), 2, 503),
    "http-401": Fault((error(401, "Incorrect API key provided"),), LLMError, ("HTTP 401", "OPENAI_API_KEY"), 1, 401),
    "connection-reset": Fault((reset(),) * 2, LLMError, ("dropped before it answered", "after 2 attempts"), 2),
    "stalled-headers": Fault(
        (stall(30),) * 2, LLMError, ("did not answer within the 0.5 s timeout", "raise the timeout"), 2, timeout=0.5
    ),
    "stalled-mid-body": Fault((stall(30, mid_body=True),) * 2, LLMError, ("within the 0.5 s timeout",), 2, timeout=0.5),
    # The body fails to decode inside openai; instructor's Retrying (ValueError) asks once more.
    "malformed-json-body": Fault((malformed(),) * 2, LLMError, ("not valid JSON", "base_url"), 2),
    "html-instead-of-json": Fault(
        (html_page(),) * 2, LLMError, ("other than a chat completion", "Bad Gateway", "/v1"), 2
    ),
    "schema-broken": Fault(
        (completion({"title": 3}),) * 2,
        OutputValidationError,
        ("did not fit the schema after 2 attempt(s)", "title: Input should be a valid string", "bullets"),
        2,
    ),
    "not-json-content": Fault(
        (completion("Sure! Here is your brief."),) * 2, OutputValidationError, ("Invalid JSON",), 2
    ),
    # Re-asking with the same max_tokens would be cut again: one request, then the error.
    "truncated-length": Fault((truncated(),), TruncatedOutputError, ("output token limit", "Raise max_tokens"), 1),
    "empty-choices": Fault((empty_choices(),), LLMError, ("no choices", "Retry"), 1),
}


# The stalled body is the same read timeout as stalled headers: once (sync) is enough for it.
CASES = [(name, mode) for name in FAULTS for mode in ("sync", "async") if (name, mode) != ("stalled-mid-body", "async")]


@pytest.mark.parametrize(("name", "mode"), CASES)
def test_each_fault_ends_in_its_typed_error(
    make: Make, fault_server: FaultServer, seed_000: Article, name: str, mode: str
) -> None:
    fault = FAULTS[name]
    fault_server.script(*fault.replies)
    sz = make(timeout=fault.timeout)
    started = time.monotonic()
    with pytest.raises(LLMError) as info:
        if mode == "sync":
            sz.summarize(seed_000)
        else:
            asyncio.run(arun(sz, seed_000))
    elapsed = time.monotonic() - started
    err = info.value
    assert type(err) is fault.error, f"{name}: {type(err).__name__}: {err}"
    message = str(err)
    for fragment in fault.says:
        assert fragment in message, f"{name}: {fragment!r} not in {message!r}"
    assert "compatible backend, model 'm'" in message  # says where
    assert err.status_code == fault.status
    assert len(fault_server.requests) == fault.requests, f"{name}: {len(fault_server.requests)} requests"
    assert fault_server.pending == 0
    assert err.__cause__ is not None
    if fault.timeout < 1:
        # Two attempts of 0.5 s each plus one backoff: bounded, and well under the server's 30 s stall.
        assert 1.0 <= elapsed < 4.0, elapsed


def test_schema_break_is_reasked_with_the_errors_and_can_recover(
    make: Make, fault_server: FaultServer, seed_000: Article, brief: dict[str, Any]
) -> None:
    fault_server.script(completion({"title": 3}), completion(brief))
    s = make().summarize(seed_000)
    assert s.quick_look is not None
    first, second = (r.json()["messages"] for r in fault_server.requests)
    assert len(second) > len(first)
    reask = " ".join(str(m["content"]) for m in second[len(first) :])
    assert "title" in reask and "bullets" in reask  # the validation errors went back to the model
    # Usage counts both attempts.
    assert (s.usage.attempts, s.usage.prompt_tokens) == (2, 22)


def test_schema_break_keeps_the_last_output(make: Make, fault_server: FaultServer, seed_000: Article) -> None:
    fault_server.script(completion({"title": 3}), completion({"title": 4}))
    with pytest.raises(OutputValidationError) as info:
        make().summarize(seed_000)
    assert info.value.last_output == '{"title": 4}' and info.value.attempts == 2


def test_truncated_output_keeps_the_partial_answer(make: Make, fault_server: FaultServer, seed_000: Article) -> None:
    fault_server.script(truncated('{"title": "Rubio warns'))
    with pytest.raises(TruncatedOutputError) as info:
        make().summarize(seed_000)
    assert info.value.last_output == '{"title": "Rubio warns'
    body = fault_server.requests[0].json()
    assert body["max_tokens"] == 2000  # the budget the message tells the caller to raise


def test_an_error_from_one_call_does_not_poison_the_next(
    make: Make, fault_server: FaultServer, seed_000: Article, brief: dict[str, Any]
) -> None:
    sz = make(max_retries=0)
    fault_server.script(reset(), completion(brief))
    with pytest.raises(LLMError):
        sz.summarize(seed_000)
    assert sz.summarize(seed_000).quick_look is not None


def test_a_short_placeholder_key_does_not_mangle_messages(fault_server: FaultServer, seed_000: Article) -> None:
    """Compatible servers often take any key ("x"): masking it would turn every "x" in a message into "***"."""
    fault_server.script(error(400, "max_tokens exceeds the context window"))
    backend = Backend("compatible", "m", fault_server.url, "x", timeout=5.0, max_retries=0)
    llm = InstructorLLM(backend)
    try:
        with pytest.raises(LLMError) as info:
            Summarizer(llm=llm, tasks=["brief"]).summarize(seed_000)
    finally:
        llm._client().client.close()
    assert "max_tokens exceeds the context window" in str(info.value) and "***" not in str(info.value)


def test_the_cause_is_the_provider_error(make: Make, fault_server: FaultServer, seed_000: Article) -> None:
    """DESIGN.md: an LLMError's __cause__ is the openai error (instructor's wrapper stays reachable as __context__)."""
    fault_server.script(error(500), error(500))
    with pytest.raises(LLMError) as info:
        make().summarize(seed_000)
    assert isinstance(info.value.__cause__, openai.InternalServerError)


def test_a_failed_call_prints_nothing_but_the_error_it_raises(fault_server: FaultServer) -> None:
    """In an app without logging set up, a failure is one typed exception, not extra ERROR lines on stderr."""
    fault_server.script(error(500))
    script = (
        "from summarizer import LLMError, Summarizer\n"
        "from summarizer.llm import Backend, InstructorLLM\n"
        f"backend = Backend('compatible', 'm', {fault_server.url!r}, 'sk-test-subprocess-key', max_retries=0)\n"
        "try:\n"
        "    Summarizer(llm=InstructorLLM(backend), tasks=['brief']).summarize('The council met on Tuesday. ' * 5)\n"
        "except LLMError as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip() == "LLMError", done.stderr
    assert done.stderr == ""
