"""Provenance is exact: the model that answered is the one recorded, and a model no backend can serve is refused."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer, cli, local
from summarizer.batch import summarize_many
from summarizer.errors import ConfigError
from summarizer.llm import Backend, resolve_backend
from summarizer.schemas import Article
from tests.conftest import SEED_000
from tests.fakes import FakeLLM
from tests.fault_server import FaultServer, completion
from tests.fault_server import fault_server as fault_server
from tests.local_env import make_fake_local


@pytest.fixture
def no_backend_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("local_available", [True, False])
def test_a_model_the_local_backend_cannot_serve_is_a_config_error(local_available: bool) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_backend("gpt-4o", env={}, local_available=local_available)
    message = str(caught.value)
    assert "set OPENAI_API_KEY to use gpt-4o" in message and "--base-url" in message


def test_summarizer_model_in_the_environment_is_refused_too() -> None:
    with pytest.raises(ConfigError, match="set OPENAI_API_KEY to use llama3"):
        resolve_backend(env={"SUMMARIZER_MODEL": "llama3"}, local_available=True)


def test_the_same_name_with_a_key_or_a_base_url_is_served_there() -> None:
    assert resolve_backend("gpt-4o", env={"OPENAI_API_KEY": "sk-test-0123456789"}).kind == "openai"
    assert resolve_backend("gpt-4o", "http://127.0.0.1:9/v1", env={}).kind == "compatible"


def test_the_local_backend_names_its_own_model_and_weights() -> None:
    for asked in (None, local.MODEL_ALIAS):
        backend = resolve_backend(asked, env={}, local_available=True)
        assert backend.kind == "local" and backend.model == local.MODEL_ALIAS
        assert backend.weights_sha256 == local.MODEL_SHA256


def test_summarizer_gpt_4o_without_a_key_fails_before_any_work(no_backend_env: None) -> None:
    with pytest.raises(ConfigError, match="set OPENAI_API_KEY to use gpt-4o"):
        Summarizer(model="gpt-4o").summarize(SEED_000.read_text())


def test_the_cli_exits_2_and_says_how_to_get_the_model(no_backend_env: None) -> None:
    err = io.StringIO()
    assert cli.main(["brief", str(SEED_000), "-m", "gpt-4o"], out=io.StringIO(), err=err) == 2
    assert "set OPENAI_API_KEY to use gpt-4o, or --base-url" in err.getvalue()


def test_the_summary_footer_and_store_name_the_model_the_server_reported(
    tmp_path: Path, fault_server: FaultServer, seed_000_draft: dict[str, Any], seed_000: Article
) -> None:
    fault_server.script(*[completion(seed_000_draft, model="gpt-4o-2024-08-06") for _ in range(2)])
    summarizer = Summarizer(model="gpt-4o", base_url=fault_server.url)
    summary = summarizer.summarize(seed_000)
    assert summary.model == "gpt-4o-2024-08-06" and summary.backend == "compatible"
    assert summary.weights_sha256 is None
    from summarizer.render import render

    assert "gpt-4o-2024-08-06 (compatible)" in render(summary, "markdown")
    [result] = summarize_many([seed_000], summarizer=summarizer, store=tmp_path / "s.db")
    assert result.summary is not None and result.summary.model == "gpt-4o-2024-08-06"
    assert json.loads(result.to_line())["summary"]["model"] == "gpt-4o-2024-08-06"
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("SELECT model FROM results").fetchall() == [("gpt-4o-2024-08-06",)]


@pytest.fixture
def fake_local_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fake = make_fake_local(tmp_path)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    for name in ("SUMMARIZER_HOME", "SUMMARIZER_MODEL_PATH", "SUMMARIZER_SERVER_MODULE", "SUMMARIZER_SERVER_IDLE"):
        monkeypatch.setenv(name, fake.env[name])
    monkeypatch.setenv("PYTHONPATH", fake.env["PYTHONPATH"])
    yield
    local.shutdown()


@pytest.mark.slow
def test_a_local_summary_names_the_embedded_model_and_its_sha256(fake_local_env: None, seed_000: Article) -> None:
    summary = Summarizer().summarize(seed_000)
    assert summary.backend == "local" and summary.model == local.MODEL_ALIAS
    assert summary.weights_sha256 == local.MODEL_SHA256
    from summarizer.render import render

    # The CLI footer names the file that answered too, not only the alias any GGUF could be served under.
    for fmt in ("markdown", "text"):
        assert f"{local.MODEL_ALIAS} (local, weights sha256 {local.MODEL_SHA256[:12]}…)" in render(summary, fmt)


class SlowLLM(FakeLLM):
    """A FakeLLM whose async calls take ``delay`` seconds."""

    delay: float = 0.3

    async def acreate(self, response_model: Any, messages: Any, *, max_tokens: int | None = None) -> Any:
        await asyncio.sleep(self.delay)
        return self.create(response_model, messages, max_tokens=max_tokens)


def test_latency_is_the_items_own_time_not_its_wait_for_a_slot(seed_000_draft: dict[str, Any]) -> None:
    llm = SlowLLM([seed_000_draft] * 4, backend=Backend("compatible", "fake-model", "http://127.0.0.1:9/v1"))
    texts = [SEED_000.read_text() + f"\nUpdate {i}: the count rose to {i}." for i in range(4)]
    results = list(summarize_many(texts, summarizer=Summarizer(llm=llm), concurrency=1))
    latencies = [r.summary.latency_s for r in results if r.summary is not None]
    assert len(latencies) == 4
    # One at a time: the fourth item waited ~0.9 s for its turn; its own time is still one call's.
    assert all(0.3 <= latency < 0.6 for latency in latencies), latencies
