"""The SQLite result store: real files, real concurrent processes."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import multiprocessing
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.schemas import SCHEMA_VERSION, SourceInfo, Summary, Usage
from summarizer.store import DEFAULT_LEASE_S, Stats, Store, Stored, make_key, new_owner


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
    with pytest.raises(ValueError, match=r"format 99; this version reads format 1\. Use a new --store file\.$"):
        Store(tmp_path / "s.db")


def _writer(path: str, worker: int, n: int, go: Any, paid_log: str) -> None:
    """Claim each key in turn and "pay" for the ones granted: a 2 ms call, logged with its time, then the result."""
    store = Store(path)
    owner = new_owner()
    paid: list[tuple[float, str]] = []
    go.wait(30)  # both workers, each with its store open, start together, so they really contend for the same keys
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
    # A barrier, not an event set right after start(): a spawned worker takes a second to import, and the first
    # one would otherwise have claimed every key before the second began.
    go = ctx.Barrier(2)
    logs = [str(tmp_path / f"paid{w}.json") for w in range(2)]
    procs = [ctx.Process(target=_writer, args=(path, w, 200, go, logs[w])) for w in range(2)]
    for p in procs:
        p.start()
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


# -- what mutation testing (bench/mutation.py store) showed untested ----------------------------------------------


def test_the_key_is_the_documented_digest_so_a_new_version_still_finds_old_results() -> None:
    # A key that drifts between versions (a renamed field, other separators) silently re-pays every stored article.
    parts = {
        "text": "h",
        "model": "m",
        "backend": "compatible",
        "prompt": "p1",
        "schema": SCHEMA_VERSION,
        "tasks": ["brief"],
        "policy": "report",
        "extra": {},
    }
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    assert _key() == hashlib.sha256(blob.encode()).hexdigest()
    parts["extra"] = {"published_at": "2025-04-18"}
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    assert _key(extra={"published_at": "2025-04-18"}) == hashlib.sha256(blob.encode()).hexdigest()


def test_every_field_of_a_stored_row_reads_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        usage = Usage(prompt_tokens=5, completion_tokens=7, attempts=2)
        key = "e" * 20
        store.put_error(key, error_type="LLMError", message="HTTP 500", item_id="a", usage=usage)
        store.put_error(key, error_type="TimeoutError", message="slow", item_id="b", usage=usage)
        row = store.get(key)
        assert row == Stored(
            key=key,
            status="error",
            item_id="b",
            summary_json=None,
            error_type="TimeoutError",
            error_message="slow",
            usage=Usage(prompt_tokens=10, completion_tokens=14, attempts=4),  # summed over the tries
            tries=2,
        )
        with pytest.raises(ValueError, match=r"^store row e{12} holds an error, not a summary$"):
            row.summary()
        store.put_result("k", _summary(tokens=123), item_id="x")
        ok = store.get("k")
        assert ok is not None and ok.status == "ok" and ok.item_id == "x" and ok.tries == 1
        assert ok.error_type is None and ok.error_message is None
        assert ok.usage == Usage(prompt_tokens=123, completion_tokens=10, attempts=1)
        assert store.get("missing") is None and store.result(key) is None


def test_stats_count_results_errors_live_claims_and_tokens(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.stats() == Stats(ok=0, errors=0, claimed=0, prompt_tokens=0, completion_tokens=0)
        store.put_result("a", _summary(tokens=100), item_id="a")
        store.put_result("b", _summary(tokens=50), item_id="b")
        store.put_error("c", error_type="LLMError", message="x", item_id="c", usage=Usage(prompt_tokens=3))
        store.claim("d", new_owner())
        store.claim("e", new_owner(), lease_s=-1)  # expired: not counted
        assert store.stats() == Stats(ok=2, errors=1, claimed=1, prompt_tokens=153, completion_tokens=20)
        assert store.keys() == ["a", "b", "c"]
        assert store.keys("ok") == ["a", "b"] and store.keys("error") == ["c"]


def test_release_and_a_result_drop_only_their_owners_claim(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        me, other = new_owner(), new_owner()
        store.claim("k", me)
        store.release("k", other)
        store.put_result("k", _summary(), item_id="a", owner=other)
        store.put_error("j", error_type="E", message="m", item_id="j", owner=other)
        with sqlite3.connect(tmp_path / "s.db") as db:
            assert db.execute("SELECT key, owner FROM claims").fetchall() == [("k", me)]
        store.claim("j", me)
        store.put_error("j", error_type="E", message="m", item_id="j", owner=me)
        store.claim("m", me)
        store.put_result("m", _summary(), item_id="m", owner=me)
        store.release_all(other)
        assert store.stats().claimed == 1  # only "k": j and m went with their outcome
        store.release_all(me)
        assert store.stats().claimed == 0


def test_a_claim_lasts_its_lease_and_renew_resets_it(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        me = new_owner()
        before = time.time()
        store.claim("k", me)
        store.claim("j", me, lease_s=10)
        with sqlite3.connect(tmp_path / "s.db") as db:
            expiry = dict(db.execute("SELECT key, expires_at FROM claims").fetchall())
        assert before + DEFAULT_LEASE_S <= expiry["k"] <= time.time() + DEFAULT_LEASE_S
        assert before + 10 <= expiry["j"] <= time.time() + 10
        assert store.renew(me, lease_s=1000) == 2 and store.renew(new_owner()) == 0
        with sqlite3.connect(tmp_path / "s.db") as db:
            assert all(e >= before + 1000 for (e,) in db.execute("SELECT expires_at FROM claims"))


def test_an_owner_is_only_dead_when_its_pid_is_gone_on_this_host(tmp_path: Path) -> None:
    host = new_owner().split(":")[0]
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    try:
        with Store(tmp_path / "s.db") as store:
            me = new_owner()
            assert store.claim("mine", me) == "claimed"
            assert store.claim("mine", me) == "claimed"  # the holder may claim again (a retry)
            for owner in (f"{host}:{os.getpid()}:me", f"{host}:{live.pid}:x", f"{host}:pid:x", host):
                # this process, a live one and malformed ids: never taken over before the lease ends
                key = f"k-{owner}"
                assert store.claim(key, owner, lease_s=3600) == "claimed"
                assert store.claim(key, me) == "busy", owner
            with pytest.raises(subprocess.TimeoutExpired):
                live.wait(0.3)  # looking did not signal it
            # The pid is the second field whatever follows it.
            assert store.claim("d", f"{host}:{int(gone.stdout)}", lease_s=3600) == "claimed"
            assert store.claim("d", me) == "claimed"
    finally:
        live.kill()
        live.wait()


def test_a_store_in_a_missing_folder_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "s.db"
    Store(path).close()
    assert path.is_file()


def test_a_write_waits_for_another_writers_lock_up_to_the_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path, busy_timeout_s=5) as patient, Store(path, busy_timeout_s=0.05) as hasty:
        holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another process mid-transaction
        threading.Timer(0.5, lambda: holder.execute("COMMIT")).start()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            hasty.claim("k", new_owner())
        started = time.monotonic()
        assert patient.claim("k", new_owner()) == "claimed"  # waited for the lock instead of failing
        assert 0.2 < time.monotonic() - started < 5
    holder.close()


def test_a_key_accepts_extra_settings_that_are_not_json(tmp_path: Path) -> None:
    assert _key(extra={"published_at": dt.date(2025, 4, 18)}) == _key(extra={"published_at": "2025-04-18"})


def test_an_owner_id_names_host_pid_and_a_nonce() -> None:
    owner = new_owner()
    assert re.fullmatch(rf"{re.escape(socket.gethostname())}:{os.getpid()}:[0-9a-f]{{8}}", owner), owner
    assert new_owner() != owner


def test_put_error_says_whether_it_stored_the_error(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.put_error("k", error_type="E", message="m", item_id="a") is True
        assert store.put_error("k", error_type="E", message="again", item_id="a") is True  # a retry's error
        assert store.put_result("k", _summary(), item_id="a") is True
        assert store.put_error("k", error_type="E", message="late", item_id="a") is False
