"""The number reader's grammar on news sentences: where a weight, a year, a range, a date or a time begins and ends.

Each test reads a sentence a reporter could write and asserts the reading a check relies on: the value, the kind,
the unit or currency, and for ranges both ends and the year a span of years starts in.
"""

from __future__ import annotations

import pytest

from summarizer.validate import read_numbers
from tests.numbers_helpers import fresh_reads, readings  # noqa: F401  (fresh_reads: an autouse fixture)

# --- "pounds": a weight only when its own sentence, close by, says so ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # The weight word is in the sentence before.
        "He is a heavyweight. He won 500 pounds.",
        "Rain fell. It was heavy. He won 500 pounds.",
        # ... or on the line before (a headline, a list item).
        "Heavy rain\nHe won 500 pounds.",
        "Floods\nHeavy rain\nHe won 500 pounds.",
        # ... or after the figure.
        "He won 500 pounds for the heavyweight bout.",
        # ... or in the same sentence, but more than 60 characters before the figure.
        "The heavyweight boxer, who trained for years in a gym in Leeds with his brother, won 500 pounds.",
    ],
)
def test_pounds_stay_money_when_the_weight_word_is_outside_their_sentence_or_far_off(text: str) -> None:
    [n] = read_numbers(text)
    assert (n.text, n.kind, n.currency, n.unit) == ("500 pounds", "money", "GBP", None)


@pytest.mark.parametrize(
    "text",
    [
        "The boxer weighed 150 pounds. He retired.\nHe coaches now.",
        "Weighing 150 pounds, he won the title.",
    ],
)
def test_pounds_are_a_weight_when_their_own_sentence_says_so(text: str) -> None:
    [n] = read_numbers(text)
    assert (n.text, n.kind, n.currency, n.unit) == ("150 pounds", "quantity", None, "lb")


def test_a_weight_word_61_characters_back_is_outside_the_60_character_window() -> None:
    text = "The heavyweight boxer, who trained in Leeds with his sister, won 500 pounds."
    assert text.index("500") - text.index("heavyweight") == 61
    [n] = read_numbers(text)
    assert (n.kind, n.currency) == ("money", "GBP")


# --- a four-digit figure: year or count -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # A plural noun after the figure makes it a count, even a four-letter one ...
        ("Ford will cut 2000 jobs.", "count"),
        # ... but a three-letter word is no plural noun, and a comma ends the phrase.
        ("In 2012 gas prices soared.", "year"),
        ("In 1850, troops marched.", "year"),
        ("The town was founded in 1850—years before the railway came.", "year"),
        # 1900 itself is a year without a cue word before it.
        ("1900 marked the start of a new era.", "year"),
    ],
)
def test_a_four_digit_figure_is_a_year_unless_a_plural_noun_follows_it(text: str, kind: str) -> None:
    [n] = read_numbers(text)
    assert (n.value, n.kind) == (float(n.text), kind)


# --- ranges -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "year"),
    [
        ("Between 1990 and 2005 the town grew.", 1990, 2005, 1990),
        ("Between 1914 and 1918 soldiers from the town died.", 1914, 1918, 1914),
        ("The 2014-15 season was cut short.", 2014, 2015, 2014),
        # A span of money or members is no span of years, though its ends look like years.
        ("The fee rose from 1500 to 2000 dollars.", 1500, 2000, None),
        ("Membership grew from 1,500 to 2000.", 1500, 2000, None),
    ],
)
def test_a_range_of_years_carries_its_first_year_and_other_ranges_none(
    text: str, low: float, high: float, year: int | None
) -> None:
    [n] = read_numbers(text)
    assert (n.kind, n.low, n.high, n.year) == ("range", low, high, year)


