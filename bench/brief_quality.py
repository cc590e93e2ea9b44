"""Brief quality on the embedded model: the two seeds and a fixed set of real news articles, read as an editor would.

    flock /tmp/summarizer-model.lock python bench/brief_quality.py            # seeds + 12 eval articles
    flock /tmp/summarizer-model.lock python bench/brief_quality.py --folder DIR   # every .txt/.html/.md in DIR
    python bench/brief_quality.py --table bench/out/brief_quality.jsonl      # print a saved run again
    python bench/brief_quality.py --compare OLD.jsonl NEW.jsonl               # two saved runs side by side

The eval articles are read from ../shared/eval at run time (never copied into the repository): the first 8
RAGTruth sources of 300-800 words by source id, and the first 4 FRANK CNN/DM articles of 300-800 words by hash.

Per brief and in total: title words; bullets; distinct source sentences the bullets cite; unsupported findings of
the validation layer on what ships, by kind (figures, quotes, dates, and the frame checks certainty, negation,
direction, period, attribution), and those on the headline lines (title and bullets: target 0); headline lines
repaired, left out or added by the pipeline; claims, claims with a verbatim quote, claims whose claimant is not the
speaker of the cited sentence (re-read by rule) or is a pronoun (target 0); timeline entries resolved, unresolved,
and set aside, and entries whose ``when`` is not a time phrase of their sentence (target 0); seconds and tokens.
Targets: >= 6 bullets on every article over 300 words. Records go to bench/out/brief_quality.jsonl (--out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer import Article, Summarizer, Summary, attribution, sentences  # noqa: E402
from summarizer.dates import find_time_phrases  # noqa: E402
from summarizer.validate import find_quote  # noqa: E402
from summarizer.validate.frames import FRAME_KINDS  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "bench" / "out"
SEEDS = [
    ("seed_000", ROOT / "examples" / "articles" / "seed_000_newslooks.txt", dt.date(2025, 4, 18), "AP"),
    ("seed_001", ROOT / "examples" / "articles" / "seed_001_rki.txt", None, "rki.news"),
]
_PRONOUNS = frozenset(["he", "she", "they", "it", "his", "her", "their", "its", "we", "i", "you", "this", "that"])
KINDS = ("number", "quote", "date", *FRAME_KINDS)


def _words(text: str) -> int:
    return len(text.split())


def eval_articles(ragtruth: int = 8, frank: int = 4) -> Iterator[tuple[str, str, dt.date | None, str | None]]:
    """The fixed eval set: (id, text, published, source)."""
    rows = [json.loads(line) for line in (EVAL / "ragtruth" / "ragtruth_summary.jsonl").open(encoding="utf-8")]
    picked = [r for r in sorted(rows, key=lambda r: r["source_id"]) if 300 <= _words(r["source"]) <= 800]
    for r in picked[:ragtruth]:
        yield f"ragtruth_{r['source_id']}", r["source"], None, None
    folder = EVAL / "frank" / "data" / "articles-wbertscore-json"
    taken = 0
    for path in sorted(folder.glob("*.json")):
        if taken >= frank:
            break
        text = json.loads(path.read_text(encoding="utf-8"))["article"]
        if 300 <= _words(text) <= 800:
            taken += 1
            yield f"frank_{path.stem[:10]}", text, None, "CNN/Daily Mail"


def folder_articles(folder: Path) -> Iterator[tuple[str, str, dt.date | None, str | None]]:
    """Every .txt, .html and .md file of a user's folder."""
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in (".txt", ".html", ".htm", ".md"):
            yield path.stem, path.read_text(encoding="utf-8", errors="replace"), None, None


