"""A resumable result store for batches: one SQLite file, one row per (article, configuration) key.

Each result is committed as soon as it completes, so a batch killed at any point loses at most the items that were
in flight. Two processes may share a store: the key is UNIQUE, a finished result is never overwritten, and a
claim row (a lease with an expiry, renewed while the work runs) keeps two processes from paying for the same
article at once. Errors are stored too, but a later run retries them; results are served from the store.

Nothing secret is stored: keys hash the article and the configuration (model name, backend kind, prompt and
schema versions, tasks, policy), never an API key or a base URL (which may embed credentials).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from summarizer.schemas import SCHEMA_VERSION, Summary, Usage

#: Bumped when the table layout changes; an older file is refused rather than misread.
STORE_FORMAT = 1
#: How long a claim holds without renewal. A live batch renews its claims well before this.
DEFAULT_LEASE_S = 120.0

Claim = Literal["claimed", "done", "busy"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    item_id TEXT,
    summary TEXT,
    error_type TEXT,
    error_message TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    model TEXT,
    tries INTEGER NOT NULL DEFAULT 1,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    key TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at REAL NOT NULL
);
"""


def make_key(
    content_hash: str,
    *,
    model: str,
    backend: str,
    prompt_version: str,
    tasks: Sequence[str],
    policy: str,
    extra: dict[str, Any] | None = None,
) -> str:
    """The store key: sha256 over the cleaned text's hash and every setting that changes the result."""
    parts = {
        "text": content_hash,
        "model": model,
        "backend": backend,
        "prompt": prompt_version,
        "schema": SCHEMA_VERSION,
        "tasks": list(tasks),
        "policy": policy,
        "extra": extra or {},
    }
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class Stored:
    """A finished row: a summary (status "ok") or an error record, with the usage it cost."""

    key: str
    status: Literal["ok", "error"]
    item_id: str | None
    summary_json: str | None
    error_type: str | None
    error_message: str | None
    usage: Usage
    tries: int

    def summary(self) -> Summary:
        """The stored Summary (only for status "ok")."""
        if self.summary_json is None:
            raise ValueError(f"store row {self.key[:12]} holds an error, not a summary")
        return Summary.model_validate_json(self.summary_json)


@dataclass(frozen=True)
class Stats:
    """Counts over the whole store."""

    ok: int
    errors: int
    claimed: int
    prompt_tokens: int
    completion_tokens: int


def new_owner() -> str:
    """A claim owner id: host, pid and a nonce (so a dead process's claims can be recognised and taken over)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_dead(owner: str) -> bool:
    """True when ``owner`` names a process on this host that no longer runs (e.g. a batch killed with SIGKILL)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine: only the lease expiry can free it
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


