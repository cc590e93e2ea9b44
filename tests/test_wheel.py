"""The built wheel carries prompts/ and schemas/ and works installed outside the checkout: the API summarises
against a fake backend, the ``summarizer`` command runs, and prompts and schemas load from the installed copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_000, bench_module


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [path] = out.glob("summarizer-*.whl")
    return path


def test_wheel_holds_prompts_schemas_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "prompts").glob("*.j2"):
        assert f"summarizer/_data/prompts/{template.name}" in names
    for schema in (ROOT / "schemas").glob("*.json"):
        assert f"summarizer/_data/schemas/{schema.name}" in names
    assert "summarizer/py.typed" in names
    assert not any(n.startswith(("tests/", "examples/")) for n in names)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a fresh target folder (no deps: they come from this venv), console script included."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


@pytest.fixture
def fake_backend() -> Iterator[str]:
    """An OpenAI-compatible server on 127.0.0.1 answering from the prompt's own sentences (bench/latency_server)."""
    srv = bench_module("latency_server").serve_in_thread(0.0)
    yield srv.url
    srv.shutdown()
    srv.server_close()


def _env(target: Path) -> dict[str, str]:
    """Only the installed copy is importable (no checkout on the path), and no real backend is configured."""
    drop = {"OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "PYTHONPATH"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, "PYTHONPATH": str(target)}


def test_the_installed_wheel_summarizes_and_loads_its_prompts_and_schemas(
    installed: Path, fake_backend: str, tmp_path: Path
) -> None:
    code = f"""
import json, pathlib
from importlib import resources
import summarizer
from summarizer import Article, check, summarize
from summarizer.prompts import Prompts, prompts_dir
from summarizer.schemas import Summary

here = pathlib.Path(r"{installed}")
assert pathlib.Path(summarizer.__file__).is_relative_to(here), summarizer.__file__
assert prompts_dir().is_relative_to(here), prompts_dir()
s = summarize(Article(text=pathlib.Path(r"{SEED_000}").read_text(), published_at="2025-04-18"),
              model="fake", base_url="{fake_backend}")
assert s.quick_look is not None and len(s.quick_look.bullets) >= 5 and s.validation is not None
schema = json.loads((resources.files("summarizer") / "_data" / "schemas" / "summary.schema.json").read_text())
assert schema == Summary.model_json_schema(mode="serialization"), "the wheel's schema is not the code's"
assert set(schema["required"]) <= set(s.model_dump())
print(Prompts().render("summary.system.j2").splitlines()[0])
print(check("Officials said 34 people died.", "It killed 43 people.").ok)
print(s.quick_look.bullets[0].text[:40])
"""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=_env(installed), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "You are a careful news editor. You write short, neutral briefs strictly from one article.",
        "False",
    ]
    assert lines[2] and lines[2] in SEED_000.read_text()  # the answer was built from the article sent


def test_the_installed_console_command_briefs_an_article(installed: Path, fake_backend: str, tmp_path: Path) -> None:
    command = installed / "bin" / "summarizer"
    assert command.is_file()
    args = [str(command), "brief", str(SEED_000), "--published", "2025-04-18", "--json"]
    args += ["--base-url", fake_backend, "--model", "fake"]
    result = subprocess.run(args, cwd=tmp_path, env=_env(installed), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["model"] == "fake" and summary["quick_look"]["bullets"]
    help_text = subprocess.run(
        [str(command), "--help"], env=_env(installed), capture_output=True, text=True, check=True
    ).stdout
    assert "brief" in help_text and "batch" in help_text