def measure(summary: Summary, seconds: float) -> dict[str, Any]:
    """The per-brief figures of one shipped Summary."""
    text = summary.article.text
    sents = sentences.split(text)
    index = {s.start: i for i, s in enumerate(sents)}
    errors = summary.validation.errors() if summary.validation else []
    ql = summary.quick_look
    people = attribution.people_of(text)
    not_speaker = []
    for c in summary.claims:
        i = index.get(c.evidence.start) if c.evidence else None
        who = attribution.speaker(text, sents, i, people) if i is not None else None
        pronoun = c.claimant.lower().strip(" .") in _PRONOUNS or c.claimant.endswith(("'s", "’s"))
        if pronoun or who is None or who.person is None or not attribution.same_person(c.claimant, who.person):
            not_speaker.append(c.claimant)
    not_time = []
    for e in summary.timeline:
        if e.evidence is None:
            not_time.append(e.when)
            continue
        phrases = [p.lower() for _, _, p in find_time_phrases(text, e.evidence.start, e.evidence.end)]
        when = e.when.lower()
        # "October" for the sentence's "In October" is its time phrase less the preposition: still a time phrase.
        if not any(when in p or p in when for p in phrases):
            not_time.append(e.when)
    warnings = summary.warnings
    return {
        "words": _words(text),
        "title_words": _words(ql.title) if ql else 0,
        "bullets": len(ql.bullets) if ql else 0,
        "bullet_sentences": len({ev.start for b in ql.bullets for ev in b.evidence}) if ql else 0,
        "unsupported": {k: sum(f.kind == k for f in errors) for k in KINDS},
        "headline_frames": sum(f.kind in FRAME_KINDS and f.field.startswith("quick_look") for f in errors),
        "headline_unsupported": sum(f.field.startswith("quick_look") for f in errors),
        "rewritten": sum(" rewritten from [S" in w for w in warnings),
        "left_out": sum(w.startswith("Bullet ") and " left out " in w for w in warnings),
        "added": sum(w.startswith("Bullet ") and " added from [S" in w for w in warnings),
        "claims": len(summary.claims),
        "claims_quoted": sum(c.quote is not None and find_quote(text, c.quote) is not None for c in summary.claims),
        "claims_not_speaker": not_speaker,
        "timeline": len(summary.timeline),
        "resolved": sum(e.date is not None for e in summary.timeline),
        "unresolved": sum(e.date is None for e in summary.timeline),
        "set_aside": sum(w.startswith("Set aside a timeline entry") for w in warnings),
        "when_not_time_phrase": not_time,
        "seconds": round(seconds, 1),
        "prompt_tokens": summary.usage.prompt_tokens,
        "completion_tokens": summary.usage.completion_tokens,
        "attempts": summary.usage.attempts,
        "title": ql.title if ql else None,
        "lines": [b.text for b in ql.bullets] if ql else [],
        "errors": [f"{f.field} [{f.kind}] {f.reason}" for f in errors],
    }


_COLUMNS = [
    ("id", 18, lambda r: r["id"]),
    ("words", 5, lambda r: r["words"]),
    ("ttl", 3, lambda r: r["title_words"]),
    ("bul", 3, lambda r: r["bullets"]),
    ("sents", 5, lambda r: r["bullet_sentences"]),
    ("unsup", 5, lambda r: sum(r["unsupported"].values())),
    ("frame", 5, lambda r: sum(r["unsupported"][k] for k in FRAME_KINDS)),
    ("hd-fr", 5, lambda r: r["headline_frames"]),
    ("rw/lo/add", 9, lambda r: f"{r['rewritten']}/{r['left_out']}/{r['added']}"),
    ("claims", 6, lambda r: r["claims"]),
    ("quoted", 6, lambda r: r["claims_quoted"]),
    ("!spk", 4, lambda r: len(r["claims_not_speaker"])),
    ("tl res/unr/aside", 16, lambda r: f"{r['resolved']}/{r['unresolved']}/{r['set_aside']}"),
    ("!when", 5, lambda r: len(r["when_not_time_phrase"])),
    ("sec", 6, lambda r: r["seconds"]),
    ("tok in/out", 10, lambda r: f"{r['prompt_tokens']}/{r['completion_tokens']}"),
]


