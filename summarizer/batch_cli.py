"""The ``summarizer batch`` command: many articles to one JSONL file, resumable, with a progress bar on stderr.

    summarizer batch IN.jsonl|DIR -o OUT.jsonl [--concurrency N] [--store PATH] [--max-tokens N] [--ordered]
    summarizer batch prepare IN -o requests.jsonl                      # OpenAI Batch-API request file
    summarizer batch run requests.jsonl -o results.jsonl --base-url URL  # execute it on any compatible server
    summarizer batch collect requests.jsonl results.jsonl --source IN -o OUT.jsonl

The first word after ``batch`` picks the form: ``prepare``, ``run`` and ``collect`` are actions, anything else is
the input (write ``./prepare`` for a file of that name). Exit codes: 0 all done, 1 some inputs failed, 2 usage or
configuration error (a folder, a missing or an unreadable file among them), 3 the token budget ran out before every
input started (re-run with the same --store). Every file argument may be "-": stdin for an input, stdout for -o.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from summarizer.cli_args import (
    STDIO,
    add_key_option,
    check_store,
    check_writable,
    input_path,
    output_path,
    single_stdin,
)
from summarizer.errors import ConfigError
from summarizer.progress import add_progress_args

ACTIONS = ("prepare", "run", "collect")
EXIT_BUDGET = 3


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _backend_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", "-m", help="model name (env SUMMARIZER_MODEL)")
    parser.add_argument(
        "--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (env OPENAI_BASE_URL)"
    )
    add_key_option(parser)
    parser.add_argument("--tasks", default="brief,claims,timeline", help="comma list of brief, claims, timeline")
    parser.add_argument("--policy", choices=("report", "drop", "reask"), default="report", help="default report")


def _main_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="summarizer batch",
        description="Summarise a JSONL file of Articles or a folder of .txt/.html files; one output line per input.",
        epilog=f"Other forms: summarizer batch {{{','.join(ACTIONS)}}} --help. "
        "Exit 0 all ok, 1 some failed, 2 usage error, 3 token budget spent (re-run with the same --store).",
    )
    p.add_argument(
        "input", help="a JSONL file of Article objects (text required), a folder of .txt/.html files, or - for stdin"
    )
    p.add_argument(
        "-o", "--output", required=True, help="the JSONL file to write (replaced when the run ends), - for stdout"
    )
    p.add_argument("--concurrency", "-c", type=_positive, default=8, help="requests in flight (default 8)")
    p.add_argument("--store", help="SQLite result store: makes the run resumable and skips finished articles")
    p.add_argument("--max-tokens", type=_positive, help="token budget for this run; no new item starts once spent")
    prices = p.add_mutually_exclusive_group()
    prices.add_argument("--prices", help='price table JSON {"model": {"input": $/1M, "output": $/1M}}')
    prices.add_argument("--price-in", type=float, help="US$ per 1M input tokens (with --price-out)")
    p.add_argument("--price-out", type=float, help="US$ per 1M output tokens")
    p.add_argument("--max-retries", type=int, default=5, help="retries on 429/5xx/timeouts, honouring Retry-After")
    p.add_argument("--ordered", action="store_true", help="write results in input order (default: as they finish)")
    add_progress_args(p)
    _backend_args(p)
    return p


def _action_parser(action: str) -> argparse.ArgumentParser:
    if action == "prepare":
        from summarizer.batchapi import TARGETS

        p = argparse.ArgumentParser(
            prog="summarizer batch prepare",
            description="Write an OpenAI Batch-API request file (split into requests.2.jsonl, … past OpenAI's "
            "50,000 requests or 200 MB per file).",
        )
        p.add_argument("input", help="JSONL of Articles, or a folder of .txt/.html files")
        p.add_argument("-o", "--output", required=True, help="requests.jsonl to write")
        p.add_argument(
            "--target",
            choices=TARGETS,
            default="openai",
            help="who runs the file: openai (strict json_schema, the default), vllm (json_schema) or llamacpp "
            "(json_object with a schema, as the local backend sends)",
        )
        _backend_args(p)
    elif action == "run":
        p = argparse.ArgumentParser(
            prog="summarizer batch run",
            description="Execute a Batch request file against an OpenAI-compatible server (vLLM run_batch format).",
        )
        p.add_argument("requests", help="requests.jsonl from `summarizer batch prepare`")
        p.add_argument("-o", "--output", required=True, help="results.jsonl to write")
        p.add_argument("--base-url", required=True, help="OpenAI-compatible endpoint ending in /v1")
        add_key_option(p)
        p.add_argument("--concurrency", "-c", type=_positive, default=8, help="requests in flight (default 8)")
        p.add_argument("--max-retries", type=int, default=5, help="retries on 429/5xx, honouring Retry-After")
    else:
        p = argparse.ArgumentParser(
            prog="summarizer batch collect", description="Turn a Batch result file into summaries (one line per input)."
        )
        p.add_argument("requests", help="requests.jsonl from `summarizer batch prepare`")
        p.add_argument("results", nargs="+", help="the Batch output file(s)")
        p.add_argument("--source", required=True, help="the input given to `batch prepare`")
        p.add_argument("-o", "--output", required=True, help="the JSONL file to write")
        p.add_argument("--store", help="record results and failures here; `summarizer batch` then redoes failures")
        _backend_args(p)
    return p


def add_batch_parser(sub: Any) -> argparse.ArgumentParser:
    """Add ``batch`` to the CLI's subparsers; its own arguments are parsed by :func:`run_batch`."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "batch",
        help="many articles at once (resumable); also prepare/run/collect OpenAI Batch-API files",
        add_help=False,  # `summarizer batch --help` is answered by run_batch, which knows every form
        # No option prefix at this level: every word after `batch` (options too) reaches run_batch untouched.
        prefix_chars="\x00",
    )
    parser.add_argument("batch_args", nargs="*")
    return parser


