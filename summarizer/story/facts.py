"""Facts read by rule: casualty counts, percentages, money, and signed-versus-expected status."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.dates import find_time_phrases, resolve
from summarizer.sentences import Sentence
from summarizer.story.sources import PreparedSource
from summarizer.story.words import STORY_STOPWORDS, content_words
from summarizer.validate import read_numbers

_KILL = r"kill(?:ed|ing|s)?|dead|died|deaths?"
_HURT = r"wound(?:ed|ing|s)?|injur(?:ed|ing|es|ies|y)|hurt"
_CUE = re.compile(rf"\b(?:(?P<kill>{_KILL})|(?P<hurt>{_HURT}))\b", re.I)
# A cue that can take its figure from before it: "34 people dead", "two were killed", "98 injured".
_CUE_AFTER_FIGURE = re.compile(
    rf"\s+(?:[a-z]+\s+){{0,2}}?(?:(?:were|was|are|been|have been)\s+)?(?:{_KILL}|{_HURT})\b", re.I
)
_HEDGE = re.compile(r"\s+(?:at least|more than|about|some|nearly|almost|over|up to)\b", re.I)
_ARTICLE_NOUN = re.compile(r"\s+(an?)\s+(?!(?:number|few|dozen|total|further|handful)\b)[a-z]+", re.I)
# A figure in a clause that looks back ("days after a strike ... left 34 dead") belongs to an earlier event.
_EARLIER = re.compile(r"\b(?:after|follow(?:s|ed|ing)?|since|earlier|previous(?:ly)?|last (?:week|month|year))\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:—–(]")

DONE = re.compile(
    r"\b(?:signed|finali[sz]ed|concluded|sealed|inked|ratified|clinched|have an? (?:[a-z]+ ){0,2}(?:deal|agreement))\b",
    re.I,
)
PENDING = re.compile(
    r"\b(?:expected to (?:be )?(?:finali[sz]e[ds]?|sign(?:ed)?|complete[ds]?|conclude[ds]?)|"
    r"to be (?:finali[sz]ed|signed)|proposed|nears? (?:finali[sz]ation|completion)|"
    r"not yet (?:signed|finali[sz]ed)|draft|under negotiation)\b",
    re.I,
)
# What a status phrase is about, up to the clause's end: "finalized a memorandum of intent on ...", "... by April 26".
_STATUS_TAIL = re.compile(r"(?:[ \t]+[^\s,;:.—–()\"“”]+){0,10}")
# Nouns that name agreements; one name for them all, so "deal" in one source meets "agreement" in another.
AGREEMENT = {"deal", "agreement", "accord", "pact", "treaty"}
_AGREEMENT_LIKE = AGREEMENT | {"memorandum", "fund", "ceasefire", "truce", "moratorium", "contract", "plan"}
_STATUS_WORDS = content_words(
    "signed finalized finalised concluded sealed inked ratified clinched expected proposed near nears finalization "
    "draft negotiation have"
)


@dataclass(frozen=True)
class Fact:
    """A figure or status statement read from one source sentence."""

    source: str
    sentence: Sentence
    kind: str  # "killed", "injured", "percent", "money:USD", or "status:done" / "status:pending"
    value: float | None
    start: int  # offsets of the phrase in the source text
    end: int
    phrase: str
    date: dt.date | None
    earlier: bool
    words: frozenset[str]


def _time_of(src: PreparedSource, sent: Sentence, at: int) -> tuple[dt.date | None, bool]:
    """The date of a figure at offset ``at``: the nearest time phrase of its sentence; earlier if it looks back."""
    clause_start = sent.start
    for m in _CLAUSE_BREAK.finditer(src.text, sent.start, at):
        clause_start = m.end()
    if _EARLIER.search(src.text, clause_start, at):
        return None, True
    phrases = find_time_phrases(src.text, sent.start, sent.end)
    if not phrases:
        return None, False
    nearest = min(phrases, key=lambda p: min(abs(p[0] - at), abs(p[1] - at)))
    return resolve(nearest[2], src.published).date, False


def _casualties(src: PreparedSource, sent: Sentence, words: frozenset[str]) -> list[Fact]:
    text = src.text
    nums = [n for n in read_numbers(sent.text) if n.kind == "count"]
    out: list[Fact] = []
    used: set[int] = set()
    cues = list(_CUE.finditer(text, sent.start, sent.end))
    for cue in cues:  # "killed one person", "killing two people", "killing a customer"
        kind = "killed" if cue.group("kill") else "injured"
        after = cue.end()
        hedge = _HEDGE.match(text, after, sent.end)
        after = hedge.end() if hedge else after
        figure = next((n for n in nums if 0 < sent.start + n.start - after <= 2 and n.start not in used), None)
        if figure is not None:
            used.add(figure.start)
            end = _noun_end(text, sent.start + figure.end, sent.end)
            out.append(_fact(src, sent, kind, figure.value, cue.start(), end, words))
            continue
        art = _ARTICLE_NOUN.match(text, after, sent.end)
        if art is not None and cue.group().lower().endswith(("ed", "ing")):
            out.append(_fact(src, sent, kind, 1.0, cue.start(), art.end(), words))
    for n in nums:  # "left 34 people dead", "two were killed"
        if n.start in used:
            continue
        m = _CUE_AFTER_FIGURE.match(text, sent.start + n.end, sent.end)
        if m is not None:
            said = _CUE.search(m.group())
            kind = "killed" if said is not None and said.group("kill") else "injured"
            out.append(
                _fact(src, sent, kind, n.value, sent.start + n.start, sent.start + n.end + m.end() - m.start(), words)
            )
    return out


def _noun_end(text: str, at: int, limit: int) -> int:
    """Extend a figure over the noun it counts ("one" → "one person")."""
    m = re.match(
        r"\s+(?:[a-z]+\s+)?(?:people|persons?|civilians?|children|others?|soldiers?|residents?|men|women)\b",
        text[at:limit],
    )
    return at + m.end() if m else at


def _fact(
    src: PreparedSource, sent: Sentence, kind: str, value: float | None, start: int, end: int, words: frozenset[str]
) -> Fact:
    date, earlier = _time_of(src, sent, start)
    return Fact(src.letter, sent, kind, value, start, end, src.text[start:end], date, earlier, words)


def _measures(src: PreparedSource, sent: Sentence, words: frozenset[str]) -> list[Fact]:
    out = []
    for n in read_numbers(sent.text):
        if n.kind == "percent":
            kind = "percent"
        elif n.kind == "money":
            kind = f"money:{n.currency}"
        else:
            continue
        out.append(_fact(src, sent, kind, n.value, sent.start + n.start, sent.start + n.end, words))
    return out


def _status(src: PreparedSource, sent: Sentence, words: frozenset[str]) -> list[Fact]:
    if not words & _AGREEMENT_LIKE:
        return []
    # The longest cue is the most telling ("expected to be finalized" over "proposed"); pending wins over done.
    pending = max(PENDING.finditer(src.text, sent.start, sent.end), key=lambda m: len(m.group()), default=None)
    done = max(DONE.finditer(src.text, sent.start, sent.end), key=lambda m: len(m.group()), default=None)
    match, kind = (pending, "status:pending") if pending else (done, "status:done")
    if match is None:
        return []
    tail = _STATUS_TAIL.match(src.text, match.end(), sent.end)
    end = tail.end() if tail else match.end()
    while True:  # end on a content word: "... an investment fund", not "... fund for"
        last = re.search(r"\s+(\S+)$", src.text[match.end() : end])
        if last is None or last.group(1).lower() not in STORY_STOPWORDS:
            break
        end -= len(last.group())
    phrase = src.text[match.start() : end]
    return [Fact(src.letter, sent, kind, None, match.start(), end, phrase, None, False, words)]


def key_words(text: str) -> frozenset[str]:
    """The words that say what a fact is about, status words left out and every kind of agreement read as "deal"."""
    return frozenset("deal" if w in AGREEMENT else w for w in content_words(text) - _STATUS_WORDS)


def read_facts(sources: Sequence[PreparedSource]) -> list[Fact]:
    """Every casualty count, percentage, sum of money and deal status the sources state, by rule."""
    facts: list[Fact] = []
    for src in sources:
        for sent in src.prep.sentences:
            words = key_words(sent.text)
            facts += _casualties(src, sent, words) + _measures(src, sent, words) + _status(src, sent, words)
    return facts
