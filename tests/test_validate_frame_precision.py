"""Frame checks on what annotators of LLM summaries judged faithful: a negator or hedge of the source that bears on
another clause, another statement or a hypothetical is no frame the output drops or adds."""

from __future__ import annotations

from summarizer.validate import check


def frame_kinds(source: str, text: str) -> list[str]:
    return [f.kind for f in check(source, text).errors() if f.kind in ("certainty", "negation")]


def test_the_same_word_in_another_statement_keeps_no_negation() -> None:
    src = (
        "The driver gestured to the detective to use his blinker after he was attempting to park without using it. "
        "The detective is irate and yells at the driver."
    )
    assert frame_kinds(src, "The detective is irate, using expletives towards the driver.") == []


def test_a_negated_place_is_not_another_place() -> None:
    src = "Butler does not currently live in California. She resides in Maryland and owns a home in California."
    assert frame_kinds(src, "Butler lives in Maryland and owns a home in California.") == []


def test_a_negation_in_a_condition_asserts_nothing() -> None:
    src = "The cyclist turned down offers of a new bike, vowing to walk home if he couldn't be reunited with his bike."
    out = "The cyclist turned down offers of a new bike and wanted to be reunited with his bike."
    assert frame_kinds(src, out) == []


def test_the_same_statement_still_drops_its_negation() -> None:
    src = "Officials did not attend the talks in London on Thursday, the ministry said."
    assert frame_kinds(src, "Officials attended the talks in London on Thursday.") == ["negation"]


def test_not_the_first_time_is_no_negation() -> None:
    src = "Police investigated an incident in 2014 in which West was accused of assaulting a man at an office."
    assert frame_kinds(src, "It is not the first time West has been accused of assaulting a man.") == []


def test_a_negative_noun_and_an_open_clause_support_a_negation() -> None:
    src = "Finn was found guilty in 2012 of failure to report suspected child abuse in his diocese."
    assert frame_kinds(src, "Finn was found guilty of having failed to report suspected child abuse.") == []
    src = "Lee will stay in his official role until President Park accepts his resignation, his office said."
    assert frame_kinds(src, "President Park has not yet accepted his resignation.") == []


def test_an_adverb_of_degree_is_no_hedge_but_a_modal_is() -> None:
    src = "Tonee was last seen wearing possibly a black jacket and gray pants. The company may shut the Ohio factory."
    assert frame_kinds(src, "Tonee was last seen wearing a black jacket and gray pants.") == []
    assert frame_kinds(src, "The company will shut the Ohio factory.") == ["certainty"]


def test_a_judgement_or_a_wish_is_no_plain_statement() -> None:
    src = "The new route through the icefall is longer but is expected to be safer for the climbers this year."
    assert frame_kinds(src, "Climbers take a new route through the icefall, deemed safer but longer.") == []


def test_a_hedged_verb_in_another_statement_is_no_certainty_drop() -> None:
    src = "The jury could have sentenced her to death. Instead the judge sentenced Arias to life in prison on Monday."
    assert frame_kinds(src, "Arias is sentenced to life in prison.") == []
    assert frame_kinds(src, "The jury sentenced her to death.") == ["certainty"]


def test_a_change_reversed_in_the_same_statement_of_a_wider_sentence() -> None:
    src = (
        "The blast tore through the crowd near the finish line. Celeste Corcoran lost both of her legs in the blast, "
        "her sister said. Doctors treated more than 260 people."
    )
    assert [f.kind for f in check(src, "Corcoran gained both of her legs in the blast.").errors()] == ["direction"]
    src = "McCubberry believes the rise of television and the internet has eclipsed the home-grown lingo."
    assert [
        f.kind for f in check(src, "McCubberry believes home-grown lingo is being lost to television.").errors()
    ] == []


def test_doubt_in_another_clause_leaves_an_added_negation_asserted() -> None:
    src = "Officials attended the talks in London on Thursday, which could resume next week, the ministry said."
    out = "Officials did not attend the talks in London on Thursday, which could resume next week."
    assert frame_kinds(src, out) == ["negation"]
    # Not knowing whether is doubt, not a negation; "probably not" is what "unlikely" says.
    src = "The airstrikes resumed on Monday, according to security officials in the capital."
    assert frame_kinds(src, "It is not known whether the airstrikes resumed on Monday.") == []
    src = "It is unlikely that Hillary Clinton or Bill Clinton would ever appear on the show."
    assert frame_kinds(src, "The show would draw guests, although probably not Hillary or Bill Clinton.") == []


def test_a_noun_of_report_or_a_description_keeps_a_claim_a_claim() -> None:
    src = "The pope installed Barros as bishop despite protesters' claims he was complicit in sexual abuse cases."
    out = "The pope installed Barros as bishop despite protests that he was complicit in sexual abuse cases."
    assert [f.kind for f in check(src, out).errors()] == []
    src = "Police said the girl was last seen on Monday. She reportedly has a mole on her nose and burns on her back."
    out = "The girl is described as having a mole on her nose and burns on her back."
    assert [f.kind for f in check(src, out).errors()] == []


