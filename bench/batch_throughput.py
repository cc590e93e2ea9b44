"""Batch benchmark: throughput vs the concurrency/latency bound, library CPU per article, re-run cost, memory.

Reads the 501 FRANK articles from ../shared/eval/frank (never copied into the repo) and talks to
bench/latency_server.py, started in its own process so its CPU is not counted.

    .venv/bin/python bench/batch_throughput.py [--quick]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2

from summarizer import checks
from summarizer.api import to_summary
from summarizer.batch import make_summarizer, summarize_many
from summarizer.drafts import draft_model
from summarizer.schemas import Article
from summarizer.store import Store
from summarizer.validate import check_fields

HERE = Path(__file__).resolve().parent
#: Passes of the CPU measurement (see cpu()).
PASSES = 3
FRANK = Path(__file__).resolve().parents[1].parent / "shared/eval/frank"


def frank() -> list[str]:
    """The 501 FRANK article texts."""
    files = sorted((FRANK / "data" / "articles-wbertscore-json").glob("*.json"))
    return [json.loads(f.read_text())["article"] for f in files]


def articles(texts: list[str], n: int, tag: str = "") -> Iterator[Article]:
    """``n`` articles cycling the corpus; beyond the first lap each gets a distinct suffix (a distinct store key)."""
    for i in range(n):
        lap = i // len(texts)
        suffix = f"\nCopy {lap} of item {i}{tag}." if lap or tag else ""
        yield Article(id=f"frank-{i}", text=texts[i % len(texts)] + suffix)


@contextmanager
def server(latency: float) -> Iterator[str]:
    """bench/latency_server.py in a separate process; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "latency_server.py"), "--latency", str(latency)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().split()[-1]
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def calls(url: str) -> int:
    """Completed requests so far."""
    return int(httpx2.get(url.removesuffix("/v1") + "/stats").json()["completions"])


def throughput(texts: list[str], latency: float, plan: list[tuple[int, int]]) -> None:
    """Articles/s at each concurrency vs the bound concurrency/latency."""
    print(f"\n## Throughput, server latency {latency:.1f} s")
    print(f"{'concurrency':>11} {'articles':>8} {'seconds':>8} {'art/s':>7} {'bound':>6} {'% of bound':>10} {'ok':>5}")
    with server(latency) as url:
        for concurrency, n in plan:
            s = make_summarizer(model="bench", base_url=url)
            started = time.perf_counter()
            ok = sum(
                r.ok
                for r in summarize_many(articles(texts, n, f"t{concurrency}"), summarizer=s, concurrency=concurrency)
            )
            elapsed = time.perf_counter() - started
            rate, bound = n / elapsed, concurrency / latency
            share = 100 * rate / bound
            print(f"{concurrency:>11} {n:>8} {elapsed:>8.2f} {rate:>7.2f} {bound:>6.1f} {share:>9.1f}% {ok:>5}")


