"""Claims are claims: the claimant is the cited sentence's speaker, by name, with the role the article gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from summarizer import Article, Summarizer, Summary
from summarizer.attribution import People, Person, split_mention
from tests.conftest import sentence_of
from tests.fakes import FakeLLM

COURT = (
    "Prosecutors in Lyon charged a former bank manager with fraud on Tuesday.\n"
    "District prosecutor Claire Vasseur said the accused had moved 4 million euros through shell companies.\n"
    "“This was not a mistake, it was a plan carried out over six years,” Vasseur told the court.\n"
    "The defence lawyer, Marc Olier, said his client denied every charge.\n"
    "“My client has cooperated from the first day and will be cleared,” he said.\n"
    "Moderna’s chief executive said the company would not comment.\n"
    "Shares of the bank fell 3% after the hearing, according to Reuters.\n"
    "Police searched the bank's offices in March, according to court papers.\n"
    "Both Olier and Vasseur met the judge on Wednesday. “We will appeal,” he said.\n"
)


def run(text: str, claims: list[dict[str, Any]]) -> Summary:
    llm = FakeLLM([{"claims": claims, "timeline": []}])
    return Summarizer(llm=llm, tasks=["claims", "timeline"]).summarize(
        Article(text=text, published_at=dt.date(2025, 4, 18))
    )


@pytest.mark.parametrize(
    ("words", "person"),
    [
        ("U.S. Secretary of State Marco Rubio", Person("Marco Rubio", "U.S. Secretary of State")),
        ("Kremlin spokesman Dmitry Peskov", Person("Dmitry Peskov", "Kremlin spokesman")),
        ("District prosecutor Claire Vasseur", Person("Claire Vasseur", "District prosecutor")),
        ("Ukrainian Economy Minister Yuliia Svyrydenko", Person("Yuliia Svyrydenko", "Ukrainian Economy Minister")),
        ("Saudi Arabia", Person("Saudi Arabia", None)),
        ("Ukrainian officials", None),  # a group, no name
        ("Moderna’s chief executive", None),  # a possessive and a title, no name
        ("Reuters", None),  # an outlet reports; it is not the speaker
    ],
)
def test_a_mention_splits_into_name_and_role(words: str, person: Person | None) -> None:
    assert split_mention(words.split()) == person


def test_people_know_the_full_name_and_role_from_the_first_mention() -> None:
    people = People(COURT)
    assert people.known(Person("Vasseur", None)) == Person("Claire Vasseur", "District prosecutor")
    assert people.known(Person("Olier", None)).name == "Marc Olier"


def test_deterministic_claims_name_the_speaker_resolve_he_and_skip_outlets_and_possessives() -> None:
    s = run(COURT, [])
    claims = [(c.claimant, c.role, c.quote or c.claim) for c in s.claims]
    assert (
        "Claire Vasseur",
        "District prosecutor",
        "This was not a mistake, it was a plan carried out over six years,",
    ) in claims
    # "he said" after a sentence naming only Olier is Olier's
    assert (
        "Marc Olier",
        "defence lawyer",
        "My client has cooperated from the first day and will be cleared,",
    ) in claims
    # reported without quote marks: still a claim by its named speaker
    assert any(
        c.claimant == "Claire Vasseur" and c.claim.startswith("The accused had moved 4 million euros") for c in s.claims
    )
    assert any(c.claimant == "Marc Olier" and c.claim == "His client denied every charge" for c in s.claims)
    names = {c.claimant for c in s.claims}
    assert not names & {"Reuters", "Moderna’s", "Moderna", "He", "he", "Police"}
    # "he" after a sentence naming two people is not guessed: set aside, and said so
    assert not any(c.quote == "We will appeal," for c in s.claims)
    assert any("speaker is unclear" in w and "Olier" in w and "Vasseur" in w for w in s.warnings)


def test_the_models_pronoun_claimant_becomes_the_named_speaker() -> None:
    he = sentence_of(COURT, "will be cleared")
    s = run(COURT, [{"who": "He", "role": "", "claim": "The client will be cleared.", "cite": he}])
    [claim] = [c for c in s.claims if c.claim == "The client will be cleared."]
    assert (
        claim.claimant == "Marc Olier"
        and claim.quote == "My client has cooperated from the first day and will be cleared,"
    )


def test_an_entity_the_sentence_only_mentions_is_not_the_claimant() -> None:
    vasseur = sentence_of(COURT, "moved 4 million euros")
    s = run(COURT, [{"who": "shell companies", "role": "", "claim": "Money was moved.", "cite": vasseur}])
    [claim] = [c for c in s.claims if c.claim == "Money was moved."]
    assert (claim.claimant, claim.role) == ("Claire Vasseur", "District prosecutor")
    assert any("speaker is 'Claire Vasseur', not 'shell companies'" in w for w in s.warnings)


@pytest.mark.parametrize(
    ("needle", "who"),
    [
        ("charged a former bank manager", "Prosecutors"),  # an event, not a statement
        ("according to Reuters", "Reuters"),  # an outlet the sentence only cites
        ("Moderna’s chief executive", "Moderna’s"),  # a possessive, no named speaker
    ],
)
def test_claims_without_a_named_speaker_are_set_aside(needle: str, who: str) -> None:
    cite = sentence_of(COURT, needle)
    s = run(COURT, [{"who": who, "role": "", "claim": "A claim.", "cite": cite}])
    assert not any(c.claim == "A claim." for c in s.claims)
    assert any("Set aside a claim" in w for w in s.warnings)


def test_the_role_comes_from_the_article_not_the_model(seed_000: Article) -> None:
    peskov = sentence_of(seed_000.text, "Peskov told reporters")
    draft = {"claims": [{"who": "Peskov", "role": "Russian leader", "claim": "Russia is open.", "cite": peskov}]}
    llm = FakeLLM([{**draft, "timeline": []}])
    s = Summarizer(llm=llm, tasks=["claims", "timeline"]).summarize(seed_000)
    assert (s.claims[0].claimant, s.claims[0].role) == ("Dmitry Peskov", "Kremlin spokesman")


TABLOID = (
    "Actress Julia Marten has revealed that her new role was inspired by her mother.\n"
    "‘I’ve said all along that it is not about me, it is about the family,’ Julia said.\n"
    "The film was shot in Leeds, according to People’s Daily Online.\n"
    "As one Eritrean told the journal last year: ‘People were travelling because it was the only way.’\n"
    "Mr Marten, her husband, said the family had not been told of the plans.\n"
)


def test_single_quotes_first_names_publications_and_unnamed_people() -> None:
    s = run(TABLOID, [])
    quoted = {(c.claimant, c.quote) for c in s.claims if c.quote}
    # a ’ before a letter is an apostrophe, so the quotation runs to its real close
    assert ("Julia Marten", "I’ve said all along that it is not about me, it is about the family,") in quoted
    names = {c.claimant for c in s.claims}
    assert not names & {"I’ve", "Julia", "Daily Online", "People’s Daily Online", "Eritrean"}


def test_a_clause_keeps_its_thousands() -> None:
    text = "The survey of 2,012 people, carried out by the bank in March, found that most planned to retire early.\n"
    s = run(text, [])
    [event] = s.timeline
    assert "2,012 people" in event.event or event.event.startswith("The survey of 2,012")


def test_he_said_is_the_subject_before_not_a_name_on_a_broken_line(seed_001: Article) -> None:
    # Seed 001 breaks "... after meeting Italian Prime Minister" / "Giorgia Meloni in Rome." over two lines.
    llm = FakeLLM([{"claims": [], "timeline": []}])
    s = Summarizer(llm=llm, tasks=["claims", "timeline"]).summarize(seed_001)
    [vance] = [c for c in s.claims if c.quote and c.quote.startswith("We feel hopeful")]
    assert (vance.claimant, vance.role) == ("JD Vance", "U.S. Vice President")
    assert not any(c.claimant == "Giorgia Meloni" for c in s.claims)
