"""The whole message of each LLMError, word for word, from the exception openai or instructor raises, built by hand:
the branch it takes, the attempt count, the provider's words and their cut, the key masked, and what it carries.

tests/test_faults.py and tests/test_translation.py reach the same translation over real HTTP; here each case sets
exactly the exception chain, so every part of the message is pinned (no network, no server)."""

from __future__ import annotations

import json

import httpx2
import openai
import pytest
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.errors import FailedAttempt
from openai.types.chat import ChatCompletion, ChatCompletionMessage
from openai.types.chat.chat_completion import Choice
from pydantic import BaseModel, ValidationError

from summarizer import LLMError, OutputValidationError, TruncatedOutputError
from summarizer.llm import Backend, InstructorLLM
from summarizer.schemas import Usage

URL = "http://127.0.0.1:9/v1"
KEY = "sk-unit-0123456789"
WHERE = f"compatible backend, model 'm' at {URL}"


def translate(exc: BaseException, usages: int = 0, key: str | None = KEY, timeout: float = 7.5) -> LLMError:
    """The LLMError our adapter raises for ``exc`` (no key scrubbing first: the message masks on its own)."""
    llm = InstructorLLM(Backend("compatible", "m", URL, key, timeout=timeout))
    return llm._translate(exc, [Usage(prompt_tokens=1, completion_tokens=1, attempts=1)] * usages)


def request(retries: str | None = "2") -> httpx2.Request:
    """A chat request as openai sends it, with its retry-count header (None: no header)."""
    headers = {"x-stainless-retry-count": retries} if retries is not None else {}
    return httpx2.Request("POST", f"{URL}/chat/completions", headers=headers)


def status_error(
    status: int, body: object = None, headers: dict[str, str] | None = None, retries: str | None = "0"
) -> openai.APIStatusError:
    """The error openai raises for an HTTP status, with the body it decoded and the response headers."""
    response = httpx2.Response(status, headers=headers or {}, request=request(retries))
    return openai.APIStatusError(f"Error code: {status}", response=response, body=body)


def completion(content: str | None = "{}", choices: int = 1) -> ChatCompletion:
    """A chat completion with ``choices`` copies of one assistant message."""
    message = ChatCompletionMessage(role="assistant", content=content)
    return ChatCompletion(
        id="c1",
        created=0,
        model="m",
        object="chat.completion",
        choices=[Choice(index=i, finish_reason="stop", message=message) for i in range(choices)],
    )


def retry_error(cause: BaseException, n_attempts: int, **kwargs: object) -> InstructorRetryException:
    """instructor's wrapper after its re-asks, with the last attempt's error as __cause__."""
    wrapper = InstructorRetryException("retries exhausted", n_attempts=n_attempts, total_usage=0, **kwargs)
    wrapper.__cause__ = cause
    return wrapper


def chained(top: BaseException, *below: BaseException) -> BaseException:
    """``top`` with each of ``below`` the __cause__ of the one before."""
    cur = top
    for exc in below:
        cur.__cause__ = exc
        cur = exc
    return top


class Brief(BaseModel):
    """A small response model for schema errors."""

    title: str
    count: int
    tags: list[str]
    score: float


def validation_error(data: object) -> ValidationError:
    """The ValidationError pydantic raises for ``data`` against Brief."""
    try:
        Brief.model_validate(data)
    except ValidationError as exc:
        return exc
    raise AssertionError("valid")


# -- HTTP statuses ------------------------------------------------------------------------------------------------

HINTS = {
    400: "The server refused the request: check the model name, max_tokens and the context size.",
    401: "Check OPENAI_API_KEY (or api_key=).",
    403: "The key lacks access to this model.",
    404: "Check the model name (SUMMARIZER_MODEL / --model) and the base URL (it usually ends in /v1).",
    413: "The request is too large for the server: lower max_article_chars.",
    429: "Rate limited on every attempt: lower the concurrency, or retry later.",
    500: "The provider failed on every attempt; retry later.",
    503: "The provider failed on every attempt; retry later.",
}


