"""The derived rules and context rules of the number and quote checks, one synthetic text each."""

from __future__ import annotations

import pytest

from summarizer.validate import Finding, ValidationReport, check, read_numbers


def finding(report: ValidationReport, text: str) -> Finding:
    hits = [f for f in report.findings if f.text == text]
    assert len(hits) == 1, report.findings
    return hits[0]


# --- derived: vague plurals ----------------------------------------------------------------------------------------

VAGUE = (
    "The council failed to meet its target of cutting the waiting list to the tens of thousands. "
    "Latest figures show 298,000 people are still waiting."
)


def test_vague_upper_bound_is_derived() -> None:
    f = finding(check(VAGUE, "The waiting list is 298,000, despite a pledge to cut it to under 100,000."), "100,000")
    assert f.status == "derived"
    assert "tens of thousands" in f.reason
    assert f.source_spans and f.source_spans[0].text == "tens of thousands"


def test_vague_wrong_bound_is_unsupported() -> None:
    f = finding(check(VAGUE, "The waiting list is 298,000, despite a pledge to cut it to under 50,000."), "50,000")
    assert f.status == "unsupported"


def test_vague_lower_bound_with_more_than() -> None:
    src = "Hundreds of volunteers cleaned the beach on Sunday."
    assert finding(check(src, "More than 100 volunteers cleaned the beach."), "100").status == "derived"
    assert finding(check(src, "More than 500 volunteers cleaned the beach."), "500").status == "unsupported"


# --- derived: ordinal to cardinal ----------------------------------------------------------------------------------


def test_ordinal_implies_count() -> None:
    src = "Maria wrote an angry review of the garage after her tenth unsuccessful trip to have the roof fixed."
    f = finding(check(src, "Maria wrote the review after 10 visits to the garage."), "10")
    assert f.status == "derived"
    assert "tenth" in f.reason and f.source_spans[0].text == "tenth"
    assert finding(check(src, "Maria wrote the review after 12 visits to the garage."), "12").status == "unsupported"


def test_ordinal_birthday_gives_age() -> None:
    src = "Tom Reed, 24, weighed 15st before his 15th birthday and later went on a strict diet."
    report = check(src, "Tom was 15st by the age of 15 but went on a diet.")
    assert report.ok, report.errors()


# --- derived: a year from a year and a duration --------------------------------------------------------------------


def test_year_plus_duration_in_one_sentence() -> None:
    src = "The mayor, who took office in 1990, held six banquets during eight years in office."
    f = finding(check(src, "The mayor left office in 1998 having held six banquets."), "1998")
    assert f.status == "derived"
    assert [s.text for s in f.source_spans] == ["1990", "eight"]
    assert finding(check(src, "The mayor left office in 1999."), "1999").status == "unsupported"


# --- context: the noun a number quantifies -------------------------------------------------------------------------

STATUES = (
    "The island is known for its stone statues. All but 40 of the statues were carved from volcanic ash. "
    "Researchers modelled how the red hats were raised. An estimated 90 hats have been found so far."
)


def test_head_noun_rival_overrules_presence() -> None:
    f = finding(check(STATUES, "Some 40 hats have been found on the island."), "40")
    assert f.status == "unsupported"
    assert "90" in f.reason


def test_head_noun_match_is_supported() -> None:
    assert check(STATUES, "Some 90 hats have been found on the island.").ok


def test_age_does_not_support_a_count() -> None:
    src = "The 26 year old has been collecting watches since his teens. He now owns 16 expensive watches."
    assert finding(check(src, "The reality star has 26 watches in his collection."), "26").status == "unsupported"
    assert check(src, "The reality star has 16 watches in his collection.").ok


def test_name_apposition_age() -> None:
    src = (
        "Jane Roe's daughter Amy, 12, was sent messages by a man pretending to be a 17-year-old boy. "
        "Police said no offence had been committed."
    )
    assert finding(check(src, "Amy Roe, 17, was targeted by an online predator."), "17").status == "unsupported"
    assert check(src, "Amy Roe, 12, was targeted by an online predator.").ok


# --- context: what may not overrule presence -----------------------------------------------------------------------


def test_rival_value_stated_in_the_same_output_sentence() -> None:
    src = (
        "Their mother, who works two jobs to keep the family afloat, was not home. "
        "The fire came one day after their mother, 38, set up an appeal for a new home."
    )
    assert check(src, "Their mother, 38, was working one of her two jobs.").ok


def test_rival_in_another_currency_does_not_compete() -> None:
    src = (
        "The champion will earn $170m (£111m). His opponent could bank almost $95m (£62m) for the fight. "
        "In 2013 the champion collected a total close to $140m (£91m) for one fight."
    )
    assert check(src, "The opponent could earn close to £62m from the fight.").ok