@pytest.mark.parametrize(
    ("text", "low", "high", "scaled"),
    [
        ("Fines range from $5 to $10,000.", 5, 10_000, False),
        ("Between 1.5 million and 2 million people watched.", 1.5e6, 2e6, True),
        ("Attendance grew from 800 to 1.2 million.", 800, 1.2e6, True),
        # Scaled, the low end would equal the high end: it stays as written.
        ("The scale runs from 1 to 1 million.", 1, 1e6, True),
        ("The bill is £20-30bn.", 20e9, 30e9, True),
    ],
)
def test_a_scale_is_shared_only_when_the_low_end_has_none_and_stays_below_the_high_end(
    text: str, low: float, high: float, scaled: bool
) -> None:
    [n] = read_numbers(text)
    assert (n.kind, n.low, n.high, n.scaled) == ("range", low, high, scaled)


@pytest.mark.parametrize(
    ("text", "values"), [("The match ended 2-2.", [2, 2]), ("MPs voted 310-52 in favour.", [310, 52])]
)
def test_a_draw_or_a_vote_tally_is_two_counts_not_a_range(text: str, values: list[float]) -> None:
    nums = read_numbers(text)
    assert [(n.value, n.kind) for n in nums] == [(v, "count") for v in values]


# --- number words -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A scale word alone is no number: "Thousand Oaks" is a city.
        ("A gunman killed 12 people in Thousand Oaks.", [("12", 12)]),
        # "a" and "half a" belong to the figure they scale.
        ("A dozen eggs were broken.", [("A dozen", 12)]),
        ("Half a dozen officers arrived.", [("Half a dozen", 6)]),
        ("Stars number between a million and a billion.", [("a million and a billion", 1e6)]),
        # "twenty ten" is two figures, as "twenty fifteen" is: a tens word takes only a unit after it.
        ("Rooms twenty ten were shut.", [("twenty", 20), ("ten", 10)]),
        # ... and a unit or teen word takes no tens word after it.
        ("Rooms five twenty were shut.", [("five", 5), ("twenty", 20)]),
        ("Rooms fifteen twenty were shut.", [("fifteen", 15), ("twenty", 20)]),
        # "and" between a tens word and a unit lists two figures; after a scale word it joins them.
        ("Shirts twenty and nine were retired.", [("twenty", 20), ("nine", 9)]),
        # "dozen" alone is twelve.
        ("The dozen protesters were freed.", [("dozen", 12)]),
        # Mixed numbers after a teen or tens word, with "a half" or the informal "half".
        ("The drive took twenty and a half hours.", [("twenty and a half", 20.5)]),
        ("She served eighteen and half years.", [("eighteen and half", 18.5)]),
        ("He ran twenty and half miles.", [("twenty and half", 20.5)]),
        ("Some two and half million people watched.", [("two and half million", 2.5e6)]),
    ],
)
def test_number_words_span_the_words_that_make_the_figure(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(n.text, n.value) for n in read_numbers(text)] == expected


def test_a_range_in_words_reads_both_ends() -> None:
    [n] = read_numbers("Stars number between a million and a billion.")
    assert (n.kind, n.low, n.high) == ("range", 1e6, 1e9)


def test_an_age_in_words_is_read_at_the_start_of_a_text() -> None:
    assert readings("Aged nine, she swam the Channel.") == [("nine", 9, "age", "year", None)]


@pytest.mark.parametrize(
    "text", ["Two thousand fans marched.", "The state owes three billion dollars.", "Debt passed two trillion dollars."]
)
def test_a_figure_in_words_with_thousand_billion_or_trillion_is_scaled(text: str) -> None:
    [n] = read_numbers(text)
    assert n.word and n.scaled


# --- dates, times and what is no range ----------------------------------------------------------------------------


def test_the_second_day_of_a_pair_takes_the_year_written_after_it() -> None:
    nums = read_numbers("It ran on October 20th and 21st, 2023.")
    assert [(n.kind, n.month, n.value) for n in nums[:2]] == [("date", 10, 20), ("date", 10, 21)]
    assert nums[1].year == 2023


