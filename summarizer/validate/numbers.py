"""A number reader for news English: figures, number words, money, percentages, ranges, ages, years and dates.

``read_numbers(text)`` finds every figure a reader would take as a number and normalises it to a value:

* digits with separators and decimals: ``4,987``, ``1.2``, ``.5``;
* number words: ``nine``, ``ninety-eight``, ``two and a half million``, ``a dozen``, ``half a million``;
  vague plurals (``hundreds``, ``thousands``, ``dozens``) are not numbers and are skipped;
* scale words and abbreviations: ``1.2 billion``, ``$1.2bn``, ``5m``, ``300k``, ``£3tn``;
* money: ``$``, ``US$``, ``€``, ``£``, ``¥`` before the figure, or ``dollars``/``pounds``/``euros`` after it;
* percentages: ``34%``, ``34 percent``, ``34 per cent``, ``3 percentage points``;
* fractions: ``two-thirds``, ``one-half``, ``three quarters of`` (kind ``fraction``, value 2/3...);
* ranges: ``20 to 30``, ``20-30``, ``between 20 and 30``, ``$20-30 million`` (the scale and unit are shared);
* compounds: ``30-day`` (a quantity of days), ``19-year-old`` / ``aged 19`` / ``Smith, 45,`` (ages);
* years (``2025``, ``in 1998``), decades (``1990s``), calendar dates (``April 4``, ``4 April 2025``,
  ``4/18``, ``2025-04-18``), clock times (``10:30``, ``2pm``) and ordinals (``3rd``, ``third``), each
  kept apart from counts.

Figures glued to letters are labels, not numbers (``G20``, ``COVID-19``, ``F-16``, ``MP3``) and are skipped.
Every regular expression is compiled once at import; one call is a few linear scans of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from summarizer.validate.starts import digit_runs, matches_from, word_starts

NumberKind = Literal[
    "count", "money", "percent", "year", "decade", "date", "time", "ordinal", "range", "age", "quantity", "fraction"
]

__all__ = ["MEASURE_WORDS", "Number", "NumberKind", "clear_number_cache", "is_weight", "read_numbers"]


@dataclass(frozen=True, slots=True)
class Number:
    """One number read from a text: where it stands, its value and what kind of quantity it is.

    ``value`` is the normalised value (``$1.2bn`` → 1.2e9, ``34%`` → 34.0). For a range it is the low end,
    with ``low``/``high`` giving both ends; for a date it is the day of the month (``month`` and ``year`` are
    set when written), for a month-and-year date without a day it is 0. ``unit`` is the measure the figure
    counts when the text says so (``"day"`` for ``30-day``, ``"%"`` for percentages, ``"year"`` for ages);
    ``currency`` is ``"USD"``, ``"GBP"``, ``"EUR"``, ``"JPY"`` or ``"$"`` (a dollar of unknown country).
    """

    start: int
    end: int
    text: str
    value: float
    kind: NumberKind
    unit: str | None = None
    currency: str | None = None
    low: float | None = None
    high: float | None = None
    month: int | None = None
    year: int | None = None
    scaled: bool = False
    """True when a scale word or abbreviation (million, bn, k...) was applied to the figure."""
    decimals: int = 0
    """Digits written after the decimal point (the precision the writer chose)."""
    word: bool = False
    """True when the figure is written in words (``nine``, ``a dozen``)."""


# ---------------------------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ORDINAL_WORDS = {
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "hundredth": 100,
}  # fmt: skip

# Glued or following scale abbreviations/words → multiplier.
_SCALE_ABBR = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
    "billion": 1e9, "tn": 1e12, "trillion": 1e12, "hundred": 100.0,
}  # fmt: skip
_CURRENCY_SYMBOLS = {"$": "$", "us$": "USD", "a$": "AUD", "c$": "CAD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CURRENCY_WORDS = {
    "dollar": "$", "dollars": "$", "pound": "GBP", "pounds": "GBP", "euro": "EUR", "euros": "EUR",
    "yen": "JPY", "cents": "cent", "pence": "pence", "sterling": "GBP",
}  # fmt: skip
# Measure units a figure can carry, glued ("100mph") or as the next word ("3 days", "30-day").
_MEASURES = {
    "second": "second", "seconds": "second", "minute": "minute", "minutes": "minute", "min": "minute",
    "mins": "minute", "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "day": "day", "days": "day",
    "week": "week", "weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year",
    "yr": "year", "decade": "decade", "decades": "decade", "century": "century", "centuries": "century",
    "mile": "mile", "miles": "mile", "mph": "mph", "km": "km", "kms": "km", "kilometre": "km",
    "kilometres": "km", "kilometer": "km", "kilometers": "km", "kmh": "kmh", "kph": "kmh", "metre": "m",
    "metres": "m", "meter": "m", "meters": "m", "cm": "cm", "mm": "mm", "ft": "ft", "foot": "ft", "feet": "ft",
    "inch": "inch", "inches": "inch", "in": "inch", "yard": "yard", "yards": "yard", "kg": "kg", "kilo": "kg",
    "kilos": "kg", "kilogram": "kg", "kilograms": "kg", "lb": "lb", "lbs": "lb", "ton": "ton", "tons": "ton",
    "tonne": "ton", "tonnes": "ton", "acre": "acre", "acres": "acre", "sq": "sq", "mg": "mg", "ml": "ml",
    "litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre", "degree": "degree",
    "degrees": "degree", "storey": "storey", "storeys": "storey", "story": "storey", "stories": "storey",
    "point": "point", "points": "point", "gallon": "gallon", "gallons": "gallon", "ounce": "ounce",
    "ounces": "ounce", "oz": "ounce", "stone": "stone", "mile-long": "mile",
}  # fmt: skip
#: The words of the measure units the reader knows ("minutes", "km", "feet").
MEASURE_WORDS = frozenset(_MEASURES)
_GLUED_UNITS = frozenset(
    {"mph", "km", "kms", "kmh", "kph", "cm", "mm", "ft", "kg", "lb", "lbs", "mg", "ml", "yr", "yrs", "hr", "hrs", "oz"}
)
# Words after a four-digit figure that make it a count rather than a year ("1500 troops" but "2012 was").
# Plural nouns of events named by their year: "the 2024 elections", "the 2012 Olympics" (a count would be absurd).
_DATED_EVENTS = frozenset(
    {
        "elections", "midterms", "primaries", "caucuses", "olympics", "playoffs", "finals", "championships",
        "paralympics", "riots", "protests", "floods", "attacks",
    }
)  # fmt: skip
_NOT_PLURAL = frozenset({"was", "has", "is", "as", "its", "this", "his", "always", "thus", "tens", "kids's"})

# ---------------------------------------------------------------------------------------------------------------
# Patterns (compiled once)

_DATE_MDY = re.compile(
    rf"(?=[JFMASOND])\b(?P<m>{_MONTH_RE})\.?\s+(?:(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(?P<y>[12]\d{{3}})(?!\d))?"
    rf"|(?P<y2>[12]\d{{3}})(?!\d|\s*(?:%|per))(?!,\d))"
)
# The second day of "April 18-26", "April 18 to 26", "October 20th and 21st, 2023".
_DAY_RANGE_END = re.compile(
    r"\s*(?:-|–|—|to|through|until|(?P<and>and|&))\s*(?P<d>[0-3]?\d)(?!\d)(?P<sfx>st|nd|rd|th)?(?![\d:.,]\d)"
    r"(?!\s*(?:%|per\b))(?:,?\s+(?P<y>[12]\d{3})(?!\d))?"
)
_DATE_DMY = re.compile(
    rf"(?=\d)\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_RE})\b\.?(?:,?\s+(?P<y>[12]\d{{3}})\b)?"
)
_DATE_NUMERIC = re.compile(
    r"(?=\d)(?<![\w/.-])(?:(?P<iy>[12]\d{3})-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
    r"|(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)(?:/(?P<c>\d{4}|\d{2}))?)(?![\w/])"
)
_TIME = re.compile(
    # The lookahead first: most positions fail on it (twice as fast over an article).
    r"(?=\d)(?:(?P<h>\d{1,2})(?::(?P<mi>[0-5]\d))?\s?(?P<ap>[apAP]\.?[mM]\b\.?)"
    r"|(?P<h2>\d{1,2}):(?P<mi2>[0-5]\d)(?![\d:]))"
)
_DIGITS = re.compile(
    # The lookahead first: most positions fail on one character instead of two lookbehinds.
    # Not after "F-" or "COVID-" (a name), but after "mid-": "the mid-1970s" is a decade.
    r"(?=[\d$€£¥.UuAaCc])(?<![\w.,])(?:(?<![A-Za-z]-)|(?<=[Mm]id-))"
    r"(?P<cur>(?:US|A|C)?\$|€|£|¥)?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<tail>(?:st|nd|rd|th|s|'s|[A-Za-z]+))?"
    r"(?![\w])",
    re.IGNORECASE,
)
# What may follow a figure: a scale word, a percent sign/word, a currency word, a compound or a unit word.
_AFTER = re.compile(
    r"(?P<scale>\s?(?:trillion|billion|million|thousand|bn|mn|tn)\b|\s(?:hundred)\b)?"
    r"(?P<pct>\s?%|\s+per\s?cent\b|\s+percentage\s+points?\b|\s+pc\b)?"
    r"(?P<curw>\s+(?:US\s+|Australian\s+|Canadian\s+)?(?:dollars?|pounds?|euros?|yen|pence|cents|sterling)\b)?"
    r"(?P<age>-?\s?(?:years?|yr)[- ]old\b|-(?:month|week|day)s?-old\b|\s+(?:years?|months?)\s+of\s+age\b)?"
    r"(?P<comp>-(?P<cunit>[a-z]+(?:-long)?)\b)?"
    r"(?P<unit>\s+(?P<uword>[A-Za-z]+)\b)?",
    re.IGNORECASE,
)


def _cases(words: list[str]) -> str:
    # Spelled-out case variants instead of re.IGNORECASE: several times faster on long texts.
    return "|".join(v for w in sorted(words, key=len, reverse=True) for v in (w, w.capitalize(), w.upper()))


_WORD_ATOM = _cases([*_UNITS, *_TENS, *_SCALES, "dozen"])
_WORDNUM = re.compile(
    rf"\b(?:(?:[Aa]n?|[Oo]ne|ONE|AN?)\s+)?(?:(?:[Hh]alf|HALF)\s+an?\s+)?(?:{_WORD_ATOM})"
    rf"(?:(?:\s+and\s+an?\s+|-and-an?-|\s+and\s+|\s+|-)(?:half|quarter|{_WORD_ATOM}))*\b"
    r"(?!-(?:thirds?|quarters?|fifths?)\b)"
)
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
    "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
# Substrings one of which any denominator word contains: a cheap test before the fraction pattern runs.
_DENOMINATOR_STEMS = frozenset(w.rstrip("s") for w in _DENOMINATORS)
# "two-thirds", "one-half", "three quarters of": a numerator word, then a denominator word. Spaced forms need a
# following "of" ("one third of voters"): "the third quarter" or "two fifths" alone are rarer as fractions.
_FRACTION = re.compile(
    # Not the tail of "three-and-a-half" (a mixed number, read with its whole part).
    rf"(?<!and-)\b(?P<n>{_cases(['a', *(w for w in _UNITS if w not in ('zero',))])})"
    rf"(?:-(?P<d1>{_cases(list(_DENOMINATORS))})\b|\s+(?P<d2>{_cases(list(_DENOMINATORS))})(?=\s+of\b))"
)
# Where a denominator word follows a hyphen or a space: where a fraction may end (see _fractions).
_DENOMINATOR_AFTER = re.compile(rf"[-\s](?:{_cases(list(_DENOMINATORS))})")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WORD_TOKEN = re.compile(r"[A-Za-z]+")
_PER_HOUR = re.compile(r"/h(?:r|our)?\b")
_ALPHA = re.compile(r"[A-Za-z]+")
_NUMBER_WORDS = frozenset([*_UNITS, *_TENS, *_SCALES, "dozen", *_ORDINAL_WORDS])


def _by_first_letter(words: frozenset[str]) -> str:
    """An alternation of lower-case words grouped by first letter ("o(?:ne)|t(?:wo|en|hree)"), longest first in
    each group: at a word start the engine tests one letter against a dozen groups, not the text against every
    word (twice as fast over an article; the same matches)."""
    groups: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        groups.setdefault(w[0], []).append(w[1:])
    return "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in sorted(groups.items()))


# A number word as a whole run of letters, in lower-cased text. Only one word can fill a whole run, so the order of
# the alternatives changes no match. The lookahead on the first letters lets most word starts fail at once.
_NUMBER_WORD_RUN = re.compile(
    rf"(?<![a-z])(?=[{''.join(sorted({w[0] for w in _NUMBER_WORDS}))}])(?:{_by_first_letter(_NUMBER_WORDS)})(?![a-z])"
)
_WORD_PREFIX = re.compile(
    r"(?<![A-Za-z])(?:(?:[Aa]n?|[Oo]ne|ONE|AN?)\s+(?:(?:[Hh]alf|HALF)\s+an?\s+)?|(?:[Hh]alf|HALF)\s+an?\s+)$"
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|and)\s*$|\s*(?:-|–|—|to)\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_AGED_BEFORE = re.compile(r"\b(?:aged|age|ages|age\s+of|died\s+at|dies\s+at|retired\s+at)\s+$", re.IGNORECASE)
_DECADE_BEFORE = re.compile(r"(?:\b(?:[Tt]he|[Aa]n?|[Ll]ate|[Ee]arly|[Mm]id)[\s-]+['’]?|['’])$")
_NAME_COMMA_BEFORE = re.compile(r"[A-Z][a-z]+,\s$")
_YEAR_CUE_BEFORE = re.compile(
    r"\b(?:in|since|of|by|from|until|till|before|after|year|early|late|mid|during|the|and|to|or|between|circa)\s+$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------------------------------
# Reading


def read_numbers(text: str) -> list[Number]:
    """Read every number in ``text``, in order of position, with its normalised value and kind."""
    return list(_read_cached(text))


def clear_number_cache() -> None:
    """Forget the texts read so far (for cold-start measurements)."""
    _read_cached.cache_clear()


@lru_cache(maxsize=256)
def _read_cached(text: str) -> tuple[Number, ...]:
    taken = bytearray(len(text) + 1)
    found: list[Number] = []

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def take(n: Number) -> None:
        taken[n.start : n.end] = b"\x01" * (n.end - n.start)
        found.append(n)

    runs = digit_runs(text)
    for n in sorted(_dates(text, runs), key=lambda n: (n.start, n.start - n.end)):
        if free(n.start, n.end):
            take(n)
    for n in _times(text, runs):
        if free(n.start, n.end):
            take(n)
    low = text.lower()
    if any(d in low for d in _DENOMINATOR_STEMS):
        for fm in _fractions(text, low):
            top = 1 if fm.group("n").lower() == "a" else _UNITS[fm.group("n").lower()]
            den = _DENOMINATORS[(fm.group("d1") or fm.group("d2")).lower()]
            if top < den and free(fm.start(), fm.end()):
                take(Number(fm.start(), fm.end(), fm.group(), top / den, "fraction", word=True))
    for m in matches_from(_DIGITS, text, _figure_starts(text, runs)):
        if not free(m.start(), m.end()):
            continue
        d = _digit_number(text, m)
        if d is not None and free(d.start, d.end):
            take(d)
    # Number words: one cheap scan of the words, then the full pattern only where a number word stands.
    covered = -1
    for start, end, word in _number_words(text, low):
        if start < covered:
            continue
        if word in _ORDINAL_WORDS:
            if free(start, end):
                take(Number(start, end, text[start:end], float(_ORDINAL_WORDS[word]), "ordinal", word=True))
            continue
        back = _WORD_PREFIX.search(text, max(0, start - 12), start)
        for at in (back.start(), start) if back else (start,):
            wm = _WORDNUM.match(text, at)
            if wm is not None and wm.end() > start:
                covered = wm.end()
                for n in _word_numbers(text, wm):
                    if free(n.start, n.end):
                        take(n)
                break
    found.sort(key=lambda n: n.start)
    return tuple(_merge_ranges(text, found))


def _number_words(text: str, low: str) -> list[tuple[int, int, str]]:
    """Every run of ASCII letters that is a number word, any case: (start, end, lower-cased word); ``low`` is
    ``text.lower()``."""
    if len(low) != len(text) or "\u212a" in text:
        # "İ" lowers to two characters and the Kelvin sign "K" to an ASCII "k": the offsets or letters of ``low``
        # are not the text's, so read word by word.
        return [
            (w.start(), w.end(), word) for w in _ALPHA.finditer(text) if (word := w.group().lower()) in _NUMBER_WORDS
        ]
    # One scan of the lower-cased text for the number words instead of a Python loop over every word (most are not
    # number words): the same runs, as lowering keeps every offset and which characters are ASCII letters.
    return [(m.start(), m.end(), m.group()) for m in _NUMBER_WORD_RUN.finditer(low)]


def _fractions(text: str, low: str) -> list[re.Match[str]]:
    """The matches of ``_FRACTION`` in ``text``, as ``finditer`` gives them, found from their denominators."""
    # Each match is a numerator word, a hyphen or spaces, a denominator word; the numerator is the whole run of
    # letters before the separator (it starts at a word boundary and ends before a hyphen or a space). So try the
    # full pattern only there: a scan for "-half", " thirds"... is several times cheaper than the pattern's scan.
    out: list[re.Match[str]] = []
    last = 0
    for c in _denominator_marks(text, low):
        end = c.start()
        if text[end] != "-":
            while end > 0 and text[end - 1].isspace():
                end -= 1
        start = end
        while start > 0 and text[start - 1] in _ASCII_LETTERS:
            start -= 1
        if start == end or start < last:
            continue
        m = _FRACTION.match(text, start)
        if m is not None:
            out.append(m)
            last = m.end()
    return out


# Where a digit-led pattern can start, given the digit runs (see summarizer.validate.starts). A date written
# "April 4" or "June 2011" starts at a month name that ends (a full stop allowed) right before the spaces before a
# digit run; "4 April" and "4/18" at a run (they open on a word boundary or a lookbehind for no word character);
# a figure at most five characters before one ("US$ .5": a currency, a space, a decimal point).
_MONTH_LENGTHS = sorted({len(k) for k in _MONTHS}, reverse=True)
#: The month names as _MONTH_RE accepts them ("Jan", "January", "Sept").
_MONTH_NAMES = frozenset(k.capitalize() for k in _MONTHS)
_FIGURE_LEAD = 5
# What may stand between the start of a figure and its first digit: a currency, a space, a decimal point (and
# "ſ", which the pattern, ignoring case, takes for an "s").
_FIGURE_LEAD_CHARS = frozenset("$€£¥.USACusacſ")


def _month_starts(text: str, runs: list[int]) -> list[int]:
    """Every position where ``_DATE_MDY`` can match, in order (and some where it cannot)."""
    out: list[int] = []
    for d in runs:
        j = d
        while j and text[j - 1].isspace():
            j -= 1
        if j == d:
            continue  # the pattern has spaces before the day or the year
        e = j - 1 if j and text[j - 1] == "." else j
        out.extend(e - n for n in _MONTH_LENGTHS if e >= n and text[e - n : e] in _MONTH_NAMES)
    return sorted(set(out))


def _figure_starts(text: str, runs: list[int]) -> list[int]:
    """Every position where ``_DIGITS`` can match, in order (and some where it cannot)."""
    out: set[int] = set()
    for d in runs:
        out.add(d)
        for s in range(d - 1, max(-1, d - 1 - _FIGURE_LEAD), -1):
            if text[s] not in _FIGURE_LEAD_CHARS and not text[s].isspace():
                break
            out.add(s)
    return sorted(out)


def _denominator_marks(text: str, low: str) -> list[re.Match[str]]:
    """The matches of ``_DENOMINATOR_AFTER`` in ``text`` (``low`` is ``text.lower()``), found from the denominator
    words: each match is a hyphen or a space and then one of them (as written, capitalised or in capitals)."""
    if len(low) != len(text):
        return list(_DENOMINATOR_AFTER.finditer(text))  # lowering moved the offsets (see _number_words)
    return matches_from(_DENOMINATOR_AFTER, text, word_starts(low, _DENOMINATOR_STEMS, before=1))


def _dates(text: str, runs: list[int]) -> list[Number]:
    out: list[Number] = []
    for m in matches_from(_DATE_MDY, text, _month_starts(text, runs)):
        month = _MONTHS[m.group("m").lower().rstrip(".")]
        if m.group("d") is not None:
            day = int(m.group("d"))
            if not 1 <= day <= 31:
                continue
            year = int(m.group("y")) if m.group("y") else None
            out.append(Number(m.start(), m.end(), m.group(), float(day), "date", month=month, year=year))
            # "April 18-26", "April 18 to 26", "October 20th and 21st": the second day is a date of the same month.
            r = _DAY_RANGE_END.match(text, m.end()) if year is None else None
            # "May 5 and 6 people": after "and", a bare figure followed by a word counts that word.
            bare = r is not None and r.group("and") and not (r.group("sfx") or r.group("y"))
            if r is not None and bare and re.match(r"\s*[A-Za-z]", text[r.end() :]):
                r = None
            if r is not None and int(r.group("d")) <= 31:
                out.append(
                    Number(r.start("d"), r.end("d"), r.group("d"), float(r.group("d")), "date", month=month,
                           year=int(r.group("y")) if r.group("y") else None)
                )  # fmt: skip
        elif m.group("y2") is not None:
            # "June 2011": a month of a year. "May 2012" is also read this way: dates outnumber the modal verb.
            out.append(Number(m.start(), m.end(), m.group(), 0.0, "date", month=month, year=int(m.group("y2"))))
    for m in matches_from(_DATE_DMY, text, runs):
        day = int(m.group("d"))
        if not 1 <= day <= 31:
            continue
        year = int(m.group("y")) if m.group("y") else None
        month = _MONTHS[m.group("m").lower()]
        out.append(Number(m.start(), m.end(), m.group(), float(day), "date", month=month, year=year))
    for m in matches_from(_DATE_NUMERIC, text, runs):
        if m.group("iy"):
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        else:
            a, b = int(m.group("a")), int(m.group("b"))
            if m.group("c") is None and (a > 12 or b > 31 or a == 0 or b == 0):
                continue
            mo, d = (a, b) if a <= 12 else (b, a)
            c = m.group("c")
            y = (int(c) + 2000 if len(c) == 2 else int(c)) if c else 0
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        out.append(Number(m.start(), m.end(), m.group(), float(d), "date", month=mo, year=y or None))
    return out


def _times(text: str, runs: list[int]) -> list[Number]:
    out: list[Number] = []
    # A time is read only where its first digit follows no letter, digit, colon, full stop or underscore; a match
    # of the pattern that starts elsewhere (inside "123pm", after "10:") holds no such digit but its first, so
    # trying the pattern only at those digits finds what a full scan keeps.
    starts = [d for d in runs if not (d and (text[d - 1].isalnum() or text[d - 1] in ":._"))]
    for m in matches_from(_TIME, text, starts):
        if m.group("h") is not None:
            h = int(m.group("h"))
            mi = int(m.group("mi") or 0)
            if not 1 <= h <= 12:
                continue
            if m.group("ap").lower().startswith("p") and h != 12:
                h += 12
            elif m.group("ap").lower().startswith("a") and h == 12:
                h = 0  # "12am" is midnight
        else:
            h, mi = int(m.group("h2")), int(m.group("mi2"))
            if h > 24:
                continue
        out.append(Number(m.start(), m.end(), m.group().rstrip(), h + mi / 60, "time", unit="hour"))
    return out


def _digit_number(text: str, m: re.Match[str]) -> Number | None:
    raw = m.group("num")
    value = float(raw.replace(",", ""))
    decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
    cur_sym = m.group("cur")
    currency = _CURRENCY_SYMBOLS[cur_sym.lower()] if cur_sym else None
    tail = m.group("tail")
    kind: NumberKind = "money" if currency else "count"
    unit: str | None = None
    scaled = False
    end = m.end()
    start = m.start("cur") if cur_sym else m.start("num")
    if tail:
        t = tail.lower()
        if t in ("st", "nd", "rd", "th"):
            if currency or "." in raw or "," in raw:
                return None
            return Number(start, end, text[start:end], value, "ordinal")
        if t == "s":
            if 1000 <= value <= 2090 and value % 10 == 0 and not currency:
                return Number(start, end, text[start:end], value, "decade")
            if value % 10 == 0 and value < 100 and not currency:
                if _DECADE_BEFORE.search(text, max(0, start - 8), start):
                    # "the 60s", "a 50s haven", "the '80s", "late 90s": a decade of the 1900s.
                    return Number(start, end, text[start:end], 1900 + value, "decade")
                return Number(start, end, text[start:end], value, "age", unit="year")  # "in their 20s"
            return None
        if t == "'s":
            end -= 2
        elif t in _SCALE_ABBR and (t not in ("b",) or currency):
            value *= _SCALE_ABBR[t]
            scaled = True
        elif t in _GLUED_UNITS or t in ("am", "pm"):
            unit = _MEASURES.get(t, t)
            kind = "quantity"
            per_hour = _PER_HOUR.match(text, end) if unit == "km" else None
            if per_hour is not None:
                unit, end = "kmh", per_hour.end()  # "112km/h": a speed
        else:
            return None  # a label: "5G", "3D", "MP3"-like
    # Look at what follows the figure.
    a = _AFTER.match(text, end)
    after_end = end
    if a is not None:
        if a.group("scale") and not scaled:
            value *= _SCALE_ABBR[a.group("scale").strip().lower()]
            scaled = True
            after_end = a.end("scale")
        if a.group("pct"):
            kind, unit = "percent", "%"
            after_end = a.end("pct")
        elif a.group("curw"):
            word = a.group("curw").split()[-1].lower()
            cw = _CURRENCY_WORDS[word]
            if cw in ("cent", "pence"):
                value /= 100
                cw = "$" if cw == "cent" else "GBP"
            currency = currency or cw
            kind = "money"
            after_end = a.end("curw")
            if not cur_sym and word.startswith("pound") and is_weight(text, start, after_end):
                kind, currency, unit = "quantity", None, "lb"
        elif a.group("age") and not currency:
            kind, unit = "age", _age_unit(a.group("age"))
            after_end = a.end("age")
        elif a.group("comp") and not currency:
            cu = a.group("cunit").lower()
            if cu in _MEASURES:
                kind, unit = "quantity", _MEASURES[cu]
                after_end = a.end("comp")
            elif cu in _SCALE_ABBR:
                pass
        elif a.group("unit") and kind == "count":
            uw = a.group("uword").lower()
            if uw in _MEASURES and uw != "in":
                kind, unit = "quantity", _MEASURES[uw]
    if kind == "count" and not scaled and decimals == 0 and "," not in raw:
        before = text[max(0, start - 12) : start]
        if _AGED_BEFORE.search(before) and value < 130:
            kind, unit = "age", "year"
        elif (
            _NAME_COMMA_BEFORE.search(text[max(0, start - 20) : start])
            and text[end : end + 1] == ","
            and 1 <= value < 120
        ):
            kind, unit = "age", "year"  # "John Smith, 45, said"
        elif len(raw) == 4 and 1000 <= value <= 2099 and _looks_like_year(text, start, end, value):
            kind = "year"
    return Number(
        start, after_end, text[start:after_end], value, kind, unit=unit, currency=currency, scaled=scaled,
        decimals=decimals,
    )  # fmt: skip


# "Pounds" reads two ways: money, or a weight when the words around say so ("weighed 130 pounds", "200 pounds of
# meth"); money is the default ("a 10 million pounds deal").
_WEIGHT_BEFORE = re.compile(r"\b(?:weigh\w*|weight\w*|heav\w*|lighter|lbs?|stone|tall|obese)\b", re.I)
# "4,300 pounds (1,950 kilograms) of supplies": a conversion into kilograms, or a metric one in brackets after it,
# makes "pounds" a weight; so does "pounds of <something>" other than money.
_WEIGHT_AFTER = re.compile(
    r"(?:\s*\([^()]{0,40}?\b(?:kg|kgs|kilos?|kilograms?|kilogrammes?|tonnes?|grams?)\b[^()]{0,10}\))?"
    r"\s+(?:of\s+(?!(?:money|cash|funding|public|taxpayers|aid|investment)\b)[a-z]|heavier|lighter)"
    r"|\s*\([^()]{0,20}?\d[^()]{0,10}?(?:kg|kgs|kilos?|kilograms?|kilogrammes?|tonnes?)\b[^()]{0,10}\)",
    re.I,
)


def is_weight(text: str, start: int, end: int) -> bool:
    """True when "N pounds" at ``text[start:end]`` is a weight by its context, not a sum of money."""
    if _WEIGHT_AFTER.match(text, end):
        return True
    sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), start - 60)
    return _WEIGHT_BEFORE.search(text, max(0, sentence_start), start) is not None


_AGE_UNIT = re.compile(r"month|week|day", re.I)


def _age_unit(age: str) -> str:
    """The unit an age phrase counts: "-month-old" and "months of age" count months; "-year-old" years."""
    u = _AGE_UNIT.search(age)
    return u.group().lower() if u else "year"


def _looks_like_year(text: str, start: int, end: int, value: float) -> bool:
    nxt = _WORD_TOKEN.match(text, end + 1) if text[end : end + 1] == " " else None
    if nxt is not None:
        w = nxt.group()
        if w.islower() and len(w) > 3 and w.endswith("s") and w not in _NOT_PLURAL and w not in _DATED_EVENTS:
            return False  # "1500 troops", but "the 2024 elections"
    if value >= 1900:
        return True
    return bool(_YEAR_CUE_BEFORE.search(text[max(0, start - 10) : start]))


def _word_numbers(text: str, m: re.Match[str]) -> list[Number]:
    """Parse a run of number words into one or more numbers ("two and three" is two numbers)."""
    out: list[Number] = []
    tokens = [(t.start(), t.end(), t.group().lower()) for t in _WORD_TOKEN.finditer(m.group())]
    base = m.start()
    i = 0
    while i < len(tokens):
        # Skip joiners left at the front.
        if tokens[i][2] in ("and",):
            i += 1
            continue
        start_i = i
        total = 0.0
        current = 0.0
        have = False
        last = ""  # "unit", "teen", "tens", "scale", "half"
        j = i
        if tokens[j][2] in ("a", "an"):
            if j + 1 < len(tokens) and tokens[j + 1][2] in (*_SCALES, "dozen"):
                current, have, last = 1.0, True, "unit"
                j += 1
            else:
                i += 1
                continue
        if (
            tokens[j][2] == "half"
            and j + 2 < len(tokens)
            and tokens[j + 1][2] in ("a", "an")
            and (tokens[j + 2][2] in _SCALES or tokens[j + 2][2] == "dozen")
        ):
            current, have, last = 0.5, True, "unit"  # "half a million"
            j += 2
        end_j = j
        while j < len(tokens):
            w = tokens[j][2]
            if w in _UNITS:
                v = _UNITS[w]
                if last in ("unit", "teen") or (last == "tens" and v >= 10):
                    break
                if last == "half":
                    break
                current += v
                last = "teen" if v >= 10 else "unit"
            elif w in _TENS:
                if last in ("unit", "teen", "tens", "half"):
                    break
                current += _TENS[w]
                last = "tens"
            elif w == "dozen":
                if last == "half":
                    break
                current = (current or 1.0) * 12
                last = "scale"
            elif w in _SCALES:
                if last == "" and not have:
                    break
                mult = _SCALES[w]
                if mult == 100:
                    current = (current or 1.0) * 100
                else:
                    total += (current or 1.0) * mult
                    current = 0.0
                last = "scale"
            elif w == "and":
                # "hundred and five", "two and a half"; otherwise a list: stop.
                nxt = tokens[j + 1][2] if j + 1 < len(tokens) else ""
                nxt2 = tokens[j + 2][2] if j + 2 < len(tokens) else ""
                if nxt in ("a", "an") and nxt2 in ("half", "quarter") and last in ("unit", "teen", "tens"):
                    current += 0.5 if nxt2 == "half" else 0.25
                    last = "half"
                    j += 3
                    end_j = j
                    have = True
                    continue
                if nxt == "half" and last in ("unit", "teen", "tens"):
                    # "five and half years": the informal "five and a half".
                    current += 0.5
                    last = "half"
                    j += 2
                    end_j = j
                    have = True
                    continue
                if last == "scale" and (nxt in _UNITS or nxt in _TENS):
                    j += 1
                    continue
                break
            elif w in ("a", "an", "half", "quarter"):
                break
            else:
                break
            have = True
            j += 1
            end_j = j
        if not have or end_j <= start_i:
            i = max(i + 1, end_j)
            continue
        value = total + current
        s = base + tokens[start_i][0]
        e = base + tokens[end_j - 1][1]
        scaled = any(tokens[k][2] in ("thousand", "million", "billion", "trillion") for k in range(start_i, end_j))
        out.append(_word_number(text, s, e, value, scaled))
        i = end_j
    return out


def _word_number(text: str, start: int, end: int, value: float, scaled: bool) -> Number:
    kind: NumberKind = "count"
    unit: str | None = None
    currency: str | None = None
    a = _AFTER.match(text, end)
    new_end = end
    if a is not None:
        if a.group("pct"):
            kind, unit, new_end = "percent", "%", a.end("pct")
        elif a.group("curw"):
            cw = _CURRENCY_WORDS[a.group("curw").split()[-1].lower()]
            if cw in ("cent", "pence"):
                value /= 100
                cw = "$" if cw == "cent" else "GBP"
            kind, currency, new_end = "money", cw, a.end("curw")
            if a.group("curw").split()[-1].lower().startswith("pound") and is_weight(text, start, new_end):
                kind, currency, unit = "quantity", None, "lb"
        elif a.group("age"):
            kind, unit, new_end = "age", _age_unit(a.group("age")), a.end("age")
        elif a.group("comp") and a.group("cunit").lower() in _MEASURES:
            kind, unit, new_end = "quantity", _MEASURES[a.group("cunit").lower()], a.end("comp")
        elif a.group("unit") and a.group("uword").lower() in _MEASURES and a.group("uword").lower() != "in":
            kind, unit = "quantity", _MEASURES[a.group("uword").lower()]
    if kind == "count" and _AGED_BEFORE.search(text[max(0, start - 12) : start]):
        kind, unit = "age", "year"
    return Number(start, new_end, text[start:new_end], value, kind, unit=unit, currency=currency, scaled=scaled,
                  word=True)  # fmt: skip


def _merge_ranges(text: str, nums: list[Number]) -> list[Number]:
    """Join "20 to 30", "20-30", "between 20 and 30" into one range; share scale, unit and currency."""
    out: list[Number] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums) and a.kind not in ("date", "time", "ordinal"):
            b = nums[i + 1]
            between = text[a.end : b.start]
            j = _RANGE_JOIN.fullmatch(between)
            joiner = between.strip().lower()
            ok_join = j is not None and (joiner != "and" or _BETWEEN.search(text[max(0, a.start - 9) : a.start]))
            if joiner in ("-", "–", "—") and between != joiner:
                ok_join = False  # "20 - 30" with spaces is usually a score or a list
            if ok_join and b.kind not in ("date", "time", "ordinal"):
                merged = _range(text, a, b)
                if merged is not None:
                    out.append(merged)
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _range(text: str, a: Number, b: Number) -> Number | None:
    a_pct, b_pct = a.kind == "percent", b.kind == "percent"
    if (a_pct and not b_pct) or (a.currency and b.currency and a.currency != b.currency):
        return None  # "rose 34% to $1.2bn", "grew 5% to 300 stores": a change and a level, not a range
    if a.unit and b.unit and a.unit != b.unit:
        return None
    lo, hi = a.value, b.value
    kind: NumberKind = b.kind if b.kind not in ("count", "year") else a.kind
    if a.kind == "year" and b.kind in ("count", "year") and hi < 100 and "," not in b.text:
        hi = float(int(lo) // 100 * 100 + int(hi))  # "2014-15"
        kind = "year"
    elif b.scaled and not a.scaled and lo * _scale_of(b) < hi:
        lo *= _scale_of(b)  # "$20-30 million": the scale word belongs to both ends
    if hi <= lo:
        return None  # "3-1": a score, not a range
    return Number(
        a.start, b.end, text[a.start : b.end], lo, "range", unit=b.unit or a.unit, currency=a.currency or b.currency,
        low=lo, high=hi, scaled=a.scaled or b.scaled, decimals=max(a.decimals, b.decimals),
        year=int(lo) if kind == "year" else None,
    )  # fmt: skip


def _scale_of(n: Number) -> float:
    for s in (1e12, 1e9, 1e6, 1e3):
        if n.value >= s:
            return s
    return 1.0
