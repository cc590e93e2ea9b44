"""One local model server per cache folder, shared by every process, stopping when idle. Real processes throughout:
``summarizer brief`` runs, and tests/fake_llama_server.py standing in for llama.cpp under summarizer.serve (or
tests/fake_llama_engine.py: llama_cpp.server's own app, over a slow stand-in for the model)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from summarizer import local
from summarizer.serve import PING_PATH
from tests.conftest import SEED_000
from tests.local_env import ROOT, FakeLocal, alive, make_fake_local, wait_for

pytestmark = pytest.mark.slow

ENGINE = "tests.fake_llama_engine"


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


def _events(fake: FakeLocal, kind: str) -> list[list[str]]:
    """The fields after ``kind`` of each such line of the stand-in's request log (tests/fake_llama_engine.py)."""
    path = fake.trace / "requests"
    lines = path.read_text().splitlines() if path.exists() else []
    return [line.split()[1:] for line in lines if line.split()[0] == kind]


def _inflight(fake: FakeLocal) -> int:
    """The requests in flight at the shared server, as its ping reports them."""
    record = _record(fake)
    assert record is not None
    with urllib.request.urlopen(f"http://127.0.0.1:{record['port']}{PING_PATH}", timeout=5) as reply:
        return int(json.load(reply)["inflight"])


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


@contextmanager
def _second_queued_behind_first(fake: FakeLocal) -> Iterator[tuple[subprocess.Popen[str], subprocess.Popen[str]]]:
    """Two briefs: the second started once the first's answer has begun, and its request queued behind it; both
    killed (if still running) and the server stopped at the end."""
    first = _brief(fake)
    second: subprocess.Popen[str] | None = None
    try:
        fake.server_pid(first)
        wait_for(lambda: _events(fake, "prefilled"), 30, "the first brief's answer to begin")
        second = _brief(fake)
        wait_for(lambda: _inflight(fake) == 2, 30, "the second brief's request to queue behind it")
        yield first, second
    finally:
        for proc in (first, second):
            if proc is not None:
                proc.kill()
                proc.communicate()
        _model_stop(fake)


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


def test_a_brief_queued_behind_another_process_is_not_charged_for_the_wait(tmp_path: Path) -> None:
    # llama_cpp.server's own app, one answer at a time: each takes 0.5 s + 160 tokens x 0.05 s = 8.5 s.
    fake = make_fake_local(tmp_path, idle="60", module=ENGINE, FAKE_LLAMA_PREFILL="0.5", FAKE_LLAMA_TOKENS="160")
    with _second_queued_behind_first(fake) as (first, second):
        one, two = json.loads(_ok(first)), json.loads(_ok(second))
        (_, first_end, _), (_, second_start) = _events(fake, "end")[0], _events(fake, "start")[1]
        assert float(second_start) >= float(first_end)  # the second's answer began only after the first's
        assert one["waited_s"] < 0.5
        assert two["waited_s"] > 3  # its request arrived while the first's still had seconds to go
        # Each brief records its own time, not the queue: the first its answer (8.5 s) and the server's start, the
        # second its answer and its preparing and checking; without the server's report, its wait (> 3 s) as well.
        assert one["latency_s"] > 8.5
        assert 8.5 < two["latency_s"] < 11.5, two


def test_the_idle_timeout_never_stops_a_request_in_flight(tmp_path: Path) -> None:
    fake = make_fake_local(tmp_path, latency=4, idle="1")  # the answer takes four idle timeouts
    _ok(_brief(fake))
    assert fake.requests("end") == 1
    wait_for(lambda: not alive(fake.server_pid()), 10, "the idle server to stop")


STANDINS: dict[str, dict[str, Any]] = {
    "fake_server": {"latency": 3},
    "llama_cpp_app": {"module": ENGINE, "FAKE_LLAMA_PREFILL": "1", "FAKE_LLAMA_TOKENS": "40"},  # 1 s + 2 s
}


