"""Resolve the model's verbatim time phrases ("Friday", "last month") against the publication date.

The model only copies the phrase; code does the calendar arithmetic (dateparser for what the rules below do not
cover), preferring the past (news reports what happened), and keeps the granularity. Named days and feasts ("Palm
Sunday", "Thanksgiving") come from their calendar rules (dateutil's Easter for the movable ones); rolling periods
("in the past 24 hours", "within days") start at their first day, and a period counted back ("the past 24
hours", "the last two weeks") also ends on the publication day. No publication date means unresolved: never
guessed from today.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from dateutil.easter import EASTER_ORTHODOX, easter

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

Granularity = Literal["day", "week", "month", "year"]


@dataclass(frozen=True)
class Resolved:
    """A resolved time phrase: the first day of the period and its granularity, or a note saying why not; ``end``
    is the period's last day when the phrase names a span counted back from publication ("in the past 24 hours")."""

    date: dt.date | None
    granularity: Granularity | None
    note: str | None = None
    end: dt.date | None = None


# Words that carry no date information but confuse the parser ("Friday morning", "on Thursday").
_NOISE = re.compile(
    r"\b(on|in|at|by|since|from|during|early|late|earlier|later|morning|afternoon|evening|night|overnight|"
    r"the|of|around|about|until|till)\b",
    re.I,
)
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_THIS = re.compile(r"\b(?:earlier |later )?this (week|month|year)\b", re.I)
_YEAR_ONLY = re.compile(
    r"^\s*(?:(?:in|since|until|till|by|before|after|from|during|through)\s+)?(?:(?:early|late|mid-?)\s*)?"
    r"((?:19|20)\d{2})\s*$",
    re.I,
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_WEEKDAY_PREFIX = r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
_MONTH_ONLY = re.compile(rf"^\s*(?:in\s+|early\s+|late\s+|mid-?)?({_MONTHS})(?:\s+((?:19|20)\d{{2}}))?\s*$", re.I)
_YEAR_MONTH = re.compile(
    rf"^\s*(?:in\s+)?((?:19|20)\d{{2}})\s+({_MONTHS})\s*$", re.I
)  # "1916 July", as diaries write it
_BARE_WEEKDAY = re.compile(
    r"^\s*(?:on\s+|this\s+|last\s+|early\s+|late\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\s*$",
    re.I,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PREP = r"(?:on\s+|by\s+|since\s+|until\s+|from\s+|before\s+|after\s+)?"
# "April 1, 2015", "Thursday, April 17, 2025", "January 5. 2024" (a typo news copy has): a date that needs no
# reference point (dateparser costs ~1 ms a phrase).
_FULL_DATE = re.compile(
    rf"^\s*{_PREP}{_WEEKDAY_PREFIX}({_MONTHS})\s+(\d{{1,2}})(?:st|nd|rd|th)?[,.]?\s+((?:19|20)\d{{2}})\s*$", re.I
)
_MONTH_DAY = re.compile(rf"^\s*{_PREP}{_WEEKDAY_PREFIX}({_MONTHS})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*$", re.I)
# Day first, as British and European copy writes it: "14 March", "on 3 June 2024", "Friday 14 March".
_DAY_MONTH = re.compile(
    rf"^\s*{_PREP}{_WEEKDAY_PREFIX}(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTHS}),?"
    rf"(?:\s+((?:19|20)\d{{2}}))?\s*$",
    re.I,
)
_ABBREVIATED_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?=\s+\d)", re.I)
_UNRESOLVABLE = re.compile(r"\b(days|weeks|months|years|soon|recently|coming|future|past|ago|within)\b", re.I)

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "a couple of": 2,
}  # fmt: skip
#: Counts that name no number: the period is taken one unit wider ("the past few days" is the past week).
_VAGUE_COUNTS = ("few", "a few", "several")
_COUNT = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:a\s+)?couple\s+of|(?:a\s+)?few"
    r"|several)"
)
_UNIT = r"(?:hours?|days?|weeks?|months?|years?)"
# "in the past 24 hours", "over the last two weeks", "past 48 hours": a rolling period ending at publication.
_PAST_PERIOD = re.compile(
    rf"^\s*(?:(?:in|over|during|for|within)\s+)?(?:the\s+(?:past|last|previous)\s+(?:(?P<n>{_COUNT})\s+)?"
    rf"|(?:past|last|previous)\s+(?P<m>\d+|{_COUNT})\s+)(?P<unit>{_UNIT})\s*$",
    re.I,
)
# "within days", "within a matter of days", "in the coming days", "over the next few weeks": a period ahead.
_COMING = re.compile(
    rf"^\s*(?:within\s+(?:a\s+matter\s+of\s+|(?:the\s+)?(?:next|coming)\s+)?|(?:in|over|during)\s+the\s+(?:next|coming)\s+)"
    rf"(?:(?P<n>{_COUNT})\s+)?(?P<unit>{_UNIT})(?P<of>\s+of)?\s*$",
    re.I,
)
_AGO = re.compile(rf"^\s*(?P<n>{_COUNT})\s+(?P<unit>{_UNIT})\s+ago\s*$", re.I)
_WEEKEND = re.compile(r"^\s*(?:over\s+|on\s+|at\s+)?(?:the\s+)?(this|last|next)\s+weekend\s*$", re.I)
_RELATIVE = re.compile(r"^\s*(?:(?:in|during|over|for)\s+)?(last|next|this)\s+(week|month|year)\s*$", re.I)
_RECENT = re.compile(r"\brecent(?:ly)?\b", re.I)
_SINCE = re.compile(r"^\s*since\b", re.I)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month (n = -1: the last one): Thanksgiving, Memorial Day, Labor Day."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _from_easter(days: int, method: Literal[1, 2, 3] = 3) -> Callable[[int], dt.date]:
    return lambda year: easter(year, method) + dt.timedelta(days=days)


