"""One local model server per cache folder, shared by every process, stopping when idle. Real processes throughout:
``summarizer brief`` runs, and tests/fake_llama_server.py standing in for llama.cpp under summarizer.serve."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarizer import local
from tests.conftest import SEED_000
from tests.local_env import ROOT, FakeLocal, alive, make_fake_local, wait_for

pytestmark = pytest.mark.slow


def _brief(fake: FakeLocal) -> subprocess.Popen[str]:
    return fake.cli("brief", str(SEED_000), "--published", "2025-04-18", "--json")


def _ok(proc: subprocess.Popen[str], timeout: float = 60) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-2000:]
    return out


def _record(fake: FakeLocal) -> dict[str, object] | None:
    path = Path(fake.env["SUMMARIZER_HOME"]) / "run" / "server.json"
    return json.loads(path.read_text()) if path.exists() else None


def _starts(fake: FakeLocal) -> list[int]:
    path = fake.trace / "starts"
    return [int(line.split()[0]) for line in path.read_text().splitlines()] if path.exists() else []


def _model_stop(fake: FakeLocal) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", "model", "stop"],
        cwd=ROOT,
        env=fake.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_second_process_reuses_the_server_which_stops_when_idle(tmp_path: Path) -> None:
    fake = make_fake_local(tmp_path, idle="10")  # longer than a CLI's start-up on a busy machine
    first = json.loads(_ok(_brief(fake)))
    server = fake.server_pid()
    assert alive(server)  # the first brief has ended; its server stays for the next one
    record = _record(fake)
    assert record is not None and record["pid"] == server and record["sha256"] == local.MODEL_SHA256
    second = json.loads(_ok(_brief(fake)))
    assert _starts(fake) == [server] and fake.requests("end") == 2  # one model load for both
    assert first["model"] == second["model"] == local.MODEL_ALIAS
    wait_for(lambda: not alive(server), 20, "the idle server to stop")
    assert _record(fake) is None  # it removed its record as it went


def test_two_processes_at_once_start_one_server(tmp_path: Path) -> None:
    fake = make_fake_local(tmp_path, latency=0.5, idle="60")
    briefs = [_brief(fake), _brief(fake)]
    outs = [json.loads(_ok(b)) for b in briefs]
    assert all(o["quick_look"]["bullets"] for o in outs)
    assert len(_starts(fake)) == 1 and fake.requests("end") == 2  # queued at the one server, none lost
    server = _starts(fake)[0]
    stop = _model_stop(fake)
    assert stop.returncode == 0 and f"pid {server}" in stop.stderr
    assert not alive(server) and _record(fake) is None
    assert "No shared model server" in _model_stop(fake).stderr


def test_the_idle_timeout_never_stops_a_request_in_flight(tmp_path: Path) -> None:
    fake = make_fake_local(tmp_path, latency=4, idle="1")  # the answer takes four idle timeouts
    _ok(_brief(fake))
    assert fake.requests("end") == 1
    wait_for(lambda: not alive(fake.server_pid()), 10, "the idle server to stop")


def test_model_stop_lets_the_request_in_flight_finish(tmp_path: Path) -> None:
    fake = make_fake_local(tmp_path, latency=3, idle="600")
    brief = _brief(fake)
    server = fake.server_pid(brief)
    wait_for(lambda: fake.requests() == 1, 30, "the brief's model call")
    stop = _model_stop(fake)
    assert stop.returncode == 0, stop.stderr
    assert not alive(server)
    _ok(brief)  # answered before the server went
    assert fake.requests("end") == 1


def test_a_stale_record_is_cleaned_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = make_fake_local(tmp_path, idle="60")
    monkeypatch.setenv("SUMMARIZER_HOME", fake.env["SUMMARIZER_HOME"])
    (tmp_path / "home" / "run").mkdir(parents=True)
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = dict(pid=gone.pid, port=9, model=fake.env["SUMMARIZER_MODEL_PATH"], sha256=local.MODEL_SHA256, log="x")
    local.ServerRecord(**stale, idle_timeout=60, started_at=0).write()  # type: ignore[arg-type]
    _ok(_brief(fake))
    record = _record(fake)
    assert record is not None and record["pid"] == fake.server_pid() != gone.pid

    # Another model's server, alive: it is sent SIGTERM (it answers what is in flight first), ours replaces it.
    assert _model_stop(fake).returncode == 0
    other = subprocess.Popen(["sleep", "60"])
    try:
        local.ServerRecord(
            pid=other.pid,
            port=9,
            model="/elsewhere/other.gguf",
            sha256="0" * 64,
            log="x",
            idle_timeout=60,
            started_at=0,
        ).write()
        fake.retrace("second")
        _ok(_brief(fake))
        assert other.wait(10) == -signal.SIGTERM
        record = _record(fake)
        assert record is not None and record["pid"] == fake.server_pid() and record["sha256"] == local.MODEL_SHA256
    finally:
        other.kill()
        other.wait()
        _model_stop(fake)


def test_the_shared_server_outlives_a_killed_client_then_idles_out(tmp_path: Path) -> None:
    fake = make_fake_local(tmp_path, latency=2, idle="2")
    brief = _brief(fake)
    server = fake.server_pid(brief)
    wait_for(lambda: fake.requests() == 1, 30, "the brief's model call")
    brief.send_signal(signal.SIGKILL)
    brief.communicate(timeout=10)
    time.sleep(0.5)
    assert alive(server)  # the one exception to "dies with its parent": it has its idle timeout
    wait_for(lambda: not alive(server), 15, "the idle server to stop")
    assert _record(fake) is None
