"""A number in its context: the sentence it stands in, the words around it, the noun it counts, the name it
stands beside.

Presence is not enough
    Each number has a *context*: the content words around it in its sentence (nearest first), the words right
    next to it (hedges such as "close to" skipped: they tell precision, not referent), its *head* (the noun it
    quantifies: "16 truck drivers" → truck, driver; "19-year-old telephone operator" → telephone, operator;
    "53 of the statues" → statue) and, for "Name, 45,", the *name* it stands in apposition to. A source number
    with the same value is scored by how well its context and sentence match the output's (words weighted by
    rarity in the source); the best one is the candidate support (see :mod:`summarizer.validate.fit`).

A source is read once (:func:`prepare_source`, cached): its sentences, each sentence's words, its figures in
context, the rarity (idf) of each word, its years (with those inside dates and ranges) and its vague plurals
("tens of thousands").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from summarizer.validate.numbers import Number, read_numbers
from summarizer.validate.report import Span
from summarizer.validate.starts import matches_from, word_starts
from summarizer.validate.words import STEMS, STOPWORDS, TOKEN, split, split_sentences, stem

__all__ = [
    "DECAY",
    "HEDGE_ABOUT",
    "HEDGE_ABOVE",
    "HEDGE_BELOW",
    "HEDGE_LESS",
    "WINDOW",
    "Ctx",
    "Source",
    "Text",
    "Vague",
    "analyse",
    "apposed_name",
    "excerpt",
    "format_figure",
    "hedge_of",
    "number_group",
    "number_slot",
    "number_values",
    "prepare_source",
    "source_span",
    "value_token",
]

HEDGE_BELOW = ("nearly", "almost", "close to", "just under", "just shy of", "approaching", "nearing")
HEDGE_ABOVE = ("more than", "over", "at least", "upwards of", "just over", "in excess of", "above", "exceeding")
HEDGE_LESS = ("less than", "under", "fewer than", "below", "up to", "as many as", "no more than")
HEDGE_ABOUT = (
    "about", "around", "roughly", "approximately", "some", "an estimated", "estimated", "circa", "approx",
    "almost exactly", "or so",
)  # fmt: skip
_HEDGE_RE = re.compile(
    r"\b(?P<h>"
    + "|".join(re.escape(h) for h in (*HEDGE_BELOW, *HEDGE_ABOVE, *HEDGE_LESS, *HEDGE_ABOUT))
    + r")\s+(?:(?:a|an|the|than|of)\s+)?$",
    re.IGNORECASE,
)
# Vague plurals: "dozens" [10, 100), "hundreds" [100, 1,000), "tens of thousands" [10,000, 100,000)...
_VAGUE = re.compile(
    r"\b(?:(?P<t>[Tt]ens|[Hh]undreds)\s+of\s+)?(?P<p>[Dd]ozens|[Hh]undreds|[Tt]housands|[Mm]illions|[Bb]illions)\b"
)
# A vague plural, or the "tens of"/"hundreds of" before one, starts one letter before these (the pattern's case).
_VAGUE_TAILS = ("ozens", "undreds", "housands", "illions")
_VAGUE_BASE = {"dozens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
_GAP_RE = re.compile(r"\s*[\"“‘]?|-")  # no parenthetical dash: "his age -- 73 -- training"
_RATIO_GAP = re.compile(r"\s+in\s+(?:every\s+)?")
# A word of a name: "Smith", "McGurk", "MacDonald", "O'Neill", "Smith-Jones" (read whole: a search that starts
# inside "McGurk" finds "Gurk", a name the source never mentions).
_NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z'’]+(?:-(?:Mc|Mac|O['’])?[A-Z][a-z'’]+)?"
_APPOSITION = re.compile(rf"(?<![\w'’-])((?:{_NAME_WORD}\s+){{0,2}}{_NAME_WORD}),\s$")
# "8-year-old Martin Richard": two or three capitalised words right after an age (a first and a last name).
_NAME_AFTER = re.compile(rf"[ \t]+((?:{_NAME_WORD}[ \t]+){{1,2}}{_NAME_WORD})\b")
_NAME_BEFORE = re.compile(rf"(?<![\w'’-])((?:{_NAME_WORD}\s+){{1,2}}{_NAME_WORD})\s$")
# "10 of which", "two of whom": the number counts the noun before the comma ("18 points, 10 of which came ...").
_OF_WHICH = re.compile(r"\s+of\s+(?:which|whom)\b")
_NOUN_COMMA = re.compile(r"\b([A-Za-z]{3,}),\s*$")
# Words skipped when reading the noun a number quantifies ("12 other vehicles", "53 of the statues").
_HEAD_SKIP = frozenset(split("other more new additional extra further own"))
_PARTITIVE = frozenset(split("of the a an his her their its our"))
# Units are matched by the number reader; as context they only say "a duration", not what is measured.
_MEASURE_WORDS = frozenset(split("year old month week day hour minute second"))

#: Context words taken on each side of a number, within its sentence.
WINDOW = 6
#: How fast the weight of a context word falls with its distance (in content words) from the number.
DECAY = 0.3


# The last word of every hedge, or a word that may follow one ("close to", "more than a"): a cheap pre-test.
_HEDGE_TAILS = frozenset(
    stem(w.split()[-1]) for w in (*HEDGE_BELOW, *HEDGE_ABOVE, *HEDGE_LESS, *HEDGE_ABOUT, "a", "an", "the", "than", "of")
)


@dataclass(slots=True)
class Ctx:
    """A number in its text: the sentence it stands in and the words around it."""

    num: Number
    sent: int
    near: dict[str, float]
    """Content words near the number → proximity weight (1 for the nearest)."""
    left: str
    """The text just before the number in its sentence (for hedge words)."""
    head: frozenset[str] = frozenset()
    """The noun phrase the number quantifies: the content words right after it ("16 truck drivers" → truck,
    driver; "19-year-old telephone operator" → telephone, operator; "53 of the statues" → statue)."""
    ent: frozenset[str] = frozenset()
    """The name a figure stands in apposition to ("Abbie Conman, 17," → abbie, conman)."""
    per: Ctx | None = None
    """For the second figure of a ratio ("one in 12", "1 in every 16"): the first."""
    group: str = ""
    """``number_group(num)``, ``number_slot(num)`` and ``number_values(num)``, computed once: every output figure
    compares itself with every source figure, and these were recomputed for each pair."""
    slot: str = ""
    values: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        self.group = number_group(self.num)
        self.slot = number_slot(self.num)
        self.values = tuple(number_values(self.num))


@dataclass(slots=True)
class Text:
    """A text read for checking: its sentences, each sentence's content words, its figures in context."""

    text: str
    sents: list[tuple[int, int]]
    sent_words: list[frozenset[str]]
    nums: list[Ctx]
    fits: dict[tuple[int, str, int], float] = field(default_factory=dict)
    """Sentence fits already computed against the source being checked: (sentence, figure, source sentence)."""


