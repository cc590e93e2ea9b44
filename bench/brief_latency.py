"""Cold and warm briefs of seed 000 on the embedded local model, each in its own process, as a user runs them.

    python bench/brief_latency.py [--article PATH]

    python bench/brief_latency.py [--article PATH] [--save DIR]

Cold: the shared model server is stopped first, so the first process starts it and loads the model. Warm: a second
process finds the shared server (summarizer.local) and starts at once. Each process reports the time to get a
server and splits the brief's wall time in three shares: llama.cpp's prompt evaluation, its generation (both as
llama.cpp logs them, with their token counts) and the rest (sampling under the JSON grammar, the library, HTTP);
the target for the rest is at most 10 %. The grammar check's own line (tokens picked, how many were matched against
the whole vocabulary, seconds sampling) comes from summarizer.serve, and so does its clock of the forward passes
(wall seconds inside the model's evals, prompt and generation): llama.cpp's counters miss part of the first request
after loading, so the rest is also given by that clock. The warm run names another source in the
prompt's header, so llama.cpp's prompt cache cannot skip the article; it then re-asks, as policy "reask" does (the
prompt, the answer and its validation errors), and reports how many of the re-ask's prompt tokens llama.cpp had to
evaluate: with the prompt cache, only those after the shared prefix. ``--save DIR`` writes each brief's JSON
(without its timings) to DIR, to compare outputs across versions. Run it under ``flock
/tmp/summarizer-model.lock`` on a shared machine. The shared server is stopped at the end.
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
_CHECK = re.compile(r"grammar check: (\d+) tokens, (\d+) against the whole vocabulary, ([\d.]+) s sampling")
_FORWARD = re.compile(r"forward passes: prompt ([\d.]+) s / (\d+) tokens, generation ([\d.]+) s / (\d+) tokens")


def model_times(log: str) -> dict[str, float]:
    """Sum llama.cpp's perf lines (prompt eval, eval, total) in a slice of the server log, in seconds."""
    out = {"prompt eval time": 0.0, "eval time": 0.0, "total time": 0.0, "prompt tokens": 0.0, "eval runs": 0.0}
    for name, ms, count in _TIMING.findall(log):
        out[name] += float(ms) / 1000
        if name == "prompt eval time" and count:
            out["prompt tokens"] += int(count)
        if name == "eval time" and count:
            out["eval runs"] += int(count)
    forward = _FORWARD.findall(log)
    out["forward prompt"] = sum(float(p) for p, _, _, _ in forward)
    out["forward generation"] = sum(float(g) for _, _, g, _ in forward)
    checks = _CHECK.findall(log)
    out["checked tokens"] = float(sum(int(n) for n, _, _ in checks))
    out["full grammar"] = float(sum(int(m) for _, m, _ in checks))
    out["sampling time"] = sum(float(t) for _, _, t in checks)
    return out


