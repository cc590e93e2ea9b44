"""Check the numbers and quotations of a summary against its source text: the verdict.

Every number of the output is *supported* (the same quantity stands in the source, in a matching context),
*derived* (it follows from source figures by a stated rule) or *unsupported*. Every quoted passage of three
words or more is checked too, and the frames of each sentence (certainty, negation, direction, period,
attribution). The stages, one module each:

* :mod:`~summarizer.validate.words` — the tokenizer, stop list, stemmer and sentence splitter of the package;
* :mod:`~summarizer.validate.numbers` — the number reader ("$1.2bn", "twenty-one", "April 18-26");
* :mod:`~summarizer.validate.discourse` — what a summary says about itself (preambles, list markers), blanked;
* :mod:`~summarizer.validate.context` — a number in its context: sentence, nearby words, head noun, name;
* :mod:`~summarizer.validate.fit` — how well a source figure fits an output figure's context, and its rivals;
* :mod:`~summarizer.validate.derived` — the derived rules, a table of small functions;
* :mod:`~summarizer.validate.quotes` — quotations and scare quotes;
* :mod:`~summarizer.validate.frames` — the frame checks;
* this module — the verdict per figure, and :func:`check` / :func:`check_fields`.

How a number is matched
    The number is read with :func:`read_numbers` (so "$1.2bn", "1,200 million dollars" and "1.2 billion
    dollars" are one value) and compared with the source numbers of a compatible kind: money with money (same
    currency), percentages with percentages, dates with dates (same month and day), counts, ages, years and
    quantities with one another.

Rules outside the rival search (the rival search itself: :mod:`summarizer.validate.fit`)
    * a ratio ("1 in 16") is one figure: when the source gives ratios but not this one, its second number is
      unsupported, whatever else that number counts in the source ("up to 16 hours");
    * a date or clock time belongs to an event: when the source sentence holding it shares no word with the output
      sentence and its neighbours hardly any (below LOW_FIT), it is unsupported ("his death on April 12" for
      "arrested on April 12");
    * an age given to a name the source never mentions ("Sean Hannity 11,") is unsupported;
    * "one" is reported only when it counts a noun the source counts with another figure and never as one ("one
      Spanish citizen" for "two Spanish citizens").


Verbatim copies
    A field that stands verbatim inside a source sentence it cites (an extracted claim or timeline clause, or a
    sentence the model copied) is not read again: each of its figures is the source figure at that place,
    *supported* with confidence 1 and that exact span. A figure cut by either end of the copy ("on May 29" from
    "on May 29, 1943") sends the field to the full check, as does a copy of a sentence the field does not cite.

The word "one" is otherwise not checked: it is a pronoun or article far more often than a figure; see
:func:`_check_one`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import islice

from summarizer.validate.context import (
    HEDGE_ABOVE,
    HEDGE_BELOW,
    HEDGE_LESS,
    Ctx,
    Source,
    Text,
    analyse,
    apposed_name,
    excerpt,
    format_figure,
    hedge_of,
    number_values,
    prepare_source,
    source_span,
)
from summarizer.validate.derived import derive
from summarizer.validate.discourse import blank, is_lowercased, truecase, unchecked_spans
from summarizer.validate.fit import (
    GENERAL_NOUNS,
    HEAD_BONUS,
    bare_money,
    fit,
    head_fit,
    is_partitive,
    other_casualties,
    other_generation,
    rival,
    role_ok,
    same_quantity,
    same_value,
    unrelated,
)
from summarizer.validate.frames import SourceSentences, check_frames
from summarizer.validate.frames import clear_caches as clear_frame_caches
from summarizer.validate.numbers import Number, clear_number_cache
from summarizer.validate.quotes import check_quote, clear_source_words, quoted_passages
from summarizer.validate.report import DERIVED_CONFIDENCE, Finding, Span, ValidationReport
from summarizer.validate.words import TOKEN, stem

__all__ = ["check", "check_fields", "clear_caches"]


def _check_number(o: Ctx, out: Text, src: Source, field_name: str, hinted: frozenset[int]) -> Finding:
    """The finding for one output figure: supported, derived or unsupported, with spans and reason."""
    n = o.num
    kind = "date" if n.kind == "date" else "number"
    base = {
        "kind": kind,
        "field": field_name,
        "text": n.text,
        "span": Span(start=n.start, end=n.end, text=n.text),
        "value": n.value,
    }
    if o.ent and n.kind in ("count", "age") and not any(w in src.idf for w in o.ent):
        name = apposed_name(out.text, n, out.sents[o.sent][0])
        reason = f'"{n.text}" is given as the age of a name the source never mentions ({name!r})'
        return Finding(status="unsupported", source_spans=[], reason=reason, confidence=0.0, **base)  # type: ignore[arg-type]
    if o.ent and n.kind == "age":
        other = _other_age(o, src)
        if other is not None:
            return Finding(status="unsupported", source_spans=[], reason=other, confidence=0.0, **base)  # type: ignore[arg-type]
    if o.per is not None:
        ratio = _check_ratio(o, src)
        if ratio is not None:
            return Finding(status="unsupported", source_spans=[], reason=ratio, confidence=0.0, **base)  # type: ignore[arg-type]
    candidates = src.nums if n.kind not in ("year", "decade") else [*src.nums, *src.years]
    statuses: list[tuple[str, list[Span], str, float]] = []
    for value in number_values(n) if n.kind != "date" else [n.value]:
        # The sort test first: same_quantity is False across sorts, and most source figures are of another sort.
        # Then, outside dates, its last test alone (the value): most figures of the same sort have another value.
        same = [
            c
            for c in candidates
            if (c.group == o.group or bare_money(o, c))
            and (o.group == "date" or any(same_value(value, v) for v in c.values))
            and same_quantity(n, c.num, value)
            and role_ok(o, c)
        ]
        # A figure that counts something else (the other toll, another generation's offspring) is set aside; when
        # every one does, that is the reason.
        counted: str | None = None
        for counts_other, why in _OTHER_COUNTS:
            apart = [c for c in same if counts_other(o, c)]
            if apart and len(apart) == len(same):
                counted = why(o, out, apart[0], src)
                break
            same = [c for c in same if c not in apart]
        if counted is not None:
            statuses.append(("unsupported", [], counted, 0.0))
            continue
        if n.kind == "range" and not same:
            # A range end may stand alone in the source ("20 ... 30").
            same = [c for c in candidates if c.group == o.group and any(same_value(value, v) for v in c.values)]
        statuses.append(_verdict_for_value(o, out, src, value, same, hinted))
    status = "supported"
    if any(s == "unsupported" for s, _, _, _ in statuses):
        status = "unsupported"
    elif any(s == "derived" for s, _, _, _ in statuses):
        status = "derived"
    spans: list[Span] = []
    # An unsupported figure cites nothing: the passage of a range's supported end is no evidence for the range.
    for s, sp, _, _ in statuses:
        if status != "unsupported" or s == "unsupported":
            spans.extend(x for x in sp if x not in spans)
    reason = "; ".join(dict.fromkeys(r for s, _, r, _ in statuses if s == status))
    confidence = min(c for _, _, _, c in statuses)
    return Finding(status=status, source_spans=spans, reason=reason, confidence=confidence, **base)  # type: ignore[arg-type]


def _check_one(o: Ctx, out: Text, src: Source, field_name: str) -> Finding | None:
    """The word "one" is a pronoun or article more often than a figure: it is reported only when clearly wrong:
    it counts a noun ("one Spanish citizen") that the source counts with another figure ("two Spanish citizens")
    and never as one."""
    if not o.head:
        return None
    m = TOKEN.search(out.text, o.num.end)
    if m is None:
        return None
    word = m.group()
    if re.search(rf"\b(?:an?|one|single|another|each|every)\s+(?:[\w-]+\s+)?{re.escape(word)}", src.text, re.I):
        return None
    others = [c for c in src.nums if c.num.kind == "count" and c.head and o.head <= c.head]
    if not others or any(same_value(c.num.value, 1.0) for c in others):
        return None
    c = others[0]
    n = o.num
    what = _words_after(out, n, len(o.head))
    where = excerpt(src.text, c.num.start, c.num.end, 30)
    reason = f'"{n.text} {what}": the source counts them as {c.num.text!r} ({where!r})'
    return Finding(
        kind="number", field=field_name, text=n.text, span=Span(start=n.start, end=n.end, text=n.text),
        value=n.value, status="unsupported", source_spans=[], reason=reason, confidence=0.0,
    )  # fmt: skip


def _words_after(out: Text, n: Number, count: int) -> str:
    """The output's own first ``count`` words after figure ``n``: a reason shows "rebounds", not the stem "rebound"."""
    return " ".join(t.group() for t in islice(TOKEN.finditer(out.text, n.end), count))


