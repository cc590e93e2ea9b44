"""A local backend that starts tests/fake_llama_server.py instead of llama.cpp, for process tests.

The weights check (size, content spot check, stamp) runs on the installed weights, read only;
``SUMMARIZER_SERVER_MODULE`` makes the local backend run the stand-in under the same watchdog (summarizer.serve)
as the real server. :func:`real_local_env` and the /proc helpers serve the same tests on the real embedded model.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from summarizer import local
from summarizer.serve import PING_PATH

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class FakeLocal:
    """Environment and trace folder of one fake local backend."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def trace(self) -> Path:
        """Where the stand-in writes its pid and its request log."""
        return Path(self.env["FAKE_LLAMA_TRACE"])

    def retrace(self, name: str) -> Path:
        """Point the stand-in's trace at a fresh folder (for a second run)."""
        folder = self.root / name
        folder.mkdir()
        self.env["FAKE_LLAMA_TRACE"] = str(folder)
        return folder

    def server_pid(self, cli: subprocess.Popen[str] | None = None, timeout: float = 30.0) -> int:
        """The pid of the stand-in server once it listens (failing at once if ``cli`` ends first)."""

        def started() -> bool:
            if cli is not None and cli.poll() is not None:
                raise AssertionError(f"the CLI ended with {cli.returncode} first: {cli.communicate()[1][-2000:]}")
            return (self.trace / "pid").is_file()

        wait_for(started, timeout, "the fake server to start")
        return int((self.trace / "pid").read_text())

    def requests(self, kind: str = "start") -> int:
        """How many completions the stand-in began ("start") or answered ("end")."""
        log = self.trace / "requests"
        if not log.is_file():
            return 0
        return sum(1 for line in log.read_text().splitlines() if line.startswith(kind + " "))

    def cli(self, *args: str) -> subprocess.Popen[str]:
        """Start ``summarizer ARGS`` as a real process."""
        return subprocess.Popen(
            [sys.executable, "-m", "summarizer", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def make_fake_local(
    root: Path, *, latency: float = 0.0, idle: str = "0", module: str = "tests.fake_llama_server", **extra: str
) -> FakeLocal:
    """A fake local backend under ``root``: the installed weights (read-only: they pass the start-up check, and the
    stand-in never loads them), its own cache folder for the server record, a trace folder. ``module`` is the
    stand-in (tests.fake_llama_engine runs llama_cpp.server's own app), ``extra`` more environment (its knobs)."""
    weights = local.model_path()
    if not local.status().usable:
        raise AssertionError(f"the local model is not installed at {weights}: run `summarizer model install`")
    (root / "trace").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL")}
    env.update(
        SUMMARIZER_HOME=str(root / "home"),
        SUMMARIZER_MODEL_PATH=str(weights),
        SUMMARIZER_SERVER_MODULE=module,
        SUMMARIZER_SERVER_IDLE=idle,
        FAKE_LLAMA_LATENCY=str(latency),
        FAKE_LLAMA_TRACE=str(root / "trace"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.update(extra)
    return FakeLocal(root, env)


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``predicate`` until it is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def real_local_env(root: Path, *, idle: str) -> dict[str, str]:
    """Environment for a CLI on the real embedded model, with its own cache folder under ``root``.

    The weights are the installed ones (read only); the server record, lock and logs go to ``root / "home"``, so a
    test never picks up or stops the shared server of the user's own cache folder. ``idle`` is
    SUMMARIZER_SERVER_IDLE: "0" for a server of the CLI's own, else the shared server's idle timeout in seconds.
    """
    weights = local.model_path()
    if not local.status().usable:
        raise AssertionError(f"the local model is not installed at {weights}: run `summarizer model install`")
    drop = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_SERVER_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        SUMMARIZER_HOME=str(root / "home"),
        SUMMARIZER_MODEL_PATH=str(weights),
        SUMMARIZER_SERVER_IDLE=idle,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def children(pid: int) -> list[int]:
    """The pids whose parent is ``pid`` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cmdline(pid: int) -> list[str]:
    """The command line of ``pid`` ([] once it has ended)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time ``pid`` has used so far (0 once it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # After the ")" field 0 is the state: utime and stime are fields 14 and 15 of stat(5), 11 and 12 here.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def model_server_of(cli: subprocess.Popen[str], timeout: float = 120.0) -> tuple[int, int]:
    """(pid, port) of the summarizer.serve process ``cli`` started, once it answers its ping."""
    found: list[tuple[int, int]] = []

    def listening() -> bool:
        if cli.poll() is not None:
            raise AssertionError(f"the CLI ended with {cli.returncode} first: {cli.communicate()[1][-2000:]}")
        for pid in children(cli.pid):
            args = cmdline(pid)
            if "summarizer.serve" in args and "--port" in args:
                port = int(args[args.index("--port") + 1])
                if inflight(port) is not None:
                    found.append((pid, port))
                    return True
        return False

    wait_for(listening, timeout, "the model server to answer")
    return found[0]


def inflight(port: int) -> int | None:
    """Requests in flight on the model server at ``port`` (its summarizer.serve ping), None when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{PING_PATH}", timeout=2) as reply:
            return int(json.loads(reply.read())["inflight"])
    except (OSError, ValueError, KeyError):
        return None
