"""The verdict on each figure as a reader sees it: its status, its reason word for word (the excerpts it quotes),
its confidence and the source spans it cites, for each rule of summarizer/validate/check.py."""

from __future__ import annotations

import pytest

from summarizer.validate import Finding, ValidationReport, check
from summarizer.validate.context import analyse, prepare_source
from summarizer.validate.fit import fit
from tests.test_validate_check import ARTICLE


def numbers(report: ValidationReport) -> list[Finding]:
    """The number and date findings of a report, in output order."""
    return [f for f in report.findings if f.kind in ("number", "date")]


def figure(source: str, summary: str) -> Finding:
    """The one number or date finding of ``summary`` checked against ``source``."""
    [f] = numbers(check(source, summary))
    return f


def spans(f: Finding) -> list[tuple[int, str]]:
    """The source spans of a finding as (start, text)."""
    return [(s.start, s.text) for s in f.source_spans]


def test_a_text_checked_alone_is_reported_as_the_field_text() -> None:
    f = figure(ARTICLE, "The storm killed 20 people.")
    assert f.field == "text" and f.status == "supported"


def test_a_date_is_reported_as_a_date_and_the_year_in_it_as_a_number() -> None:
    date = figure(ARTICLE, "The cover appeared on May 29, 1943.")
    assert (date.kind, date.status, spans(date)) == ("date", "supported", [(236, "May 29, 1943")])
    year = figure(ARTICLE, "The cover appeared in 1943.")
    assert (year.kind, year.status, spans(year)) == ("number", "supported", [(236, "May 29, 1943")])


def test_a_count_equal_to_the_year_of_a_source_date_is_not_supported_by_it() -> None:
    f = figure(ARTICLE, "The museum had 1943 visitors.")
    assert (f.status, f.reason) == ("unsupported", '"1943" does not appear in the source')


def test_a_decade_is_derived_from_a_year_inside_a_source_date() -> None:
    f = figure(ARTICLE, "The cover appeared in the 1940s.")
    assert (f.status, f.reason, spans(f)) == (
        "derived",
        "'May 29, 1943' in the source is in the 1940s",
        [(236, "May 29, 1943")],
    )


# -- supported: the best source figure ---------------------------------------------------------------------------

TWELVE = "The council hired 12 teachers in March. The storm injured 12 people in the town."


def test_the_reason_quotes_the_source_figure_that_fits_best_and_cites_it_alone() -> None:
    f = figure(TWELVE, "The storm injured 12 people.")
    assert f.reason == "found in source: '…s in March. The storm injured 12 people in the town.'"
    assert (spans(f), f.confidence) == ([(58, "12")], 1.0)


def test_a_source_figure_that_fits_less_well_is_not_cited() -> None:
    f = figure(TWELVE.replace("teachers", "people"), "The storm injured 12 people.")
    assert f.reason == "found in source: '…e in March. The storm injured 12 people in the town.'"
    assert spans(f) == [(56, "12")]


def test_at_most_three_equally_fitting_source_figures_are_cited() -> None:
    source = "Team A scored 3 goals. Team B scored 3 goals. Team C scored 3 goals. Team D scored 3 goals."
    f = figure(source, "A team scored 3 goals.")
    assert spans(f) == [(14, "3"), (37, "3"), (60, "3")]
    assert f.reason == "found in source: 'Team A scored 3 goals. Team B scored 3 goals.…'"


@pytest.mark.parametrize(
    ("summary", "text"),
    [("The cover appeared in 1943.", "May 29, 1943"), ("A painting sold for $4.96 million.", "$4.96 million")],
)
def test_a_figure_without_a_head_noun_scores_its_context_fit_to_three_decimals(summary: str, text: str) -> None:
    src, out = prepare_source(ARTICLE), analyse(summary)
    o = out.nums[0]
    best = max(fit(o, out, c, src, frozenset()) for c in [*src.nums, *src.years] if c.num.text == text)
    f = figure(ARTICLE, summary)
    assert not o.head and 0.0 < best < 1.0
    assert f.status == "supported" and f.confidence == round(best, 3) != best


# -- ranges -----------------------------------------------------------------------------------------------------------


def test_a_range_is_unsupported_when_its_high_end_is_not_in_the_source() -> None:
    f = figure(ARTICLE, "The storm killed 20 to 40 people.")
    assert (f.status, f.reason, f.confidence) == ("unsupported", '"20 to 40" does not appear in the source', 0.0)


def test_an_unsupported_range_cites_no_source_span_for_its_supported_end() -> None:
    # The report shows a finding's first source span as "source:": for an unsupported range, the passage of its
    # supported end would read as the evidence for the whole range.
    source = "Some 20 volunteers came on Monday to the hall."
    f = figure(source, "From 20 to 30 volunteers came to the hall.")
    assert (f.status, f.source_spans) == ("unsupported", [])


