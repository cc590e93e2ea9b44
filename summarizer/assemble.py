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
from summarizer.compress import compress, headline
from summarizer.dates import find_time_phrases, is_span_start, resolve
from summarizer.llm import Backend
from summarizer.schemas import Bullet, Claim, QuickLook, SourceInfo, Summary, Task, TimelineEvent
from summarizer.validate.words import STOPWORDS, content_stems

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 2}


def _anchor_when(when: str, text: str, sent: sentences.Sentence | None) -> tuple[str | None, str | None, int | None]:
    """Keep the model's time phrase if it is a time phrase of the cited sentence; else take the sentence's own.

    Returns (phrase, note, where the phrase starts in ``text``); phrase is None when the cited sentence has no
    time phrase at all; note is None when the model's phrase is kept. A word the model took for a time ("Paris",
    "summit") stands in the sentence but is no time phrase of it, so it is replaced like a paraphrase.
    """
    if sent is None:
        return when, None, None
    found = find_time_phrases(text, sent.start, sent.end)
    dating = [f for f in found if not is_span_start(f[2])] or found
    if m := re.search(r"\b" + re.escape(when) + r"\b", sent.text, re.I):
        at = sent.start + m.start()
        phrase = next((f for f in found if f[0] < at + len(when) and at < f[1]), None)
        if phrase is not None and not (is_span_start(phrase[2]) and phrase not in dating):
            return when, None, at
    if not dating:
        return None, f"the cited sentence has no time phrase (the model wrote {when!r})", None
    wanted = _words(when)
    best = max(dating, key=lambda f: len(_words(f[2]) & wanted))  # first phrase on ties
    return best[2], f"the model wrote {when!r}; the cited sentence says {best[2]!r}", best[0]


def _bullets(
    data: dict[str, Any], text: str, by_id: dict[int, sentences.Sentence], warnings: list[str]
) -> QuickLook | None:
    """The model's title and bullets, each bullet citing the sentence it restates."""
    if "bullets" not in data:
        return None
    bullets = []
    for i, b in enumerate(data["bullets"], 1):
        line = sentences.restore_abbreviations(b["text"], text)
        cites = recite(line, [c for c in b["cites"] if c in by_id], by_id, i, warnings)
        bullets.append(Bullet(text=line, evidence=[by_id[c].span() for c in cites]))
    title = sentences.restore_abbreviations(" ".join(data["title"].split()), text)
    if len(title.split()) > MAX_TITLE_WORDS:
        # A long "title" copies the lede with its asides: its trailing clause and asides go (compress keeps the
        # hedges, conditions and attributions), and so does the full stop, for a title.
        title = compress(title).rstrip(".")
    if len(title.split()) > MAX_TITLE_WORDS:
        title = headline(title)
    return QuickLook(title=title, bullets=bullets)


#: A bullet restates a sentence when it repeats at least this share of its content words from it.
RESTATES = 0.5
#: ... and cites another one when that other repeats this much less.
RECITE_MARGIN = 0.3


def recite(line: str, cites: list[int], by_id: dict[int, sentences.Sentence], n: int, warnings: list[str]) -> list[int]:
    """The bullet's citations, or the sentence it restates when the model cited another one.

    The small model often cites a neighbour or a later sentence ([S18] for a line taken from [S4]): the frame checks
    read the cited sentences, so a wrong citation checks the line against the wrong words."""
    words = content_stems(line)
    if len(words) < 3:
        return cites

    share = {i: len(words & content_stems(s.text)) / len(words) for i, s in by_id.items()}
    cited = max((share[c] for c in cites), default=0.0)
    best = max(share, key=lambda i: (share[i], -i))
    if share[best] >= RESTATES and share[best] >= cited + RECITE_MARGIN:
        shown = ", ".join(f"[S{c}]" for c in cites) or "nothing"
        # The line's opening words name it: a line left out later renumbers the box.
        opening = " ".join(line.split()[:6])
        warnings.append(f"bullet {n} ('{opening}…') cited {shown}; its words stand in [S{best}], which it now cites")
        return [best]
    return cites


