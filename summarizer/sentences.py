"""Numbered source sentences: the model cites ``[S3]`` and code maps the id back to an exact character span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
# A piece ending in one initial ("J.", "(AP)U.") was cut at an abbreviation, not a sentence end.
_INITIAL_END = re.compile(r"(?:^|[\s(/)])[A-Z]\.$")
# Initials and lower-case abbreviations ("U.S.", "U.K.", "p.m.", "Inc.", "Gov."): a sentence may end there.
_ABBREVIATION_END = re.compile(r"(?:(?:^|[\s(/)])(?:[A-Za-z]\.){2,}|\b[A-Z][a-z]{1,3}\.)$")
# "Jan. 5. 2024": a full stop typed for the comma of a date.
_DATE_TYPO_END = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\.$"
)
_YEAR_START = re.compile(r"^(?:19|20)\d{2}\b")
_TIME_OF_DAY_END = re.compile(r"\b[ap]\.m\.$")
_DAY_START = re.compile(r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|tonight|tomorrow)\b")
# Words that open a new sentence after "... the U.K." ("Since then ...") rather than continue a name.
_OPENERS = frozenset(
    (
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "but",
        "and",
        "so",
        "yet",
        "since",
        "however",
        "in",
        "on",
        "at",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "their",
        "its",
        "our",
        "after",
        "before",
        "when",
        "while",
        "as",
        "if",
        "meanwhile",
        "also",
        "still",
        "then",
        "now",
        "earlier",
        "later",
    )
)


def _joins(piece: str, following: str) -> bool:
    """True when the segmenter cut inside an abbreviation or a date: ``piece`` does not end a sentence."""
    if _INITIAL_END.search(piece):
        return True  # "J. Mansour", "(AP)U.S. Secretary ..."
    if _DATE_TYPO_END.search(piece) and _YEAR_START.match(following):
        return True
    if _TIME_OF_DAY_END.search(piece) and _DAY_START.match(following):
        return True  # "at 5 p.m. Friday"
    if not _ABBREVIATION_END.search(piece):
        return False
    first = following.split(maxsplit=1)[0] if following.split() else ""
    # A sentence never opens in lower case; a capitalised word after initials is a name unless it opens sentences.
    return first[:1].islower() or (
        bool(re.search(r"(?:[A-Z]\.){2,}$", piece)) and first[:1].isupper() and first.lower() not in _OPENERS
    )


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
            if spans and _joins(text[spans[-1][0] : spans[-1][1]], stripped):
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


_QUOTE = re.compile(
    r"[“\"]([^“”\"]{3,}?)[”\"]"
    # ‘single quotes’ as British copy writes them: a ’ before a letter is an apostrophe ("I’ve"), not the close
    r"|‘((?:[^‘’\n]|’(?=[A-Za-z]))+)’(?![A-Za-z])"
    r"|(?<![\w'])'(?=[A-Z])((?:[^'\n]|'(?=[A-Za-z]))+)'(?![A-Za-z])"
)


def quote_in(text: str, sentence: Sentence) -> Span | None:
    """The longest quotation inside a sentence (or starting in it and closing later), as a span of ``text``.

    Extracting the quote in code, from the sentence the model cites, makes every quote verbatim by construction
    and saves the local model from copying long passages token by token.
    """
    if not any(mark in sentence.text for mark in ("“", '"', "‘", "'")):
        return None  # a quotation must open inside the sentence (most sentences hold none: skip the scan)
    window_end = min(len(text), sentence.end + 600)
    best: Span | None = None
    for match in _QUOTE.finditer(text, sentence.start, window_end):
        if match.start() >= sentence.end:
            break
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        inner = match.group(group).strip(" ,.")
        if len(inner.split()) < 2:
            continue  # scare quotes ("constructive") are not claims
        start = match.start(group)
        span = Span(start=start, end=start + len(match.group(group)), text=match.group(group))
        if best is None or len(span.text) > len(best.text):
            best = span
    return best


_ABBREVIATION = re.compile(r"(?<![A-Za-z.])(?:[A-Z]\.){2,}")
# A run of initials as a model may write it: "U.S.", "U. S." or, cut short, "U."
_INITIALS_RUN = re.compile(r"(?<![A-Za-z.])[A-Z]\.(?:\s?[A-Z]\.)*(?![A-Za-z])")
_NEXT_WORD = re.compile(r"\s*([A-Za-z’'-]+)")
# A capitalised word and the word after it.
_CAPITALISED = re.compile(r"\b([A-Z][a-z]{2,})(?=\s+([A-Za-z][A-Za-z’'-]*))")


@lru_cache(maxsize=16)
def _words_of(source: str) -> frozenset[str]:
    """The maximal word-character runs of a source: ``w in _words_of(s)`` is ``re.search(rf"\b{w}\b", s)`` for a word
    of letters, read once per source instead of once per capitalised word of every output line."""
    return frozenset(re.findall(r"\w+", source))


@lru_cache(maxsize=16)
def _abbreviations_of(source: str) -> frozenset[str]:
    """The abbreviations a source writes ("U.S."), read once per source, not once per output line."""
    return frozenset(_ABBREVIATION.findall(source))


def _complete_cut_words(text: str, source: str) -> str:
    """A capitalised word the source never writes, which the source writes with one to four more letters right
    before the same next word, is that word cut short: it gets its end back."""
    written = _words_of(source)

    def fix(m: re.Match[str]) -> str:
        word, after = m.group(1), m.group(2)
        if word in written:
            return word
        ends = set(re.findall(rf"\b{word}([a-z]{{1,4}})\s+{re.escape(after)}\b", source))
        return word + ends.pop() if len(ends) == 1 else word

    return _CAPITALISED.sub(fix, text)


def restore_abbreviations(text: str, source: str) -> str:
    """Give a model's line back the abbreviations of its source: "U. S." and a cut "U. might play" become "U.S.".

    The local model's tokenizer splits initials, and it sometimes drops the second one; a run of initials is
    restored to an abbreviation of the source when it spells it with spaces, or when it is a cut form of it
    followed by the word that follows the abbreviation in the source. A capitalised word cut the same way
    ("Ukrain Economy Minister") gets its end back where the source writes it whole before the same next word.
    """
    text = _complete_cut_words(text, source)
    if "." not in text:
        return text
    known = _abbreviations_of(source)
    if not known:
        return text

    def fix(match: re.Match[str]) -> str:
        run = match.group().replace(" ", "")
        if run in known:
            return run
        after = _NEXT_WORD.match(text, match.end())
        if after is None:
            return match.group()
        for abbr in sorted(known, key=len):
            if abbr.startswith(run) and re.search(re.escape(abbr) + r"\s*" + re.escape(after.group(1)) + r"\b", source):
                return abbr
        return match.group()

    return _INITIALS_RUN.sub(fix, text)
