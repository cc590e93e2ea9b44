"""Batch over real HTTP: a local OpenAI-compatible server (bench/latency_server.py), a SIGKILLed batch process,
429 + Retry-After, and the Batch-API files (prepare, run, collect)."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer import cli
from summarizer.api import Summarizer
from summarizer.batch import make_summarizer, read_jsonl, summarize_many
from summarizer.batchapi import RequestBuilder
from summarizer.schemas import Article
from tests.conftest import ARTICLES, ROOT, bench_module


def batch_main(args: list[str], *, out: Any, err: Any) -> int:
    """``summarizer batch ARGS`` through the real CLI entry point."""
    return cli.main(["batch", *args], out=out, err=err)


latency_server = bench_module("latency_server")


@pytest.fixture
def server() -> Iterator[Any]:
    srv = latency_server.serve_in_thread(0.0)
    yield srv
    srv.shutdown()
    srv.server_close()


def _articles(n: int) -> list[Article]:
    seeds = sorted(ARTICLES.glob("*.txt"))
    return [
        Article(id=f"art{i}", text=seeds[i % len(seeds)].read_text() + f"\nUpdate {i}: the count rose to {i}.")
        for i in range(n)
    ]


def _write_jsonl(path: Path, articles: list[Article]) -> None:
    path.write_text("".join(a.model_dump_json(exclude_none=True) + "\n" for a in articles))


def test_429_is_retried_after_retry_after_then_succeeds() -> None:
    # 2 s: far above openai's own first backoff (0.375-0.5 s), so only a client that honours the header waits this
    # long. Shown by mutation: with the server sending no Retry-After, the retry came after ~0.4 s and this fails.
    srv = latency_server.serve_in_thread(0.0, rate_limit_first=1, retry_after="2")
    try:
        summarizer = make_summarizer(model="fake", base_url=srv.url, max_retries=1)
        results = list(summarize_many([_articles(1)[0]], summarizer=summarizer))
        assert results[0].ok
        stats = srv.stats.as_dict()
        assert stats["rate_limited"] == 1 and stats["completions"] == 1
        waited = stats["times"][1] - stats["times"][0]
        assert 1.9 <= waited < 5  # the client slept for the server's Retry-After before asking again
    finally:
        srv.shutdown()
        srv.server_close()


def test_429_beyond_the_configured_retries_is_an_error_record() -> None:
    srv = latency_server.serve_in_thread(0.0, rate_limit_first=10, retry_after="0.01")
    try:
        summarizer = make_summarizer(model="fake", base_url=srv.url, max_retries=2)
        result = next(iter(summarize_many([_articles(1)[0]], summarizer=summarizer)))
        assert result.status == "error" and result.error is not None
        assert result.error.status_code == 429
        assert srv.stats.as_dict()["requests"] == 3  # 1 try + 2 retries, as configured
    finally:
        srv.shutdown()
        srv.server_close()


def _stats(url: str) -> dict[str, Any]:
    return dict(httpx2.get(url.removesuffix("/v1") + "/stats").json())


def _settled(url: str) -> int:
    """The server's request count once the requests of the killed process have all been answered."""
    deadline = time.monotonic() + 10
    while True:
        stats = _stats(url)
        if stats["requests"] == stats["completions"] or time.monotonic() > deadline:
            return int(stats["requests"])
        time.sleep(0.05)


def _done_in_store(path: Path) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(path, timeout=10) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM results WHERE status = 'ok'").fetchone()[0])
        except sqlite3.OperationalError:  # the table is not created yet
            return 0


