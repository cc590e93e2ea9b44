"""Precision rules learnt from false alarms on real system summaries (RAGTruth, FRANK): each with its failing twin."""

from __future__ import annotations

from summarizer.validate import check

SOURCE = (
    'Giggs, of Salford City, was fined £110 and ordered to pay £85 costs. He said: "I will never drive without '
    'insurance again." The pair married on March 21 at the University of Texas. She is 5 feet 3 inches tall.'
)


def test_a_lowercased_summary_is_read_in_the_source_case() -> None:
    # "march 21" is a date once recased from the source; a wrong day still is not.
    assert check(SOURCE, "the pair married march 21 at the university of texas .").ok
    assert not check(SOURCE, "the pair married march 23 at the university of texas .").ok


def test_findings_show_the_text_as_written() -> None:
    report = check(SOURCE, "the pair married march 23 at the university of texas .")
    assert [f.text for f in report.errors()] == ["march 23"]


def test_tokenized_quotes_and_clitics_are_not_quotation_marks() -> None:
    text = "giggs 's lawyer said he was ` deeply sorry ' . he said : ` i will never drive without insurance again ' ."
    report = check(SOURCE, text)
    assert [f.kind for f in report.errors()] == []
    # A tokenized quotation that the source does not hold is still flagged.
    bad = "he said : ` i will always drive without insurance from now on ' ."
    # ("never drive" → "always drive" also drops the source's negation.)
    assert sorted(f.kind for f in check(SOURCE, bad).errors()) == ["negation", "quote"]


def test_an_inch_mark_is_not_a_quotation_mark() -> None:
    report = check(SOURCE, "She stands between 5'3\" and 5'4\", her friends said.")
    assert not any(f.kind == "quote" for f in report.findings)


def test_a_dropped_currency_sign_is_the_same_sum() -> None:
    # CNN/DM summaries write "#" for "£"; a bare figure that counts nothing is the sum of money of that value.
    assert check(SOURCE, "giggs was fined # 110 and ordered to pay # 85 costs .").ok
    assert not check(SOURCE, "giggs was fined # 120 and ordered to pay # 85 costs .").ok


def test_a_figure_that_counts_something_is_not_a_sum_of_money() -> None:
    assert not check(SOURCE, "Giggs was fined after 110 crashes.").ok


FILM = (
    'Andrew Lesnie, who worked with director Peter Jackson on the six "Lord of the Rings" and "Hobbit" films, has '
    "died. He was 59. Now the 65-year-old who earned respect as a man has gained a reputation, said Sissa Abu Dahou."
)


def test_an_age_is_rivalled_by_ages_only() -> None:
    assert check(FILM, "Andrew Lesnie, who worked on the Hobbit films, has died at the age of 59.").ok
    assert check(FILM, "Sissa Abu Dahou, a 65-year-old grandmother, gained respect as a man.").ok
    assert not check(FILM, "Andrew Lesnie, who worked on the Hobbit films, has died at the age of 6.").ok


def test_an_anniversary_ordinal_from_a_span_of_years_but_not_from_a_count() -> None:
    src = "One hundred years ago, more than 1 million Armenians were killed. Danielle Busby delivered all five girls."
    assert check(src, "The Pope marked the 100th anniversary of the killing of Armenians.").ok
    assert not check(src, "Danielle Busby delivered her fifth daughter.").ok


def test_a_label_number_makes_an_ordinal() -> None:
    src = "Bowie Jane won the competition. She is now the Head of Household for Week 10."
    assert check(src, "Bowie Jane will lead the house for the tenth week.").ok
    assert not check(src, "Bowie Jane will lead the house for the ninth week.").ok


def test_a_day_range_shares_its_month() -> None:
    src = "It's all part of National Park Week, happening April 18 through April 26, hosted by the Park Service."
    assert check(src, "Parks are free during National Park Week (April 18-26).").ok
    assert not check(src, "Parks are free during National Park Week (April 18-29).").ok


def test_pounds_of_weight_are_not_money() -> None:
    src = "Tonee Turner is described as being 5 feet 3 inches tall and weighing 130 pounds."
    assert check(src, "She is 5 feet 3 inches tall and weighs 130 lbs.").ok
    assert not check(src, "She is 5 feet 3 inches tall and weighs 150 lbs.").ok


def test_a_duration_supports_the_same_measure_as_a_modifier() -> None:
    src = "Paitsel received a sentence of 24 months in prison on each count. The developer got a 5-month term."
    assert check(src, "The FBI agent received a 24-month prison sentence.").ok
    assert not check(src, "The FBI agent received a 30-month prison sentence.").ok


def test_a_mixed_number_in_words_is_one_figure() -> None:
    src = "The ceremony ran for three and a half hours."
    assert check(src, "The three-and-a-half hour ceremony drew criticism.").ok


def test_a_clock_time_abbreviation_does_not_end_the_sentence() -> None:
    src = "Testing Times\nScheduled for 2:20 p.m. EDT, this alert will roll out across phones. Radio follows at 3 p.m."
    assert check(src, "The alert will be sent out at 2:20 p.m. EDT.").ok
