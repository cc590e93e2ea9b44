"""End-to-end time of one brief of seed 000 on the embedded local model, and the model's own share of it.

    python bench/brief_latency.py [--runs N] [--article PATH]

The model's time (prompt evaluation + generation, as llama.cpp reports it in the server log) is subtracted from the
wall time of summarize(); the rest is the library's overhead: cleaning, prompt rendering, HTTP, JSON parsing,
grammar set-up, validation. The model is loaded before timing starts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import time
from pathlib import Path

from summarizer import Article, Summarizer, local

ROOT = Path(__file__).resolve().parents[1]
_TIMING = re.compile(r"(prompt eval time|eval time|total time)\s*=\s*([\d.]+) ms(?: /\s*(\d+) (?:tokens|runs))?")


def model_times(log: str) -> dict[str, float]:
    """Sum llama.cpp's perf lines (prompt eval, eval, total) in a slice of the server log, in seconds."""
    out = {"prompt eval time": 0.0, "eval time": 0.0, "total time": 0.0, "prompt tokens": 0.0, "eval runs": 0.0}
    for name, ms, count in _TIMING.findall(log):
        out[name] += float(ms) / 1000
        if name == "prompt eval time" and count:
            out["prompt tokens"] += int(count)
        if name == "eval time" and count:
            out["eval runs"] += int(count)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--article", type=Path, default=ROOT / "examples" / "articles" / "seed_000_newslooks.txt")
    args = parser.parse_args()

    started = time.perf_counter()
    server = local.ensure_server()
    print(f"server start + model load: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    article = Article(text=args.article.read_text(), published_at=dt.date(2025, 4, 18), source="AP")
    summarizer = Summarizer()
    rows = []
    for run in range(args.runs):
        offset = server.log_path.stat().st_size
        t0 = time.perf_counter()
        summary = summarizer.summarize(article)
        wall = time.perf_counter() - t0
        time.sleep(0.2)  # let the server flush its perf lines
        with server.log_path.open("rb") as fh:
            fh.seek(offset)
            times = model_times(fh.read().decode(errors="replace"))
        model = times["total time"] or (times["prompt eval time"] + times["eval time"])
        rows.append((wall, model, summary))
        bullets = len(summary.quick_look.bullets) if summary.quick_look else 0
        u = summary.usage
        print(
            f"run {run + 1}: wall {wall:.1f} s | model {model:.1f} s (prompt eval {times['prompt eval time']:.1f} s,"
            f" generation {times['eval time']:.1f} s) | overhead {wall - model:.2f} s = "
            f"{100 * (wall - model) / wall:.1f}% | tokens in {u.prompt_tokens} out {u.completion_tokens} "
            f"attempts {u.attempts} | {bullets} bullets, {len(summary.claims)} claims, {len(summary.timeline)} events"
            f" | check ok={summary.validation.ok if summary.validation else None}"
        )
    # Only the first run is a cold brief: llama.cpp keeps the last prompt's KV cache, so a repeat of the same article
    # skips prompt evaluation. Later runs show generation-only time.
    wall, model, _ = rows[0]
    print(
        f"cold brief: {wall:.1f} s end to end (target < 90 s), model {model:.1f} s, library overhead "
        f"{wall - model:.2f} s = {100 * (wall - model) / wall:.1f}% (target < 5%)"
    )
    if len(rows) > 1:
        warm = [r[0] for r in rows[1:]]
        print(f"warm repeats (prompt cached): median {statistics.median(warm):.1f} s")
    local.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