def test_shared_figures_keep_the_candidate() -> None:
    src = (
        "The singer's wealth grew to £340million, leaving her at number 302 - down from 285 in 2014. "
        "The businessman was ranked 101 in the Rich List for his fortune."
    )
    assert check(src, "The singer ranked 302 on the Rich List - slipping from 285 in 2014.").ok


# --- decades -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("like in the 60s", 1960.0), ("a 50s kitchen", 1950.0)])
def test_short_decade(text: str, value: float) -> None:
    (n,) = read_numbers(text)
    assert (n.kind, n.value) == ("decade", value)


def test_age_decade_stays_an_age() -> None:
    (n,) = read_numbers("people in their 20s")
    assert n.kind == "age"


def test_short_decade_checked_against_full_decade() -> None:
    src = "I know it is kitsch but that's why I love the 1960s. It is all the stresses of 2015 melting away."
    assert check(src, "She switches on a record player like in the 60s.").ok


# --- quotes: fragments versus quotations ---------------------------------------------------------------------------

QUOTES = (
    "The singer is being sued by a woman who claims she stole her pet hen, a chicken called Daisy, as a child. "
    "'I will keep singing as long as I have the motivation to do so,' the singer said."
)


def test_fragment_with_source_words_is_derived() -> None:
    f = finding(
        check(QUOTES, "The woman claims the singer 'stole her pet chicken' as a child."), "stole her pet chicken"
    )
    assert f.kind == "quote" and f.status == "derived"
    assert "fragment" in f.reason
    assert [s.text for s in f.source_spans] == ["stole", "pet", "chicken"]


def test_fragment_with_new_words_is_unsupported() -> None:
    f = finding(check(QUOTES, "The woman claims the singer 'stole her pet goat' as a child."), "stole her pet goat")
    assert f.status == "unsupported"


def test_paraphrased_quotation_stays_unsupported() -> None:
    text = "The singer said she 'will keep singing as long as I have motivation' in future."
    f = finding(check(QUOTES, text), "will keep singing as long as I have motivation")
    assert f.status == "unsupported"


# --- fractions, ratios, "one", names, modifiers, dates tied to events ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("Two-thirds of voters", 2 / 3), ("one-half of the staff", 0.5), ("three quarters of the fans", 0.75),
     ("a third of the budget", 1 / 3)],
)  # fmt: skip
def test_fraction_words_are_read(text: str, value: float) -> None:
    [n] = read_numbers(text)
    assert n.kind == "fraction"
    assert n.value == pytest.approx(value)


def test_ordinals_and_spaced_denominators_without_of_are_not_fractions() -> None:
    assert [n.kind for n in read_numbers("the third quarter")] == ["ordinal"]


FATHERS = "Two-thirds of new fathers are now over 30, a survey of 2,000 parents found."


def test_changed_fraction_is_unsupported() -> None:
    assert finding(check(FATHERS, "Two-thirds of new fathers are over 30."), "Two-thirds").status == "supported"
    assert finding(check(FATHERS, "One-half of new fathers are over 30."), "One-half").status == "unsupported"


RATIO = (
    "Police said one in 12 lorry drivers tested positive for drugs at the roadside. "
    "Many drivers work for up to 16 hours a day, the union said."
)


def test_ratio_is_checked_as_one_figure() -> None:
    assert check(RATIO, "One in 12 lorry drivers tested positive, police said.").ok
    f = finding(check(RATIO, "Police said 1 in 16 lorry drivers tested positive."), "16")
    assert f.status == "unsupported"
    assert "ratio" in f.reason and "one in 12" in f.reason


def test_a_ratio_is_checked_as_usual_when_the_source_has_none() -> None:
    source = "Of the 16 drivers stopped, one was over the limit."
    assert finding(check(source, "One in 16 drivers was over the limit."), "16").status == "supported"


CREW = "Officers arrested one Portuguese and two Dutch sailors on board the yacht."


def test_one_counting_what_the_source_counts_otherwise_is_unsupported() -> None:
    assert check(CREW, "Officers arrested one Portuguese and two Dutch sailors.").ok
    report = check(CREW, "Officers arrested one Portuguese and one Dutch sailor.")
    [f] = report.errors()
    assert f.text == "one"
    assert "'two'" in f.reason


def test_one_as_a_pronoun_or_singular_mention_is_not_reported() -> None:
    source = "A Dutch sailor and two Dutch sailors' wives were questioned."
    assert check(source, "One Dutch sailor was questioned.").ok
    assert check(CREW, "One of them was questioned.").ok


