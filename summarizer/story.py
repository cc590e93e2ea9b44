"""One brief from several reports of the same story: where the outlets agree, and where they do not.

Flow: each article's own Summary (from the result store when it holds one, else one model call), then ONE story
call that sees, per source (A, B, ...), its bullets, claims and timeline and the sentences they cite, numbered
[A3], [B2]. The model merges the bullets and names candidate discrepancies by sentence id; code maps ids to spans,
groups claims by claimant, merges the timelines, finds discrepancies by rule (casualty counts, percentages, money,
signed-versus-expected status), decides reconcilability where arithmetic can (sum of parts) and checks every
number of the StoryBrief against the source it is attributed to.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import os
import re
import string
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from summarizer import clean
from summarizer.api import ArticleLike, Prepared, Summarizer, as_article
from summarizer.dates import find_time_phrases, resolve
from summarizer.errors import InputError, LLMError
from summarizer.llm import Message
from summarizer.schemas import Article, Summary, Usage
from summarizer.sentences import Sentence
from summarizer.store import Store
from summarizer.validate import check_fields, read_numbers
from summarizer.validate.report import Finding, Span, ValidationReport

__all__ = [
    "ClaimGroup",
    "Discrepancy",
    "SourcedSpan",
    "StoryBrief",
    "StoryBullet",
    "StoryClaim",
    "StoryEvent",
    "StorySource",
    "Version",
    "render_story",
    "summarize_story",
]

#: Output budget of the story call: a title, ~6 bullets and ~3 conflicts are ~400 tokens.
STORY_MAX_TOKENS = 900
#: Characters of source material in the story prompt (~4 characters a token): keeps the prompt near 2,000 tokens,
#: since the local model reads only ~100 tokens/s.
STORY_PROMPT_CHARS = 7_000
#: A sentence shown to the story model is cut after this many characters (headline junk can run long).
SENTENCE_CHARS = 320
#: A Quick Look shorter than this is topped up with the sources' own bullets (the small model often stops at 3).
QUICK_LOOK_MIN = 5
#: Most sources one story takes: letters A-Z.
MAX_SOURCES = 26

# ---------------------------------------------------------------------------------------------------------------
# Public models


class SourcedSpan(BaseModel):
    """A span of one source's cleaned text (``StoryBrief.sources[..].summary.article.text``), with its letter."""

    source: str = Field(description='The source letter, e.g. "A".')
    sentence: int | None = Field(default=None, description="The sentence number in that source, if it is one.")
    span: Span


class StorySource(BaseModel):
    """One input article: its letter, label, and its own Summary (reused from the store or paid for now)."""

    letter: str
    label: str = Field(description="The outlet, or the article's id or title when no outlet is known.")
    published_at: dt.date | None = None
    cached: bool = Field(default=False, description="True when the Summary came from the result store.")
    usage: Usage = Field(default_factory=Usage, description="What its Summary cost in this call (0 when cached).")
    summary: Summary


class StoryBullet(BaseModel):
    """One merged Quick Look line and the sources that support it."""

    text: str
    sources: list[str] = Field(description="Letters of the supporting sources.")
    evidence: list[SourcedSpan] = Field(default_factory=list)


class StoryClaim(BaseModel):
    """One claim of a claimant, with every source that carries it and their verbatim quotes."""

    claim: str
    sources: list[str]
    quotes: list[SourcedSpan] = Field(default_factory=list, description="Verbatim quotes, one per source at most.")
    evidence: list[SourcedSpan] = Field(default_factory=list, description="The sentences the claim comes from.")


class ClaimGroup(BaseModel):
    """Every claim of one claimant across sources (names normalised: "Rubio" = "Marco Rubio")."""

    claimant: str
    role: str | None = None
    names: list[str] = Field(default_factory=list, description="The names the sources use for the claimant.")
    sources: list[str]
    claims: list[StoryClaim]


class StoryEvent(BaseModel):
    """One timeline entry; the same event reported by several sources is one entry."""

    date: dt.date | None = None
    granularity: Literal["day", "week", "month", "year"] | None = None
    when: list[str] = Field(description="The time phrases as the sources wrote them.")
    event: str
    sources: list[str]
    evidence: list[SourcedSpan] = Field(default_factory=list)


class Version(BaseModel):
    """What one source states about a disputed point: the phrase, its value and where it stands."""

    source: str
    says: str = Field(description="The figure or phrase as the source states it (or as the model put it).")
    value: float | None = Field(default=None, description="The figure's value, for figures.")
    span: Span | None = Field(default=None, description="The phrase in the source, when it stands there verbatim.")
    evidence: SourcedSpan | None = Field(default=None, description="The source sentence.")


class Discrepancy(BaseModel):
    """Sources stating different figures or facts about the same thing, and whether the versions can be squared."""

    topic: str
    kind: Literal["figure", "status", "other"]
    versions: list[Version]
    reconcilable: bool | None = Field(
        default=None,
        description="True: the versions fit together (see reconciliation); False: they conflict; None: cannot tell.",
    )
    reconciliation: str | None = None
    found_by: list[Literal["rules", "model"]] = Field(default_factory=list)


class StoryBrief(BaseModel):
    """The multi-source brief: merged Quick Look, claims by claimant, one timeline and the discrepancies."""

    title: str
    sources: list[StorySource]
    quick_look: list[StoryBullet]
    claims: list[ClaimGroup] = Field(default_factory=list)
    timeline: list[StoryEvent] = Field(default_factory=list)
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    validation: ValidationReport = Field(default_factory=ValidationReport)
    model: str
    backend: str
    prompt_version: str
    usage: Usage = Field(default_factory=Usage, description="Per-article summaries paid for now, plus the story call.")
    reused: list[str] = Field(default_factory=list, description="Letters whose Summary came from the store.")
    latency_s: float = 0.0
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------
# The story model's compact answer


_CITE = re.compile(r"([A-Za-z])\s*-?\s*(\d+)")