def cpu(texts: list[str]) -> None:
    """Client CPU per article at zero latency (sequential, so each article's CPU is its own), with a breakdown."""
    print("\n## Library CPU per article (server at zero latency, concurrency 1, with a store)")
    with server(0.0) as url, tempfile.TemporaryDirectory() as tmp:
        s = make_summarizer(model="bench", base_url=url)
        list(summarize_many(articles(texts, 5, "warm"), summarizer=s, concurrency=1))  # imports, schema caches
        # Three passes over the 501 articles (each with its own store): one pass moves by +-0.5 ms with what the
        # rest of this shared 2-core machine is doing, most of it in the HTTP round trip.
        per: list[float] = []
        medians: list[float] = []
        total = 0.0
        for p in range(PASSES):
            this: list[float] = []
            last = time.process_time()
            total_start = last
            pass_items = articles(texts, len(texts), f"p{p}" if p else "")
            for _ in summarize_many(pass_items, summarizer=s, concurrency=1, store=Path(tmp) / f"s{p}.db"):
                now = time.process_time()
                this.append(now - last)
                last = now
            total += time.process_time() - total_start
            per += this
            medians.append(statistics.median(this))
        print(
            f"  all steps: median {1000 * statistics.median(per):.2f} ms, mean {1000 * total / len(per):.2f} ms, "
            f"p90 {1000 * sorted(per)[int(0.9 * len(per))]:.2f} ms over {len(per)} article calls "
            f"({PASSES} passes of {len(texts)}; pass medians {', '.join(f'{1000 * m:.2f}' for m in medians)} ms)"
        )

        # The steps on their own, over the same articles, with the startup heap frozen as during a batch run (else
        # one full collection of it, ~130 ms, lands in whichever step is running and adds ~0.25 ms per article).
        gc.collect()
        gc.freeze()
        prepared = [s.prepare(a) for a in articles(texts, 50)]
        t0 = time.process_time()
        prepared = [s.prepare(a) for a in articles(texts, len(texts))]
        t_prepare = (time.process_time() - t0) / len(texts)
        import latency_server

        drafts = [
            draft_model(p.tasks).model_validate(
                latency_server.draft_for(p.messages[1]["content"]), context={"n_sentences": len(p.sentences)}
            )
            for p in prepared
        ]
        t0 = time.process_time()
        summaries = [to_summary(p, d, s.backend, s.prompts.version) for p, d in zip(prepared, drafts, strict=True)]
        t_map = (time.process_time() - t0) / len(texts)
        t0 = time.process_time()
        for summary in summaries:
            checks.apply(summary, "report")
        t_validate = (time.process_time() - t0) / len(texts)
        # The server's drafts copy the sentences they cite, and a verbatim copy is checked by position (see
        # validate/check.py, _verbatim). Without the citations every field is checked in full, as a paraphrasing
        # model's would be: the figure for such output.
        figures = [f for x in summaries if x.validation for f in x.validation.findings if f.kind != "quote"]
        copied = sum("verbatim" in f.reason for f in figures) / max(1, len(figures))
        fielded = [(x.article.text, checks.summary_fields(x)[0]) for x in summaries]
        t0 = time.process_time()
        for source, fields in fielded:
            check_fields(source, fields)
        t_full = (time.process_time() - t0) / len(texts)
        store = Store(Path(tmp) / "steps.db")
        t0 = time.process_time()
        for i, summary in enumerate(summaries):
            store.put_result(f"k{i}", summary, item_id=str(i))
        t_store = (time.process_time() - t0) / len(texts)
        store.close()
        gc.unfreeze()
        rest = total / len(per) - t_prepare - t_map - t_validate - t_store
        print(
            f"  prepare (clean, split, render) {1000 * t_prepare:.2f} ms; map draft -> Summary {1000 * t_map:.2f} ms; "
            f"validate {1000 * t_validate:.2f} ms; store {1000 * t_store:.2f} ms; "
            f"request + parse + key + loop (the rest) {1000 * rest:.2f} ms"
        )
        print(
            f"  {100 * copied:.0f}% of the drafts' figures stand in verbatim copies of their cited sentences; "
            f"with every field checked in full (a paraphrasing model) validation takes {1000 * t_full:.2f} ms, "
            f"all steps ~{1000 * (statistics.median(per) + t_full - t_validate):.2f} ms (median + difference)"
        )

        prof = cProfile.Profile()
        prof.enable()
        list(summarize_many(articles(texts, 100, "prof"), summarizer=s, concurrency=1))
        prof.disable()
        print("  top cumulative (100 articles):")
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime")
        by_pkg: dict[str, float] = {}
        for (file, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
            pkg = "summarizer" if "/summarizer/" in file else file.split("site-packages/")[-1].split("/")[0]
            if "python3.11/" in pkg:
                pkg = "stdlib:" + pkg.split("python3.11/")[-1].split("/")[0]
            by_pkg[pkg] = by_pkg.get(pkg, 0.0) + tottime
        for pkg, seconds in sorted(by_pkg.items(), key=lambda kv: -kv[1])[:10]:
            print(f"    {pkg:<40} {1000 * seconds / 100:6.2f} ms/article")


def rerun(texts: list[str]) -> None:
    """A finished 501-article batch run again over its store: model calls and seconds."""
    print("\n## Re-run of a finished batch")
    with server(0.0) as url, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.db"
        s = make_summarizer(model="bench", base_url=url)
        first = sum(r.ok for r in summarize_many(articles(texts, len(texts)), summarizer=s, concurrency=16, store=path))
        before = calls(url)
        started = time.perf_counter()
        results = list(summarize_many(articles(texts, len(texts)), summarizer=s, concurrency=16, store=path))
        elapsed = time.perf_counter() - started
        print(
            f"  first run {first} ok; re-run: {len(results)} results, {sum(r.cached for r in results)} from the store, "
            f"{calls(url) - before} model calls, {elapsed:.2f} s"
        )


def memory(texts: list[str], sizes: tuple[int, ...]) -> None:
    """Peak traced memory and RSS growth for batches of different sizes (streamed input, store on)."""
    print("\n## Peak memory (server at zero latency, concurrency 32, store on)")
    with server(0.0) as url, tempfile.TemporaryDirectory() as tmp:
        s = make_summarizer(model="bench", base_url=url)
        list(summarize_many(articles(texts, 64, "warm"), summarizer=s, concurrency=32))
        for n in sizes:
            gc.collect()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            tracemalloc.start()
            started = time.perf_counter()
            ok = 0
            for r in summarize_many(
                articles(texts, n, f"m{n}"), summarizer=s, concurrency=32, store=Path(tmp) / f"{n}.db"
            ):
                ok += r.ok
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(
                f"  {n:>5} articles: {ok} ok, tracemalloc peak {peak / 1e6:6.1f} MB, max RSS {rss / 1024:6.1f} MB "
                f"(+{(rss - rss_before) / 1024:.1f} MB), {time.perf_counter() - started:.1f} s"
            )


def main() -> int:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller runs (a smoke test of the benchmark)")
    parser.add_argument("--only", choices=("throughput", "cpu", "rerun", "memory"), help="run one section")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    texts = frank()
    print(f"{len(texts)} FRANK articles from {FRANK}")
    plan = [(1, 20), (8, 160), (32, 501), (64, 1002)] if not args.quick else [(1, 5), (8, 16), (32, 64), (64, 128)]
    if args.only in (None, "throughput"):
        throughput(texts, 1.0, plan)
    if args.only in (None, "cpu"):
        cpu(texts)
    if args.only in (None, "rerun"):
        rerun(texts)
    if args.only in (None, "memory"):
        memory(texts, (500, 5000) if not args.quick else (100, 500))
    return 0


if __name__ == "__main__":
    sys.exit(main())
