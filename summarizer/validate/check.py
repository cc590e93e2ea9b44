"""Check the numbers and quotations of a summary against its source text.

Every number of the output is *supported* (the same quantity stands in the source, in a matching context),
*derived* (it follows from source figures by a stated rule) or *unsupported*. Every quoted passage of three
words or more is checked too (see Quotes below).

How a number is matched
    The number is read with :func:`read_numbers` (so "$1.2bn", "1,200 million dollars" and "1.2 billion
    dollars" are one value) and compared with the source numbers of a compatible kind: money with money (same
    currency), percentages with percentages, dates with dates (same month and day), counts, ages, years and
    quantities with one another.

Presence is not enough
    Each number has a *context*: the content words around it in its sentence (nearest first), the words right
    next to it (hedges such as "close to" skipped: they tell precision, not referent), its *head* (the noun it
    quantifies: "16 truck drivers" → truck, driver; "19-year-old telephone operator" → telephone, operator;
    "53 of the statues" → statue) and, for "Name, 45,", the *name* it stands in apposition to. A source number
    with the same value is scored by how well its context and sentence match the output's (words weighted by
    rarity in the source); the best one (a matching head earns a bonus) is the candidate support. A *rival* — a
    different-valued source number of the same sort (an age for an age, a count for a count, money in a compatible
    currency, a decade for a decade) — overrules it, and the number is unsupported, when

    * it fits the output context clearly better (by MARGIN, fit at least MIN_COMPETITOR), or, in the same source
      sentence, its local fit is at least 0.5 and better by MARGIN;
    * the candidate hardly fits at all (below LOW_FIT) while the rival fits at least LOW_FIT_RIVAL (not for
      ages: "The 60-year-old ..." refers back and has no context of its own);
    * for plain counts, in another sentence: the candidate quantifies a different noun and the rival quantifies
      the output's noun at no worse overall fit ("Some 53 pukao" when the source has "53 of the statues" and
      "an estimated 100 pukao");
    * the output gives a name's age ("Abbie Conman, 17,") and the source gives that name another age.

    * in best's own sentence, best has no neighbouring word in the output context at all and the rival has some
      (MIN_LOCAL_SAME): "Net migration at 210,000" for "migration ... was 298,000, a rise on the 210,000 figure";
    * the output writes a measure as a modifier of a noun ("a new three-year deal"), best is a span of time
      ("three years after ..."), and the rival is that measure as a modifier ("a new five-year contract").

    Four more rules stand outside the rival search:

    * a ratio ("1 in 16") is one figure: when the source gives ratios but not this one, its second number is
      unsupported, whatever else that number counts in the source ("up to 16 hours");
    * a date or clock time belongs to an event: when the source sentence holding it shares no word with the output
      sentence and its neighbours hardly any (below LOW_FIT), it is unsupported ("his death on April 12" for
      "arrested on April 12");
    * an age given to a name the source never mentions ("Sean Hannity 11,") is unsupported;
    * "one" is reported only when it counts a noun the source counts with another figure and never as one ("one
      Spanish citizen" for "two Spanish citizens").

    A rival never overrules when its value is stated elsewhere in the same output sentence (it is accounted for),
    or when the candidate's sentence shares more of the output sentence's other figures than the rival's does
    ("ranked 302 ... from 285 in 2014"). An age never supports a count of things, nor the reverse ("26
    timepieces" is not "the 26 year old"). The Keefe case: "92-year-old telephone operator" when the source says
    she was a 19-year-old telephone operator and died at 92 is unsupported. Evidence spans cited by the model
    (``aligned``) raise the score of their sentences but never replace the whole-source search.

Verbatim copies
    A field that stands verbatim inside a source sentence it cites (an extracted claim or timeline clause, or a
    sentence the model copied) is not read again: each of its figures is the source figure at that place,
    *supported* with confidence 1 and that exact span. A figure cut by either end of the copy ("on May 29" from
    "on May 29, 1943") sends the field to the full check, as does a copy of a sentence the field does not cite.

Derived rules (used only when no source number has the same value; each names its rule and source spans)
    1. hedged rounding: "nearly/almost/close to/just under X" for a source value in [0.8X, X]; "more than/
       over/at least/upwards of X" for (X, 2X]; "less than/under/fewer than/below X" for [0.5X, X); "about/
       around/roughly/approximately/some/an estimated X" within 15%; the output must be rounder than the source;
    2. rounding to the precision written: a source figure written more precisely (more decimals, or unscaled
       where the output uses million/bn) that rounds to the output ("1.2 million" for 1,234,567);
    3. unit conversion between time units ("two weeks" for "14 days") and between measures of length, mass, speed
       and volume ("8km" for "5 miles", "about 90kg" for "200lb"), to the precision the output writes;
    4. a sum or difference of two source figures of the same sort in one of the two sentences the output sentence
       aligns to; a duration or age as the difference of two source years (any two years of the source);
    5. a hedged bound of a vague plural in an aligned sentence (top 3): "under/less than X" where X is the upper
       bound, "more than/over X" where X is the lower bound of "dozens" [10, 100), "hundreds" [100, 1,000),
       "thousands", "millions", "tens/hundreds of thousands/millions" ("under 100,000" for "the tens of
       thousands");
    6. ordinal to cardinal: a count or age N for a source ordinal N in one of the five best-aligned sentences (or
       whose sentence fits by ORDINAL_SENT_FIT): "after 10 visits" for "after her tenth trip", "by the age of 15"
       for "before his 15th birthday";
    7. a year as a source year plus or minus a source duration in years standing in the same (aligned) sentence:
       "left office in 1953" for "became president in 1945 ... nearly eight years in office".

    Not derived (left unsupported on purpose): counts of listed items ("six targets" for six names), sums of a
    whole list, truncation ("£6billion" for "£6.7bn"), inferences from the publication date ("two years after
    the 2013 bombing", "last July" → "July 2014") and off-by-one inferences ("13th child" from "her 12th child").

Quotes
    A quoted passage of MIN_QUOTE_WORDS words or more must stand in the source verbatim (see
    :mod:`summarizer.validate.quotes`: whitespace, quote-mark style, first-letter case and marked ellipses are
    forgiven, nothing else). A *fragment* — at most MAX_FRAGMENT_WORDS words with no sentence punctuation inside
    ('Hot or Not', 'stole her pet chicken') — is a term, title or scare quote rather than a quotation: when it is
    not verbatim, it is *derived* if every one of its content words (any case, stemmed) stands in the source
    (the spans name each word), and unsupported otherwise. Longer quotations get no such leeway.

The word "one" is otherwise not checked: it is a pronoun or article far more often than a figure.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from summarizer.validate.discourse import blank, is_lowercased, truecase, unchecked_spans
from summarizer.validate.frames import SourceSentences, check_frames
from summarizer.validate.numbers import Number, clear_number_cache, read_numbers
from summarizer.validate.quotes import find_quote
from summarizer.validate.report import Finding, Span, ValidationReport
from summarizer.validate.words import STOPWORDS, TOKEN, split_sentences, stem

__all__ = ["check", "check_fields", "clear_caches", "format_figure"]

# ---------------------------------------------------------------------------------------------------------------
# Words and sentences (the tools themselves live in summarizer.validate.words)

_split = str.split
_TOKEN = TOKEN
_STOP = STOPWORDS
_stem = stem
_sentences = split_sentences


_HEDGE_BELOW = ("nearly", "almost", "close to", "just under", "just shy of", "approaching", "nearing")
_HEDGE_ABOVE = ("more than", "over", "at least", "upwards of", "just over", "in excess of", "above", "exceeding")
_HEDGE_LESS = ("less than", "under", "fewer than", "below", "up to", "as many as", "no more than")
_HEDGE_ABOUT = (
    "about", "around", "roughly", "approximately", "some", "an estimated", "estimated", "circa", "approx",
    "almost exactly", "or so",
)  # fmt: skip
_HEDGE_RE = re.compile(
    r"\b(?P<h>"
    + "|".join(re.escape(h) for h in (*_HEDGE_BELOW, *_HEDGE_ABOVE, *_HEDGE_LESS, *_HEDGE_ABOUT))
    + r")\s+(?:(?:a|an|the|than|of)\s+)?$",
    re.IGNORECASE,
)
# A straight double quote right after a digit is an inch mark (5'3"), not a quotation mark; a straight single quote
# that opens a clitic ("it 's", "did n't" in tokenized text) is an apostrophe. Tokenized text (PTB style) opens
# quotes with ` or `` and closes them with ' or '': there a straight single quote never opens one.
_QUOTED = re.compile(
    r"“(?P<a>[^“”]{1,800})”|(?<![\d'])\"(?P<b>[^\"]{1,800}?)(?<![\d'])\"|‘(?P<c>[^‘’]{1,800}?)’(?!\w)"
    r"|``(?P<e>[^`'\n]{1,800}?)''|`(?P<f>[^`'\n]{1,800}?)'(?!\w)"
    r"|(?<![\w`])'(?!(?:s|t|re|ll|ve|d|m)\b)(?P<d>[^'\n]{1,800}?)'(?!\w)"
)
_TOKENIZED_QUOTES = re.compile(r"(?:^|\s)`")
# Text that detaches its apostrophes writes a plural possessive "the swans ' 1-1 draw", "three years ' probation": a
# straight single quote after a word in -s is that apostrophe, unless a verb of saying puts a quotation there.
_POSSESSIVE_BEFORE = re.compile(
    r"(?<![\w'’])(?!(?:says|adds|insists|writes|tweets|reads|states|claims|explains|warns|admits|as)\s)[A-Za-z]+s\s+$"
)
_WORD = re.compile(r"\w+")
# Vague plurals: "dozens" [10, 100), "hundreds" [100, 1,000), "tens of thousands" [10,000, 100,000)...
_VAGUE = re.compile(
    r"\b(?:(?P<t>[Tt]ens|[Hh]undreds)\s+of\s+)?(?P<p>[Dd]ozens|[Hh]undreds|[Tt]housands|[Mm]illions|[Bb]illions)\b"
)
_VAGUE_BASE = {"dozens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
_SENTENCE_MARK = re.compile(r"[.!?;:]\s")
_GAP_RE = re.compile(r"\s*[\"“‘]?|-")  # no parenthetical dash: "his age -- 73 -- training"
_RATIO_GAP = re.compile(r"\s+in\s+(?:every\s+)?")
# A word of a name: "Smith", "McGurk", "MacDonald", "O'Neill", "Smith-Jones" (read whole: a search that starts
# inside "McGurk" finds "Gurk", a name the source never mentions).
_NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z'’]+(?:-(?:Mc|Mac|O['’])?[A-Z][a-z'’]+)?"
_APPOSITION = re.compile(rf"(?<![\w'’-])((?:{_NAME_WORD}\s+){{0,2}}{_NAME_WORD}),\s$")
_NAME_BEFORE = re.compile(rf"(?<![\w'’-])((?:{_NAME_WORD}\s+){{1,2}}{_NAME_WORD})\s$")
# Words skipped when reading the noun a number quantifies ("12 other vehicles", "53 of the statues").
_HEAD_SKIP = frozenset(_split("other more new additional extra further own"))
_PARTITIVE = frozenset(_split("of the a an his her their its our"))
# Units are matched by the number reader; as context they only say "a duration", not what is measured.
_MEASURE_WORDS = frozenset(_split("year old month week day hour minute second"))
# Measures that convert into one another: unit → (dimension, size in the dimension's base unit).
_MEASURE_FACTORS = {
    "mile": ("length", 1609.344), "km": ("length", 1000.0), "m": ("length", 1.0), "cm": ("length", 0.01),
    "mm": ("length", 0.001), "ft": ("length", 0.3048), "inch": ("length", 0.0254), "yard": ("length", 0.9144),
    "kg": ("mass", 1.0), "lb": ("mass", 0.45359237), "ounce": ("mass", 0.028349523), "stone": ("mass", 6.35029318),
    "mg": ("mass", 1e-6), "mph": ("speed", 1.609344), "kmh": ("speed", 1.0), "litre": ("volume", 1.0),
    "ml": ("volume", 0.001),
}  # fmt: skip
_TIME_UNITS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "year": 365.0}

#: Weights of the local-context fit, the sentence fit and a cited sentence in a number's fit.
W_LOCAL, W_SENT, HINT_BONUS = 0.8, 0.2, 0.15
#: Context words taken on each side of a number, within its sentence.
WINDOW = 6
#: The weight of each word right next to a figure (function words included) in the local fit.
NEIGHBOR = 1.0
#: How fast the weight of a context word falls with its distance (in content words) from the number.
DECAY = 0.3
#: How much better (0..1) a different-valued source number must fit the context to overrule presence.
MARGIN = 0.25
#: The least fit a competing number needs before it can overrule presence.
MIN_COMPETITOR = 0.2
#: A same-valued source number fitting the context worse than this is overruled by a rival fitting at least
#: LOW_FIT_RIVAL (the figure is present, but only somewhere unrelated).
LOW_FIT, LOW_FIT_RIVAL = 0.12, 0.3
#: The sentence fit at which a source ordinal outside the five best-aligned sentences still derives a count.
ORDINAL_SENT_FIT = 0.2
#: Bonus to a same-valued source number that quantifies the same noun, when picking the best one.
HEAD_BONUS = 0.3
#: The confidence of a derived item: a stated rule holds, but the figure is not written in the source.
DERIVED_CONFIDENCE = 0.5
#: A rival in best's own sentence overrules a best with no local fit at all when its local fit reaches this.
MIN_LOCAL_SAME = 0.1
#: Quoted passages shorter than this many words are scare quotes or names, not quotations.
MIN_QUOTE_WORDS = 3
#: Quoted passages of at most this many words with no sentence punctuation inside are fragments (see the docstring).
MAX_FRAGMENT_WORDS = 4


# The last word of every hedge, or a word that may follow one ("close to", "more than a"): a cheap pre-test.
_HEDGE_TAILS = frozenset(
    _stem(w.split()[-1])
    for w in (*_HEDGE_BELOW, *_HEDGE_ABOVE, *_HEDGE_LESS, *_HEDGE_ABOUT, "a", "an", "the", "than", "of")
)


@dataclass(slots=True)
class _Ctx:
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
    per: _Ctx | None = None
    """For the second figure of a ratio ("one in 12", "1 in every 16"): the first."""
    group: str = ""
    """``_group(num)``, ``_slot(num)`` and ``_values(num)``, computed once: every output figure compares itself
    with every source figure, and these were recomputed for each pair."""
    slot: str = ""
    values: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        self.group = _group(self.num)
        self.slot = _slot(self.num)
        self.values = tuple(_values(self.num))


@dataclass(slots=True)
class _Text:
    text: str
    sents: list[tuple[int, int]]
    sent_words: list[frozenset[str]]
    nums: list[_Ctx]
    fits: dict[tuple[int, str, int], float] = field(default_factory=dict)
    """Sentence fits already computed against the source being checked: (sentence, figure, source sentence)."""


@dataclass(slots=True)
class _Source(_Text):
    idf: dict[str, float] = field(default_factory=dict)
    unknown_idf: float = 1.0
    years: list[_Ctx] = field(default_factory=list)
    vague: list[_Vague] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    """Where each of ``nums`` starts (they are in order of position)."""


@dataclass(frozen=True, slots=True)
class _Vague:
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


def _value_token(n: Number) -> str:
    if n.kind == "date":
        return f"#d{n.month}-{n.value:g}-{n.year}"
    return f"#{n.value:g}"


def _analyse(text: str) -> _Text:
    sents = _sentences(text)
    nums = read_numbers(text)
    sent_words: list[frozenset[str]] = []
    ctxs: list[_Ctx] = []
    ni = 0
    stems = _STEMS
    for si, (s, e) in enumerate(sents):
        in_sent: list[Number] = []
        while ni < len(nums) and nums[ni].start < e:
            if nums[ni].start >= s:
                in_sent.append(nums[ni])
            ni += 1
        if not in_sent:
            # Most sentences hold no figure: only their words matter (for alignment), not where they stand.
            ws = {stems.get(g) or _stem_store(g) for g in _TOKEN.findall(text, s, e)}
            sent_words.append(frozenset(w for w in ws if w not in _STOP and len(w) > 1))
            continue
        toks = _outside(_tokens(text, s, e), in_sent)
        # Tokens are in order and do not overlap, so their starts and ends are sorted: bisect, do not scan.
        starts = [t[0] for t in toks]
        ends = [t[1] for t in toks]
        content = [t for t in toks if t[2] not in _STOP and len(t[2]) > 1]
        c_starts = [t[0] for t in content]
        c_ends = [t[1] for t in content]
        # The figures of a sentence are strong alignment evidence: "302 ... 285 in 2014" finds its sentence.
        sent_words.append(frozenset([*(t[2] for t in content), *(_value_token(n) for n in in_sent)]))
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
            ctx = _Ctx(n, si, near, text[max(s, n.start - 40) : n.start], head, _ent(text, n, s))
            prev = ctxs[-1] if ctxs and ctxs[-1].sent == si else None
            if prev and prev.num.kind == n.kind == "count" and _RATIO_GAP.fullmatch(text, prev.num.end, n.start):
                ctx.per = prev
            ctxs.append(ctx)
    return _Text(text, sents, sent_words, ctxs)


#: The proximity weight of the d-th content word away from a figure.
_WEIGHTS = [1.0 / (1.0 + DECAY * d) for d in range(WINDOW)]


def _before(toks: list[tuple[int, int, str]], ends: list[int], at: int) -> list[tuple[int, int, str]]:
    """The (up to) two tokens that end before ``at``, if they end within 25 characters of it."""
    i = bisect_right(ends, at)
    return [t for t in toks[max(0, i - 2) : i] if at - t[1] < 25]


_STEMS: dict[str, str] = {}


def _stem_store(word: str) -> str:
    w = _stem(word)
    if len(_STEMS) < 200_000:
        _STEMS[word] = w
    return w


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The words of ``text[start:end]`` as (start, end, stem)."""
    stems = _STEMS
    return [
        (m.start(), m.end(), stems.get(w) or _stem_store(w))
        for m in _TOKEN.finditer(text, start, end)
        for w in (m.group(),)
    ]


