"""The number reader on real-looking news sentences: the figure, its kind, unit, currency and span a check relies on."""

from __future__ import annotations

import pytest

from summarizer.validate import read_numbers
from tests.numbers_helpers import fresh_reads, readings  # noqa: F401  (fresh_reads: an autouse fixture)


# Figures written in words, with what follows them: the reader must give them the same unit, currency and kind as
# the same figure in digits.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Forty-two percent of voters backed the plan.", [("Forty-two percent", 42, "percent", "%", None)]),
        ("The fine was twenty dollars.", [("twenty dollars", 20, "money", None, "$")]),
        ("A loaf now costs fifty cents more.", [("fifty cents", 0.5, "money", None, "$")]),
        ("Stamps rose by ninety pence.", [("ninety pence", 0.9, "money", None, "GBP")]),
        ("He was paid five pounds an hour.", [("five pounds", 5, "money", None, "GBP")]),
        ("The baby weighed nine pounds at birth.", [("nine pounds", 9, "quantity", "lb", None)]),
        ("The club paid two million euros for him.", [("two million euros", 2e6, "money", None, "EUR")]),
        ("The seven-year-old was rescued.", [("seven-year-old", 7, "age", "year", None)]),
        ("Unions called a three-day strike.", [("three-day", 3, "quantity", "day", None)]),
        ("Police closed three miles of the road.", [("three", 3, "quantity", "mile", None)]),
        ("One in five adults smoke.", [("One", 1, "count", None, None), ("five", 5, "count", None, None)]),
        ("A girl, aged nine, was hurt.", [("nine", 9, "age", "year", None)]),
        ("She was nine years old.", [("nine years old", 9, "age", "year", None)]),
    ],
)
def test_a_figure_in_words_carries_its_unit_currency_and_kind(text: str, expected: list[tuple[object, ...]]) -> None:
    assert readings(text) == expected


def test_word_figures_are_marked_as_words_and_scaled_when_a_scale_word_applies() -> None:
    [n] = read_numbers("The club paid two million euros for him.")
    assert n.word and n.scaled
    [m] = read_numbers("Forty-two percent of voters backed the plan.")
    assert m.word and not m.scaled
    [d] = read_numbers("42 percent of voters backed the plan.")
    assert not d.word and not d.scaled


