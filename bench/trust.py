"""Benchmark the trust layer (``check()``) on three dev sets: false alarms on clean summaries, recall per error class.

    python bench/trust.py                      # BUMP, FRANK and RAGTruth; writes bench/out/trust_*.jsonl
    python bench/trust.py --set ragtruth       # one set
    python bench/trust.py --no-write

Sets (read from ../shared/eval at run time, never copied into the repository):

* BUMP task1 and task2 (CNN/DM references with one human-inserted error each): clean = the faithful references
  (also those whose figures the article supports: ``refs/fig-ok``); classes = number edits (the multiset of figures
  read changed), predicate edits (task1's Intrinsic/Extrinsic Predicate Error), and the frame edits found in any
  task by the words the edit changed: ``negation`` (a negator added or removed), ``direction`` (a word of change
  swapped for its opposite), ``certainty`` (a hedge or condition added or removed).
* FRANK (system summaries of CNN/DM with human annotations): clean = ``Factuality == 1``; classes = ``CircE``,
  ``EntE``, ``RelE`` below 1 (the sentence-level error classes of the FRANK typology), and any error.
* RAGTruth (900 LLM summaries of 150 news articles, 659 clean): clean = no label; a label counts as caught when an
  unsupported finding overlaps its span; classes = labels whose span holds a figure or date (``figure``, less the
  hand-checked EXCLUDED list where the figure is right and the error lies elsewhere) and all other labels; plus the
  response-level balanced accuracy (flag rate on hallucinated responses and pass rate on clean ones, averaged).

Also printed: the naive anchor ("every figure of the summary occurs somewhere in the article") on the same clean
summaries, and checks per second. Misses and false alarms go to bench/out/trust_<set>_{misses,false_alarms}.jsonl;
the excluded RAGTruth labels with their reasons to bench/out/trust_ragtruth_excluded.jsonl.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.validate import ValidationReport, check, read_numbers  # noqa: E402
from summarizer.validate.discourse import unchecked_spans  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "bench" / "out"

# RAGTruth labels whose span holds a figure that the article states correctly, the error lying in other words of
# the span; hand-checked one by one against the article, keyed by (source_id, model, label start). A number check
# cannot and should not flag these; the list is printed to bench/out so anyone can audit it.
EXCLUDED: dict[tuple[int, str, int], str] = {
    (15786, "llama-2-7b-chat", 659): "ages 16 and 14 are the article's ('The boys, 16 and 14'); the error is who was "
    "transported ('The family was airlifted')",
    (15791, "llama-2-7b-chat", 1067): "250,000 deaths per year between 2030 and 2050 are the article's; the error is "
    "the speaker (the World Health Organization, not the EPA)",
    (11395, "gpt-4-0613", 112): "16 is the article's ('killed 16 Nepalis'); the error is 'Sherpas' for 'Nepalis'",
    (11768, "mistral-7B-instruct", 175): "1969 is the article's ('the first set of female quintuplets in the world "
    "since 1969'); the error is 'in Houston' for 'in the world'",
    (11808, "llama-2-70b-chat", 603): "the age 2 is the article's ('She was 2 years old'); the error is "
    "'granddaughter' for 'daughter'",
    (11910, "llama-2-7b-chat", 275): "1941 is the article's ('its first title since 1941'); the error is 'went on "
    "to win' for 'will be looking to win'",
    (13872, "llama-2-70b-chat", 294): "the 30-day window is the article's; the error is 'funding is needed to … "
    "reduce' it, which the article does not say",
    (15744, "gpt-4-0613", 921): "'zero-tolerance policy' is the article's ('instituted a zero-tolerance policy on "
    "sexual assault'); the span's error is the new information around it (the Title IX investigation 'as a result "
    "of a civil suit')",
    (15744, "gpt-3.5-turbo-0613", 1009): "'zero-tolerance policy' is the article's; the span's error is the new "
    "information around it (the 'conversation' the article sparked, the civil suit)",
    (15744, "llama-2-7b-chat", 715): "'zero-tolerance policy' is the article's; the span's error is the new "
    "information around it (survivors 'fearing they will be accused of lying', a 'wider debate')",
    (15744, "llama-2-70b-chat", 482): "'zero-tolerance policy' is the article's; the span's error is the new "
    "information around it (what advocates are 'concerned' about, the 'necessary conversation')",
    (11323, "gpt-3.5-turbo-0613", 1046): "1682 is the article's ('the first known mention of the bunny and the eggs in "
    "writing was in 1682'); the label disputes the mention, which the article states",
    (11826, "llama-2-70b-chat", 287): "the 7-inch single is the article's ('the 7-inch single will be available for "
    "sale'); the error is who the proceeds benefit",
    (11877, "mistral-7B-instruct", 257): "'the past five years' restates the article's 'for the fifth year in a row in "
    "2014'; the error is 'Waze' for 'ambush attacks' as the leading cause",
    (13962, "mistral-7B-instruct", 454): "October 28th is the article's ('will be in action on October 28th at the "
    "TCHS Jamboree'); the error is the named opponent, which the article does not give",
    (15777, "gpt-3.5-turbo-0613", 100): "Flight 9525 is the article's ('the co-pilot on Germanwings Flight 9525'); the "
    "error is 'intentionally crashed the plane', which the article does not say",
    (15777, "llama-2-13b-chat", 56): "Flight 9525 is the article's; the error is 'the recent crash', which the "
    "article does not mention",
    (15777, "llama-2-70b-chat", 50): "Flight 9525 is the article's; the error is 'who intentionally crashed the "
    "plane', which the article does not say",
}


def _vocab(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NEGATORS = _vocab("not no never none nobody nothing neither nor without denied deny denies n't cannot")
_DIRECTION_PAIRS = [
    ("rose", "fell"), ("rise", "fall"), ("rises", "falls"), ("risen", "fallen"), ("up", "down"),
    ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"), ("gain", "loss"),
    ("gained", "lost"), ("higher", "lower"), ("above", "below"), ("more", "fewer"), ("more", "less"),
    ("grew", "shrank"), ("raised", "lowered"), ("raise", "cut"), ("won", "lost"), ("win", "lose"),
    ("before", "after"), ("increasing", "decreasing"), ("jumped", "dropped"), ("climbed", "declined"),
]  # fmt: skip
_DIRECTION = frozenset(w for pair in _DIRECTION_PAIRS for w in pair)
_HEDGES = _vocab(
    "may might could would should possibly probably likely allegedly reportedly suspected expected plans plan "
    "planned if unless whether appears apparently seems believed potential potentially"
)
_WORD = re.compile(r"[A-Za-z']+")


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def frame_classes(reference: str, edited: str) -> set[str]:
    """The frame classes of a minimal edit, from the words it changed (added or removed)."""
    a, b = _words(reference), _words(edited)
    changed = set((a - b) | (b - a))
    out = set()
    if changed & _NEGATORS or any(w.endswith("n't") for w in changed):
        out.add("negation")
    if len(changed & _DIRECTION) >= 1 and any(
        (x in changed and y in changed) or (x in a and y in b) or (y in a and x in b) for x, y in _DIRECTION_PAIRS
    ):
        out.add("direction")
    if changed & _HEDGES:
        out.add("certainty")
    return out


def number_bag(text: str) -> Counter[tuple[object, ...]]:
    """The figures of a text, as a multiset of what makes two read numbers the same figure."""
    return Counter(
        (n.kind, round(n.value, 6), n.low, n.high, n.month, n.year, n.currency, n.unit) for n in read_numbers(text)
    )


def anchor_ok(article: str, summary: str) -> bool:
    """The naive anchor: every figure of the summary has its value somewhere in the article."""
    values = {round(v, 6) for n in read_numbers(article) for v in (n.value, n.low, n.high, n.year) if v is not None}
    for n in read_numbers(summary):
        if n.word and n.text.lower() in ("one", "a", "an"):
            continue
        if any(round(v, 6) not in values for v in (n.value, n.low, n.high) if v is not None):
            return False
    return True


class Tally:
    """Counts of one set: clean summaries flagged, and per class the error cases caught."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.clean: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.classes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.extra: dict[str, float] = {}
        self.misses: list[dict[str, Any]] = []
        self.alarms: list[dict[str, Any]] = []

    def add_clean(self, group: str, flagged: bool) -> None:
        self.clean[group][0] += flagged
        self.clean[group][1] += 1

    def add_case(self, cls: str, caught: bool) -> None:
        self.classes[cls][0] += caught
        self.classes[cls][1] += 1