def _head(text: str, n: Number, toks: list[tuple[int, int, str]], first: int) -> frozenset[str]:
    """Up to four content words directly after ``n`` (only spaces or hyphens between), skipping "of the".

    ``first`` is the index of the first token of ``toks`` after the number."""
    out: list[str] = []
    pos = n.end
    for t in toks[first : first + 8]:
        if _GAP_RE.fullmatch(text, pos, t[0]) is None:
            break
        w = t[2]
        pos = t[1]
        if w in _HEAD_SKIP or (not out and w in _PARTITIVE):
            continue
        if w in _STOP or len(w) < 2 or w in _MEASURE_WORDS:
            if out or w not in _MEASURE_WORDS:
                break
            continue
        out.append(w)
        if len(out) == 4:
            break
    return frozenset(out)


def _ent(text: str, n: Number, sent_start: int) -> frozenset[str]:
    name = _name(text, n, sent_start)
    # Tokenised as the source is ("Smith-Jones" is two words there), so the names compare word for word.
    return frozenset(_stem(w) for w in _TOKEN.findall(name)) if name else frozenset()


def _name(text: str, n: Number, sent_start: int) -> str | None:
    """The name a figure stands in apposition to: "Abbie Conman, 17," → "Abbie Conman"."""
    if text[n.end : n.end + 1] != ",":
        return None
    m = _APPOSITION.search(text, max(sent_start, n.start - 60), n.start)
    if m is None:
        # "Luke Shambrook 11, was found": a full name right before the figure, the comma dropped.
        m = _NAME_BEFORE.search(text, max(sent_start, n.start - 60), n.start)
    return m.group(1) if m else None


