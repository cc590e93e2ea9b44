"""The API key never leaves the process except in the Authorization header of a request.

Not in a log line (any logger, DEBUG and up, during good and failing calls), not in an exception's message, repr
or chain, not in a Backend repr, not in a rendered or stored Summary, and not in any cassette — including one this
test records itself with the project's own vcrpy settings (tests/vcr_settings.py), so the scan has teeth even
while tests/cassettes/ is empty.
"""

# The fault_server fixture is imported by name, so test parameters "redefine" it.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import logging
import re
import socket
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vcr
import yaml  # type: ignore[import-untyped]

from summarizer import Article, LLMError, Summarizer, SummarizerError, render
from summarizer.llm import Backend, InstructorLLM, resolve_backend
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
from tests.vcr_settings import cassette_files, secrets_in, vcr_config_dict

CASSETTES = Path(__file__).parent / "cassettes"
ORG = "org-SECRETORG0123456789"
PROJECT = "proj_SECRETPROJ0123456789"
COOKIE = "__cf_bm=SECRETCOOKIE0123456789"
SECRETS = (TEST_KEY, ORG, PROJECT, "SECRETCOOKIE0123456789")


# -- helpers ---------------------------------------------------------------------------------------------------


class Capture(logging.Handler):
    """Every record, formatted with its traceback, from every logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []
        self.names: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.names.add(record.name)


@pytest.fixture
def all_logs() -> Iterator[Capture]:
    """Turn every logger (openai, httpx2, httpcore2, instructor, ours, the root) to DEBUG and capture it all."""
    capture = Capture()
    manager = logging.root.manager
    names = ["openai", "httpx", "httpx2", "httpcore", "httpcore2", "instructor", "summarizer", "vcr"]
    loggers = [logging.root] + [logging.getLogger(n) for n in names]
    loggers += [lg for lg in manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        if not lg.propagate:
            lg.addHandler(capture)
    logging.root.addHandler(capture)
    try:
        yield capture
    finally:
        for lg, level, disabled in saved:
            lg.setLevel(level)
            lg.disabled = disabled
            if capture in lg.handlers:
                lg.removeHandler(capture)


def chain(err: BaseException) -> list[BaseException]:
    """The exception and everything reachable through __cause__ and __context__."""
    out: list[BaseException] = []
    todo: list[BaseException] = [err]
    while todo:
        cur = todo.pop()
        if cur in out:
            continue
        out.append(cur)
        todo += [e for e in (cur.__cause__, cur.__context__) if e is not None]
    return out


def exception_texts(err: BaseException) -> list[str]:
    """What a user could print or log: str, repr and args of every exception in the chain, and the traceback."""
    texts = ["".join(traceback.format_exception(err))]
    for exc in chain(err):
        texts += [str(exc), repr(exc), *(repr(a) for a in exc.args)]
        # What a handler may read off openai's and instructor's errors: the body, message and raw completions.
        for name in ("body", "message", "last_completion", "failed_attempts"):
            if getattr(exc, name, None) is not None:
                texts.append(repr(getattr(exc, name)))
    return texts


def assert_clean(texts: list[str], what: str) -> None:
    for text in texts:
        for secret in (TEST_KEY, f"Bearer {TEST_KEY}", TEST_KEY[10:]):
            assert secret not in text, f"the API key leaked into {what}: {text[:400]!r}"


def make(server: FaultServer, *, timeout: float = 5.0, max_retries: int = 1) -> Summarizer:
    backend = Backend("compatible", "m", server.url, TEST_KEY, timeout=timeout, max_retries=max_retries)
    return Summarizer(llm=InstructorLLM(backend), tasks=["brief"])


def close(sz: Summarizer) -> None:
    client = getattr(sz.llm, "_sync", None)
    if client is not None:
        client.client.close()


@pytest.fixture
def brief(seed_000_draft: dict[str, Any]) -> dict[str, Any]:
    return {"title": seed_000_draft["title"], "bullets": seed_000_draft["bullets"]}


FAILURES: dict[str, tuple[Reply, ...]] = {
    "http-401": (error(401, "Incorrect API key provided"),),
    "http-429": (rate_limited(retry_after=600),),  # beyond openai's 2-minute cap: not retried, no wait
    "http-500": (error(500),) * 2,
    "reset": (reset(),) * 2,
    "stall": (stall(10),) * 2,
    "malformed": (malformed(),) * 2,
    "html": (html_page(),) * 2,
    "schema": (completion({"title": 3}),) * 2,
    "truncated": (truncated(),),
    "empty-choices": (empty_choices(),),
    # Servers and proxies that echo the key back. Shown by mutation: with llm._scrub_chain doing nothing, the html,
    # 5xx and 429 echoes reach the exception texts (5 tests fail); with llm._guard_logs registering no filter, the
    # header and body echoes reach the DEBUG logs of httpcore2 and instructor (2 tests fail).
    "html-echo": (html_page(text=f"Forbidden for key {TEST_KEY}"),) * 2,
    "html-5xx-echo": (html_page(502, text=f"Bad gateway: upstream refused {TEST_KEY}"),) * 2,
    "http-500-echo": (error(500, f"internal error while checking key {TEST_KEY}"),) * 2,
    "http-429-echo": (rate_limited(retry_after=600, message=f"Rate limit reached for key {TEST_KEY}"),),
    "header-echo": (error(403, "Forbidden", {"x-echo-authorization": f"Bearer {TEST_KEY}"}),),
}


# -- logs -------------------------------------------------------------------------------------------------------


def test_the_key_is_in_no_log_line_during_good_and_failing_calls(
    fault_server: FaultServer, all_logs: Capture, seed_000: Article, brief: dict[str, Any]
) -> None:
    fault_server.script(completion(brief))
    for replies in FAILURES.values():
        fault_server.script(*replies)
    sz = make(fault_server, timeout=0.3)
    try:
        assert sz.summarize(seed_000).quick_look is not None
        for name in FAILURES:
            with pytest.raises(LLMError):
                sz.summarize(seed_000)
            assert name  # one typed error per scripted failure
    finally:
        close(sz)
    assert fault_server.pending == 0
    # The key really was in play: every request carried it.
    assert all(r.headers["authorization"] == f"Bearer {TEST_KEY}" for r in fault_server.requests)
    # The capture really saw the HTTP stack at DEBUG, not just our own lines.
    assert {"openai._base_client", "httpcore2.http11", "instructor.v2.retry"} <= all_logs.names, all_logs.names
    assert any("Request options" in line for line in all_logs.lines)
    assert any("Bearer" not in line and "HTTP Response" in line for line in all_logs.lines)
    assert_clean(all_logs.lines, "a log line")
    # Only the echoed header shows a bearer token, masked; our own Authorization header is never logged.
    assert not any(re.search(r"Bearer (?!\*\*\*)", line) for line in all_logs.lines)
    assert any("Bearer ***" in line for line in all_logs.lines)  # the header echo reached the logs, masked


def test_the_key_is_in_no_log_line_on_the_async_path(
    fault_server: FaultServer, all_logs: Capture, seed_000: Article, brief: dict[str, Any]
) -> None:
    fault_server.script(completion(brief), error(500), error(500))
    sz = make(fault_server)

    async def both() -> None:
        try:
            await sz.asummarize(seed_000)
            with pytest.raises(LLMError):
                await sz.asummarize(seed_000)
        finally:
            assert isinstance(sz.llm, InstructorLLM)
            await sz.llm.aclose()

    asyncio.run(both())
    assert len(all_logs.lines) > 10
    assert_clean(all_logs.lines, "a log line (async)")


# -- exceptions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FAILURES))
def test_the_key_is_in_no_exception_message_repr_or_chain(
    fault_server: FaultServer, seed_000: Article, name: str
) -> None:
    fault_server.script(*FAILURES[name])
    sz = make(fault_server, timeout=0.3)
    try:
        with pytest.raises(LLMError) as info:
            sz.summarize(seed_000)
    finally:
        close(sz)
    assert len(chain(info.value)) >= 2  # the chain was really walked
    texts = exception_texts(info.value)
    assert_clean(texts, f"the {name} exception")
    if name.endswith("-echo") and name != "header-echo":
        # The echo is masked, not dropped: what the server said is still there to read.
        assert any("***" in text for text in texts), texts


@pytest.mark.parametrize("logger", ["instructor.v2.retry", "openai._base_client", "httpcore2.http11"])
def test_a_key_of_eight_characters_is_masked_in_logs_and_a_shorter_placeholder_is_not(
    all_logs: Capture, logger: str
) -> None:
    InstructorLLM(Backend("compatible", "m", "http://127.0.0.1:1/v1", "k8-chars"))
    InstructorLLM(Backend("compatible", "m", "http://127.0.0.1:1/v1", "local"))
    logging.getLogger(logger).debug("sent k8-chars to the local server %s", "k8-chars")
    [line] = [line for line in all_logs.lines if line.startswith(logger)]
    assert line == f"{logger} DEBUG sent *** to the local server ***"


def test_the_key_is_in_no_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = Backend("compatible", "m", f"http://127.0.0.1:{port}/v1", TEST_KEY, timeout=1.0, max_retries=0)
    with pytest.raises(LLMError) as info:
        Summarizer(llm=InstructorLLM(backend), tasks=["brief"]).summarize("The council met on Tuesday. " * 5)
    assert_clean(exception_texts(info.value), "a connection error")


def test_the_key_is_in_no_configuration_error() -> None:
    with pytest.raises(SummarizerError) as info:
        resolve_backend(base_url="http://127.0.0.1:1/v1", api_key=TEST_KEY, env={}, local_available=False)
    assert "SUMMARIZER_MODEL" in str(info.value)
    assert_clean(exception_texts(info.value), "a configuration error")


def test_a_key_echoed_by_the_server_is_masked_in_our_message(fault_server: FaultServer, seed_000: Article) -> None:
    fault_server.script(error(401, f"Incorrect API key provided: {TEST_KEY}. Find your key at example.com."))
    sz = make(fault_server)
    try:
        with pytest.raises(LLMError) as info:
            sz.summarize(seed_000)
    finally:
        close(sz)
    message = str(info.value)
    assert "Incorrect API key provided: ***" in message and TEST_KEY not in message
    assert TEST_KEY not in repr(info.value)


def test_a_key_echoed_by_the_server_is_masked_everywhere(
    fault_server: FaultServer, all_logs: Capture, seed_000: Article
) -> None:
    fault_server.script(error(401, f"Incorrect API key provided: {TEST_KEY}."))
    sz = make(fault_server)
    try:
        with pytest.raises(LLMError) as info:
            sz.summarize(seed_000)
    finally:
        close(sz)
    assert_clean(exception_texts(info.value) + all_logs.lines, "the chain or the logs")


# -- reprs and summaries ----------------------------------------------------------------------------------------


def test_the_key_is_in_no_backend_or_adapter_repr() -> None:
    backend = Backend("compatible", "m", "http://127.0.0.1:1/v1", TEST_KEY)
    llm = InstructorLLM(backend)
    sz = Summarizer(llm=llm)
    texts = [repr(backend), str(backend), backend.describe(), repr(llm), str(llm), repr(sz), repr(sz.backend)]
    assert_clean(texts, "a repr")
    assert backend.api_key == TEST_KEY  # it is there, just never shown


def test_the_key_is_in_no_rendered_or_stored_summary(
    fault_server: FaultServer, seed_000: Article, brief: dict[str, Any]
) -> None:
    fault_server.script(completion(brief))
    sz = make(fault_server)
    try:
        summary = sz.summarize(seed_000)
    finally:
        close(sz)
    texts = [render.render(summary, fmt) for fmt in ("markdown", "text", "json")]
    texts += [summary.model_dump_json(), repr(summary), str(summary.model_dump())]
    assert_clean(texts, "a summary")
    assert fault_server.url not in summary.model_dump_json()  # a base URL may embed credentials: not stored either


# -- cassettes --------------------------------------------------------------------------------------------------


def record(
    path: Path, server: FaultServer, article: Article, brief: dict[str, Any], config: dict[str, Any]
) -> list[dict[str, Any]]:
    """Record two real exchanges (the second carries the cookie the first set) and return the interactions."""
    headers = {"Set-Cookie": f"{COOKIE}; Path=/; HttpOnly", "openai-organization": ORG, "openai-project": PROJECT}
    server.script(completion(brief, headers=headers, gzipped=True), completion(brief, headers=headers))
    sz = make(server)
    try:
        with vcr.VCR(**config).use_cassette(str(path), record_mode="all"):
            sz.summarize(article)
            sz.summarize(article)
    finally:
        close(sz)
    data = yaml.safe_load(path.read_text())
    interactions: list[dict[str, Any]] = data["interactions"]
    return interactions


@pytest.fixture
def org_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The openai client reads these and sends them as OpenAI-Organization / OpenAI-Project headers."""
    monkeypatch.setenv("OPENAI_ORG_ID", ORG)
    monkeypatch.setenv("OPENAI_PROJECT_ID", PROJECT)