@dataclass(slots=True)
class Source(Text):
    """A source text read once: a Text with word rarities (idf), its years and its vague plurals."""

    idf: dict[str, float] = field(default_factory=dict)
    unknown_idf: float = 1.0
    years: list[Ctx] = field(default_factory=list)
    vague: list[Vague] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    """Where each of ``nums`` starts (they are in order of position)."""


@dataclass(frozen=True, slots=True)
class Vague:
    """A vague plural in the source ("tens of thousands"): a range [low, high) of values, in sentence ``sent``."""

    sent: int
    start: int
    end: int
    text: str
    low: float
    high: float


def _outside(toks: list[tuple[int, int, str]], nums: list[Number]) -> list[tuple[int, int, str]]:
    """The tokens that do not stand inside one of ``nums`` (both in order of position)."""
    # A sentence holds a figure or two and dozens of words: cut each figure's tokens out by bisection.
    starts = [t[0] for t in toks]
    kept: list[tuple[int, int, str]] = []
    at = 0
    for n in nums:
        i = bisect_left(starts, n.start, at)
        kept.extend(toks[at:i])
        at = max(i, bisect_left(starts, n.end, i))
    kept.extend(toks[at:])
    return kept


def value_token(n: Number) -> str:
    """The token standing for a figure's value among a sentence's words ("#12", "#d4-18-2025")."""
    if n.kind == "date":
        return f"#d{n.month}-{n.value:g}-{n.year}"
    return f"#{n.value:g}"