# Figures in digits with what follows them.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The suspect weighed 130 pounds.", [("130 pounds", 130, "quantity", "lb", None)]),
        ("Agents seized 200 pounds of cocaine.", [("200 pounds", 200, "quantity", "lb", None)]),
        ("It received 200 pounds of funding.", [("200 pounds", 200, "money", None, "GBP")]),
        ("He signed a 10 million pounds deal.", [("10 million pounds", 1e7, "money", None, "GBP")]),
        ("Tickets cost 3.50 dollars.", [("3.50 dollars", 3.5, "money", None, "$")]),
        ("Bread costs 80 pence.", [("80 pence", 0.8, "money", None, "GBP")]),
        ("It raised US$5m.", [("US$5m", 5e6, "money", None, "USD")]),
        ("It raised A$3bn.", [("A$3bn", 3e9, "money", None, "AUD")]),
        ("It raised C$40.", [("C$40", 40, "money", None, "CAD")]),
        ("It cost ¥500.", [("¥500", 500, "money", None, "JPY")]),
        ("Winds reached 112km/h on Friday.", [("112km/h", 112, "quantity", "kmh", None)]),
        ("Winds reached 70mph on Friday.", [("70mph", 70, "quantity", "mph", None)]),
        ("The 9-month-old was unhurt.", [("9-month-old", 9, "age", "month", None)]),
        ("The 3-week-old was unhurt.", [("3-week-old", 3, "age", "week", None)]),
        ("A man, 45 years of age, was held.", [("45 years of age", 45, "age", "year", None)]),
        ("The strike lasted 10 days.", [("10", 10, "quantity", "day", None)]),
        ("Prices rose 50 per cent.", [("50 per cent", 50, "percent", "%", None)]),
        ("Prices rose 5 pc.", [("5 pc", 5, "percent", "%", None)]),
        ("He died at 88 in his home.", [("88", 88, "age", "year", None)]),
        ("Voters in their 20s stayed home.", [("20s", 20, "age", "year", None)]),
        ("The music of the '80s returned.", [("80s", 1980, "decade", None, None)]),
        ("It grew in the 1990s.", [("1990s", 1990, "decade", None, None)]),
        ("Salaries rose 300k.", [("300k", 3e5, "count", None, None)]),
    ],
)
def test_a_figure_in_digits_carries_its_unit_currency_and_kind(text: str, expected: list[tuple[object, ...]]) -> None:
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("In 1850 the town had a mill.", "year"),
        ("About 1850 people attended.", "count"),
        ("The 1850 election was close.", "year"),
        ("2000 homes were flooded.", "count"),
        ("1999 was a dry year.", "year"),
        ("Since 1066 the abbey stood.", "year"),
    ],
)
def test_a_four_digit_figure_is_a_year_only_where_the_words_say_so(text: str, kind: str) -> None:
    [n] = read_numbers(text)
    assert n.kind == kind, n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The festival runs April 18-26.", [(4, 18, None), (4, 26, None)]),
        ("Talks ran from May 3 to 5.", [(5, 3, None), (5, 5, None)]),
        ("It opened on 3 March 2020.", [(3, 3, 2020)]),
        ("The deadline is 12/25/2024.", [(12, 25, 2024)]),
        ("He left in June 2011.", [(6, 0, 2011)]),
    ],
)
def test_dates_read_with_month_day_and_year(text: str, expected: list[tuple[object, ...]]) -> None:
    nums = read_numbers(text)
    assert all(n.kind == "date" for n in nums), nums
    assert [(n.month, n.value, n.year) for n in nums] == expected


@pytest.mark.parametrize("text", ["The score was 13/13.", "See page 0/5.", "The code 2024-13-01 failed."])
def test_impossible_dates_are_not_dates(text: str) -> None:
    assert all(n.kind != "date" for n in read_numbers(text))


@pytest.mark.parametrize(
    ("text", "hours"),
    [("The vote closed at 9:45 p.m. on Monday.", 21.75), ("Doors open at 8am.", 8.0), ("It ended at 23:15.", 23.25)],
)
def test_clock_times_read_as_hours_of_the_day(text: str, hours: float) -> None:
    [n] = read_numbers(text)
    assert (n.kind, n.unit) == ("time", "hour")
    assert n.value == pytest.approx(hours)


def test_an_hour_past_the_day_is_not_a_time() -> None:
    assert all(n.kind != "time" for n in read_numbers("The ratio was 25:10 at the end."))


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "currency"),
    [
        ("Talks could last 10-15 minutes.", 10, 15, "minute", None),
        ("Between 5 and 10 million people watched.", 5e6, 10e6, None, None),
        ("Tickets cost $5 to $8.", 5, 8, None, "$"),
        ("Turnout was 20 to 30 percent.", 20, 30, "%", None),
        ("The 2019-20 season was cut short.", 2019, 2020, None, None),
        ("The bill is £20-30bn.", 20e9, 30e9, None, "GBP"),
    ],
)
def test_ranges_share_their_scale_unit_and_currency(
    text: str, low: float, high: float, unit: str | None, currency: str | None
) -> None:
    [n] = read_numbers(text)
    assert n.kind == "range", n
    assert (n.low, n.high, n.value, n.unit, n.currency) == (low, high, low, unit, currency)
    assert text[n.start : n.end] == n.text


@pytest.mark.parametrize("text", ["Spain beat Italy 3 - 1.", "The wage rose 5% to $300.", "It fell from 30 to 20."])
def test_a_score_a_change_or_a_fall_is_not_a_range(text: str) -> None:
    assert all(n.kind != "range" for n in read_numbers(text))