def test_a_cassette_recorded_with_the_project_config_holds_no_secret(
    tmp_path: Path, fault_server: FaultServer, seed_000: Article, brief: dict[str, Any], org_env: None
) -> None:
    path = tmp_path / "recorded.yaml"
    interactions = record(path, fault_server, seed_000, brief, vcr_config_dict())
    # What went over the wire did carry every secret ...
    first, second = fault_server.requests
    assert first.headers["authorization"] == f"Bearer {TEST_KEY}"
    assert first.headers["openai-organization"] == ORG and first.headers["openai-project"] == PROJECT
    assert COOKIE in second.headers.get("cookie", ""), "the client did not send back the cookie"
    # ... the cassette holds both exchanges, readable (the gzip body decoded) ...
    assert len(interactions) == 2
    for item in interactions:
        assert item["request"]["uri"].endswith("/v1/chat/completions")
        assert item["response"]["status"]["code"] == 200
        body = item["response"]["body"]["string"]
        assert isinstance(body, str) and brief["title"] in body
        assert "<article>" in item["request"]["body"]
    # ... and none of the secrets.
    text = path.read_text()
    assert secrets_in(text, SECRETS) == [], text[:2000]
    assert "content-encoding" not in text.lower()


def test_a_scrubbed_cassette_replays_without_the_network(
    tmp_path: Path, fault_server: FaultServer, seed_000: Article, brief: dict[str, Any]
) -> None:
    path = tmp_path / "replay.yaml"
    record(path, fault_server, seed_000, brief, vcr_config_dict())
    # Replay against a port nobody listens on: every answer must come from the cassette.
    backend = Backend("compatible", "m", "http://127.0.0.1:9/v1", TEST_KEY, timeout=2.0, max_retries=0)
    sz = Summarizer(llm=InstructorLLM(backend), tasks=["brief"])
    try:
        with vcr.VCR(**vcr_config_dict()).use_cassette(str(path), record_mode="none") as cassette:
            summary = sz.summarize(seed_000)
            assert cassette.play_count == 1
    finally:
        close(sz)
    assert summary.quick_look is not None and summary.quick_look.title == brief["title"]


