"""Words as the story compares them: stemmed content words and their overlap."""

from __future__ import annotations

import re

from summarizer.validate.words import STOPWORDS, strip_suffixes
from summarizer.validate.words import split as _split

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# The package's stop list, and the words a story comparison also ignores (small counts, places in a sentence).
STORY_STOPWORDS = STOPWORDS | frozenset(_split("two against between"))


def stem_word(word: str) -> str:
    """A story word's stem: the package's suffix rules, hyphens stripped at either end."""
    # Not validate.words.stem itself: WORD keeps hyphens, and this one strips them at either end ("pre-" → "pre");
    # the suffix rules are shared.
    return strip_suffixes(word.lower().replace("’", "'").removesuffix("'s").strip("'-"))


def content_words(text: str) -> set[str]:
    """Stemmed content words (no stop words, no one-letter words)."""
    return {stem_word(w) for w in WORD.findall(text) if w.lower() not in STORY_STOPWORDS and len(w) > 2}


def jaccard(a: set[str], b: set[str]) -> float:
    """The overlap of two word sets, 0..1."""
    return len(a & b) / len(a | b) if a and b else 0.0
