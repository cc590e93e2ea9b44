"""Frame checks: does an output sentence keep what its source sentence says of its words, beyond their presence?

Each output sentence is aligned to its source sentence(s): the sentences its item cites, or else the two sharing
most of its (rarity-weighted) words, when they cover at least half of them. Then, on the words the two share
(*anchors*), five rules a reader would state:

certainty
    The source hedges or conditions an anchor ("may abandon", "expected to rise", "plans to", "reportedly",
    "allegedly", "unless progress is made") and the output states it with no hedge, modal or condition of its own.
negation
    An anchor is negated on one side only ("did not attend" / "attended"; "no injuries" / "injuries"). A negator
    scopes over the next few words of its clause.
direction
    The output describes a change in one direction ("rose", "increase", "higher") where the aligned source sentence
    describes the same anchor changing the other way only ("fell", "decrease", "lower").
period
    The output places a figure in a period (a quarter or half of a year, "last year", a weekday) that the aligned
    source sentence does not name, while it names another of the same kind ("first quarter" / "second quarter").
attribution
    The output puts words in another speaker's mouth (its speaker is not named in the source sentence, which
    attributes them to someone else), or states as fact what the source only reports as someone's claim with a
    distancing verb ("claimed", "alleged", "accused", "insisted").

Every finding quotes both sides, so an editor sees at a glance what changed. The rules stay quiet when the
alignment is weak: a frame is compared only between sentences that say the same thing.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from summarizer.validate.report import Finding, Span
from summarizer.validate.starts import matches_from, word_starts
from summarizer.validate.words import STEMS, STOPWORDS, TOKEN, split, split_sentences, stem

__all__ = ["FRAME_KINDS", "SourceSentences", "check_frames", "clear_caches"]

#: The finding kinds this module reports.
FRAME_KINDS = ("certainty", "negation", "direction", "period", "attribution")

#: The share of an output sentence's content (rarity-weighted) its aligned source sentences must cover.
MIN_COVER = 0.4
#: How many words after a negator or hedge fall in its scope (within its clause).
SCOPE = 4

# Verbal negators negate the verb they bear on; determiners ("no injuries", "nothing") negate a noun phrase, and a
# summary often words the same fact with a verbal negation, so they only count where the source has them.
_VERBAL_NEGATORS = frozenset(split("not n't never cannot"))
_NEGATORS = _VERBAL_NEGATORS | frozenset(split("no without nor neither none nobody nothing nowhere"))
# Words that negate what follows them by their meaning ("unable to fix", "refused to pay", "failed to stop").
# They negate only a verb ("failed to stop"), not a noun ("a failed drug test", "refused offers").
_NEGATIVE_VERBS = frozenset(split("unable fail fails failed failing refuse refuses refused refusing declined"))
# "not only X but Y", "no doubt", "not least": negators that negate nothing.
_NOT_NEGATING = re.compile(
    # Every branch starts with an "n": the lookahead fails most positions at once, before any branch is tried.
    r"(?=[nN])(?:\b(?:not\s+only|not\s+just|not\s+least|no\s+doubt|nothing\s+but|no\s+sooner)\b"
    # "not the first time": litotes, it says the thing happened before.
    r"|\bnot\s+(?:for\s+)?the\s+first\b"
    # "the no-fly list", "a no-confidence vote", "a not-for-profit": a compound word, no negator.
    r"|\b(?:no|not)-(?=[a-z])"
    # "not limited to rape": it names one of several things, and denies none.
    r"|\bnot\s+(?:limited|restricted|confined)\s+to\b"
    # "it is not known whether", "does not know how much longer": doubt, like "it is unclear whether".
    r"|(?:n['’]t|\bnot)\s+(?:known|know|clear|sure|certain)\s+(?:whether|if|how|what|why|when|who)\b"
    # "couldn't be happier", "could not be more shocked": a superlative, not a negation.
    r"|(?:n['’]t|\bnot)\s+(?:have\s+)?(?:been\s+|be\s+)?(?:any\s+)?(?:more|happier|prouder|better|worse)\b"
    # "No. 1", "No 10": a number sign. "could not"/"couldn't": past inability, not a hedge (see _heads).
    r"|\bNo\.?\s+\d)",
    re.I,
)
_NOT_NEGATING_OPENERS = ("no", "n'", "n’")
# "the No Fly List", "No Child Left Behind": a capitalised "No" inside a sentence, before a capitalised word, is part
# of a name (case matters here, so it is a pattern of its own).
_NO_IN_NAME = re.compile(r"(?<=[a-z,;] )No(?= [A-Z][a-z])")
# Modal verbs and hedges: what follows is possible, planned, expected or reported, not done.
_HEDGES = frozenset(
    split(
        # Not "would" (reported speech backshifts "will" to it) nor "set to"/"due to" (a schedule, like "will").
        # Not the adverbs of degree "possibly", "probably", bare "likely": they qualify a description ("possibly a
        # black jacket", "will likely be unable"), and annotators of LLM summaries do not count their loss an error.
        "may might could reportedly allegedly apparently likely expected plan plans "
        "planned planning aim aims intend intends intended threatened threatens threaten considering"
    )
)
# Hedges that make a statement someone's claim: an output that attributes the statement keeps it one.
_CLAIMED = frozenset(split("reportedly allegedly apparently"))
# Hedges that only hedge before "to": "expected to rise", "set to", "plans to" (not "the plans", "a set").
_HEDGES_BEFORE_TO = frozenset(split("likely expected plan plans planned planning aim aims intend intends intended"))
# Words that leave the output itself short of certainty: its own hedges, directives, reports, conditions.
_OUTPUT_HEDGES = frozenset(
    stem(w) for w in (*_HEDGES, *split("would cannot can't aiming intending planning expecting threatening purported"))
) | frozenset(
    stem(w)
    for w in split(
        "can should must if unless whether risk risks threat chance possible potential potentially perhaps "
        "suggest suggests suggested advise advises advised urge urges urged recommend recommends recommended "
        "warn warns warned call calls called ask asks asked claim claims claimed allege alleges "
        "alleged believe believes believed argue argues argued expects expect hope hopes hoped "
        "seek seeks sought propose proposes proposed consider considers suspected accused belief view cite cites "
        "cited insist insists insisted maintain maintains unclear uncertain doubt concern concerns fear fears "
        "worry worries question questions "
        # A judgement or a wish is no statement of fact either ("deemed safer", "wished there were more parents").
        "deem deems deemed wish wishes wished describe describes described"
    )
)
# What leaves a negation itself in doubt ("it is unclear whether …", "may not", "fears it would not").
_DOUBT = frozenset(
    stem(w)
    for w in split(
        "may might could would should if unless whether unclear uncertain doubt question concern fear worry hope "
        "cannot can probably perhaps possibly unlikely"
    )
)
# Modals of obligation, ability and will: "should not be judged" and "should be judged" contradict each other, as
# "could not attend" and "could attend" do. The epistemic "may" and "might" do not ("may not attend" / "may attend").
_BINDING_MODALS = frozenset(split("should must can could would will shall"))
# What stands between a modal and the verb it governs ("should not have been judged").
_MODAL_GAP = frozenset(split("not n't never be been have being also still ever"))
# Every marker word a frame rule reads: never the context that tells two statements apart.
_MARKER_WORDS = _NEGATORS | _NEGATIVE_VERBS | _HEDGES
# Words whose clause leaves a verb not (yet) done without a negator: "until Park accepts" (not yet accepted),
# "tried to land" (an attempt, which may have failed). An added negation of what they govern is no contradiction.
_OPEN = frozenset(split("until unless tried attempted attempt attempts attempting trying sought seeking"))
_ATTEMPT = _OPEN - {"until", "unless"}
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# A wh-word opens an embedded clause, which a negator before it does not negate: "no information on where he was
# hospitalized" says nothing against "he was hospitalized"; "did not say when" leaves the event stated.
_WH_WORDS = "where|when|whether|why|how"
_EMBEDDED = re.compile(rf"\b(?:{_WH_WORDS})\b", re.I)
# A relative or wh-clause after a negator is presupposed, not negated: "nor the officer who were injured" states the
# injury; "did not say where he was hospitalized" the stay.
_SUBORDINATE = re.compile(rf"\b(?:who|whom|whose|which|{_WH_WORDS})\b", re.I)
# Where another clause begins, for reading back to a subject: a clause break without the commas, dashes and "who"
# of an apposition ("Selena, the Tejano icon who died 20 years ago, is …").
_COORDINATION = re.compile(r"[;:()\[\]]|[.!?](?:\s|$)|\b(?:but|and|while|which|although|though|because)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s|\bbut\b|\band\b|\bwhile\b|\bwhich\b|\bwho\b", re.I)
# Words between a marker and the verb it bears on: auxiliaries and adverbs ("may not have been fully").
_SKIP = frozenset(
    split(
        "be been being have has had to also still even ever yet now then only just really likely further fully "
        "immediately longer soon again already more once than be get got"
    )
)

_UP = frozenset(
    split(
        "rise rose risen rising rises increase increased increases increasing grow grew grown growing grows "
        "growth gain gained gains climb climbed climbs jump jumped jumps surge surged surges soar soared soars "
        "higher boost boosted expand expanded raise raised hike hiked up"
    )
)
_DOWN = frozenset(
    split(
        "fall fell fallen falling falls decrease decreased decreases decreasing decline declined declines "
        "declining drop dropped drops shrink shrank shrunk shrinking plunge plunged plunges slump slumped slumps "
        "lower lowered cut cuts reduce reduced reduces slash slashed down"
    )
)
# Loss words ("lost both legs" / "gained"): a fall only where the same statement is compared, since "lost to
# imported vernacular" beside "the rise of television" is no change of one quantity.
_LOSS = frozenset(split("lose loses lost losing loss losses"))
# Above and below a mark ("above average", "amputated below the knee"): a way only against the same mark, since
# "above" is a place as often ("the flat above the shop").
_ABOVE = frozenset(split("above"))
_BELOW = frozenset(split("below"))
# Prepositions that make a predicate of place or state after "be" ("is not above the law", "was not in the room").
_PLACE = frozenset(split("above below beyond under over in on at inside outside behind among within"))
# Articles: a negated noun phrase bears on its noun ("is not the main suspect").
_DETERMINERS = frozenset(split("the a an"))
# "up"/"down" are particles far more often ("set up", "shut down"): a direction only right before a figure.
_PARTICLES = frozenset(split("up down"))
_FIGURE_NEXT = re.compile(r"\s+(?:by\s+)?(?:about\s+|nearly\s+|almost\s+|some\s+)?[$£€]?\d")
# Every word _directions reads, whether ``loss`` is asked or not.
_CHANGE_WORDS = _UP | _DOWN | _LOSS | _ABOVE | _BELOW | _PARTICLES

_QUARTER = re.compile(
    r"\b(?:(?P<q>first|second|third|fourth|final|last)\s+(?:fiscal\s+)?(?P<u>quarter|half)|Q(?P<n>[1-4])"
    r"|H(?P<h>[12])|(?P<rel>last|this|next|previous)\s+(?P<ru>year|month|week))\b",
    re.I,
)
_WEEKDAY = re.compile(r"\b(?P<d>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
_ORDINAL_OF = {"first": "1", "second": "2", "third": "3", "fourth": "4", "final": "4", "last": "4"}

_SAID = r"(?:said|says|say|told|tells|stated|states|announced|announces|according\s+to)"
# "claimed responsibility" (took it) and "claimed the title" are not reports of a claim.
_DISTANCING = re.compile(
    r"\b(?:claim(?:s|ed)?(?!\s+(?:responsibility|credit|victory|the\s+title|the\s+lives|lives|a\s+seat|his|her|their|its|an?)\b)|alleg(?:e|es|ed|edly)|accus(?:e|es|ed)|insist(?:s|ed)?|purport(?:s|ed|edly)?|"
    r"contend(?:s|ed)?|maintain(?:s|ed)?\s+that|reportedly)\b",
    re.I,
)
# Also the nouns and verbs of a report, a protest, an admission or a description: "despite protests that he was
# complicit", "admitted to committing the crimes under duress", "she is described as …" keep the claim a claim.
_ATTRIBUTES = re.compile(
    rf"\b(?:{_SAID}|claim(?:s|ed)?|alleg\w*|accus\w*|insist\w*|warn\w*|deni\w*|deny|report(?:s|ed|edly)?|"
    r"protest(?:s|ed|ers?)?|admit(?:s|ted)?|describ(?:e|es|ed)|rumou?r(?:s|ed)?)\b",
    re.I,
)
# "JetBlue", "McDonald": a capital inside a name is still that name.
_NAME_WORD = r"(?:[A-Z][a-z'’]+(?:[A-Z][a-z'’]+)*|(?:[A-Z]\.)+)"
# "of" joins the words of one name ("the U.S. Department of Justice", "Bank of England").
_NAME = rf"(?:{_NAME_WORD}(?:\s+(?:of\s+)?{_NAME_WORD}){{0,4}})"
# Titles and roles before a name are not the name ("Assistant U.S. Attorney Nadine Pellegrini").
_TITLES = frozenset(
    split(
        "mr mrs ms dr sir lord lady president prime minister secretary senator sen rep governor gov mayor judge "
        "justice attorney general assistant deputy chief officer spokesman spokeswoman spokesperson director "
        "professor prof coach captain commissioner sheriff detective inspector sergeant the former acting u.s"
    )
)
_PRONOUNS = frozenset(split("he she they we it i"))
_SPEAKER_PATTERNS = (
    re.compile(rf"\baccording\s+to\s+(?:the\s+)?(?P<who>{_NAME})"),
    re.compile(rf"(?<!\w)(?P<who>{_NAME})\s+(?:has\s+|had\s+)?(?:{_SAID}|claimed|alleged|insisted|accused)\b"),
    # ', said Smith' / '," says Smith': the inverted order only right after the quotation or clause it reports.
    re.compile(rf"[,\"”]\s*(?:{_SAID})\s+(?P<who>{_NAME})\b"),
)


@dataclass(frozen=True, slots=True)
class SourceSentences:
    """What the frame checks need of a prepared source: sentence spans, their content words, word rarity."""

    text: str
    spans: Sequence[tuple[int, int]]
    words: Sequence[frozenset[str]]
    idf: dict[str, float]
    unknown_idf: float


_MONTH_NEXT = re.compile(r"\s+\d")
_SEMICOLON_NT = re.compile(r"(?<=[a-z])n;t\b", re.I)


class _Tok(NamedTuple):
    # A named tuple, not a frozen dataclass: a source has hundreds of tokens, made three times faster so.
    start: int
    end: int
    low: str
    stem: str


_NEW_TOK = tuple.__new__


@lru_cache(maxsize=8192)
def _toks(text: str, start: int, end: int) -> list[_Tok]:
    """The tokens of ``text[start:end]``, once per sentence: every output sentence aligned to it reads them again.

    Callers never change the list (it is shared through the cache)."""
    out: list[_Tok] = []
    # "didn;t": a semicolon typed for the apostrophe (the next key) still makes a contraction; same length, so the
    # offsets hold.
    seg = _SEMICOLON_NT.sub("n't", text[start:end]) if ";" in text[start:end] else text[start:end]
    stems = STEMS
    for m in TOKEN.finditer(seg):
        w = m.group()
        low = w.lower()
        if "'" not in w and "’" not in w and low != "may":
            # Most words: no apostrophe, no "May" (a month or the modal); none of the cases below applies. Made by
            # tuple.__new__, not _Tok(...): the named tuple's own __new__ is a Python call per token.
            out.append(_NEW_TOK(_Tok, (m.start() + start, m.end() + start, low, stems[w])))
            continue
        a, b = m.start() + start, m.end() + start
        # A closing quote mark glued to a word ("‘nothing’") is not part of it.
        while w and w[-1] in "'’" and not w.lower().endswith(("n't", "n’t")):
            w, b = w[:-1], b - 1
        if not w:
            continue
        low = w.lower()
        if low in ("n't", "n’t"):  # tokenized text: "did n't"
            out.append(_Tok(a, b, "n't", "n't"))
            continue
        if low == "may" and _MONTH_NEXT.match(text, b):
            out.append(_Tok(a, b, "may-month", "may-month"))  # "May 22": the month, not the modal
            continue
        # "didn't" reads as "did" + "not": the negator is a token of its own.
        if low.endswith(("n't", "n’t")) and len(low) > 3:
            base = {"ca": "can", "wo": "will", "sha": "shall"}.get(low[:-3], low[:-3])
            out.append(_Tok(a, b - 3, base, stem(base)))
            out.append(_Tok(b - 3, b, "not", "not"))
            continue
        out.append(_Tok(a, b, low, stem(w)))
    return out


def _content(toks: list[_Tok]) -> set[str]:
    return {t.stem for t in toks if t.low not in STOPWORDS and len(t.stem) > 2}


def _breaks(text: str, a: int, b: int) -> bool:
    """True when a clause (or sentence) boundary stands between two offsets."""
    if b < a:
        return True  # aligned sentences are listed best first: a later token that stands earlier is another sentence
    # A sentence end too: aligned sentences are read as one token list, and tokenized text ("it . the") has them.
    return _CLAUSE_BREAK.search(text, a, b) is not None or _SENTENCE_END.search(text, a, b) is not None


def _not_negating(text: str, toks: list[_Tok]) -> set[int]:
    """The offsets of negators that negate nothing ("not only", "could not be happier") among the tokens."""
    if not toks:
        return set()
    # The tokens may come from several sentences in any order: the matches of the whole text, once per text,
    # kept where one of the tokens starts.
    found = _not_negating_in(text)
    if not found:
        return set()
    starts = {t.start for t in toks}
    return {at for at in found if at in starts}


@lru_cache(maxsize=64)
def _not_negating_in(text: str) -> frozenset[int]:
    """Where a negator that negates nothing starts, over the whole text."""
    low = _lower(text)
    if len(low) == len(text):
        # Every branch of _NOT_NEGATING opens on "no" or "n't" (in any case; no other character matches those
        # letters ignoring case): the pattern is tried where they stand, not at each position of the source.
        found = {m.start() for m in matches_from(_NOT_NEGATING, text, word_starts(low, _NOT_NEGATING_OPENERS))}
    else:
        found = {m.start() for m in _NOT_NEGATING.finditer(text)}  # lowering moved the offsets ("İ")
    found.update(m.start() for m in matches_from(_NO_IN_NAME, text, word_starts(text, ("No ",))))
    return frozenset(found)


def _context(text: str, toks: list[_Tok], at: int, steps: tuple[int, ...] = (-1, 1), width: int = 4) -> set[str]:
    """The roots of the content words around token ``at`` in its clause (not itself, markers or adverbs): what
    tells whether two occurrences of a word are the same statement ("live in California" / "lives in Maryland")."""
    out: set[str] = set()
    me = toks[at]
    for step in steps:
        j, taken = at + step, 0
        # The window counts content words: "pleaded not guilty in Ohio Friday to federal charges" reaches the charges.
        while 0 <= j < len(toks) and taken < width and abs(j - at) <= 2 * width + 2:
            u = toks[j]
            lo, hi = (u.end, me.start) if step < 0 else (me.end, u.start)
            if lo > hi or _breaks(text, lo, hi):
                break
            taken += u.low not in STOPWORDS
            if (
                u.low not in STOPWORDS
                and u.low not in _MARKER_WORDS
                and u.low not in _SKIP
                and u.stem not in _OUTPUT_HEDGES  # "believes", "claims": the frame around a statement, not it
                and len(u.stem) > 2
                and not u.low.endswith("ly")
                and u.stem != me.stem
            ):
                out.add(u.stem[:4])  # the light stemmer leaves "charging"/"charge" apart: compare their roots
            j += step
    return out


def _same_statement(text: str, toks: list[_Tok], at: int, other_text: str, other_toks: list[_Tok], stem_: str) -> bool:
    """False when token ``at`` and every occurrence of ``stem_`` on the other side are two statements that share a
    word: the words after it (its object or complement) differ where both have some ("live in California" / "lives
    in Maryland"), or else the words around it do ("unable to make any responses" / "make a full recovery")."""
    others = [j for j, u in enumerate(other_toks) if u.stem == stem_]
    after = _context(text, toks, at, (1,))
    around = _context(text, toks, at)
    for j in others:
        theirs = _context(other_text, other_toks, j, (1,))
        if after and theirs:
            if after & theirs:
                return True
            continue
        theirs = _context(other_text, other_toks, j)
        if not around or not theirs or around & theirs:
            return True
    return not others


def _heads(
    text: str,
    toks: list[_Tok],
    markers: frozenset[str],
    *,
    before_to: frozenset[str] = frozenset(),
    through: frozenset[str] = frozenset(),
) -> dict[str, _Tok]:
    """The word each marker (negator or hedge) bears on → the marker: the first content word after it in its
    clause, past auxiliaries and adverbs ("did not immediately respond" → respond; "may have abandoned" →
    abandon) and the words in ``through`` (articles: "is not the main suspect" → main). Markers in ``before_to``
    count only when "to" follows them ("expected to rise")."""
    out: dict[str, _Tok] = {}
    skip: set[int] | None = None  # read at the first marker: most token lists hold none
    for i, t in enumerate(toks):
        if t.low not in markers:
            continue
        if skip is None:
            skip = _not_negating(text, toks)
        if t.start in skip:
            continue
        rest = toks[i + 1 : i + 1 + SCOPE + 2]
        if (t.low in before_to or t.low in _NEGATIVE_VERBS) and (not rest or rest[0].low != "to"):
            continue
        if t.low == "could" and rest and rest[0].low in _NEGATORS:
            continue  # "could not fix": he was unable to, a fact, not a possibility
        place = False
        for u in rest:
            if _breaks(text, t.end, u.start):
                break
            if u.low in _SKIP or u.low in markers or u.low in _NEGATORS or len(u.stem) < 3 or u.low.endswith("ly"):
                continue
            if u.low in _PLACE or (place and u.low in STOPWORDS):
                place = True  # "not above the law": a negated place or state bears on the noun it names
                continue
            if u.low in through:
                continue
            if u.low in STOPWORDS:
                break
            out.setdefault(u.stem, t)
            break
    return out


def _near_marker(toks: list[_Tok], at: int, markers: frozenset[str], window: int = 6) -> bool:
    """True when one of ``markers`` stands among the ``window`` tokens before token index ``at``."""
    return any(t.low in markers for t in toks[max(0, at - window) : at])


def _marker_in_clause(text: str, toks: list[_Tok], at: int, markers: frozenset[str], window: int = 6) -> bool:
    """True when one of ``markers`` stands among the ``window`` tokens before token index ``at`` in its clause: "no"
    of "no blackout dates, points that do expire" is another list item's."""
    for t in reversed(toks[max(0, at - window) : at]):
        if _breaks(text, t.end, toks[at].start):
            return False
        if t.low in markers:
            return True
    return False


def _negated_after(text: str, toks: list[_Tok], at: int, window: int = 6) -> bool:
    """True when a verbal negator follows token index ``at`` in its clause ("Messi did not feature")."""
    for t in toks[at + 1 : at + 1 + window]:
        if _breaks(text, toks[at].end, t.start):
            return False
        if t.low in _VERBAL_NEGATORS:
            return True
    return False


def _excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    cut = " ".join(text[a:b].split())
    return ("…" if a else "") + cut + ("…" if b < len(text) else "")


def _phrase(text: str, marker: _Tok, anchor: _Tok | None) -> str:
    """The source words from a marker to its anchor ("may abandon"), as an editor would quote them."""
    end = anchor.end if anchor is not None and anchor.end > marker.start else marker.end
    start = marker.start
    while start > 0 and text[start - 1].isalpha():
        start -= 1  # "doesn't fall", not "n't fall": the contraction is quoted whole
    return " ".join(text[start:end].split())


def _align(src: SourceSentences, words: set[str], cited: list[int]) -> tuple[list[int], list[int]]:
    """The source sentences an output sentence says the same thing as (cited ones first), or []; and the wider
    set (the four best) that a rule consults before it says the source never words it the output's way."""
    idf, unk = src.idf, src.unknown_idf
    total = math.fsum(idf.get(w, unk) for w in words)
    if not total:
        return [], []
    # Only the sentences sharing a word are scored: every rarity is positive, so they are the ones scoring above
    # 0.0, and below only those above 0.0 are read (most sentences share none).
    scored = sorted(
        (
            (math.fsum(idf.get(w, unk) for w in words & sw), i)
            for i, sw in enumerate(src.words)
            if not words.isdisjoint(sw)
        ),
        key=lambda t: -t[0],
    )
    wider = [i for sc, i in scored[:4] if sc > 0]
    if cited:
        covered = math.fsum(idf.get(w, unk) for w in words & frozenset().union(*(src.words[i] for i in cited)))
        return (cited if covered / total >= MIN_COVER * 0.6 else []), sorted({*cited, *wider})
    best = [i for sc, i in scored[:2] if sc > 0]
    if not best or scored[0][0] / total < MIN_COVER * 0.7:
        return [], wider
    covered = math.fsum(idf.get(w, unk) for w in words & frozenset().union(*(src.words[i] for i in best)))
    return (best if covered / total >= MIN_COVER else []), wider


def clear_caches() -> None:
    """Forget the tokens and per-source readings kept for the sources seen (for cold-start measurements)."""
    for cached in (_toks, _not_negating_in, _lower, _negated_in, _speaker):
        cached.cache_clear()


def check_frames(
    src: SourceSentences, fields: Sequence[tuple[str, str]], cited: dict[str, list[Span]] | None = None
) -> list[Finding]:
    """The frame findings (certainty, negation, direction, period, attribution) of every output field."""
    findings: list[Finding] = []
    for path, text in fields:
        spans = (cited or {}).get(path, [])
        ids = sorted({i for i, (s, e) in enumerate(src.spans) for sp in spans if sp.start < e and sp.end > s})
        for start, end in split_sentences(text):
            parts = _aligned_parts(src, text, start, end, ids)
            if not parts:
                toks = _toks(text, start, end)
                one_way = _one_way(text, *_directions(text, toks, loss=True))
                loose = _direction_anywhere(src, path, text, (start, end), toks, one_way)
                if loose is not None:
                    findings.append(loose)
            for a, b, out_toks, aligned, wider in parts:
                src_toks = [tok for i in aligned for tok in _toks(src.text, *src.spans[i])]
                # Read once for the five rules (most of them need the shared words first).
                pair = _Pair(path, text, (a, b), out_toks, src, aligned, src_toks, wider, _anchors(out_toks, src_toks))
                for rule in _RULES:
                    finding = rule(pair)
                    if finding is not None:
                        findings.append(finding)
    return findings


# Where an output sentence fuses several source sentences, each of its clauses may still say what one of them says.
_PART_BREAK = re.compile(r"[;:—–]|,\s+(?=(?:and|but|while|after|before|as|because|which|who|when)\b)|\s-\s", re.I)
_MIN_PART_WORDS = 5


def _aligned_parts(
    src: SourceSentences, text: str, start: int, end: int, ids: list[int]
) -> list[tuple[int, int, list[_Tok], list[int], list[int]]]:
    """The output sentence with its aligned source sentences; where it aligns to none as a whole, each clause of
    it (of five content words or more) that does align on its own."""
    out_toks = _toks(text, start, end)
    words = _content(out_toks)
    if len(words) < 2:
        return []
    aligned, wider = _align(src, words, ids)
    if aligned:
        return [(start, end, out_toks, aligned, wider)]
    parts: list[tuple[int, int, list[_Tok], list[int], list[int]]] = []
    cuts = [start, *(m.start() for m in _PART_BREAK.finditer(text, start, end)), end]
    if len(cuts) < 3:
        return []
    for a, b in itertools.pairwise(cuts):
        while a < b and (text[a].isspace() or text[a] in ",;:—–-"):
            a += 1  # the part starts at its first word, not at the break before it
        toks = _toks(text, a, b)
        words = _content(toks)
        if len(words) < _MIN_PART_WORDS:
            continue
        aligned, wider = _align(src, words, ids)
        if aligned:
            parts.append((a, b, toks, aligned, wider))
    return parts


@dataclass(frozen=True, slots=True)
class _Pair:
    """One output sentence and the source sentences it aligns to: what every rule reads."""

    path: str
    text: str
    sent: tuple[int, int]
    out_toks: list[_Tok]
    src: SourceSentences
    aligned: list[int]
    src_toks: list[_Tok]
    wider: list[int]
    """The wider set of source sentences a rule consults before it says the source never words it this way."""
    anchors: set[str]
    """The content words the output sentence shares with its aligned source sentences (never changed)."""


def _finding(
    kind: str, path: str, text: str, where: tuple[int, int], reason: str, source_span: tuple[int, int], src: str
) -> Finding:
    a, b = where
    return Finding(
        kind=kind,  # type: ignore[arg-type]
        field=path,
        text=" ".join(text[a:b].split()),
        span=Span(start=a, end=b, text=text[a:b]),
        status="unsupported",
        source_spans=[Span(start=source_span[0], end=source_span[1], text=src[source_span[0] : source_span[1]])],
        reason=reason,
        confidence=0.0,
    )


def _anchors(out_toks: list[_Tok], src_toks: list[_Tok]) -> set[str]:
    return _content(out_toks) & _content(src_toks)


def _certainty(pair: _Pair) -> Finding | None:
    """The source hedges the verb an output states plainly ("may abandon" / "will abandon"), or makes the clause
    it shares with the output conditional ("… unless progress is made")."""
    path, text, sent, out_toks, src, src_toks = pair.path, pair.text, pair.sent, pair.out_toks, pair.src, pair.src_toks
    if any(t.stem in _OUTPUT_HEDGES or t.low in _OUTPUT_HEDGES for t in out_toks):
        return None
    anchors = pair.anchors
    if len(anchors) < 2:
        return None
    hedged = _heads(src.text, src_toks, _HEDGES, before_to=_HEDGES_BEFORE_TO)
    negated = _heads(text, out_toks, _NEGATORS | _NEGATIVE_VERBS)
    hits = [(hedged[a], a) for a in anchors if a in hedged and a not in negated]
    # The hedged verb and the output's must be one statement ("could have sentenced her to death" is not "is
    # sentenced to life"): their neighbouring words must overlap, as for a negation.
    hits = [(m, a) for m, a in hits if _same_statement(src.text, src_toks, _index(src_toks, a, m), text, out_toks, a)]
    # The source may state elsewhere plainly what it hedges here ("the jury could have sentenced her to death" …
    # "she was sentenced to life"): a statement the source also makes without a hedge is not made certain.
    hits = [(m, a) for m, a in hits if not _stated_plainly(src, a, text, out_toks)]
    if _ATTRIBUTES.search(text, *sent) is not None:
        # "allegedly traveled" / "prosecutors said he traveled": the output keeps it someone's claim.
        hits = [(m, a) for m, a in hits if m.low not in _CLAIMED]
    if hits:
        marker, anchor = min(hits, key=lambda h: h[0].start)
        anchor_tok = _first(src_toks, anchor, marker.start)
        quoted = _phrase(src.text, marker, anchor_tok)
        cond = _condition(src.text, src_toks, marker.start)
        more = f" … {cond}" if cond else ""
        reason = f"the source says '{quoted}{more}'; the output states it as certain"
        where = (marker.start, anchor_tok.end if anchor_tok else marker.end)
        return _finding("certainty", path, text, sent, reason, where, src.text)
    # "unless": the clause before it holds only on a condition; an output that shares that clause must keep it.
    for i, t in enumerate(src_toks):
        if t.low != "unless":
            continue
        clause = {u.stem for u in src_toks[max(0, i - 12) : i]}
        if len(anchors & clause) >= 3:
            cond = _condition(src.text, src_toks, t.start - 1)
            if _keeps_condition(out_toks, cond):
                continue
            reason = f"the source makes it conditional ('{cond}'); the output drops the condition"
            return _finding("certainty", path, text, sent, reason, (t.start, t.start + len(cond)), src.text)
    return None


_CONDITION_MARKERS = frozenset(split("unless if without until provided"))


def _keeps_condition(out_toks: list[_Tok], cond: str) -> bool:
    """True when the output states a condition of its own that shares a word root with the source's ("without
    agreement" for "unless the eurozone agrees"): the condition is reworded, not dropped."""
    if not any(t.low in _CONDITION_MARKERS for t in out_toks):
        return False
    roots = {m.group().lower()[:5] for m in TOKEN.finditer(cond) if len(m.group()) > 3} - {"unles"}
    return any(t.low[:5] in roots for t in out_toks if len(t.low) > 3 and t.low not in STOPWORDS)


def _stated_plainly(src: SourceSentences, stem_: str, text: str, out_toks: list[_Tok]) -> bool:
    """True when some source sentence states the output's statement about ``stem_`` with no hedge on it."""
    # A stem is a prefix of its lower-cased word (but "-ies" → "-y"): sentences without it are not tokenized.
    key = stem_.split("'")[0]
    key = key[:-1] if key.endswith("y") else key
    low = _lower(src.text)
    for a, b in src.spans:
        if low.find(key, a, b) < 0:
            continue
        toks = _toks(src.text, a, b)
        at = next((j for j, t in enumerate(toks) if t.stem == stem_), None)
        if (
            at is None
            or _near_marker(toks, at, _HEDGES)
            or stem_ in _heads(src.text, toks, _HEDGES, before_to=_HEDGES_BEFORE_TO)
        ):
            continue
        if _same_statement(src.text, toks, at, text, out_toks, stem_) and len(_anchors(out_toks, toks)) >= 3:
            return True
    return False


@lru_cache(maxsize=16)
def _lower(text: str) -> str:
    """``text`` in lower case, once per source."""
    return text.lower()


def _condition(text: str, toks: list[_Tok], after: int) -> str:
    """The first "unless …"/"if …" clause after an offset, up to its clause end (or '')."""
    for t in toks:
        if t.start > after and t.low in ("unless", "if"):
            m = _CLAUSE_TEXT.match(text, t.start)
            return " ".join(m.group().translate(_NO_QUOTES).split()) if m else t.low
    return ""


_CLAUSE_TEXT = re.compile(r"[^,;.!?]*")
_PRESUPPOSED = re.compile(r"\b(?:despite|in spite of|although|even though)\b", re.I)
_NO_QUOTES = str.maketrans("", "", '"“”‘’')


def _negation(pair: _Pair) -> Finding | None:
    """What a negator scopes over is negated on one side only ("did not attend" / "attended").

    Read per anchor: an added negation when the output negates a word that no negator, negative word or open
    clause bears on in the aligned (or wider) source sentences; a dropped one when the source negates a word the
    output states with no negation near it. Either way the two occurrences must be one statement: their
    neighbouring words must overlap ("cannot be used as a sex slave" / "used as concubines" do; "unable to make any
    responses" / "expected to make a full recovery" do not)."""
    path, text, sent, out_toks, src, aligned, src_toks, wider = (
        pair.path,
        pair.text,
        pair.sent,
        pair.out_toks,
        pair.src,
        pair.aligned,
        pair.src_toks,
        pair.wider,
    )
    anchors = pair.anchors
    if len(anchors) < 2:
        return None
    markers = _NEGATORS | _NEGATIVE_VERBS
    # The output's negation is read over its scope, the source's over the rest of its clause: the output must
    # negate what the source plainly states, not a word that stands a little further from the source's negator.
    out_scope = _scope(text, out_toks, _VERBAL_NEGATORS | _NEGATIVE_VERBS)
    hits = sorted(anchors & set(out_scope))
    # Where the aligned source sentences negate near the words, a negation of the output is too often the same one
    # worded another way ("failed to" / "did not", "unable, due to her condition, to attend" / "cannot attend").
    if hits and _negator_before(src, aligned, set(out_scope), markers):
        # Then a negation of the output is read only where it bears on the verb and object the source states
        # plainly ("did not attend the talks" / "attended the talks").
        hits = [a for a in hits if _plain_with_object(text, out_toks, out_scope[a], a, src, src_toks)]
    elif hits and (
        _live_negators(src.text, src_toks, markers)
        or any(_NEGATIVE_PREFIX.search(src.text, *src.spans[i]) for i in aligned)
    ):
        # A negator elsewhere in them: read at the word the output's negator bears on, not at its arguments ("not
        # influenced by Hernandez's status": influenced).
        heads = _heads(text, out_toks, _VERBAL_NEGATORS | _NEGATIVE_VERBS, through=_DETERMINERS)
        hits = [a for a in hits if a in heads]
    if hits:
        spans = [src.spans[i] for i in sorted({*aligned, *wider})]
        negated = _negated(src.text, spans)
        for a in hits:
            if a in negated:
                continue
            # An output sentence often fuses source sentences the alignment missed: a word the output negates by a
            # negative verb and the source negates in another sentence is that negation reworded ("failed to
            # report" for "found guilty of failure to report"). A plain "not" gets no such leeway.
            if out_scope[a].low in _NEGATIVE_VERBS and a in _negated_anywhere(src):
                continue
            neg = out_scope[a]
            tok = next(t for t in src_toks if t.stem == a)
            shared = _modal_of(src_toks, src_toks.index(tok))
            if _in_doubt(text, out_toks, neg, shared):
                continue  # "it is unclear whether … not", "may not": the output asserts neither way
            if _litotes(out_toks, neg, anchors):
                continue  # "hasn't missed a race" for "has attended every race": a negated negative verb
            at = _index(out_toks, a, neg)
            reason = (
                f"the output negates it ('{_phrase(text, neg, out_toks[at])}'); the source does "
                f"not ('{_excerpt(src.text, tok.start, tok.end, 30)}')"
            )
            return _finding("negation", path, text, sent, reason, (tok.start, tok.end), src.text)
    added = _added_unworded(pair)
    if added is not None:
        return added
    # A dropped negation is read at the word it bears on (its scope reaches too far into other clauses' words).
    src_scope = _heads(src.text, src_toks, markers)
    candidates = anchors & set(src_scope)
    if not candidates:
        return None  # most aligned sentences negate none of the anchors: the readings below are not needed
    wide = [src.spans[i] for i in wider]
    plain = _plain_words(src.text, wide)
    out_negated = _negated(text, [sent])
    for h in sorted(candidates - out_negated, key=lambda h: src_scope[h].start):
        marker = src_scope[h]
        at = _index(src_toks, h, marker)
        if h in plain and not _only_negated_with(src.text, src_toks, at, wide, text, out_toks):
            continue  # the source states the word plainly too: the output may be saying that
        mine = [j for j, t in enumerate(out_toks) if t.stem == h]
        if any(_marker_in_clause(text, out_toks, j, markers) for j in mine):
            continue
        shared = _modal_of(src_toks, src_toks.index(marker))
        if all(
            any(t.stem in _DOUBT and k != _modal_at(out_toks, j, shared) for k, t in enumerate(out_toks[:j]))
            for j in mine
        ):
            # "it is unclear whether …", "would seem likely that …": what follows a word of doubt is stated
            # plainly by nothing; a doubt after the word ("allowed to return despite … she could work") is no
            # doubt of it.
            continue
        if marker.low == "without" and any(_negated_after(text, out_toks, j) for j in mine):
            continue  # "without Lionel Messi" / "Lionel Messi did not feature": the clause carries the negation
        if not _same_statement(src.text, src_toks, at, text, out_toks, h):
            continue
        if _conditional(src.text, src_toks, marker) or _generic_relative(src.text, src_toks, marker):
            continue  # "vowing to walk if he couldn't be reunited": a hypothetical negation asserts nothing
        if _comparison(src.text, src_toks, marker):
            continue  # "no Australian player more famous than Benaud": a superlative ("the most famous"), no denial
        word = src_toks[at]
        m = _modal_at(src_toks, src_toks.index(marker), shared)
        said = _phrase(src.text, src_toks[m] if m >= 0 else marker, word)  # "should not be judged", modal and all
        reason = f"the source says '{said}'; the output drops the negation"
        return _finding("negation", path, text, sent, reason, (marker.start, word.end), src.text)
    return None


def _added_unworded(pair: _Pair) -> Finding | None:
    """The output denies an event in a word the source does not use ("were not killed" for "died"), where the aligned
    source sentence states the words around it and negates nothing: the negation is the output's own."""
    text, out_toks, src, anchors = pair.text, pair.out_toks, pair.src, pair.anchors
    heads = _heads(text, out_toks, _VERBAL_NEGATORS, through=_DETERMINERS)
    # A word the source negates anywhere may be fused in from there ("declines … to review" / "didn't review").
    heads = {h: t for h, t in heads.items() if h not in anchors and h not in _negated_anywhere(src)}
    if not heads:
        return None
    if _negated_clauses(src, pair.aligned):
        return None  # the aligned sentences negate something: the output's negation may be theirs, reworded
    near_ids = {j for i in pair.aligned for j in (i - 1, i + 1) if 0 <= j < len(src.spans)}
    src_clauses = _negated_clauses(src, sorted({*pair.wider, *near_ids}))
    for h, neg in sorted(heads.items(), key=lambda kv: kv[1].start):
        if _in_doubt(text, out_toks, neg) or _litotes(out_toks, neg, anchors):
            continue
        at = next(j for j, t in enumerate(out_toks) if t.stem == h and t.start > neg.start)
        if not _denies_event(out_toks, neg, out_toks[at]):
            continue  # "rejection is not personal": a negated description may gloss the source, an event may not
        near = _around(text, out_toks, neg) & anchors
        if len(near) < 3:
            continue
        if any(len(near & clause) >= 2 for clause in src_clauses):
            continue  # a source negation of the same statement (more than its subject's name): the output's rewords it
        best = src.spans[pair.aligned[0]]
        said = textwrap.shorten(src.text[best[0] : best[1]], 200, placeholder=" …")
        denied = _phrase(text, neg, out_toks[at])
        reason = f"the output denies it ('{denied}'); the source sentence negates nothing: '{said}'"
        return _finding("negation", pair.path, text, pair.sent, reason, best, src.text)
    return None


# Auxiliaries after which a negator negates a verb ("did not attend", "has not died", "won't run").
_VERB_AUXILIARIES = frozenset(split("do does did has have had will would can could should must might may wo ca shall"))
# Irregular past participles of common news verbs: "was not found", "is not set to".
_IRREGULAR_PARTICIPLES = frozenset(
    split(
        "found made seen left held told kept said shot hit hurt put set run won lost paid sold sent built brought "
        "bought caught taught thought fought given taken known shown born done gone struck stolen beaten bitten "
        "chosen driven eaten fallen forgotten frozen hidden ridden risen spoken sworn thrown torn woken written"
    )
)


def _denies_event(toks: list[_Tok], neg: _Tok, head: _Tok) -> bool:
    """True when the negator denies an event (a verb: "did not attend", "was not killed", "is not preparing"), not a
    description ("is not personal", "is not a threat")."""
    i = next(j for j, t in enumerate(toks) if t is neg)
    if i > 0 and toks[i - 1].low in _VERB_AUXILIARIES:
        return True
    return head.low.endswith(("ed", "en", "ing")) or head.low in _IRREGULAR_PARTICIPLES


def _around(text: str, toks: list[_Tok], neg: _Tok) -> set[str]:
    """The words of a negator's statement: its subject before it and the rest of its clause after it."""
    i = next(j for j, t in enumerate(toks) if t is neg)
    # The subject may stand before an apposition ("Selena, the Tejano icon who died …, is not"), but not in
    # another clause ("disclosed a diagnosis …, but colleagues did not").
    before = {u.stem for u in toks[max(0, i - 8) : i] if not _COORDINATION.search(text, u.end, neg.start)}
    after = {u.stem for u in toks[i + 1 : i + 10] if not _breaks(text, neg.end, u.start)}
    return before | after


def _negated_clauses(src: SourceSentences, ids: list[int]) -> list[set[str]]:
    """The content words of each clause of the given source sentences that holds a negator or negative word."""
    out: list[set[str]] = []
    for i in ids:
        a, b = src.spans[i]
        toks = _toks(src.text, a, b)
        at = _live_negators(src.text, toks, _NEGATORS | _NEGATIVE_VERBS)
        at += [j for m in _NEGATIVE_PREFIX.finditer(src.text, a, b) for j, t in enumerate(toks) if t.start == m.start()]
        for j in at:
            me = toks[j]
            lo = next((k for k in range(j - 1, -1, -1) if _breaks(src.text, toks[k].end, me.start)), -1) + 1
            hi = next((k for k in range(j + 1, len(toks)) if _breaks(src.text, me.end, toks[k].start)), len(toks))
            out.append({t.stem for t in toks[max(lo, j - 10) : min(hi, j + 11)]})
    return out


def _live_negators(text: str, toks: list[_Tok], markers: frozenset[str]) -> list[int]:
    """The indices of the markers among the tokens that negate something ("the no-fly list", "not only" do not)."""
    found = [j for j, u in enumerate(toks) if u.low in markers]
    if not found:
        return found
    idle = _not_negating(text, toks)
    return [j for j in found if toks[j].start not in idle]


# How far before a word a source negator may stand and still be what the output's negation rewords.
_REWORD_REACH = 12


def _negator_before(src: SourceSentences, aligned: list[int], words: set[str], markers: frozenset[str]) -> bool:
    """True when a negator or negative word stands shortly before (``_REWORD_REACH`` tokens, same sentence) a source
    occurrence of a word the output's negation bears on: the output may be rewording that negation ("unable, due to
    her condition, to attend" / "cannot attend"). A negator far off in the sentence ("no one has claimed
    responsibility …, making the group the main suspect") or after the word bears on other words. An aligned
    sentence that negates but holds none of the words counts too: the output may fuse its negation in."""
    for i in aligned:
        a, b = src.spans[i]
        toks = _toks(src.text, a, b)
        prefixes = [m.start() for m in _NEGATIVE_PREFIX.finditer(src.text, a, b)]
        negators = _live_negators(src.text, toks, markers)
        if (prefixes or negators) and not any(u.stem in words for u in toks):
            return True  # a negation in a sentence of its own ("That wasn't the goal."): the output may fuse it in
        for j, t in enumerate(toks):
            if t.stem not in words:
                continue
            lo = toks[max(0, j - _REWORD_REACH)].start
            if any(j - _REWORD_REACH <= k < j and not _SUBORDINATE.search(src.text, toks[k].end, t.start)
                   for k in negators):  # fmt: skip
                return True
            if any(lo <= p < t.start for p in prefixes):
                return True
    return False


def _comparison(text: str, toks: list[_Tok], marker: _Tok, window: int = 8) -> bool:
    """True when a negator opens a comparison in its clause ("no player more famous than", "nothing better than",
    "never been higher than"): it states that the compared one comes first, which the output may word positively."""
    i = next(j for j, t in enumerate(toks) if t is marker)
    for t in toks[i + 1 : i + 1 + window]:
        if _breaks(text, marker.end, t.start):
            return False
        if t.low == "than":
            return True
    return False


def _only_negated_with(
    source: str, src_toks: list[_Tok], at: int, spans: Sequence[tuple[int, int]], text: str, out_toks: list[_Tok]
) -> bool:
    """True when the output states source token ``at`` (which a negator bears on) with that occurrence's object, and
    the source states the word plainly only with other objects: "his client did commit the crime" against "did not
    commit the crime" beside "commit killing sprees"."""
    word = src_toks[at]
    obj = _said_of(source, src_toks, at)
    if not obj or not any(t.stem == word.stem and _said_of(text, out_toks, j) & obj for j, t in enumerate(out_toks)):
        return False
    markers = _NEGATORS | _NEGATIVE_VERBS
    for a, b in spans:
        toks = _toks(source, a, b)
        for i in _plain_at(toks, markers):
            if toks[i].stem == word.stem and (not (plain := _said_of(source, toks, i)) or plain & obj):
                return False  # stated plainly with this object, or with none to tell
    return True


def _said_of(text: str, toks: list[_Tok], at: int) -> set[str]:
    """The roots of the content words in the five tokens after token ``at``, in its clause: what it is said of
    ("fall on the same day every year" → day, every, year)."""
    return {u.stem for u in _content_after(text, toks, at, 5)}


def _plain_with_object(
    text: str, out_toks: list[_Tok], neg: _Tok, a: str, src: SourceSentences, src_toks: list[_Tok]
) -> bool:
    """True when the output's negator bears on ``a`` (the first content word after it: "did not attend") and a
    source sentence states ``a`` with the same word after it ("attended the talks") and no negator before it.

    A negator bears rightward: one after the word ("was hospitalized for dehydration, though it didn't keep him
    out") cannot negate it, while one before it may, even across a comma ("unable, due to her condition, to
    attend")."""
    i = next((k for k, t in enumerate(out_toks) if t is neg), -1)
    if i < 0:
        return False
    j = next((k for k in range(i + 1, min(i + 4, len(out_toks))) if out_toks[k].low not in STOPWORDS), -1)
    if j < 0 or out_toks[j].stem != a:
        return False
    obj = _object(text, out_toks, j)
    if not obj:
        return False
    markers = _NEGATORS | _NEGATIVE_VERBS
    for k, t in enumerate(src_toks):
        if t.stem != a or _object(src.text, src_toks, k) != obj:
            continue
        sa = next(x for x, y in src.spans if x <= t.start < y)
        before = _toks(src.text, sa, t.start)
        if not any(u.low in markers for u in before) and not _NEGATIVE_PREFIX.search(src.text, sa, t.start):
            return True
    return False


# Verbs whose meaning is negative: negated, they state the positive ("hasn't missed a race": attended them all).
_NEGATIVE_PREDICATES = frozenset(stem(w) for w in split("miss fail forget lose lack skip neglect ignore avoid omit"))


def _litotes(toks: list[_Tok], neg: _Tok, anchors: set[str]) -> bool:
    """True when the negator bears on a verb of negative meaning that the source does not use: the output words
    the source's positive statement as a negated negative."""
    i = next(j for j, t in enumerate(toks) if t is neg)
    for t in toks[i + 1 : i + 4]:
        if t.low in _SKIP or t.low in STOPWORDS or t.low.endswith("ly"):
            continue
        return t.stem in _NEGATIVE_PREDICATES and t.stem not in anchors
    return False


def _in_doubt(text: str, toks: list[_Tok], tok: _Tok, shared: str | None = None, window: int = 6) -> bool:
    """True when a word of doubt ("may", "unclear", "whether", "if") stands before the token in its clause: the
    clause asserts neither way. Another clause's doubt ("…, which could …") leaves this one asserted, and so does
    the modal ``shared`` governing the token on both sides ("should not be judged" / "should be judged")."""
    i = next(j for j, t in enumerate(toks) if t is tok)
    mine = _modal_at(toks, i, shared)
    for k in range(i - 1, max(0, i - window) - 1, -1):
        t = toks[k]
        if _breaks(text, t.end, tok.start):
            return False
        if (t.stem in _DOUBT or t.low in _DOUBT) and k != mine:
            return True
    return False


def _modal_of(toks: list[_Tok], i: int) -> str | None:
    """The binding modal that governs token ``i`` ("should" in "should not be judged" at "not" or "judged")."""
    for k in range(i - 1, max(0, i - 5) - 1, -1):
        low = toks[k].low
        if low in _BINDING_MODALS:
            return low
        if low not in _MODAL_GAP:
            return None
    return None


def _modal_at(toks: list[_Tok], i: int, modal: str | None) -> int:
    """The index of ``modal`` where it governs token ``i``, or -1 (also when ``modal`` is None)."""
    if modal is None:
        return -1
    for k in range(i - 1, max(0, i - 5) - 1, -1):
        low = toks[k].low
        if low == modal:
            return k
        if low not in _MODAL_GAP:
            return -1
    return -1


def _generic_relative(text: str, toks: list[_Tok], marker: _Tok) -> bool:
    """True when the marker negates a relative clause of a non-specific noun ("a leader who won't disrespect …, who
    won't pander …"): it describes whoever would fit, and asserts nothing of anyone."""
    i = next(j for j, t in enumerate(toks) if t is marker)
    rel = next((j for j in range(i - 1, max(-1, i - 4), -1) if toks[j].low == "who"), None)
    if rel is None:
        return False
    # Back along the chain of relatives of one noun ("a leader who …, who …, and who …") within the sentence.
    for j in range(rel, max(1, rel - 40), -1):
        if _SENTENCE_END.search(text, toks[j - 1].end, toks[j].start):
            return False
        if toks[j].low == "who" and toks[j - 2].low in ("a", "an", "any"):
            return True
    return False


def _conditional(text: str, toks: list[_Tok], marker: _Tok) -> bool:
    """True when the marker stands in a conditional clause ("if he couldn't …", "unless …", "whether …")."""
    i = next(j for j, t in enumerate(toks) if t is marker)
    for t in reversed(toks[max(0, i - 6) : i]):
        if _breaks(text, t.end, marker.start):
            return False
        if t.low in ("if", "unless", "whether"):
            return True
    return False


def _negated_anywhere(src: SourceSentences) -> frozenset[str]:
    """The words a negator bears on in any sentence of the source."""
    return _negated_in(src.text, tuple(src.spans))


@lru_cache(maxsize=16)
def _negated_in(text: str, spans: tuple[tuple[int, int], ...]) -> frozenset[str]:
    """:func:`_negated` over a whole source, once per source (every output sentence asks)."""
    return _negated(text, spans)


def _negated(text: str, spans: Sequence[tuple[int, int]]) -> frozenset[str]:
    """The words some negator, negative word ("denied", "failure to") or open clause ("until", "tried to") bears on
    in the given sentences."""
    out: set[str] = set()
    for a, b in spans:
        toks = _toks(text, a, b)
        out.update(_scope(text, toks, _NEGATORS | _NEGATIVE_VERBS | _OPEN, limit=len(toks)))
        for m in _NEGATIVE_PREFIX.finditer(text, a, b):
            taken = 0
            for u in toks:
                if u.start < m.end() or u.low in STOPWORDS or len(u.stem) < 3:
                    continue
                if _breaks(text, m.end(), u.start) or taken == SCOPE:
                    break
                out.add(u.stem)
                taken += 1
    return frozenset(out)


def _plain_words(source: str, spans: Sequence[tuple[int, int]]) -> frozenset[str]:
    """Over the given source sentences: the words stated with no negator near."""
    plain: set[str] = set()
    markers = _NEGATORS | _NEGATIVE_VERBS
    for a, b in spans:
        toks = _toks(source, a, b)
        plain.update(toks[i].stem for i in _plain_at(toks, markers))
    return frozenset(plain)


def _plain_at(toks: list[_Tok], markers: frozenset[str]) -> list[int]:
    """The indices of the tokens stated plainly: none of ``markers`` among the 6 tokens before each."""
    out: list[int] = []
    last = -7  # the index of the last marker seen
    for i, t in enumerate(toks):
        if i - last > 6:
            out.append(i)
        if t.low in markers:
            last = i
    return out


# Words whose negation is in their form, read as negated on their own: "unable", "impossible", "refused".
_NEGATIVE_PREFIX = re.compile(
    r"\b(?:unable|unlikely|impossible|refus\w*|den(?:y|ied|ies)|fail(?:s|ed|ing|ure)?\s+to|failure|yet\s+to|rather\s+than"
    r"|instead\s+of|lack\w*|little|hardly|barely|rarely|absence"
    r"|f(?:all(?:s|ing)?|ell)\s+(?:far\s+|well\s+)?short)\b",
    re.I,
)


def _scope(text: str, toks: list[_Tok], markers: frozenset[str], limit: int = SCOPE) -> dict[str, _Tok]:
    """Content words a negator scopes over → the negator: up to ``limit`` content words after it, in its clause."""
    out: dict[str, _Tok] = {}
    skip: set[int] | None = None  # read at the first marker: most token lists hold none
    for i, t in enumerate(toks):
        if t.low not in markers:
            continue
        if skip is None:
            skip = _not_negating(text, toks)
        if t.start in skip:
            continue
        rest = toks[i + 1 : i + 2 * limit + 2]
        if (t.low in _NEGATIVE_VERBS or t.low in _ATTEMPT) and (not rest or rest[0].low != "to"):
            continue
        taken = 0
        for u in rest:
            if _breaks(text, t.end, u.start) or _EMBEDDED.search(text, t.end, u.start):
                break
            if u.low in STOPWORDS or len(u.stem) < 3:
                continue
            out.setdefault(u.stem, t)
            taken += 1
            if taken == limit:
                break
    return out


def _index(toks: list[_Tok], stem_: str, marker: _Tok) -> int:
    """The index of the nearest token of ``stem_`` after the marker (the word the marker bears on)."""
    # Aligned sentences are listed best first, not in text order: the nearest is the one of least offset.
    return min(
        (j for j, t in enumerate(toks) if t.stem == stem_ and t.start > marker.start), key=lambda j: toks[j].start
    )


def _first(toks: list[_Tok], stem_: str, after: int) -> _Tok | None:
    """The nearest token of ``stem_`` after an offset, in text order."""
    return min((t for t in toks if t.stem == stem_ and t.start > after), key=lambda t: t.start, default=None)


def _directions(text: str, toks: list[_Tok], loss: bool = False) -> tuple[list[_Tok], list[_Tok]]:
    """The words of change of the tokens that rise, and those that fall (with ``loss``, the words read only in the
    context of one statement too: loss words, and above and below)."""
    ups: list[_Tok] = []
    downs: list[_Tok] = []
    for i, t in enumerate(toks):
        low = t.low
        if low not in _CHANGE_WORDS:
            continue  # most words: one lookup, not five
        if low in _PARTICLES and _FIGURE_NEXT.match(text, t.end) is None:
            continue
        up = low in _UP or (loss and low in _ABOVE)
        if not (up or low in _DOWN or (loss and (low in _LOSS or low in _BELOW))):
            continue
        if _negated_change(text, toks, i):
            continue  # "failing to reduce", "did not rise": a change denied is no change either way
        (ups if up else downs).append(t)
    return ups, downs


def _negated_change(text: str, toks: list[_Tok], at: int, window: int = 3) -> bool:
    """True when a negator or negative verb stands just before token ``at`` in its clause ("failed to cut")."""
    for t in reversed(toks[max(0, at - window) : at]):
        if _breaks(text, t.end, toks[at].start):
            return False
        if t.low in _NEGATORS or t.low in _NEGATIVE_VERBS:
            return True
    return False


def _direction(pair: _Pair) -> Finding | None:
    """The output's change goes one way, the aligned source sentence's only the other."""
    path, text, sent, out_toks, src, src_toks = pair.path, pair.text, pair.sent, pair.out_toks, pair.src, pair.src_toks
    if len(pair.anchors) < 2:
        return None
    o_up, o_down = _directions(text, out_toks)
    s_up, s_down = _directions(src.text, src_toks)
    at_figure = _direction_at_figure(pair, o_up, o_down)
    if at_figure is not None:
        return at_figure
    for mine, theirs, ours, word in ((o_up, s_down, s_up, "rise"), (o_down, s_up, s_down, "fall")):
        if mine and theirs and not ours and not (o_up and o_down):
            return _reversal(path, text, sent, mine[0], word == "rise", theirs[0], src.text)
    # The words of change read in the context of one statement, once for both readings below.
    one_way = _one_way(text, *_directions(text, out_toks, loss=True))
    return _direction_in_context(pair, one_way) or _direction_anywhere(src, path, text, sent, out_toks, one_way)


# A figure written next to a word of change: "decrease by 3.2%", "a 3.2% increase", "rose to $50 million".
_FIGURE = re.compile(r"[$£€]?\d[\d,.]*\d(?:\s?%| per ?cent)?|[$£€]?\d(?:\s?%| per ?cent)?")
#: How far (characters) from a word of change its figure may stand.
_FIGURE_REACH = 22


def _figures_near(text: str, tok: _Tok) -> set[str]:
    """The figures written within reach of a word of change, in its clause, normalised ("3.2 %" → "3.2%")."""
    out: set[str] = set()
    for m in _FIGURE.finditer(text, max(0, tok.start - _FIGURE_REACH), tok.end + _FIGURE_REACH):
        lo, hi = (m.end(), tok.start) if m.end() <= tok.start else (tok.end, m.start())
        if not _breaks(text, lo, hi):
            out.add(re.sub(r"\s|per ?cent", lambda x: "%" if x.group().strip() else "", m.group()).rstrip(".,"))
    return out


def _direction_at_figure(pair: _Pair, o_up: list[_Tok], o_down: list[_Tok]) -> Finding | None:
    """A figure the output changes one way that the source, next to the same figure, changes the other way only
    ("benefits will decrease by 3.2%" / "a 3.2% increase"): read at the figure, so a sentence that also says "growth"
    of something else is still compared."""
    text, src = pair.text, pair.src
    for t, rising in [*((t, True) for t in o_up), *((t, False) for t in o_down)]:
        figures = _figures_near(text, t)
        if not figures:
            continue
        ways: dict[bool, _Tok] = {}
        for i in sorted({*pair.aligned, *pair.wider}):
            toks = _toks(src.text, *src.spans[i])
            up, down = _directions(src.text, toks)
            for u in up + down:
                if figures & _figures_near(src.text, u):
                    ways.setdefault(u in up, u)
        if (not rising) in ways and rising not in ways:
            return _reversal(pair.path, text, pair.sent, t, rising, ways[not rising], src.text)
    return None


#: How many neighbouring words two words of change must share to be read as one statement.
_MIN_SHARED = 2


def _direction_in_context(pair: _Pair, mine: list[tuple[_Tok, bool]]) -> Finding | None:
    """A word of change of the output whose statement (the same neighbouring words) the source words with the
    opposite change only, in any of the wider aligned sentences ("Farage climbed the offer" / "Farage declined the
    offer"; "gained both of her legs" / "lost both her legs")."""
    text, src = pair.text, pair.src
    if not mine:
        return None
    index = {id(t): j for j, t in enumerate(pair.out_toks)}
    sentences = []
    for i in sorted({*pair.aligned, *pair.wider}):
        toks = _toks(src.text, *src.spans[i])
        sentences.append((toks, *_directions(src.text, toks, loss=True)))
    for t, rising in mine:
        ctx = _context(text, pair.out_toks, index[id(t)])
        if not ctx:
            continue
        # Two shared neighbours, not one: a word of change often stands near a common verb ("claim", "take").
        # Or one, when it is the word right after both ("raise awareness" / "cut awareness"): the same object
        # or complement, so the same statement. Read over every sentence: a source that words the statement
        # both ways ("amputated below the knee" of one victim, "above the knee" of another) contradicts neither.
        obj = _object(text, pair.out_toks, index[id(t)])
        near = [
            (u, u in up)
            for toks, up, down in sentences
            for j, u in enumerate(toks)
            if (u in up or u in down)
            and (len(ctx & _context(src.text, toks, j)) >= _MIN_SHARED or (obj and obj == _object(src.text, toks, j)))
        ]
        if near and all(r != rising for _, r in near):
            return _reversal(pair.path, text, pair.sent, t, rising, near[0][0], src.text)
    return None


def _direction_anywhere(
    src: SourceSentences,
    path: str,
    text: str,
    sent: tuple[int, int],
    out_toks: list[_Tok],
    mine: list[tuple[_Tok, bool]],
) -> Finding | None:
    """A word of change whose collocation (the same object, and another neighbouring word) the source writes only
    with the opposite change, in any sentence ("rockets ... rise back into the ocean" / "they fall back into the
    ocean"; "lowered $1.4 million for pediatric cancer research" / "help raise $1.4 million for ...").

    Read where the aligned sentences do not settle it: an output sentence that fuses or rewords several source
    sentences often aligns to none of them, while the verb and its object still stand together in one. ``mine`` are
    the output's words of change that go one way in their clause (see _one_way)."""
    if not mine:
        return None
    index = {id(t): j for j, t in enumerate(out_toks)}
    for t, rising in mine:
        at = index[id(t)]
        obj = _object(text, out_toks, at)
        ctx = _context(text, out_toks, at) - {obj}
        if not obj or not ctx:
            continue
        near: list[tuple[_Tok, bool]] = []
        # Only the source sentences holding the object's root are read (tokenized): most hold none.
        for i, words in enumerate(src.words):
            if not any(w.startswith(obj) for w in words):
                continue
            toks = _toks(src.text, *src.spans[i])
            up, down = _directions(src.text, toks, loss=True)
            near.extend(
                (u, u in up)
                for j, u in enumerate(toks)
                if (u in up or u in down) and _object(src.text, toks, j) == obj and ctx & _context(src.text, toks, j)
            )
        if near and all(r != rising for _, r in near):
            return _reversal(path, text, sent, t, rising, near[0][0], src.text)
    return None


def _reversal(path: str, text: str, sent: tuple[int, int], t: _Tok, rising: bool, u: _Tok, src: str) -> Finding:
    """The direction finding: the output's word of change ``t`` goes one way, the source's ``u`` the other."""
    word = "rise" if rising else "fall"
    reason = f"the output says '{t.low}' (a {word}); the source says '{_excerpt(src, u.start, u.end, 25)}'"
    return _finding("direction", path, text, sent, reason, (u.start, u.end), src)


def _one_way(text: str, ups: list[_Tok], downs: list[_Tok]) -> list[tuple[_Tok, bool]]:
    """The words of change (and whether each rises) whose clause holds no change the other way.

    A clause with changes both ways compares two things ("home-grown lingo is being lost", "falling global growth"):
    which way each goes is read at figures only. Changes in other clauses are each their own statement."""
    every = [(t, True) for t in ups] + [(t, False) for t in downs]

    def apart(t: _Tok, u: _Tok) -> bool:
        a, b = (t.end, u.start) if t.end <= u.start else (u.end, t.start)
        return _breaks(text, a, b)

    return [(t, rising) for t, rising in every if all(r == rising or apart(t, u) for u, r in every)]


def _object(text: str, toks: list[_Tok], at: int) -> str:
    """The root of the first content word right after token ``at`` (within two function words, in its clause): the
    object or complement of a word of change ("raise awareness", "fallen asleep", "an increase in the number")."""
    first = next(_content_after(text, toks, at, 3), None)
    return first.stem[:4] if first is not None else ""


def _content_after(text: str, toks: list[_Tok], at: int, reach: int) -> Iterator[_Tok]:
    """The content words among the ``reach`` tokens right after token ``at``, up to the end of its clause."""
    me = toks[at]
    for u in toks[at + 1 : at + 1 + reach]:
        if _breaks(text, me.end, u.start):
            return
        if u.low not in STOPWORDS and len(u.stem) > 2:
            yield u


def _periods(text: str, a: int, b: int) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in _QUARTER.finditer(text, a, b):
        if m.group("q"):
            out.setdefault(m.group("u").lower(), set()).add(_ORDINAL_OF[m.group("q").lower()])
        elif m.group("n"):
            out.setdefault("quarter", set()).add(m.group("n"))
        elif m.group("h"):
            out.setdefault("half", set()).add(m.group("h"))
        else:
            out.setdefault(m.group("ru").lower(), set()).add(m.group("rel").lower().replace("previous", "last"))
    for m in _WEEKDAY.finditer(text, a, b):
        out.setdefault("weekday", set()).add(m.group("d"))
    return out


def _period(pair: _Pair) -> Finding | None:
    """The output names a period of a kind the aligned source sentence names differently."""
    path, text, sent, src, aligned = pair.path, pair.text, pair.sent, pair.src, pair.aligned
    mine = _periods(text, *sent)
    if not mine:
        return None
    theirs: dict[str, set[str]] = {}
    for i in aligned:
        for k, v in _periods(src.text, *src.spans[i]).items():
            theirs.setdefault(k, set()).update(v)
    everywhere: dict[str, set[str]] | None = None  # the whole source is read only when the aligned ones differ
    for kind, values in mine.items():
        other = theirs.get(kind)
        if not other or values & other:
            continue
        if everywhere is None:
            everywhere = _periods(src.text, 0, len(src.text))
        if not values & everywhere.get(kind, set()):
            shown = ", ".join(sorted(other))
            i = aligned[0]
            reason = f"the output gives the {kind} as {', '.join(sorted(values))}; the source says {shown}"
            return _finding("period", path, text, sent, reason, src.spans[i], src.text)
    return None


@lru_cache(maxsize=1024)
def _speaker(text: str, a: int, b: int, *, described: bool = False) -> str | None:
    """The speaker a sentence names ("according to Smith", "Smith said", ', said Smith'), or None; once per source
    sentence (every output sentence aligned to it asks). With ``described``, also one it describes by a common noun
    ("the airline says", "a police spokesman told")."""
    for pattern in _SPEAKER_PATTERNS:
        m = pattern.search(text, a, b)
        if m is not None:
            return m.group("who")
    if described:
        m = _DESCRIBED_SPEAKER.search(text, a, b)
        if m is not None:
            who = m.group("who")
            return who[0].lower() + who[1:]  # "The airline said" opening a sentence is the same "the airline"
    return None


# A speaker named by what it is, not who: it refers back to a name in the sentences before ("the airline" for
# JetBlue). Read on the source side only: an output that writes "the company said" for "Tim Cook said" is right.
_DESCRIBED_SPEAKER = re.compile(
    r"\b(?P<who>(?:[Tt]he|[Aa]n?)\s+(?:[a-z]+\s+){0,2}?[a-z]+)\s+(?:has\s+|had\s+)?"
    r"(?:said|says|told|tells|stated|states|announced|announces)\b"
)


def _attribution(pair: _Pair) -> Finding | None:
    """Another speaker put in, or a distanced claim stated as fact."""
    path, text, sent, out_toks, src, aligned, src_toks = (
        pair.path,
        pair.text,
        pair.sent,
        pair.out_toks,
        pair.src,
        pair.aligned,
        pair.src_toks,
    )
    i = aligned[0]
    a, b = src.spans[i]
    theirs = _speaker(src.text, a, b, described=True)
    mine = _speaker(text, *sent)
    if mine and theirs:
        # A person is named by surname: "Russian Foreign Minister Sergey Lavrov" is not "Russian President Putin".
        words = [w for w in TOKEN.findall(mine) if w.lower() not in _TITLES]
        names = ({stem(words[-1])} if words else set()) - STOPWORDS
        # The sentence before counts only when this one's speaker is a pronoun ("he said"): a sentence that names
        # its speaker ("Kremlin spokesman Dmitry Peskov said") is not another's because the one before names them.
        lo = a
        if theirs.lower() in _PRONOUNS:
            lo = src.spans[max(0, i - 1)][0]
        elif theirs[:1].islower():
            lo = src.spans[max(0, i - 2)][0]  # "the airline": its name may stand two sentences back
        context = {stem(w) for w in TOKEN.findall(src.text, lo, b)}
        if names and not names & context and not _named_elsewhere(pair, names, i, mine):
            reason = f"the output attributes it to {mine}; the source sentence attributes it to {theirs}"
            return _finding("attribution", path, text, sent, reason, (a, b), src.text)
    hedged = any(t.stem in _OUTPUT_HEDGES for t in out_toks)
    if mine is None and not hedged and _ATTRIBUTES.search(text, *sent) is None:
        m = _DISTANCING.search(src.text, a, b)
        # The claim is the clause after the distancing verb: the output must share at least three of its words.
        c = _CLAUSE_TEXT.match(src.text, m.end()) if m is not None else None
        end = c.end() if c is not None else 0
        if c is not None and (p := _PRESUPPOSED.search(src.text, c.start(), end)) is not None:
            # "insists his confidence hasn't been destroyed despite no scoring since December 20": what "despite"
            # introduces is the reporter's own fact, not part of the claim.
            end = p.start()
        claim = {t.stem for t in src_toks if c is not None and c.start() <= t.start < end}
        if m is not None and len(pair.anchors & claim) >= 3:
            who = theirs or "someone"
            reason = (
                f"the source reports it as a claim ('{_excerpt(src.text, m.start(), m.end(), 30)}'); "
                f"the output states it as fact" + (f" without naming {who}" if theirs else "")
            )
            return _finding("attribution", path, text, sent, reason, (m.start(), m.end()), src.text)
    return None


def _named_elsewhere(pair: _Pair, names: set[str], best: int, speaker: str) -> bool:
    """True when another of the wider aligned sentences names the output's speaker and says the same thing (three
    shared words besides the speaker's own): the source reports the statement more than once ("Prosecutors said …"
    and "… Monica's claims that she shot Delicino in self-defense"), and the output took its speaker from the other
    report. A sentence that only names the speaker ("briefing Russian Foreign Minister Sergey Lavrov") is not one."""
    src = pair.src
    own = {stem(w) for w in TOKEN.findall(speaker)}
    for j in pair.wider:
        if j == best:
            continue
        toks = _toks(src.text, *src.spans[j])
        if names & {t.stem for t in toks} and len(_anchors(pair.out_toks, toks) - own) >= 3:
            return True
    return False


_RULES = (_certainty, _negation, _direction, _period, _attribution)
