"""The request bytes: InstructorLLM posts the JSON body itself (skipping openai's request transform), and what goes
on the wire must equal what openai's own ``chat.completions.create`` sends, byte for byte, headers included.

The recorded cassettes cannot show this: vcrpy compares JSON bodies after parsing them, so a change of key order
would still replay. Here both paths talk to an in-memory transport (no network) that records every request.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import instructor
import openai
import pytest

from summarizer.drafts import draft_model
from summarizer.llm import Backend, InstructorLLM, without_schema_prose

KEY = "sk-test-0123456789abcdefghijklmnop"
OpenAI, AsyncOpenAI = openai.OpenAI, openai.AsyncOpenAI  # the real classes (a test replaces the names)
MESSAGES = [
    {"role": "system", "content": "You summarise news. Answer in JSON."},
    {"role": "user", "content": 'Title: Crane collapse\n[S1] Officials said "three people" were hurt on Tuesday.\n'},
]
GOOD = {"title": "Crane collapse", "bullets": [{"text": f"Point {i}", "cites": [1]} for i in range(5)]}
SHORT = {"title": "Crane collapse", "bullets": [{"text": "Only one", "cites": [1]}]}  # breaks min_length: a re-ask


def _answer(request: httpx2.Request, draft: dict[str, Any]) -> httpx2.Response:
    body = json.loads(request.content)
    arguments = json.dumps(draft)
    if body.get("tools"):
        name = body["tools"][0]["function"]["name"]
        call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": arguments}}
        message: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": [call]}
    else:
        message = {"role": "assistant", "content": arguments}
    completion = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": body["model"],
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
    return httpx2.Response(200, json=completion)


class _Recorder:
    """An in-memory server: answers with the scripted drafts in turn and keeps every request."""

    def __init__(self, drafts: list[dict[str, Any]]) -> None:
        self.drafts = drafts
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return _answer(request, self.drafts[min(len(self.requests), len(self.drafts)) - 1])


def _patch_clients(monkeypatch: pytest.MonkeyPatch, recorder: _Recorder) -> None:
    """openai's clients as InstructorLLM builds them, over the recorder's transport."""

    class Sync(OpenAI):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs, http_client=httpx2.Client(transport=httpx2.MockTransport(recorder)))

    class Async(AsyncOpenAI):
        def __init__(self, **kwargs: Any) -> None:
            transport = httpx2.MockTransport(recorder)
            super().__init__(**kwargs, http_client=httpx2.AsyncClient(transport=transport))

    monkeypatch.setattr(openai, "OpenAI", Sync)
    monkeypatch.setattr(openai, "AsyncOpenAI", Async)


def _via_openai_create(llm: InstructorLLM, *, is_async: bool) -> None:
    """Point the LLM's instructor client at openai's own create (with its transform): the reference."""
    client = llm._aclient() if is_async else llm._client()
    create = client.client.chat.completions.create
    if is_async:

        async def reference(**kwargs: Any) -> Any:
            return await create(**without_schema_prose(kwargs))

    else:

        def reference(**kwargs: Any) -> Any:
            return create(**without_schema_prose(kwargs))

    client.create_fn = instructor.patch(create=reference, mode=llm.mode)


def _wire(request: httpx2.Request) -> tuple[str, str, bytes, list[tuple[str, str]]]:
    return request.method, str(request.url), request.content, sorted(request.headers.items())


BACKENDS = {
    "json": Backend("compatible", "qwen", "http://model.test/v1", "not-needed"),
    "tools": Backend("openai", "gpt-4o-mini", "https://api.openai.com/v1", KEY),
    "grammar": Backend("local", "qwen", "http://127.0.0.1:9/v1", None),  # extra_body with the JSON Schema
}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("backend", list(BACKENDS), ids=list(BACKENDS))
def test_the_direct_request_sends_the_bytes_openai_create_sends(
    monkeypatch: pytest.MonkeyPatch, backend: str, is_async: bool
) -> None:
    model = draft_model(["brief"])
    sent: list[list[tuple[str, str, bytes, list[tuple[str, str]]]]] = []
    values = []
    for reference in (False, True):
        recorder = _Recorder([SHORT, GOOD])  # the first answer is re-asked: the second request holds the errors
        _patch_clients(monkeypatch, recorder)
        llm = InstructorLLM(BACKENDS[backend])
        if reference:
            _via_openai_create(llm, is_async=is_async)
        if is_async:

            async def run(llm: InstructorLLM = llm) -> Any:
                try:
                    return await llm.acreate(model, MESSAGES, max_tokens=300)
                finally:
                    await llm.aclose()

            completion = asyncio.run(run())
        else:
            completion = llm.create(model, MESSAGES, max_tokens=300)
            llm.close()
        values.append(completion.value.model_dump())
        sent.append([_wire(r) for r in recorder.requests])
    direct, via_create = sent
    assert len(direct) == 2  # the first answer and its re-ask
    assert direct == via_create
    assert values[0] == values[1] == GOOD


def test_unusual_arguments_take_openai_create(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything but plain JSON (here openai's omit marker) goes through create, which knows what to do with it."""
    recorder = _Recorder([GOOD])
    _patch_clients(monkeypatch, recorder)
    from summarizer.llm import _direct_create, _direct_request

    assert _direct_request({"messages": MESSAGES, "model": "m", "seed": openai.omit}) is None
    assert _direct_request({"messages": MESSAGES, "model": "m", "stream": True}) is None
    assert _direct_request({"messages": MESSAGES, "model": "m", "no_such_argument": 1}) is None
    client = openai.OpenAI(api_key="x", base_url="http://model.test/v1")
    _direct_create(client)(messages=MESSAGES, model="m", seed=openai.omit)
    assert json.loads(recorder.requests[0].content) == {"messages": MESSAGES, "model": "m"}


@pytest.mark.parametrize("backend", ["json", "grammar"])
def test_the_schema_goes_to_the_grammar_not_into_the_prompt_when_the_server_decodes_by_it(
    monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    """The embedded server is given the schema as a decoding grammar; instructor's indented copy of it in the system
    message would cost every article ~660 prompt tokens for nothing. A server without the grammar keeps the copy."""
    recorder = _Recorder([GOOD])
    _patch_clients(monkeypatch, recorder)
    llm = InstructorLLM(BACKENDS[backend])
    llm.create(draft_model(["brief"]), MESSAGES, max_tokens=300)
    llm.close()
    body = json.loads(recorder.requests[0].content)
    system = body["messages"][0]["content"]
    assert system.startswith(MESSAGES[0]["content"])
    if backend == "grammar":
        assert system == MESSAGES[0]["content"]
        assert body["response_format"]["schema"]["properties"]["bullets"]["minItems"] == 5
    else:
        assert "json_schema" in system and '"bullets"' in system
