"""Numbered source sentences: the model cites ``[S3]`` and code maps the id back to an exact character span."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sentencex

from summarizer.validate.report import Span


@dataclass(frozen=True)
class Sentence:
    """Sentence ``id`` (1-based) covering ``text[start:end]`` of the cleaned article."""

    id: int
    start: int
    end: int
    text: str

    def span(self) -> Span:
        """The sentence as a report Span."""
        return Span(start=self.start, end=self.end, text=self.text)


_LINE = re.compile(r"[^\n]+")
# A piece ending in an initial ("U.S.", "J.", "(AP)U.") was cut at an abbreviation, not a sentence end.
_INITIAL_END = re.compile(r"(?:^|[\s(/)])(?:[A-Z]\.)+$")


# A heading: a short line with no sentence-ending punctuation ("Minerals Deal Moving Forward", "Deep Looks").
_HEADING_END = re.compile(r"[.!?:;\"”’)\]。！？」』]\s*$")


def is_heading(line: str) -> bool:
    """True for a headline, section title, label or photo credit: not a sentence of the story.

    A short line that does not end like a sentence and is written in title case (at most two lowercase words of
    four letters or more). A sentence broken over two lines ("... met Italian Prime Minister") stays a sentence.
    """
    stripped = line.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        return True  # "(Julien de Rosa, Pool via AP)"
    words = stripped.split()
    if not 0 < len(words) <= 16 or len(stripped) > 150 or _HEADING_END.search(stripped):
        return False
    return sum(1 for w in words if len(w) > 3 and w[0].islower()) <= 2


def split(text: str, language: str = "en", *, headings: bool = True) -> list[Sentence]:
    """Split into sentences line by line (a line never ends mid-sentence in news copy), keeping exact offsets.

    With ``headings=False`` headline and section-title lines are left out: small models copy them as facts.
    """
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        if not headings and is_heading(line.group()):
            continue
        cursor = line.start()
        spans: list[tuple[int, int]] = []
        for piece in sentencex.segment(language or "en", line.group()):
            stripped = piece.strip()
            if not stripped:
                continue
            start = text.find(stripped, cursor, line.end())
            if start < 0:  # segmenter normalised something: fall back to the whole remaining line
                start, stripped = cursor, text[cursor : line.end()].strip()
            end = start + len(stripped)
            if spans and _INITIAL_END.search(text, spans[-1][0], spans[-1][1]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
            cursor = end
        base = len(out)
        out.extend(Sentence(base + i + 1, a, b, text[a:b]) for i, (a, b) in enumerate(spans))
    return out


def renumber(sents: list[Sentence]) -> list[Sentence]:
    """The same sentences with ids 1..n again (after some were left out)."""
    return [Sentence(i, s.start, s.end, s.text) for i, s in enumerate(sents, start=1)]


_QUOTE = re.compile(r"[“\"]([^“”\"]{3,}?)[”\"]")


def quote_in(text: str, sentence: Sentence) -> Span | None:
    """The longest quotation inside a sentence (or starting in it and closing later), as a span of ``text``.

    Extracting the quote in code, from the sentence the model cites, makes every quote verbatim by construction
    and saves the local model from copying long passages token by token.
    """
    if "“" not in sentence.text and '"' not in sentence.text:
        return None  # a quotation must open inside the sentence (most sentences hold none: skip the scan)
    window_end = min(len(text), sentence.end + 600)
    best: Span | None = None
    for match in _QUOTE.finditer(text, sentence.start, window_end):
        if match.start() >= sentence.end:
            break
        inner = match.group(1).strip(" ,.")
        if len(inner.split()) < 2:
            continue  # scare quotes ("constructive") are not claims
        start = match.start(1)
        span = Span(start=start, end=start + len(match.group(1)), text=match.group(1))
        if best is None or len(span.text) > len(best.text):
            best = span
    return best
