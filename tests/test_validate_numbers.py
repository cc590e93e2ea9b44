"""The number reader: real news phrasings, kinds kept apart, and property tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from summarizer.validate import read_numbers
from summarizer.validate.numbers import Number, clear_number_cache
from tests.numbers_helpers import readings


@pytest.fixture(autouse=True)
def _fresh_reads() -> None:
    """Read every text anew in each test, so a test never passes on an answer another test left in the cache."""
    clear_number_cache()


def one(text: str) -> Number:
    nums = read_numbers(text)
    assert len(nums) == 1, nums
    return nums[0]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("4,987 people", 4987, "count"),
        ("a rise of 1.2 points", 1.2, "quantity"),
        ("ninety-eight", 98, "count"),
        ("two and a half million", 2_500_000, "count"),
        ("a dozen eggs", 12, "count"),
        ("nine", 9, "count"),
        ("one hundred and twenty", 120, "count"),
        ("half a million", 500_000, "count"),
        ("1.2 billion", 1.2e9, "count"),
        ("$1.2bn", 1.2e9, "money"),
        ("5m", 5e6, "count"),
        ("300k", 3e5, "count"),
        ("£3.5m", 3.5e6, "money"),
        ("€40", 40, "money"),
        ("10 dollars", 10, "money"),
        ("35 cents", 0.35, "money"),
        ("34%", 34, "percent"),
        ("34 percent", 34, "percent"),
        ("34 per cent", 34, "percent"),
        ("1.5 percentage points", 1.5, "percent"),
        ("a 30-day ban", 30, "quantity"),
        ("the 19-year-old", 19, "age"),
        ("aged 45", 45, "age"),
        ("John Smith, 45, said", 45, "age"),
        ("in 2025", 2025, "year"),
        ("in 1998", 1998, "year"),
        ("the 1990s", 1990, "decade"),
        ("finished 3rd", 3, "ordinal"),
        ("the third time", 3, "ordinal"),
        ("1,100ft", 1100, "quantity"),
        ("the 1,200 million", 1.2e9, "count"),
        ("1500 troops", 1500, "count"),
    ],
)
def test_reads_value_and_kind(text: str, value: float, kind: str) -> None:
    n = one(text)
    assert math.isclose(n.value, value), n
    assert n.kind == kind, n


def test_span_and_text_point_into_the_input() -> None:
    text = "Officials said $1.2bn (up 34%) was spent."
    nums = read_numbers(text)
    assert [n.text for n in nums] == ["$1.2bn", "34%"]
    for n in nums:
        assert text[n.start : n.end] == n.text


def test_currency_and_units() -> None:
    assert one("$1.2bn").currency == "$"
    assert one("£3.5m").currency == "GBP"
    assert one("€40").currency == "EUR"
    assert one("34 per cent").unit == "%"
    assert one("a 30-day ban").unit == "day"
    assert one("the 19-year-old").unit == "year"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("20 to 30", 20, 30),
        ("20-30", 20, 30),
        ("between 20 and 30 people", 20, 30),
        ("$20-30 million", 20e6, 30e6),
        ("the 2014-15 season", 2014, 2015),
    ],
)
def test_ranges(text: str, low: float, high: float) -> None:
    n = one(text)
    assert n.kind == "range"
    assert n.low == low
    assert n.high == high


def test_range_shares_currency_and_percent() -> None:
    assert one("$20-30 million").currency == "$"
    assert one("20 to 30 percent").unit == "%"


def test_score_is_not_a_range() -> None:
    nums = read_numbers("They won 3-1 on Sunday.")
    assert [n.value for n in nums] == [3, 1]
    assert all(n.kind == "count" for n in nums)


@pytest.mark.parametrize(
    ("text", "month", "day", "year"),
    [
        ("April 4", 4, 4, None),
        ("on May 29, 1943", 5, 29, 1943),
        ("4 April 2025", 4, 4, 2025),
        ("4/18", 4, 18, None),
        ("2025-04-18", 4, 18, 2025),
        ("the 18th of April", 4, 18, None),
    ],
)
def test_dates_are_dates_not_counts(text: str, month: int, day: int, year: int | None) -> None:
    n = one(text)
    assert n.kind == "date"
    assert (n.month, n.value, n.year) == (month, day, year)


def test_month_and_year() -> None:
    n = one("joined in June 2011 from Villa")
    assert (n.kind, n.month, n.year) == ("date", 6, 2011)


def test_times() -> None:
    assert [(n.kind, n.value) for n in read_numbers("at 10:30 and 2pm")] == [("time", 10.5), ("time", 14.0)]


@pytest.mark.parametrize(
    "text",
    ["hundreds of people", "tens of thousands", "dozens were hurt", "COVID-19", "the G20 summit", "an F-16 jet", "3D"],
)
def test_vague_words_and_labels_are_not_numbers(text: str) -> None:
    assert read_numbers(text) == []


def test_a_list_of_words_is_several_numbers() -> None:
    assert [n.value for n in read_numbers("two and three")] == [2, 3]


def test_year_next_to_plural_noun_is_a_count() -> None:
    assert one("1500 troops").kind == "count"
    assert one("2012 was a hard year").kind == "year"


def test_sentence_full_of_numbers() -> None:
    text = "The 92-year-old died on April 4, 2025; she was paid $10 in 1943 and 34% of 1,200 voters agreed."
    kinds = [(n.text, n.kind) for n in read_numbers(text)]
    assert kinds == [
        ("92-year-old", "age"),
        ("April 4, 2025", "date"),
        ("$10", "money"),
        ("1943", "year"),
        ("34%", "percent"),
        ("1,200", "count"),
    ]


# --- properties ---------------------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_read_back(n: int) -> None:
    text = f"a total of {n:,} items"
    (num,) = read_numbers(text)
    assert num.value == n


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["million", "billion"]))
def test_scaled_decimals_read_back(tenths: int, scale: str) -> None:
    x = tenths / 10
    text = f"about {x:.1f} {scale} people"
    (num,) = read_numbers(text)
    assert math.isclose(num.value, round(x, 1) * {"million": 1e6, "billion": 1e9}[scale])
    assert num.scaled


@given(st.integers(min_value=1, max_value=999))
def test_dollar_bn_reads_back(x: int) -> None:
    (num,) = read_numbers(f"a ${x}bn deal")
    assert num.kind == "money"
    assert num.value == x * 1e9


@given(st.integers(min_value=0, max_value=100))
def test_percent_reads_back(x: int) -> None:
    (num,) = read_numbers(f"turnout was {x}% this year")
    assert (num.kind, num.value) == ("percent", x)


@given(st.integers(min_value=1, max_value=999_999))
def test_number_words_read_back(n: int) -> None:
    (num,) = read_numbers(f"there were {_words(n)} of them")
    assert num.value == n


@settings(max_examples=300)
@given(st.text())
def test_never_crashes_and_spans_are_consistent(text: str) -> None:
    nums = read_numbers(text)
    last_end = 0
    for n in nums:
        assert 0 <= n.start < n.end <= len(text)
        assert text[n.start : n.end] == n.text
        assert n.start >= last_end
        last_end = n.end


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["$", "1", ",", ".", "5", "bn", " ", "%", "-", "to", "million", "May", "and", "k"])))
def test_never_crashes_on_number_like_soup(parts: list[str]) -> None:
    text = "".join(parts)
    for n in read_numbers(text):
        assert text[n.start : n.end] == n.text
        assert math.isfinite(n.value)


_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    if n < 1000:
        return _ONES[n // 100] + " hundred" + (" and " + _words(n % 100) if n % 100 else "")
    return _words(n // 1000) + " thousand" + (" " + _words(n % 1000) if n % 1000 else "")


_NUMERATORS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_DENOMINATOR_WORDS = {2: "half", 3: "third", 4: "quarter", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
                      9: "ninth", 10: "tenth"}  # fmt: skip


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=2, max_value=10), st.booleans())
def test_fractions_read_back(top: int, bottom: int, hyphen: bool) -> None:
    assume(top < bottom)
    word = _DENOMINATOR_WORDS[bottom] + ("s" if top > 1 and bottom != 2 else "")
    written = f"{_NUMERATORS[top - 1]}{'-' if hyphen else ' '}{word}"
    [n] = read_numbers(f"About {written} of the members voted.")
    assert n.kind == "fraction"
    assert n.text == written
    assert math.isclose(n.value, top / bottom)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [("Revenue rose 34% to $1.2bn.", ["percent", "money"]), ("Sales grew 5% to 300 stores.", ["percent", "count"]),
     ("It cost £5 to $8.", ["money", "money"]), ("between 20% and 30%", ["range"]), ("$20-30 million", ["range"])],
)  # fmt: skip
def test_a_change_and_a_level_are_not_a_range(text: str, kinds: list[str]) -> None:
    assert [n.kind for n in read_numbers(text)] == kinds


def test_an_impossible_day_or_hour_is_no_date_and_the_next_one_is_still_read() -> None:
    # Day 32 and "13 pm" are typos or other figures; the reader skips them and goes on to the next date or time.
    assert readings("It was due on 32 March. Then on 5 April 2024 it came.") == [
        ("32", 32.0, "count", None, None),
        ("5 April 2024", 5.0, "date", None, None),
    ]
    assert readings("Talks were set for March 32 and then April 5.") == [
        ("32", 32.0, "count", None, None),
        ("April 5", 5.0, "date", None, None),
    ]
    assert [r[1:3] for r in readings("The shop opens at 13 pm and closes at 5 pm.")] == [
        (13.0, "count"),
        (17.0, "time"),
    ]


def test_a_spaced_dash_between_two_figures_is_no_range() -> None:
    # "20 — 30" with spaces is a score or a list, whatever the dash; "20–30" is a range.
    for dash in ("-", "–", "—"):
        assert [r[2] for r in readings(f"They scored 20 {dash} 30 in the end.")] == ["count", "count"]
    assert [r[2] for r in readings("They expect 20–30 people.")] == ["range"]
