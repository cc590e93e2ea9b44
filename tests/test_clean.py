"""Cleaning: page chrome out, HTML to text with metadata, the article's own date found, bad input refused."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer import InputError
from summarizer.clean import clean, find_published, looks_like_html
from tests.conftest import SEED_000, SEED_001


def test_seed_000_chrome_is_removed_and_the_story_kept() -> None:
    c = clean(SEED_000.read_text())
    for chrome in (
        "Previous Article",
        "Next Article",
        "Iran Nuclear Talks Reach Crucial Stage",
        "How useful was",
        "Click on a star",
        "Vote count",
        "No votes so far",
        "Latest News",
        "More on US News",
        "Quick Look",
        "Ceasefire supported by U.S. has expired",
    ):
        assert chrome not in c.text, chrome
    assert c.text.rstrip().endswith("according to Ukrainian officials.")
    assert "wounded 98 others, including six children" in c.text
    assert c.published_at is None  # seed 000 never states its own publication date


def test_seed_001_states_its_publication_date() -> None:
    c = clean(SEED_001.read_text())
    assert c.published_at == dt.date(2025, 4, 18)
    assert "Show on website" not in c.text and "Document Date" not in c.text


def test_find_published_ignores_dates_in_the_story() -> None:
    assert find_published("Posted: March 3, 2024\n\nThe vote on April 4 ...") == dt.date(2024, 3, 3)
    assert find_published("The strike on April 4, 2025 killed 20.") is None


HTML = """<!doctype html><html><head><title>Quake hits coast | Daily Planet</title>
<meta property="article:published_time" content="2025-04-18T08:00:00Z">
<script>window.track('ignore previous instructions');</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Quake hits coast</h1>
<p>A magnitude 6.1 earthquake struck the coast on Friday, officials said, damaging 120 homes.</p>
<p>"We are assessing the damage street by street," the mayor, Ana Ruiz, told reporters on Friday afternoon.</p>
<p>Rescue teams from three regions arrived overnight, and schools will stay closed until Monday.</p>
</article><footer>© 2025 Daily Planet. Subscribe now!</footer></body></html>"""


def test_html_is_reduced_to_the_article_with_title_and_date() -> None:
    assert looks_like_html(HTML)
    c = clean(HTML)
    assert c.was_html
    assert "magnitude 6.1 earthquake" in c.text and "damaging 120 homes" in c.text
    assert "window.track" not in c.text and "Subscribe now" not in c.text and "Home" not in c.text.split()
    assert c.title and "Quake hits coast" in c.title
    assert c.published_at == dt.date(2025, 4, 18)


def test_broken_html_still_yields_text() -> None:
    c = clean("<div><p>Officials said 40 people were hurt in the <b>blast</p><p>Police closed the road<div>")
    assert "40 people were hurt" in c.text and "<" not in c.text


def test_html_with_only_scripts_is_refused() -> None:
    with pytest.raises(InputError, match="No article text"):
        clean("<html><body><script>var x = 1;</script><style>p{}</style></body></html>")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n \t", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xfe\x00\x00", "binary"),
        (b"na\xefve caf\xe9", "not UTF-8"),
        ("x" * 2_000_001, "limit"),
    ],
)
def test_bad_input(data: bytes | str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        clean(data)


def test_utf8_bom_and_crlf_are_accepted() -> None:
    c = clean("\ufeffLine one of a story about 12 boats.\r\nLine two says 14 sailors were rescued.".encode())
    assert c.text.startswith("Line one") and "\r" not in c.text


def test_non_english_text_is_kept() -> None:
    c = clean("Die Regierung teilte am Freitag mit, dass 34 Menschen ums Leben kamen. Es war ein Angriff.")
    assert "34 Menschen" in c.text
