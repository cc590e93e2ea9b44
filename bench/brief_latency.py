"""Cold and warm briefs of seed 000 on the embedded local model, each in its own process, as a user runs them.

    python bench/brief_latency.py [--article PATH]

Cold: the shared model server is stopped first, so the first process starts it and loads the model. Warm: a second
process finds the shared server (summarizer.local) and starts at once. Each process reports the time to get a
server, the brief's wall time and the model's own time (prompt evaluation + generation, as llama.cpp logs it); the
rest of the brief is the library's overhead. The warm run names another source in the prompt's header, so
llama.cpp's prompt cache cannot skip the article. Run it under ``flock /tmp/summarizer-model.lock`` on a shared
machine. The shared server is stopped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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


def one_brief(article_path: Path, source: str) -> dict[str, Any]:
    """In this process: get the server, brief the article, and time each part."""
    started = time.perf_counter()
    from summarizer import Article, Summarizer, local

    imported = time.perf_counter()
    server = local.ensure_server()
    ready = time.perf_counter()
    offset = server.log_path.stat().st_size
    article = Article(text=article_path.read_text(), published_at=dt.date(2025, 4, 18), source=source)
    t0 = time.perf_counter()
    summary = Summarizer().summarize(article)
    wall = time.perf_counter() - t0
    time.sleep(0.2)  # let the server flush its perf lines
    with server.log_path.open("rb") as fh:
        fh.seek(offset)
        times = model_times(fh.read().decode(errors="replace"))
    model = times["total time"] or (times["prompt eval time"] + times["eval time"])
    return {
        "import_s": imported - started,
        "server_s": ready - imported,
        "brief_s": wall,
        "model_s": model,
        "prompt_eval_s": times["prompt eval time"],
        "generation_s": times["eval time"],
        "prompt_tokens_evaluated": int(times["prompt tokens"]),
        "usage": summary.usage.model_dump(),
        "bullets": len(summary.quick_look.bullets) if summary.quick_look else 0,
        "model": summary.model,
        "server_pid": server.pid,
    }


def _child(article: Path, source: str) -> tuple[float, dict[str, Any]]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", "--article", str(article), "--source", source],
        capture_output=True,
        text=True,
        check=False,
    )
    total = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"the brief process failed:\n{proc.stderr[-3000:]}")
    return total, json.loads(proc.stdout.strip().splitlines()[-1])


def _line(name: str, total: float, r: dict[str, Any]) -> str:
    overhead = r["brief_s"] - r["model_s"]
    u = r["usage"]
    return (
        f"{name}: {total:.1f} s for the process | imports {r['import_s']:.1f} s, server {r['server_s']:.1f} s, "
        f"brief {r['brief_s']:.1f} s (model {r['model_s']:.1f} s: prompt eval {r['prompt_eval_s']:.1f} s over "
        f"{r['prompt_tokens_evaluated']} tokens, generation {r['generation_s']:.1f} s; library "
        f"{overhead:.2f} s = {100 * overhead / r['brief_s']:.1f}%) | tokens {u['prompt_tokens']} in, "
        f"{u['completion_tokens']} out | {r['bullets']} bullets | server pid {r['server_pid']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, default=ROOT / "examples" / "articles" / "seed_000_newslooks.txt")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--source", default="AP", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_brief(args.article, args.source)))
        return 0

    from summarizer import local

    if local.idle_timeout() <= 0:
        raise SystemExit("SUMMARIZER_SERVER_IDLE=0 turns the shared server off: nothing warm to measure.")
    local.stop_shared()
    cold_total, cold = _child(args.article, "AP")
    warm_total, warm = _child(args.article, "Associated Press")
    print(_line("cold (first process: starts the server, loads the model)", cold_total, cold))
    print(_line("warm (second process: the shared server)", warm_total, warm))
    same = "the same server" if cold["server_pid"] == warm["server_pid"] else "ANOTHER server (not shared!)"
    print(
        f"warm start: {warm['server_s']:.2f} s to a ready server vs {cold['server_s']:.1f} s cold ({same}); "
        f"process {warm_total:.1f} s vs {cold_total:.1f} s"
    )
    local.stop_shared()
    return 0


if __name__ == "__main__":
    sys.exit(main())
