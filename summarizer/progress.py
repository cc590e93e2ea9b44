"""Progress on stderr where there is no terminal: plain lines at a steady pace, for cron, CI and ``nohup`` logs.

On a terminal the commands show rich's live bar or spinner; when stderr is a file or a pipe they print a line every
``every`` items or every ``interval`` seconds, whichever comes first (a slow local model still shows it is alive).
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

#: Seconds between two plain progress lines when nothing else prompts one.
DEFAULT_INTERVAL_S = 30.0


def add_progress_args(parser: argparse.ArgumentParser) -> None:
    """``--quiet`` and ``--progress-interval`` for a command that shows progress."""
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr (bar, spinner or lines)")
    parser.add_argument(
        "--progress-interval",
        type=float,
        default=DEFAULT_INTERVAL_S,
        metavar="S",
        help=f"without a terminal, a progress line at least every S seconds (default {DEFAULT_INTERVAL_S:g})",
    )


def is_terminal(stream: TextIO) -> bool:
    """True when ``stream`` is an interactive terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def duration(seconds: float) -> str:
    """A short human duration: 42s, 3m05s, 1h02m."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


class Heartbeat:
    """Calls ``beat`` from a daemon thread every ``interval`` seconds since the last beat, until closed."""

    def __init__(self, beat: Callable[[], None], interval: float) -> None:
        self._beat = beat
        self.interval = interval
        self._lock = threading.Lock()
        self._last = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="progress")

    def now(self) -> None:
        """Beat at once (and restart the interval)."""
        with self._lock:
            self._last = time.monotonic()
            self._beat()

    def _run(self) -> None:
        while not self._stop.wait(min(1.0, self.interval)):
            with self._lock:
                if time.monotonic() - self._last >= self.interval:
                    self._last = time.monotonic()
                    self._beat()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()


class BatchLines:
    """Plain batch progress: done/total, failed, rate, ETA and tokens, every ``every`` items or ``interval`` s."""

    def __init__(
        self, err: TextIO, label: str, total: int, *, every: int | None = None, interval: float = DEFAULT_INTERVAL_S
    ) -> None:
        self.err = err
        self.label = label
        self.total = total
        # About twenty lines over a run, at least one every hundred items.
        self.every = every or max(1, min(100, total // 20))
        self.done = self.failed = self.tokens = 0
        self._started = time.monotonic()
        self._printed_at = 0
        self._heart = Heartbeat(self._print, interval)

    def line(self) -> str:
        """The current progress line."""
        elapsed = time.monotonic() - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        eta = duration(left / rate) if rate > 0 and left > 0 else ("0s" if left <= 0 else "?")
        return (
            f"{self.label}: {self.done:,}/{self.total:,} done, {self.failed:,} failed, {rate:.2f}/s, "
            f"ETA {eta}, {self.tokens:,} tokens, {duration(elapsed)} elapsed"
        )

    def _print(self) -> None:
        self._printed_at = self.done
        print(self.line(), file=self.err, flush=True)

    def update(self, done: int, failed: int, tokens: int) -> None:
        """Record the counts; print when ``every`` more items are done (or the last one is)."""
        self.done, self.failed, self.tokens = done, failed, tokens
        if done - self._printed_at >= self.every or done >= self.total:
            self._heart.now()

    def __enter__(self) -> BatchLines:
        self._heart.__enter__()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._heart.__exit__(*exc)
