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
    assert [f.kind for f in check(SOURCE, bad).errors()] == ["quote"]


def test_an_inch_mark_is_not_a_quotation_mark() -> None:
    report = check(SOURCE, "She stands between 5'3\" and 5'4\", her friends said.")
    assert not any(f.kind == "quote" for f in report.findings)


def test_a_dropped_currency_sign_is_the_same_sum() -> None:
    # CNN/DM summaries write "#" for "£"; a bare figure that counts nothing is the sum of money of that value.
    assert check(SOURCE, "giggs was fined # 110 and ordered to pay # 85 costs .").ok
    assert not check(SOURCE, "giggs was fined # 120 and ordered to pay # 85 costs .").ok


def test_a_figure_that_counts_something_is_not_a_sum_of_money() -> None:
    assert not check(SOURCE, "Giggs was fined after 110 crashes.").ok
