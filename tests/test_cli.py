"""The CLI over a FakeLLM: formats, stdin and HTML, exit codes, and stdout/stderr discipline."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import cli
from tests.conftest import SEED_000
from tests.fakes import FakeLLM, serve_fake


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, seed_000_draft: dict[str, Any]) -> FakeLLM:
    """A FakeLLM answering seed 000's draft: what the CLI prints is the subject here, not the backend."""
    return serve_fake(monkeypatch, FakeLLM([seed_000_draft]))


def run(
    argv: list[str], stdin: bytes | None = None, monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = cli.main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_brief_prints_markdown_on_stdout(fake: FakeLLM) -> None:
    code, out, err = run(["brief", str(SEED_000), "--published", "2025-04-18", "--source", "AP"])
    assert code == 0, err
    assert out.startswith("## U.S. may quit Ukraine peace talks")
    assert out.count("\n- ") >= 5 + 2 + 3  # bullets, claims, timeline
    assert "**2025-04-04 (April 4)**" in out
    assert "**2025-04-17 to 2025-04-18 (in the past 24 hours)**" in out  # a span shows both its ends
    assert "Summarising with fake-model" in err and "Summarising" not in out


def test_brief_json_is_a_summary(fake: FakeLLM) -> None:
    from summarizer import Summary

    code, out, _ = run(["brief", str(SEED_000), "--json", "--published", "2025-04-18"])
    assert code == 0
    summary = Summary.model_validate(json.loads(out))
    assert summary.article.published_at is not None and summary.validation is not None


def test_brief_text_format_has_no_markup(fake: FakeLLM) -> None:
    code, out, _ = run(["brief", str(SEED_000), "--format", "text"])
    assert code == 0 and "**" not in out and "## " not in out


def test_brief_reads_html_from_stdin(fake: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> None:
    html = (
        "<html><body><article>"
        + "".join(f"<p>{line}</p>" for line in SEED_000.read_text().split("\n\n"))
        + "</article></body></html>"
    )
    code, _, err = run(["brief", "-"], stdin=html.encode(), monkeypatch=monkeypatch)
    assert code == 0, err
    prompt = fake.calls[0].messages[1]["content"]
    assert "<p>" not in prompt and "wounded 98 others" in prompt


def test_tasks_flag(fake: FakeLLM, seed_000_draft: dict[str, Any]) -> None:
    fake.answers = [{"claims": seed_000_draft["claims"]}]
    code, out, _ = run(["brief", str(SEED_000), "--tasks", "claims"])
    assert code == 0 and "### Claims" in out and "Quick Look" not in out and "### Timeline" not in out


@pytest.mark.parametrize(
    "argv",
    [[], ["brief"], ["brief", "x", "--format", "yaml"], ["brief", "x", "--published", "18/04/2025"], ["nope"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2


def test_unknown_task_is_a_usage_error(fake: FakeLLM) -> None:
    code, _, err = run(["brief", str(SEED_000), "--tasks", "brief,poetry"])
    assert code == 2 and "poetry" in err


def test_missing_file_exits_2(fake: FakeLLM) -> None:
    code, out, err = run(["brief", "/nonexistent/article.txt"])
    assert (code, out) == (2, "") and "no such file" in err
    code, out, err = run(["check", "--source", "/nonexistent/article.txt", str(SEED_000)])
    assert (code, out) == (2, "") and "cannot read /nonexistent/article.txt: no such file" in err


def test_empty_input_exits_1_with_the_reason(fake: FakeLLM, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    code, out, err = run(["brief", str(empty)])
    assert (code, out) == (1, "") and "InputError" in err and "empty" in err
    assert fake.calls == []


def test_no_backend_exits_2_and_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("summarizer.local.is_available", lambda: False)
    code, out, err = run(["brief", str(SEED_000)])
    assert (code, out) == (2, "") and "OPENAI_API_KEY" in err and "summarizer model install" in err


def test_model_path_and_status(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZER_HOME", str(tmp_path))
    code, out, _ = run(["model", "path"])
    assert code == 0 and out.strip() == str(tmp_path / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    code, out, _ = run(["model", "status"])
    assert code == 1 and "weights missing" in out