class Recording:
    """The LLM, keeping the last call's response model and result (the re-ask needs the draft)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.last: tuple[Any, Any] | None = None

    def create(self, response_model: Any, messages: Any, *, max_tokens: int | None = None) -> Any:
        result = self.inner.create(response_model, messages, max_tokens=max_tokens)
        self.last = (response_model, result)
        return result

    async def acreate(self, response_model: Any, messages: Any, *, max_tokens: int | None = None) -> Any:
        return await self.inner.acreate(response_model, messages, max_tokens=max_tokens)


def _times_since(log_path: Path, offset: int) -> dict[str, float]:
    time.sleep(0.2)  # let the server flush its perf lines
    with log_path.open("rb") as fh:
        fh.seek(offset)
        return model_times(fh.read().decode(errors="replace"))


def _split(wall: float, times: dict[str, float]) -> dict[str, Any]:
    return {
        "brief_s": wall,
        "model_s": times["total time"] or (times["prompt eval time"] + times["eval time"]),
        "prompt_eval_s": times["prompt eval time"],
        "generation_s": times["eval time"],
        "prompt_tokens_evaluated": int(times["prompt tokens"]),
        "generated_tokens": int(times["eval runs"]),
        "checked_tokens": int(times["checked tokens"]),
        "full_grammar": int(times["full grammar"]),
        "sampling_s": times["sampling time"],
        "forward_prompt_s": times["forward prompt"],
        "forward_generation_s": times["forward generation"],
    }


def one_brief(article_path: Path, source: str, reask: bool, save: Path | None) -> dict[str, Any]:
    """In this process: get the server, brief the article (and re-ask if told), and time each part."""
    started = time.perf_counter()
    from summarizer import Article, Summarizer, local
    from summarizer.llm import make_llm, resolve_backend

    imported = time.perf_counter()
    server = local.ensure_server()
    ready = time.perf_counter()
    offset = server.log_path.stat().st_size
    article = Article(text=article_path.read_text(), published_at=dt.date(2025, 4, 18), source=source)
    llm = Recording(make_llm(resolve_backend()))
    summarizer = Summarizer(llm=llm)
    t0 = time.perf_counter()
    summary = summarizer.summarize(article)
    wall = time.perf_counter() - t0
    out = {
        "import_s": imported - started,
        "server_s": ready - imported,
        **_split(wall, _times_since(server.log_path, offset)),
        "usage": summary.usage.model_dump(),
        "bullets": len(summary.quick_look.bullets) if summary.quick_look else 0,
        "model": summary.model,
        "server_pid": server.pid,
    }
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        kept = summary.model_dump(mode="json", exclude={"latency_s"})
        (save / f"brief_{source.replace(' ', '_')}.json").write_text(json.dumps(kept, indent=1, ensure_ascii=False))
    if reask and llm.last is not None:
        # What policy "reask" sends: the same prompt, the answer, then its validation errors. The prompt's tokens
        # are the prefix llama.cpp still holds from the brief, so only the answer and the errors are evaluated.
        response_model, result = llm.last
        prep = summarizer.prepare(article)
        messages = summarizer._reask_messages(prep, result.value, summary)
        offset = server.log_path.stat().st_size
        t0 = time.perf_counter()
        again = llm.create(response_model, messages, max_tokens=summarizer.max_tokens)
        wall = time.perf_counter() - t0
        out["reask"] = {
            **_split(wall, _times_since(server.log_path, offset)),
            "usage": again.usage.model_dump(),
            "problems": sum(line.startswith("- ") for line in messages[-1]["content"].splitlines()),
        }
    return out


def _child(article: Path, source: str, reask: bool, save: Path | None) -> tuple[float, dict[str, Any]]:
    t0 = time.perf_counter()
    extra = (["--reask"] if reask else []) + (["--save", str(save)] if save else [])
    proc = subprocess.run(
        [sys.executable, __file__, "--child", "--article", str(article), "--source", source, *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    total = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"the brief process failed:\n{proc.stderr[-3000:]}")
    return total, json.loads(proc.stdout.strip().splitlines()[-1])


def shares(r: dict[str, Any]) -> str:
    """The brief's wall time in three shares: prompt evaluation, generation, the rest (and that rest's parts)."""
    wall = r["brief_s"]
    rest = wall - r["prompt_eval_s"] - r["generation_s"]
    inside = r["model_s"] - r["prompt_eval_s"] - r["generation_s"]  # in llama.cpp's total, outside its two counters
    check = (
        f"; grammar check: {r['checked_tokens']} tokens picked, {r['full_grammar']} against the whole vocabulary, "
        f"{r['sampling_s']:.2f} s sampling"
        if r["checked_tokens"]
        else "; no grammar check line (the full grammar on every token)"
    )
    fwd = r["forward_prompt_s"] + r["forward_generation_s"]
    clock = (
        f"; by the server's own clock of the forward passes: prompt {r['forward_prompt_s']:.1f} s + generation "
        f"{r['forward_generation_s']:.1f} s, the rest {wall - fwd:.1f} s ({100 * (wall - fwd) / wall:.1f} %)"
        if fwd
        else ""
    )
    return (
        f"{wall:.1f} s = prompt eval {r['prompt_eval_s']:.1f} s ({100 * r['prompt_eval_s'] / wall:.0f} %, "
        f"{r['prompt_tokens_evaluated']} tokens) + generation {r['generation_s']:.1f} s "
        f"({100 * r['generation_s'] / wall:.0f} %, {r['generated_tokens']} tokens) + the rest {rest:.1f} s "
        f"({100 * rest / wall:.1f} %, target <= 10 %: llama.cpp outside both {inside:.1f} s, "
        f"library {wall - r['model_s']:.2f} s{check}){clock}"
    )


def _line(name: str, total: float, r: dict[str, Any]) -> str:
    u = r["usage"]
    return (
        f"{name}: {total:.1f} s for the process | imports {r['import_s']:.1f} s, server {r['server_s']:.1f} s | "
        f"brief {shares(r)} | tokens {u['prompt_tokens']} in, {u['completion_tokens']} out | {r['bullets']} bullets "
        f"| server pid {r['server_pid']}"
    )


def _reask_line(r: dict[str, Any]) -> str:
    u = r["usage"]
    cached = u["prompt_tokens"] - r["prompt_tokens_evaluated"]
    return (
        f"re-ask (warm process, {r['problems']} validation errors): prompt {u['prompt_tokens']} tokens, of which "
        f"{cached} from llama.cpp's prompt cache and {r['prompt_tokens_evaluated']} evaluated | {shares(r)} | "
        f"{u['completion_tokens']} out"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, default=ROOT / "examples" / "articles" / "seed_000_newslooks.txt")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--save", type=Path, help="write each brief's JSON (without its timings) to this folder")
    parser.add_argument("--source", default="AP", help=argparse.SUPPRESS)
    parser.add_argument("--reask", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_brief(args.article, args.source, args.reask, args.save)))
        return 0

    from summarizer import local

    if local.idle_timeout() <= 0:
        raise SystemExit("SUMMARIZER_SERVER_IDLE=0 turns the shared server off: nothing warm to measure.")
    local.stop_shared()
    cold_total, cold = _child(args.article, "AP", False, args.save)
    warm_total, warm = _child(args.article, "Associated Press", True, args.save)
    warm_total -= warm["reask"]["brief_s"]  # the process without its re-ask, as the cold one
    print(_line("cold (first process: starts the server, loads the model)", cold_total, cold))
    print(_line("warm (second process: the shared server)", warm_total, warm))
    print(_reask_line(warm["reask"]))
    same = "the same server" if cold["server_pid"] == warm["server_pid"] else "ANOTHER server (not shared!)"
    print(
        f"warm start: {warm['server_s']:.2f} s to a ready server vs {cold['server_s']:.1f} s cold ({same}); "
        f"process {warm_total:.1f} s vs {cold_total:.1f} s"
    )
    local.stop_shared()
    return 0


if __name__ == "__main__":
    sys.exit(main())
