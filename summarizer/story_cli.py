"""The ``summarizer story`` command: one brief from several articles on the same story.

    summarizer story A.txt B.html [C.txt ...] [--published YYYY-MM-DD] [--format markdown|text|json]
                     [--model NAME] [--base-url URL] [--store PATH]

``--published`` dates the articles that neither state a date in their text nor get one otherwise (the seeds: one
says "Published on April 18, 2025", the other does not). ``--store`` is batch's result store: summaries already
there are reused, new ones are added, so a second story over the same articles costs one model call.
Exit codes: 0 ok, 1 failure (provider error), 2 usage or configuration error (a folder, a missing or an unreadable
file among them).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from summarizer.cli_args import STDIO, add_key_option, check_store, read_bytes
from summarizer.progress import Heartbeat, add_progress_args, duration, is_terminal

FORMATS = ("markdown", "text", "json")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def _arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "paths", nargs="+", metavar="ARTICLE", help="two or more article files (.txt/.html); - is stdin"
    )
    parser.add_argument(
        "--published", type=_date, help="publication date YYYY-MM-DD for the articles that do not state their own"
    )
    parser.add_argument("--format", "-f", choices=FORMATS, default="markdown", help="output format (default markdown)")
    parser.add_argument("--json", action="store_const", const="json", dest="format", help="same as --format json")
    parser.add_argument("--model", "-m", help="model name (env SUMMARIZER_MODEL)")
    parser.add_argument(
        "--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (env OPENAI_BASE_URL)"
    )
    add_key_option(parser)
    parser.add_argument("--store", help="SQLite result store (as in batch): reuse and keep per-article summaries")
    add_progress_args(parser)
    return parser


def add_story_parser(sub: Any) -> argparse.ArgumentParser:
    """Add ``story`` to the CLI's subparsers; :func:`run_story` carries it out."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "story",
        help="one brief from several articles on the same story: agreement, claims, timeline, discrepancies",
        description="Merge several reports of one story; list where they differ and whether the versions reconcile.",
    )
    return _arguments(parser)


class _Steps:
    """Says which article or call the story is on: a spinner on a terminal, plain lines and a heartbeat otherwise."""

    def __init__(self, err: TextIO, *, quiet: bool, interval: float) -> None:
        self.err = err
        self.quiet = quiet
        self.plain = not is_terminal(err)
        self.current = "starting"
        self.done = 0  # articles briefed (or read back from the store) and, at the end, the story call
        self.total = 1  # every article and the story call: set once the articles are known
        self.tokens = 0  # prompt + completion tokens of the calls that have answered
        self.since = self._started = time.monotonic()
        self._heart = Heartbeat(self._beat, interval)
        self._stack = contextlib.ExitStack()
        self._status: Any = None

    def step(self, text: str) -> None:
        """The story moved on to ``text``."""
        self.current, self.since = text, time.monotonic()
        if self.quiet:
            return
        if self._status is not None:
            self._status.update(f"story: {text}")
        else:
            self._heart.now()

    def line(self) -> str:
        """The current progress line: the step, its time, and done, ETA and tokens as batch's lines give them."""
        now = time.monotonic()
        elapsed = now - self._started
        left = self.total - self.done
        # The rate of the steps done so far: none done yet gives no estimate.
        eta = duration(elapsed / self.done * left) if self.done and left > 0 else ("0s" if left <= 0 else "?")
        return (
            f"story: {self.current} ({duration(now - self.since)} on it, {duration(elapsed)} in all; "
            f"{self.done}/{self.total} done, ETA {eta}, {self.tokens:,} tokens)"
        )

    def _beat(self) -> None:
        print(self.line(), file=self.err, flush=True)

    def __enter__(self) -> _Steps:
        if self.quiet:
            return self
        if self.plain:
            self._stack.enter_context(self._heart)
        else:
            from rich.console import Console

            console = Console(file=self.err, stderr=True)
            self._status = self._stack.enter_context(console.status(f"story: {self.current}", spinner="dots"))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


def _summarizer(args: argparse.Namespace) -> Any:
    from summarizer.api import Summarizer

    return Summarizer(model=args.model, base_url=args.base_url, api_key=args.key)


