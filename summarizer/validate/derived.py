"""Derived figures: a figure the source does not write, but that follows from source figures by a stated rule.

The rules (used only when no source number has the same value; each names its rule and source spans)
    1. hedged rounding: "nearly/almost/close to/just under X" for a source value in [0.8X, X]; "more than/
       over/at least/upwards of X" for (X, 2X]; "less than/under/fewer than/below X" for [0.5X, X); "about/
       around/roughly/approximately/some/an estimated X" within 15%; the output must be rounder than the source;
    2. rounding to the precision written: a source figure written more precisely (more decimals, or unscaled
       where the output uses million/bn) that rounds to the output ("1.2 million" for 1,234,567);
    3. unit conversion between time units ("two weeks" for "14 days") and between measures of length, mass, speed
       and volume ("8km" for "5 miles", "about 90kg" for "200lb"), to the precision the output writes;
    4. a sum or difference of two source figures of the same sort in one of the two sentences the output sentence
       aligns to; a duration or age as the difference of two source years of the three best-aligned sentences; a
       count of two to five names an aligned sentence lists ("the two states" for "Oklahoma and Missouri"); a
       decade from a year of it ("the late 1970s" for "in 1979");
    5. a hedged bound of a vague plural in an aligned sentence (top 3): "under/less than X" where X is the upper
       bound, "more than/over X" where X is the lower bound of "dozens" [10, 100), "hundreds" [100, 1,000),
       "thousands", "millions", "tens/hundreds of thousands/millions" ("under 100,000" for "the tens of
       thousands");
    6. ordinal to cardinal: a count or age N for a source ordinal N in one of the five best-aligned sentences (or
       whose sentence fits by ORDINAL_SENT_FIT): "after 10 visits" for "after her tenth trip", "by the age of 15"
       for "before his 15th birthday"; and the other way, an ordinal for a span of years of an anniversary or a
       label's number ("the tenth week" for "Week 10");
    7. a year as a source year plus or minus a source duration in years standing in the same (aligned) sentence:
       "left office in 1953" for "became president in 1945 ... nearly eight years in office".

    Not derived (left unsupported on purpose): counts of longer lists ("six targets" for six names), sums of a
    whole list, truncation ("£6billion" for "£6.7bn"), inferences from the publication date ("two years after
    the 2013 bombing", "last July" → "July 2014") and off-by-one inferences ("13th child" from "her 12th child").

Each rule is a small function of :class:`Case` in :data:`RULES`, tried in order; :func:`derive` runs them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from summarizer.validate.context import (
    HEDGE_ABOVE,
    HEDGE_BELOW,
    HEDGE_LESS,
    Ctx,
    Source,
    Text,
    format_figure,
    hedge_of,
    number_group,
    number_values,
    source_span,
)
from summarizer.validate.fit import aligned_sentences, currency_ok, fit, fit_parts, other_casualties, same_value
from summarizer.validate.numbers import Number
from summarizer.validate.report import Span
from summarizer.validate.words import split, stem

__all__ = ["ORDINAL_SENT_FIT", "RULES", "Case", "Derivation", "derive"]

# Measures that convert into one another: unit → (dimension, size in the dimension's base unit).
_MEASURE_FACTORS = {
    "mile": ("length", 1609.344), "km": ("length", 1000.0), "m": ("length", 1.0), "cm": ("length", 0.01),
    "mm": ("length", 0.001), "ft": ("length", 0.3048), "inch": ("length", 0.0254), "yard": ("length", 0.9144),
    "kg": ("mass", 1.0), "lb": ("mass", 0.45359237), "ounce": ("mass", 0.028349523), "stone": ("mass", 6.35029318),
    "mg": ("mass", 1e-6), "mph": ("speed", 1.609344), "kmh": ("speed", 1.0), "litre": ("volume", 1.0),
    "ml": ("volume", 0.001),
}  # fmt: skip
_TIME_UNITS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "year": 365.0}

#: The sentence fit at which a source ordinal outside the five best-aligned sentences still derives a count.
ORDINAL_SENT_FIT = 0.2


Derivation = tuple[str, list[Span], str]
"""A derived verdict: ("derived", the source spans the rule used, the rule in words)."""


@dataclass
class Case:
    """One value of an output figure to derive, with what every rule reads: the figure, the texts, the cited
    source sentences, and (computed once, on first use) its sort, hedge, comparable source figures and the
    best-aligned source sentences."""

    o: Ctx
    out: Text
    src: Source
    x: float
    hinted: frozenset[int]

    @property
    def n(self) -> Number:
        """The output figure."""
        return self.o.num

    @cached_property
    def group(self) -> str:
        """The output figure's sort (see :func:`number_group`)."""
        return number_group(self.o.num)

    @cached_property
    def hedge(self) -> str | None:
        """The hedge written before the output figure ("nearly", "more than"), lower-cased."""
        return hedge_of(self.o)

    @cached_property
    def comparable(self) -> list[Ctx]:
        """The source figures of the same sort (and currency); years only for a year."""
        n, group = self.o.num, self.group
        same = [c for c in self.src.nums if c.group == group and (group != "money" or currency_ok(n, c.num))]
        return same if n.kind == "year" else [c for c in same if c.num.kind not in ("year", "decade")]

    def near(self, k: int) -> set[int]:
        """The ``k`` best-aligned source sentences, and the cited ones."""
        return set(aligned_sentences(self.o, self.out, self.src, k)) | self.hinted


