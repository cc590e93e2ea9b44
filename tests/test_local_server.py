"""LocalServer's start and stop against a tiny fake ``llama_cpp.server`` (a real child process on 127.0.0.1): a server
that exits early, one that never answers, and one that ignores SIGTERM and must be killed.

The fake package is put first on the child's PYTHONPATH, so LocalServer runs its usual command line unchanged.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer import local
from summarizer.errors import LocalModelError

FAKE_SERVER = textwrap.dedent(
    '''
    """A stand-in for llama_cpp.server: its behaviour is chosen by FAKE_LLAMA_MODE."""
    import argparse, json, os, signal, sys, time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    parser = argparse.ArgumentParser()
    for flag in ("--model", "--model_alias", "--host", "--port", "--n_ctx", "--n_threads", "--verbose"):
        parser.add_argument(flag)
    args = parser.parse_args()
    mode = os.environ["FAKE_LLAMA_MODE"]
    with open(os.environ["FAKE_LLAMA_PIDFILE"], "w") as fh:
        fh.write(str(os.getpid()))
    print(f"fake llama server, mode {mode}, model {args.model}", flush=True)
    if mode == "exit":
        print("error: failed to load model: bad magic", flush=True)
        sys.exit(3)
    if mode == "silent":
        time.sleep(600)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, lambda *a: print("SIGTERM ignored", flush=True))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"data": [{"id": args.model_alias}]}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    HTTPServer((args.host, int(args.port)), Handler).serve_forever()
    '''
)


@pytest.fixture
def fake_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A verified fake model file and a fake llama_cpp.server first on the child's path; returns the pid file."""
    package = tmp_path / "fake" / "llama_cpp" / "server"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(FAKE_SERVER)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path / "fake"), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("SUMMARIZER_HOME", str(tmp_path / "home"))
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF" + bytes(range(256)) * 400)
    monkeypatch.setenv("SUMMARIZER_MODEL_PATH", str(weights))
    monkeypatch.setattr(local, "MODEL_SIZE", weights.stat().st_size)
    monkeypatch.setattr(local, "MODEL_SHA256", hashlib.sha256(weights.read_bytes()).hexdigest())
    monkeypatch.setattr(local, "MODEL_SPOT_SHA256", local.spot_digest(weights))
    local.verify()
    pidfile = tmp_path / "server.pid"
    monkeypatch.setenv("FAKE_LLAMA_PIDFILE", str(pidfile))
    return pidfile


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): only a process that is not reaped-and-gone or a zombie counts.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[1][0] != "Z"


@pytest.fixture
def server() -> Iterator[local.LocalServer]:
    srv = local.LocalServer(threads=1)
    yield srv
    if srv.process is not None and srv.process.poll() is None:  # never leave a child behind
        srv.process.kill()
        srv.process.wait()


def _started(server: local.LocalServer, monkeypatch: pytest.MonkeyPatch, mode: str) -> subprocess.Popen[bytes]:
    """Start ``server`` on the fake engine in ``mode``; return its child process."""
    monkeypatch.setenv("FAKE_LLAMA_MODE", mode)
    server.start(timeout=30)
    assert server.process is not None
    return server.process


def test_a_server_that_exits_early_is_reported_with_its_code_and_log(
    fake_engine: Path, server: local.LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_LLAMA_MODE", "exit")
    started = time.monotonic()
    with pytest.raises(LocalModelError, match="exited with code 3") as info:
        server.start(timeout=30)
    assert time.monotonic() - started < 15  # noticed at once, not after the timeout
    assert "failed to load model: bad magic" in str(info.value)  # the log tail says why
    assert server.log_path.exists()  # a crash keeps its log


def test_a_server_that_never_answers_times_out_and_is_stopped(
    fake_engine: Path, server: local.LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_LLAMA_MODE", "silent")
    with pytest.raises(LocalModelError, match="did not answer within 10s") as info:
        # 2 s and then 5 s were too short for the fake engine to print its first line on a loaded 2-core machine.
        server.start(timeout=10)
    assert "mode silent" in str(info.value)
    pid = int(fake_engine.read_text())
    assert not _alive(pid), "the server that timed out is still running"
    assert server.process is None


def test_a_server_that_answers_starts_and_stops_cleanly(
    fake_engine: Path, server: local.LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    proc = _started(server, monkeypatch, "ok")
    pid = int(fake_engine.read_text())
    assert proc.pid == pid and _alive(pid)
    assert server.base_url.startswith("http://127.0.0.1:")
    server.stop()
    assert not _alive(pid)
    assert not server.log_path.exists()  # a clean stop leaves no log


@pytest.mark.slow
def test_a_server_that_ignores_sigterm_is_killed_by_stop(
    fake_engine: Path, server: local.LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    proc = _started(server, monkeypatch, "stubborn")
    started = time.monotonic()
    server.stop()
    waited = time.monotonic() - started
    assert proc.returncode == -signal.SIGKILL
    assert 4.5 <= waited < 20  # SIGTERM got its 5 s grace, then SIGKILL
    assert not _alive(proc.pid)
    assert "SIGTERM ignored" in server.log_path.read_text()  # an unclean stop keeps the log


def test_stop_of_a_server_that_already_died_is_a_no_op(
    fake_engine: Path, server: local.LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    proc = _started(server, monkeypatch, "ok")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    server.stop()
    assert server.process is None


def test_the_child_never_gets_a_stdin(
    fake_engine: Path, server: local.LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server reading the parent's terminal would steal its keystrokes.
    proc = _started(server, monkeypatch, "ok")
    assert os.readlink(f"/proc/{proc.pid}/fd/0") == "/dev/null"
    server.stop()
