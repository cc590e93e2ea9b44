"""SIGTERM, SIGINT and SIGKILL of a running ``summarizer brief`` and ``summarizer batch`` on the local backend.

Real processes: the CLI, and its model server (tests/fake_llama_server.py under summarizer.serve's watchdog, as
llama.cpp would run). After each signal no server is left, and a batch's store is intact and resumable.
"""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

import pytest

from summarizer.store import Store
from tests.conftest import ARTICLES, SEED_000
from tests.local_env import FakeLocal, alive, make_fake_local, wait_for

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
