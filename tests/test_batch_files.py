"""OpenAI Batch files OpenAI accepts: strict json_schema request lines checked against the openai package's own
request types and OpenAI's per-file limits; --target vllm|llamacpp; a vLLM run_batch-style result file collected."""

from __future__ import annotations

import io
import json
import typing
import uuid
from pathlib import Path
from typing import Any

import pytest
from openai.types.chat.completion_create_params import CompletionCreateParamsNonStreaming
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import TypeAdapter

from summarizer import cli
from summarizer.api import Summarizer
from summarizer.batch import BatchInput, read_jsonl
from summarizer.batchapi import UNSUPPORTED_KEYWORDS, batch_backend, collect, make_builder, parts, prepare
from summarizer.llm import make_llm
from tests.test_batch_http import _articles, _write_jsonl, latency_server


def _prepare(tmp_path: Path, *args: str, n: int = 3) -> tuple[int, list[dict[str, Any]], str]:
    src, req = tmp_path / "in.jsonl", tmp_path / "req.jsonl"
    _write_jsonl(src, _articles(n))
    err = io.StringIO()
    code = cli.main(["batch", "prepare", str(src), "-o", str(req), *args], out=io.StringIO(), err=err)
    lines = [json.loads(line) for line in req.read_text().splitlines()] if req.exists() else []
    return code, lines, err.getvalue()


def _walk(node: Any) -> typing.Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_openai_lines_fit_openais_own_request_types_and_strict_schema_rules(tmp_path: Path) -> None:
    code, lines, err = _prepare(tmp_path, "--model", "gpt-4o-mini")
    assert code == 0, err
    assert len(lines) == 3 and "3 requests for gpt-4o-mini (openai)" in err
    allowed = set(typing.get_type_hints(CompletionCreateParamsNonStreaming))
    for line in lines:
        assert set(line) == {"custom_id", "method", "url", "body"}
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        body = line["body"]
        assert set(body) <= allowed  # only parameters openai's own create takes
        TypeAdapter(CompletionCreateParamsNonStreaming).validate_python(body)
        assert body["model"] == "gpt-4o-mini" and "max_completion_tokens" in body
        response_format = body["response_format"]
        TypeAdapter(ResponseFormatJSONSchema).validate_python(response_format)
        assert response_format["type"] == "json_schema" and response_format["json_schema"]["strict"] is True
        schema = response_format["json_schema"]["schema"]
        assert schema["type"] == "object"
        for node in _walk(schema):
            assert not UNSUPPORTED_KEYWORDS & set(node), node
            if node.get("type") == "object":
                assert node["additionalProperties"] is False
                assert sorted(node["required"]) == sorted(node["properties"])
        assert "5 to 8 items" in json.dumps(schema)  # the bullet count survives, as words
        # Our prompt only: instructor's JSON-mode text (the schema again, in the system message) is not there.
        prompt = json.dumps(body["messages"])
        assert "json_schema" not in prompt and "Make sure to return an instance of the JSON" not in prompt


def test_prepare_refuses_without_a_model_even_with_one_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_MODEL", "qwen2.5-coder-1.5b-instruct")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used-0123456789")
    code, lines, err = _prepare(tmp_path)
    assert code == 2 and not lines
    assert "give it with --model" in err


def test_vllm_and_llamacpp_targets(tmp_path: Path) -> None:
    code, [vllm, *_], err = _prepare(tmp_path, "--target", "vllm", "--model", "Qwen/Qwen2.5-1.5B-Instruct")
    assert code == 0, err
    fmt = vllm["body"]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"]["properties"]["bullets"]["minItems"] == 5
    assert vllm["body"]["max_tokens"] == 2000
    code, [llama, *_], err = _prepare(tmp_path, "--target", "llamacpp", "--model", "qwen2.5-coder-1.5b-instruct")
    assert code == 0, err
    # What the local backend sends llama.cpp: JSON mode with the schema as a decoding grammar.
    fmt = llama["body"]["response_format"]
    assert fmt["type"] == "json_object" and fmt["schema"]["properties"]["bullets"]["maxItems"] == 8


