"""SIGTERM, SIGINT and SIGKILL of a running ``summarizer brief`` and ``summarizer batch`` on the local backend.

Real processes: the CLI, and its model server: tests/fake_llama_server.py under summarizer.serve's watchdog (fast),
and the embedded llama.cpp server itself (``local_model``). After each signal no server is left at work (a server of
the CLI's own has ended; the shared one is idle until its timeout), and a batch's store is intact and resumable.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from summarizer.store import Store
from tests.conftest import ARTICLES, SEED_000, SEED_001, long_paragraphs
from tests.local_env import (
    FakeLocal,
    alive,
    cpu_seconds,
    inflight,
    make_fake_local,
    model_server_of,
    real_local_env,
    wait_for,
)

pytestmark = pytest.mark.slow

EXPECTED = {signal.SIGTERM: 143, signal.SIGINT: 130, signal.SIGKILL: -signal.SIGKILL}
SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGKILL]


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_signalled_brief_leaves_no_server(tmp_path: Path, signum: int) -> None:
    fake = make_fake_local(tmp_path, latency=60)
    cli = fake.cli("brief", str(SEED_000), "--published", "2025-04-18")
    try:
        server = fake.server_pid(cli)
        wait_for(lambda: fake.requests() == 1, 20, "the brief's model call")
        cli.send_signal(signum)
        _, stderr = cli.communicate(timeout=20)
        assert cli.returncode == EXPECTED[signum], stderr
        if signum == signal.SIGTERM:
            assert "terminated (SIGTERM)" in stderr
        if signum == signal.SIGINT:
            assert "interrupted" in stderr
        wait_for(lambda: not alive(server), 5, "the model server to end with its parent")
        assert fake.requests("end") == 0  # it was stopped mid-answer, not left to finish
    finally:
        cli.kill()
        cli.communicate()


def _articles(path: Path, n: int) -> list[str]:
    seeds = sorted(ARTICLES.glob("*.txt"))
    ids = []
    with path.open("w") as fh:
        for i in range(n):
            text = seeds[i % len(seeds)].read_text() + f"\nUpdate {i}: the count rose to {i}."
            fh.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
            ids.append(f"a{i}")
    return ids


def _ok_rows(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store, timeout=10) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM results WHERE status = 'ok'").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_signalled_batch_leaves_no_server_and_resumes(tmp_path: Path, signum: int) -> None:
    fake: FakeLocal = make_fake_local(tmp_path, latency=1.0)
    src, out, store = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s.db"
    ids = _articles(src, 6)
    cli = fake.cli("batch", str(src), "-o", str(out), "--store", str(store))
    try:
        server = fake.server_pid(cli)
        wait_for(lambda: _ok_rows(store) >= 2 and fake.requests() > fake.requests("end"), 30, "a call in flight")
        cli.send_signal(signum)
        _, stderr = cli.communicate(timeout=20)
    finally:
        cli.kill()
        cli.communicate()
    assert cli.returncode == EXPECTED[signum], stderr
    wait_for(lambda: not alive(server), 5, "the model server to end with its parent")
    kept = _ok_rows(store)
    assert 2 <= kept < len(ids)
    partial = Path(f"{out}.partial")
    if signum != signal.SIGKILL:
        # A normal exit: the finished lines are kept, the claims of the cancelled items are given back.
        lines = [json.loads(line) for line in partial.read_text().splitlines()]
        assert len(lines) == kept and all(line["status"] == "ok" for line in lines)
        assert f"{out}.partial" in stderr and "re-run with the same --store" in stderr
        with Store(store) as db:
            assert db.stats().claimed == 0
    assert not out.exists()

    fake.env["FAKE_LLAMA_LATENCY"] = "0"
    fake.retrace("rerun")
    rerun = fake.cli("batch", str(src), "-o", str(out), "--store", str(store))
    _, stderr = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == ids
    assert all(line["status"] == "ok" for line in lines)
    assert sum(line["cached"] for line in lines) == kept
    assert fake.requests("end") == len(ids) - kept  # the re-run paid only for what was not stored


# -- the real embedded model ---------------------------------------------------------------------------------------
# The same cases on llama.cpp itself: its server under the watchdog, a real prompt being evaluated when the signal
# lands. SUMMARIZER_SERVER_IDLE=0 gives the CLI a server of its own, which must end with it; otherwise the CLI uses
# the cache folder's shared server, which by design outlives it until its idle timeout, and must stop computing
# the answer nobody will read. Each case has its own cache folder: the user's shared server is never touched.

#: The shared server's idle timeout in these tests: long enough to bridge the start-up of the next CLI, short
#: enough to watch it end by itself.
SHARED_IDLE_S = 15.0
#: CPU the shared server may use per second once its client is gone (a busy model thread uses ~2).
IDLE_CPU_SHARE = 0.1


def _cpu_share(pid: int, seconds: float = 3.0) -> float:
    """CPU seconds per second ``pid`` uses over the next ``seconds``."""
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds


def _after_the_signal(mode: str, pid: int, port: int) -> str:
    """Assert what must be left of the model server once its CLI has ended; say what was left, for the report."""
    if mode == "own":
        wait_for(lambda: not alive(pid), 10, "the CLI's own model server to end with it")
        return "nothing"
    assert alive(pid), "the shared server is meant to outlive its client until its idle timeout"
    wait_for(lambda: inflight(port) == 0, 10, "the shared server to abandon the answer of the client that went")
    share = _cpu_share(pid)
    assert share < IDLE_CPU_SHARE, f"the shared server still computes: {share:.2f} CPU seconds a second"
    return f"the shared server, idle ({share:.0%} CPU)"


def _idles_out(home: Path, pid: int) -> None:
    """The shared server ends by itself after its idle timeout, and takes its record with it."""
    wait_for(lambda: not alive(pid), SHARED_IDLE_S + 15, "the shared server to stop after its idle timeout")
    assert not (home / "run" / "server.json").exists()


def _while(cli: subprocess.Popen[str], predicate: Callable[[], bool]) -> Callable[[], bool]:
    """``predicate``, failing at once (with the CLI's stderr) if the CLI has ended before it came true."""

    def check() -> bool:
        if cli.poll() is not None:
            raise AssertionError(f"the CLI ended with {cli.returncode}: {cli.communicate()[1][-2000:]}")
        return predicate()

    return check


def _real_env(tmp_path: Path, mode: str) -> dict[str, str]:
    return real_local_env(tmp_path, idle="0" if mode == "own" else f"{SHARED_IDLE_S:g}")


def _real_cli(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "summarizer", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


# On the real model each case loads it and runs part of a brief: about a minute each on 2 cores. Every signal and
# mode is covered here once on the real server (the fast tests above run all nine signal/command pairs on
# tests/fake_llama_server.py under the same watchdog), so that `make test` stays well under its time budget.
@pytest.mark.local_model
@pytest.mark.parametrize(
    ("signum", "mode"),
    [(signal.SIGKILL, "own"), (signal.SIGINT, "own"), (signal.SIGTERM, "shared")],
    ids=["SIGKILL-own", "SIGINT-own", "SIGTERM-shared"],
)
def test_a_signalled_brief_on_the_embedded_model_leaves_no_server_at_work(
    tmp_path: Path, signum: int, mode: str
) -> None:
    env = _real_env(tmp_path, mode)
    cli = _real_cli(env, "brief", str(SEED_000), "--published", "2025-04-18")
    try:
        pid, port = model_server_of(cli)
        wait_for(_while(cli, lambda: inflight(port) == 1), 60, "the brief's model call")
        time.sleep(3)  # mid-prompt: seed 000's ~1,800 tokens take ~20 s to evaluate on 2 cores
        cli.send_signal(signum)
        stdout, stderr = cli.communicate(timeout=30)
    finally:
        cli.kill()
        cli.communicate()
    assert cli.returncode == EXPECTED[signum], stderr
    assert not stdout  # no half brief on stdout
    left = _after_the_signal(mode, pid, port)
    print(f"\nCASE brief {signal.Signals(signum).name} {mode}: exit {cli.returncode}; left: {left}")
    if mode == "shared":
        _idles_out(tmp_path / "home", pid)


def _short_articles(path: Path, n: int) -> list[str]:
    """``n`` distinct short articles (seed 001's first two paragraphs: seconds a brief, not a minute) as batch input."""
    short = long_paragraphs(SEED_001)
    assert short.startswith("PARIS, April 18")
    ids = []
    with path.open("w") as fh:
        for i in range(n):
            text = short + f"\n\nUpdate {i}: the count rose to {i}."
            fh.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
            ids.append(f"a{i}")
    return ids


def _rows(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store, timeout=10) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


@pytest.mark.local_model
@pytest.mark.parametrize(
    ("signum", "mode"),
    [(signal.SIGTERM, "own"), (signal.SIGKILL, "own")],
    ids=["SIGTERM-own", "SIGKILL-own"],
)
def test_a_signalled_batch_on_the_embedded_model_leaves_its_store_resumable(
    tmp_path: Path, signum: int, mode: str
) -> None:
    env = _real_env(tmp_path, mode)
    src, out, store = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s.db"
    ids = _short_articles(src, 2)
    args = ("batch", str(src), "-o", str(out), "--store", str(store), "--tasks", "brief")
    cli = _real_cli(env, *args)
    try:
        pid, port = model_server_of(cli)
        # The second item's call is out: one result stored, one in flight.
        wait_for(
            _while(cli, lambda: _rows(store) == 1 and inflight(port) == 1),
            900,  # a short brief takes seconds on 2 quiet cores, minutes on a loaded machine
            "the first item stored, the second in flight",
        )
        cli.send_signal(signum)
        _, stderr = cli.communicate(timeout=30)
    finally:
        cli.kill()
        cli.communicate()
    assert cli.returncode == EXPECTED[signum], stderr
    left = _after_the_signal(mode, pid, port)
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _rows(store) == 1 and _ok_rows(store) == 1  # the first brief, whole; nothing of the second
    if signum != signal.SIGKILL:
        lines = [json.loads(line) for line in Path(f"{out}.partial").read_text().splitlines()]
        assert [line["id"] for line in lines] == ["a0"]
        assert "re-run with the same --store" in stderr
        with Store(store) as db:
            assert db.stats().claimed == 0  # the cancelled item's claim was given back
    assert not out.exists()

    rerun = _real_cli(env, *args)
    try:
        _, stderr = rerun.communicate(timeout=900)
    finally:
        rerun.kill()
        rerun.communicate()
    assert rerun.returncode in (0, 1), stderr  # 1: the model's brief of an item failed its check, still stored
    if mode == "shared":
        # The re-run found the same server (no second model load): it is still the one on record.
        assert json.loads((tmp_path / "home" / "run" / "server.json").read_text())["pid"] == pid
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == ids
    assert [line["cached"] for line in sorted(lines, key=lambda line: line["id"])] == [True, False]
    print(
        f"\nCASE batch {signal.Signals(signum).name} {mode}: exit {cli.returncode}; left: {left}; "
        f"store: 1 of 2 rows, integrity ok; resumed: exit {rerun.returncode}, 1 cached + 1 new"
    )
    if mode == "shared":
        _idles_out(tmp_path / "home", pid)