def _fixed(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


def _nth(month: int, weekday: int, n: int, shift: int = 0) -> Callable[[int], dt.date]:
    return lambda year: _nth_weekday(year, month, weekday, n) + dt.timedelta(days=shift)


#: Named days and feasts, by the name news copy gives them (lower case, straight apostrophes). US holidays are the
#: US ones: Thanksgiving is the fourth Thursday of November.
FEASTS: dict[str, Callable[[int], dt.date]] = {
    "palm sunday": _from_easter(-7),
    "maundy thursday": _from_easter(-3),
    "holy thursday": _from_easter(-3),
    "good friday": _from_easter(-2),
    "holy saturday": _from_easter(-1),
    "easter sunday": _from_easter(0),
    "easter": _from_easter(0),
    "easter monday": _from_easter(1),
    "orthodox easter": _from_easter(0, EASTER_ORTHODOX),
    "ash wednesday": _from_easter(-46),
    "ascension day": _from_easter(39),
    "pentecost": _from_easter(49),
    "whit sunday": _from_easter(49),
    "christmas eve": _fixed(12, 24),
    "christmas day": _fixed(12, 25),
    "christmas": _fixed(12, 25),
    "boxing day": _fixed(12, 26),
    "new year's eve": _fixed(12, 31),
    "new year's day": _fixed(1, 1),
    "valentine's day": _fixed(2, 14),
    "st. patrick's day": _fixed(3, 17),
    "st patrick's day": _fixed(3, 17),
    "independence day": _fixed(7, 4),
    "fourth of july": _fixed(7, 4),
    "halloween": _fixed(10, 31),
    "veterans day": _fixed(11, 11),
    "armistice day": _fixed(11, 11),
    "martin luther king jr. day": _nth(1, 0, 3),
    "presidents' day": _nth(2, 0, 3),
    "presidents day": _nth(2, 0, 3),
    "mother's day": _nth(5, 6, 2),
    "memorial day": _nth(5, 0, -1),
    "father's day": _nth(6, 6, 3),
    "labor day": _nth(9, 0, 1),
    "thanksgiving day": _nth(11, 3, 4),
    "thanksgiving": _nth(11, 3, 4),
    "black friday": _nth(11, 3, 4, shift=1),
    "cyber monday": _nth(11, 3, 4, shift=4),
}
_FEAST_NAMES = sorted(FEASTS, key=len, reverse=True)
_FEAST_ALT = "|".join(re.escape(n).replace("'", "['’]").replace(r"\ ", r"\s+") for n in _FEAST_NAMES)
#: "Easter weekend" is Easter; "the Christmas holidays" start at Christmas.
_FEAST_SUFFIX = r"(?:\s+(?:weekend|holidays?|break|morning|afternoon|evening|night|eve|services?|mass|day))?"
_FEAST = re.compile(
    rf"^\s*(?:(?:on|at|over|during|by|until|till|before|after|from)\s+)?(?:(?P<rel>last|next|this)\s+)?(?:the\s+)?"
    rf"(?P<name>{_FEAST_ALT}){_FEAST_SUFFIX}(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?\s*$",
    re.I,
)
#: A feast followed by one of these names a thing, not a time: "Easter cakes", "Christmas tree".
_FEAST_THINGS = (
    r"eggs?|cakes?|bunny|bunnies|bread|baskets?|trees?|lights|cards?|carols?|decorations?|gifts?|presents?|songs?|"
    r"music|spirit|candy|sweaters?|movies?|films?|story|stories|messages?|traditions?|menus?|ornaments?|wreaths?|"
    r"lil(?:y|ies)|hams?|sales|deals|cookies?|puddings?|stockings?|hampers?|shopping|markets?|specials?|dinner\s+table|turkeys?"
)
#: How far ahead a named day may lie and still be the one meant (an announced "Easter truce" two days ahead).
_FEAST_AHEAD = dt.timedelta(days=14)


def _start_of(day: dt.date, granularity: Granularity) -> dt.date:
    if granularity == "week":
        return day - dt.timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    if granularity == "year":
        return day.replace(month=1, day=1)
    return day


def _month_before(published: dt.date, month: int, year: int | None) -> dt.date:
    if year is not None:
        return dt.date(year, month, 1)
    # A bare month name refers to the latest such month not after publication ("in March", written in April).
    candidate_year = published.year if month <= published.month else published.year - 1
    return dt.date(candidate_year, month, 1)


def _month_number(name: str) -> int:
    return _MONTHS.split("|").index(name.lower()) + 1


def _nearest(published: dt.date, month: int, day: int) -> dt.date | None:
    """A month and day without a year is the nearest such date: "April 4" looks back, "by April 26" ahead."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        with contextlib.suppress(ValueError):
            options.append(dt.date(year, month, day))
    return min(options, key=lambda d: abs((d - published).days)) if options else None


def _count(word: str | None) -> int | None:
    """The number a count word names; None for "few"/"several" (no number named)."""
    if word is None:
        return 1
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w)
    return None if w in _VAGUE_COUNTS else _NUMBERS.get(w, 1)


def _unit(word: str) -> str:
    return word.lower().rstrip("s")


_WIDER: dict[str, Granularity] = {"hour": "day", "day": "week", "week": "month", "month": "year", "year": "year"}
_UNIT_DAYS: dict[str, float] = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}


def _span_granularity(unit: str, n: int | None) -> Granularity:
    """The granularity of a period of ``n`` units: one unit's own, else the next wider ("the past 24 hours": a day)."""
    if unit == "hour":
        return "day" if n is not None and n <= 48 else "week"
    if n == 1:
        return unit  # type: ignore[return-value]
    return _WIDER[unit]


def _past_period(published: dt.date, n: int | None, unit: str) -> Resolved:
    # The period ends on the publication day: "in the past 24 hours" of a Friday report is Thursday to Friday.
    if n is None:  # "the past few days": no number named, so the period is one unit wider (the past week)
        wider = _WIDER[unit]
        return Resolved(published - dt.timedelta(days=_UNIT_DAYS[wider]), wider, end=published)
    start = published - dt.timedelta(days=math.ceil(_UNIT_DAYS[unit] * n))
    return Resolved(start, _span_granularity(unit, n), end=published)


def _feast(match: re.Match[str], published: dt.date | None) -> Resolved:
    name = " ".join(match.group("name").lower().replace("’", "'").split())
    rule = FEASTS[name]
    if match.group("year"):
        return Resolved(rule(int(match.group("year"))), "day")
    if published is None:
        return Resolved(None, None, f"no publication date to place {match.group('name')!r} in a year")
    rel = (match.group("rel") or "").lower()
    options = [rule(year) for year in (published.year - 1, published.year, published.year + 1)]
    ahead = min(d for d in options if d > published)
    if rel == "this":
        return Resolved(rule(published.year), "day")
    if rel == "next":
        return Resolved(ahead, "day")
    if rel == "last":
        return Resolved(max(d for d in options if d < published), "day")
    past = max(d for d in options if d <= published)
    # Past preferred, as for other phrases, unless the day is just ahead (a truce announced for Easter).
    if ahead - published <= _FEAST_AHEAD < published - past:
        return Resolved(ahead, "day")
    return Resolved(past, "day")


def _rolling(text: str, published: dt.date) -> Resolved | None:
    """Periods counted from publication: the past 24 hours, within days, three weeks ago, this weekend."""
    if match := _PAST_PERIOD.match(text):
        unit = _unit(match.group("unit"))
        return _past_period(published, _count(match.group("n") or match.group("m")), unit)
    if match := _COMING.match(text):
        if match.group("of"):
            return Resolved(None, None, f"{text!r} counts from another event, not from the publication date")
        unit = _unit(match.group("unit"))
        n = _count(match.group("n")) if match.group("n") else None
        return Resolved(published, _WIDER[unit] if n != 1 else unit)  # type: ignore[arg-type]
    if match := _AGO.match(text):
        unit, n = _unit(match.group("unit")), _count(match.group("n"))
        if unit == "hour":
            return Resolved(published, "day")
        back = dt.timedelta(days=_UNIT_DAYS[unit] * (n or 3))  # "a few weeks ago": about three
        granularity: Granularity = unit if n is not None else _WIDER[unit]  # type: ignore[assignment]
        return Resolved(_start_of(published - back, granularity), granularity)
    if match := _WEEKEND.match(text):
        saturday = published + dt.timedelta(days=(5 - published.weekday()) % 7)
        if published.weekday() == 6:
            saturday = published - dt.timedelta(days=1)
        shift = {"this": 0, "last": -7, "next": 7}[match.group(1).lower()]
        return Resolved(saturday + dt.timedelta(days=shift), "day")
    if match := _RELATIVE.match(text):
        rel, unit = match.group(1).lower(), match.group(2).lower()
        step = {"this": 0, "last": -1, "next": 1}[rel]
        if unit == "week":
            return Resolved(_start_of(published, "week") + dt.timedelta(weeks=step), "week")
        if unit == "month":
            months = published.year * 12 + published.month - 1 + step
            return Resolved(dt.date(months // 12, months % 12 + 1, 1), "month")
        return Resolved(dt.date(published.year + step, 1, 1), "year")
    return None


def is_span_start(phrase: str) -> bool:
    """True for "since 2019", "since March": the start of a span, not the date of the sentence's event."""
    return bool(_SINCE.match(phrase))


def _normal(phrase: str) -> str:
    text = " ".join(phrase.replace("’", "'").split())
    # "Jan. 5. 2024", "Sept 3": the month spelt out, so one set of rules reads every form.
    full = {m[:3]: m for m in _MONTHS.split("|")}
    return _ABBREVIATED_MONTH.sub(lambda m: full[m.group(1).lower()[:3]].capitalize(), text)


@lru_cache(maxsize=4096)
def resolve(phrase: str, published: dt.date | None) -> Resolved:
    """Resolve ``phrase`` relative to ``published``; return an unresolved result with a note when we cannot."""
    text = _normal(phrase)
    if not text:
        return Resolved(None, None, "empty time phrase")
    if match := _YEAR_ONLY.match(text):
        return Resolved(dt.date(int(match.group(1)), 1, 1), "year")
    if match := _FULL_DATE.match(text):
        month = _month_number(match.group(1))
        with contextlib.suppress(ValueError):
            return Resolved(dt.date(int(match.group(3)), month, int(match.group(2))), "day")
        return Resolved(None, None, f"{phrase!r} is not a calendar date")
    if (match := _DAY_MONTH.match(text)) and match.group(3):
        with contextlib.suppress(ValueError):
            return Resolved(dt.date(int(match.group(3)), _month_number(match.group(2)), int(match.group(1))), "day")
        return Resolved(None, None, f"{phrase!r} is not a calendar date")
    if match := _YEAR_MONTH.match(text):
        return Resolved(dt.date(int(match.group(1)), _month_number(match.group(2)), 1), "month")
    if match := _MONTH_ONLY.match(text):
        month = _month_number(match.group(1))
        year = int(match.group(2)) if match.group(2) else None
        if year is None and published is None:
            return Resolved(None, None, "no publication date to place the month in")
        assert year is not None or published is not None
        return Resolved(_month_before(published or dt.date(year or 1, 1, 1), month, year), "month")
    if match := _FEAST.match(text):
        return _feast(match, published)
    if published is None:
        # Only a phrase that writes its year can be placed without a publication date (and only then is it worth
        # asking dateparser, which is the costly step).
        absolute = _parse(text, None) if re.search(r"\d{4}", text) else None
        if absolute is not None and absolute[1] in ("day", "month", "year"):
            return Resolved(*absolute)
        return Resolved(None, None, "no publication date: relative dates are left unresolved")
    if match := _BARE_WEEKDAY.match(text):
        # "Friday" in a story published on a Friday is that day; otherwise the latest such day before it.
        target = _WEEKDAYS.index(match.group(1).lower())
        back = (published.weekday() - target) % 7
        if back == 0 and text.lower().startswith("last"):
            back = 7
        return Resolved(published - dt.timedelta(days=back), "day")
    month_day = _MONTH_DAY.match(text)
    day_month = _DAY_MONTH.match(text)
    if month_day or day_month:
        if month_day:
            month, day_of_month = _month_number(month_day.group(1)), int(month_day.group(2))
        else:
            assert day_month is not None
            month, day_of_month = _month_number(day_month.group(2)), int(day_month.group(1))
        nearest = _nearest(published, month, day_of_month)
        if nearest is None:
            return Resolved(None, None, f"{phrase!r} is not a calendar date")
        return Resolved(nearest, "day")
    if (rolling := _rolling(text, published)) is not None:
        return rolling
    if match := _THIS.search(text):
        granularity: Granularity = match.group(1).lower()  # type: ignore[assignment]
        return Resolved(_start_of(published, granularity), granularity)
    if text.lower() in ("today", "this morning", "tonight", "this evening", "this afternoon"):
        return Resolved(published, "day")
    if text.lower() in ("yesterday", "last night", "yesterday morning", "yesterday afternoon", "yesterday evening"):
        return Resolved(published - dt.timedelta(days=1), "day")
    if _RECENT.search(text):
        return Resolved(None, None, f"{phrase!r} is vague")
    parsed = _parse(text, published)
    if parsed is None:
        return Resolved(None, None, f"cannot place {phrase!r} on the calendar")
    day, granularity = parsed
    if _UNRESOLVABLE.search(text) and not _WEEKDAY.search(text) and granularity == "day" and "ago" not in text:
        return Resolved(None, None, f"{phrase!r} is vague")
    return Resolved(day, granularity)


def _parse(text: str, published: dt.date | None) -> tuple[dt.date, Granularity] | None:
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time(12, 0))
    parser = _parser(tuple(sorted(settings.items(), key=lambda kv: kv[0])))
    candidates = [text]
    cleaned = " ".join(_NOISE.sub(" ", text).split())
    if cleaned and cleaned != text:
        candidates.append(cleaned)
    for candidate in candidates:
        data = parser.get_date_data(candidate)
        if data.date_obj is None:
            continue
        period = data.period if data.period in ("day", "week", "month", "year") else "day"
        granularity: Granularity = period
        day = data.date_obj.date()
        if published is not None and day > published and not re.search(r"\bnext\b|\bcoming\b|\d{4}", candidate):
            return None  # "prefer past" failed; better unresolved than a future date for a past event
        return _start_of(day, granularity), granularity
    return None


@lru_cache(maxsize=8)
def _parser(settings: tuple[tuple[str, object], ...]) -> DateDataParser:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings=dict(settings))


_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR_RE = r"(?:19|20)\d{2}"
_FEAST_RE = rf"(?i:{_FEAST_ALT}){_FEAST_SUFFIX}(?!\s+(?i:{_FEAST_THINGS})\b)(?:,?\s+{_YEAR_RE})?"
# Time phrases as news copy writes them, longest forms first so "Thursday, April 17, 2025" wins over "Thursday".
# Function words are matched in any case ("In the past 24 hours" opens a sentence); names keep their capitals.
_TIME_PHRASE = re.compile(
    # The lookahead lets the engine skip, in one cheap test, every word that cannot start a time phrase.
    r"\b(?=[A-Z\d]|last|next|this|earlier|later|early|late|yesterday|today|tonight|in |since|until|during|mid|within|"
    r"over |the |past |recent|a |an |one |two |three |four |five |six |seven |eight |nine |ten |several |few |couple )"
    rf"(?:"
    # (Thursday,) April 17(, 2025), with the typo "Jan. 5. 2024"
    rf"(?:{_DAY_RE},?\s+)?{_MONTH_RE}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:[,.]?\s+{_YEAR_RE})?(?!\d)"
    # (Friday) 14 March (2024): day first
    rf"|(?:{_DAY_RE},?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}\b\.?(?:,?\s+{_YEAR_RE})?"
    rf"|(?:(?i:early|late|mid)(?:\s+|-))?{_MONTH_RE}\s+{_YEAR_RE}"  # March 2024
    rf"|{_YEAR_RE}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    # Palm Sunday, Easter, Christmas Eve, Thanksgiving (not "Easter cakes")
    rf"|(?:(?i:last|next|this)\s+)?{_FEAST_RE}"
    # in the past 24 hours, over the last two weeks
    rf"|(?i:(?:(?:in|over|during|for|within)\s+)?(?:the\s+(?:past|last|previous)\s+(?:{_COUNT}\s+)?"
    rf"|(?:past|last|previous)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+){_UNIT})"
    # within days, within a matter of days, in the coming weeks (and "within hours of", which counts from an event)
    rf"|(?i:(?:within\s+(?:a\s+matter\s+of\s+|(?:the\s+)?(?:next|coming)\s+)?|(?:in|over|during)\s+the\s+"
    rf"(?:next|coming)\s+)(?:{_COUNT}\s+)?{_UNIT}(?:\s+of)?)"
    rf"|(?i:{_COUNT}\s+{_UNIT}\s+ago)"  # three days ago
    rf"|(?i:(?:in\s+)?recent\s+(?:days|weeks|months|years))"  # vague, but a time phrase all the same
    rf"|(?i:(?:last|next|this)\s+(?:week|month|year|weekend|morning|afternoon|evening|night))"
    rf"|(?i:last|next|this)\s+{_DAY_RE}"  # last Friday
    rf"|(?i:earlier|later)\s+this\s+(?:week|month|year)"
    # Friday morning; not "Palm Sunday", "Good Friday", "Black Friday": feasts and nicknames are not weekdays
    rf"|(?<!Palm )(?<!Easter )(?<!Good )(?<!Black )(?<!Bloody )(?<!Super )(?<!Ash )(?<!Holy ){_DAY_RE}"
    rf"(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|(?i:yesterday|today|tonight)"
    rf"|(?i:in|since|until|during)\s+(?:(?i:early|late)\s+)?(?:{_MONTH_RE}|{_YEAR_RE})(?!\s*\d)"  # in March
    # a bare month name ("a contentious February meeting"); not "May", which is mostly the verb
    rf"|(?:January|February|March|April|June|July|August|September|October|November|December)"
    rf")\b",
)


def find_time_phrases(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Time phrases in ``text[start:end]`` with their offsets: the candidates a timeline entry can cite."""
    return [
        (m.start(), m.end(), m.group()) for m in _TIME_PHRASE.finditer(text, start, len(text) if end is None else end)
    ]


def first_time_phrase(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The first time phrase in ``text[start:end]`` (an empty list when there is none), without scanning the rest."""
    m = _TIME_PHRASE.search(text, start, end)
    return [(m.start(), m.end(), m.group())] if m else []
