"""Time phrases resolve against the publication date, keep their granularity, and are never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.dates import resolve

FRIDAY = dt.date(2025, 4, 18)  # the seeds' publication day, a Friday


@pytest.mark.parametrize(
    ("phrase", "date", "granularity"),
    [
        ("Friday", FRIDAY, "day"),
        ("Friday morning", FRIDAY, "day"),
        ("Thursday", dt.date(2025, 4, 17), "day"),
        ("last Friday", dt.date(2025, 4, 11), "day"),
        ("on Sunday", dt.date(2025, 4, 13), "day"),
        ("yesterday", dt.date(2025, 4, 17), "day"),
        ("April 4", dt.date(2025, 4, 4), "day"),
        ("by April 26", dt.date(2025, 4, 26), "day"),  # near future: a deadline
        ("Thursday, April 17, 2025", dt.date(2025, 4, 17), "day"),
        ("last month", dt.date(2025, 3, 1), "month"),
        ("in March", dt.date(2025, 3, 1), "month"),
        ("February", dt.date(2025, 2, 1), "month"),
        ("December", dt.date(2024, 12, 1), "month"),  # a later month name means last year
        ("last week", dt.date(2025, 4, 7), "week"),
        ("next week", dt.date(2025, 4, 21), "week"),
        ("earlier this year", dt.date(2025, 1, 1), "year"),
        ("2024", dt.date(2024, 1, 1), "year"),
    ],
)
def test_resolves(phrase: str, date: dt.date, granularity: str) -> None:
    r = resolve(phrase, FRIDAY)
    assert (r.date, r.granularity) == (date, granularity)
    assert r.note is None


@pytest.mark.parametrize("phrase", ["Palm Sunday", "within days", "in the coming days", "months", ""])
def test_vague_or_unknown_phrases_stay_unresolved_with_a_note(phrase: str) -> None:
    r = resolve(phrase, FRIDAY)
    assert r.date is None and r.granularity is None
    assert r.note


def test_no_publication_date_means_relative_dates_are_not_guessed() -> None:
    r = resolve("Friday", None)
    assert r.date is None and "publication date" in (r.note or "")
    assert resolve("last month", None).date is None


def test_absolute_dates_need_no_publication_date() -> None:
    assert resolve("April 17, 2025", None).date == dt.date(2025, 4, 17)
    assert resolve("2019", None).date == dt.date(2019, 1, 1)


@pytest.mark.parametrize(
    ("phrase", "date", "granularity"),
    [("since 2010", dt.date(2010, 1, 1), "year"), ("in early 2013", dt.date(2013, 1, 1), "year"),
     ("mid-2016", dt.date(2016, 1, 1), "year"), ("April 1, 2015", dt.date(2015, 4, 1), "day"),
     ("March 3rd, 2021", dt.date(2021, 3, 3), "day")],
)  # fmt: skip
def test_phrases_that_write_their_year_resolve_without_a_publication_date(
    phrase: str, date: dt.date, granularity: str
) -> None:
    r = resolve(phrase, None)
    assert (r.date, r.granularity) == (date, granularity)
    assert resolve("April 31, 2015", None).date is None