def _errors(rep: ValidationReport) -> list[dict[str, Any]]:
    return [f.model_dump(include={"kind", "field", "text", "reason"}) for f in rep.errors()]


# ---------------------------------------------------------------------------------------------------------------
# BUMP


def run_bump(tally: Tally, task: str) -> None:
    """BUMP: references are clean; number, predicate and frame edits are the classes."""
    records = json.loads((EVAL / "bump" / "data" / f"task{task}_dataset.json").read_text(encoding="utf-8"))
    seen: dict[tuple[str, str], bool] = {}
    for r in records:
        article, ref, edit = r["article"], r["reference_summary"], r["edited_summary"]
        key = (article, ref)
        if key not in seen:
            rep = check(article, ref)
            seen[key] = not rep.ok
            tally.add_clean("refs", not rep.ok)
            fig_ok = anchor_ok(article, ref)
            if fig_ok:
                tally.add_clean("refs/fig-ok", not rep.ok)
            tally.add_clean("refs/anchor", not fig_ok)
            if not rep.ok:
                tally.alarms.append({"task": task, "id": r["id"], "summary": ref, "errors": _errors(rep)})
        classes = set()
        if number_bag(ref) != number_bag(edit):
            classes.add("number")
        etype = r.get("error_type") or ""
        if "Predicate" in etype:
            classes.add("predicate")
        classes |= frame_classes(ref, edit)
        if not classes:
            continue
        rep = check(article, edit)
        caught = not rep.ok
        for cls in classes:
            tally.add_case(cls, caught)
        if not caught:
            tally.misses.append(
                {"task": task, "id": r["id"], "classes": sorted(classes), "error_type": etype, "reference": ref,
                 "edited": edit}
            )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# FRANK