def test_the_scan_catches_an_unscrubbed_cassette(
    tmp_path: Path, fault_server: FaultServer, seed_000: Article, brief: dict[str, Any], org_env: None
) -> None:
    """Without the project's filters vcrpy writes every secret: the scan must name each one."""
    path = tmp_path / "raw.yaml"
    record(path, fault_server, seed_000, brief, {"match_on": ["method", "path", "body"]})
    found = secrets_in(path.read_text(), SECRETS)
    for what in ("an OpenAI-style key (sk-...)", "a bearer token", "a Set-Cookie header", "a Cookie header"):
        assert what in found, found
    assert "an openai-organization header" in found and "an organisation id (org-...)" in found
    assert any(f.startswith(f"the literal {TEST_KEY[:6]}") for f in found)


def test_every_committed_cassette_holds_no_secret() -> None:
    files = cassette_files(CASSETTES)
    offenders = {str(p.relative_to(CASSETTES)): secrets_in(p.read_text(), (TEST_KEY,)) for p in files}
    assert {name: found for name, found in offenders.items() if found} == {}
    for path in files:  # an empty cassette would pass any scan
        text = path.read_text()
        assert "interactions" in text and "request" in text, f"{path.name} holds no recorded interaction"


# -- what the chain still says once masked (shown by the masking mutation run) -----------------------------------