def _side(hedge: str | None) -> str | None:
    """Which way a hedge bounds its figure: "above" ("more than", "over"), "below" ("under", "nearly"), or None."""
    if hedge is None:
        return None
    if hedge in HEDGE_ABOVE:
        return "above"
    return "below" if hedge in HEDGE_BELOW or hedge in HEDGE_LESS else None


def _bound_conflict(o: Ctx, same: list[Ctx], src: Source) -> str | None:
    """Why a bounded figure is unsupported: the source bounds every mention of it the other way ("over 270" where
    the source says "under 270"). A bound dropped or added is left alone: summaries round so."""
    mine = _side(hedge_of(o))
    if mine is None or not all(_side(hedge_of(c)) not in (None, mine) for c in same):
        return None
    c = same[0]
    where = excerpt(src.text, c.num.start, c.num.end, 25)
    return f'"{hedge_of(o)} {o.num.text}" bounds it the other way: the source says {where!r}'


def _counts_another(o: Ctx, out: Text, same: list[Ctx], src: Source) -> str | None:
    """Why a count of a noun is unsupported: the source counts that noun with other figures only, and this figure
    only where the noun is not named ("10 rebounds" where the source has "11 rebounds" and "18 points, 10 of
    which came in the first half")."""
    if o.slot != "count" or not o.head or o.head & GENERAL_NOUNS:
        return None
    # Every mention of the figure must count something named, and something else: a bare figure ("More than
    # 10,000 have not survived") or a general noun ("100 people") may be what the output names.
    same = [c for c in same if not _in_name(c, src)]
    if any(is_partitive(c, src) for c in same):
        return None  # "Three of the attackers were killed": a part of the set the source counts as "four militants"
    if not same or any(not c.head or c.head & (o.head | _ANY_COUNT) or o.head & src.sent_words[c.sent] for c in same):
        return None
    others = [c for c in src.nums if c.slot == "count" and c.head & o.head]
    if not others:
        return None
    c = others[0]
    where = excerpt(src.text, c.num.start, c.num.end, 30)
    what = _words_after(out, o.num, len(o.head))
    return f'"{o.num.text} {what}": the source counts {what} as {c.num.text!r} ({where!r}), never as {o.num.text}'