def test_decimals_and_the_range_keep_the_precision_written() -> None:
    [n] = read_numbers("Growth was 1.25 percent.")
    assert (n.value, n.decimals) == (1.25, 2)
    [r] = read_numbers("Growth of 1.5 to 2.25 percent.")
    assert (r.low, r.high, r.decimals) == (1.5, 2.25, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The deadline is 25/12/2024.", (12, 25, 2024)), ("It closed on 31/1/24.", (1, 31, 2024))],
)
def test_a_day_first_date_past_the_19th_is_a_date(text: str, expected: tuple[int, int, int]) -> None:
    """Found writing tests for the numbers mutants: the first field took only 0-19, so "25/12/2024" read as counts."""
    [n] = read_numbers(text)
    assert (n.kind, n.month, n.value, n.year) == ("date", *expected)


def test_a_day_first_pair_without_a_year_is_still_no_date() -> None:
    assert all(n.kind != "date" for n in read_numbers("Help is there 24/7."))


# Runs of number words: where one figure ends and the next begins, and what the joiners add.
@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("They sold two dozen eggs.", [24]),
        ("Half a dozen officers arrived.", [6]),
        ("A hundred people marched.", [100]),
        ("He walked three and a quarter miles.", [3.25]),
        ("She served five and half years.", [5.5]),
        ("Interest was twelve and a half percent.", [12.5]),
        ("Fifteen hundred homes lost power.", [1500]),
        ("It cost one thousand and ten dollars.", [1010]),
        ("A thousand and one nights passed.", [1001]),
        ("The bill was three hundred million dollars.", [3e8]),
        ("Two million three hundred thousand voted.", [2_300_000]),
        ("Ninety-nine thousand nine hundred and ninety-nine tickets sold.", [99_999]),
        ("Counting one two three, they jumped.", [1, 2, 3]),
        ("Shirts twenty thirty and forty were retired.", [20, 30, 40]),
        ("Rooms eleven twelve were shut.", [11, 12]),
        ("Rooms twenty fifteen were shut.", [20, 15]),
        ("A man and a woman were held.", []),
    ],
)
def test_number_words_split_and_join_as_a_reader_would(text: str, values: list[float]) -> None:
    assert [n.value for n in read_numbers(text)] == values
    for n in read_numbers(text):
        assert n.word and text[n.start : n.end] == n.text


def test_a_mixed_number_in_words_keeps_its_unit() -> None:
    [n] = read_numbers("He walked three and a quarter miles.")
    assert (n.text, n.kind, n.unit) == ("three and a quarter", "quantity", "mile")


@pytest.mark.parametrize(
    ("text", "hours"),
    [("The curfew starts at 12am.", 0.0), ("The curfew starts at 12:30 a.m.", 0.5), ("The curfew ends at 12pm.", 12.0)],
)
def test_twelve_am_is_midnight_and_twelve_pm_is_noon(text: str, hours: float) -> None:
    """Found reading the numbers mutants: "12am" read as 12.0, the same hour as "12pm", so a summary that turned a
    midnight curfew into a noon one matched its source."""
    [n] = read_numbers(text)
    assert (n.kind, n.value) == ("time", hours)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The baby, 9 months of age, was unhurt.", ("9 months of age", 9, "age", "month", None)),
        ("The baby, nine months of age, was unhurt.", ("nine months of age", 9, "age", "month", None)),
        ("The nine-month-old baby was unhurt.", ("nine-month-old", 9, "age", "month", None)),
        ("A six-week-old puppy was found.", ("six-week-old", 6, "age", "week", None)),
        ("A man, forty years of age, was held.", ("forty years of age", 40, "age", "year", None)),
    ],
)
def test_an_age_in_months_or_weeks_counts_months_or_weeks_in_digits_and_words(
    text: str, expected: tuple[object, ...]
) -> None:
    """Found reading the numbers mutants: "9 months of age" raised IndexError (the reader took the unit from a
    hyphen the phrase does not have), and "nine-month-old" / "six-week-old" in words read as years."""
    assert readings(text) == [expected]
