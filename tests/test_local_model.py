"""The real embedded model end to end (CI runs these: `make test` installs the model first).

Slow (a minute or two per brief on 2 cores), so only two: the CLI on seed 000, the API on seed 001; and one check
in seconds of llama.cpp's abort callback as summarizer.serve uses it for an abandoned prompt.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from summarizer import Article, Summarizer, Summary, local, serve
from tests.conftest import SEED_000, SEED_001

pytestmark = [pytest.mark.local_model, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def model_ready() -> Iterator[None]:
    state = local.status()
    # Not a skip: a missing model is a broken set-up (`make test` installs it), and CI must say so.
    assert state.usable, f"the embedded model is not installed ({state.describe()}); run `make model`"
    local.require_verified()  # what every start does: re-hash once if the file changed since its stamp
    assert local.status().ready
    yield
    local.shutdown()


def test_cli_briefs_seed_000_on_the_embedded_model() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL")}
    result = subprocess.run(
        [sys.executable, "-m", "summarizer.cli", "brief", str(SEED_000), "--published", "2025-04-18", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = Summary.model_validate(json.loads(result.stdout))
    assert summary.backend == "local" and summary.model == local.MODEL_ALIAS
    assert summary.quick_look is not None and 5 <= len(summary.quick_look.bullets) <= 8
    assert all(b.text and "\n" not in b.text for b in summary.quick_look.bullets)
    assert summary.usage.prompt_tokens > 1000 and summary.usage.completion_tokens > 50
    assert summary.validation is not None and summary.validation.findings
    # every span the summary carries points at exactly its text in the cleaned source
    text = summary.article.text
    spans = [s for b in summary.quick_look.bullets for s in b.evidence]
    spans += [c.evidence for c in summary.claims if c.evidence] + [c.quote_span for c in summary.claims if c.quote_span]
    assert spans
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert "Summarising with qwen2.5-coder-1.5b-instruct (local)" in result.stderr


def test_api_briefs_seed_001_with_its_own_publication_date() -> None:
    summary = Summarizer().summarize(Article(text=SEED_001.read_text(), source="rki.news"))
    assert summary.article.published_at is not None and summary.article.published_at.isoformat() == "2025-04-18"
    assert summary.quick_look is not None and 5 <= len(summary.quick_look.bullets) <= 8
    assert summary.claims, "seed 001 quotes Rubio, Peskov and Vance: at least one claim is expected"
    published = summary.article.published_at
    for event in summary.timeline:
        # A resolved date is never after publication, unless the phrase itself looks ahead ("by April 26"):
        # the day of a relative phrase ("Friday", "last month") is counted back from the publication date.
        looks_ahead = re.search(r"\b(by|until|next|tomorrow|coming|later|from)\b|\d", event.when, re.I)
        if event.date is not None and not looks_ahead:
            assert event.date <= published, (event.when, event.date, published)
            assert event.granularity is not None
    assert summary.validation is not None
    assert {f.kind for f in summary.validation.findings} >= {"number"}


def test_an_abandoned_prompt_stops_mid_way_and_leaves_the_model_state_intact(monkeypatch: pytest.MonkeyPatch) -> None:
    import llama_cpp
    import numpy as np

    monkeypatch.setattr(llama_cpp.Llama, "eval", llama_cpp.Llama.eval)  # restored after the patch below
    serve.stop_abandoned_answers(llama_cpp)
    llm = llama_cpp.Llama(model_path=str(local.model_path()), n_ctx=512, n_batch=64, verbose=False)
    tokens = llm.tokenize(SEED_000.read_text().encode())[:320]  # five batches

    def logits() -> Any:
        return np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).copy()

    try:
        serve._GONE.set(threading.Event())  # a request whose client stays
        serve.FORWARD.reset()
        started = time.perf_counter()
        llm.eval(tokens)
        took = time.perf_counter() - started
        reference = logits()
        # The server's clock of the forward passes counts this prompt, whole, and nothing as generation.
        assert serve.FORWARD.prompt_tokens == len(tokens) and serve.FORWARD.generated_tokens == 0
        seconds = serve.FORWARD.prompt_s
        assert 0 < seconds <= took
        line = f"forward passes: prompt {seconds:.3f} s / 320 tokens, generation 0.000 s / 0 tokens"
        assert serve.FORWARD.line() == line
        assert serve.FORWARD.prompt_tokens == 0  # the line starts the next completion afresh

        gone = threading.Event()  # a request whose client goes once two batches are in
        serve._GONE.set(gone)
        llm.reset()
        flagged: list[float] = []

        def leave() -> None:
            while llm.n_tokens < 128:
                time.sleep(0.001)
            gone.set()
            flagged.append(time.monotonic())

        threading.Thread(target=leave, daemon=True).start()
        with pytest.raises(serve.ClientGone):
            llm.eval(tokens)
        assert time.monotonic() - flagged[0] < 1  # within the third batch, not after the prompt
        kept = llm.n_tokens
        assert 128 <= kept < len(tokens)

        serve._GONE.set(threading.Event())  # the next request shares the prefix: generate evaluates only the rest
        llm.eval(tokens[kept:])
        assert np.array_equal(logits(), reference)  # bit for bit: nothing of the aborted batch is left behind
    finally:
        serve._GONE.set(None)
        llm.close()