def test_a_day_and_a_bare_figure_before_a_noun_are_a_date_and_a_count() -> None:
    assert [(n.text, n.kind) for n in read_numbers("On May 5 and 6 people were hurt.")] == [
        ("May 5", "date"),
        ("6", "count"),
    ]


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("The shop opens at 12pm today.", 12.0),
        ("The talks ended at 24:00.", 24.0),
        ("Polls close at 10pm tonight.", 22.0),
    ],
)
def test_noon_and_the_end_of_the_day_read_as_their_hour(text: str, hours: float) -> None:
    [n] = read_numbers(text)
    assert (n.kind, n.value) == ("time", hours)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Scores of 20 and 30 were posted.", ["count", "count"]),
        ("Polls are open from 7 to 10pm.", ["count", "time"]),
        ("He won the 3rd to 5th stages.", ["ordinal", "ordinal"]),
        ("It ran from 10:30 to 11:30.", ["time", "time"]),
        ("It ran from May 3 to 5.", ["date", "date"]),
        # A month of a year, a clock time or a date takes no range with the figure next to it.
        ("He served from June 2011 to 2015.", ["date", "year"]),
        ("Talks ran from 9:30 to 11 on Monday.", ["time", "count"]),
        # "of" joins no range; a spaced dash is a score.
        ("Police arrested 20 of 30 suspects.", ["count", "count"]),
        ("Italy lost 1 - 3 to Spain.", ["count", "count"]),
        ("Italy lost 1 – 3 to Spain.", ["count", "count"]),
    ],
)
def test_no_range_without_between_or_from_before_and_nor_of_dates_times_or_ordinals(
    text: str, kinds: list[str]
) -> None:
    assert [n.kind for n in read_numbers(text)] == kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apple is worth $3b.", [("$3b", 3e9, "money", None, "$")]),
        ("5 in 10 voters agreed.", [("5", 5, "count", None, None), ("10", 10, "count", None, None)]),
        ("The 2019's results were poor.", [("2019", 2019, "year", None, None)]),
        (
            "He is 6ft tall and weighs 14 stone.",
            [("6ft", 6, "quantity", "ft", None), ("14", 14, "quantity", "stone", None)],
        ),
        ("Stocks rose in the mid-1970s.", [("1970s", 1970, "decade", None, None)]),
        ("Music of the 1880s returned.", [("1880s", 1880, "decade", None, None)]),
        ("The hits of the 60s returned.", [("60s", 1960, "decade", None, None)]),
    ],
)
def test_a_figure_in_digits_reads_its_glued_scale_unit_or_decade(text: str, expected: list[tuple[object, ...]]) -> None:
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("7pm is the deadline.", [19.0]),
        ("Lunch is served at 1pm today.", [13.0]),
        # Neither a vote tally nor a marathon time is a clock time; a time after them still is.
        ("The vote was 120:45 in favour.", []),
        ("She won the marathon in 2:10:45 and left at 10pm.", [22.0]),
        ("The ratio was 25:10 and polls close at 21:00.", [21.0]),
    ],
)
def test_clock_times_are_read_wherever_they_stand_and_only_there(text: str, hours: list[float]) -> None:
    assert [n.value for n in read_numbers(text) if n.kind == "time"] == hours


def test_a_day_before_a_day_and_month_forms_no_range() -> None:
    nums = read_numbers("It runs from 18 to 26 April.")
    assert all(n.kind != "range" for n in nums)
    assert (nums[-1].kind, nums[-1].month, nums[-1].value) == ("date", 4, 26)


