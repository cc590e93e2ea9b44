"""One brief from several reports of the same story: where the outlets agree, and where they do not.

Flow: each article's own Summary (from the result store when it holds one, else one model call), then ONE story
call that sees, per source (A, B, ...), its bullets, claims and timeline and the sentences they cite, numbered
[A3], [B2]. The model merges the bullets and names candidate discrepancies by sentence id; code maps ids to spans,
groups claims by claimant, merges the timelines, finds discrepancies by rule (casualty counts, percentages, money,
signed-versus-expected status), decides reconcilability where arithmetic can (sum of parts) and checks every
number of the StoryBrief against the source it is attributed to.
"""

from __future__ import annotations

from summarizer.story.brief import summarize_story
from summarizer.story.models import (
    ClaimGroup,
    Discrepancy,
    SourcedSpan,
    StoryBrief,
    StoryBullet,
    StoryClaim,
    StoryEvent,
    StorySource,
    Version,
)
from summarizer.story.render import render_story

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
