"""What each HTTP status says to the user, over real HTTP to tests/fault_server.py: the hint, the provider's own
words (first line, cut at 200 characters), the attempt count, the request id and Retry-After only when sent, and
an echoed key masked from 8 characters up."""

# The fault_server fixture is imported by name, so test parameters "redefine" it.
# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from summarizer import Article, LLMError, Summarizer
from summarizer.llm import Backend, InstructorLLM
from tests.fault_server import TEST_KEY, FaultServer, error, fault_server  # noqa: F401  (fixture)

Fail = Callable[..., LLMError]


@pytest.fixture
def fail(fault_server: FaultServer, seed_000: Article) -> Iterator[Fail]:
    """Summarize once with no retries against the scripted replies; return the LLMError raised."""
    opened: list[InstructorLLM] = []

    def run(*replies: object, key: str = TEST_KEY) -> LLMError:
        fault_server.script(*replies)  # type: ignore[arg-type]
        llm = InstructorLLM(Backend("compatible", "m", fault_server.url, key, timeout=5.0, max_retries=0))
        opened.append(llm)
        with pytest.raises(LLMError) as info:
            Summarizer(llm=llm, tasks=["brief"]).summarize(seed_000)
        return info.value

    yield run
    for llm in opened:
        llm._client().client.close()


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (400, "The server refused the request: check the model name, max_tokens and the context size."),
        (401, "Check OPENAI_API_KEY (or api_key=)."),
        (403, "The key lacks access to this model."),
        (404, "Check the model name (SUMMARIZER_MODEL / --model) and the base URL (it usually ends in /v1)."),
        (413, "The request is too large for the server: lower max_article_chars."),
        (501, "The provider failed on every attempt; retry later."),
    ],
)
def test_each_status_ends_in_its_hint(fail: Fail, status: int, hint: str) -> None:
    err = fail(error(status, "scripted refusal"))
    message = str(err)
    assert message.endswith(hint), message
    assert message.startswith(f"The provider answered HTTP {status}: scripted refusal after 1 attempt (")
    assert (err.status_code, err.attempts, err.request_id) == (status, 1, f"req_fault_{status}")
    assert f"request id req_fault_{status})" in message


def test_a_status_with_no_hint_ends_at_the_provider_words(fail: Fail) -> None:
    err = fail(error(418, "I'm a teapot"))
    message = str(err)
    assert message.startswith("The provider answered HTTP 418: I'm a teapot after 1 attempt (")
    assert message.endswith("request id req_fault_418).")
    assert "retry later" not in message and "Retry-After" not in message


def test_a_4xx_just_under_500_is_not_called_a_provider_failure(fail: Fail) -> None:
    assert "retry later" not in str(fail(error(499, "client closed request")))


def test_the_provider_words_are_cut_to_their_first_line_and_200_characters(fail: Fail) -> None:
    words = "w" * 199 + "XY" + " tail"
    message = str(fail(error(400, f"{words}\nsecond line")))
    assert ": " + "w" * 199 + "X after 1 attempt" in message
    assert "XY" not in message and "second line" not in message


def test_no_request_id_and_no_retry_after_when_the_server_sent_none(fail: Fail) -> None:
    reply = error(400, "bad")
    reply = type(reply)(reply.kind, reply.status, reply.body, (("Content-Type", "application/json"),))
    err = fail(reply)
    assert err.request_id is None
    assert "request id" not in str(err) and "asked to wait" not in str(err)


def test_retry_after_is_quoted_as_the_server_sent_it(fail: Fail) -> None:
    err = fail(error(400, "slow down", {"Retry-After": "7"}))
    assert " The server asked to wait 7 s (Retry-After). " in str(err)


@pytest.mark.parametrize("key", ["sk-8char", "sk-longer-key-0123456789"])
def test_an_echoed_key_of_8_characters_or_more_is_masked(fail: Fail, key: str) -> None:
    message = str(fail(error(401, f"Incorrect API key provided: {key}"), key=key))
    assert key not in message
    assert "Incorrect API key provided: ***" in message


def test_an_echoed_7_character_placeholder_is_left_as_it_is(fail: Fail) -> None:
    message = str(fail(error(401, "Incorrect API key provided: sk-7chr"), key="sk-7chr"))
    assert "Incorrect API key provided: sk-7chr" in message and "***" not in message