def _tasks(text: str) -> list[Any]:
    from summarizer.schemas import ALL_TASKS

    tasks = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in tasks if t not in ALL_TASKS]
    if unknown or not tasks:
        raise ConfigError(f"Unknown task(s) {unknown or tasks} in --tasks; choose from {', '.join(ALL_TASKS)}.")
    return tasks


@contextlib.contextmanager
def _replacing(path: str, out: TextIO) -> Iterator[TextIO]:
    """Write to PATH.partial and move it over PATH only when the run ends normally (never a half file at PATH);
    "-" writes to ``out`` as results come."""
    check_writable(path)
    if path == STDIO:
        yield out
        return
    tmp = Path(f"{path}.partial")
    with open(tmp, "w", encoding="utf-8") as fh:
        yield fh
    os.replace(tmp, path)


def _summarizer(args: argparse.Namespace, max_retries: int = 5) -> Any:
    from summarizer.batch import make_summarizer

    return make_summarizer(
        model=args.model,
        base_url=args.base_url,
        api_key=args.key,
        max_retries=max_retries,
        tasks=_tasks(args.tasks),
        policy=args.policy,
    )


def _price(args: argparse.Namespace, model: str) -> Any:
    from summarizer.batch import Price, load_prices

    if args.prices:
        table = load_prices(args.prices)
        if model not in table:
            raise ConfigError(f"The price table {args.prices} has no entry for model {model!r}.")
        return table[model]
    if args.price_in is not None or args.price_out is not None:
        if args.price_in is None or args.price_out is None:
            raise ConfigError("Give both --price-in and --price-out (US$ per 1M tokens).")
        return Price(args.price_in, args.price_out)
    return None


def _progress(err: TextIO) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TextColumn("{task.fields[rate]:.1f}/s"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[tokens]:,} tok"),
        TimeElapsedColumn(),
        console=Console(file=err),  # progress is a diagnostic: stderr, never the output file
        transient=False,
    )


Meter = Callable[[int, int, int], None]


