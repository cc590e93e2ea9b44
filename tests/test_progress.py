"""Batch progress where there is no terminal: plain lines at a steady pace; a bar on a terminal; --quiet: none."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import cli
from summarizer.progress import BatchLines, duration
from summarizer.schemas import Article
from tests.conftest import SEED_000
from tests.test_batch_http import _write_jsonl, latency_server

LINE = re.compile(
    r"^batch \(fake\): (\d+)/(\d+) done, (\d+) failed, [\d.]+/s, ETA \S+, [\d,]+ tokens, \S+ elapsed$", re.M
)


@pytest.fixture
def slow_server() -> Iterator[Any]:
    srv = latency_server.serve_in_thread(0.6)
    yield srv
    srv.shutdown()
    srv.server_close()


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _run(tmp_path: Path, url: str, err: io.StringIO, *extra: str, n: int = 3) -> str:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, [Article(id=f"a{i}", text=SEED_000.read_text() + f"\nUpdate {i}.") for i in range(n)])
    args = ["batch", str(src), "-o", str(tmp_path / "out.jsonl"), "--base-url", url, "--model", "fake", "-c", "1"]
    assert cli.main([*args, *extra], out=io.StringIO(), err=err) == 0, err.getvalue()
    return err.getvalue()


def test_without_a_terminal_batch_prints_plain_lines_per_item_and_while_waiting(
    tmp_path: Path, slow_server: Any
) -> None:
    text = _run(tmp_path, slow_server.url, io.StringIO(), "--progress-interval", "0.2")
    lines = LINE.findall(text)
    done = [int(d) for d, _, _ in lines]
    assert done[-1] == 3 and all(total == "3" for _, total, _ in lines)
    assert {1, 2, 3} <= set(done)  # a line when each item is done (every item, for a run this short)
    assert done.count(0) >= 1  # and lines while the first call is still out (the 0.2 s heartbeat)
    assert done == sorted(done)
    assert text.rstrip().splitlines()[-1].startswith("summarizer batch: 3 inputs (0 from the store): 3 ok")
    assert "\x1b[" not in text  # no terminal control codes in a log


def test_quiet_prints_only_the_final_tally(tmp_path: Path, slow_server: Any) -> None:
    text = _run(tmp_path, slow_server.url, io.StringIO(), "--quiet", "--progress-interval", "0.1", n=2)
    assert text.strip().splitlines() == [text.strip()]
    assert text.startswith("summarizer batch: 2 inputs (0 from the store): 2 ok")


def test_on_a_terminal_batch_shows_the_bar_not_lines(tmp_path: Path, slow_server: Any) -> None:
    text = _run(tmp_path, slow_server.url, Terminal(), "--progress-interval", "0.1", n=2)
    assert not LINE.search(text)
    assert "2/2" in text and "summarizer batch: 2 inputs (0 from the store): 2 ok" in text


def test_batch_lines_every_n_items() -> None:
    err = io.StringIO()
    with BatchLines(err, "batch (m)", 100, interval=3600) as lines:
        for done in range(1, 101):
            lines.update(done, 0, done * 10)
    printed = err.getvalue().splitlines()
    assert len(printed) == 20  # every 5th item of 100
    assert printed[-1].startswith("batch (m): 100/100 done, 0 failed") and "1,000 tokens" in printed[-1]


def test_duration() -> None:
    assert [duration(s) for s in (0.4, 42, 185, 3720)] == ["0s", "42s", "3m05s", "1h02m"]