class Store:
    """The SQLite result store (WAL mode, short transactions, a busy timeout for concurrent writers)."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_s: float = 30.0) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a claim's read-then-write is atomic.
        self._db = sqlite3.connect(self.path, timeout=busy_timeout_s, isolation_level=None)
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        self._wal(busy_timeout_s)
        # NORMAL in WAL mode survives a killed process (the WAL is in the OS cache); only power loss can cost
        # the last commits, which a re-run then redoes. FULL would fsync every result.
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._init_schema()

    def _wal(self, timeout_s: float) -> None:
        # Switching a new file to WAL takes an exclusive lock without waiting on the busy timeout: two processes
        # opening the same new store at once would see "database is locked", so the switch is retried.
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _init_schema(self) -> None:
        with self._tx():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            row = self._db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta (name, value) VALUES ('format', ?)", (str(STORE_FORMAT),))
            elif int(row[0]) != STORE_FORMAT:
                raise ValueError(
                    f"{self.path} is a result store of format {row[0]}; this version reads format {STORE_FORMAT}. "
                    "Use a new --store file."
                )

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection (results are already committed)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reads ------------------------------------------------------------------------------------

    def get(self, key: str) -> Stored | None:
        """The stored row for ``key`` (a result or an error record), if any."""
        row = self._db.execute(
            "SELECT key, status, item_id, summary, error_type, error_message, prompt_tokens, completion_tokens,"
            " attempts, tries FROM results WHERE key = ?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        return Stored(
            key=row[0],
            status=row[1],
            item_id=row[2],
            summary_json=row[3],
            error_type=row[4],
            error_message=row[5],
            usage=Usage(prompt_tokens=row[6], completion_tokens=row[7], attempts=row[8]),
            tries=row[9],
        )

    def result(self, key: str) -> Stored | None:
        """The finished result for ``key`` (status "ok"), or None: error records do not count, they are retried."""
        stored = self.get(key)
        return stored if stored is not None and stored.status == "ok" else None

    def stats(self) -> Stats:
        """Counts of results, errors and live claims, and the tokens stored results cost."""
        ok, errors, pt, ct = self._db.execute(
            "SELECT COALESCE(SUM(status = 'ok'), 0), COALESCE(SUM(status = 'error'), 0),"
            " COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0) FROM results"
        ).fetchone()
        claimed = self._db.execute("SELECT COUNT(*) FROM claims WHERE expires_at > ?", (time.time(),)).fetchone()[0]
        return Stats(ok=ok, errors=errors, claimed=claimed, prompt_tokens=pt, completion_tokens=ct)

    def keys(self, status: Literal["ok", "error"] | None = None) -> list[str]:
        """Every key in the store (optionally of one status)."""
        if status is None:
            return [r[0] for r in self._db.execute("SELECT key FROM results ORDER BY key")]
        return [r[0] for r in self._db.execute("SELECT key FROM results WHERE status = ? ORDER BY key", (status,))]

    # -- claims -----------------------------------------------------------------------------------

    def claim(self, key: str, owner: str, *, lease_s: float = DEFAULT_LEASE_S) -> Claim:
        """Take the lease on ``key``: "done" if a result exists, "busy" if a live process holds it, else "claimed"."""
        now = time.time()
        with self._tx() as db:
            if db.execute("SELECT 1 FROM results WHERE key = ? AND status = 'ok'", (key,)).fetchone():
                return "done"
            row = db.execute("SELECT owner, expires_at FROM claims WHERE key = ?", (key,)).fetchone()
            if row is not None and row[0] != owner and row[1] > now and not _owner_dead(row[0]):
                return "busy"
            db.execute(
                "INSERT INTO claims (key, owner, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at",
                (key, owner, now + lease_s),
            )
            return "claimed"

    def renew(self, owner: str, *, lease_s: float = DEFAULT_LEASE_S) -> int:
        """Extend every claim ``owner`` holds (a heartbeat while slow calls run); return how many."""
        with self._tx() as db:
            cur = db.execute("UPDATE claims SET expires_at = ? WHERE owner = ?", (time.time() + lease_s, owner))
            return cur.rowcount

    def release(self, key: str, owner: str) -> None:
        """Give up a claim without a result (e.g. the budget ran out before the call)."""
        with self._tx() as db:
            db.execute("DELETE FROM claims WHERE key = ? AND owner = ?", (key, owner))

    def release_all(self, owner: str) -> None:
        """Give up every claim ``owner`` still holds (end of a run, or an interrupted one)."""
        with self._tx() as db:
            db.execute("DELETE FROM claims WHERE owner = ?", (owner,))

    # -- writes -----------------------------------------------------------------------------------

    def put_result(self, key: str, summary: Summary, *, item_id: str | None, owner: str | None = None) -> bool:
        """Commit a finished summary; return False when another process had already stored one (kept as is)."""
        usage = summary.usage
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO results (key, status, item_id, summary, prompt_tokens, completion_tokens, attempts,"
                " model, updated_at) VALUES (?, 'ok', ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET status = 'ok', item_id = excluded.item_id,"
                " summary = excluded.summary, error_type = NULL, error_message = NULL,"
                " prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,"
                " attempts = excluded.attempts, model = excluded.model, tries = results.tries + 1,"
                " updated_at = excluded.updated_at"
                " WHERE results.status = 'error'",  # a finished result is never replaced (first writer wins)
                (
                    key,
                    item_id,
                    summary.model_dump_json(),
                    usage.prompt_tokens,
                    usage.completion_tokens,
                    usage.attempts,
                    summary.model,
                    time.time(),
                ),
            )
            if owner is not None:
                db.execute("DELETE FROM claims WHERE key = ? AND owner = ?", (key, owner))
            return cur.rowcount > 0

    def put_error(
        self,
        key: str,
        *,
        error_type: str,
        message: str,
        item_id: str | None,
        usage: Usage | None = None,
        owner: str | None = None,
    ) -> bool:
        """Record a failure (retried on the next run); never replaces a finished result."""
        usage = usage or Usage()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO results (key, status, item_id, error_type, error_message, prompt_tokens,"
                " completion_tokens, attempts, updated_at) VALUES (?, 'error', ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET item_id = excluded.item_id, error_type = excluded.error_type,"
                " error_message = excluded.error_message,"
                " prompt_tokens = results.prompt_tokens + excluded.prompt_tokens,"
                " completion_tokens = results.completion_tokens + excluded.completion_tokens,"
                " attempts = results.attempts + excluded.attempts, tries = results.tries + 1,"
                " updated_at = excluded.updated_at"
                " WHERE results.status = 'error'",
                (
                    key,
                    item_id,
                    error_type,
                    message,
                    usage.prompt_tokens,
                    usage.completion_tokens,
                    usage.attempts,
                    time.time(),
                ),
            )
            if owner is not None:
                db.execute("DELETE FROM claims WHERE key = ? AND owner = ?", (key, owner))
            return cur.rowcount > 0
