"""Parts of an output that say nothing about the article: the writer's talk about its own summary, list markers.

LLMs wrap a summary in meta-discourse ("Sure! Here is a summary of the article in 95 words:", "I hope this
helps.") and number its items ("1. The council voted…"). Neither is a claim about the source: the figures they hold
(95 words, item 1) are the summary's own, and checking them against the article only raises false alarms. Each
finder returns character spans of the text; the checker blanks them (same length, so offsets hold) before reading.
"""

from __future__ import annotations

import re

__all__ = ["blank", "enumerators", "is_lowercased", "meta_sentences", "truecase", "unchecked_spans"]

# A sentence is about the summary itself when it names the summary (or the act of summarising) and either opens
# the way an assistant presents its answer, gives the summary's length in words, or introduces what follows (':').
_SELF = r"(?:summary|summaries|summari[sz]ed?|summari[sz]ing|overview|recap|synopsis)"
_PRESENT = re.compile(
    r"^\W*(?:(?:sure|certainly|okay|ok|of course|absolutely)\b[\s!,.]*)?"
    r"(?:here(?:'s|’s|\s+is|\s+are)|below\s+(?:is|are)|the\s+following\s+is|this\s+is)\b",
    re.IGNORECASE,
)
_LENGTH = re.compile(r"\b(?:\d+|[a-z]+)[\s-]words?\b", re.IGNORECASE)
_NAMES_SELF = re.compile(rf"\b{_SELF}\b", re.IGNORECASE)
_CLOSING = re.compile(
    r"^\W*(?:i\s+hope\s+(?:this|that|it)\b|let\s+me\s+know\b|please\s+let\s+me\s+know\b|feel\s+free\s+to\b)",
    re.IGNORECASE,
)
# A sentence: up to the first sentence end or colon followed by space or the end (meta sentences are short).
_SENTENCE = re.compile(r"[^\n.!?:]*(?:[.!?:]+|$)")
# "1. ", "2) ", "(3) ", "- " at the start of a line: a list item's marker, not a figure.
_ENUMERATOR = re.compile(r"(?m)^[ \t]*(?:\(?\d{1,2}[.)]|\d{1,2}\s*[-–:])(?=[ \t]+\S)")


def meta_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences in which the writer talks about its own summary rather than about the article."""
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group()
        if not sentence.strip() or len(sentence) > 200:
            continue
        names = _NAMES_SELF.search(sentence) is not None
        if (names and (_PRESENT.search(sentence) or _LENGTH.search(sentence) or sentence.rstrip().endswith(":"))) or (
            _CLOSING.search(sentence)
        ):
            out.append((m.start(), m.end()))
    return out


def enumerators(text: str) -> list[tuple[int, int]]:
    """Spans of list-item markers at the start of a line ("1. ", "2) ")."""
    return [(m.start(), m.end()) for m in _ENUMERATOR.finditer(text)]


def unchecked_spans(text: str) -> list[tuple[int, int]]:
    """Every span of ``text`` that makes no claim about the source (meta sentences and list markers)."""
    if not text:
        return []
    return sorted([*meta_sentences(text), *enumerators(text)])


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces (newlines kept), so every other offset stays where it was."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


_LOWER_WORD = re.compile(r"[a-z][a-z'’-]*")
_CASED_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def is_lowercased(text: str) -> bool:
    """True for a text written without capitals (a lowercased, often tokenized, system summary)."""
    return any(ch.isalpha() for ch in text) and not any(ch.isupper() for ch in text)


def truecase(text: str, source: str) -> str:
    """A lowercased ``text`` with each word in the case the source most often writes it ("march 21" → "March 21").

    Names, months and abbreviations carry meaning the checks read ("may" the modal, "May" the month); a summary
    that lost its capitals gets them back from its own source. Only case changes, so every offset holds."""
    forms: dict[str, dict[str, int]] = {}
    for m in _CASED_WORD.finditer(source):
        w = m.group()
        counts = forms.setdefault(w.lower(), {})
        counts[w] = counts.get(w, 0) + 1

    def cased(m: re.Match[str]) -> str:
        word = m.group()
        counts = forms.get(word)
        if not counts:
            return word
        best = max(counts.items(), key=lambda kv: (kv[1], kv[0] == word))[0]
        return best if len(best) == len(word) else word

    return _LOWER_WORD.sub(cased, text)
