"""Turn the model's compact draft into the public models, anchoring every item in the source.

Sentence numbers become exact spans, quotes are cut from the cited sentence, time phrases are checked against the
cited sentence (and taken from it when the model paraphrased the date), claims that the cited sentence does not
attribute to anyone are set aside, and attributed quotations the model missed are added from the source.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel

from summarizer import attribution, sentences
from summarizer.dates import find_time_phrases, first_time_phrase, resolve
from summarizer.llm import Backend
from summarizer.schemas import Bullet, Claim, QuickLook, SourceInfo, Summary, Task, TimelineEvent
from summarizer.validate.words import STOPWORDS

# Verbs and phrases that attribute a statement to someone in news copy.
_SPEECH = re.compile(
    r"\b(said|says|say|told|tells|stated|states|warned|warns|confirmed|confirms|announced|announces|added|"
    r"accused|accuses|acknowledged|acknowledges|claimed|claims|insisted|argued|noted|called|calls|declined|"
    r"denied|denies|expressed|signaled|signalled|suggested|emphasized|emphasised|according to|urged|vowed|"
    r"promised|blamed|praised|described|explained|indicated|reported|wrote|asked|answered|replied)\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 2}


def _attributable(who: str, sent: sentences.Sentence | None, previous: list[sentences.Sentence]) -> bool:
    """The cited sentence attributes a statement, and the claimant is named there or just before it."""
    if sent is None or not _SPEECH.search(sent.text):
        return False
    names = {w for w in _words(who) if w[0].isalpha()}
    nearby = _words(" ".join([sent.text, *(p.text for p in previous)]))
    # Pronoun attributions ("he said") point back two sentences at most.
    return not names or bool(names & nearby)


def _anchor_when(when: str, text: str, sent: sentences.Sentence | None) -> tuple[str | None, str | None, int | None]:
    """Keep the model's time phrase if the cited sentence holds it; else take the sentence's own phrase.

    Returns (phrase, note, where the taken phrase starts in ``text``); phrase is None when the cited sentence has no
    time phrase at all; note and start are None when the model's phrase is kept.
    """
    if sent is None or re.search(r"\b" + re.escape(when) + r"\b", sent.text, re.I):
        return when, None, None
    found = find_time_phrases(text, sent.start, sent.end)
    if not found:
        return None, f"the cited sentence has no time phrase (the model wrote {when!r})", None
    wanted = _words(when)
    best = max(found, key=lambda f: len(_words(f[2]) & wanted))  # first phrase on ties
    return best[2], f"the model wrote {when!r}; the cited sentence says {best[2]!r}", best[0]


def _bullets(data: dict[str, Any], by_id: dict[int, sentences.Sentence]) -> QuickLook | None:
    if "bullets" not in data:
        return None
    bullets = [
        Bullet(text=b["text"], evidence=[by_id[c].span() for c in b["cites"] if c in by_id]) for b in data["bullets"]
    ]
    return QuickLook(title=" ".join(data["title"].split()), bullets=bullets)


def _claims(data: dict[str, Any], text: str, sents: list[sentences.Sentence], warnings: list[str]) -> list[Claim]:
    by_id = {s.id: s for s in sents}
    claims = []
    for c in data.get("claims", []):
        sent = by_id.get(c["cite"])
        previous = [by_id[i] for i in (c["cite"] - 1, c["cite"] - 2) if i in by_id]
        if not _attributable(c["who"], sent, previous):
            warnings.append(f"Set aside a claim the cited sentence does not attribute to {c['who']!r}: {c['claim']}")
            continue
        quote = sentences.quote_in(text, sent) if sent else None
        claims.append(
            Claim(
                claimant=c["who"],
                role=c["role"] or None,
                claim=c["claim"],
                quote=quote.text if quote else None,
                quote_span=quote,
                evidence=sent.span() if sent else None,
            )
        )
    return claims


def _quoted_claims(text: str, sents: list[sentences.Sentence], covered: set[int]) -> list[Claim]:
    """Attributed quotations the model did not list, read from the source by rule (see attribution.py)."""
    return [
        Claim(
            claimant=found.speaker,
            role=found.role,
            claim=found.quote.text.strip(" ,.;:"),
            quote=found.quote.text,
            quote_span=found.quote,
            evidence=found.sentence.span(),
        )
        for found in attribution.find(text, sents)
        if found.sentence.id not in covered
    ]


def _describes(event: str, sentence: str) -> bool:
    """The event shares a content word (by its first five letters) with the sentence it cites.

    Small models sometimes pair a sentence's date with another sentence's event ("April 4 — Rubio warns ...");
    an event with nothing in common with its sentence cannot be anchored.
    """
    stems = {w.lower()[:5] for w in _WORD.findall(event) if w.lower() not in STOPWORDS and len(w) > 2}
    return bool(stems & {w.lower()[:5] for w in _WORD.findall(sentence) if len(w) > 2})


def _timeline(
    data: dict[str, Any],
    text: str,
    by_id: dict[int, sentences.Sentence],
    published: dt.date | None,
    warnings: list[str],
) -> list[TimelineEvent]:
    events = []
    for e in data.get("timeline", []):
        sent = by_id.get(e["cite"])
        if sent is not None and not _describes(e["what"], sent.text):
            warnings.append(f"Set aside a timeline entry the cited sentence does not describe: {e['what']}")
            continue
        when, repaired, at = _anchor_when(e["when"], text, sent)
        if when is None:
            warnings.append(f"Set aside a timeline entry: {repaired}: {e['what']}")
            continue
        event = e["what"]
        if repaired and sent is not None and at is not None and not _words(when) & _words(e["when"]):
            # "Thursday, April 17, 2025" for a sentence that says "next week": not a rewording of the same date
            # but another time, so the model paired its event with the wrong sentence. The entry keeps the
            # sentence's own event, in its words, with its own date.
            event = _clause(sent, at)
            repaired += f", so the entry takes that sentence's event instead of {e['what'].rstrip('. ')!r}"
        if repaired:
            warnings.append(f"Timeline: {repaired}.")
        resolved = resolve(when, published)
        events.append(
            TimelineEvent(
                when=when,
                date=resolved.date,
                granularity=resolved.granularity,
                event=event,
                evidence=sent.span() if sent else None,
                note=resolved.note,
            )
        )
    cited = {ev.evidence.start for ev in events if ev.evidence}
    events += _dated_clauses(text, list(by_id.values()), cited, published, room=MAX_EVENTS - len(events))
    # Undated events go last, in the order they came (sort is stable).
    events.sort(key=lambda ev: (ev.date is None, ev.date or dt.date.min))
    return events


#: A timeline longer than this stops being a brief.
MAX_EVENTS = 8
_CLAUSE = re.compile(r"[^,;:—–]+")


def _clause(sentence: sentences.Sentence, start: int) -> str:
    """The event a time phrase dates, in the sentence's words: the whole sentence when short, else its clause.

    A relative clause ("which both sides agreed to last month") takes the clause before it, which names the thing.
    """
    words = _trim(sentence.text).split()
    if len(words) <= 22:
        return " ".join(words)
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence.text)]
    at = start - sentence.start
    i = next((k for k, (a, b) in enumerate(clauses) if a <= at < b), 0)
    lo, hi = clauses[i]
    if i > 0 and sentence.text[lo:hi].split()[0].lower() in ("which", "who", "that", "when", "where"):
        lo = clauses[i - 1][0]
    if len(sentence.text[lo:hi].split()) < 6 and i + 1 < len(clauses):
        hi = clauses[i + 1][1]
    words = _trim(sentence.text[lo:hi]).split()
    return " ".join(words[:22]) + (" …" if len(words) > 22 else "")


def _trim(text: str) -> str:
    """A clause without its final period and without quote marks left unpaired by the cut, keeping paired ones
    ('“We have a deal,” Trump said' keeps its opening mark; '“We have a deal.' loses it)."""
    t = text.strip(" .,;")
    for _ in range(2):
        if (t[:1] == "“" and t.count("“") > t.count("”")) or (t[:1] == '"' and t.count('"') % 2):
            t = t[1:].strip()
        if (t[-1:] == "”" and t.count("”") > t.count("“")) or (t[-1:] == '"' and t.count('"') % 2):
            t = t[:-1].strip(" .,;")
    return t


# Photo captions carry the date a picture was taken, not an event of the story.
_CAPTION = re.compile(
    r"\b(?:in this photo|photo(?:graph)? (?:taken|released|distributed)|looks on|pictured|file photo)\b", re.I
)


def _is_caption(sentence: str) -> bool:
    low = sentence.lower()
    # Substring tests first: the pattern runs on the few sentences that could be captions.
    return ("photo" in low or "looks on" in low or "pictured" in low) and _CAPTION.search(sentence) is not None


def _dated_clauses(
    text: str, sents: list[sentences.Sentence], cited: set[int], published: dt.date | None, room: int
) -> list[TimelineEvent]:
    """Dated events the model left out, read from the sentences that hold a time phrase (extractive, so faithful).

    The small local model lists one or two events and often pairs a date with the wrong sentence; every sentence
    with a resolvable time phrase is a dated event of the story, in the article's own words.
    """
    out: list[TimelineEvent] = []
    for sent in sents:
        if len(out) >= room or sent.start in cited or _is_caption(sent.text):
            continue
        for start, _end, phrase in first_time_phrase(text, sent.start, sent.end):
            resolved = resolve(phrase, published)
            if resolved.date is None:
                continue
            out.append(
                TimelineEvent(
                    when=phrase,
                    date=resolved.date,
                    granularity=resolved.granularity,
                    event=_clause(sent, start),
                    evidence=sent.span(),
                )
            )
    return out


def to_summary(
    info: SourceInfo,
    sents: list[sentences.Sentence],
    tasks: list[Task],
    draft: BaseModel,
    backend: Backend,
    prompt_version: str,
    warnings: list[str],
) -> Summary:
    """Map a draft onto a Summary (validation is applied afterwards, by checks.apply)."""
    data = draft.model_dump()
    by_id = {s.id: s for s in sents}
    notes = list(warnings)
    claims = _claims(data, info.text, sents, notes)
    if "claims" in tasks:
        covered = {s.id for s in sents for c in claims if c.evidence and c.evidence.start == s.start}
        claims += _quoted_claims(info.text, sents, covered)
    return Summary(
        quick_look=_bullets(data, by_id),
        claims=claims,
        timeline=_timeline(data, info.text, by_id, info.published_at, notes),
        article=info,
        tasks=tasks,
        model=backend.model,
        backend=backend.kind,
        prompt_version=prompt_version,
        warnings=notes,
    )