def _summarizer(target: str, model: str) -> Summarizer:
    return Summarizer(llm=make_llm(batch_backend(target, model)))


def test_files_are_split_at_the_request_and_byte_limits(tmp_path: Path) -> None:
    inputs = [BatchInput(a.id or "", a) for a in _articles(5)]
    builder = make_builder(_summarizer("openai", "gpt-4o-mini"), "openai")
    report = prepare(inputs, builder, tmp_path / "r.jsonl", max_requests=2)
    assert [p.name for p in report.files] == ["r.jsonl", "r.2.jsonl", "r.3.jsonl"]
    assert [len(p.read_text().splitlines()) for p in report.files] == [2, 2, 1]
    one = len(report.files[2].read_bytes())
    report = prepare(inputs, builder, tmp_path / "r.jsonl", max_bytes=int(one * 1.5))
    assert len(report.files) == 5 and all(p.stat().st_size <= one * 1.5 for p in report.files)
    report = prepare(inputs, builder, tmp_path / "r.jsonl")
    assert parts(tmp_path / "r.jsonl") == [tmp_path / "r.jsonl"]  # the earlier parts are gone
    assert not list(tmp_path.glob("*.partial"))


def _vllm_result(request: dict[str, Any], model: str) -> dict[str, Any]:
    """One line as vLLM's run_batch writes it (its ids, its extra fields), answering ``request``."""
    prompt = "\n".join(m["content"] for m in request["body"]["messages"])
    content = json.dumps(latency_server.draft_for(prompt))
    body = {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": 1_745_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "reasoning_content": None, "content": content, "tool_calls": []},
                "logprobs": None,
                "finish_reason": "stop",
                "stop_reason": None,
            }
        ],
        "usage": {"prompt_tokens": 1500, "total_tokens": 1900, "completion_tokens": 400, "prompt_tokens_details": None},
        "prompt_logprobs": None,
    }
    return {
        "id": f"vllm-{uuid.uuid4().hex}",
        "custom_id": request["custom_id"],
        "response": {"status_code": 200, "request_id": f"vllm-batch-{uuid.uuid4().hex}", "body": body},
        "error": None,
    }


def test_a_vllm_run_batch_result_collects_across_split_files(tmp_path: Path) -> None:
    model = "Qwen/Qwen2.5-1.5B-Instruct"
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _articles(4))
    summarizer = _summarizer("vllm", model)
    report = prepare(read_jsonl(src), make_builder(summarizer, "vllm"), tmp_path / "req.jsonl", max_requests=3)
    assert len(report.files) == 2
    requests = [json.loads(line) for p in report.files for line in p.read_text().splitlines()]
    results = [_vllm_result(r, model) for r in requests]
    failed = {**results[3], "response": {"status_code": 400, "request_id": "vllm-batch-x", "body": None}}
    failed["error"] = {"message": "This model's maximum context length is 4096 tokens", "code": 400}
    (tmp_path / "out-1.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results[:2]))
    (tmp_path / "out-2.jsonl").write_text(json.dumps(results[2]) + "\n" + json.dumps(failed) + "\n")

    out = tmp_path / "briefs.jsonl"
    args = ["batch", "collect", str(tmp_path / "req.jsonl"), str(tmp_path / "out-1.jsonl")]
    args += [str(tmp_path / "out-2.jsonl"), "--source", str(src), "-o", str(out), "--base-url", "http://127.0.0.1:9/v1"]
    assert cli.main([*args, "--model", model], out=io.StringIO(), err=io.StringIO()) == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["status"] for line in lines] == ["ok", "ok", "ok", "error"]
    assert "maximum context length" in lines[3]["error"]["message"]
    first = lines[0]["summary"]
    assert first["model"] == model and first["usage"]["prompt_tokens"] == 1500
    assert first["quick_look"]["bullets"][0]["evidence"]  # the cited sentences became spans

    # The API takes the result files as a list too.
    direct = list(collect(tmp_path / "req.jsonl", [tmp_path / "out-1.jsonl"], read_jsonl(src), summarizer))
    assert [r.status for r in direct] == ["ok", "ok", "error", "error"]  # out-2's results were not given
