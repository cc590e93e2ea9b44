"""The words tools of the validation layer, shared by the whole package: one tokenizer, stop list, stemmer and
sentence splitter, so a number's context, a frame check and a story comparison read text the same way."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "ABBREVIATIONS", "STEMS", "STOPWORDS", "TOKEN", "StemTable", "content_stems", "split", "split_sentences", "stem",
    "strip_suffixes",
]  # fmt: skip


def split(text: str) -> list[str]:
    """The whitespace-separated words of a vocabulary string."""
    return text.split()


#: A word: letters with inner apostrophes ("O'Neill", "don't").
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*")
# The lookahead first: every branch starts with a stop or a newline, and most positions fail on it (the scan takes a
# third of the time it took).
# A stop glued to the next sentence ("are exempted.The aim was") is how scraped pages join paragraphs: after a word
# of two lower-case letters or more, before a capitalised word ("U.S.The" and "St.Louis" are not cut there).
_SENT_END = re.compile(r"(?=[.!?\n])(?:(?:[.!?]+[\"'”’)\]]*|\n)\s+|\n|(?<=[a-z]{2})[.!?](?=[A-Z][a-z]))")
_OPENERS = "([{\"'“‘"
#: Words that end with a full stop without ending a sentence ("Mr.", "U.S.", "p.m.").
ABBREVIATIONS = frozenset(
    split(
        "mr mrs ms dr st gen sen rep gov lt col sgt capt prof jr sr vs no inc corp co ltd jan feb mar apr jun "
        "jul aug sep sept oct nov dec u.s u.k u.n e.g i.e mt ft rev pres a.m p.m mon tue tues wed thu thur thurs fri "
    )
)
#: Function words, reporting verbs and hedges: words that tell nothing about what a figure counts.
STOPWORDS = frozenset(
    split(
        "a an the and or but if of in on at to for from by with without about as into onto over under after "
        "before than then that this these those there here it its it's he she they them his her their hers "
        "him we us our you your i me my is are was were be been being am has have had do does did will would "
        "shall should can could may might must not no nor so such too very just also only even both each all "
        "any some more most other own same few many much who whom whose which what when where why how while "
        "during up down out off again further once s t said says say told according new one "
        # Hedge words tell how precise a figure is, not what it counts.
        "almost nearly close around roughly approximately estimated least upwards shy approaching nearing "
        "exceeding fewer less below above circa approx "
    )
)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """The stem of a word as every check compares it: lower case, possessive 's dropped, light suffixes off."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return strip_suffixes(w.rstrip("'"))


def strip_suffixes(w: str) -> str:
    """A light English stemmer on a lower-cased word: plural -s/-ies, -ed, -ing (long words only).

    Porter2 (PyStemmer) was measured in its place: BUMP task1 recall 0.900 -> 0.891 and one more false alarm, for
    one fewer on RAGTruth; the light stemmer keeps "announced" and "announcement" apart, but also "new" and "news".
    """
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 6 and w.endswith("ing"):
        w = w[:-3]
    return w


class StemTable(dict[str, str]):
    """Word → stem, each stem computed at the word's first sight and remembered (the same words recur in every text
    checked); looked up as ``table[word]``, so a hit costs one dict lookup in C."""

    def __missing__(self, word: str) -> str:
        w = stem(word)
        if len(self) < 200_000:
            self[word] = w
        return w


#: The one word → stem table of the package (context and frames read words through it).
STEMS = StemTable()


def content_stems(text: str) -> set[str]:
    """The stemmed content words of a text: no stop words, nothing under three letters."""
    return {stem(w) for w in TOKEN.findall(text) if w.lower() not in STOPWORDS and len(w) > 2}


def _word_before(text: str, start: int, stop: int) -> str:
    """The word that ends with the full stop at ``stop`` (back to whitespace or ``start``), as ``str.split`` cuts it,
    without its stops or an opening bracket or quote: "(Apr." is "apr"."""
    i = stop
    while i > start and not text[i - 1].isspace():
        i -= 1
    return text[i : stop + 1].rstrip(".").lstrip(_OPENERS).lower()


def _is_abbreviation(word: str) -> bool:
    """True when a full stop after ``word`` does not end a sentence: an abbreviation ("mr", "u.s") or an initial."""
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of a text as (start, end) spans, trimmed; never cut after an abbreviation or an initial."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        cut = m.end()
        nxt = text[cut : cut + 1]
        # Do not cut after an abbreviation ("Mr. Smith", "U.S. troops") or a lone initial.
        if text[m.start()] == "." and _is_abbreviation(_word_before(text, start, m.start())):
            continue
        if nxt and nxt.islower():
            continue
        if text[start:cut].strip():
            spans.append((start, cut))
        start = cut
    if text[start:].strip():
        spans.append((start, len(text)))
    # Trim whitespace at the ends of each sentence.
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out