#: Nouns that name what any count counts: "100 people" are "100 passengers", "played 19 times" is "19 games".
_ANY_COUNT = GENERAL_NOUNS | frozenset(stem(w) for w in ("time", "times", "occasion", "occasions"))


def _other_toll(o: Ctx, out: Text, c: Ctx, src: Source) -> str:
    """Why a casualty figure is unsupported: the source's same figure counts the other toll (dead for injured)."""
    what = _words_after(out, o.num, 1)
    where = excerpt(src.text, c.num.start, c.num.end, 30)
    return f'"{o.num.text} {what}": in the source {c.num.text!r} is the other toll ({where!r})'


def _other_kin(o: Ctx, out: Text, c: Ctx, src: Source) -> str:
    """Why "a mother of two" is unsupported: the source's two are the grandchildren of "a grandmother of two"."""
    mine = " ".join(out.text[max(0, o.num.start - 40) : o.num.end].split()[-3:])
    theirs = " ".join(src.text[max(0, c.num.start - 40) : c.num.end].split()[-3:])
    where = excerpt(src.text, c.num.start, c.num.end, 30)
    return f'"{mine}": the source says "{theirs}", another generation ({where!r})'


#: What makes a same-valued source figure count something else, and the reason an editor reads, tried in order.
_OTHER_COUNTS: tuple[tuple[Callable[[Ctx, Ctx], bool], Callable[[Ctx, Text, Ctx, Source], str]], ...] = (
    (other_casualties, _other_toll),
    (other_generation, _other_kin),
)


def _in_name(c: Ctx, src: Source) -> bool:
    """A capitalised number word after a capitalised word is part of a name, not a figure ("the Big Ten",
    "the Final Four")."""
    t = c.num.text
    return (
        c.num.word
        and t[:1].isupper()
        and _NAME_BEFORE.search(src.text, max(0, c.num.start - 30), c.num.start) is not None
    )


_NAME_BEFORE = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+\s+$")


def _other_age(o: Ctx, src: Source) -> str | None:
    """Why a named person's age is unsupported: the source gives that name another age, and never this one
    ("23-year-old Martin Richard" where the source has "Martin Richard, 8")."""
    ages = [c for c in src.nums if c.num.kind == "age" and c.ent and o.ent <= c.ent]
    if not ages or any(same_value(c.num.value, o.num.value) for c in ages):
        return None
    c = ages[0]
    where = excerpt(src.text, c.num.start, c.num.end, 30)
    return f'"{o.num.text}": the source gives that age as {c.num.text!r} ({where!r})'