#: The prompt asks for a title of 12 words at most; a longer one is most often a sentence copied with its asides.
MAX_TITLE_WORDS = 12


#: The claim list holds at most this many claims (the model's first, then quotations, then reported statements).
MAX_CLAIMS = 14


def _claims(data: dict[str, Any], text: str, sents: list[sentences.Sentence], warnings: list[str]) -> list[Claim]:
    """The model's claims, each held to its cited sentence: the claimant is that sentence's speaker, by name."""
    index = {s.id: i for i, s in enumerate(sents)}
    people = attribution.people_of(text)
    claims = []
    for c in data.get("claims", []):
        i = index.get(c["cite"])
        who = attribution.speaker(text, sents, i, people) if i is not None else None
        if who is None:
            warnings.append(
                f"Set aside a claim the cited sentence does not attribute to anyone (an event is not a claim) "
                f"— the model named {c['who']!r}: {c['claim']}"
            )
            continue
        if who.person is None:
            warnings.append(f"Set aside a claim whose speaker is unclear ({who.problem}): {c['claim']}")
            continue
        assert i is not None
        sent = sents[i]
        if not attribution.same_person(c["who"], who.person):
            warnings.append(
                f"Claim: the cited sentence's speaker is {who.person.name!r}, not {c['who']!r}; the claim is "
                f"given to the speaker: {c['claim']}"
            )
        role = who.person.role or (c["role"] if c["role"] and c["role"].lower() in text.lower() else None)
        quote = sentences.quote_in(text, sent)
        if quote is not None and not attribution.is_statement(quote, sent):
            quote = None  # a quoted phrase ("within days") is the writer's, not a quotation of the speaker
        claims.append(
            Claim(
                claimant=who.person.name,
                role=role,
                claim=sentences.restore_abbreviations(c["claim"], text),
                quote=quote.text if quote else None,
                quote_span=quote,
                evidence=sent.span(),
            )
        )
    return claims[:MAX_CLAIMS]


def _quoted_claims(
    text: str, sents: list[sentences.Sentence], covered: set[int], room: int, warnings: list[str]
) -> list[Claim]:
    """Attributed statements the model did not list, read from the source by rule (see attribution.py)."""
    found = [f for f in attribution.find(text, sents, warnings) if f.sentence.id not in covered]
    # Quotations first, in article order; then reported statements, each speaker's first before anyone's second.
    nth: dict[str, int] = {}
    ranks = []
    for i, f in enumerate(found):
        if f.quote is None:
            nth[f.speaker] = nth.get(f.speaker, 0) + 1
        ranks.append((f.quote is None, nth.get(f.speaker, 0) if f.quote is None else 0, i))
    found = [found[r[2]] for r in sorted(ranks)]
    if len(found) > room:
        left = found[room:]
        warnings.append(
            f"Claims: {len(left)} more attributed statement(s) left out (the list holds {MAX_CLAIMS}): "
            + "; ".join(f"{f.speaker} [S{f.sentence.id}]" for f in left)
            + "."
        )
    return [
        Claim(
            claimant=f.speaker,
            role=f.role,
            claim=_sentence_case((f.quote.text if f.quote else f.said).strip(" ,.;:")),
            quote=f.quote.text if f.quote else None,
            quote_span=f.quote,
            evidence=f.sentence.span(),
        )
        for f in found[: max(room, 0)]
    ]


def _sentence_case(text: str) -> str:
    """A reported clause as a claim line: "she signed the memorandum" -> "She signed the memorandum"."""
    return text[:1].upper() + text[1:]