def _hedged_rounding(c: Case) -> Derivation | None:
    """Rule 1: "nearly/almost X" for a source value in [0.8X, X], "more than/over X" for (X, 2X], "less than/under
    X" for [0.5X, X), "about/around X" within 15 %; the output must be rounder ("nearly 5,000" for 4,987)."""
    hedge, x = c.hedge, c.x
    if hedge is None or x <= 0:
        return None
    best: tuple[float, Ctx] | None = None
    for s in c.comparable:
        if other_casualties(c.o, s):
            continue  # "nearly 700 injured" is no rounding of "648 killed"
        for v in s.values:
            if _hedge_ok(hedge, x, v) and _sig_digits(x) < _sig_digits(v):
                f = fit(c.o, c.out, s, c.src, c.hinted)
                if best is None or f > best[0]:
                    best = (f, s)
    if best is None:
        return None
    s = best[1]
    return "derived", [source_span(s)], f'"{hedge} {format_figure(x)}" agrees with {s.num.text!r} in the source'


def _rounded(c: Case) -> Derivation | None:
    """Rule 2: a source figure written more precisely (more decimals, or unscaled where the output writes
    million/bn) that rounds to the output at the precision it writes ("1.2 million" for 1,234,567)."""
    n, x = c.n, c.x
    step = _precision(n)
    if step is None:
        return None
    for s in c.comparable:
        m = s.num
        more_precise = (
            m.decimals > n.decimals
            or (n.scaled and not m.scaled)
            or (n.scaled and m.scaled and m.value != n.value and m.decimals > n.decimals)
        )
        if not more_precise:
            continue
        for v in number_values(m):
            if v and abs(v - x) <= step / 2 + 1e-9 * abs(x):
                return "derived", [source_span(s)], f"{m.text!r} in the source rounds to {n.text!r}"
    return None


def _time_conversion(c: Case) -> Derivation | None:
    """Rule 3a: the same span in another time unit ("two weeks" for "14 days"), within 2 %."""
    n = c.n
    if n.kind not in ("quantity", "count") or n.unit not in _TIME_UNITS:
        return None
    days = c.x * _TIME_UNITS[n.unit]
    for s in c.src.nums:
        m = s.num
        if (
            m.kind == "quantity"
            and m.unit in _TIME_UNITS
            and m.unit != n.unit
            and math.isclose(m.value * _TIME_UNITS[m.unit], days, rel_tol=0.02)
        ):
            return "derived", [source_span(s)], f"{m.text!r} in the source is {n.text!r}"
    return None


def _measure_conversion(c: Case) -> Derivation | None:
    """Rule 3b: a measure of length, mass, speed or volume in another unit ("8km" for "5 miles"), to the precision
    the output writes."""
    n, x = c.n, c.x
    if n.kind != "quantity" or n.unit not in _MEASURE_FACTORS or x <= 0:
        return None
    dim, factor = _MEASURE_FACTORS[n.unit]
    for s in c.src.nums:
        m = s.num
        other = _MEASURE_FACTORS.get(m.unit or "")
        if m.kind != "quantity" or other is None or other[0] != dim or m.unit == n.unit:
            continue
        converted = m.value * other[1] / factor
        if _converts_to(converted, x, n, c.hedge):
            return "derived", [source_span(s)], f"{m.text!r} in the source is {_fmt_conv(converted)} {n.unit}"
    return None