def failure(server: FaultServer, article: Article, key: str, *replies: Reply) -> LLMError:
    """Summarize with ``key`` against the scripted replies (one retry) and return the LLMError raised."""
    server.script(*replies)
    backend = Backend("compatible", "m", server.url, key, timeout=5.0, max_retries=1)
    sz = Summarizer(llm=InstructorLLM(backend), tasks=["brief"])
    try:
        with pytest.raises(LLMError) as info:
            sz.summarize(article)
    finally:
        close(sz)
    return info.value


def fields(err: BaseException, name: str) -> list[str]:
    """The string values of attribute ``name`` (or of each failed attempt's completion) over the whole chain."""
    out: list[str] = []
    for exc in chain(err):
        if name == "completion":
            out += [a.completion for a in getattr(exc, "failed_attempts", None) or [] if isinstance(a.completion, str)]
        elif isinstance(getattr(exc, name, None), str):
            out.append(getattr(exc, name))
    return out


def test_a_proxy_page_echoing_the_key_stays_readable_in_each_attempt_and_the_last_completion(
    fault_server: FaultServer, seed_000: Article
) -> None:
    err = failure(fault_server, seed_000, TEST_KEY, *(html_page(text=f"Forbidden for key {TEST_KEY}"),) * 2)
    completions, last = fields(err, "completion"), fields(err, "last_completion")
    assert len(completions) == 2 and all("Forbidden for key ***" in c for c in completions), completions
    assert last and all("Forbidden for key ***" in c for c in last), last
    assert_clean(completions + last, "a failed attempt")