def test_a_sigkilled_batch_resumes_nothing_stored_is_paid_again_in_flight_calls_rerun_at_most_the_window(
    tmp_path: Path,
) -> None:
    """SIGKILL mid-batch, then the same command again: every input ends with one ok line; what the store held is
    served, not paid again; calls in flight at the kill (paid, answer not yet stored) are paid again on the re-run.

    Those are at most the batch's window of items in flight, not its concurrency: a call's slot is freed when its
    answer arrives, before the answer is checked and stored (asummarize_many: window = max(2c, c + 4)).
    """
    n, concurrency = 40, 4
    window = max(2 * concurrency, concurrency + 4)
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _articles(n))
    store, out = tmp_path / "s.db", tmp_path / "out.jsonl"
    srv = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "latency_server.py"), "--latency", "0.15"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert srv.stdout is not None
        url = srv.stdout.readline().split()[-1]
        cmd = [sys.executable, "-m", "summarizer", "batch", str(src), "-o", str(out), "--store", str(store)]
        cmd += ["--base-url", url, "--model", "fake", "--concurrency", str(concurrency)]
        env = {**os.environ, "OPENAI_API_KEY": "sk-never-stored"}
        batch = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while _done_in_store(store) < 10:  # wait for real progress, then kill mid-batch
            assert batch.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        batch.send_signal(signal.SIGKILL)
        batch.wait(10)
        kept = _done_in_store(store)
        calls_before = _settled(url)
        assert 10 <= kept < n
        lost = calls_before - kept  # paid for, not stored: in flight at the kill
        assert 0 <= lost <= window

        rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert sorted(line["id"] for line in lines) == sorted(f"art{i}" for i in range(n))
        assert all(line["status"] == "ok" for line in lines)
        assert sum(line["cached"] for line in lines) == kept
        calls_after = _settled(url)
        assert calls_after - calls_before == n - kept  # the re-run paid only for what was not stored
        assert calls_after == n + lost  # exactly the lost in-flight calls were paid twice
        assert _done_in_store(store) == n
        assert b"sk-never-stored" not in store.read_bytes()
    finally:
        srv.kill()
        srv.wait(10)
        if srv.stdout is not None:
            srv.stdout.close()


def test_the_cli_writes_one_line_per_input_and_exits_1_on_failures(
    tmp_path: Path, server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _articles(3))
    with src.open("a") as fh:
        fh.write("{broken\n")
    out = tmp_path / "out.jsonl"
    err = io.StringIO()
    args = [
        str(src),
        "-o",
        str(out),
        "--base-url",
        server.url,
        "--model",
        "fake",
        "--price-in",
        "1",
        "--price-out",
        "2",
    ]
    assert batch_main(args, out=io.StringIO(), err=err) == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 4 and sorted(line["status"] for line in lines) == ["error", "ok", "ok", "ok"]
    tally = err.getvalue().strip().splitlines()[-1]
    assert "3 ok" in tally and "1 failed (1 InputError)" in tally and "est. cost $" in tally
    assert not Path(f"{out}.partial").exists()


def test_the_cli_budget_stop_exits_3_and_a_rerun_finishes(tmp_path: Path, server: Any) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _articles(6))
    out, store = tmp_path / "out.jsonl", tmp_path / "s.db"
    base = [str(src), "-o", str(out), "--store", str(store), "--base-url", server.url, "--model", "fake"]
    err = io.StringIO()
    assert batch_main([*base, "--max-tokens", "1", "-c", "1"], out=io.StringIO(), err=err) == 3
    assert "not started: token budget 1 spent" in err.getvalue()
    assert len(out.read_text().splitlines()) == 6
    assert batch_main(base, out=io.StringIO(), err=io.StringIO()) == 0
    assert server.stats.as_dict()["completions"] == 6


def test_cli_usage_and_configuration_errors_exit_2(tmp_path: Path) -> None:
    assert batch_main([], out=io.StringIO(), err=io.StringIO()) == 2
    assert batch_main(["--help"], out=io.StringIO(), err=io.StringIO()) == 0
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _articles(1))
    err = io.StringIO()
    args = [str(src), "-o", str(tmp_path / "o"), "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--tasks", "x"]
    assert batch_main(args, out=io.StringIO(), err=err) == 2
    assert "Unknown task" in err.getvalue()


