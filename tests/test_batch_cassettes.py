"""A llama.cpp Batch file run on the embedded model's real server, replayed (recorded HTTP, never hand-edited).

`batch prepare --target llamacpp`, then `batch run` against the server, then `batch collect`: the run's result file
is the vLLM run_batch shape that `batch run` writes, and its answers are what the real model said.

Replay (default): the network is blocked and each request must match a recorded one (method, path, body).
Re-record: `.venv/bin/pytest tests/test_batch_cassettes.py --record-mode=rewrite` starts the local model.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from summarizer import cli, local
from summarizer.batchapi import CAPTURE_URL
from tests.conftest import SEED_001, long_paragraphs
from tests.vcr_settings import vcr_config_dict

pytestmark = [pytest.mark.vcr, pytest.mark.block_network]


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """The common settings; `batch prepare` and `collect` build each request body through an in-memory transport
    at CAPTURE_URL, which must reach that transport, not the cassette."""
    return {**vcr_config_dict(), "ignore_hosts": [urlsplit(CAPTURE_URL).hostname]}


def _batch(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    return cli.main(["batch", *args], out=io.StringIO(), err=err), err.getvalue()


def test_a_llamacpp_batch_file_run_on_the_real_server_collects_into_checked_briefs(
    tmp_path: Path, record_mode: str
) -> None:
    url = "http://127.0.0.1:9/v1" if record_mode == "none" else local.ensure_server().base_url
    try:
        src, req, res, out = (tmp_path / f for f in ("in.jsonl", "req.jsonl", "res.jsonl", "out.jsonl"))
        meta = {"published_at": "2025-04-18", "source": "rki.news"}
        items = [
            {"id": "paris", "text": long_paragraphs(SEED_001), **meta},
            {"id": "kyiv", "text": long_paragraphs(SEED_001, skip=2), **meta},
        ]
        src.write_text("".join(json.dumps(i) + "\n" for i in items))
        model = ["--model", local.MODEL_ALIAS, "--tasks", "brief"]
        code, err = _batch("prepare", str(src), "-o", str(req), "--target", "llamacpp", *model)
        assert code == 0 and "2 requests for qwen2.5-coder-1.5b-instruct (llamacpp)" in err, err
        requests = [json.loads(line) for line in req.read_text().splitlines()]
        ids = [r["custom_id"] for r in requests]  # one request per article, in input order
        assert len(set(ids)) == 2
        assert {r["body"]["response_format"]["type"] for r in requests} == {"json_object"}  # what llama.cpp takes

        code, err = _batch("run", str(req), "-o", str(res), "--base-url", url, "--concurrency", "1")
        assert code == 0, err
        results = {r["custom_id"]: r for r in map(json.loads, res.read_text().splitlines())}
        assert set(results) == set(ids)
        assert all(r["error"] is None and r["response"]["status_code"] == 200 for r in results.values())
        served = {r["response"]["body"]["model"] for r in results.values()}

        args = ["collect", str(req), str(res), "--source", str(src), "-o", str(out), "--base-url", url, *model]
        code, err = _batch(*args)
        assert code == 0, err
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert [(line["id"], line["status"]) for line in lines] == [("paris", "ok"), ("kyiv", "ok")]
        for line, cid in zip(lines, ids, strict=True):
            summary = line["summary"]
            # Provenance is the server's: the model it reported, the tokens it counted.
            assert summary["model"] in served
            body = results[cid]["response"]["body"]
            assert summary["usage"]["prompt_tokens"] == body["usage"]["prompt_tokens"] > 0
            assert summary["usage"]["completion_tokens"] == body["usage"]["completion_tokens"] > 0
            # The brief is checked, and every cited span is the source's own text.
            assert summary["validation"] is not None and summary["validation"]["findings"]
            bullets = summary["quick_look"]["bullets"]
            assert bullets and all(b["evidence"] for b in bullets)
            text = summary["article"]["text"]
            assert all(text[s["start"] : s["end"]] == s["text"] for b in bullets for s in b["evidence"])
    finally:
        if record_mode != "none":
            local.shutdown()