def analyse(text: str) -> Text:
    """Read ``text``: its sentences, their words, and every figure with its context."""
    sents = split_sentences(text)
    nums = read_numbers(text)
    sent_words: list[frozenset[str]] = []
    ctxs: list[Ctx] = []
    ni = 0
    stems = STEMS
    for si, (s, e) in enumerate(sents):
        in_sent: list[Number] = []
        while ni < len(nums) and nums[ni].start < e:
            if nums[ni].start >= s:
                in_sent.append(nums[ni])
            ni += 1
        if not in_sent:
            # Most sentences hold no figure: only their words matter (for alignment), not where they stand.
            ws = set(map(stems.__getitem__, TOKEN.findall(text, s, e)))
            sent_words.append(frozenset([w for w in ws if w not in STOPWORDS and len(w) > 1]))  # a list is quicker
            continue
        toks = _outside(_tokens(text, s, e), in_sent)
        # Tokens are in order and do not overlap, so their starts and ends are sorted: bisect, do not scan.
        starts = [t[0] for t in toks]
        ends = [t[1] for t in toks]
        content = [t for t in toks if t[2] not in STOPWORDS and len(t[2]) > 1]
        c_starts = [t[0] for t in content]
        c_ends = [t[1] for t in content]
        # The figures of a sentence are strong alignment evidence: "302 ... 285 in 2014" finds its sentence.
        sent_words.append(frozenset([*(t[2] for t in content), *(value_token(n) for n in in_sent)]))
        for n in in_sent:
            near: dict[str, float] = {}
            li = bisect_right(c_ends, n.start)
            ri = bisect_left(c_starts, n.end)
            # Nearest first on each side, so on the left a word's first weight is its highest.
            for d, t in enumerate(reversed(content[max(0, li - WINDOW) : li])):
                if t[2] not in near:
                    near[t[2]] = _WEIGHTS[d]
            for d, t in enumerate(content[ri : ri + WINDOW]):
                if near.get(t[2], 0.0) < _WEIGHTS[d]:
                    near[t[2]] = _WEIGHTS[d]
            # The words right next to the figure, function words included ("fell to just 1,100ft").
            # A hedge ("close to", "almost") says how precise the figure is, not what it counts: skip it.
            raw_left = _before(toks, ends, n.start)
            if raw_left and raw_left[-1][2] in _HEDGE_TAILS:
                hm = _HEDGE_RE.search(text, max(s, n.start - 40), n.start)
                if hm is not None:
                    raw_left = _before(toks, ends, hm.start())
            first = bisect_left(starts, n.end)
            raw_right = [t for t in toks[first : first + 2] if t[0] - n.end < 25]
            for d, t in enumerate(reversed(raw_left)):
                near["<" + t[2]] = 1.0 / (1.0 + d)
            for d, t in enumerate(raw_right):
                near[">" + t[2]] = 1.0 / (1.0 + d)
            head = _head(text, n, toks, first)
            ctx = Ctx(n, si, near, text[max(s, n.start - 40) : n.start], head, _ent(text, n, s))
            prev = ctxs[-1] if ctxs and ctxs[-1].sent == si else None
            if prev and prev.num.kind == n.kind == "count" and _RATIO_GAP.fullmatch(text, prev.num.end, n.start):
                ctx.per = prev
            ctxs.append(ctx)
    return Text(text, sents, sent_words, ctxs)


#: The proximity weight of the d-th content word away from a figure.
_WEIGHTS = [1.0 / (1.0 + DECAY * d) for d in range(WINDOW)]


