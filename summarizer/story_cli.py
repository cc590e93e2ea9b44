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
import datetime as dt
from pathlib import Path
from typing import Any, TextIO

from summarizer.cli_args import STDIO, add_key_option, check_store, read_bytes

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
    return parser


def add_story_parser(sub: Any) -> argparse.ArgumentParser:
    """Add ``story`` to the CLI's subparsers; :func:`run_story` carries it out."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "story",
        help="one brief from several articles on the same story: agreement, claims, timeline, discrepancies",
        description="Merge several reports of one story; list where they differ and whether the versions reconcile.",
    )
    return _arguments(parser)


def _summarizer(args: argparse.Namespace) -> Any:
    from summarizer.api import Summarizer

    return Summarizer(model=args.model, base_url=args.base_url, api_key=args.key)


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
    summarizer = _summarizer(args)
    backend = summarizer.backend  # resolves now: a ConfigError exits 2 before any work
    note = " (the embedded model takes a minute or more per article)" if backend.kind == "local" else ""
    print(f"Summarising {len(articles)} articles with {backend.model} ({backend.kind}){note} …", file=err, flush=True)
    brief = summarize_story(articles, summarizer=summarizer, store=args.store, published=args.published)
    print(render_story(brief, args.format), file=out)
    return 0
