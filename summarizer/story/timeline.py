"""One timeline from the sources' own: the same event reported by several sources is one entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from summarizer.story.models import StoryEvent
from summarizer.story.sources import PreparedSource
from summarizer.story.words import content_words


def merge_timeline(sources: Sequence[PreparedSource]) -> list[StoryEvent]:
    """One timeline: entries of the same resolved date (or span) whose event words overlap become one, with all
    sources."""
    merged: list[tuple[set[str], StoryEvent]] = []
    for src in sources:
        for e in src.summary.timeline:
            words = content_words(e.event)
            ref = src.ref(e.evidence)
            twin = next(
                (
                    m
                    for m in merged
                    if e.date is not None
                    and m[1].date == e.date
                    and m[1].granularity == e.granularity
                    and m[1].end == e.end
                    and len(m[0] & words) >= min(2, len(words), len(m[0]))
                    and src.letter not in m[1].sources
                ),
                None,
            )
            if twin is None:
                twin = (
                    set(words),
                    StoryEvent(date=e.date, granularity=e.granularity, end=e.end, when=[], event=e.event, sources=[]),
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