def frank_items(split: str) -> Iterable[tuple[dict[str, Any], str, str]]:
    """(annotation, article, summary) for every FRANK annotation whose article file is here."""
    base = EVAL / "frank" / "data"
    annotations = json.loads((base / "human_annotations.json").read_text(encoding="utf-8"))
    files: dict[str, dict[str, Any]] = {}
    for a in annotations:
        if split != "all" and a.get("split") != split:
            continue
        h = a["hash"]
        if h not in files:
            path = base / "articles-wbertscore-json" / f"{h}.json"
            files[h] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        doc = files[h]
        summary = doc.get(a["model_name"])
        if not doc or not isinstance(summary, str):
            continue
        yield a, doc["article"], summary


def run_frank(tally: Tally, split: str) -> None:
    """FRANK: Factuality == 1 is clean; CircE, EntE, RelE below 1 are the classes."""
    for a, article, summary in frank_items(split):
        rep = check(article, summary)
        flagged = not rep.ok
        if a["Factuality"] == 1.0:
            tally.add_clean("factual", flagged)
            tally.add_clean("factual/anchor", not anchor_ok(article, summary))
            if flagged:
                tally.alarms.append(
                    {"hash": a["hash"], "model": a["model_name"], "summary": summary, "errors": _errors(rep)}
                )
            continue
        classes = [c for c in ("CircE", "EntE", "RelE") if a[c] < 1.0]
        for cls in [*classes, "any"]:
            tally.add_case(cls, flagged)
        if not flagged and classes:
            tally.misses.append({"hash": a["hash"], "model": a["model_name"], "classes": classes, "summary": summary})


# ---------------------------------------------------------------------------------------------------------------
# RAGTruth


def has_figure(text: str) -> bool:
    """A labelled span holds a figure or date (not the word "one", "a" or "an")."""
    return any(not (n.word and n.text.lower() in ("one", "a", "an")) for n in read_numbers(text))