def test_prepared_body_is_exactly_what_the_normal_path_sends(server: Any) -> None:
    article = _articles(1)[0]
    summarizer = make_summarizer(model="fake", base_url=server.url)
    sent: list[dict[str, Any]] = []

    class Recording(latency_server.Handler):  # type: ignore[name-defined,misc]
        pass

    original = latency_server.Handler.do_POST

    def record(handler: Any) -> None:
        # Peek at the body the real client sends, then answer as usual.
        length = int(handler.headers["Content-Length"])
        raw = handler.rfile.read(length)
        sent.append(json.loads(raw))
        handler.rfile = io.BytesIO(raw)
        original(handler)

    latency_server.Handler.do_POST = record
    try:
        summarizer.summarize(article)
    finally:
        latency_server.Handler.do_POST = original
    from summarizer.batch import BatchInput

    body, _ = RequestBuilder(summarizer).body(BatchInput("x", article))
    assert body == sent[0]
    assert body["response_format"] == {"type": "json_object"}
    assert "json_schema" in body["messages"][0]["content"]


def test_prepare_run_collect_round_trip_and_failures_redo_through_the_normal_path(tmp_path: Path, server: Any) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _articles(5))
    with src.open("a") as fh:
        fh.write(json.dumps({"id": "no-text"}) + "\n")
    req, res, out, store = (tmp_path / f for f in ("req.jsonl", "res.jsonl", "out.jsonl", "s.db"))
    backend = ["--base-url", server.url, "--model", "fake"]
    err = io.StringIO()
    assert batch_main(["prepare", str(src), "-o", str(req), *backend], out=io.StringIO(), err=err) == 1
    requests = [json.loads(line) for line in req.read_text().splitlines()]
    assert len(requests) == 5 and "no-text" in err.getvalue()
    assert {r["url"] for r in requests} == {"/v1/chat/completions"} and {r["method"] for r in requests} == {"POST"}
    assert server.stats.as_dict()["requests"] == 0  # preparing never calls the model

    assert (
        batch_main(["run", str(req), "-o", str(res), "--base-url", server.url], out=io.StringIO(), err=io.StringIO())
        == 0
    )
    results = [json.loads(line) for line in res.read_text().splitlines()]
    assert [r["custom_id"] for r in results] == [r["custom_id"] for r in requests]
    assert all(r["response"]["status_code"] == 200 and r["error"] is None for r in results)
    assert server.stats.as_dict()["completions"] == 5

    # Break one result (a failed request) and one answer (schema-invalid), drop a third.
    results[1] = {**results[1], "response": {"status_code": 500, "request_id": "r", "body": None}, "error": "boom"}
    body = results[2]["response"]["body"]
    body["choices"][0]["message"]["content"] = json.dumps({"title": 3})
    del results[4]
    res.write_text("".join(json.dumps(r) + "\n" for r in reversed(results)))  # any order is fine

    args = ["collect", str(req), str(res), "--source", str(src), "-o", str(out), "--store", str(store), *backend]
    assert batch_main(args, out=io.StringIO(), err=io.StringIO()) == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["art0", "art1", "art2", "art3", "art4", "no-text"]
    kinds = [line.get("error", {}).get("type") for line in lines]
    assert kinds == [None, "BatchRequestError", "OutputValidationError", None, "MissingResult", "InputError"]
    good = lines[0]["summary"]
    assert good["validation"] is not None and good["usage"]["prompt_tokens"] > 0
    assert good["quick_look"]["bullets"][0]["evidence"]  # sentence ids became spans

    # The normal path over the same store redoes exactly the three failures.
    before = server.stats.as_dict()["completions"]
    again = tmp_path / "again.jsonl"
    assert (
        batch_main([str(src), "-o", str(again), "--store", str(store), *backend], out=io.StringIO(), err=io.StringIO())
        == 1
    )
    assert server.stats.as_dict()["completions"] - before == 3
    redo = {json.loads(line)["id"]: json.loads(line) for line in again.read_text().splitlines()}
    assert redo["art0"]["cached"] and not redo["art1"]["cached"] and redo["art1"]["status"] == "ok"


