"""The public models of a story brief: sources, merged bullets, claims, timeline, discrepancies."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from summarizer.schemas import Summary, Usage
from summarizer.validate.report import Span, ValidationReport


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
    end: dt.date | None = Field(
        default=None, description='Last day of a span counted back from publication ("in the past 24 hours").'
    )
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
    latency_s: float = Field(default=0.0, description="Seconds of the story's own work, waits left out.")
    waited_s: float = Field(
        default=0.0, description="Seconds its calls queued behind other processes' requests at the shared local server."
    )
    warnings: list[str] = Field(default_factory=list)
