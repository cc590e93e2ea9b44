"""Finding quotations in their source: verbatim up to typography, nothing more."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.validate import find_quote

SOURCE = (
    "The company said revenue reached $1.2bn (up 34%) last year. "
    "“We can’t stop now,” the chief executive said, adding — somewhat later — that the plan was “done.” "
    "It was a very long and winding road to the top, she said. Rosie was 19 . Then she left."
)


def texts(quote: str) -> list[str]:
    return [s.text for s in find_quote(SOURCE, quote)]


def test_verbatim_quote_is_found_with_offsets() -> None:
    spans = find_quote(SOURCE, "a very long and winding road")
    assert len(spans) == 1
    assert SOURCE[spans[0].start : spans[0].end] == "a very long and winding road"


def test_regex_characters_are_literal() -> None:
    assert texts("$1.2bn (up 34%)") == ["$1.2bn (up 34%)"]
    assert texts("$1.2bn (up 3.%)") == []
    assert texts("$1x2bn (up 34%)") == []


def test_straight_and_curly_quote_marks_and_apostrophes_match() -> None:
    assert texts("we can't stop now") == ["We can’t stop now"]
    assert texts('"We can´t stop now,"') == ["We can’t stop now"]
    assert texts("the plan was 'done'") == ["the plan was “done"]


def test_first_letter_case_is_forgiven_but_not_other_letters() -> None:
    assert texts("we can’t stop now") == ["We can’t stop now"]
    assert texts("It was a very long") == ["It was a very long"]
    assert texts("it Was a very long") == []


def test_whitespace_differences_are_forgiven() -> None:
    assert texts("a  very\nlong   and winding road") == ["a very long and winding road"]
    assert texts("Rosie was 19. Then she left") == ["Rosie was 19 . Then she left"]


def test_final_punctuation_inside_the_quote_is_forgiven() -> None:
    assert texts("We can’t stop now.") == ["We can’t stop now"]


def test_dash_styles_match() -> None:
    assert texts("adding -- somewhat later -- that") == ["adding — somewhat later — that"]


def test_marked_ellipses_match_gaps_in_order() -> None:
    assert texts("It was a very long ... to the top") == ["It was a very long and winding road to the top"]
    assert texts("It was a very […] road") == ["It was a very long and winding road"]
    assert texts("It was a very long … road") == ["It was a very long and winding road"]
    assert texts("to the top … It was a very long") == []  # parts out of order


def test_ellipsis_gap_is_bounded() -> None:
    source = "We will win " + "and so on " * 100 + "in the end."
    assert find_quote(source, "We will win ... in the end") == []
    assert find_quote(source, "We will win ... in the end", max_gap=2000) != []


def test_altered_words_do_not_match() -> None:
    assert texts("we cannot stop now") == []
    assert texts("a very long and winding path") == []
    assert texts("revenue reached $1.3bn") == []


def test_partial_words_at_the_edges_do_not_match() -> None:
    assert texts("he plan was") == []
    assert texts("very long and wind") == []


def test_empty_and_punctuation_only_quotes_match_nothing() -> None:
    assert find_quote(SOURCE, "") == []
    assert find_quote(SOURCE, "...") == []
    assert find_quote(SOURCE, '""') == []


def test_every_occurrence_is_returned() -> None:
    source = "He said yes, we can. Later: yes, we can!"
    assert len(find_quote(source, "yes, we can")) == 2


@settings(max_examples=300)
@given(st.text(), st.text(max_size=60))
def test_never_crashes(source: str, quote: str) -> None:
    for span in find_quote(source, quote):
        assert source[span.start : span.end] == span.text


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200), st.data())
def test_a_slice_of_the_source_is_found(source: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(source) - 1))
    end = data.draw(st.integers(start + 1, len(source)))
    quote = source[start:end]
    if not any(ch.isalnum() for ch in quote) or "..." in quote or "…" in quote:
        return
    edge_ok = (start == 0 or not (source[start - 1].isalnum() and quote[0].isalnum())) and (
        end == len(source) or not (source[end].isalnum() and quote[-1].isalnum())
    )
    if edge_ok:
        assert find_quote(source, quote), (source, quote)


def test_exact_occurrences_respect_word_edges_and_fall_back_to_typography() -> None:
    source = "The island said: “he is here”. Then he is gone."
    spans = find_quote(source, '"he is"')
    assert [source[s.start : s.end] for s in spans] == ["he is", "he is"]  # not inside "the island"
    assert all(source[s.start - 1] in " “" for s in spans)
    # not written exactly so: the typographic pattern finds it
    assert [s.text for s in find_quote(source, "He is here")] == ["he is here"]