def run_ragtruth(tally: Tally, excluded_out: list[dict[str, Any]]) -> None:
    """RAGTruth: unlabelled responses are clean; labels are caught by an overlapping unsupported finding."""
    path = EVAL / "ragtruth" / "ragtruth_summary.jsonl"
    hallucinated = [0, 0]
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        source = row["source"]
        for resp in row["responses"]:
            text, labels = resp["response"], resp["labels"]
            rep = check(source, text)
            flagged = not rep.ok
            if not labels:
                tally.add_clean("clean", flagged)
                tally.add_clean("clean/anchor", not anchor_ok(source, text))
                if flagged:
                    tally.alarms.append(
                        {"source_id": row["source_id"], "model": resp["model"], "summary": text,
                         "errors": _errors(rep)}
                    )  # fmt: skip
                continue
            hallucinated[0] += flagged
            hallucinated[1] += 1
            spans = [f.span for f in rep.errors() if f.span is not None]
            for lab in labels:
                key = (row["source_id"], resp["model"], lab["start"])
                cls = "figure" if has_figure(lab["text"]) else "other"
                if cls == "figure" and key in EXCLUDED:
                    excluded_out.append({"key": list(key), "text": lab["text"], "reason": EXCLUDED[key]})
                    continue
                caught = any(sp.start < lab["end"] and sp.end > lab["start"] for sp in spans)
                tally.add_case(cls, caught)
                tally.add_case("label/" + lab["label_type"], caught)
                if not caught and cls == "figure":
                    tally.misses.append(
                        {"source_id": row["source_id"], "model": resp["model"], "label": lab["text"],
                         "meta": lab["meta"], "findings": [f.model_dump(include={"kind", "text", "status", "reason"})
                                                           for f in rep.findings]}
                    )  # fmt: skip
    clean_flag, clean_n = tally.clean["clean"]
    tpr = hallucinated[0] / max(1, hallucinated[1])
    tnr = 1 - clean_flag / max(1, clean_n)
    tally.extra["responses flagged (hallucinated)"] = tpr
    tally.extra["balanced accuracy"] = (tpr + tnr) / 2


# ---------------------------------------------------------------------------------------------------------------
# Frame edits made from clean summaries