def test_collect_summary_matches_the_normal_path(tmp_path: Path, server: Any) -> None:
    article = _articles(1)[0]
    summarizer: Summarizer = make_summarizer(model="fake", base_url=server.url)
    normal = summarizer.summarize(article)
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, [article])
    req, res = tmp_path / "req.jsonl", tmp_path / "res.jsonl"
    from summarizer.batchapi import collect

    backend = ["--base-url", server.url, "--model", "fake"]
    assert batch_main(["prepare", str(src), "-o", str(req), *backend], out=io.StringIO(), err=io.StringIO()) == 0
    assert (
        batch_main(["run", str(req), "-o", str(res), "--base-url", server.url], out=io.StringIO(), err=io.StringIO())
        == 0
    )
    collected = next(iter(collect(req, res, read_jsonl(src), summarizer)))
    assert collected.summary is not None
    ignore = {"latency_s", "usage"}
    assert collected.summary.model_dump(exclude=ignore) == normal.model_dump(exclude=ignore)


# -- several processes on one store, interrupted runs ---------------------------------------------------------


def _claims(path: Path) -> int:
    with sqlite3.connect(path, timeout=10) as db:
        return int(db.execute("SELECT COUNT(*) FROM claims").fetchone()[0])


def _latency_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    srv = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "latency_server.py"), "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert srv.stdout is not None
    return srv, srv.stdout.readline().split()[-1]


def _stop(srv: subprocess.Popen[str]) -> None:
    srv.kill()
    srv.wait(10)
    if srv.stdout is not None:
        srv.stdout.close()


def test_two_batch_processes_on_one_store_meet_on_claims_and_nothing_is_paid_twice(tmp_path: Path) -> None:
    """Two batches at once on one store, one reading the inputs from the end: they meet in the middle, where each
    finds items the other holds and waits on them; they share the work and no input is paid for twice.

    Shown by mutation: with Store.claim always granting (or never answering "busy"), both pay for the items in flight
    where they meet. With both reading in the same order and the second started later, the second only followed
    the first and served what it had stored: under load it never reached a held item and passed with those mutations.
    """
    n = 30
    articles = _articles(n)
    srcs = [tmp_path / "in.jsonl", tmp_path / "reversed.jsonl"]
    _write_jsonl(srcs[0], articles)
    _write_jsonl(srcs[1], articles[::-1])
    store = tmp_path / "s.db"
    # Alone, one process needs ~15 s; both start at once, as a process's start-up alone takes seconds on a loaded
    # machine (a second started once the first was under way could find every input stored already).
    srv, url = _latency_server(1.0)
    try:
        outs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
        backend = ["--base-url", url, "--model", "fake", "--concurrency", "2"]
        cmds = [
            [sys.executable, "-m", "summarizer", "batch", str(src), "-o", str(o), "--store", str(store), *backend]
            for src, o in zip(srcs, outs, strict=True)
        ]
        procs = [
            subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for cmd in cmds
        ]
        for p in procs:
            _, stderr = p.communicate(timeout=120)
            assert p.returncode == 0, stderr
        results = [[json.loads(line) for line in o.read_text().splitlines()] for o in outs]
        for lines in results:  # each process reports every input, ok
            assert sorted(line["id"] for line in lines) == sorted(f"art{i}" for i in range(n))
            assert all(line["status"] == "ok" for line in lines)
        paid = [sum(not line["cached"] for line in lines) for lines in results]
        # Both worked at once (so they met), and between them every input was paid for exactly once.
        assert min(paid) > 0 and sum(paid) == n == _settled(url), paid
        assert _claims(store) == 0
    finally:
        _stop(srv)


