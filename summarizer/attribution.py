"""Find attributed quotations in the source by rule: who said it, and the verbatim words.

The small local model lists only one or two of an article's statements; the quotations an article attributes are
there to be read exactly, so code adds each one the model missed. Each is tied to its sentence, like the model's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.sentences import Sentence, quote_in
from summarizer.validate.report import Span

_VERBS = (
    r"said|says|told|tells|warned|warns|added|confirmed|confirms|acknowledged|insisted|argued|noted|stated|"
    r"declared|explained|urged|vowed|announced|wrote|asked|replied"
)
_NAME = r"(?:[A-Z][\w’'.-]*\s+){0,4}[A-Z][\w’'-]+"
# "Rubio told reporters", "President Donald Trump confirmed Thursday", "Peskov, the Kremlin spokesman, said"
_BEFORE = re.compile(rf"(?P<name>{_NAME})\s*(?:,[^,“”\"]{{1,60}},\s*)?(?:{_VERBS})\b")
# "said Rubio", "said Kremlin spokesman Dmitry Peskov"
_AFTER = re.compile(rf"\b(?:{_VERBS})\s+(?:[a-z]+\s+){{0,2}}(?P<name>{_NAME})")
_PRONOUN = re.compile(rf"\b(?:he|she|they)\s+(?:{_VERBS})\b", re.I)
_TITLES = {
    "president",
    "vice",
    "secretary",
    "minister",
    "prime",
    "mayor",
    "governor",
    "senator",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chancellor",
    "general",
    "gen.",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "vp",
    "foreign",
    "economy",
    "state",
    "defense",
    "defence",
    "treasury",
    "u.s.",
    "us",
    "ukrainian",
    "russian",
    "kremlin",
    "of",
}
_NOT_NAMES = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "but",
    "and",
    "meanwhile",
    "however",
    "because",
    "it",
    "we",
    "i",
    "this",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "reporters",
}


@dataclass(frozen=True)
class Attributed:
    """A quotation found in the source, with its speaker (and title, when the sentence gives one)."""

    speaker: str
    role: str | None
    quote: Span
    sentence: Sentence


def _speaker(text: str) -> tuple[str, str | None] | None:
    """Split "President Donald Trump" into ("Donald Trump", "President"); None when no person is named."""
    words = text.split()
    while words and words[0].lower() in _NOT_NAMES:
        words = words[1:]
    role_words: list[str] = []
    while len(words) > 1 and words[0].lower() in _TITLES:
        role_words.append(words.pop(0))
    if not words or words[-1].lower() in _TITLES | _NOT_NAMES:
        return None
    return " ".join(words), " ".join(role_words) or None


def _name_in(sentence: str, quote: Span, offset: int) -> tuple[str, str | None] | None:
    """The speaker named outside the quotation marks of a sentence."""
    outside = sentence[: quote.start - offset - 1] + " " + sentence[quote.end - offset + 1 :]
    for pattern in (_AFTER, _BEFORE):
        for match in pattern.finditer(outside):
            found = _speaker(match.group("name"))
            if found:
                return found
    return None


def find(text: str, sents: list[Sentence]) -> list[Attributed]:
    """Every quotation of 5+ words the article attributes to a named speaker (pronouns resolved to the last one).

    Shorter quoted fragments ("in the coming days") are phrases lifted into reported speech, not statements.
    """
    out: list[Attributed] = []
    last: tuple[str, str | None, int] | None = None  # speaker, role, sentence id
    for sent in sents:
        quote = quote_in(text, sent)
        if quote is None or len(quote.text.split()) < 5:
            continue
        who = _name_in(sent.text, quote, sent.start)
        if who is None and last is not None and sent.id - last[2] <= 2 and _PRONOUN.search(sent.text):
            who = (last[0], last[1])
        if who is None and last is not None and sent.id - last[2] == 1 and sent.text.lstrip().startswith(("“", '"')):
            who = (last[0], last[1])  # a quotation continuing the previous speaker's
        if who is None:
            continue
        out.append(Attributed(who[0], who[1], quote, sent))
        last = (who[0], who[1], sent.id)
    return out