def test_a_negation_is_read_past_an_adjunct_to_the_same_complement() -> None:
    # The window after a word counts content words: "in Ohio Friday" does not hide "to federal charges".
    src = (
        "A naturalized U.S. citizen pleaded not guilty in Ohio Friday to federal charges of providing material "
        "support to terrorists. Abdirahman Sheik Mohamud, 23, of Columbus, allegedly traveled to Syria."
    )
    out = "Abdirahman Sheik Mohamud, a naturalized US citizen, pleaded guilty to federal charges of providing support."
    assert frame_kinds(src, out) == ["negation"]
    assert frame_kinds(src, out.replace("pleaded guilty", "pleaded not guilty")) == []


def test_a_denied_change_is_no_change_either_way() -> None:
    src = "The NHS in England has not managed to control the cost of its pay bill, which has risen, figures show."
    out = "The NHS is failing to reduce the cost of its pay bill, according to new figures."
    assert [f.kind for f in check(src, out).errors()] == []
    # The change asserted the wrong way is still a direction finding.
    assert [f.kind for f in check(src, "The cost of the NHS pay bill has fallen, figures show.").errors()] == [
        "direction"
    ]


def test_a_negation_in_a_relative_clause_of_a_non_specific_noun_asserts_nothing() -> None:
    src = (
        "The American people deserve a leader who won't disrespect their intelligence, who won't pander to them, "
        "and who won't work to dismantle the progress we have made."
    )
    assert frame_kinds(src, "He disrespected the intelligence of the American people.") == []
    # Of a named person, the negation is a statement about them, and dropping it is still a finding.
    named = "Senator Paul, who won't disrespect their intelligence, spoke to the American people on Tuesday."
    assert frame_kinds(named, "Senator Paul disrespected the intelligence of the American people.") == ["negation"]


def kinds(source: str, text: str) -> list[str]:
    return [f.kind for f in check(source, text).errors()]


def test_a_negated_negative_verb_states_the_positive_the_source_words_plainly() -> None:
    src = "Churchill Downs invited John Sutton, 84, since he has attended every race for the past 76 years."
    assert kinds(src, "The 84-year-old Sutton hasn't missed a race in 76 years.") == []
    # A negation of a plain verb the source states is still added.
    assert kinds(src, "The 84-year-old Sutton hasn't attended a race in 76 years.") == ["negation"]


def test_a_semicolon_typed_for_the_apostrophe_still_makes_a_contraction() -> None:
    src = "Pepe climbs highest as the players that didn;t start in the Champions League trained on Wednesday."
    assert kinds(src, "Players that didn't start in the Champions League trained on Wednesday.") == []
    assert kinds(src, "Players that started in the Champions League trained on Wednesday.") == ["negation"]


def test_a_condition_reworded_with_without_is_kept() -> None:
    src = (
        "Greece's deputy finance minister said the loan would be repaid. It reported that the nation no longer has "
        "the funds to repay the debt unless the eurozone agrees to pay the next portion of its bail-out deal."
    )
    assert kinds(src, "It was reported the nation no longer has the funds to repay the debt without agreement.") == []
    assert kinds(src, "It was reported the nation no longer has the funds to repay the debt.") == ["certainty"]


def test_what_despite_introduces_is_the_reporters_fact_not_the_claim() -> None:
    src = (
        "Southampton striker Graziano Pelle insists his confidence and his form haven't been destroyed despite "
        "not scoring in the Premier League since December 20. He netted for Italy on Tuesday."
    )
    assert kinds(src, "Graziano Pelle hasn't scored in the Premier League since December 20.") == []
    # The claim itself stated as fact is still an attribution finding.
    assert kinds(src, "Graziano Pelle's confidence and form haven't been destroyed.") == ["attribution"]


def test_a_speaker_named_in_another_report_of_the_statement_is_not_another_speaker() -> None:
    src = (
        "Prosecutors said Stephen Delicino, 59, was killed in 2012 and Robert Haney, 56, died in 2013. "
        "Her lawyer argued there was no concrete evidence to rebut Monica's claims that she shot Delicino in "
        "self-defense or to show that Haney was alive when Monica shot him. "
        "'Being strange doesn't make her a murderer,' another defense lawyer told the jury. "
        "During the trial, Monica cross-examined the lead detective in the case, despite having her own defense team. "
        "Before deliberations, Monica stood up and asked for the chance to show jurors how she claimed she shot "
        "Delicino. 'I'd like to demonstrate how I shot him,' Monica said."
    )
    out = "Monica said she killed the first man, Stephen Delicino, out of self defense when he attacked her."
    assert kinds(src, out) == []
    # With no other report of the statement naming her, it is put in another speaker's mouth.
    first, rest = src.split(" Her lawyer")
    alone = first + " " + rest.split(" him. ", 1)[1]
    assert kinds(alone, out) == ["attribution"]
