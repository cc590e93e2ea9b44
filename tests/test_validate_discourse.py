"""The writer's talk about its own summary and list markers are not checked against the source."""

from __future__ import annotations

import pytest

from summarizer.validate import check
from summarizer.validate.discourse import blank, enumerators, meta_sentences

SOURCE = "The council voted 7 to 2 on Tuesday to close the library. About 300 residents signed a petition."


@pytest.mark.parametrize(
    "preamble",
    [
        "Here is a summary of the article in 95 words:",
        "Sure! Here's the summary within 42 words:",
        "Here is a 93-word summary of the article:",
        "Sure, here is a summary of the news within 85 words:",
        "Below is a 3-sentence summary:",
    ],
)
def test_a_preamble_about_the_summary_is_not_a_claim(preamble: str) -> None:
    text = f"{preamble}\n\nThe council voted 7 to 2 to close the library."
    assert meta_sentences(text) and meta_sentences(text)[0][0] <= 6
    assert check(SOURCE, text).ok


def test_the_same_figure_in_a_sentence_about_the_article_is_still_checked() -> None:
    # "95 residents" is about the article: no meta sentence hides it.
    report = check(SOURCE, "Here the council heard from 95 residents who signed a petition.")
    assert not report.ok


def test_a_sentence_that_mentions_a_summary_judgment_is_not_meta() -> None:
    assert meta_sentences("The judge granted summary judgment to 12 defendants.") == []


def test_list_markers_are_not_figures() -> None:
    text = "1. The council voted 7 to 2 to close the library.\n2) About 300 residents signed a petition."
    assert len(enumerators(text)) == 2
    assert check(SOURCE, text).ok


def test_a_wrong_figure_after_a_list_marker_is_flagged() -> None:
    text = "1. The council voted 7 to 2 to close the library.\n2. About 900 residents signed a petition."
    errors = check(SOURCE, text).errors()
    assert [e.text for e in errors] == ["900"]


def test_blank_keeps_offsets_and_newlines() -> None:
    text = "ab\ncd ef"
    assert blank(text, [(1, 5)]) == "a \n   ef"
    assert len(blank(text, [(0, len(text))])) == len(text)