def _check_ratio(o: Ctx, src: Source) -> str | None:
    """Why the ratio "1 in 16" of the output is unsupported, when the source gives ratios but never this one.

    A ratio is one figure written in two numbers: its second number is not supported by a 16 that counts something
    else ("up to 16 hours"). With no ratio at all in the source, the ordinary check decides."""
    assert o.per is not None
    top = o.per.num.value
    ratios = [(c.per, c) for c in src.nums if c.per is not None]
    if not ratios or any(same_value(p.num.value, top) and same_value(c.num.value, o.num.value) for p, c in ratios):
        return None
    shown = ", ".join(dict.fromkeys(repr(src.text[p.num.start : c.num.end]) for p, c in ratios[:3]))
    return f'the ratio "{format_figure(top)} in {o.num.text}" is not in the source, which gives {shown}'


def _verdict_for_value(
    o: Ctx, out: Text, src: Source, value: float, same: list[Ctx], hinted: frozenset[int]
) -> tuple[str, list[Span], str, float]:
    """The verdict on one value of an output number: status, source spans, reason and confidence (see Finding)."""
    n = o.num
    shown = n.text
    if same:
        scored = sorted(
            ((fit(o, out, c, src, hinted) + HEAD_BONUS * (head_fit(o, c) or 0.0), i, c) for i, c in enumerate(same)),
            key=lambda t: (-t[0], t[1]),
        )
        best_same, _, best = scored[0]
        if n.kind in ("date", "time") and unrelated(o, out, best, src, hinted):
            where = excerpt(src.text, best.num.start, best.num.end, 35)
            return "unsupported", [], f'"{shown}" stands in the source only in an unrelated sentence ({where!r})', 0.0
        rc = rival(o, out, src, value, best, hinted)
        if rc is not None:
            where = excerpt(src.text, best.num.start, best.num.end, 35)
            rwhere = excerpt(src.text, rc.num.start, rc.num.end, 35)
            reason = (
                f'"{shown}" appears in the source only in another context ({where!r}); '
                f"in this context the source has {rc.num.text!r} ({rwhere!r})"
            )
            return "unsupported", [], reason, 0.0
        bound = _bound_conflict(o, same, src)
        if bound is not None:
            return "unsupported", [], bound, 0.0
        other = _counts_another(o, out, same, src)
        if other is not None:
            return "unsupported", [], other, 0.0
        spans = [source_span(c) for f, _, c in scored if f >= best_same - 1e-9][:3]
        found = f"found in source: {excerpt(src.text, best.num.start, best.num.end, 30)!r}"
        return "supported", spans, found, round(min(1.0, best_same), 3)
    derived = derive(o, out, src, value, hinted)
    if derived is not None:
        return (*derived, DERIVED_CONFIDENCE)
    return "unsupported", [], f'"{shown}" does not appear in the source', 0.0


def clear_caches() -> None:
    """Forget every prepared source and read text (for cold-start measurements)."""
    prepare_source.cache_clear()
    clear_number_cache()
    clear_frame_caches()
    clear_source_words()


def check(source: str, text: str, *, field: str = "text") -> ValidationReport:
    """Check every number and quoted passage of ``text`` against ``source``."""
    return check_fields(source, [(field, text)])