def test_the_figures_around_a_range_keep_their_own_readings() -> None:
    assert readings("In 2019 turnout was 20 to 30 percent, up 5 points.") == [
        ("2019", 2019, "year", None, None),
        ("20 to 30 percent", 20, "range", "%", None),
        ("5", 5, "quantity", "point", None),
    ]


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # The first and last days of a month; a day past the 31st is a count, and the dates after it still read.
        ("The sale runs May 1-31.", [(5, 1, None), (5, 31, None)]),
        ("It ended on May 31.", [(5, 31, None)]),
        ("In May 32 people died; on June 3 the camp shut.", [(6, 3, None)]),
        ("It opened on 1 April and shut on 31 May.", [(4, 1, None), (5, 31, None)]),
        # A dash after a full date with its year starts no day range.
        ("The plant opened on May 4, 1998 \u2013 20 years before it closed.", [(5, 4, 1998)]),
        # After "and", a day with its suffix is a date; a bare figure before a word (any case) is not.
        ("It ran on October 20th and 21st in Paris.", [(10, 20, None), (10, 21, None)]),
        ("On May 5 and 6 Britons were freed.", [(5, 5, None)]),
        # Month-first numeric dates at the edges of the calendar, and a day-first one with its year.
        ("The bill is due on 1/15.", [(1, 15, None)]),
        ("The fee rises on 4/1.", [(4, 1, None)]),
        ("Offices shut on 12/25 and 12/31.", [(12, 25, None), (12, 31, None)]),
        ("It closed on 13/12/2024.", [(12, 13, 2024)]),
        # A pair that is no date leaves the dates after it read.
        ("Help is there 24/7, the office said on 4/18.", [(4, 18, None)]),
        ("The ratio was 13/5.", []),
        ("The code 2024-01-32 failed; the 2024-01-31 one ran.", [(1, 31, 2024)]),
    ],
)
def test_dates_read_at_the_edges_of_the_calendar(text: str, dates: list[tuple[int, int, int | None]]) -> None:
    assert [(n.month, n.value, n.year) for n in read_numbers(text) if n.kind == "date"] == dates


# --- figures in digits ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She finished 1st and he came 2nd.", [("1st", 1, "ordinal", None, None), ("2nd", 2, "ordinal", None, None)]),
        ("The 60s were wild.", [("60s", 1960, "decade", None, None)]),
        ("He lost 20lbs.", [("20lbs", 20, "quantity", "lb", None)]),
        ("A stamp costs 60 cents.", [("60 cents", 0.6, "money", None, "$")]),
        # A weight word before dollars does not make them a weight: only pounds read two ways.
        ("The heavyweight won 500 dollars.", [("500 dollars", 500, "money", None, "$")]),
        ("The 2-day-old baby was found.", [("2-day-old", 2, "age", "day", None)]),
        # A sum of money is never a year.
        ("The fine was \u00a32000.", [("\u00a32000", 2000, "money", None, "GBP")]),
        # Ages: "aged" or a name and commas, at the start of a text too, from one year old.
        ("Aged 45, she ran the race.", [("45", 45, "age", "year", None)]),
        ("Smith, 45, was held.", [("45", 45, "age", "year", None)]),
        ("His daughter Lily, 1, was unhurt.", [("1", 1, "age", "year", None)]),
        # A figure before a comma with no name before it is a count; small figures after "to" and "from" too.
        ("He scored 45, then 30.", [("45", 45, "count", None, None), ("30", 30, "count", None, None)]),
        ("Membership rose to 20 from 15.", [("20", 20, "count", None, None), ("15", 15, "count", None, None)]),
    ],
)
def test_a_figure_in_digits_reads_as_a_reporter_means_it(text: str, expected: list[tuple[object, ...]]) -> None:
    assert readings(text) == expected


@pytest.mark.parametrize(
    "text",
    ["The airline grounded its 747s.", "Temperatures were in the 100s.", "He lives in flat 4b."],
)
def test_a_plural_model_number_a_vague_hundreds_or_a_flat_number_is_no_figure(text: str) -> None:
    assert read_numbers(text) == []


def test_a_glued_scale_abbreviation_marks_the_figure_scaled() -> None:
    [n] = read_numbers("It raised $1.2bn.")
    assert (n.value, n.scaled, n.decimals) == (1.2e9, True, 1)


def test_each_date_keeps_the_words_it_was_read_from() -> None:
    text = "The festival runs April 18-26, after the 4 April 2025 launch and before June 2026."
    assert [n.text for n in read_numbers(text) if n.kind == "date"] == ["April 18", "26", "4 April 2025", "June 2026"]