@lru_cache(maxsize=64)
def _prepare_source(source: str) -> _Source:
    base = _analyse(source)
    df: dict[str, int] = {}
    for ws in base.sent_words:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    n = max(1, len(base.sents))
    idf = {w: math.log(1 + n / c) for w, c in df.items()}
    years = [c for c in base.nums if c.num.kind in ("year", "decade")]
    for c in base.nums:
        if c.num.kind == "date" and c.num.year is not None:
            years.append(_Ctx(Number(c.num.start, c.num.end, c.num.text, float(c.num.year), "year"), c.sent, c.near,
                              c.left))  # fmt: skip
        if c.num.kind == "range" and c.num.year is not None and c.num.high is not None:
            years.append(_Ctx(Number(c.num.start, c.num.end, c.num.text, c.num.high, "year"), c.sent, c.near, c.left))
    vague: list[_Vague] = []
    starts = [a for a, _ in base.sents]
    has_vague = any(w in source for w in ("ozens", "undreds", "housands", "illions"))
    for m in _VAGUE.finditer(source) if has_vague else ():
        low = _VAGUE_BASE[m.group("p").lower()]
        if m.group("t"):
            low *= 10.0 if m.group("t").lower() == "tens" else 100.0
        si = max(0, bisect_right(starts, m.start()) - 1)
        vague.append(_Vague(si, m.start(), m.end(), m.group(), low, low * 10))
    return _Source(
        base.text, base.sents, base.sent_words, base.nums,
        idf=idf, unknown_idf=math.log(1 + n), years=years, vague=vague, starts=[c.num.start for c in base.nums],
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Sorts of numbers


def _group(n: Number) -> str:
    if n.kind == "percent" or n.unit == "%":
        return "percent"
    if n.kind == "money" or n.currency is not None:
        return "money"
    if n.kind in ("date", "time", "ordinal", "fraction"):
        return n.kind
    return "plain"


def _slot(n: Number) -> str:
    """The finer sort used to pick competitors: a different age competes with an age, not with a year."""
    g = _group(n)
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


def _slots_compete(a: str, b: str) -> bool:
    return a == b or {a, b} == {"age", "count"}


def _currency_ok(a: Number, b: Number) -> bool:
    ca, cb = a.currency, b.currency
    if ca is None or cb is None or ca == cb:
        return True
    dollars = {"$", "USD", "AUD", "CAD"}
    return ca in dollars and cb in dollars and "$" in (ca, cb)


def _values(n: Number) -> list[float]:
    if n.kind == "range" and n.low is not None and n.high is not None:
        return [n.low, n.high]
    return [n.value]


def _same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _same_quantity(o: Number, s: Number, value: float) -> bool:
    """True when source number ``s`` states the output value ``value`` as the same sort of quantity."""
    go, gs = _group(o), _group(s)
    if go == "plain" and gs == "money" and o.kind == "count":
        return any(_same_value(value, v) for v in _values(s))  # see bare_money: the caller tests the context
    if go == "date":
        if gs != "date" or s.month != o.month:
            return False
        if o.value and s.value and not _same_value(o.value, s.value):
            return False
        if o.value and not s.value:
            return False
        return o.year is None or s.year is None or s.year == o.year
    if go != gs:
        return False
    if go == "money" and not _currency_ok(o, s):
        return False
    if o.kind == "quantity" and s.kind == "quantity" and o.unit != s.unit:
        return False
    # An age is not a duration or a year: "17-year-old" is not supported by "a 17-year hobby".
    if {o.kind, s.kind} & {"age"} and {o.kind, s.kind} & {"quantity", "year", "decade"}:
        return False
    return any(_same_value(value, v) for v in _values(s))


# ---------------------------------------------------------------------------------------------------------------
# Scoring contexts


def _fit(o: _Ctx, out: _Text, s: _Ctx, src: _Source, hinted: frozenset[int]) -> float:
    """How well source number ``s`` sits in the context of output number ``o``, from 0 to about 1.2."""
    local, sent, hint = _fit_parts(o, out, s, src, hinted)
    return W_LOCAL * local + W_SENT * sent + (HINT_BONUS if hint else 0.0)


def _fit_parts(o: _Ctx, out: _Text, s: _Ctx, src: _Source, hinted: frozenset[int]) -> tuple[float, float, bool]:
    """The local-context fit, the sentence fit (each 0..1) and whether the model cited the source sentence."""
    idf, unk = src.idf, src.unknown_idf
    num = den = 0.0
    for w, wo in o.near.items():
        weight = (NEIGHBOR if w[0] in "<>" else idf.get(w, unk)) * wo
        den += weight
        ws = s.near.get(w)
        if ws is not None:
            num += weight * ws
    local = num / den if den else 0.0
    key = (o.sent, _value_token(o.num), s.sent)
    sent = out.fits.get(key)
    if sent is None:
        # The same for every source figure of one source sentence: rivals are scored many times per figure.
        ow = out.sent_words[o.sent] - {key[1]}
        sden = sum(idf.get(w, unk) for w in ow)
        sent = sum(idf.get(w, unk) for w in ow & src.sent_words[s.sent]) / sden if sden else 0.0
        out.fits[key] = sent
    return local, sent, s.sent in hinted


def _hedge(o: _Ctx) -> str | None:
    m = _HEDGE_RE.search(o.left)
    return m.group("h").lower() if m else None


# ---------------------------------------------------------------------------------------------------------------
# Verdicts


def _excerpt(text: str, start: int, end: int, width: int = 50) -> str:
    a = max(0, start - width)
    b = min(len(text), end + width)
    snippet = " ".join(text[a:b].split())
    return ("…" if a > 0 else "") + snippet + ("…" if b < len(text) else "")


def _src_span(src: _Source, c: _Ctx) -> Span:
    return Span(start=c.num.start, end=c.num.end, text=c.num.text)


def _check_number(o: _Ctx, out: _Text, src: _Source, field_name: str, hinted: frozenset[int]) -> Finding:
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
        name = _name(out.text, n, out.sents[o.sent][0])
        reason = f'"{n.text}" is given as the age of a name the source never mentions ({name!r})'
        return Finding(status="unsupported", source_spans=[], reason=reason, confidence=0.0, **base)  # type: ignore[arg-type]
    if o.per is not None:
        ratio = _check_ratio(o, src)
        if ratio is not None:
            return Finding(status="unsupported", source_spans=[], reason=ratio, confidence=0.0, **base)  # type: ignore[arg-type]
    candidates = src.nums if n.kind not in ("year", "decade") else [*src.nums, *src.years]
    statuses: list[tuple[str, list[Span], str, float]] = []
    for value in _values(n) if n.kind != "date" else [n.value]:
        # The sort test first: _same_quantity is False across sorts, and most source figures are of another sort.
        same = [
            c
            for c in candidates
            if (c.group == o.group or _bare_money(o, c)) and _same_quantity(n, c.num, value) and _role_ok(o, c)
        ]
        if n.kind == "range" and not same:
            # A range end may stand alone in the source ("20 ... 30").
            same = [c for c in candidates if c.group == o.group and any(_same_value(value, v) for v in c.values)]
        statuses.append(_verdict_for_value(o, out, src, value, same, hinted))
    status = "supported"
    if any(s == "unsupported" for s, _, _, _ in statuses):
        status = "unsupported"
    elif any(s == "derived" for s, _, _, _ in statuses):
        status = "derived"
    spans: list[Span] = []
    for _, sp, _, _ in statuses:
        spans.extend(x for x in sp if x not in spans)
    reason = "; ".join(dict.fromkeys(r for s, _, r, _ in statuses if s == status))
    confidence = min(c for _, _, _, c in statuses)
    return Finding(status=status, source_spans=spans, reason=reason, confidence=confidence, **base)  # type: ignore[arg-type]


def _check_one(o: _Ctx, out: _Text, src: _Source, field_name: str) -> Finding | None:
    """The word "one" is a pronoun or article more often than a figure: it is reported only when clearly wrong:
    it counts a noun ("one Spanish citizen") that the source counts with another figure ("two Spanish citizens")
    and never as one."""
    if not o.head:
        return None
    m = _TOKEN.search(out.text, o.num.end)
    if m is None:
        return None
    word = m.group()
    if re.search(rf"\b(?:an?|one|single|another|each|every)\s+(?:[\w-]+\s+)?{re.escape(word)}", src.text, re.I):
        return None
    others = [c for c in src.nums if c.num.kind == "count" and c.head and o.head <= c.head]
    if not others or any(_same_value(c.num.value, 1.0) for c in others):
        return None
    c = others[0]
    n = o.num
    what = " ".join(t.group() for t in islice(_TOKEN.finditer(out.text, n.end), len(o.head)))
    where = _excerpt(src.text, c.num.start, c.num.end, 30)
    reason = f'"{n.text} {what}": the source counts them as {c.num.text!r} ({where!r})'
    return Finding(
        kind="number", field=field_name, text=n.text, span=Span(start=n.start, end=n.end, text=n.text),
        value=n.value, status="unsupported", source_spans=[], reason=reason, confidence=0.0,
    )  # fmt: skip


def _check_ratio(o: _Ctx, src: _Source) -> str | None:
    """Why the ratio "1 in 16" of the output is unsupported, when the source gives ratios but never this one.

    A ratio is one figure written in two numbers: its second number is not supported by a 16 that counts something
    else ("up to 16 hours"). With no ratio at all in the source, the ordinary check decides."""
    assert o.per is not None
    top = o.per.num.value
    ratios = [(c.per, c) for c in src.nums if c.per is not None]
    if not ratios or any(_same_value(p.num.value, top) and _same_value(c.num.value, o.num.value) for p, c in ratios):
        return None
    shown = ", ".join(dict.fromkeys(repr(src.text[p.num.start : c.num.end]) for p, c in ratios[:3]))
    return f'the ratio "{_fmt(top)} in {o.num.text}" is not in the source, which gives {shown}'


def _verdict_for_value(
    o: _Ctx, out: _Text, src: _Source, value: float, same: list[_Ctx], hinted: frozenset[int]
) -> tuple[str, list[Span], str, float]:
    """The verdict on one value of an output number: status, source spans, reason and confidence (see Finding)."""
    n = o.num
    shown = n.text
    if same:
        scored = sorted(
            ((_fit(o, out, c, src, hinted) + HEAD_BONUS * (_head_fit(o, c) or 0.0), i, c) for i, c in enumerate(same)),
            key=lambda t: (-t[0], t[1]),
        )
        best_same, _, best = scored[0]
        if n.kind in ("date", "time") and _unrelated(o, out, best, src, hinted):
            where = _excerpt(src.text, best.num.start, best.num.end, 35)
            return "unsupported", [], f'"{shown}" stands in the source only in an unrelated sentence ({where!r})', 0.0
        rc = _rival(o, out, src, value, best, hinted)
        if rc is not None:
            where = _excerpt(src.text, best.num.start, best.num.end, 35)
            rwhere = _excerpt(src.text, rc.num.start, rc.num.end, 35)
            reason = (
                f'"{shown}" appears in the source only in another context ({where!r}); '
                f"in this context the source has {rc.num.text!r} ({rwhere!r})"
            )
            return "unsupported", [], reason, 0.0
        spans = [_src_span(src, c) for f, _, c in scored if f >= best_same - 1e-9][:3]
        found = f"found in source: {_excerpt(src.text, best.num.start, best.num.end, 30)!r}"
        return "supported", spans, found, round(min(1.0, best_same), 3)
    derived = _derive(o, out, src, value, hinted)
    if derived is not None:
        return (*derived, DERIVED_CONFIDENCE)
    return "unsupported", [], f'"{shown}" does not appear in the source', 0.0


def _unrelated(o: _Ctx, out: _Text, s: _Ctx, src: _Source, hinted: frozenset[int]) -> bool:
    """A date belongs to an event: when the source sentence holding it shares no word with the output sentence
    and hardly any with the words around it, it dates something else ("his death on April 12" for "arrested by
    police on April 12")."""
    local, sent, hint = _fit_parts(o, out, s, src, hinted)
    return not hint and sent == 0.0 and local < LOW_FIT


def _rival(o: _Ctx, out: _Text, src: _Source, value: float, best: _Ctx, hinted: frozenset[int]) -> _Ctx | None:
    """A different-valued source number of the same sort that fits the output context clearly better than ``best``.

    It overrules ``best`` when its fit is at least MIN_COMPETITOR and exceeds best's by MARGIN, or when both stand
    in the same source sentence and its local fit (the words next to the figure) exceeds best's by MARGIN.
    """
    n = o.num
    slot = o.slot
    b_local, b_sent, b_hint = _fit_parts(o, out, best, src, hinted)
    b_fit = W_LOCAL * b_local + W_SENT * b_sent + (HINT_BONUS if b_hint else 0.0)
    # Values the output sentence states itself: a source figure with one of those values is accounted for.
    others = [v for x in out.nums if x.sent == o.sent and x is not o for v in x.values]
    # Other figures of the output sentence standing in best's source sentence: strong evidence for best.
    figures = {w for w in out.sent_words[o.sent] if w[0] == "#"} - {_value_token(n)}
    # An output sentence often fuses two adjacent source sentences ("25,000 contracted Ebola, with over 10,000
    # deaths"): best's neighbours count too.
    b_shared = len(figures & _around(src, best.sent))
    # Only for plain counts: for a measure ("40-tonne truck") the unit names the quantity, and the noun after it is
    # often a variant word for the same thing ("rig").
    head_miss = slot == "count" and bool(o.head and best.head and not o.head & best.head)
    # An age found as an age, or as a bare figure that counts nothing ("He was 59."), is rivalled by ages only.
    age_matched = n.kind == "age" and (best.num.kind == "age" or (best.num.kind == "count" and not best.head))
    ent_miss = bool(o.ent and not o.ent & best.ent)
    # "a new three-year deal": a measure written as a modifier describes its noun; "three years after" does not.
    modifier = (
        n.kind == "quantity" and bool(o.head) and _is_modifier(n) and not _is_modifier(best.num)
        and not _post_modifies(best, o, src) and _DISTANCE_AFTER.match(src.text, best.num.end) is not None
    )  # fmt: skip
    winner: tuple[float, _Ctx] | None = None
    for c in src.nums:
        if c.num.kind == "range" or not _slots_compete(slot, c.slot) or not _role_ok(o, c):
            continue  # "died at 59" is not rivalled by "the six films": an age is not a count of things
        if age_matched and c.num.kind != "age":
            continue  # "a 65-year-old grandmother" found as "the 65-year-old": only another age can rival it
        # Outside dates, _same_quantity is this value test again (after its sort tests): skip the call.
        if any(_same_value(value, v) for v in c.values) or (o.group == "date" and _same_quantity(n, c.num, value)):
            continue
        if slot == "money" and not _currency_ok(n, c.num):
            continue
        if any(_same_value(v, x) for v in c.values for x in others):
            continue
        local, sent, hint = _fit_parts(o, out, c, src, hinted)
        fit = W_LOCAL * local + W_SENT * sent + (HINT_BONUS if hint else 0.0)
        better = fit >= MIN_COMPETITOR and fit > b_fit + MARGIN
        if not better and c.sent == best.sent:
            # In one sentence the words next to each figure tell them apart; when none of best's neighbours is in
            # the output ("Net migration at 210,000" for "migration ... was 298,000, a rise on the 210,000
            # figure"), any of the rival's will do.
            better = (local >= 0.5 and local > b_local + MARGIN) or (b_local == 0.0 and local >= MIN_LOCAL_SAME)
        if not better and slot != "age" and fit >= LOW_FIT_RIVAL and b_fit < LOW_FIT:
            # Not for ages: "The 60-year-old ..." refers back to a person, with no context of its own.
            better = True
        if not better and head_miss and c.sent != best.sent and fit >= b_fit and o.head & c.head:
            better = True  # "53 pukao": best counts something else ("53 of the statues"), c counts pukao
        if not better and modifier and _is_modifier(c.num) and local > 0:
            better = True  # best is a span of time ("three years after"), c the same measure as a modifier
        if not better and ent_miss and o.ent & c.ent:
            better = True  # "Abbie Conman, 17,": the source gives Abbie another age
        if better and b_shared and c.sent != best.sent and len(figures & src.sent_words[c.sent]) < b_shared:
            better = False
        if better and (winner is None or fit > winner[0]):
            winner = (fit, c)
    return winner[1] if winner else None


def _post_modifies(best: _Ctx, o: _Ctx, src: _Source) -> bool:
    """True when source figure ``best`` follows "<noun> of" for a noun the output measure modifies: "a sentence of
    24 months" describes the sentence as "a 24-month sentence" does."""
    m = _OF_BEFORE.search(src.text, max(0, best.num.start - 40), best.num.start)
    return m is not None and _stem(m.group(1)) in o.head


# A span of time that tells how far apart two events are ("three years after", "two weeks later"), not how long
# something lasts ("completed in 26 days"): the only reading a measure written as a modifier can be rivalled from.
_DISTANCE_AFTER = re.compile(r"(?:\s+[a-z]+)?\s+(?:after|ago|before|later|earlier|since|on|into)\b")
_OF_BEFORE = re.compile(r"([A-Za-z]+)\s+of\s+(?:about\s+|up\s+to\s+|nearly\s+|almost\s+)?$")


def _around(src: _Source, sent: int) -> frozenset[str]:
    """The words (and figure tokens) of a source sentence and its two neighbours."""
    words = src.sent_words
    return words[sent].union(*words[max(0, sent - 1) : sent], *words[sent + 1 : sent + 2])


def _is_modifier(n: Number) -> bool:
    """A measure written as a compound modifier: "30-day", "five-year"."""
    return n.kind == "quantity" and "-" in n.text


def _head_fit(o: _Ctx, s: _Ctx) -> float | None:
    """The share of the output number's head words that the source number's head repeats (None: no heads)."""
    if not o.head or not s.head:
        return None
    return len(o.head & s.head) / len(o.head)


def _bare_money(o: _Ctx, s: _Ctx) -> bool:
    """A bare figure that counts nothing ("fined 110 and", "costing 30,000 between") may be a sum of money whose
    currency sign the output dropped or lost in encoding (CNN/DM writes "#" for "£"): the same figure as money."""
    if s.group != "money" or o.num.kind != "count" or o.num.currency is not None:
        return False
    return not o.head or bool(o.head & _MONEY_NOUNS)


# Nouns a sum of money is named by: "£85 costs", "a £20 victim surcharge".
_MONEY_NOUNS = frozenset(
    _stem(w)
    for w in _split(
        "cost costs fine fines fee fees bill price salary wage wages bonus compensation damages payment payout "
        "pension rent tax surcharge levy donation reward ransom"
    )
)


def _role_ok(o: _Ctx, s: _Ctx) -> bool:
    """An age is not a count of things: "26 watches" is not supported by "the 26-year-old", nor the reverse."""
    if o.num.kind == "count" and o.head and s.num.kind == "age":
        return False
    return not (o.num.kind == "age" and s.num.kind == "count" and s.head)


def _derive(
    o: _Ctx, out: _Text, src: _Source, value: float, hinted: frozenset[int]
) -> tuple[str, list[Span], str] | None:
    n = o.num
    group = _group(n)
    if n.kind == "ordinal":
        return _ordinal_from_cardinal(o, out, src, value, hinted)
    if group in ("date", "time", "fraction"):
        return None
    comparable = [c for c in src.nums if c.group == group and (group != "money" or _currency_ok(n, c.num))]
    if n.kind != "year":
        comparable = [c for c in comparable if c.num.kind not in ("year", "decade")]
    hedge = _hedge(o)
    x = value
    # 1. Hedged approximation: the output must be rounder than the source figure ("nearly 5,000" for 4,987).
    if hedge is not None and x > 0:
        best: tuple[float, _Ctx] | None = None
        for c in comparable:
            for v in c.values:
                if _hedge_ok(hedge, x, v) and _sig_digits(x) < _sig_digits(v):
                    f = _fit(o, out, c, src, hinted)
                    if best is None or f > best[0]:
                        best = (f, c)
        if best is not None:
            c = best[1]
            return "derived", [_src_span(src, c)], f'"{hedge} {_fmt(x)}" agrees with {c.num.text!r} in the source'
    # 2. Rounding to the precision written.
    step = _precision(n)
    if step is not None:
        for c in comparable:
            s = c.num
            more_precise = (
                s.decimals > n.decimals
                or (n.scaled and not s.scaled)
                or (n.scaled and s.scaled and s.value != n.value and s.decimals > n.decimals)
            )
            if not more_precise:
                continue
            for v in _values(s):
                if v and abs(v - x) <= step / 2 + 1e-9 * abs(x):
                    return "derived", [_src_span(src, c)], f"{s.text!r} in the source rounds to {n.text!r}"
    # 3. Time-unit conversion.
    if n.kind in ("quantity", "count") and n.unit in _TIME_UNITS:
        days = x * _TIME_UNITS[n.unit]
        for c in src.nums:
            s = c.num
            if (
                s.kind == "quantity"
                and s.unit in _TIME_UNITS
                and s.unit != n.unit
                and math.isclose(s.value * _TIME_UNITS[s.unit], days, rel_tol=0.02)
            ):
                return "derived", [_src_span(src, c)], f"{s.text!r} in the source is {n.text!r}"
    # 3b. Conversion between measures of one dimension ("8km" for "5 miles"), to the precision the output writes.
    if n.kind == "quantity" and n.unit in _MEASURE_FACTORS and x > 0:
        dim, factor = _MEASURE_FACTORS[n.unit]
        for c in src.nums:
            s = c.num
            other = _MEASURE_FACTORS.get(s.unit or "")
            if s.kind != "quantity" or other is None or other[0] != dim or s.unit == n.unit:
                continue
            converted = s.value * other[1] / factor
            if _converts_to(converted, x, n, hedge):
                return "derived", [_src_span(src, c)], f"{s.text!r} in the source is {_fmt_conv(converted)} {n.unit}"
    # 4. Sums and differences of two distinct figures of one aligned source sentence; durations from years.
    if n.kind in ("count", "quantity") or group == "money":
        near_sents = set(_aligned(o, out, src, 2)) | hinted
        pool = [c for c in comparable if c.sent in near_sents and c.num.kind in ("count", "quantity", "money")]
        for i, a in enumerate(pool):
            for b in pool[i + 1 :]:
                va, vb = a.num.value, b.num.value
                if a.sent != b.sent or _same_value(va, vb):
                    continue
                if _same_value(va + vb, x) or _same_value(abs(va - vb), x):
                    op = "+" if _same_value(va + vb, x) else "−"
                    spans = [_src_span(src, a), _src_span(src, b)]
                    return "derived", spans, f"{a.num.text} {op} {b.num.text} in the source"
    if ((n.kind == "quantity" and n.unit == "year") or n.kind == "age") and 0 < x < 150 and x == int(x):
        # Both years in the sentences the output sentence aligns to (not any two years of the article).
        near_years = set(_aligned(o, out, src, 3)) | hinted
        by_year: dict[int, _Ctx] = {}
        for c in src.years:
            if c.sent in near_years:
                by_year.setdefault(int(c.num.value), c)
        for y in sorted(by_year):
            if y + int(x) in by_year:
                spans = [_src_span(src, by_year[y + int(x)]), _src_span(src, by_year[y])]
                return "derived", spans, f"{y + int(x)} − {y} in the source"
    near3 = set(_aligned(o, out, src, 3)) | hinted
    # 4b. A count of what an aligned source sentence lists: "the two states" for "Oklahoma and Missouri", "two
    #     players" for "nominated Blue and Felicia", "two shootings" for "one at the gates … and another".
    if n.kind == "count" and x == int(x) and 2 <= x <= _MAX_LISTED and hedge is None:
        listed = _listing(src, near3, int(x))
        if listed is not None:
            return "derived", [listed], f"the source names {_fmt(x)}: {listed.text!r}"
    # 4c. A decade from a year of it in an aligned sentence: "the late 1970s" for "in 1979".
    if n.kind == "decade":
        for c in src.years:
            if c.sent in near3 and c.num.kind == "year" and int(c.num.value) // 10 * 10 == int(x):
                return "derived", [_src_span(src, c)], f"{c.num.text!r} in the source is in the {n.text}"
    # 5. A hedged bound of a vague plural: "under 100,000" for "tens of thousands", "more than 100" for "hundreds".
    if hedge is not None and group == "plain" and n.kind in ("count", "quantity"):
        for vg in src.vague:
            if vg.sent not in near3:
                continue
            less, above = hedge in _HEDGE_LESS, hedge in _HEDGE_ABOVE
            if (less and _same_value(x, vg.high)) or (above and _same_value(x, vg.low)):
                span = Span(start=vg.start, end=vg.end, text=vg.text)
                return "derived", [span], f'"{hedge} {_fmt(x)}" is a bound of {vg.text!r} in the source'
    # 6. Ordinal to cardinal: "after 10 visits" for "after her tenth visit", "by the age of 15" for "15th birthday",
    #    "a 40-year conflict" for "the 40th anniversary of the war".
    if (n.kind in ("count", "age") or (n.kind == "quantity" and n.unit in _TIME_UNITS)) and x >= 2 and x == int(x):
        near5 = set(_aligned(o, out, src, 5)) | hinted
        for c in src.nums:
            if c.num.kind != "ordinal" or not _same_value(c.num.value, x):
                continue
            if c.sent in near5 or _fit_parts(o, out, c, src, hinted)[1] >= ORDINAL_SENT_FIT:
                return "derived", [_src_span(src, c)], f"the ordinal {c.num.text!r} in the source implies {n.text!r}"
    # 7. A year from a year and a duration in one source sentence: "left office in 1953" for "became president in
    #    1945 ... eight years in office".
    if n.kind == "year":
        for a in src.nums:
            if a.num.kind != "year" or a.sent not in near3:
                continue
            for d in src.nums:
                if d.sent != a.sent or not (d.num.unit == "year" and d.num.kind == "quantity"):
                    continue
                for op, total in (("+", a.num.value + d.num.value), ("−", a.num.value - d.num.value)):
                    if _same_value(total, x):
                        spans = [_src_span(src, a), _src_span(src, d)]
                        return "derived", spans, f"{a.num.text} {op} {d.num.text} in the source"
    return None


#: The longest list a count is read from: a reader counts two to five names at a glance, not a dozen.
_MAX_LISTED = 5
_LIST_NAME = r"(?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|bin))*"
# Not "&": it joins the words of one name more often than two names ("Ben & Jerry's").
_LISTED = re.compile(rf"(?<![\w'’-]){_LIST_NAME}(?:,\s+{_LIST_NAME})*,?\s+and\s+{_LIST_NAME}")
_ONE_AND_ANOTHER = re.compile(r"\bone\b(?:[^.;]|\.(?!\s)){1,160}?\band\s+(?:another|the\s+other)\b", re.I)


def _listing(src: _Source, sents: set[int], count: int) -> Span | None:
    """A list of exactly ``count`` names coordinated by "and" in one of the given source sentences ("Rafael Ramos
    and Wenjian Liu", "Blue, Felicia and Jag"), or "one … and another" for two; None when there is none."""
    for i in sorted(sents):
        a, b = src.sents[i]
        for m in _LISTED.finditer(src.text, a, b):
            items = re.split(r",\s+(?:and\s+)?|\s+and\s+", m.group())
            if len(items) == count:
                return Span(start=m.start(), end=m.end(), text=m.group())
        pair = _ONE_AND_ANOTHER.search(src.text, a, b) if count == 2 else None
        if pair is not None:
            return Span(start=pair.start(), end=pair.end(), text=pair.group())
    return None


def _ordinal_from_cardinal(
    o: _Ctx, out: _Text, src: _Source, value: float, hinted: frozenset[int]
) -> tuple[str, list[Span], str] | None:
    """Rule 6 the other way: an ordinal N for a source count or span of N in an aligned sentence ("the 100th
    anniversary" for "one hundred years ago", "the tenth week" for "Week 10", "the 45th season" for "Survivor 45")."""
    if value < 2 or value != int(value):
        return None
    near5 = set(_aligned(o, out, src, 5)) | hinted
    anniversary = bool(o.head & _ANNIVERSARY)
    for c in src.nums:
        s = c.num
        if not _same_value(s.value, value):
            continue
        # A count of things does not make the Nth ("five girls" is not "her fifth daughter"): only a span of years
        # for an anniversary, or a label ("Week 10", "Survivor 45") whose number is a position.
        span = anniversary and s.kind == "quantity" and s.unit == "year"
        label = s.kind == "count" and _LABEL_BEFORE.search(src.text, max(0, s.start - 30), s.start) is not None
        if not (span or label):
            continue
        if c.sent in near5 or _fit_parts(o, out, c, src, hinted)[1] >= ORDINAL_SENT_FIT:
            return "derived", [_src_span(src, c)], f"{s.text!r} in the source makes it the {o.num.text}"
    return None


_ANNIVERSARY = frozenset(_stem(w) for w in _split("anniversary anniversaries birthday jubilee"))
# A capitalised word right before a figure makes it a label: "Week 10", "Survivor 45", "Apollo 11".
_LABEL_BEFORE = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+\s+$")


def _converts_to(converted: float, x: float, n: Number, hedge: str | None) -> bool:
    """True when a converted source measure reads as the output figure: equal to the last digit the output writes
    ("8km" for 8.05 km) and within 5 % ("200km" is not 100 miles), or within the output's hedge ("about 160km")."""
    if hedge is not None:
        return _hedge_ok(hedge, x, converted)
    step = 10.0 ** (-n.decimals) if n.decimals else 10.0 ** (len(f"{int(x)}") - _sig_digits(x))
    return abs(converted - x) <= min(step / 2, 0.05 * x)


def _fmt_conv(x: float) -> str:
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def _sig_digits(x: float) -> int:
    """Significant digits as written: 5,000 → 1, 4,987 → 4, 1.2 million → 2, 34.5 → 3."""
    digits = f"{abs(x):.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) or 1


def _hedge_ok(hedge: str, x: float, v: float) -> bool:
    if hedge in _HEDGE_BELOW:
        return 0.8 * x <= v <= x
    if hedge in _HEDGE_ABOVE:
        return x <= v <= 2 * x
    if hedge in _HEDGE_LESS:
        return 0.5 * x <= v <= x
    return abs(v - x) <= 0.15 * x


def _precision(n: Number) -> float | None:
    """The step of the last digit written: 0.1 for "1.2", 100,000 for "1.2 million"; None for a bare integer."""
    if n.kind in ("year", "decade", "date", "time", "ordinal", "age", "fraction"):
        return None
    if not n.scaled and n.decimals == 0 and n.kind != "percent":
        return None
    step = 10.0 ** (-n.decimals)
    if n.scaled:
        for s in (1e12, 1e9, 1e6, 1e3):
            if abs(n.value) >= s:
                return step * s
    return step


def format_figure(x: float) -> str:
    """A figure as a reader writes it: 1,200 (no trailing .0), 2.5."""
    return f"{x:,.0f}" if x == int(x) else f"{x:,}"


_fmt = format_figure


def _aligned(o: _Ctx, out: _Text, src: _Source, k: int) -> list[int]:
    ow = out.sent_words[o.sent]
    if not ow:
        return []
    idf, unk = src.idf, src.unknown_idf
    scores = sorted(
        ((sum(idf.get(w, unk) for w in ow & sw), i) for i, sw in enumerate(src.sent_words)), key=lambda t: -t[0]
    )
    return [i for sc, i in scores[:k] if sc > 0]


# ---------------------------------------------------------------------------------------------------------------
# Quotes


def _quotes(text: str) -> Iterable[tuple[int, int, str]]:
    tokenized = _TOKENIZED_QUOTES.search(text) is not None
    at = 0
    while (m := _QUOTED.search(text, at)) is not None:
        name = m.lastgroup
        assert name is not None
        at = m.end()
        if tokenized and name == "d":
            continue
        if name == "d" and _POSSESSIVE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            at = m.start() + 1  # an apostrophe, not a quote mark: a quotation may still open at the next one
            continue
        inner = m.group(name)
        if len(_WORD.findall(inner)) >= MIN_QUOTE_WORDS:
            yield m.start(name), m.end(name), inner


def _check_quote(start: int, end: int, quote: str, src: _Source, field_name: str, *, lowered: bool = False) -> Finding:
    # An output written all in lower case has lost its case ("the barbie from down under"): case tells nothing.
    spans = find_quote(src.text, quote, ignore_case=lowered)
    span = Span(start=start, end=end, text=quote)
    if spans:
        found = _excerpt(src.text, spans[0].start, spans[0].end, 0)
        return Finding(
            kind="quote", field=field_name, text=quote, span=span, status="supported", source_spans=spans[:3],
            reason=f"found verbatim in source: {found!r}", confidence=1.0,
        )  # fmt: skip
    if _is_fragment(quote):
        where = _fragment_words(src.text, quote)
        if where is not None:
            return Finding(
                kind="quote", field=field_name, text=quote, span=span, status="derived", source_spans=where,
                confidence=DERIVED_CONFIDENCE,
                reason=f"scare-quoted fragment (at most {MAX_FRAGMENT_WORDS} words, no sentence): not verbatim, "
                "but every word of it stands in the source",
            )  # fmt: skip
    return Finding(
        kind="quote", field=field_name, text=quote, span=span, status="unsupported",
        reason="quoted passage not found verbatim in the source", confidence=0.0,
    )  # fmt: skip


def _is_fragment(quote: str) -> bool:
    """A short quoted phrase with no sentence punctuation inside: a term, title or scare quote, not a quotation."""
    body = quote.strip().rstrip(".,;:!?'\"’”")
    return len(_WORD.findall(body)) <= MAX_FRAGMENT_WORDS and not _SENTENCE_MARK.search(body)


def _fragment_words(source: str, quote: str) -> list[Span] | None:
    """The first source occurrence of each content word of ``quote`` (any case, stemmed); None if one is missing."""
    index = _source_words(source)
    spans: list[Span] = []
    for m in _TOKEN.finditer(quote):
        w = _stem(m.group())
        if w in _STOP or len(w) < 2:
            continue
        at = index.get(w)
        if at is None:
            return None
        spans.append(Span(start=at[0], end=at[1], text=source[at[0] : at[1]]))
    return spans or None


@lru_cache(maxsize=16)
def _source_words(source: str) -> dict[str, tuple[int, int]]:
    index: dict[str, tuple[int, int]] = {}
    for m in _TOKEN.finditer(source):
        index.setdefault(_stem(m.group()), (m.start(), m.end()))
    return index


# ---------------------------------------------------------------------------------------------------------------
# Public API


def clear_caches() -> None:
    """Forget every prepared source and read text (for cold-start measurements)."""
    _prepare_source.cache_clear()
    clear_number_cache()


def check(source: str, text: str, *, field: str = "text") -> ValidationReport:
    """Check every number and quoted passage of ``text`` against ``source``."""
    return check_fields(source, [(field, text)])


def check_fields(
    source: str, fields: Sequence[tuple[str, str]], *, aligned: dict[str, list[Span]] | None = None
) -> ValidationReport:
    """Check several output fields (path, text) against one source; ``aligned`` gives cited source spans per path.

    The fields are read as one text, joined by a separator no number, date, range or sentence can cross, and each
    finding is mapped back to its field: one analysis instead of one per field (a brief has a dozen)."""
    src = _prepare_source(source)
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
    out = _analyse(joined)
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
        for start, end, quote in _quotes(text):
            per_field[k].append(_check_quote(start, end, quote, src, path, lowered=lowered))
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


def _verbatim(src: _Source, path: str, text: str, spans: list[Span]) -> list[Finding] | None:
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
        where = _excerpt(src.text, n.start, n.end, 30)
        found.append(
            Finding(
                kind="date" if n.kind == "date" else "number", field=path, text=n.text,
                span=Span(start=n.start - at, end=n.end - at, text=n.text), value=n.value, status="supported",
                source_spans=[_src_span(src, c)], reason=f"copied verbatim from the source: {where!r}",
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


def _hinted(src: _Source, spans: list[Span]) -> frozenset[int]:
    if not spans:
        return frozenset()
    return frozenset(i for i, (s, e) in enumerate(src.sents) for sp in spans if sp.start < e and sp.end > s)