def _describes(event: str, sentence: str) -> bool:
    """The event shares a content word (by its first five letters) with the sentence it cites.

    Small models sometimes pair a sentence's date with another sentence's event ("April 4 — Rubio warns ...");
    an event with nothing in common with its sentence cannot be anchored.
    """
    stems = {w.lower()[:5] for w in _WORD.findall(event) if w.lower() not in STOPWORDS and len(w) > 2}
    return bool(stems & {w.lower()[:5] for w in _WORD.findall(sentence) if len(w) > 2})


def _sentence_for(when: str, what: str, text: str, by_id: dict[int, sentences.Sentence]) -> sentences.Sentence | None:
    """The sentence that holds ``when`` as a time phrase and describes ``what`` best (most shared words), or None."""
    wanted = _words(what)
    best: tuple[int, sentences.Sentence] | None = None
    for sent in by_id.values():
        phrases = [p.lower() for _, _, p in find_time_phrases(text, sent.start, sent.end)]
        if not any(when.lower() in p or p in when.lower() for p in phrases) or not _describes(what, sent.text):
            continue
        score = len(wanted & _words(sent.text))
        if best is None or score > best[0]:
            best = (score, sent)
    return best[1] if best else None


def _timeline(
    data: dict[str, Any],
    text: str,
    by_id: dict[int, sentences.Sentence],
    published: dt.date | None,
    warnings: list[str],
) -> list[TimelineEvent]:
    events = []
    taken: list[tuple[int, int, str]] = []  # (sentence id, offset, phrase) of the model's entries
    for e in data.get("timeline", []):
        sent = by_id.get(e["cite"])
        if sent is None:
            # No sentence cited (or one the article does not have): the entry is anchored to the sentence that
            # holds its time phrase and describes its event, or set aside; never shipped without evidence.
            sent = _sentence_for(e["when"], e["what"], text, by_id)
            if sent is None:
                warnings.append(f"Set aside a timeline entry that cites no sentence holding {e['when']!r}: {e['what']}")
                continue
            warnings.append(f"Timeline: {e['when']!r} cited no sentence of the article; it now cites [S{sent.id}].")
        if not _describes(e["what"], sent.text):
            warnings.append(f"Set aside a timeline entry the cited sentence does not describe: {e['what']}")
            continue
        when, repaired, at = _anchor_when(e["when"], text, sent)
        if when is None:
            warnings.append(f"Set aside a timeline entry: {repaired}: {e['what']}")
            continue
        event = sentences.restore_abbreviations(e["what"], text)
        another_time = not _words(when) & _words(e["when"]) and not is_span_start(e["when"])
        if repaired and sent is not None and at is not None and another_time:
            # "Thursday, April 17, 2025" for a sentence that says "next week": not a rewording of the same date
            # but another time, so the model paired its event with the wrong sentence. The entry keeps the
            # sentence's own event, in its words, with its own date.
            event = _clause(sent, at)
            repaired += f", so the entry takes that sentence's event instead of {e['what'].rstrip('. ')!r}"
        if repaired:
            warnings.append(f"Timeline: {repaired}.")
        resolved = resolve(when, published)
        if sent is not None and at is not None:
            taken.append((sent.id, at, when))
        events.append(
            TimelineEvent(
                when=when,
                date=resolved.date,
                granularity=resolved.granularity,
                end=resolved.end,
                event=event,
                evidence=sent.span() if sent else None,
                note=resolved.note,
            )
        )
    added, left_out = _dated_clauses(text, list(by_id.values()), taken, published, room=MAX_EVENTS - len(events))
    events += added
    if left_out:
        warnings.append(
            f"Timeline: {len(left_out)} time phrase(s) of the article left out: "
            + "; ".join(f"{phrase!r} [S{sid}] ({why})" for sid, phrase, why in left_out)
            + "."
        )
    # Undated events go last, in the order they came (sort is stable).
    events.sort(key=lambda ev: (ev.date is None, ev.date or dt.date.min))
    return events