@pytest.mark.parametrize(("status", "hint"), HINTS.items())
def test_each_status_says_the_provider_words_the_attempts_and_its_hint(status: int, hint: str) -> None:
    err = translate(status_error(status, {"message": "nope"}, {"x-request-id": "req_7"}, retries="2"))
    assert str(err) == f"The provider answered HTTP {status}: nope after 3 attempts ({WHERE}, request id req_7). {hint}"
    assert (type(err), err.status_code, err.attempts, err.request_id) == (LLMError, status, 3, "req_7")


@pytest.mark.parametrize("status", [402, 414, 430, 499])
def test_a_status_under_500_without_a_hint_ends_at_the_parenthesis(status: int) -> None:
    err = translate(status_error(status, {"message": "nope"}))
    assert str(err) == f"The provider answered HTTP {status}: nope after 1 attempt ({WHERE})."


def test_a_body_that_is_not_a_dict_gives_no_provider_words() -> None:
    err = translate(status_error(502, "<html>Bad Gateway</html>"))
    assert str(err) == f"The provider answered HTTP 502 after 1 attempt ({WHERE}). {HINTS[500]}"


def test_a_body_without_a_message_gives_no_provider_words() -> None:
    err = translate(status_error(400, {"error": "bad", "code": 1}))
    assert str(err) == f"The provider answered HTTP 400 after 1 attempt ({WHERE}). {HINTS[400]}"


def test_the_provider_words_are_their_first_line_cut_at_200_characters() -> None:
    said = "  " + "a" * 199 + "bc\nsecond line"
    err = translate(status_error(418, {"message": said}))
    assert str(err) == f"The provider answered HTTP 418: {'a' * 199}b after 1 attempt ({WHERE})."


def test_retry_after_is_quoted_before_the_hint() -> None:
    err = translate(status_error(429, {"message": "slow"}, {"retry-after": "12"}))
    assert str(err) == (
        f"The provider answered HTTP 429: slow after 1 attempt ({WHERE}). "
        f"The server asked to wait 12 s (Retry-After). {HINTS[429]}"
    )


def test_without_a_retry_count_header_the_message_says_its_retries() -> None:
    err = translate(status_error(500, {"message": "down"}, retries=None))
    assert str(err) == f"The provider answered HTTP 500: down after its retries ({WHERE}). {HINTS[500]}"
    assert err.attempts is None


def test_a_retry_count_that_is_not_a_number_leaves_the_attempts_counted_by_usage() -> None:
    err = translate(status_error(500, {"message": "down"}, retries="many"), usages=2)
    assert err.attempts == 2 and "after 2 attempts (" in str(err)


def test_the_retry_count_header_wins_over_the_usage_count() -> None:
    assert translate(status_error(500, {"message": "down"}, retries="4"), usages=2).attempts == 5


def test_an_http_error_under_instructors_wrapper_is_reported_as_the_http_error() -> None:
    err = translate(retry_error(status_error(503, {"message": "busy"}, retries="1"), n_attempts=1))
    assert str(err) == f"The provider answered HTTP 503: busy after 2 attempts ({WHERE}). {HINTS[503]}"
    assert err.status_code == 503


# -- the key --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["sk-8char", KEY])
def test_an_echoed_key_of_8_characters_or_more_is_masked_in_the_message(key: str) -> None:
    err = translate(status_error(401, {"message": f"Incorrect API key provided: {key}."}), key=key)
    said = "Incorrect API key provided: ***."
    assert str(err) == f"The provider answered HTTP 401: {said} after 1 attempt ({WHERE}). {HINTS[401]}"


@pytest.mark.parametrize("key", ["sk-7chr", "x", None])
def test_a_placeholder_key_is_no_secret_and_is_left_in_the_message(key: str | None) -> None:
    said = "max_tokens exceeds the context of sk-7chr"
    err = translate(status_error(400, {"message": said}), key=key)
    assert str(err).startswith(f"The provider answered HTTP 400: {said} after 1 attempt (")