def test_a_range_whose_ends_stand_apart_in_the_source_quotes_both() -> None:
    source = "Some 20 volunteers came on Monday and 30 came on Tuesday to the hall."
    f = figure(source, "From 20 to 30 volunteers came to the hall.")
    assert f.status == "supported" and spans(f) == [(5, "20"), (38, "30")]
    assert f.reason == (
        "found in source: 'Some 20 volunteers came on Monday and…'; "
        "found in source: '…volunteers came on Monday and 30 came on Tuesday to the hall.'"
    )


# -- unsupported: each rule says why, with confidence 0 -------------------------------------------------------------


def test_a_figure_the_source_does_not_hold_says_so() -> None:
    f = figure(ARTICLE, "The storm killed 21 people.")
    assert (f.status, f.reason, f.confidence, f.source_spans) == (
        "unsupported",
        '"21" does not appear in the source',
        0.0,
        [],
    )


def test_an_age_for_a_name_the_source_never_mentions_names_it() -> None:
    source = "Tom Baxter, 11, was found after four nights in the bush. The 11-year-old boy was dehydrated."
    f = numbers(check(source, "Sean Murphy 11, was found after four nights."))[0]
    assert (f.text, f.status, f.confidence, f.source_spans) == ("11", "unsupported", 0.0, [])
    assert f.reason == "\"11\" is given as the age of a name the source never mentions ('Sean Murphy')"


def test_an_age_the_source_gives_otherwise_quotes_the_source_age() -> None:
    source = "Martin Richard, 8, was among the victims of the blast on the street."
    f = figure(source, "23-year-old Martin Richard was among the victims.")
    assert (f.status, f.confidence) == ("unsupported", 0.0)
    assert (
        f.reason
        == "\"23-year-old\": the source gives that age as '8' ('Martin Richard, 8, was among the victims of the…')"
    )


def test_a_ratio_the_source_does_not_give_quotes_the_ratios_it_gives() -> None:
    f = figure("One in 10 adults smokes, and up to 16 hours a day are lost.", "One in 16 adults smokes.")
    assert (f.text, f.status, f.confidence) == ("16", "unsupported", 0.0)
    assert f.reason == "the ratio \"1 in 16\" is not in the source, which gives 'One in 10'"


def test_one_that_the_source_counts_otherwise_quotes_the_source_count() -> None:
    summary = "Officers arrested one Portuguese and one Dutch sailor on board the yacht."
    [f] = check("Officers arrested one Portuguese and two Dutch sailors on board the yacht.", summary).errors()
    assert f.reason == (
        "\"one Dutch sailor\": the source counts them as 'two' "
        "('…s arrested one Portuguese and two Dutch sailors on board the ya…')"
    )
    assert (f.kind, f.text, f.value, f.confidence, f.source_spans) == ("number", "one", 1.0, 0.0, [])
    assert f.span is not None and (f.span.start, f.span.end, f.span.text) == (37, 40, "one")


ARREST = (
    "The man was arrested by police in the early hours of April 12 outside a shop. "
    "Protesters gathered at city hall on Saturday. "
    "His funeral will be held next week, the family said."
)


def test_a_date_only_in_an_unrelated_sentence_quotes_that_sentence() -> None:
    f = figure(ARREST, "Can they be held liable for his death on April 12?")
    assert (f.status, f.confidence) == ("unsupported", 0.0)
    assert f.reason == (
        '"April 12" stands in the source only in an unrelated sentence '
        "('…ed by police in the early hours of April 12 outside a shop. Protesters gathere…')"
    )


def test_a_clock_time_only_in_an_unrelated_sentence_is_unsupported() -> None:
    source = ARREST.replace("in the early hours of April 12", "shortly before 3am")
    f = figure(source, "Can they be held liable for his death at 3am?")
    assert (f.status, f.confidence) == ("unsupported", 0.0)
    assert f.reason.startswith('"3am" stands in the source only in an unrelated sentence (\'…arrested by police')


MIGRATION = (
    "Net long-term migration to the country was estimated at 298,000 in the year to September, a major rise on "
    "the 210,000 figure a year earlier. The minister said the pledge still stood."
)


def test_a_figure_in_another_context_quotes_it_and_the_rival_of_this_context() -> None:
    f = figure(MIGRATION, "Net migration at 210,000 was estimated in the year to September.")
    assert (f.status, f.confidence, f.source_spans) == ("unsupported", 0.0, [])
    assert f.reason == (
        '"210,000" appears in the source only in another context '
        "('…to September, a major rise on the 210,000 figure a year earlier. The ministe…'); in this context the "
        "source has '298,000' ('…on to the country was estimated at 298,000 in the year to September, a major…')"
    )


def test_a_figure_bounded_the_other_way_quotes_the_source_bound() -> None:
    f = figure(
        "Fewer than 270 delegates voted for the plan at the meeting.", "More than 270 delegates voted for the plan."
    )
    assert (f.status, f.confidence, f.source_spans) == ("unsupported", 0.0, [])
    assert (
        f.reason
        == "\"more than 270\" bounds it the other way: the source says 'Fewer than 270 delegates voted for the…'"
    )