def _narrated(summarizer: Any, steps: _Steps, ids: Sequence[str | None]) -> Any:
    """``summarizer``'s twin that tells ``steps`` which article each model call is for, and when the story call runs."""
    from summarizer.api import Summarizer

    class Narrated(Summarizer):
        article: str | None = None
        calls = 0

        def summarize(self, article: Any, *, tasks: Any = None) -> Any:
            position = ids.index(article.id) + 1 if article.id in ids else 0
            self.article = f"article {position}/{len(ids)} ({article.id or 'stdin'})"
            self.calls = 0
            steps.done = max(steps.done, position - 1)  # the articles before it are done (stored ones never come here)
            steps.current, steps.since = f"{self.article}: preparing", time.monotonic()  # shown by the next beat
            label = self.article
            try:
                summary = super().summarize(article, tasks=tasks)
            finally:
                self.article = None
            steps.done = max(steps.done, position)
            steps.current, steps.since = f"{label} briefed, going on", time.monotonic()
            steps.tokens += summary.usage.prompt_tokens + summary.usage.completion_tokens
            return summary

        def announce(self) -> None:
            self.calls += 1
            if self.article is None:
                steps.done = max(steps.done, len(ids))  # the story call comes after every article
                steps.step(f"the story call, merging the {len(ids)} articles")
            else:
                steps.step(f"{self.article}: model call {self.calls}{' (re-ask)' if self.calls > 1 else ''}")

    announced = _Announced(summarizer.llm)
    narrated = Narrated(llm=announced, **summarizer.settings())
    announced.before = narrated.announce

    def answered(usage: Any) -> None:
        if narrated.article is None:  # the story call's own usage; an article's comes with its summary
            steps.tokens += usage.prompt_tokens + usage.completion_tokens
            steps.done = steps.total  # only the merge's checks are left
            steps.current, steps.since = "checking the story brief", time.monotonic()

    announced.after = answered
    steps.total = len(ids) + 1
    return narrated


class _Announced:
    """An LLM that calls ``before`` ahead of each call and ``after`` with its usage (the rest passes through)."""

    def __init__(self, llm: Any) -> None:
        self._llm = llm
        self.backend = llm.backend
        self.before: Callable[[], None] = lambda: None
        self.after: Callable[[Any], None] = lambda usage: None

    def create(self, response_model: Any, messages: Any, *, max_tokens: int | None = None) -> Any:
        self.before()
        result = self._llm.create(response_model, messages, max_tokens=max_tokens)
        self.after(result.usage)
        return result

    async def acreate(self, response_model: Any, messages: Any, *, max_tokens: int | None = None) -> Any:
        self.before()
        result = await self._llm.acreate(response_model, messages, max_tokens=max_tokens)
        self.after(result.usage)
        return result


def run_story(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``summarizer story`` on parsed arguments; return the exit code."""
    from summarizer.clean import decode
    from summarizer.schemas import Article
    from summarizer.story import render_story, summarize_story

    paths: list[str] = list(args.paths)
    if len(paths) < 2:
        print("summarizer story: give at least two articles on the same story", file=err)
        return 2
    if paths.count("-") > 1:
        print("summarizer story: stdin (-) can be read only once", file=err)
        return 2
    check_store(args.store)
    articles = [Article(text=decode(read_bytes(p)), id=None if p == STDIO else Path(p).name) for p in paths]
    steps = _Steps(err, quiet=args.quiet, interval=args.progress_interval)
    summarizer = _narrated(_summarizer(args), steps, [a.id for a in articles])
    backend = summarizer.backend  # resolves now: a ConfigError exits 2 before any work
    note = " (the embedded model takes a minute or more per article)" if backend.kind == "local" else ""
    if not args.quiet:
        print(
            f"Summarising {len(articles)} articles with {backend.model} ({backend.kind}){note} …", file=err, flush=True
        )
    with steps:
        brief = summarize_story(articles, summarizer=summarizer, store=args.store, published=args.published)
    print(render_story(brief, args.format), file=out)
    return 0