def test_a_5xx_page_echoing_the_key_stays_readable_in_the_body_and_message(
    fault_server: FaultServer, seed_000: Article
) -> None:
    err = failure(fault_server, seed_000, TEST_KEY, *(html_page(502, text=f"upstream refused {TEST_KEY}"),) * 2)
    bodies, messages = fields(err, "body"), fields(err, "message")
    assert any("upstream refused ***" in b for b in bodies), bodies
    assert any("upstream refused ***" in m for m in messages), messages
    assert_clean(bodies + messages, "an error body")


def test_a_key_of_eight_characters_echoed_by_a_page_is_masked_in_the_chain(
    fault_server: FaultServer, seed_000: Article
) -> None:
    err = failure(fault_server, seed_000, "k8-chars", *(html_page(502, text="upstream refused k8-chars"),) * 2)
    texts = exception_texts(err)
    assert not any("k8-chars" in t for t in texts), [t for t in texts if "k8-chars" in t][:2]
    assert any("upstream refused ***" in t for t in texts)


def test_a_short_placeholder_echoed_by_a_page_is_left_in_the_chain(
    fault_server: FaultServer, seed_000: Article
) -> None:
    """A 7-character "key" is a placeholder: the page's words stay as the server wrote them."""
    err = failure(fault_server, seed_000, "k7chars", *(html_page(502, text="upstream refused k7chars"),) * 2)
    bodies = fields(err, "body")
    assert any("upstream refused k7chars" in b for b in bodies), bodies
    assert not any("***" in t for t in exception_texts(err))