def check_fields(
    source: str, fields: Sequence[tuple[str, str]], *, aligned: dict[str, list[Span]] | None = None
) -> ValidationReport:
    """Check several output fields (path, text) against one source; ``aligned`` gives cited source spans per path.

    The fields are read as one text, joined by a separator no number, date, range or sentence can cross, and each
    finding is mapped back to its field: one analysis instead of one per field (a brief has a dozen)."""
    src = prepare_source(source)
    # The writer's talk about its own summary and list markers make no claim about the source: blanked, same length.
    written = list(fields)
    fields = [(path, blank(text, unchecked_spans(text))) for path, text in fields]
    lowered = all(is_lowercased(text) or not text.strip() for _, text in fields) and any(t.strip() for _, t in fields)
    if lowered:
        fields = [(path, truecase(text, source)) for path, text in fields]
    per_field: list[list[Finding]] = [[] for _ in fields]
    # A field copied verbatim from a sentence it cites is supported figure by figure at that position; the others
    # are checked in full.
    checked: list[int] = []
    for k, (path, text) in enumerate(fields):
        copied = _verbatim(src, path, text, (aligned or {}).get(path, []))
        if copied is None:
            checked.append(k)
        else:
            per_field[k] = copied
    texts = [fields[k][1] for k in checked]
    joined = _FIELD_SEP.join(texts)
    offsets: list[int] = []
    at = 0
    for text in texts:
        offsets.append(at)
        at += len(text) + len(_FIELD_SEP)
    out = analyse(joined)
    hints = [_hinted(src, (aligned or {}).get(fields[k][0], [])) for k in checked]
    for o in out.nums:
        i = bisect_right(offsets, o.num.start) - 1
        k = checked[i]
        path = fields[k][0]
        if o.num.word and o.num.text.lower() in ("one", "an", "a") and o.num.kind == "count":
            finding = _check_one(o, out, src, path)
            if finding is None:
                continue
        else:
            finding = _check_number(o, out, src, path, hints[i])
        per_field[k].append(_shift(finding, offsets[i]))
    where = {path: k for k, (path, _) in enumerate(fields)}
    frames = SourceSentences(src.text, src.sents, src.sent_words, src.idf, src.unknown_idf)
    for finding in check_frames(frames, fields, aligned):
        per_field[where[finding.field]].append(finding)
    findings: list[Finding] = []
    for k, (path, text) in enumerate(fields):
        for start, end, quote in quoted_passages(text):
            per_field[k].append(check_quote(start, end, quote, src.text, path, lowered=lowered))
        per_field[k].sort(key=lambda f: f.span.start if f.span else 0)
        findings.extend(_as_written(f, written[k][1]) for f in per_field[k])
    return ValidationReport(findings=findings)


def _as_written(finding: Finding, text: str) -> Finding:
    """The finding with its output text as the field writes it (the checks may have read a blanked or recased copy)."""
    sp = finding.span
    if sp is None or text[sp.start : sp.end] == sp.text:
        return finding
    shown = text[sp.start : sp.end]
    return finding.model_copy(update={"span": Span(start=sp.start, end=sp.end, text=shown), "text": shown})


def _verbatim(src: Source, path: str, text: str, spans: list[Span]) -> list[Finding] | None:
    """The findings of a field that stands verbatim inside one of the source sentences it cites, or None.

    Extracted claims and timeline clauses are cut from the source by code, and models often copy a sentence:
    each figure of such a copy is the source figure at the same place, so it is supported there, with the exact
    span. None (check in full) when the text is not such a copy, or when a source figure straddles an end of
    the copied stretch (the copy may read it differently). Quotations inside are still checked as quotations.
    """
    at = -1
    for sp in spans:
        at = src.text.find(text, sp.start, sp.end)
        if at >= 0:
            break
    if at < 0 or not text.strip():
        return None
    end = at + len(text)
    i = bisect_left(src.starts, at)
    if i and src.nums[i - 1].num.end > at:
        return None
    found: list[Finding] = []
    for c in src.nums[i:]:
        n = c.num
        if n.start >= end:
            break
        if n.end > end:
            return None
        if n.word and n.kind == "count" and n.text.lower() in ("one", "an", "a"):
            continue  # as in the full check: "one" is reported only when it is wrong
        where = excerpt(src.text, n.start, n.end, 30)
        found.append(
            Finding(
                kind="date" if n.kind == "date" else "number", field=path, text=n.text,
                span=Span(start=n.start - at, end=n.end - at, text=n.text), value=n.value, status="supported",
                source_spans=[source_span(c)], reason=f"copied verbatim from the source: {where!r}",
                confidence=1.0,
            )
        )  # fmt: skip
    return found


# Between fields: a paragraph mark on a line of its own. Sentences end at each newline, and no number pattern
# (ranges, dates, "aged 19", "Smith, 45,") reaches across a character that is neither space, word nor dash.
_FIELD_SEP = "\n¶\n"


def _shift(finding: Finding, offset: int) -> Finding:
    """The finding with its output span made relative to its own field."""
    if not offset or finding.span is None:
        return finding
    sp = finding.span
    return finding.model_copy(update={"span": Span(start=sp.start - offset, end=sp.end - offset, text=sp.text)})


def _hinted(src: Source, spans: list[Span]) -> frozenset[int]:
    """The source sentences the model's cited spans touch."""
    if not spans:
        return frozenset()
    return frozenset(i for i, (s, e) in enumerate(src.sents) for sp in spans if sp.start < e and sp.end > s)