def _sum_or_difference(c: Case) -> Derivation | None:
    """Rule 4a: the sum or difference of two distinct figures of the same sort in one of the two source sentences
    the output sentence aligns to (or a cited one)."""
    n, x = c.n, c.x
    if n.kind not in ("count", "quantity") and c.group != "money":
        return None
    near = c.near(2)
    pool = [s for s in c.comparable if s.sent in near and s.num.kind in ("count", "quantity", "money")]
    for i, a in enumerate(pool):
        for b in pool[i + 1 :]:
            va, vb = a.num.value, b.num.value
            if a.sent != b.sent or same_value(va, vb):
                continue
            if same_value(va + vb, x) or same_value(abs(va - vb), x):
                op = "+" if same_value(va + vb, x) else "−"
                return "derived", [source_span(a), source_span(b)], f"{a.num.text} {op} {b.num.text} in the source"
    return None


def _years_apart(c: Case) -> Derivation | None:
    """Rule 4b: a duration in years or an age as the difference of two source years, both in the three sentences
    the output sentence aligns to (not any two years of the article)."""
    n, x = c.n, c.x
    if not ((n.kind == "quantity" and n.unit == "year") or n.kind == "age") or not (0 < x < 150 and x == int(x)):
        return None
    near = c.near(3)
    by_year: dict[int, Ctx] = {}
    for s in c.src.years:
        if s.sent in near:
            by_year.setdefault(int(s.num.value), s)
    for y in sorted(by_year):
        if y + int(x) in by_year:
            spans = [source_span(by_year[y + int(x)]), source_span(by_year[y])]
            return "derived", spans, f"{y + int(x)} − {y} in the source"
    return None


def _listed_count(c: Case) -> Derivation | None:
    """Rule 4c: a count of what an aligned source sentence lists: "the two states" for "Oklahoma and Missouri",
    "two players" for "nominated Blue and Felicia", "two shootings" for "one at the gates … and another"."""
    n, x = c.n, c.x
    if n.kind != "count" or x != int(x) or not 2 <= x <= _MAX_LISTED or c.hedge is not None:
        return None
    listed = _listing(c.src, c.near(3), int(x))
    if listed is None:
        return None
    return "derived", [listed], f"the source names {format_figure(x)}: {listed.text!r}"


def _decade_of_year(c: Case) -> Derivation | None:
    """Rule 4d: a decade from a year of it in an aligned sentence: "the late 1970s" for "in 1979"."""
    n, x = c.n, c.x
    if n.kind != "decade":
        return None
    near = c.near(3)
    for s in c.src.years:
        if s.sent in near and s.num.kind == "year" and int(s.num.value) // 10 * 10 == int(x):
            return "derived", [source_span(s)], f"{s.num.text!r} in the source is in the {n.text}"
    return None


def _vague_bound(c: Case) -> Derivation | None:
    """Rule 5: a hedged bound of a vague plural in an aligned sentence: "under 100,000" for "tens of thousands",
    "more than 100" for "hundreds" (the upper bound under "under/less than", the lower one under "more than")."""
    n, x, hedge = c.n, c.x, c.hedge
    if hedge is None or c.group != "plain" or n.kind not in ("count", "quantity"):
        return None
    near = c.near(3)
    for vg in c.src.vague:
        if vg.sent not in near:
            continue
        less, above = hedge in HEDGE_LESS, hedge in HEDGE_ABOVE
        if (less and same_value(x, vg.high)) or (above and same_value(x, vg.low)):
            span = Span(start=vg.start, end=vg.end, text=vg.text)
            return "derived", [span], f'"{hedge} {format_figure(x)}" is a bound of {vg.text!r} in the source'
    return None


def _cardinal_from_ordinal(c: Case) -> Derivation | None:
    """Rule 6: a count or age N for a source ordinal N in one of the five best-aligned sentences (or one whose
    sentence fits by ORDINAL_SENT_FIT): "after 10 visits" for "after her tenth visit", "by the age of 15" for
    "15th birthday", "a 40-year conflict" for "the 40th anniversary of the war"."""
    n, x = c.n, c.x
    if not (n.kind in ("count", "age") or (n.kind == "quantity" and n.unit in _TIME_UNITS)) or x < 2 or x != int(x):
        return None
    near = c.near(5)
    for s in c.src.nums:
        if s.num.kind != "ordinal" or not same_value(s.num.value, x):
            continue
        if s.sent in near or fit_parts(c.o, c.out, s, c.src, c.hinted)[1] >= ORDINAL_SENT_FIT:
            return "derived", [source_span(s)], f"the ordinal {s.num.text!r} in the source implies {n.text!r}"
    return None


