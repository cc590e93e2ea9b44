"""Property tests: the deterministic layers never crash on any text and keep their span promises.

read_numbers, find_quote, the cleaner and the sentence splitter all hand out character offsets that the validation
layer trusts blindly; each property below is one of those promises, checked over arbitrary and news-like input.
"""

from __future__ import annotations

import math
from typing import get_args

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from summarizer import clean, sentences
from summarizer.errors import ConfigError, InputError
from summarizer.validate.numbers import NumberKind, read_numbers
from summarizer.validate.quotes import find_quote

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = set(get_args(NumberKind))

# News-flavoured tokens, so the generators reach deep into the parsers rather than only their fast "no match" path.
NEWS_TOKENS = [
    "$", "US$", "€", "£", "1.2bn", "4,987", "34%", "34 per cent", "30-day", "19-year-old", "aged 19", "2025",
    "1990s", "April 4", "4/18", "2025-04-18", "10:30", "2pm", "3rd", "third", "nine", "ninety-eight", "a dozen",
    "two and a half million", "hundreds", "between", "and", "to", "-", "–", "million", "bn", "k", "m", "G20",
    "COVID-19", ".5", "0", "00", "1,000,000", "12.5", "Smith, 45,", "(", ")", ",", ".", "said", "the", "\n",
    "“", "”", '"', "'", "…", "...", "[...]", "—", "--", " ", "  ", "\t", "per", "cent", "points", "pounds",
]  # fmt: skip
news_text = st.lists(st.sampled_from(NEWS_TOKENS) | st.text(max_size=6), max_size=40).map(" ".join)
any_text = st.text(max_size=400) | news_text


# -- read_numbers --------------------------------------------------------------------------------------------------


def check_numbers(text: str) -> None:
    found = read_numbers(text)
    previous_end = 0
    for n in found:
        assert 0 <= n.start < n.end <= len(text), n
        assert text[n.start : n.end] == n.text, n
        assert n.start >= previous_end, f"overlapping or unsorted numbers: {found}"
        previous_end = n.end
        assert n.kind in KINDS
        assert not math.isnan(n.value), n
        if n.kind == "range":
            assert n.low is not None and n.high is not None and n.low < n.high, n
        if n.month is not None:
            assert 1 <= n.month <= 12, n


@FUZZ
@given(any_text)
@example("$20-30 million, 2014-15, 3-1 and between 5 and 9 per cent")
@example("9" * 400)
def test_read_numbers_spans_are_exact_sorted_and_disjoint(text: str) -> None:
    check_numbers(text)


@FUZZ
@given(st.integers(min_value=0, max_value=10**12))
def test_read_numbers_reads_a_grouped_figure_back(value: int) -> None:
    text = f"Officials counted {value:,} ballots."
    [n] = [n for n in read_numbers(text) if n.text.startswith(f"{value:,}"[:1])]
    assert n.value == value and n.text == f"{value:,}"


@FUZZ
@given(st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False, allow_infinity=False))
def test_read_numbers_reads_a_percentage_back(value: object) -> None:
    text = f"Turnout rose by {value}% on Tuesday."
    [n] = read_numbers(text)
    assert n.kind == "percent" and math.isclose(n.value, float(str(value)))


# -- find_quote ----------------------------------------------------------------------------------------------------

WORDS = st.text(
    alphabet=st.characters(categories=("L", "Nd"), include_characters="$%()'’.,-—…“”\"", max_codepoint=0x2FFF),
    min_size=1,
    max_size=10,
)


@FUZZ
@given(st.text(max_size=300) | news_text, st.text(max_size=80) | news_text)
@example("He said “$1.2bn (up 34%)” today.", "$1.2bn (up 34%)")
@example("a" * 300, "a" * 40 + "..." + "a" * 40)
def test_find_quote_never_crashes_and_spans_are_exact(source: str, quote: str) -> None:
    for span in find_quote(source, quote):
        assert 0 <= span.start < span.end <= len(source)
        assert source[span.start : span.end] == span.text


@FUZZ
@given(st.lists(WORDS, min_size=1, max_size=30), st.data())
def test_find_quote_finds_every_verbatim_run_of_words(words: list[str], data: st.DataObject) -> None:
    source = " ".join(words)
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, len(words)))
    quote = " ".join(words[i:j])
    if not any(ch.isalnum() for ch in quote.replace("...", "").replace("…", "")):
        return  # a quote without a word is never searched for
    assert find_quote(source, quote), (source, quote)


@FUZZ
@given(st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=8), min_size=2, max_size=20), st.data())
def test_find_quote_forgives_whitespace_and_quote_style(words: list[str], data: st.DataObject) -> None:
    seps = data.draw(st.lists(st.sampled_from([" ", "  ", "\n", " \n\t"]), min_size=len(words), max_size=len(words)))
    source = "He said “" + "".join(w + s for w, s in zip(words, seps, strict=True)).rstrip() + ".”"
    quote = '"' + " ".join(words) + '"'
    [span] = find_quote(source, quote)
    assert span.text.split() == words


# -- the cleaner ---------------------------------------------------------------------------------------------------