def test_a_claim_is_renewed_while_a_slow_call_runs(tmp_path: Path) -> None:
    """A call slower than the lease keeps its claim (the heartbeat renews it): another owner is told "busy".

    Shown by mutation: with the heartbeat not renewing, the lease lapses mid-call and the other owner gets the claim.
    """
    import threading

    from summarizer.batch import store_key
    from summarizer.store import Store, new_owner

    srv = latency_server.serve_in_thread(3.0)
    path = tmp_path / "s.db"
    article = _articles(1)[0]
    summarizer = make_summarizer(model="fake", base_url=srv.url)
    results: list[Any] = []
    worker = threading.Thread(
        target=lambda: results.extend(summarize_many([article], summarizer=summarizer, store=path, lease_s=0.6))
    )
    try:
        worker.start()
        deadline = time.monotonic() + 10
        while srv.stats.as_dict()["requests"] == 0:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1.5)  # more than twice the lease, mid-call
        with Store(path) as other:
            assert other.stats().claimed == 1
            assert other.claim(store_key(summarizer, article), new_owner()) == "busy"
        worker.join(30)
        assert results and results[0].ok
        assert srv.stats.as_dict()["completions"] == 1
    finally:
        worker.join(30)
        srv.shutdown()
        srv.server_close()


def test_ctrl_c_keeps_the_partial_file_releases_claims_and_a_rerun_finishes(tmp_path: Path) -> None:
    n = 20
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _articles(n))
    store, out = tmp_path / "s.db", tmp_path / "out.jsonl"
    out.write_text("the previous run's output\n")
    srv, url = _latency_server(0.3)
    try:
        cmd = [sys.executable, "-m", "summarizer", "batch", str(src), "-o", str(out), "--store", str(store)]
        cmd += ["--base-url", url, "--model", "fake", "--concurrency", "2"]
        batch = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while _done_in_store(store) < 4:
            assert batch.poll() is None, "the batch ended before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        batch.send_signal(signal.SIGINT)
        _, stderr = batch.communicate(timeout=30)
        assert batch.returncode == 130, stderr
        assert "interrupted" in stderr
        # The output file is not replaced by half a run; the lines written so far are in the .partial file.
        assert out.read_text() == "the previous run's output\n"
        partial = [json.loads(line) for line in Path(f"{out}.partial").read_text().splitlines()]
        assert 1 <= len(partial) < n and all(line["status"] == "ok" for line in partial)
        kept = _done_in_store(store)
        assert len(partial) <= kept < n
        assert _claims(store) == 0  # released at once, not left to expire
        before = _settled(url)
        rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert sorted(line["id"] for line in lines) == sorted(f"art{i}" for i in range(n))
        assert _settled(url) - before == n - kept
        assert not Path(f"{out}.partial").exists()
    finally:
        _stop(srv)


def test_a_consumer_that_stops_reading_releases_the_claims_and_stops_calling(tmp_path: Path) -> None:
    srv = latency_server.serve_in_thread(0.3)
    path = tmp_path / "s.db"
    try:
        summarizer = make_summarizer(model="fake", base_url=srv.url)
        results = summarize_many(_articles(20), summarizer=summarizer, store=path, concurrency=4)
        taken = [next(results) for _ in range(3)]
        assert all(r.ok for r in taken)
        results.close()  # what a `for` loop that breaks, or a dropped generator, does
        assert _claims(path) == 0
        calls = srv.stats.as_dict()["requests"]
        time.sleep(1.0)
        assert srv.stats.as_dict()["requests"] == calls  # nothing more was sent after the consumer left
        assert calls <= 3 + max(2 * 4, 4 + 4)  # the taken results and at most the window in flight when it stopped
        with sqlite3.connect(path) as db:
            stored = db.execute("SELECT COUNT(*) FROM results WHERE status = 'ok'").fetchone()[0]
        assert 3 <= stored <= calls
    finally:
        srv.shutdown()
        srv.server_close()