def test_an_echoed_key_is_masked_in_the_connection_detail() -> None:
    err = translate(chained(openai.APIConnectionError(request=request("0")), OSError(f"proxy refused {KEY}")))
    assert KEY not in str(err) and "OSError: proxy refused ***. A proxy" in str(err)


# -- timeouts and connections --------------------------------------------------------------------------------------


def test_a_timeout_says_the_timeout_and_the_attempts() -> None:
    err = translate(openai.APITimeoutError(request=request("1")), timeout=7.5)
    assert str(err) == (
        f"The model server did not answer within the 7.5 s timeout, after 2 attempts ({WHERE}). It may be "
        "overloaded or the model slow: retry later, or raise the timeout (Backend(timeout=...))."
    )
    assert (type(err), err.status_code, err.attempts) == (LLMError, None, 2)


def test_a_refused_connection_says_so_with_the_deepest_error() -> None:
    exc = chained(
        openai.APIConnectionError(request=request("0")),
        httpx2.ConnectError("All connection attempts failed"),
        ConnectionRefusedError(111, "Connection refused"),
    )
    err = translate(exc)
    assert str(err) == (
        f"Could not connect to the model server after 1 attempt ({WHERE}): [Errno 111] Connection refused. "
        "Check that it is running and that base_url / OPENAI_BASE_URL is right."
    )
    assert err.attempts == 1


def test_a_connect_error_without_a_refusal_below_is_a_failed_connection() -> None:
    exc = chained(
        openai.APIConnectionError(request=request("0")),
        httpx2.ConnectError("[Errno -2] Name or service not known"),
    )
    assert str(translate(exc)).startswith(
        f"Could not connect to the model server after 1 attempt ({WHERE}): [Errno -2] Name or service not known. "
    )


def test_a_refusal_alone_under_the_connection_error_is_a_failed_connection() -> None:
    exc = chained(openai.APIConnectionError(request=request("0")), ConnectionRefusedError(111, "Connection refused"))
    assert str(translate(exc)).startswith("Could not connect to the model server after 1 attempt (")


def test_a_dropped_connection_names_the_deepest_error_and_its_words() -> None:
    exc = chained(
        openai.APIConnectionError(request=request("1")),
        httpx2.RemoteProtocolError("Server disconnected without sending a response."),
        OSError("peer closed the socket"),
    )
    err = translate(exc)
    assert str(err) == (
        f"The connection to the model server was dropped before it answered, after 2 attempts ({WHERE}): "
        "OSError: peer closed the socket. A proxy or the server closed it; retry later, and check the server's "
        "logs if it keeps happening."
    )
    assert err.attempts == 2


def test_a_deepest_error_without_words_is_named_by_its_type() -> None:
    exc = chained(
        openai.APIConnectionError(request=request("0")),
        httpx2.ReadError("connection reset"),
        ConnectionResetError(),
    )
    assert "after 1 attempt (" + WHERE + "): ConnectionResetError: ConnectionResetError. A proxy" in str(translate(exc))


def test_a_deepest_error_of_blank_words_is_named_by_its_type() -> None:
    exc = chained(openai.APIConnectionError(request=request("0")), OSError("  \n  "))
    assert f"({WHERE}): OSError: OSError. A proxy" in str(translate(exc))


def test_the_connection_detail_is_its_first_line_cut_at_300_characters() -> None:
    exc = chained(openai.APIConnectionError(request=request("0")), OSError("e" * 299 + "fg\nmore"))
    assert f"OSError: {'e' * 299}f. A proxy" in str(translate(exc))


# -- a cut answer -----------------------------------------------------------------------------------------------------


def test_an_answer_cut_at_the_token_limit_keeps_the_partial_text() -> None:
    cut = IncompleteOutputException(last_completion=completion('{"title": "Rubio'))
    err = translate(retry_error(cut, n_attempts=1), usages=1)
    assert type(err) is TruncatedOutputError
    assert str(err) == (
        f"The model hit its output token limit before finishing the answer ({WHERE}). "
        "Raise max_tokens or ask for fewer tasks."
    )
    assert (err.last_output, err.attempts) == ('{"title": "Rubio', 1)