def _before(toks: list[tuple[int, int, str]], ends: list[int], at: int) -> list[tuple[int, int, str]]:
    """The (up to) two tokens that end before ``at``, if they end within 25 characters of it."""
    i = bisect_right(ends, at)
    return [t for t in toks[max(0, i - 2) : i] if at - t[1] < 25]


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The words of ``text[start:end]`` as (start, end, stem)."""
    stems = STEMS
    return [(m.start(), m.end(), stems[m.group()]) for m in TOKEN.finditer(text, start, end)]


def _head(text: str, n: Number, toks: list[tuple[int, int, str]], first: int) -> frozenset[str]:
    """Up to four content words directly after ``n`` (only spaces or hyphens between), skipping "of the".

    ``first`` is the index of the first token of ``toks`` after the number. In "18 points, 10 of which came ...",
    the relative pronoun names what 10 counts: the noun before the comma (points)."""
    if _OF_WHICH.match(text, n.end) is not None:
        m = _NOUN_COMMA.search(text, max(0, n.start - 30), n.start)
        w = stem(m.group(1).lower()) if m is not None else ""
        return frozenset([w]) if w and w not in STOPWORDS else frozenset()
    out: list[str] = []
    pos = n.end
    for t in toks[first : first + 8]:
        if _GAP_RE.fullmatch(text, pos, t[0]) is None:
            break
        w = t[2]
        pos = t[1]
        if w in _HEAD_SKIP or (not out and w in _PARTITIVE):
            continue
        if w in STOPWORDS or len(w) < 2 or w in _MEASURE_WORDS:
            if out or w not in _MEASURE_WORDS:
                break
            continue
        out.append(w)
        if len(out) == 4:
            break
    return frozenset(out)


def _ent(text: str, n: Number, sent_start: int) -> frozenset[str]:
    """The stemmed words of the name a figure stands in apposition to (see :func:`apposed_name`)."""
    name = apposed_name(text, n, sent_start)
    # Tokenised as the source is ("Smith-Jones" is two words there), so the names compare word for word.
    return frozenset(stem(w) for w in TOKEN.findall(name)) if name else frozenset()


def apposed_name(text: str, n: Number, sent_start: int) -> str | None:
    """The name a figure stands in apposition to: "Abbie Conman, 17," → "Abbie Conman"; or, for an age, the full
    name it is written before: "8-year-old Martin Richard" → "Martin Richard"."""
    if n.kind == "age" and (after := _NAME_AFTER.match(text, n.end)) is not None:
        return after.group(1)
    if text[n.end : n.end + 1] != ",":
        return None
    m = _APPOSITION.search(text, max(sent_start, n.start - 60), n.start)
    if m is None:
        # "Luke Shambrook 11, was found": a full name right before the figure, the comma dropped.
        m = _NAME_BEFORE.search(text, max(sent_start, n.start - 60), n.start)
    return m.group(1) if m else None


@lru_cache(maxsize=64)
def prepare_source(source: str) -> Source:
    """Read a source once (cached): a Text plus word rarities, years and vague plurals."""
    base = analyse(source)
    # Counted in C, in the order the loop over the sentences met the words (the idf keeps that order).
    df = Counter(chain.from_iterable(base.sent_words))
    n = max(1, len(base.sents))
    # One logarithm per distinct count, not per word: most words stand in one, two or three sentences.
    logs = {c: math.log(1 + n / c) for c in set(df.values())}
    idf = {w: logs[c] for w, c in df.items()}
    years = [c for c in base.nums if c.num.kind in ("year", "decade")]
    for c in base.nums:
        if c.num.kind == "date" and c.num.year is not None:
            years.append(Ctx(Number(c.num.start, c.num.end, c.num.text, float(c.num.year), "year"), c.sent, c.near,
                              c.left))  # fmt: skip
        if c.num.kind == "range" and c.num.year is not None and c.num.high is not None:
            years.append(Ctx(Number(c.num.start, c.num.end, c.num.text, c.num.high, "year"), c.sent, c.near, c.left))
    vague: list[Vague] = []
    starts = [a for a, _ in base.sents]
    has_vague = any(w in source for w in _VAGUE_TAILS)
    for m in matches_from(_VAGUE, source, word_starts(source, (*_VAGUE_TAILS, "ens"), before=1)) if has_vague else ():
        low = _VAGUE_BASE[m.group("p").lower()]
        if m.group("t"):
            low *= 10.0 if m.group("t").lower() == "tens" else 100.0
        si = max(0, bisect_right(starts, m.start()) - 1)
        vague.append(Vague(si, m.start(), m.end(), m.group(), low, low * 10))
    return Source(
        base.text, base.sents, base.sent_words, base.nums,
        idf=idf, unknown_idf=math.log(1 + n), years=years, vague=vague, starts=[c.num.start for c in base.nums],
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Sorts of numbers


def number_group(n: Number) -> str:
    """The broad sort of a figure: percent, money, date, time, ordinal, fraction or plain."""
    if n.kind == "percent" or n.unit == "%":
        return "percent"
    if n.kind == "money" or n.currency is not None:
        return "money"
    if n.kind in ("date", "time", "ordinal", "fraction"):
        return n.kind
    return "plain"


def number_slot(n: Number) -> str:
    """The finer sort used to pick competitors: a different age competes with an age, not with a year."""
    g = number_group(n)
    if g != "plain":
        return g
    if n.kind == "decade":
        return "decade"  # "the 60s" competes with other decades, not with a year
    if n.kind == "year" or (n.kind == "range" and n.year is not None):
        return "year"
    if n.kind == "quantity":
        return "q:" + (n.unit or "")
    if n.kind == "age":
        return "age"
    return "count"


def number_values(n: Number) -> list[float]:
    """The values a figure states: both ends of a range, else its one value."""
    if n.kind == "range" and n.low is not None and n.high is not None:
        return [n.low, n.high]
    return [n.value]


# ---------------------------------------------------------------------------------------------------------------
# Shown in findings


def hedge_of(o: Ctx) -> str | None:
    """The hedge written right before an output figure ("nearly", "more than"), lower-cased, or None."""
    m = _HEDGE_RE.search(o.left)
    return m.group("h").lower() if m else None


# ---------------------------------------------------------------------------------------------------------------
# Verdicts


def excerpt(text: str, start: int, end: int, width: int = 50) -> str:
    """``text[start:end]`` with ``width`` characters either side, whitespace folded, cuts marked with "…"."""
    a = max(0, start - width)
    b = min(len(text), end + width)
    snippet = " ".join(text[a:b].split())
    return ("…" if a > 0 else "") + snippet + ("…" if b < len(text) else "")


def source_span(c: Ctx) -> Span:
    """Where source figure ``c`` stands in its source."""
    return Span(start=c.num.start, end=c.num.end, text=c.num.text)


def format_figure(x: float) -> str:
    """A figure as a reader writes it: 1,200 (no trailing .0), 2.5."""
    return f"{x:,.0f}" if x == int(x) else f"{x:,}"
