"""Where a pattern can start: the digit runs of a text, the places of a few words; a pattern is then matched
only there instead of scanned over the whole text.

A scan by ``re`` tries every position of a text, and a pattern that opens on a lookahead, a lookbehind or a word
boundary gets no fast skip: each such scan of a 700-word article costs about as much as the next. A figure, a
date or a clock time starts at (or a few characters before) the first digit of a run of digits, and an article
holds a few dozen runs; a vague plural or a fraction is found from its words. ``str.find`` finds those in C.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["digit_runs", "matches_from", "word_starts"]

_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d+")
_ASCII = bytes(range(128))


def _other_digits(text: str) -> bool:
    """True when ``text`` holds a decimal digit outside ASCII (Arabic-Indic, full-width...), which ``\\d`` matches."""
    if text.isascii():
        return False
    # The non-ASCII characters alone: their UTF-8 bytes are all >= 0x80, so deleting the ASCII bytes keeps each
    # whole (a few characters of a news text: quote marks, dashes, accents).
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass")
    return _DIGIT.search(rest) is not None


def digit_runs(text: str) -> list[int]:
    """Where each run of decimal digits (``\\d+``) of ``text`` starts, in order."""
    if _other_digits(text):
        return [m.start() for m in _DIGIT_RUN.finditer(text)]
    # Ten searches in C for the few dozen digits, instead of a scan testing every character against a class.
    found: list[int] = []
    find = text.find
    for d in "0123456789":
        i = find(d)
        while i >= 0:
            found.append(i)
            i = find(d, i + 1)
    found.sort()
    return [p for k, p in enumerate(found) if not k or found[k - 1] != p - 1]


def word_starts(text: str, words: Iterable[str], before: int = 0) -> list[int]:
    """Where each occurrence of one of ``words`` in ``text`` starts, less ``before`` (not below 0), in order."""
    found: set[int] = set()
    find = text.find
    for w in words:
        i = find(w)
        while i >= 0:
            found.add(i - before)
            i = find(w, i + 1)
    return sorted(p for p in found if p >= 0)


def matches_from(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, given (in ascending order) every position a match of it can start at.

    Positions where it cannot match may be given too: it is tried at each one not inside a match already found,
    from left to right, as ``finditer`` tries every position (none of the patterns matches the empty string)."""
    out: list[re.Match[str]] = []
    last = 0
    match = pattern.match
    for s in starts:
        if s < last:
            continue
        m = match(text, s)
        if m is not None:
            out.append(m)
            last = m.end()
    return out