def test_a_cut_answer_counts_the_attempts_by_usage_without_instructors_count() -> None:
    err = translate(IncompleteOutputException(last_completion=completion("{")), usages=2)
    assert isinstance(err, TruncatedOutputError) and err.attempts == 2


def test_a_cut_answer_with_no_usage_has_no_attempt_count() -> None:
    err = translate(IncompleteOutputException(last_completion=None))
    assert isinstance(err, TruncatedOutputError) and (err.attempts, err.last_output) == (None, None)


# -- answers that are no chat completion ---------------------------------------------------------------------------


def test_a_body_that_is_not_json_says_so_with_the_decoder_words() -> None:
    exc = json.JSONDecodeError("Expecting value", "<html>", 0)
    err = translate(retry_error(exc, n_attempts=2))
    assert str(err) == (
        f"The model server answered with a body that is not valid JSON, after 2 attempt(s) ({WHERE}): "
        "Expecting value: line 1 column 1 (char 0). A proxy may have cut the answer, or base_url is not an "
        "OpenAI-compatible API; retry, and check base_url if it keeps happening."
    )
    assert (type(err), err.attempts) == (LLMError, 2)


def test_a_body_that_is_not_json_on_the_first_attempt_says_one_attempt() -> None:
    err = translate(json.JSONDecodeError("Expecting value", "", 0))
    assert "not valid JSON, after 1 attempt(s) (" in str(err) and err.attempts is None


def test_invalid_json_in_a_completion_that_was_received_is_a_schema_failure() -> None:
    err = translate(json.JSONDecodeError("Expecting value", "Sure!", 0), usages=1)
    assert type(err) is OutputValidationError
    assert str(err).startswith(f"The model's answer did not fit the schema after 1 attempt(s) ({WHERE}): Expecting")


def test_a_web_page_instead_of_a_completion_is_quoted_cut_at_120_characters() -> None:
    page = "<html>" + "p" * 113 + "qr</html>\n<body>"
    failed = [FailedAttempt(1, ValueError("x"), "first"), FailedAttempt(2, ValueError("x"), page)]
    err = translate(retry_error(ValueError("no choices"), n_attempts=2, failed_attempts=failed))
    shown = "<html>" + "p" * 113 + "q"
    assert str(err) == (
        f"The model server answered with something other than a chat completion ({WHERE}): {shown!r}. Check "
        "that base_url points at an OpenAI-compatible API (ending in /v1), not a web page or proxy."
    )
    assert (type(err), err.attempts) == (LLMError, 2)


def test_the_page_quoted_is_the_last_failed_attempts() -> None:
    failed = [FailedAttempt(i, ValueError("x"), f"page {i}") for i in (1, 2, 3)]
    err = translate(retry_error(ValueError("no choices"), n_attempts=3, failed_attempts=failed))
    assert "chat completion (" + WHERE + "): 'page 3'. Check" in str(err)


def test_the_last_completion_wins_over_the_failed_attempts() -> None:
    failed = [FailedAttempt(1, ValueError("x"), "a page")]
    err = translate(
        retry_error(ValueError("bad"), n_attempts=1, last_completion="the last page", failed_attempts=failed)
    )
    assert f"chat completion ({WHERE}): 'the last page'. Check" in str(err)


def test_a_completion_with_no_choices_says_the_model_produced_nothing() -> None:
    err = translate(retry_error(ValueError("empty"), n_attempts=2, last_completion=completion(choices=0)))
    assert str(err) == (
        f"The model server answered with no choices (an empty 'choices' list) after 2 attempt(s) ({WHERE}): the "
        "model produced nothing, e.g. a content filter or a server-side error reported as success. Retry, and check "
        "the server's logs if it keeps happening."
    )
    assert (type(err), err.attempts) == (LLMError, 2)


