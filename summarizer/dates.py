"""Resolve the model's verbatim time phrases ("Friday", "last month") against the publication date.

The model only copies the phrase; code does the calendar arithmetic with dateparser, preferring the past (news
reports what happened), and keeps the granularity. No publication date means unresolved: never guessed from today.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

Granularity = Literal["day", "week", "month", "year"]


@dataclass(frozen=True)
class Resolved:
    """A resolved time phrase: the first day of the period and its granularity, or a note saying why not."""

    date: dt.date | None
    granularity: Granularity | None
    note: str | None = None


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
_MONTH_ONLY = re.compile(rf"^\s*(?:in\s+|early\s+|late\s+|mid-?)?({_MONTHS})(?:\s+((?:19|20)\d{{2}}))?\s*$", re.I)
_BARE_WEEKDAY = re.compile(
    r"^\s*(?:on\s+|this\s+|last\s+|early\s+|late\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\s*$",
    re.I,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# "April 1, 2015": a calendar date that needs no reference point (dateparser costs ~1 ms a phrase).
_FULL_DATE = re.compile(
    rf"^\s*(?:on\s+|by\s+|since\s+|until\s+)?({_MONTHS})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\s*$", re.I
)
_MONTH_DAY = re.compile(rf"^\s*(?:on\s+|by\s+|since\s+|until\s+)?({_MONTHS})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*$", re.I)
_UNRESOLVABLE = re.compile(r"\b(days|weeks|months|years|soon|recently|coming|future|past|ago|within)\b", re.I)


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


@lru_cache(maxsize=4096)
def resolve(phrase: str, published: dt.date | None) -> Resolved:
    """Resolve ``phrase`` relative to ``published``; return an unresolved result with a note when we cannot."""
    text = " ".join(phrase.split())
    if not text:
        return Resolved(None, None, "empty time phrase")
    if match := _YEAR_ONLY.match(text):
        return Resolved(dt.date(int(match.group(1)), 1, 1), "year")
    if match := _FULL_DATE.match(text):
        month = _month_number(match.group(1))
        with contextlib.suppress(ValueError):
            return Resolved(dt.date(int(match.group(3)), month, int(match.group(2))), "day")
        return Resolved(None, None, f"{phrase!r} is not a calendar date")
    if match := _MONTH_ONLY.match(text):
        month = _month_number(match.group(1))
        year = int(match.group(2)) if match.group(2) else None
        if year is None and published is None:
            return Resolved(None, None, "no publication date to place the month in")
        assert year is not None or published is not None
        return Resolved(_month_before(published or dt.date(year or 1, 1, 1), month, year), "month")
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
    if match := _MONTH_DAY.match(text):
        # A month and day without a year is the nearest such date: "April 4" looks back, "by April 26" ahead.
        month = _month_number(match.group(1))
        day_of_month = int(match.group(2))
        options = []
        for year in (published.year - 1, published.year, published.year + 1):
            with contextlib.suppress(ValueError):
                options.append(dt.date(year, month, day_of_month))
        if not options:
            return Resolved(None, None, f"{phrase!r} is not a calendar date")
        return Resolved(min(options, key=lambda d: abs((d - published).days)), "day")
    if match := _THIS.search(text):
        granularity: Granularity = match.group(1).lower()  # type: ignore[assignment]
        return Resolved(_start_of(published, granularity), granularity)
    if text.lower() in ("today", "this morning", "tonight", "this evening", "this afternoon"):
        return Resolved(published, "day")
    if text.lower() in ("yesterday", "last night"):
        return Resolved(published - dt.timedelta(days=1), "day")
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
# Time phrases as news copy writes them, longest forms first so "Thursday, April 17, 2025" wins over "Thursday".
_TIME_PHRASE = re.compile(
    # The lookahead lets the engine skip, in one cheap test, every word that cannot start a time phrase.
    r"\b(?=[A-Z]|last|next|this|earlier|later|early|late|yesterday|today|tonight|in |since|until|during|mid)"
    rf"(?:"
    # (Thursday,) April 17(, 2025)
    rf"(?:{_DAY_RE},?\s+)?{_MONTH_RE}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d{{2}})?"
    rf"|(?:early\s+|late\s+|mid-?)?{_MONTH_RE}\s+(?:19|20)\d{{2}}"  # March 2024
    rf"|(?:last|next|this)\s+(?:{_DAY_RE}|week|month|year|weekend)"  # last Friday, next week
    rf"|(?:earlier|later)\s+this\s+(?:week|month|year)"
    # Friday morning; not "Palm Sunday", "Good Friday", "Black Friday": feasts and nicknames are not weekdays
    rf"|(?<!Palm )(?<!Easter )(?<!Good )(?<!Black )(?<!Bloody )(?<!Super )(?<!Ash ){_DAY_RE}"
    rf"(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|yesterday|today|tonight"
    rf"|(?:in|since|until|during)\s+(?:early\s+|late\s+)?(?:{_MONTH_RE}|(?:19|20)\d{{2}})(?!\s*\d)"  # in March
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
