"""The public entry point: one StoryBrief from several articles, with the one story call."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence

from summarizer.api import ArticleLike, Summarizer, as_article
from summarizer.errors import InputError, LLMError
from summarizer.schemas import Usage
from summarizer.sentences import restore_abbreviations
from summarizer.store import Store
from summarizer.story.claims import group_claims
from summarizer.story.discrepancies import find_discrepancies, merge_conflicts
from summarizer.story.drafts import StoryDraft
from summarizer.story.facts import read_facts
from summarizer.story.models import StoryBrief, StorySource
from summarizer.story.prompt import story_messages
from summarizer.story.quick_look import QUICK_LOOK_MIN, add_sources, bullets_from_draft, merge_bullets, top_up_bullets
from summarizer.story.sources import PreparedSource, gather_sources, open_store, with_date
from summarizer.story.timeline import merge_timeline
from summarizer.story.validation import drop_unsupported_versions, validate_story

#: Output budget of the story call: a title, ~6 bullets and ~3 conflicts are ~400 tokens.
STORY_MAX_TOKENS = 900
#: Most sources one story takes: letters A-Z.
MAX_SOURCES = 26


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
    opened, close = open_store(store)
    try:
        sources = gather_sources(summarizer, arts, opened)
    finally:
        if close and opened is not None:
            opened.close()
    by_letter = {s.letter: s for s in sources}
    warnings = [f"{s.letter}: {w}" for s in sources for w in s.summary.warnings]
    facts = read_facts(sources)
    usage = Usage()
    for s in sources:
        usage = usage.add(s.usage)
    # What the fresh sources' calls and the story call queued behind other work is not the story's own time.
    waited = sum(s.summary.waited_s for s in sources if not s.cached)
    draft: StoryDraft | None = None
    try:
        result = summarizer.llm.create(
            StoryDraft, story_messages(summarizer, sources, facts), max_tokens=STORY_MAX_TOKENS
        )
        draft, usage = result.value, usage.add(result.usage)
        waited += result.waited_s
    except LLMError as exc:
        warnings.append(
            f"The story call failed ({type(exc).__name__}: {exc}); the Quick Look merges each source's own."
        )
    bullets = bullets_from_draft(draft, by_letter, warnings) if draft else []
    if len(bullets) < 3:
        bullets = merge_bullets(sources)
    elif len(bullets) < QUICK_LOOK_MIN:
        added = top_up_bullets(bullets, sources)
        if added:
            warnings.append(
                f"The story call gave {len(bullets) - added} bullet(s); {added} added from the sources' own."
            )
    add_sources(bullets, sources)
    discrepancies = merge_conflicts(
        find_discrepancies(sources, facts), draft.conflicts if draft else [], by_letter, warnings
    )
    backend = summarizer.backend
    brief = StoryBrief(
        title=_restored(draft.title, sources) if draft else _fallback_title(sources),
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
        prompt_version=summarizer.prompts.story_version,
        usage=usage,
        reused=[s.letter for s in sources if s.cached],
        warnings=warnings,
    )
    brief.validation = validate_story(brief, by_letter)
    drop_unsupported_versions(brief, brief.validation)
    brief.validation = validate_story(brief, by_letter)
    brief.latency_s = round(time.perf_counter() - started - waited, 3)
    brief.waited_s = round(waited, 3)
    return brief


def _restored(line: str, sources: Sequence[PreparedSource]) -> str:
    """The model's line with the sources' abbreviations back ("U. S." and a cut "U." as "U.S.")."""
    for s in sources:
        line = restore_abbreviations(line, s.text)
    return line


def _fallback_title(sources: Sequence[PreparedSource]) -> str:
    for s in sources:
        if s.summary.quick_look:
            return s.summary.quick_look.title
    return sources[0].summary.article.title or "Story"