#: A timeline longer than this stops being a brief.
MAX_EVENTS = 12
_CLAUSE = re.compile(r"(?:[^,;:—–]|(?<=\d),(?=\d{3}))+")  # "2,012 people" is one number, not two clauses


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
    text: str,
    sents: list[sentences.Sentence],
    taken: list[tuple[int, int, str]],
    published: dt.date | None,
    room: int,
) -> tuple[list[TimelineEvent], list[tuple[int, str, str]]]:
    """Dated events the model left out, read from the sentences' time phrases (extractive, so faithful).

    Every time phrase of every sentence is accounted for: it dates an entry (the model's or one read here, in the
    article's own words), or it is left out with the reason, returned as (sentence id, phrase, reason).
    """
    out: list[tuple[int, TimelineEvent]] = []
    left_out: list[tuple[int, str, str]] = []
    for sent in sents:
        found = find_time_phrases(text, sent.start, sent.end)
        if not found:
            continue
        # The clause each entry of this sentence dates: a second phrase of the same clause dates the same event.
        clauses = {_clause(sent, at): phrase for sid, at, phrase in taken if sid == sent.id}
        for start, end, phrase in found:
            if any(sid == sent.id and start <= at < end for sid, at, _ in taken):
                continue  # the model's own entry
            resolved = resolve(phrase, published)
            event = _clause(sent, start)
            why = None
            if _is_caption(sent.text):
                why = "a photo caption dates the picture, not an event"
            elif is_span_start(phrase):
                why = "it starts a span; it does not date the sentence's event"
            elif resolved.date is None:
                why = resolved.note or "unresolved"
            elif phrase.lower().startswith("within") and not _AHEAD.search(sent.text):
                # "All of the girls died within 24 hours": counted from an event of the story, not from publication
                why = "it counts from an event the sentence tells, not from the publication date"
            elif event in clauses:
                why = f"the same event is dated by {clauses[event]!r}"
            if why is not None:
                left_out.append((sent.id, phrase, why))
                continue
            clauses[event] = phrase
            out.append(
                (
                    sent.id,
                    TimelineEvent(
                        when=phrase,
                        date=resolved.date,
                        granularity=resolved.granularity,
                        end=resolved.end,
                        event=event,
                        evidence=sent.span(),
                    ),
                )
            )
    # Over the cap, the most precise dates stay: a day before a week, a past event before a period ahead.
    ranked = sorted(range(len(out)), key=lambda i: _vagueness(out[i][1], published))
    keep = set(ranked[: max(room, 0)])
    for i, (sid, ev) in enumerate(out):
        if i not in keep:
            left_out.append((sid, ev.when, f"the timeline holds {MAX_EVENTS} entries at most; more precise dates kept"))
    return [ev for i, (_, ev) in enumerate(out) if i in keep], left_out


# A sentence about what may or will happen: a "within days" there counts from publication.
_AHEAD = re.compile(
    r"\b(?:will|would|may|might|could|can|should|must|unless|if|expects?|expected|plans?|planned|aims?|hopes?|"
    r"intends?|vows?|promised?|deadline|due|scheduled|set to|going to|needs? to)\b",
    re.I,
)
_PRECISION = {"day": 0, "week": 1, "month": 2, "year": 3, None: 4}


def _vagueness(event: TimelineEvent, published: dt.date | None) -> tuple[int, int]:
    ahead = published is not None and event.date is not None and event.date >= published and event.granularity != "day"
    return (ahead, _PRECISION[event.granularity])


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
        claims += _quoted_claims(info.text, sents, covered, MAX_CLAIMS - len(claims), notes)
    return Summary(
        quick_look=_bullets(data, info.text, by_id, notes),
        claims=claims,
        timeline=_timeline(data, info.text, by_id, info.published_at, notes),
        article=info,
        tasks=tasks,
        model=backend.model,
        backend=backend.kind,
        prompt_version=prompt_version,
        warnings=notes,
    )
