"""The SQLite result store: real files, real concurrent processes."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.schemas import SourceInfo, Summary, Usage
from summarizer.store import Store, make_key, new_owner


def _summary(text: str = "Text.", tokens: int = 100) -> Summary:
    return Summary(
        article=SourceInfo(content_hash="h", text=text),
        model="m",
        backend="compatible",
        prompt_version="p1",
        usage=Usage(prompt_tokens=tokens, completion_tokens=10, attempts=1),
    )


def _key(text: str = "h", **kw: object) -> str:
    args: dict[str, object] = {
        "model": "m",
        "backend": "compatible",
        "prompt_version": "p1",
        "tasks": ["brief"],
        "policy": "report",
    }
    args.update(kw)
    return make_key(text, **args)  # type: ignore[arg-type]


def test_the_key_changes_with_every_setting_that_changes_the_result() -> None:
    base = _key()
    assert _key() == base
    variants = [
        _key("other"),
        _key(model="m2"),
        _key(backend="openai"),
        _key(prompt_version="p2"),
        _key(tasks=["brief", "claims"]),
        _key(policy="drop"),
        _key(extra={"published_at": "2025-04-18"}),
    ]
    assert base not in variants and len(set(variants)) == len(variants)


def test_results_survive_reopening_and_usage_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        assert store.put_result("k1", _summary(tokens=123), item_id="a")
    with Store(path) as store:
        stored = store.result("k1")
        assert stored is not None and stored.item_id == "a"
        assert stored.usage.prompt_tokens == 123
        assert stored.summary().article.text == "Text."
        assert store.stats().ok == 1


def test_a_finished_result_is_never_overwritten(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.put_result("k", _summary("first"), item_id="a")
        assert not store.put_result("k", _summary("second"), item_id="b")
        assert not store.put_error("k", error_type="LLMError", message="late failure", item_id="c")
        stored = store.result("k")
        assert stored is not None and stored.summary().article.text == "first"


def test_errors_are_kept_but_not_served_and_a_later_result_replaces_them(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.put_error("k", error_type="LLMError", message="HTTP 500", item_id="a", usage=Usage(prompt_tokens=5))
        assert store.result("k") is None
        row = store.get("k")
        assert row is not None and row.status == "error" and row.error_message == "HTTP 500"
        assert store.claim("k", new_owner()) == "claimed"  # an error is retried
        assert store.put_result("k", _summary(), item_id="a")
        row = store.get("k")
        assert row is not None and row.status == "ok" and row.tries == 2


def test_claims_keep_a_second_owner_out_until_released_or_expired(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        me, other = new_owner(), new_owner()
        assert store.claim("k", me) == "claimed"
        assert store.claim("k", other) == "busy"
        store.release("k", me)
        assert store.claim("k", other) == "claimed"
        assert store.claim("x", me, lease_s=-1) == "claimed"  # already expired
        assert store.claim("x", other) == "claimed"
        store.put_result("k", _summary(), item_id="a", owner=other)
        assert store.claim("k", me) == "done"


def test_a_dead_process_claim_is_taken_over_at_once(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(proc.stdout)
    host = new_owner().split(":")[0]
    with Store(tmp_path / "s.db") as store:
        assert store.claim("k", f"{host}:{dead_pid}:abcd", lease_s=3600) == "claimed"
        assert store.claim("k", new_owner()) == "claimed"
        # A claim from another machine is only freed by its expiry.
        assert store.claim("j", f"elsewhere:{dead_pid}:abcd", lease_s=3600) == "claimed"
        assert store.claim("j", new_owner()) == "busy"


def test_renew_extends_only_the_owners_claims(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        me = new_owner()
        store.claim("a", me, lease_s=0.5)
        store.claim("b", new_owner(), lease_s=0.5)
        assert store.renew(me, lease_s=3600) == 1
        store.release_all(me)
        assert store.claim("a", new_owner()) == "claimed"


def test_the_file_is_in_wal_mode(tmp_path: Path) -> None:
    Store(tmp_path / "s.db").close()
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_unknown_store_format_is_refused(tmp_path: Path) -> None:
    Store(tmp_path / "s.db").close()
    with sqlite3.connect(tmp_path / "s.db") as db:
        db.execute("UPDATE meta SET value = '99' WHERE name = 'format'")
    with pytest.raises(ValueError, match="format 99"):
        Store(tmp_path / "s.db")


def _writer(path: str, worker: int, n: int, go: Any, paid_log: str) -> None:
    """Claim each key in turn and "pay" for the ones granted: a 2 ms call, logged with its time, then the result."""
    store = Store(path)
    owner = new_owner()
    paid: list[tuple[float, str]] = []
    go.wait(30)  # both workers start together, so they really contend for the same keys
    for i in range(n):
        key = f"k{i}"
        if store.claim(key, owner) == "claimed":
            paid.append((time.time(), key))
            time.sleep(0.002)
            store.put_result(key, _summary(f"w{worker}"), item_id=str(i), owner=owner)
    store.close()
    Path(paid_log).write_text(json.dumps(paid))


def test_two_processes_on_one_store_overlap_and_claims_keep_them_from_paying_twice(tmp_path: Path) -> None:
    """Shown by mutation: with Store.claim always answering "claimed", 400 calls are paid for 200 keys."""
    path = str(tmp_path / "s.db")
    Store(path).close()
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    logs = [str(tmp_path / f"paid{w}.json") for w in range(2)]
    procs = [ctx.Process(target=_writer, args=(path, w, 200, go, logs[w])) for w in range(2)]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    paid = [[(t, key, w) for t, key in json.loads(Path(log).read_text())] for w, log in enumerate(logs)]
    calls = sorted(paid[0] + paid[1])
    # The workers overlapped: each paid for a share, and their calls interleave in time.
    assert min(len(paid[0]), len(paid[1])) >= 20, [len(p) for p in paid]
    switches = sum(1 for a, b in itertools.pairwise(calls) if a[2] != b[2])
    assert switches >= 10, switches
    # Claims, not the primary key, kept the work single: every key was paid for exactly once.
    assert sorted(key for _, key, _ in calls) == sorted(f"k{i}" for i in range(200))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM results").fetchone() == (200, 200)
        assert db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0
        winners = dict(db.execute("SELECT key, summary FROM results").fetchall())
    # Each stored result is the one its payer wrote.
    for _, key, w in calls:
        assert json.loads(winners[key])["article"]["text"] == f"w{w}"
