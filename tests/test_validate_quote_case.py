"""Quotes of outputs that lost their case or detach their apostrophes (system summaries of CNN/DM)."""

from __future__ import annotations

from summarizer.validate import check

SOURCE = (
    "The 23-year-old, who promotes herself as 'the Barbie from Down Under', landed a major role in 2014. "
    "The French forward suffered the injury during the Swans' 1-1 Premier League draw. Gomis' injury has come at "
    "the worst time for the club, the manager said."
)


def quote_errors(text: str) -> list[str]:
    return [f.text for f in check(SOURCE, text).errors() if f.kind == "quote"]


def test_a_lowercased_output_quotes_without_case() -> None:
    assert quote_errors("the 23-year-old promotes herself as ' the barbie from down under ' .") == []
    # Case aside, the words must still stand in the source.
    assert quote_errors("the 23-year-old promotes herself as ' the barbie from up over there ' .") != []


def test_a_detached_plural_possessive_is_no_quote_mark() -> None:
    text = "the french forward suffered the injury during the swans ' 1-1 premier league draw . gomis ' injury came ."
    assert quote_errors(text) == []