def _year_and_duration(c: Case) -> Derivation | None:
    """Rule 7: a year as a source year plus or minus a duration in years of the same aligned sentence: "left office
    in 1953" for "became president in 1945 ... eight years in office"."""
    if c.n.kind != "year":
        return None
    near, x, nums = c.near(3), c.x, c.src.nums
    for a in nums:
        if a.num.kind != "year" or a.sent not in near:
            continue
        for d in nums:
            if d.sent != a.sent or not (d.num.unit == "year" and d.num.kind == "quantity"):
                continue
            for op, total in (("+", a.num.value + d.num.value), ("−", a.num.value - d.num.value)):
                if same_value(total, x):
                    return "derived", [source_span(a), source_span(d)], f"{a.num.text} {op} {d.num.text} in the source"
    return None


#: The rules for a figure that is not an ordinal, tried in this order; the first that holds names the derivation.
RULES: tuple[Callable[[Case], Derivation | None], ...] = (
    _hedged_rounding,
    _rounded,
    _time_conversion,
    _measure_conversion,
    _sum_or_difference,
    _years_apart,
    _listed_count,
    _decade_of_year,
    _vague_bound,
    _cardinal_from_ordinal,
    _year_and_duration,
)


def derive(o: Ctx, out: Text, src: Source, value: float, hinted: frozenset[int]) -> Derivation | None:
    """How ``value`` of output figure ``o`` follows from source figures by a stated rule, or None when none holds.

    Used only when no source figure has the same value. Dates, clock times and fractions are never derived."""
    case = Case(o, out, src, value, hinted)
    if o.num.kind == "ordinal":
        return _ordinal_from_cardinal(case)
    if case.group in ("date", "time", "fraction"):
        return None
    for rule in RULES:
        found = rule(case)
        if found is not None:
            return found
    return None


#: The longest list a count is read from: a reader counts two to five names at a glance, not a dozen.
_MAX_LISTED = 5
_LIST_NAME = r"(?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|bin))*"
# Not "&": it joins the words of one name more often than two names ("Ben & Jerry's").
_LISTED = re.compile(rf"(?<![\w'’-]){_LIST_NAME}(?:,\s+{_LIST_NAME})*,?\s+and\s+{_LIST_NAME}")
_ONE_AND_ANOTHER = re.compile(r"\bone\b(?:[^.;]|\.(?!\s)){1,160}?\band\s+(?:another|the\s+other)\b", re.I)


def _listing(src: Source, sents: set[int], count: int) -> Span | None:
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


def _ordinal_from_cardinal(c: Case) -> Derivation | None:
    """Rule 6 the other way: an ordinal N for a source count or span of N in an aligned sentence ("the 100th
    anniversary" for "one hundred years ago", "the tenth week" for "Week 10", "the 45th season" for "Survivor 45")."""
    value, src = c.x, c.src
    if value < 2 or value != int(value):
        return None
    near = c.near(5)
    anniversary = bool(c.o.head & _ANNIVERSARY)
    for s in src.nums:
        m = s.num
        if not same_value(m.value, value):
            continue
        # A count of things does not make the Nth ("five girls" is not "her fifth daughter"): only a span of years
        # for an anniversary, or a label ("Week 10", "Survivor 45") whose number is a position.
        span = anniversary and m.kind == "quantity" and m.unit == "year"
        label = m.kind == "count" and _LABEL_BEFORE.search(src.text, max(0, m.start - 30), m.start) is not None
        if not (span or label):
            continue
        if s.sent in near or fit_parts(c.o, c.out, s, src, c.hinted)[1] >= ORDINAL_SENT_FIT:
            return "derived", [source_span(s)], f"{m.text!r} in the source makes it the {c.n.text}"
    return None


_ANNIVERSARY = frozenset(stem(w) for w in split("anniversary anniversaries birthday jubilee"))
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
    """A converted measure as shown in a reason: one decimal under 100."""
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def _sig_digits(x: float) -> int:
    """Significant digits as written: 5,000 → 1, 4,987 → 4, 1.2 million → 2, 34.5 → 3."""
    digits = f"{abs(x):.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) or 1


def _hedge_ok(hedge: str, x: float, v: float) -> bool:
    """True when source value ``v`` lies in the range that hedge + output value ``x`` describe (rule 1)."""
    if hedge in HEDGE_BELOW:
        return 0.8 * x <= v <= x
    if hedge in HEDGE_ABOVE:
        return x <= v <= 2 * x
    if hedge in HEDGE_LESS:
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
