"""Test doubles for the LLM seam."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from summarizer.llm import Backend, Completion, Message
from summarizer.schemas import Usage

T = TypeVar("T", bound=BaseModel)


@dataclass
class Call:
    """One recorded call: the response model, the messages and the output token cap."""

    response_model: type[BaseModel]
    messages: list[Message]
    max_tokens: int | None


@dataclass
class FakeLLM:
    """A queue of answers (dicts validated into the response model, or exceptions to raise) and a call log."""

    answers: list[dict[str, Any] | BaseException]
    usage: Usage = field(default_factory=lambda: Usage(prompt_tokens=1000, completion_tokens=200, attempts=1))
    backend: Backend = field(default_factory=lambda: Backend("compatible", "fake-model", "http://127.0.0.1:9/v1"))
    calls: list[Call] = field(default_factory=list)

    def create(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        self.calls.append(Call(response_model, [dict(m) for m in messages], max_tokens))
        if not self.answers:
            raise AssertionError("FakeLLM has no answer left for this call")
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        value = response_model.model_validate(answer)
        return Completion(value, self.usage.model_copy(), "stop")

    async def acreate(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        return self.create(response_model, messages, max_tokens=max_tokens)


def serve_fake(monkeypatch: pytest.MonkeyPatch, llm: FakeLLM) -> FakeLLM:
    """Make every Summarizer built without a backend of its own answer from ``llm``, on any machine.

    The environment names the fake's compatible server, so the backend resolves the same whether or not the
    embedded engine is installed (with nothing named, resolution falls through to it); the adapter it would build
    is replaced by ``llm``.
    """
    assert llm.backend.base_url is not None
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", llm.backend.base_url)
    monkeypatch.setenv("SUMMARIZER_MODEL", llm.backend.model)
    monkeypatch.setattr("summarizer.api.make_llm", lambda backend: llm)
    return llm