def table(rows: list[dict[str, Any]]) -> str:
    """The per-brief table and the totals against the targets."""
    lines = ["  ".join(f"{name:>{w}}" if i else f"{name:<{w}}" for i, (name, w, _) in enumerate(_COLUMNS))]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['id']:<18}  ERROR {r['error']}")
            continue
        lines.append("  ".join(f"{fn(r)!s:>{w}}" if i else f"{fn(r)!s:<{w}}" for i, (_, w, fn) in enumerate(_COLUMNS)))
    ok = [r for r in rows if "error" not in r]
    long_ = [r for r in ok if r["words"] > 300]
    thin = [r["id"] for r in long_ if r["bullets"] < 6]
    total = {k: sum(r["unsupported"][k] for r in ok) for k in KINDS}
    lines += [
        "",
        f"briefs {len(ok)} (errors {len(rows) - len(ok)}); articles over 300 words with >= 6 bullets: "
        f"{len(long_) - len(thin)}/{len(long_)}" + (f" (short: {', '.join(thin)})" if thin else ""),
        f"headline lines with an unsupported frame finding: {sum(r['headline_frames'] for r in ok)} (target 0); "
        f"any unsupported headline item: {sum(r['headline_unsupported'] for r in ok)}",
        "unsupported findings shipped: " + ", ".join(f"{k} {v}" for k, v in total.items()),
        f"headline lines rewritten {sum(r['rewritten'] for r in ok)}, left out {sum(r['left_out'] for r in ok)}, "
        f"added {sum(r['added'] for r in ok)}",
        f"claims {sum(r['claims'] for r in ok)}, with a verbatim quote {sum(r['claims_quoted'] for r in ok)}, "
        f"claimant not the speaker {sum(len(r['claims_not_speaker']) for r in ok)} (target 0)",
        f"timeline entries {sum(r['timeline'] for r in ok)}: resolved {sum(r['resolved'] for r in ok)}, "
        f"unresolved {sum(r['unresolved'] for r in ok)}, set aside {sum(r['set_aside'] for r in ok)}; "
        f"'when' not a time phrase {sum(len(r['when_not_time_phrase']) for r in ok)} (target 0)",
        f"seconds {sum(r['seconds'] for r in ok):.0f} in all ({sum(r['seconds'] for r in ok) / max(len(ok), 1):.1f} "
        f"per brief); tokens {sum(r['prompt_tokens'] for r in ok)} in, {sum(r['completion_tokens'] for r in ok)} out",
    ]
    return "\n".join(lines)


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="brief every .txt/.html/.md in this folder instead")
    parser.add_argument("--out", type=Path, default=OUT / "brief_quality.jsonl")
    parser.add_argument("--limit", type=int, help="the first N articles only")
    parser.add_argument("--resume", action="store_true", help="keep the records already in --out")
    parser.add_argument("--table", type=Path, help="print the table of a saved run and stop")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"), help="print two saved runs")
    args = parser.parse_args()
    if args.table:
        print(table(_load(args.table)))
        return 0
    if args.compare:
        for path in args.compare:
            print(f"== {path}\n{table(_load(path))}\n")
        return 0
    if args.folder:
        items = list(folder_articles(args.folder))
    else:
        items = [(i, p.read_text(encoding="utf-8"), d, s) for i, p, d, s in SEEDS] + list(eval_articles())
    items = items[: args.limit] if args.limit else items
    args.out.parent.mkdir(parents=True, exist_ok=True)
    done = {r["id"]: r for r in _load(args.out)} if args.resume and args.out.exists() else {}
    summarizer = Summarizer()
    rows = []
    with args.out.open("a" if args.resume else "w", encoding="utf-8") as fh:
        for ident, text, published, source in items:
            if ident in done:
                rows.append(done[ident])
                continue
            t0 = time.perf_counter()
            try:
                summary = summarizer.summarize(Article(text=text, published_at=published, source=source))
                row = {"id": ident, **measure(summary, time.perf_counter() - t0)}
            except Exception as exc:  # one article's failure is a record, not the end of the bench
                row = {"id": ident, "error": f"{type(exc).__name__}: {exc}"[:300]}
            rows.append(row)
            fh.write(json.dumps(row) + "\n")
            fh.flush()
            print(f"{ident}: {row.get('bullets', '-')} bullets, {row.get('seconds', '-')} s", file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