@contextlib.contextmanager
def _meter(args: argparse.Namespace, err: TextIO, label: str, total: int) -> Iterator[Meter]:
    """Progress as ``update(done, failed, tokens)``: rich's bar on a terminal, plain lines otherwise, or nothing."""
    from summarizer.progress import BatchLines, is_terminal

    if args.quiet:
        yield lambda done, failed, tokens: None
        return
    if not is_terminal(err):
        with BatchLines(err, label, total, interval=args.progress_interval) as lines:
            yield lines.update
        return
    with _progress(err) as bar:
        task = bar.add_task(label, total=total, failed=0, rate=0.0, tokens=0)

        def update(done: int, failed: int, tokens: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            bar.update(task, completed=done, failed=failed, rate=done / elapsed if elapsed else 0.0, tokens=tokens)

        yield update


def _run_main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from summarizer.batch import Tally, count_inputs, read_inputs, summarize_many

    summarizer = _summarizer(args, args.max_retries)
    backend = summarizer.backend  # resolves now: a ConfigError exits 2 before any work
    price = _price(args, backend.model)
    check_writable(args.output)
    check_store(args.store)
    tally = Tally()
    with input_path(args.input, folder_ok=True) as source:
        total = count_inputs(source)
        results = summarize_many(
            read_inputs(source),
            summarizer=summarizer,
            concurrency=args.concurrency,
            ordered=args.ordered,
            store=args.store,
            max_tokens_budget=args.max_tokens,
        )
        try:
            with (
                _meter(args, err, f"batch ({backend.model})", total) as update,
                _replacing(args.output, out) as fh,
                contextlib.closing(results),
            ):
                for result in results:
                    fh.write(result.to_line() + "\n")
                    tally.add(result)
                    update(tally.done, tally.failed, tally.spent.total_tokens)
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM: every finished item is in the store and in OUT.partial; the rest resumes.
            resume = "re-run with the same --store to resume" if args.store else "use --store to make a run resumable"
            print(f"summarizer batch: stopped: {tally.line(price, args.max_tokens)}", file=err)
            kept = f"{args.output}.partial"
            print(f"summarizer batch: the {tally.done:,} finished lines are in {kept}; {resume}", file=err)
            raise
    print(f"summarizer batch: {tally.line(price, args.max_tokens)}", file=err)
    if tally.failed:
        return 1
    return EXIT_BUDGET if tally.skipped else 0


def _run_prepare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from summarizer.api import Summarizer
    from summarizer.batch import read_inputs
    from summarizer.batchapi import batch_backend, make_builder, prepare
    from summarizer.llm import make_llm

    check_writable(args.output)
    with input_path(args.input, folder_ok=True) as source:
        # The file is for --target and names --model; this machine's backend settings play no part.
        backend = batch_backend(args.target, args.model)  # a ConfigError exits 2 before writing
        summarizer = Summarizer(llm=make_llm(backend), tasks=_tasks(args.tasks), policy=args.policy)
        builder = make_builder(summarizer, args.target)
        if args.output != STDIO:
            report = prepare(read_inputs(source), builder, args.output)
        else:
            # "-o -": the lines go to stdout (in as many parts as the limits ask for, one after the other).
            with tempfile.TemporaryDirectory() as tmp:
                report = prepare(read_inputs(source), builder, Path(tmp) / "requests.jsonl")
                for part in report.files:
                    out.write(Path(part).read_text(encoding="utf-8"))
                report.files = [Path(STDIO)]
    for failed in report.failed:
        assert failed.error is not None
        print(f"summarizer batch prepare: {failed.id}: {failed.error.type}: {failed.error.message}", file=err)
    files = ", ".join(str(f) for f in report.files)
    print(
        f"summarizer batch prepare: {report.written:,} requests for {backend.model} ({args.target}) written to "
        f"{files}, {len(report.failed):,} failed",
        file=err,
    )
    return 1 if report.failed else 0


def _run_requests(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from summarizer.batchapi import arun_requests

    with input_path(args.requests) as requests, output_path(args.output, out) as results:
        report = asyncio.run(
            arun_requests(
                requests,
                results,
                base_url=args.base_url,
                api_key=args.key or os.environ.get("OPENAI_API_KEY"),
                concurrency=args.concurrency,
                max_retries=args.max_retries,
            )
        )
    print(f"summarizer batch run: {report.ok:,} ok, {report.failed:,} failed", file=err)
    return 1 if report.failed else 0


def _run_collect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from summarizer.batch import Tally, read_inputs
    from summarizer.batchapi import collect
    from summarizer.store import Store

    summarizer = _summarizer(args)
    summarizer.backend  # noqa: B018 - resolve now so a ConfigError exits 2 before writing
    single_stdin(args.requests, args.results, args.source)
    check_writable(args.output)
    check_store(args.store)
    tally = Tally()
    store = Store(args.store) if args.store else None
    try:
        with (
            input_path(args.requests) as requests,
            input_path(args.source, folder_ok=True) as source,
            contextlib.ExitStack() as stack,
            _replacing(args.output, out) as fh,
        ):
            # Several result files (one per request file) are read as one; "-" among them is stdin.
            results = [stack.enter_context(input_path(r)) for r in args.results]
            for result in collect(requests, results, read_inputs(source), summarizer, store=store):
                fh.write(result.to_line() + "\n")
                tally.add(result)
    finally:
        if store is not None:
            store.close()
    print(f"summarizer batch collect: {tally.line()}", file=err)
    if tally.failed:
        hint = "re-run them with `summarizer batch SOURCE --store STORE`" if args.store else "use --store to redo them"
        print(f"summarizer batch collect: {tally.failed:,} failed; {hint}", file=err)
    return 1 if tally.failed else 0


def run_batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``summarizer batch ...`` (the arguments after ``batch`` are in ``args.batch_args``)."""
    argv: list[str] = list(getattr(args, "batch_args", []) or [])
    action = argv[0] if argv and argv[0] in ACTIONS else None
    parser = _action_parser(action) if action else _main_parser()
    try:
        parsed = parser.parse_args(argv[1:] if action else argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handler = {"prepare": _run_prepare, "run": _run_requests, "collect": _run_collect}.get(action or "", _run_main)
    return handler(parsed, out, err)