NAMES = "Tom Baxter, 11, was found after four nights in the bush. The 11-year-old boy was dehydrated."


def test_age_given_to_a_name_the_source_never_mentions_is_unsupported() -> None:
    assert check(NAMES, "Tom Baxter 11, was found after four nights.").ok
    f = finding(check(NAMES, "Sean Murphy 11, was found after four nights."), "11")
    assert f.status == "unsupported"
    assert "Sean Murphy" in f.reason


PREFIXED = "Johnny McGurk, 49, appeared in court. Colleen O'Neill, 43, and Ann Smith-Jones, 51, gave evidence."


@pytest.mark.parametrize(
    ("summary", "age"),
    [
        ("Johnny McGurk, 49, was in court.", "49"),
        ("Colleen O'Neill, 43, spoke.", "43"),
        ("Ann Smith-Jones, 51, spoke.", "51"),
    ],
)
def test_names_with_a_prefix_or_hyphen_are_read_whole(summary: str, age: str) -> None:
    # Read from inside "McGurk", the name was "Gurk", which the source never mentions: a false alarm.
    assert finding(check(PREFIXED, summary), age).status == "supported"


@pytest.mark.parametrize("summary", ["Ian MacGurk, 49, was in court.", "Mary O'Brien, 43, spoke."])
def test_prefixed_names_the_source_never_mentions_are_still_caught(summary: str) -> None:
    f = finding(check(PREFIXED, summary), summary.split(", ")[1])
    assert f.status == "unsupported"
    assert summary.split(",")[0] in f.reason


CONTRACT = (
    "Almost three years after nearly leaving Liverpool, Jordan Henderson has been rewarded with a new five-year "
    "£100,000-a-week contract. The England midfielder is hoping to add to his trophy cabinet."
)


def test_measure_as_modifier_is_not_supported_by_a_span_of_time() -> None:
    ok = check(CONTRACT, "Jordan Henderson has signed a new five-year deal at Anfield.")
    assert finding(ok, "five-year").status == "supported"
    bad = check(CONTRACT, "Jordan Henderson has signed a new three-year deal at Anfield.")
    assert finding(bad, "three-year").status == "unsupported"


MIGRATION = (
    "Net long-term migration to the country was estimated at 298,000 in the year to September, a major rise on "
    "the 210,000 figure a year earlier. The minister said the pledge still stood."
)


def test_rival_in_the_same_sentence_wins_when_best_has_no_neighbour_in_the_output() -> None:
    ok = check(MIGRATION, "Net migration at 298,000, despite the minister's pledge to cut it.")
    assert finding(ok, "298,000").status == "supported"
    bad = check(MIGRATION, "Net migration at 210,000, despite the minister's pledge to cut it.")
    assert finding(bad, "210,000").status == "unsupported"
    earlier = check(MIGRATION, "Migration rose from a 210,000 figure a year earlier.")
    assert finding(earlier, "210,000").status == "supported"


ARREST = (
    "The man was arrested by police in the early hours of April 12 outside a shop. "
    "Protesters gathered at city hall on Saturday. "
    "His funeral will be held next week, the family said."
)


def test_date_standing_only_in_an_unrelated_sentence_is_unsupported() -> None:
    assert finding(check(ARREST, "He was arrested by police on April 12."), "April 12").status == "supported"
    f = finding(check(ARREST, "Can they be held liable for his death on April 12?"), "April 12")
    assert f.status == "unsupported"
    assert "unrelated" in f.reason


# --- derived: conversions between measures -------------------------------------------------------------------------

MEASURES = (
    "The trail runs for 5 miles along the coast. The bridge is 300 feet long. He weighed 200lb. The car hit 70mph."
)


@pytest.mark.parametrize(
    ("summary", "text"),
    [("The trail is 8km long.", "8km"), ("The bridge is about 90 metres long.", "90"),
     ("The bridge is 91.4 metres long.", "91.4"), ("He weighed 91kg.", "91kg"), ("The car hit 113km/h.", "113km/h")],
)  # fmt: skip
def test_measure_conversion_is_derived(summary: str, text: str) -> None:
    f = finding(check(MEASURES, summary), text)
    assert f.status == "derived"
    assert "in the source is" in f.reason and f.source_spans


@pytest.mark.parametrize(
    ("summary", "text"),
    [("The trail is 10km long.", "10km"), ("The bridge is 100 metres long.", "100"), ("He weighed 110kg.", "110kg"),
     ("The car hit 130km/h.", "130km/h"), ("The trail is 8kg heavy.", "8kg")],
)  # fmt: skip
def test_wrong_or_cross_dimension_conversion_is_unsupported(summary: str, text: str) -> None:
    assert finding(check(MEASURES, summary), text).status == "unsupported"


