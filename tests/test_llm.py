"""Backend resolution order and error messages (no network: nothing here sends a request)."""

from __future__ import annotations

import pytest

from summarizer import ConfigError
from summarizer.llm import Backend, InstructorLLM, resolve_backend

KEY = "sk-test-0123456789abcdefghijklmnop"


def test_explicit_arguments_win_over_the_environment() -> None:
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "SUMMARIZER_MODEL": "env-model"}
    b = resolve_backend("arg-model", "http://127.0.0.1:2/v1", env=env, local_available=True)
    assert (b.kind, b.model, b.base_url) == ("compatible", "arg-model", "http://127.0.0.1:2/v1")


def test_environment_selects_an_openai_compatible_server() -> None:
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:8000/v1", "SUMMARIZER_MODEL": "qwen2.5"}
    b = resolve_backend(env=env, local_available=True)
    assert (b.kind, b.model, b.base_url) == ("compatible", "qwen2.5", "http://127.0.0.1:8000/v1")
    assert b.api_key  # the openai client insists on one even where the server needs none


def test_api_key_alone_selects_openai() -> None:
    b = resolve_backend(env={"OPENAI_API_KEY": KEY}, local_available=True)
    assert (b.kind, b.model, b.base_url) == ("openai", "gpt-4o-mini", None)


def test_local_model_is_the_default_without_key_or_url() -> None:
    b = resolve_backend(env={}, local_available=True)
    assert b.kind == "local" and b.model == "qwen2.5-coder-1.5b-instruct"


def test_no_backend_names_every_way_to_get_one() -> None:
    with pytest.raises(ConfigError) as info:
        resolve_backend(env={}, local_available=False)
    message = str(info.value)
    for hint in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "summarizer model install"):
        assert hint in message


def test_compatible_server_needs_a_model_name() -> None:
    with pytest.raises(ConfigError, match="SUMMARIZER_MODEL"):
        resolve_backend(env={"OPENAI_BASE_URL": "http://127.0.0.1:8000/v1"}, local_available=True)


def test_the_key_never_shows_in_repr_or_description() -> None:
    b = resolve_backend(env={"OPENAI_API_KEY": KEY}, local_available=False)
    assert KEY not in repr(b) and KEY not in b.describe() and KEY not in str(b)


def test_mode_json_for_compatible_servers_tools_for_openai() -> None:
    import instructor

    assert InstructorLLM(Backend("compatible", "m", "http://127.0.0.1:1/v1", "x")).mode == instructor.Mode.JSON
    assert InstructorLLM(Backend("openai", "m", None, KEY)).mode == instructor.Mode.TOOLS


def test_resolution_reads_the_environment_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:7/v1")
    monkeypatch.setenv("SUMMARIZER_MODEL", "late")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert resolve_backend(local_available=False).model == "late"