def _cite_ids(value: Any) -> Any:
    """Accept "A8", "[A8]", "a 8" or a list of them; keep well-formed ids only (unknown ids are dropped later)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        m = _CITE.search(str(item))
        if m:
            out.append(f"{m.group(1).upper()}{int(m.group(2))}")
    return out


def _first_cite(value: Any) -> Any:
    found = _cite_ids(value)
    return found[0] if found else ""


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


class BulletDraft(BaseModel):
    """A merged bullet and the sentence ids (A8, B1) it rests on."""

    text: str
    cites: list[str] = Field(default_factory=list)

    _line = field_validator("text", mode="before")(_one_line)
    _ids = field_validator("cites", mode="before")(_cite_ids)


class VersionDraft(BaseModel):
    """One source's side of a conflict: the sentence id and what it says."""

    cite: str
    says: str

    _line = field_validator("says", mode="before")(_one_line)
    _id = field_validator("cite", mode="before")(_first_cite)


class ConflictDraft(BaseModel):
    """A candidate discrepancy named by the model."""

    topic: str
    versions: list[VersionDraft] = Field(min_length=2, max_length=4)

    _line = field_validator("topic", mode="before")(_one_line)


def _cap(limit: int) -> Any:
    # Extra items are cut rather than re-asked: a re-ask costs a minute on the local model.
    return lambda value: value[:limit] if isinstance(value, list) else value


class StoryDraft(BaseModel):
    """What the story call returns: a title, merged bullets and candidate conflicts."""

    title: str
    bullets: list[BulletDraft] = Field(min_length=3, max_length=8)
    conflicts: list[ConflictDraft] = Field(default_factory=list, max_length=4)

    _title = field_validator("title", mode="before")(_one_line)
    _bullets = field_validator("bullets", mode="before")(_cap(8))
    _conflicts = field_validator("conflicts", mode="before")(_cap(4))


# ---------------------------------------------------------------------------------------------------------------
# Words


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _split(text: str) -> list[str]:
    return text.split()


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
    w = word.lower().replace("’", "'").removesuffix("'s").strip("'-")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 6 and w.endswith("ing"):
        w = w[:-3]
    return w


def _content(text: str) -> set[str]:
    """Stemmed content words (no stop words, no one-letter words)."""
    return {_stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _letters(spans: Iterable[SourcedSpan]) -> list[str]:
    return sorted({s.source for s in spans})


# ---------------------------------------------------------------------------------------------------------------
# Per-article summaries


@dataclass
class _Source:
    """A source while the brief is built: its prepared sentences and Summary."""

    letter: str
    label: str
    prep: Prepared
    summary: Summary
    cached: bool
    usage: Usage

    @property
    def text(self) -> str:
        return self.summary.article.text

    @property
    def published(self) -> dt.date | None:
        return self.summary.article.published_at

    def sentence_at(self, span: Span | None) -> Sentence | None:
        """The prepared sentence a span starts in."""
        if span is None:
            return None
        for s in self.prep.sentences:
            if s.start <= span.start < s.end:
                return s
        return None

    def ref(self, span: Span | None) -> SourcedSpan | None:
        """A span of this source, with its sentence number."""
        if span is None:
            return None
        sent = self.sentence_at(span)
        return SourcedSpan(source=self.letter, sentence=sent.id if sent else None, span=span)


def with_date(article: Article, published: dt.date | None) -> Article:
    """The article with ``published`` as its date when it neither carries one nor states one in its text."""
    if published is None or article.published_at is not None or clean.clean(article.text).published_at is not None:
        return article
    return article.model_copy(update={"published_at": published})


def _label(article: Article, letter: str) -> str:
    return article.source or article.id or article.title or f"Source {letter}"


def _summary_for(summarizer: Summarizer, article: Article, store: Store | None) -> tuple[Summary, bool]:
    """The article's Summary from the store (batch's key), else a new one, which is then stored."""
    from summarizer.batch import store_key  # late: batch pulls in asyncio machinery the story path rarely needs

    key = store_key(summarizer, article) if store is not None else None
    if store is not None and key is not None:
        stored = store.result(key)
        if stored is not None:
            return stored.summary(), True
    summary = summarizer.summarize(article)
    if store is not None and key is not None:
        store.put_result(key, summary, item_id=article.id)
    return summary, False


# ---------------------------------------------------------------------------------------------------------------
# The story prompt


def _cited_ids(source: _Source) -> list[int]:
    """Sentence numbers the source's own summary cites: bullets first (most telling), then claims and timeline."""
    s = source.summary
    spans: list[Span | None] = [e for b in (s.quick_look.bullets if s.quick_look else []) for e in b.evidence]
    spans += [c.evidence for c in s.claims] + [e.evidence for e in s.timeline]
    out: list[int] = []
    for span in spans:
        sent = source.sentence_at(span)
        if sent is not None and sent.id not in out:
            out.append(sent.id)
    return out


def _points(source: _Source) -> list[str]:
    """The source's bullets, claims and timeline as one line each, with their sentence ids."""
    s, L = source.summary, source.letter

    def ids(spans: Iterable[Span | None]) -> str:
        found = [f"{L}{sent.id}" for sent in (source.sentence_at(sp) for sp in spans) if sent is not None]
        return f" [{', '.join(found)}]" if found else ""

    lines = [f"{b.text}{ids(b.evidence)}" for b in (s.quick_look.bullets if s.quick_look else [])]
    lines += [f"{c.claimant} claims: {c.claim}{ids([c.evidence])}" for c in s.claims]
    lines += [f"{e.when}: {e.event}{ids([e.evidence])}" for e in s.timeline]
    return lines


def _sentence_lines(source: _Source, wanted: list[int], budget: int) -> list[str]:
    """The wanted sentences in article order, as "[A8] text", within a character budget (earlier wants first)."""
    by_id = {s.id: s for s in source.prep.sentences}
    kept: list[int] = []
    used = 0
    for sid in wanted:
        sent = by_id.get(sid)
        if sent is None or sid in kept:
            continue
        cost = min(len(sent.text), SENTENCE_CHARS) + 8
        if used + cost > budget:
            continue
        kept.append(sid)
        used += cost
    lines = []
    for sid in sorted(kept):
        text = by_id[sid].text
        lines.append(f"[{source.letter}{sid}] {text if len(text) <= SENTENCE_CHARS else text[:SENTENCE_CHARS] + '…'}")
    return lines


def story_messages(summarizer: Summarizer, sources: Sequence[_Source], facts: Sequence[_Fact]) -> list[Message]:
    """The story call's messages: per source its points and the sentences they cite, within the prompt budget."""
    budget = STORY_PROMPT_CHARS // max(1, len(sources))
    blocks = []
    for src in sources:
        points = _points(src)
        # The points cost budget too; the least telling (timeline, then claims) go first when it runs short.
        while points and sum(len(p) + 3 for p in points) > budget // 2:
            points.pop()
        left = budget - sum(len(p) + 3 for p in points)
        # Sentences holding figures or deal status come right after the cited ones: they are what conflicts are made of.
        flagged = [f.sentence.id for f in facts if f.source == src.letter]
        wanted = _cited_ids(src)
        wanted = wanted[:8] + flagged + wanted[8:]
        blocks.append(
            {
                "letter": src.letter,
                "label": src.label,
                "published": src.published.isoformat() if src.published else None,
                "points": points,
                "lines": _sentence_lines(src, wanted, left),
            }
        )
    return [
        {"role": "system", "content": summarizer.prompts.render("story.system.j2")},
        {"role": "user", "content": summarizer.prompts.render("story.user.j2", sources=blocks)},
    ]


# ---------------------------------------------------------------------------------------------------------------
# Facts read by rule: casualty counts, percentages, money, and signed-versus-expected status


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

_DONE = re.compile(
    r"\b(?:signed|finali[sz]ed|concluded|sealed|inked|ratified|clinched|have an? (?:[a-z]+ ){0,2}(?:deal|agreement))\b",
    re.I,
)
_PENDING = re.compile(
    r"\b(?:expected to (?:be )?(?:finali[sz]e[ds]?|sign(?:ed)?|complete[ds]?|conclude[ds]?)|"
    r"to be (?:finali[sz]ed|signed)|proposed|nears? (?:finali[sz]ation|completion)|"
    r"not yet (?:signed|finali[sz]ed)|draft|under negotiation)\b",
    re.I,
)
# What a status phrase is about, up to the clause's end: "finalized a memorandum of intent on ...", "... by April 26".
_STATUS_TAIL = re.compile(r"(?:[ \t]+[^\s,;:.—–()\"“”]+){0,10}")
# Nouns that name agreements; one name for them all, so "deal" in one source meets "agreement" in another.
_AGREEMENT = {"deal", "agreement", "accord", "pact", "treaty"}
_AGREEMENT_LIKE = _AGREEMENT | {"memorandum", "fund", "ceasefire", "truce", "moratorium", "contract", "plan"}
_STATUS_WORDS = _content(
    "signed finalized finalised concluded sealed inked ratified clinched expected proposed near nears finalization "
    "draft negotiation have"
)


@dataclass(frozen=True)
class _Fact:
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


def _time_of(src: _Source, sent: Sentence, at: int) -> tuple[dt.date | None, bool]:
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


def _casualties(src: _Source, sent: Sentence, words: frozenset[str]) -> list[_Fact]:
    text = src.text
    nums = [n for n in read_numbers(sent.text) if n.kind == "count"]
    out: list[_Fact] = []
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
    src: _Source, sent: Sentence, kind: str, value: float | None, start: int, end: int, words: frozenset[str]
) -> _Fact:
    date, earlier = _time_of(src, sent, start)
    return _Fact(src.letter, sent, kind, value, start, end, src.text[start:end], date, earlier, words)