_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|can|did|does|do)\s+(?!not\b|n't\b|never\b)(?=[a-z])")
_NOT = re.compile(r"\s+not\b|n't\b")
_SWAPS = {a: b for x, y in _DIRECTION_PAIRS if x not in ("up", "down", "more", "before", "after", "won", "win")
          for a, b in ((x, y), (y, x))}  # fmt: skip
_SWAP_RE = re.compile(r"\b(" + "|".join(sorted(_SWAPS, key=len, reverse=True)) + r")\b")
_PARTICIPLE = re.compile(r"\s+([a-z]{3,}ed)\b")  # a regular participle is its own past tense
_HEDGED = re.compile(
    r"\b(?P<h>may|might|could|is expected to|are expected to|was expected to|plans to|planned to|allegedly|reportedly)"
    r"\s+(?P<v>[a-z]{4,})\b"
)


def frame_edits(summary: str, source: str) -> Iterable[tuple[str, str]]:
    """(class, edited summary) for one edit of each frame class that applies to the summary, at its first place
    outside the model's preamble and list markers.

    negation: "not" inserted after the first auxiliary (or the summary's first "not" removed); direction: the first
    word of change swapped for its opposite (rose/fell, increase/decrease ...); certainty: where the summary keeps
    a source hedge ("may abandon", "allegedly shot", "is expected to rise", "may have traveled"), the hedge removed
    ("will abandon", "shot", "will rise", "traveled")."""
    meta = unchecked_spans(summary)

    def first(pattern: re.Pattern[str]) -> re.Match[str] | None:
        # The model's preamble ("Here is a summary ...") says nothing of the article: an edit there is no frame
        # error, so each edit goes to the first place in a sentence about the article.
        return next((m for m in pattern.finditer(summary) if not any(a <= m.start() < b for a, b in meta)), None)

    m = first(_NOT)
    if m is not None:
        yield "negation", summary[: m.start()] + summary[m.end() :]
    else:
        a = first(_AUX)
        if a is not None:
            yield "negation", summary[: a.end()] + "not " + summary[a.end() :]
    d = first(_SWAP_RE)
    if d is not None:
        yield "direction", summary[: d.start()] + _SWAPS[d.group(1)] + summary[d.end() :]
    for h in _HEDGED.finditer(summary):
        if any(a <= h.start() < b for a, b in meta):
            continue
        if h.group() in source:
            verb = h.group("v")
            if h.group("h") in ("allegedly", "reportedly"):
                plain, end = verb, h.end()
            elif verb == "have" and (p := _PARTICIPLE.match(summary, h.end())) is not None:
                # "may have traveled" -> "traveled": "will have traveled" would still be a guess ("she will have
                # arrived by now").
                plain, end = p.group(1), p.end()
            else:
                plain, end = "will " + verb, h.end()
            yield "certainty", summary[: h.start()] + plain + summary[end:]
            break


def run_frame_edits(tally: Tally) -> None:
    """Recall on frame edits made from RAGTruth's clean summaries (only those whose unedited text passes)."""
    path = EVAL / "ragtruth" / "ragtruth_summary.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        source = row["source"]
        for resp in row["responses"]:
            text = resp["response"]
            if resp["labels"] or not check(source, text).ok:
                continue
            for cls, edited in frame_edits(text, source):
                rep = check(source, edited)
                caught = any(f.kind == cls for f in rep.errors())
                tally.add_case(cls, caught)
                tally.add_case(cls + " (any finding)", not rep.ok)
                if not caught:
                    tally.misses.append({"source_id": row["source_id"], "class": cls, "edited": edited})


# ---------------------------------------------------------------------------------------------------------------


def _rate(pair: list[int]) -> str:
    caught, n = pair
    return f"{caught / n:.3f} ({caught}/{n})" if n else "-"


def report(tallies: list[Tally]) -> None:
    """Print one block per set: clean flagged per group, recall per class, extras."""
    for t in tallies:
        print(f"== {t.name}")
        for group, pair in t.clean.items():
            what = "anchor flags" if group.endswith("/anchor") else "clean flagged"
            print(f"   {what:<14} {group:<16} {_rate(pair)}")
        for cls, pair in sorted(t.classes.items()):
            print(f"   recall         {cls:<30} {_rate(pair)}")
        for k, v in t.extra.items():
            print(f"   {k:<45} {v:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=["bump", "frank", "ragtruth", "edits", "all"], default="all")
    ap.add_argument("--frank-split", choices=["valid", "test", "all"], default="all")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    sets = ["bump", "frank", "ragtruth", "edits"] if args.set == "all" else [args.set]
    tallies: list[Tally] = []
    excluded: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    checks = 0
    for s in sets:
        if s == "bump":
            for task in ("1", "2"):
                t = Tally(f"bump task{task}")
                run_bump(t, task)
                tallies.append(t)
        elif s == "frank":
            t = Tally(f"frank ({args.frank_split})")
            run_frank(t, args.frank_split)
            tallies.append(t)
        elif s == "edits":
            t = Tally("frame edits (RAGTruth clean)")
            run_frame_edits(t)
            tallies.append(t)
        else:
            t = Tally("ragtruth")
            run_ragtruth(t, excluded)
            tallies.append(t)
    elapsed = time.perf_counter() - t0
    for t in tallies:
        checks += sum(n for _, n in t.clean.values() if True) // 2 + sum(n for _, n in t.classes.values())
    report(tallies)
    print(f"elapsed {elapsed:.1f} s")
    if not args.no_write:
        OUT.mkdir(parents=True, exist_ok=True)
        for t in tallies:
            stem = "trust_" + t.name.split(" (")[0].replace(" ", "_")
            for suffix, rows in (("misses", t.misses), ("false_alarms", t.alarms)):
                with (OUT / f"{stem}_{suffix}.jsonl").open("w", encoding="utf-8") as fh:
                    for row in rows:
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        if "ragtruth" in sets:
            with (OUT / "trust_ragtruth_excluded.jsonl").open("w", encoding="utf-8") as fh:
                for row in excluded:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"wrote misses and false alarms to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