def test_km_per_hour_is_a_speed() -> None:
    speeds = [(n.text, n.unit) for n in read_numbers("at 112km/h, then 5km/hour")]
    assert speeds == [("112km/h", "kmh"), ("5km/hour", "kmh")]


# --- a named person's age, a figure's bound ------------------------------------------------------------------------

VICTIMS = (
    "The blast killed Martin Richard, 8, and injured his sister. "
    "It also killed Lingzi Lu, 23, a graduate student from China."
)


def test_an_age_given_to_a_name_the_source_ages_otherwise_is_unsupported() -> None:
    f = finding(check(VICTIMS, "The bomb killed 23-year-old Martin Richard."), "23-year-old")
    assert f.status == "unsupported" and "'8'" in f.reason
    # The age the source gives that name, written before it, is supported; so is the other victim's.
    assert check(VICTIMS, "The bomb killed 8-year-old Martin Richard.").ok
    assert check(VICTIMS, "The blast also killed 23-year-old Lingzi Lu.").ok


HOMES = (
    "Crowds watched as the police arrived. The crash injured more than 40 people. "
    "The mayor said under 270 homes were damaged."
)


def test_a_figure_bounded_the_other_way_is_unsupported() -> None:
    f = finding(check(HOMES, "The storm damaged over 270 homes, the mayor said."), "270")
    assert f.status == "unsupported" and "under 270" in f.reason
    # A bound on the same side, or a bound dropped, still stands.
    assert check(HOMES, "The storm damaged nearly 270 homes, the mayor said.").ok
    assert check(HOMES, "The storm damaged 270 homes, the mayor said.").ok
    assert check(HOMES, "The crash injured over 40 people.").ok


# --- context: a count of another noun -------------------------------------------------------------------------------

GAME = (
    "Okafor had 18 points, 10 of which came in the first half. Kaminsky led Wisconsin with 20 points and 11 "
    "rebounds. Valentine finished with a game-high 11 rebounds. Wisconsin, of the Big Ten, won by 12."
)


def test_a_count_of_a_noun_the_source_counts_otherwise_is_unsupported() -> None:
    # The source's 10 counts points ("10 of which"); it counts rebounds as 11, never as 10.
    f = finding(check(GAME, "Okafor had 18 points and 10 rebounds."), "10")
    assert f.status == "unsupported"
    assert f.reason.startswith("\"10 rebounds\": the source counts rebounds as '11'") and "never as 10" in f.reason
    # The figure the source gives that noun stands; so does the source's own wording.
    assert check(GAME, "Kaminsky had 20 points and 11 rebounds.").ok
    assert check(GAME, "Okafor scored 18 points, 10 of them in the first half.").ok


def test_a_paraphrase_of_what_a_figure_counts_is_not_another_count() -> None:
    cruise = "An illness has gripped 100 people on the cruise ship. Of the ship's 2,117 passengers, 95 were ill."
    assert check(cruise, "Illness struck 100 passengers on the ship.").ok  # "people" names any passengers
    ebola = "The virus has infected 25,000. More than 10,000 have not survived, of 19 confirmed deaths in April."
    assert check(ebola, "The virus caused more than 10,000 deaths.").ok  # a bare figure may count what the output names
    shaw = "Shaw has played 19 times for United this season. He was banned for the next four games."
    assert check(shaw, "Shaw has played only 19 games for United this season.").ok  # "19 times" is 19 games


# --- context: the dead are not the injured --------------------------------------------------------------------------

TOLL = (
    "More than 500 rebels have been killed. The health ministry said 385 civilians have been killed. The WHO has put "
    "higher figures on both tolls -- 648 killed and 2,191 wounded."
)


def test_a_toll_of_the_dead_given_as_the_injured_is_unsupported() -> None:
    f = finding(check(TOLL, "The WHO counts 648 injured."), "648")
    assert f.status == "unsupported" and f.source_spans == []
    assert f.reason.startswith("\"648 injured\": in the source '648' is the other toll")
    # Rounding does not carry a figure across tolls either.
    assert finding(check(TOLL, "The WHO says 648 killed and nearly 700 injured."), "700").status == "unsupported"
    # The same toll in other words stands.
    assert check(TOLL, "The WHO counts 648 dead and 2,191 injured.").ok
    assert finding(check(TOLL, "The WHO says nearly 700 dead."), "700").status == "derived"