def _measures(src: _Source, sent: Sentence, words: frozenset[str]) -> list[_Fact]:
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


def _status(src: _Source, sent: Sentence, words: frozenset[str]) -> list[_Fact]:
    if not words & _AGREEMENT_LIKE:
        return []
    # The longest cue is the most telling ("expected to be finalized" over "proposed"); pending wins over done.
    pending = max(_PENDING.finditer(src.text, sent.start, sent.end), key=lambda m: len(m.group()), default=None)
    done = max(_DONE.finditer(src.text, sent.start, sent.end), key=lambda m: len(m.group()), default=None)
    match, kind = (pending, "status:pending") if pending else (done, "status:done")
    if match is None:
        return []
    tail = _STATUS_TAIL.match(src.text, match.end(), sent.end)
    end = tail.end() if tail else match.end()
    while True:  # end on a content word: "... an investment fund", not "... fund for"
        last = re.search(r"\s+(\S+)$", src.text[match.end() : end])
        if last is None or last.group(1).lower() not in _STOP:
            break
        end -= len(last.group())
    phrase = src.text[match.start() : end]
    return [_Fact(src.letter, sent, kind, None, match.start(), end, phrase, None, False, words)]


def _key_words(text: str) -> frozenset[str]:
    return frozenset("deal" if w in _AGREEMENT else w for w in _content(text) - _STATUS_WORDS)


def read_facts(sources: Sequence[_Source]) -> list[_Fact]:
    """Every casualty count, percentage, sum of money and deal status the sources state, by rule."""
    facts: list[_Fact] = []
    for src in sources:
        for sent in src.prep.sentences:
            words = _key_words(sent.text)
            facts += _casualties(src, sent, words) + _measures(src, sent, words) + _status(src, sent, words)
    return facts


# ---------------------------------------------------------------------------------------------------------------
# Discrepancies by rule