def test_no_choices_without_an_attempt_count_says_one_attempt() -> None:
    failed = [FailedAttempt(1, ValueError("x"), completion(choices=0))]
    err = translate(retry_error(ValueError("empty"), n_attempts=0, failed_attempts=failed))
    assert "(an empty 'choices' list) after 1 attempt(s) (" in str(err) and err.attempts is None


# -- answers that break the schema ---------------------------------------------------------------------------------


def test_a_schema_failure_names_the_first_three_errors_by_field() -> None:
    exc = validation_error({"title": 3, "count": "x", "tags": [1], "score": "y"})
    err = translate(retry_error(exc, n_attempts=3, last_completion=completion('{"title": 3}')), usages=2)
    assert type(err) is OutputValidationError
    assert str(err) == (
        f"The model's answer did not fit the schema after 3 attempt(s) ({WHERE}): title: Input should be a valid "
        "string; count: Input should be a valid integer, unable to parse string as an integer; tags.0: Input should "
        "be a valid string. Use a stronger model, fewer tasks, or more schema_retries."
    )
    assert (err.last_output, err.attempts) == ('{"title": 3}', 3)


def test_a_schema_failure_of_the_whole_answer_names_it_the_answer() -> None:
    err = translate(retry_error(validation_error([1, 2]), n_attempts=1))
    assert f"after 1 attempt(s) ({WHERE}): answer: Input should be a valid dictionary or instance of Brief. Use" in str(
        err
    )


def test_a_schema_error_is_cut_at_120_characters() -> None:
    class Picky(BaseModel):
        """A model whose validator explains at length."""

        title: str

        def model_post_init(self, context: object) -> None:
            """Refuse every title, at length."""
            raise ValueError("t" * 110 + "uv\nsecond line")

    try:
        Picky(title="a")
    except ValidationError as exc:
        err = translate(retry_error(exc, n_attempts=1))
    message = "Value error, " + "t" * 110 + "uv"
    assert f"): answer: {message[:120]}. Use a stronger" in str(err)


def test_a_schema_failure_without_an_attempt_count_says_one_attempt() -> None:
    err = translate(validation_error({"title": "t", "count": 1, "tags": [], "score": "y"}))
    assert str(err).startswith(f"The model's answer did not fit the schema after 1 attempt(s) ({WHERE}): score: ")
    assert (err.attempts, err.last_output) == (None, None)


def test_a_value_error_that_is_not_a_validation_error_is_quoted_by_its_first_line() -> None:
    err = translate(retry_error(ValueError("the answer was empty\ntrace"), n_attempts=2), usages=2)
    assert str(err) == (
        f"The model's answer did not fit the schema after 2 attempt(s) ({WHERE}): the answer was empty. Use a "
        "stronger model, fewer tasks, or more schema_retries."
    )


def test_a_retry_wrapper_around_something_else_is_a_schema_failure() -> None:
    err = translate(retry_error(KeyError("choices"), n_attempts=2))
    assert type(err) is OutputValidationError and "after 2 attempt(s) (" + WHERE + "): 'choices'. Use" in str(err)


# -- anything else ----------------------------------------------------------------------------------------------------


def test_an_unexpected_failure_names_its_type_and_first_line() -> None:
    err = translate(RuntimeError("event loop is closed\nTraceback"), usages=1)
    assert str(err) == f"Unexpected failure calling the model ({WHERE}): RuntimeError: event loop is closed"
    assert (type(err), err.attempts) == (LLMError, 1)


def test_an_unexpected_failure_with_a_cause_is_reported_as_itself() -> None:
    exc = chained(RuntimeError("outer"), openai.APITimeoutError(request=request("0")))
    assert str(translate(exc)) == f"Unexpected failure calling the model ({WHERE}): RuntimeError: outer"


def test_a_local_backend_says_where_it_runs() -> None:
    llm = InstructorLLM(Backend("local", "qwen", None, "local"))
    err = llm._translate(RuntimeError("boom"), [])
    assert str(err) == (
        "Unexpected failure calling the model (local backend, model 'qwen' at an embedded llama.cpp server on "
        "127.0.0.1): RuntimeError: boom"
    )
