"""One exception hierarchy for everything the library raises on purpose."""

from __future__ import annotations

from typing import Any


class SummarizerError(Exception):
    """Base class of every error raised by summarizer."""


class ConfigError(SummarizerError):
    """A developer or set-up mistake: no backend, unknown prompt or model. The message says how to fix it."""


class InputError(SummarizerError, ValueError):
    """The article cannot be summarised as given: empty, binary or unreadable."""


class LocalModelError(ConfigError):
    """The embedded local model is missing, corrupt, or its server failed to start."""


class LLMError(SummarizerError):
    """The provider failed: network, HTTP status, or an answer we cannot use. ``__cause__`` holds the original error."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        attempts: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        """The HTTP status of the provider's last answer, when it was an HTTP error."""
        self.attempts = attempts
        """How many requests were made before giving up, when known."""
        self.request_id = request_id
        """The provider's request id (``x-request-id``), to quote to its support."""


class OutputValidationError(LLMError):
    """All attempts ended in output that breaks the schema or the source check; carries the last output and report."""

    def __init__(
        self,
        message: str,
        *,
        last_output: Any = None,
        report: Any = None,
        attempts: int | None = None,
    ) -> None:
        super().__init__(message, attempts=attempts)
        self.last_output = last_output
        self.report = report


class TruncatedOutputError(LLMError):
    """The model stopped at its token limit (finish_reason == "length") before the answer was complete."""

    def __init__(self, message: str, *, last_output: str | None = None, attempts: int | None = None) -> None:
        super().__init__(message, attempts=attempts)
        self.last_output = last_output
        """The partial answer the model wrote before it was cut off."""