def _common_words(sources: Sequence[_Source]) -> frozenset[str]:
    """Words in more than a quarter of all sentences ("Ukraine", "U.S."): they do not tie two sentences together."""
    counts: dict[str, int] = {}
    total = 0
    for src in sources:
        for sent in src.prep.sentences:
            total += 1
            for w in _key_words(sent.text):
                counts[w] = counts.get(w, 0) + 1
    return frozenset(w for w, c in counts.items() if c > max(2, total // 4))


def _version(f: _Fact, sources: dict[str, _Source]) -> Version:
    src = sources[f.source]
    return Version(
        source=f.source,
        says=f.phrase,
        value=f.value,
        span=Span(start=f.start, end=f.end, text=f.phrase),
        evidence=src.ref(f.sentence.span()),
    )


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:,.0f}" if x == int(x) else f"{x:,}"


def _kind_label(kind: str) -> str:
    return {"killed": "people killed", "injured": "people injured", "percent": "percentage"}.get(
        kind, kind.replace("money:", "amount ") if kind.startswith("money:") else kind
    )


def _same_day(a: _Fact, b: _Fact) -> bool:
    return a.date is not None and a.date == b.date


def _compatible(a: _Fact, b: _Fact) -> bool:
    return not a.earlier and not b.earlier and (a.date is None or b.date is None or a.date == b.date)


def _sum_of_parts(total: _Fact, parts: list[_Fact]) -> list[_Fact] | None:
    """The smallest set of 2-4 parts (one at least on the total's own day) that adds up to the total."""
    for size in range(2, min(4, len(parts)) + 1):
        for combo in itertools.combinations(parts, size):
            values = [p.value or 0.0 for p in combo]
            if abs(sum(values) - (total.value or 0.0)) < 1e-9 and any(_same_day(p, total) for p in combo):
                return list(combo)
    return None


def _figure_discrepancies(facts: list[_Fact], sources: dict[str, _Source], common: frozenset[str]) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    used: set[int] = set()  # id() of facts already placed in a discrepancy
    figures = [f for f in facts if f.value is not None and not f.kind.startswith("status")]
    # 1. A total in one source that is the sum of another source's parts ("killing two people" = 1 + 1).
    for total in figures:
        if total.earlier:
            continue
        others = [f for f in figures if f.kind == total.kind and f.source != total.source and _compatible(f, total)]
        needs_words = total.kind not in ("killed", "injured")
        by_source: dict[str, list[_Fact]] = {}
        for f in others:
            if needs_words and not (f.words & total.words) - common:
                continue
            by_source.setdefault(f.source, []).append(f)
        for letter, candidates in sorted(by_source.items()):
            if any(f.value == total.value for f in candidates):
                continue  # the other source states the same figure: they agree
            parts = _sum_of_parts(total, [f for f in candidates if (f.value or 0) < (total.value or 0)])
            if parts is None:
                continue
            sum_text = " + ".join(_fmt(p.value) for p in parts)
            when = f" on {total.date.isoformat()}" if total.date else ""
            out.append(
                Discrepancy(
                    topic=f"{_kind_label(total.kind)}{when}",
                    kind="figure",
                    versions=[_version(total, sources)] + [_version(p, sources) for p in parts],
                    reconcilable=True,
                    reconciliation=(
                        f"sum of parts: {letter} gives {sum_text} = {_fmt(total.value)}, "
                        f"the total {total.source} reports"
                    ),
                    found_by=["rules"],
                )
            )
            used.update({id(total), *(id(p) for p in parts)})
    # 2. Different figures of one kind in sentences about the same thing: casualty counts of the same day;
    #    percentages and money in sentences sharing two telling words ("Acme revenue rose 34%" / "... 31%").
    for a, b in itertools.combinations(figures, 2):
        if a.source == b.source or a.kind != b.kind or a.value == b.value or id(a) in used or id(b) in used:
            continue
        shared = (a.words & b.words) - common
        casualties = a.kind in ("killed", "injured")
        if not _compatible(a, b) or not shared or (casualties and not _same_day(a, b)):
            continue
        if not casualties and len(shared) < 2:
            continue
        if any(f.value == a.value for f in figures if f.source == b.source and f.kind == a.kind):
            continue  # b's source states a's figure too: a different event, not a different count
        close = abs((a.value or 0) - (b.value or 0)) <= 0.05 * max(abs(a.value or 0), abs(b.value or 0))
        out.append(
            Discrepancy(
                topic=_kind_label(a.kind) + (f" on {a.date.isoformat()}" if a.date else ""),
                kind="figure",
                versions=[_version(a, sources), _version(b, sources)],
                reconcilable=True if close else None,
                reconciliation="within 5%: rounding or an update" if close else None,
                found_by=["rules"],
            )
        )
        used.update({id(a), id(b)})
    return out


def _status_discrepancies(facts: list[_Fact], sources: dict[str, _Source], common: frozenset[str]) -> list[Discrepancy]:
    """A deal signed/finalised in one source and only expected/proposed in another (sharing key words)."""
    out: list[Discrepancy] = []
    status = [f for f in facts if f.kind.startswith("status")]
    for pending in (f for f in status if f.kind == "status:pending"):
        done_elsewhere: dict[str, list[tuple[_Fact, frozenset[str]]]] = {}
        for done in status:
            shared = (done.words & pending.words) - common
            if done.kind == "status:done" and done.source != pending.source and len(shared) >= 2:
                done_elsewhere.setdefault(done.source, []).append((done, shared))
        for letter, dones in sorted(done_elsewhere.items()):
            shared = frozenset().union(*(s for _, s in dones))
            topic = " ".join(_surface(w, pending.sentence.text) for w in sorted(shared, key=lambda w: (w == "deal", w)))
            # The pending source reporting a signed step too (the memorandum): the two describe different stages.
            steps = [
                f
                for f in status
                if f.kind == "status:done"
                and f.source == pending.source
                and any((f.words & d.words) - common for d, _ in dones)
            ]
            versions = [_version(d, sources) for d, _ in dones[:2]] + [_version(pending, sources)]
            out.append(
                Discrepancy(
                    topic=f"status of the {topic}",
                    kind="status",
                    versions=versions,
                    reconcilable=True if steps else None,
                    reconciliation=(
                        f"different stages: {pending.source} also reports a step done (“{steps[0].phrase}” "
                        f"[{pending.source}{steps[0].sentence.id}]) and expects the rest later; "
                        f"{letter} reports it done"
                    )
                    if steps
                    else None,
                    found_by=["rules"],
                )
            )
    return out


def _surface(stem: str, text: str) -> str:
    """The word of ``text`` a stem came from ("mineral" → "minerals"; "deal" → "agreement" when so written)."""
    for w in _WORD.findall(text):
        w = str(w)
        s = _stem(w)
        if s == stem or (stem == "deal" and s in _AGREEMENT):
            return w.lower() if not w.isupper() else w
    return stem


def find_discrepancies(sources: Sequence[_Source], facts: list[_Fact] | None = None) -> list[Discrepancy]:
    """The rule-based discrepancy pass: no model involved."""
    facts = read_facts(sources) if facts is None else facts
    by_letter = {s.letter: s for s in sources}
    common = _common_words(sources)
    return _figure_discrepancies(facts, by_letter, common) + _status_discrepancies(facts, by_letter, common)


# ---------------------------------------------------------------------------------------------------------------
# The model's conflicts, checked and merged with the rules'


def _resolve_cite(cite: str, sources: dict[str, _Source]) -> tuple[_Source, Sentence] | None:
    m = _CITE.fullmatch(cite)
    if m is None or m.group(1) not in sources:
        return None
    src = sources[m.group(1)]
    sent = next((s for s in src.prep.sentences if s.id == int(m.group(2))), None)
    return (src, sent) if sent is not None else None


def _model_version(v: VersionDraft, sources: dict[str, _Source]) -> Version | None:
    found = _resolve_cite(v.cite, sources)
    if found is None:
        return None
    src, sent = found
    nums = [n for n in read_numbers(v.says) if n.kind in ("count", "money", "percent", "quantity")]
    at = src.text.find(v.says, sent.start, sent.end) if v.says else -1
    span = Span(start=at, end=at + len(v.says), text=v.says) if at >= 0 else None
    return Version(
        source=src.letter, says=v.says, value=nums[0].value if nums else None, span=span, evidence=src.ref(sent.span())
    )


def _differs(versions: list[Version], sources: dict[str, _Source]) -> bool:
    """The cited sentences bear a difference out: other figures, or another deal status."""
    values = {
        v.source: {n.value for n in read_numbers(v.says) if n.kind in ("count", "money", "percent")} for v in versions
    }
    if len({frozenset(x) for x in values.values()}) > 1 and any(values.values()):
        return True
    kinds = set()
    for v in versions:
        if v.evidence is None:
            continue
        t = v.evidence.span.text
        kinds.add("pending" if _PENDING.search(t) else "done" if _DONE.search(t) else "none")
    return len(kinds) > 1


def _model_reconcile(d: Discrepancy) -> None:
    """Sum of parts among the model's versions: one source's single figure = another's figures added up."""
    by_source: dict[str, list[float]] = {}
    for v in d.versions:
        if v.value is not None:
            by_source.setdefault(v.source, []).append(v.value)
    for a, b in itertools.permutations(by_source, 2):
        if len(by_source[a]) == 1 and len(by_source[b]) >= 2 and abs(sum(by_source[b]) - by_source[a][0]) < 1e-9:
            parts = " + ".join(_fmt(x) for x in by_source[b])
            d.reconcilable = True
            d.reconciliation = f"sum of parts: {b} gives {parts} = {_fmt(by_source[a][0])}, the total {a} reports"
            return


def merge_conflicts(
    rules: list[Discrepancy], drafts: Sequence[ConflictDraft], sources: dict[str, _Source], warnings: list[str]
) -> list[Discrepancy]:
    """Add the model's candidates: into a rule discrepancy citing the same sentence, else on their own if borne out."""
    out = [d.model_copy(deep=True) for d in rules]
    for draft in drafts:
        versions = [v for v in (_model_version(x, sources) for x in draft.versions) if v is not None]
        if len({v.source for v in versions}) < 2:
            warnings.append(f"Set aside a model discrepancy without two sources it can cite: {draft.topic}")
            continue
        cited = {(v.source, v.evidence.sentence) for v in versions if v.evidence}
        home = next(
            (d for d in out if cited & {(v.source, v.evidence.sentence) for v in d.versions if v.evidence}), None
        )
        if home is not None:
            if "model" not in home.found_by:
                home.found_by.append("model")
            continue
        if not _differs(versions, sources):
            warnings.append(f"Set aside a model discrepancy the cited sentences do not bear out: {draft.topic}")
            continue
        d = Discrepancy(topic=draft.topic, kind="figure" if any(v.value is not None for v in versions) else "other",
                        versions=versions, found_by=["model"])  # fmt: skip
        _model_reconcile(d)
        out.append(d)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Quick Look


def _bullets_from_draft(draft: StoryDraft, sources: dict[str, _Source], warnings: list[str]) -> list[StoryBullet]:
    out = []
    for b in draft.bullets:
        refs = [r for r in (_cite_ref(c, sources) for c in b.cites) if r is not None]
        if not refs:
            warnings.append(f"Set aside a merged bullet that cites no known sentence: {b.text}")
            continue
        out.append(StoryBullet(text=b.text, sources=_letters(refs), evidence=refs))
    return out


def _cite_ref(cite: str, sources: dict[str, _Source]) -> SourcedSpan | None:
    found = _resolve_cite(cite, sources)
    if found is None:
        return None
    src, sent = found
    return SourcedSpan(source=src.letter, sentence=sent.id, span=sent.span())


def _supported_by(text: str, src: _Source, sent: Sentence) -> bool:
    """No number of ``text`` is unsupported by the source when this sentence is its evidence."""
    report = check_fields(src.text, [("x", text)], aligned={"x": [sent.span()]})
    return report.ok


def _add_sources(bullets: list[StoryBullet], sources: Sequence[_Source]) -> None:
    """List a source the model left out when one of its sentences states the bullet (word overlap, same figures)."""
    for b in bullets:
        words = _content(b.text)
        if len(words) < 3:
            continue
        for src in sources:
            if src.letter in b.sources:
                continue
            best = max(src.prep.sentences, key=lambda s: len(words & _content(s.text)), default=None)
            if best is None or len(words & _content(best.text)) < max(3, len(words) // 2):
                continue
            if _supported_by(b.text, src, best):
                b.evidence.append(SourcedSpan(source=src.letter, sentence=best.id, span=best.span()))
                b.sources = _letters(b.evidence)


def merge_bullets(sources: Sequence[_Source], limit: int = 8) -> list[StoryBullet]:
    """The Quick Look without the model: each source's bullets, alike ones (word overlap) merged, by support."""
    merged: list[tuple[set[str], StoryBullet]] = []
    for src in sources:
        for b in src.summary.quick_look.bullets if src.summary.quick_look else []:
            refs = [r for r in (src.ref(e) for e in b.evidence) if r is not None]
            words = _content(b.text)
            twin = next((m for m in merged if _jaccard(m[0], words) >= 0.4), None)
            if twin is not None:
                twin[1].evidence += refs
                twin[1].sources = sorted({*twin[1].sources, src.letter})
                continue
            merged.append((words, StoryBullet(text=b.text, sources=[src.letter], evidence=refs)))
    ranked = sorted(enumerate(merged), key=lambda im: (-len(im[1][1].sources), im[0]))
    return [m[1] for _, m in ranked[:limit]]


def _top_up(bullets: list[StoryBullet], sources: Sequence[_Source]) -> int:
    """Fill a short Quick Look with the sources' own (merged) bullets on other points; return how many were added."""
    taken = [_content(b.text) for b in bullets]
    added = 0
    for candidate in merge_bullets(sources, limit=20):
        if len(bullets) >= QUICK_LOOK_MIN:
            break
        words = _content(candidate.text)
        if all(_jaccard(words, t) < 0.4 for t in taken):
            bullets.append(candidate)
            taken.append(words)
            added += 1
    return added


# ---------------------------------------------------------------------------------------------------------------
# Claims by claimant

_TITLE_WORDS = frozenset(
    _split(
        "u.s us president vice vp secretary state minister prime foreign economy defense defence treasury spokesman "
        "spokesperson spokeswoman mayor governor senator sen rep gen general chancellor envoy ambassador chief "
        "kremlin white house official officials the of mr mrs ms dr"
    )
)


def _surname(name: str) -> str:
    words = [w.strip(string.punctuation + "’") for w in name.split()]
    names = [w for w in words if w and w.lower() not in _TITLE_WORDS]
    return (names[-1] if names else words[-1] if words else name).lower()


def _display(names: list[str]) -> str:
    """The plainest full name: title words dropped, at least two words when any variant has them."""

    def bare(n: str) -> str:
        words = n.split()
        while len(words) > 1 and words[0].strip(".,").lower() in _TITLE_WORDS:
            words.pop(0)
        return " ".join(words)

    bares = sorted({bare(n) for n in names}, key=lambda n: (-min(len(n.split()), 2), len(n)))
    return bares[0] if bares else names[0]


def _same_person(a: str, b: str) -> bool:
    # "Zelensky"/"Zelenskyy": transliterations differ by a letter or two.
    return a == b or (len(a) > 4 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)


def group_claims(sources: Sequence[_Source]) -> list[ClaimGroup]:
    """Claims by normalised claimant; alike claims (word or quote overlap) from several sources become one."""
    groups: list[tuple[str, list[str], list[str | None], list[tuple[set[str], StoryClaim]]]] = []
    for src in sources:
        for c in src.summary.claims:
            key = _surname(c.claimant)
            group = next((g for g in groups if _same_person(g[0], key)), None)
            if group is None:
                group = (key, [], [], [])
                groups.append(group)
            group[1].append(c.claimant)
            group[2].append(c.role)
            quote = src.ref(c.quote_span) if c.quote_span else None
            evidence = src.ref(c.evidence)
            words = _content(c.quote or c.claim)
            twin = next(
                (
                    m
                    for m in group[3]
                    if _jaccard(m[0], words) >= 0.4 or _jaccard(_content(m[1].claim), _content(c.claim)) >= 0.5
                ),
                None,
            )
            if twin is None:
                twin = (words, StoryClaim(claim=c.claim, sources=[]))
                group[3].append(twin)
            story_claim = twin[1]
            if src.letter not in story_claim.sources:
                story_claim.sources.append(src.letter)
                if quote is not None:
                    story_claim.quotes.append(quote)
            if evidence is not None:
                story_claim.evidence.append(evidence)
    out = []
    for _, names, roles, claims in groups:
        items = [c for _, c in claims]
        out.append(
            ClaimGroup(
                claimant=_display(names),
                role=next((r for r in roles if r), None),
                names=sorted(set(names)),
                sources=sorted({s for c in items for s in c.sources}),
                claims=items,
            )
        )
    out.sort(key=lambda g: (-len(g.sources), -len(g.claims)))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Timeline


def merge_timeline(sources: Sequence[_Source]) -> list[StoryEvent]:
    """One timeline: entries of the same resolved date whose event words overlap become one, with all sources."""
    merged: list[tuple[set[str], StoryEvent]] = []
    for src in sources:
        for e in src.summary.timeline:
            words = _content(e.event)
            ref = src.ref(e.evidence)
            twin = next(
                (
                    m
                    for m in merged
                    if e.date is not None
                    and m[1].date == e.date
                    and m[1].granularity == e.granularity
                    and len(m[0] & words) >= min(2, len(words), len(m[0]))
                    and src.letter not in m[1].sources
                ),
                None,
            )
            if twin is None:
                twin = (
                    set(words),
                    StoryEvent(date=e.date, granularity=e.granularity, when=[], event=e.event, sources=[]),
                )
                merged.append(twin)
            twin[0].update(words)
            event = twin[1]
            if e.when not in event.when:
                event.when.append(e.when)
            if src.letter not in event.sources:
                event.sources.append(src.letter)
            if ref is not None:
                event.evidence.append(ref)
    events = [m[1] for m in merged]
    # Undated entries last, in the order found (sort is stable).
    events.sort(key=lambda ev: (ev.date is None, ev.date or dt.date.min))
    return events


# ---------------------------------------------------------------------------------------------------------------
# Validation: every number against the source it is attributed to


_RANK = {"supported": 0, "derived": 1, "unsupported": 2}


def _check_item(
    path: str, text: str, letters: Iterable[str], refs: list[SourcedSpan], sources: dict[str, _Source]
) -> list[Finding]:
    """Check ``text`` against each attributed source; per figure keep the best verdict, naming its source."""
    best: dict[tuple[int, int], Finding] = {}
    for letter in sorted({*letters, *(r.source for r in refs)}):
        src = sources.get(letter)
        if src is None:
            continue
        aligned = {path: [r.span for r in refs if r.source == letter]}
        for f in check_fields(src.text, [(path, text)], aligned=aligned).findings:
            key = (f.span.start, f.span.end) if f.span else (0, 0)
            tagged = f.model_copy(update={"reason": f"source {letter}: {f.reason}"})
            if key not in best or _RANK[f.status] < _RANK[best[key].status]:
                best[key] = tagged
    return [best[k] for k in sorted(best)]


def validate_story(brief: StoryBrief, sources: dict[str, _Source]) -> ValidationReport:
    """Every number and quote of the brief, checked against the sources each item cites."""
    findings = _check_item("title", brief.title, sources, [], sources)  # the headline may draw on any source
    for i, b in enumerate(brief.quick_look):
        findings += _check_item(f"quick_look[{i}]", b.text, b.sources, b.evidence, sources)
    for g, group in enumerate(brief.claims):
        for j, c in enumerate(group.claims):
            findings += _check_item(f"claims[{g}].claims[{j}].claim", c.claim, c.sources, c.evidence, sources)
    for i, e in enumerate(brief.timeline):
        findings += _check_item(f"timeline[{i}].event", e.event, e.sources, e.evidence, sources)
    for i, d in enumerate(brief.discrepancies):
        for j, v in enumerate(d.versions):
            refs = [v.evidence] if v.evidence else []
            findings += _check_item(f"discrepancies[{i}].versions[{j}]", v.says, [v.source], refs, sources)
    return ValidationReport(findings=findings)


def _drop_unsupported_versions(brief: StoryBrief, report: ValidationReport) -> None:
    """A model-written version whose figure the source does not hold is set aside (rules quote the source itself)."""
    bad = {f.field for f in report.errors() if f.field.startswith("discrepancies[")}
    kept = []
    for i, d in enumerate(brief.discrepancies):
        if d.found_by == ["model"]:
            versions = [v for j, v in enumerate(d.versions) if f"discrepancies[{i}].versions[{j}]" not in bad]
            if len(versions) < len(d.versions):
                brief.warnings.append(f"Set aside model version(s) with figures their source does not hold: {d.topic}")
                d.versions = versions
            if len({v.source for v in d.versions}) < 2:
                continue
        kept.append(d)
    brief.discrepancies = kept


# ---------------------------------------------------------------------------------------------------------------
# Public entry point


def _open_store(store: Store | str | os.PathLike[str] | None) -> tuple[Store | None, bool]:
    if store is None or isinstance(store, Store):
        return store, False
    return Store(store), True


def _gather(summarizer: Summarizer, articles: Sequence[Article], store: Store | None) -> list[_Source]:
    out = []
    for i, article in enumerate(articles):
        letter = string.ascii_uppercase[i]
        summary, cached = _summary_for(summarizer, article, store)
        prep = summarizer.prepare(article, summary.tasks)
        if prep.info.content_hash != summary.article.content_hash:
            raise InputError(f"Source {letter}: the stored summary was made from another text.")
        usage = Usage() if cached else summary.usage
        out.append(_Source(letter, _label(article, letter), prep, summary, cached, usage))
    return out


def summarize_story(
    articles: Sequence[ArticleLike],
    *,
    summarizer: Summarizer | None = None,
    store: Store | str | os.PathLike[str] | None = None,
    published: dt.date | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
) -> StoryBrief:
    """One brief from several articles on the same story; ``published`` dates the articles that state no date."""
    started = time.perf_counter()
    if not 2 <= len(articles) <= MAX_SOURCES:
        raise InputError(f"A story needs 2 to {MAX_SOURCES} articles, got {len(articles)}.")
    summarizer = summarizer or Summarizer(model=model, base_url=base_url, api_key=api_key)
    arts = [with_date(as_article(a), published) for a in articles]
    opened, close = _open_store(store)
    try:
        sources = _gather(summarizer, arts, opened)
    finally:
        if close and opened is not None:
            opened.close()
    by_letter = {s.letter: s for s in sources}
    warnings = [f"{s.letter}: {w}" for s in sources for w in s.summary.warnings]
    facts = read_facts(sources)
    usage = Usage()
    for s in sources:
        usage = usage.add(s.usage)
    draft: StoryDraft | None = None
    try:
        result = summarizer.llm.create(
            StoryDraft, story_messages(summarizer, sources, facts), max_tokens=STORY_MAX_TOKENS
        )
        draft, usage = result.value, usage.add(result.usage)
    except LLMError as exc:
        warnings.append(
            f"The story call failed ({type(exc).__name__}: {exc}); the Quick Look merges each source's own."
        )
    bullets = _bullets_from_draft(draft, by_letter, warnings) if draft else []
    if len(bullets) < 3:
        bullets = merge_bullets(sources)
    elif len(bullets) < QUICK_LOOK_MIN:
        added = _top_up(bullets, sources)
        if added:
            warnings.append(
                f"The story call gave {len(bullets) - added} bullet(s); {added} added from the sources' own."
            )
    _add_sources(bullets, sources)
    discrepancies = merge_conflicts(
        find_discrepancies(sources, facts), draft.conflicts if draft else [], by_letter, warnings
    )
    backend = summarizer.backend
    brief = StoryBrief(
        title=draft.title if draft else _fallback_title(sources),
        sources=[
            StorySource(
                letter=s.letter,
                label=s.label,
                published_at=s.published,
                cached=s.cached,
                usage=s.usage,
                summary=s.summary,
            )
            for s in sources
        ],
        quick_look=bullets,
        claims=group_claims(sources),
        timeline=merge_timeline(sources),
        discrepancies=discrepancies,
        model=backend.model,
        backend=backend.kind,
        prompt_version=summarizer.prompts.version,
        usage=usage,
        reused=[s.letter for s in sources if s.cached],
        warnings=warnings,
    )
    brief.validation = validate_story(brief, by_letter)
    _drop_unsupported_versions(brief, brief.validation)
    brief.validation = validate_story(brief, by_letter)
    brief.latency_s = round(time.perf_counter() - started, 3)
    return brief


def _fallback_title(sources: Sequence[_Source]) -> str:
    for s in sources:
        if s.summary.quick_look:
            return s.summary.quick_look.title
    return sources[0].summary.article.title or "Story"


# ---------------------------------------------------------------------------------------------------------------
# Rendering


def _ids(refs: Iterable[SourcedSpan]) -> str:
    found = [f"{r.source}{r.sentence}" for r in refs if r.sentence is not None]
    return f" [{', '.join(dict.fromkeys(found))}]" if found else ""


def _flags(brief: StoryBrief) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in brief.validation.errors():
        out.setdefault(f.field.removesuffix(".claim"), []).append(f.text)
    return out


def _when(e: StoryEvent) -> str:
    phrases = " / ".join(e.when)
    if e.date is None:
        return f"{phrases} (unresolved)"
    shown = {"day": e.date.isoformat(), "week": f"week of {e.date.isoformat()}", "month": e.date.strftime("%Y-%m"),
             "year": e.date.strftime("%Y")}[e.granularity or "day"]  # fmt: skip
    return f"{shown} ({phrases})"


def _verdict(d: Discrepancy) -> str:
    if d.reconcilable is True:
        return f"reconcilable: {d.reconciliation}"
    if d.reconcilable is False:
        return f"conflict: {d.reconciliation}" if d.reconciliation else "conflict"
    return "unresolved: the sources do not say enough to square them"


def markdown(brief: StoryBrief) -> str:
    """Readable markdown: sources, Quick Look, discrepancies, claims by claimant, timeline, then the check."""
    flags = _flags(brief)

    def flag(path: str) -> str:
        items = flags.get(path)
        return f"  ⚠ unsupported: {', '.join(items)}" if items else ""

    lines = [f"## {brief.title} – Story Quick Look{flag('title')}", ""]
    for s in brief.sources:
        date = f", {s.published_at.isoformat()}" if s.published_at else ""
        lines.append(f"- **{s.letter}**: {s.label}{date}{' (summary reused from the store)' if s.cached else ''}")
    lines.append("")
    lines += [f"- {b.text} ({', '.join(b.sources)}){flag(f'quick_look[{i}]')}" for i, b in enumerate(brief.quick_look)]
    lines += ["", "### Where the sources differ", ""]
    for i, d in enumerate(brief.discrepancies):
        lines.append(f"- **{d.topic}** — {_verdict(d)} _(found by {' + '.join(d.found_by)})_")
        by_source: dict[str, list[Version]] = {}
        for v in d.versions:
            by_source.setdefault(v.source, []).append(v)
        for letter, versions in by_source.items():
            said = "; ".join(f"“{v.says}”{_ids([v.evidence] if v.evidence else [])}" for v in versions)
            lines.append(f"  - {letter}: {said}")
        if any(p.startswith(f"discrepancies[{i}]") for p in flags):
            lines.append("  - ⚠ a figure here is not in its source")
    if not brief.discrepancies:
        lines.append("- (none found)")
    lines += ["", "### Claims by claimant", ""]
    for g, group in enumerate(brief.claims):
        who = f"**{group.claimant}**" + (f" ({group.role})" if group.role else "")
        lines.append(f"- {who}")
        for j, c in enumerate(group.claims):
            lines.append(f"  - {c.claim} ({', '.join(c.sources)}){flag(f'claims[{g}].claims[{j}]')}")
            lines += [f"    > {q.source}: “{q.span.text}”" for q in c.quotes]
    if not brief.claims:
        lines.append("- (none found)")
    lines += ["", "### Timeline", ""]
    lines += [f"- **{_when(e)}** — {e.event} ({', '.join(e.sources)}){flag(f'timeline[{i}].event')}"
              for i, e in enumerate(brief.timeline)]  # fmt: skip
    if not brief.timeline:
        lines.append("- (no dated events)")
    lines += ["", footer(brief)]
    return "\n".join(lines)


def footer(brief: StoryBrief) -> str:
    """The check's verdict, model, tokens (and which summaries were reused), time; then warnings."""
    counts = {s: sum(1 for f in brief.validation.findings if f.status == s) for s in _RANK}
    u = brief.usage
    reused = f" · reused: {', '.join(brief.reused)}" if brief.reused else ""
    line = (
        f"_check: {counts['supported']} supported, {counts['derived']} derived, {counts['unsupported']} unsupported"
        f" · {brief.model} ({brief.backend}) · {u.prompt_tokens}+{u.completion_tokens} tokens{reused}"
        f" · {brief.latency_s:.1f}s_"
    )
    return line + "".join(f"\n_warning: {w}_" for w in brief.warnings)


def render_story(brief: StoryBrief, fmt: str = "markdown") -> str:
    """The brief as markdown, plain text or JSON."""
    if fmt == "json":
        return json.dumps(brief.model_dump(mode="json"), indent=2, ensure_ascii=False)
    out = markdown(brief)
    if fmt == "text":
        for token in ("## ", "### ", "**"):
            out = out.replace(token, "")
        out = re.sub(r"(?m)(^|\s)_(.*?)_(?=$|\s)", r"\1\2", out).replace("    > ", "      ")
    return out
