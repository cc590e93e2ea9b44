"""Time phrases resolve against the publication date, keep their granularity, and are never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.dates import Resolved, find_time_phrases, is_span_start, resolve

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


@pytest.mark.parametrize("phrase", ["in recent months", "within hours of", "months", "recently", ""])
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


# Seed 000 (published Friday 2025-04-18): its ten time phrases, each resolved as an editor would date it.
SEED_000_PHRASES = [
    ("Friday", dt.date(2025, 4, 18), "day"),
    ("Thursday", dt.date(2025, 4, 17), "day"),
    ("Friday morning", dt.date(2025, 4, 18), "day"),
    ("in the past 24 hours", dt.date(2025, 4, 17), "day"),  # the rolling day before publication
    ("February", dt.date(2025, 2, 1), "month"),
    ("in March", dt.date(2025, 3, 1), "month"),
    ("last month", dt.date(2025, 3, 1), "month"),
    ("April 4", dt.date(2025, 4, 4), "day"),
    ("Palm Sunday", dt.date(2025, 4, 13), "day"),  # Easter 2025 was April 20
    ("next week", dt.date(2025, 4, 21), "week"),
]


@pytest.mark.parametrize(("phrase", "date", "granularity"), SEED_000_PHRASES)
def test_seed_000_phrases_resolve(phrase: str, date: dt.date, granularity: str) -> None:
    got = resolve(phrase, FRIDAY)
    assert (got.date, got.granularity, got.note) == (date, granularity, None)


@pytest.mark.parametrize(
    ("phrase", "date"),
    [
        ("Easter", dt.date(2025, 4, 20)),  # two days ahead: the coming one (an announced Easter truce)
        ("Good Friday", dt.date(2025, 4, 18)),
        ("Easter Monday", dt.date(2025, 4, 21)),  # three days ahead, like Easter
        ("Christmas Eve", dt.date(2024, 12, 24)),
        ("Thanksgiving", dt.date(2024, 11, 28)),  # fourth Thursday of November
        ("New Year's Day", dt.date(2025, 1, 1)),
        ("New Year’s Day", dt.date(2025, 1, 1)),
        ("last Christmas", dt.date(2024, 12, 25)),
        ("next Thanksgiving", dt.date(2025, 11, 27)),
        ("Easter 2024", dt.date(2024, 3, 31)),
        ("on Memorial Day", dt.date(2024, 5, 27)),
        ("Orthodox Easter", dt.date(2025, 4, 20)),
        ("Ash Wednesday", dt.date(2025, 3, 5)),
    ],
)
def test_named_days_and_feasts_resolve_against_the_publication_year(phrase: str, date: dt.date) -> None:
    assert resolve(phrase, FRIDAY) == Resolved(date, "day")


def test_a_feast_without_a_publication_date_or_year_is_unresolved() -> None:
    assert resolve("Palm Sunday", None).date is None
    assert resolve("Christmas 2023", None) == Resolved(dt.date(2023, 12, 25), "day")


@pytest.mark.parametrize(
    ("phrase", "date", "granularity"),
    [
        ("in the past 24 hours", dt.date(2025, 4, 17), "day"),
        ("over the past 48 hours", dt.date(2025, 4, 16), "day"),
        ("in the past week", dt.date(2025, 4, 11), "week"),
        ("over the last two weeks", dt.date(2025, 4, 4), "month"),
        ("the past few days", dt.date(2025, 4, 11), "week"),
        ("earlier this week", dt.date(2025, 4, 14), "week"),
        ("last year", dt.date(2024, 1, 1), "year"),
        ("next month", dt.date(2025, 5, 1), "month"),
        ("within days", FRIDAY, "week"),  # a period that starts at publication
        ("within a matter of days", FRIDAY, "week"),
        ("in the coming days", FRIDAY, "week"),
        ("within weeks", FRIDAY, "month"),
        ("three days ago", dt.date(2025, 4, 15), "day"),
        ("this weekend", dt.date(2025, 4, 19), "day"),
        ("last weekend", dt.date(2025, 4, 12), "day"),
    ],
)
def test_periods_resolve_with_their_granularity(phrase: str, date: dt.date, granularity: str) -> None:
    got = resolve(phrase, FRIDAY)
    assert (got.date, got.granularity, got.note) == (date, granularity, None)


@pytest.mark.parametrize(
    ("phrase", "end"),
    [
        ("in the past 24 hours", FRIDAY),  # Thursday to Friday: the span, not only its first day
        ("over the last two weeks", FRIDAY),
        ("the past few days", FRIDAY),
        ("three days ago", None),  # a day, not a span
        ("last month", None),  # a calendar month is its own period
        ("within days", None),  # a span ahead has no stated end
    ],
)
def test_a_span_counted_back_from_publication_ends_on_the_publication_day(phrase: str, end: dt.date | None) -> None:
    assert resolve(phrase, FRIDAY).end == end


@pytest.mark.parametrize(
    ("phrase", "date"),
    [
        ("14 March", dt.date(2025, 3, 14)),
        ("on 14 March", dt.date(2025, 3, 14)),
        ("3 June 2024", dt.date(2024, 6, 3)),
        ("Friday 14 March", dt.date(2025, 3, 14)),
        ("the 2nd of April", dt.date(2025, 4, 2)),
        ("Jan. 5. 2024", dt.date(2024, 1, 5)),  # a typo for "Jan. 5, 2024"
        ("Sept. 3, 2023", dt.date(2023, 9, 3)),
    ],
)
def test_day_first_and_abbreviated_dates_keep_their_day(phrase: str, date: dt.date) -> None:
    assert resolve(phrase, FRIDAY) == Resolved(date, "day")


def test_since_is_the_start_of_a_span() -> None:
    assert is_span_start("since 2019") and is_span_start("Since March")
    assert not is_span_start("in 2019")


def test_time_phrases_of_seed_000_are_found_verbatim() -> None:
    from tests.conftest import SEED_000

    found = [p for _, _, p in find_time_phrases(SEED_000.read_text())]
    for phrase, _, _ in SEED_000_PHRASES:
        assert phrase in found
    assert "Easter" not in " ".join(found)  # "Easter cakes" are cakes


def test_time_phrases_are_times_not_things() -> None:
    text = (
        "In the past 24 hours, a Palm Sunday strike and the Christmas Eve attack. Easter eggs and Christmas trees. "
        "On 14 March 2024 and on Jan. 5. 2024 they met; Black Friday sales. Within hours of the truce, fighting."
    )
    found = [p for _, _, p in find_time_phrases(text)]
    assert found == [
        "In the past 24 hours",
        "Palm Sunday",
        "Christmas Eve",
        "14 March 2024",
        "Jan. 5. 2024",
        "Within hours of",
    ]


def test_year_first_month_as_diaries_write_it() -> None:
    assert resolve("1916 July", None) == Resolved(dt.date(1916, 7, 1), "month")
    assert [p for _, _, p in find_time_phrases("Sydney, N.S.W., 1916 July; Lismore")] == ["1916 July"]
