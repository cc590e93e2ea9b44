"""Sentences are cut at sentence ends only: never inside an abbreviation or a date, and model lines keep "U.S."."""

from __future__ import annotations

import pytest

from summarizer.sentences import restore_abbreviations, split
from summarizer.validate.words import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The deal was signed on Jan. 5. 2024 in Kyiv. Then it ended.",
            ["The deal was signed on Jan. 5. 2024 in Kyiv."],
        ),
        ("On Dec. 5. 2022 it began. Later it ended.", ["On Dec. 5. 2022 it began."]),
        ("What role the U.S. might play is unclear. He left.", ["What role the U.S. might play is unclear."]),
        ("PARIS (AP)U.S. Secretary of State Marco Rubio spoke Friday. He left.", ["PARIS (AP)U.S. Secretary of State"]),
        ("He said it at 5 p.m. Friday. They left.", ["He said it at 5 p.m. Friday."]),
        ("Gov. Kathy Hochul and Sen. Chuck Schumer met. They left.", ["Gov. Kathy Hochul and Sen. Chuck Schumer met."]),
    ],
)
def test_never_cut_inside_an_abbreviation_or_a_date(text: str, expected: list[str]) -> None:
    first = split(text)[0].text
    assert first.startswith(expected[0].rstrip(".")) and len(split(text)) == 2


def test_initials_at_a_real_sentence_end_still_end_it() -> None:
    texts = [
        s.text
        for s in split("The firm was founded in the U.K. Since then it has grown. Talks with the U.S. The next round.")
    ]
    assert texts == [
        "The firm was founded in the U.K.",
        "Since then it has grown.",
        "Talks with the U.S.",
        "The next round.",
    ]


def test_offsets_stay_exact() -> None:
    text = "A deal on Jan. 5. 2024 was signed.\nThe U.S. left at 5 p.m. Friday. It was late."
    for s in split(text):
        assert text[s.start : s.end] == s.text


SOURCE = (
    "The summit also addressed postwar security guarantees for Ukraine, though Rubio declined to elaborate on "
    "what role the U.S. might play. The U.K. and France and Germany can help. J. Mansour reported."
)


@pytest.mark.parametrize(
    ("line", "restored"),
    [
        # the local model's own words in the story cassette: "U.S." cut to "U."
        (
            "Rubio declined to elaborate on what role the U. might play.",
            "Rubio declined to elaborate on what role the U.S. might play.",
        ),
        ("U. S. officials and the U. K. agree", "U.S. officials and the U.K. agree"),
        ("J. Mansour reported it", "J. Mansour reported it"),  # an initial of a name stays
        ("The U. team won", "The U. team won"),  # no abbreviation of the source is followed by "team"
    ],
)
def test_a_models_line_gets_the_sources_abbreviations_back(line: str, restored: str) -> None:
    assert restore_abbreviations(line, SOURCE) == restored


def test_a_capitalised_word_the_model_cut_short_gets_its_end_back_from_the_source() -> None:
    source = "Ukrainian Economy Minister Yuliia Svyrydenko signed it. Ukraine said so."
    line = "Ukrain Economy Minister Yuliia Svyrydenko signed the memorandum."
    assert restore_abbreviations(line, source).startswith("Ukrainian Economy Minister")
    assert restore_abbreviations("Ukrain said no.", source) == "Ukraine said no."
    # Two ways to complete it before the same word: the line is left as the model wrote it.
    two = "The Ukraine Economy; the Ukrainian Economy"
    assert restore_abbreviations("The Ukrain Economy", two) == "The Ukrain Economy"
    # A word the source writes as it stands is never touched.
    assert restore_abbreviations("Paris talks", "Paris talks and Parisian cafes") == "Paris talks"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Only senior managers are exempted.The aim was to cut costs.", 2),
        ("He flew to St.Louis on Monday.", 1),
        ("The U.S.Treasury said so.", 1),
    ],
)
def test_a_stop_glued_to_the_next_sentence_ends_it_for_the_brief_and_the_checker_alike(text: str, parts: int) -> None:
    # Scraped pages join paragraphs so ("are exempted.The aim"); "St.Louis" and "U.S.Treasury" are no such join.
    assert len(split(text)) == parts
    assert len(split_sentences(text)) == parts
