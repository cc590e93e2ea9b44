"""Words as the story compares them: stemmed content words and their overlap."""

from __future__ import annotations

import re

from summarizer.validate.check import _split, strip_suffixes

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

_STOP = frozenset(
    _split(
        "a an the and or but if of in on at to for from by with as into over under after before than then that this "
        "these those there it its he she they them his her their him we us our you your i is are was were be been "
        "being has have had do does did will would shall should can could may might must not no so such too very just "
        "also only even both each all any some more most other own same who whom whose which what when where why how "
        "while said says say told according new one two s also about against between during out up down off"
    )
)


def _stem(word: str) -> str:
    # Not validate.check._stem itself: _WORD keeps hyphens, and this one strips them at either end ("pre-" → "pre");
    # the suffix rules are shared.
    return strip_suffixes(word.lower().replace("’", "'").removesuffix("'s").strip("'-"))


def _content(text: str) -> set[str]:
    """Stemmed content words (no stop words, no one-letter words)."""
    return {_stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