HTML_TOKENS = [
    "<p>", "</p>", "<div>", "</div>", "<span>", "<b>", "</b>", "<br>", "<html>", "<body>", "</body>", "<article>",
    "<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<", ">", "&amp;", "&nbsp;", "&#37;", "&#xZZ;",
    '<a href="', '">', "<h1>", "</h1>", "<meta charset=utf-8>", "<![CDATA[", "]]>", "\x00", "\ufeff", "Menu",
    "Share", "Published on April 18, 2025", "The council met on Tuesday.", "word", "\n", " ",
]  # fmt: skip
html_like = st.lists(st.sampled_from(HTML_TOKENS) | st.text(max_size=5), max_size=40).map("".join)


def check_clean(data: str | bytes) -> None:
    try:
        result = clean.clean(data)
    except (InputError, ConfigError) as exc:
        assert str(exc), "an error without a message"
        return
    assert isinstance(result.text, str) and result.text.strip()
    assert "\x00" not in result.text


@FUZZ
@given(st.text(max_size=300) | html_like)
@example("<p>\x00</p><div>x</div>")
@example("<script>alert(1)</script><p>word</p>")
def test_clean_returns_text_or_a_clear_error_for_any_text(data: str) -> None:
    check_clean(data)


@FUZZ
@given(st.binary(max_size=300) | html_like.map(lambda s: s.encode("utf-8", "surrogatepass")))
@example(b"\xff\xfe<\x00p\x00>\x00")
@example(b"\xef\xbb\xbf")
def test_clean_returns_text_or_a_clear_error_for_any_bytes(data: bytes) -> None:
    check_clean(data)


# Markup that hides nothing that follows it (no <script>, <style>, comment, CDATA or open attribute), so a story
# paragraph among it is visible text a browser shows, and the cleaner must keep it.
SAFE_HTML_TOKENS = [
    "<p>", "</p>", "<div>", "</div>", "<span>", "</span>", "<b>", "</b>", "<br>", "<i>", "</i>", "<h1>", "</h1>",
    "&amp;", "&nbsp;", "&#37;", "Menu", "Share", "word", "\n", " ", "<li>", "<ul>", "</ul>", "<section>",
]  # fmt: skip
safe_html = st.lists(st.sampled_from(SAFE_HTML_TOKENS), max_size=30).map("".join)
STORY_PARAGRAPH = (
    "Officials said three people were hurt when a crane collapsed at the port of Kalmar on Tuesday. "
    "The harbour master said the crane had been inspected in March and passed every check."
)


@FUZZ
@given(safe_html, safe_html, st.booleans())
@example("", "", False)
@example("<div><b>", "</span></div></p>", True)
def test_clean_keeps_a_story_paragraph_among_any_markup(before: str, after: str, as_bytes: bool) -> None:
    # Shown by mutation: a cleaner that cuts HTML text to 60 characters, or refuses all HTML, fails this; the
    # "text or a clear error" properties above pass with either.
    page = f"<html><body>{before}<p>{STORY_PARAGRAPH}</p>{after}</body></html>"
    result = clean.clean(page.encode() if as_bytes else page)
    assert " ".join(result.text.split()).count(STORY_PARAGRAPH) == 1, result.text
    assert "<p" not in result.text and "</" not in result.text


PROSE_WORDS = ["The", "council", "met", "on", "Tuesday", "and", "voted", "9", "to", "4", "for", "a", "new", "$1.2bn"]


@FUZZ
@given(st.lists(st.sampled_from(PROSE_WORDS), min_size=6, max_size=30))
def test_clean_leaves_plain_prose_as_it_is(words: list[str]) -> None:
    text = " ".join(words) + "."
    assert clean.clean(text).text == text


# -- sentence splitting ----------------------------------------------------------------------------------------------

SENTENCE_TOKENS = [
    "The", "council", "met", "U.S.", "Dr.", "J.", "(AP)", "3.5", "e.g.", "said", ".", "!", "?", "...", "…", "“",
    "”", '"', "\n", "\n\n", " ", "  ", "Mr.", "No.", "1.", "a", "—", "Die", "Straße", "火曜日、", "。", "قالت",
]  # fmt: skip
sentence_text = st.lists(st.sampled_from(SENTENCE_TOKENS) | st.text(max_size=4), max_size=60).map(" ".join)


@FUZZ
@given(st.text(max_size=300) | sentence_text, st.sampled_from(["en", "de", "fr", "ja", "ar", ""]))
@example("U.S. officials said. (AP)U.S. forces left.\n\nA.", "en")
@example("  \n \u2028 x", "en")
def test_sentence_spans_are_exact_substrings_in_order(text: str, language: str) -> None:
    split = sentences.split(text, language)
    previous_end = 0
    for k, s in enumerate(split, start=1):
        assert s.id == k
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.start >= previous_end, split
        previous_end = s.end
        assert s.text == s.text.strip() and "\n" not in s.text
        span = s.span()
        assert (span.start, span.end, span.text) == (s.start, s.end, s.text)
    # Nothing visible is lost: every non-space character of the text is inside some sentence.
    covered = "".join(s.text for s in split)
    assert sorted(ch for ch in text if not ch.isspace()) == sorted(ch for ch in covered if not ch.isspace())