@pytest.mark.parametrize("standin", STANDINS)
def test_model_stop_lets_the_request_in_flight_finish(tmp_path: Path, standin: str) -> None:
    fake = make_fake_local(tmp_path, idle="600", **STANDINS[standin])
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

    def called() -> bool:
        if brief.poll() is not None:  # say why, rather than wait out the timeout
            raise AssertionError(f"the brief ended with {brief.returncode}: {brief.communicate()[1][-2000:]}")
        return fake.requests() == 1

    wait_for(called, 30, "the brief's model call")
    brief.send_signal(signal.SIGKILL)
    brief.communicate(timeout=10)
    time.sleep(0.5)
    assert alive(server)  # the one exception to "dies with its parent": it has its idle timeout
    wait_for(lambda: not alive(server), 15, "the idle server to stop")
    assert _record(fake) is None


def test_a_killed_clients_answer_is_abandoned_and_the_next_client_served_at_once(tmp_path: Path) -> None:
    # llama_cpp.server's own app: the first answer would take 30 s (600 tokens), the second takes 2 s.
    fake = make_fake_local(tmp_path, idle="60", module=ENGINE, FAKE_LLAMA_PREFILL="0.5", FAKE_LLAMA_TOKENS="600,40")
    with _second_queued_behind_first(fake) as (first, second):
        killed = time.time()
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
        out = json.loads(_ok(second))
        assert out["quick_look"]["bullets"]
        stops = _events(fake, "stop")  # the abandoned answer: stopped between two tokens, soon after the kill
        assert len(stops) == 1, f"no answer was abandoned: {_events(fake, 'end')}"
        stopped = stops[0]
        assert stopped[0] == "1" and stopped[3] == "ClientGone" and 0 < int(stopped[2]) < 600
        assert float(stopped[1]) - killed < 2
        starts = _events(fake, "start")
        assert [s[0] for s in starts] == ["1", "2"] and float(starts[1][1]) - killed < 2  # the model was free at once
        assert [(e[0], e[2]) for e in _events(fake, "end")] == [("2", "40")]  # the second answered whole, once
        assert _inflight(fake) == 0


@pytest.mark.parametrize("phase", ["prompt", "answer"])
def test_model_stop_does_not_wait_for_an_abandoned_answer(tmp_path: Path, phase: str) -> None:
    # 30 s of prompt evaluation (llama.cpp's abort callback stops it) or of generated tokens (stopped between two).
    knobs = {"FAKE_LLAMA_PREFILL": "30", "FAKE_LLAMA_TOKENS": "40"}
    if phase == "answer":
        knobs = {"FAKE_LLAMA_PREFILL": "0.5", "FAKE_LLAMA_TOKENS": "600"}
    fake = make_fake_local(tmp_path, idle="600", module=ENGINE, **knobs)
    brief = _brief(fake)
    try:
        server = fake.server_pid(brief)
        wait_for(lambda: _events(fake, "start" if phase == "prompt" else "prefilled"), 30, f"the {phase} to begin")
        time.sleep(0.5)
        brief.send_signal(signal.SIGKILL)
        brief.communicate(timeout=10)
        began = time.monotonic()
        stop = _model_stop(fake)
        took = time.monotonic() - began
        assert stop.returncode == 0 and f"pid {server}" in stop.stderr, stop.stderr
        assert took < 10, f"model stop took {took:.1f} s"  # not the 30 s the abandoned answer would have taken
        assert not alive(server)
        stops = _events(fake, "stop")
        assert len(stops) == 1, f"no answer was abandoned: {_events(fake, 'end')}"
        stopped = stops[0]
        assert stopped[3] == "ClientGone" and (stopped[2] == "0" if phase == "prompt" else 0 < int(stopped[2]) < 600)
        assert _events(fake, "end") == []
    finally:
        brief.kill()
        brief.communicate()
        _model_stop(fake)
