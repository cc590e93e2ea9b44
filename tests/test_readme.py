"""The README's examples run as written: its Python and shell snippets, against a fake OpenAI-compatible server.

The server (bench/latency_server.py on 127.0.0.1) answers every article with a draft made of its own sentences, so
each command does its real work (cleaning, the structured call over HTTP, the check, the views, the files). The
one block not run is the set-up (`make demo`, `make test`): it is what builds the environment these tests run in.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SEED_000, SEED_001
from tests.test_batch_http import server  # noqa: F401  (a fixture: bench/latency_server.py on 127.0.0.1)

README = (ROOT / "README.md").read_text()
FENCE = re.compile(r"^```(python|bash)\n(.*?)^```", re.S | re.M)
SETUP = ["make demo", "make test"]


def blocks(language: str) -> list[str]:
    """The README's fenced blocks in ``language``, in order."""
    return [body for lang, body in FENCE.findall(README) if lang == language]


def commands(block: str) -> list[str]:
    """The block's command lines (comments after them are the shell's to ignore)."""
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _html(text: str) -> str:
    return "<html><body><article>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</article></body></html>"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: Any) -> Path:  # noqa: F811
    """A folder holding every file the README's examples name, and an environment pointing at the fake server."""
    first, second = SEED_000.read_text(), SEED_001.read_text()
    (tmp_path / "article.txt").write_text(first)
    (tmp_path / "page.html").write_text(_html(first))
    (tmp_path / "summary.txt").write_text("Cluster munitions in Kharkiv killed one person and wounded 98 others.\n")
    (tmp_path / "a.txt").write_text(first)
    (tmp_path / "b.txt").write_text(second)
    (tmp_path / "b.html").write_text(_html(second))
    rows = [{"id": "seed_000", "text": first, "published_at": "2025-04-18"}, {"id": "seed_001", "text": second}]
    (tmp_path / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("SUMMARIZER_MODEL", "fake")
    monkeypatch.setenv("SUMMARIZER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return tmp_path


def test_the_readme_has_the_snippets_this_file_runs() -> None:
    assert len(blocks("python")) == 2 and len(blocks("bash")) == 2
    assert [c.split("#")[0].strip() for c in commands(blocks("bash")[0])] == SETUP  # the one block not run


def test_python_snippets_run_as_written(workdir: Path) -> None:
    first, second = blocks("python")
    ns: dict[str, Any] = {}
    exec(compile(first, "README.md (python 1)", "exec"), ns)
    s = ns["s"]
    assert s.quick_look is not None and s.validation is not None and s.article.source == "AP"
    ns = {}
    exec(compile(second, "README.md (python 2)", "exec"), ns)
    assert ns["report"].ok
    assert type(ns["story"]).__name__ == "StoryBrief" and ns["story"].title
    assert (workdir / "briefs.sqlite").exists()


@pytest.mark.slow  # a dozen CLI processes
def test_shell_snippets_run_as_written(workdir: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    outputs: dict[str, str] = {}
    for line in commands(blocks("bash")[1]):
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line], cwd=workdir, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert "Traceback" not in done.stderr, line
        outputs[line.split("#")[0].strip()] = done.stdout
    briefs = [v for k, v in outputs.items() if k.startswith("summarizer brief") or k.startswith("cat page.html")]
    assert len(briefs) == 2 and all(b.startswith("## ") and " · " in b for b in briefs)
    assert any("\nOK: 1 checked" in v for k, v in outputs.items() if k.startswith("summarizer check"))
    lines = [json.loads(x) for x in (workdir / "briefs.jsonl").read_text().splitlines()]
    assert sorted(x["id"] for x in lines) == ["seed_000", "seed_001"]
    assert all(x["status"] in ("ok", "flagged") for x in lines)
    assert any(v.startswith("## ") for k, v in outputs.items() if k.startswith("summarizer story"))
    assert outputs["summarizer --version"].startswith("summarizer ")
