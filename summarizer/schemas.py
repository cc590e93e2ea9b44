"""The public Pydantic models: what goes in (Article) and what comes out (Summary and its parts).

Their JSON Schemas are generated into the top-level ``schemas/`` folder (``python -m summarizer.schema_export``)
as the contract for pipelines in other languages; a test fails when they drift.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from summarizer.errors import InputError
from summarizer.validate.report import Span, ValidationReport

#: Bumped by hand whenever a public model changes shape; part of the result-store key.
SCHEMA_VERSION = "2"

Granularity = Literal["day", "week", "month", "year"]
Task = Literal["brief", "claims", "timeline"]
ALL_TASKS: tuple[Task, ...] = ("brief", "claims", "timeline")


class Article(BaseModel):
    """A news article: its text (plain or HTML) and what is known about it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article body, plain text or HTML.")
    id: str | None = Field(default=None, description="The caller's identifier, echoed in results (batch).")
    title: str | None = None
    url: str | None = None
    source: str | None = Field(default=None, description='The outlet, e.g. "AP".')
    published_at: dt.date | None = Field(
        default=None, description="Publication date; relative dates are resolved against it."
    )
    language: str | None = Field(default=None, description='ISO 639-1 code, e.g. "en".')

    @field_validator("published_at", mode="before")
    @classmethod
    def _date_only(cls, value: object) -> object:
        # Accept full timestamps ("2025-04-18T09:30:00Z") but keep only the day: resolution is day-grained.
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str) and len(value) > 10 and value[4:5] == "-" and value[10:11] in ("T", " "):
            return value[:10]
        return value

    if not TYPE_CHECKING:  # at runtime only, so type checkers keep the fields' own signature

        def __init__(self, **data: Any) -> None:
            try:
                super().__init__(**data)
            except ValidationError as exc:
                dates = [e for e in exc.errors() if tuple(e["loc"]) == ("published_at",)]
                if not dates or len(dates) < exc.error_count():
                    raise
                # The one mistake a caller makes most: say it in words, as the library's own InputError.
                raise InputError(
                    f"published_at {dates[0]['input']!r} is not a date: give YYYY-MM-DD (e.g. 2025-04-18), "
                    "a datetime.date or a datetime."
                ) from None

    def __repr__(self) -> str:
        head = " ".join(self.text[:60].split())
        return (
            f"Article(id={self.id!r}, title={self.title!r}, source={self.source!r}, published_at={self.published_at},"
            f" text={head + ('…' if len(self.text) > 60 else '')!r} ({len(self.text):,} chars))"
        )

    __str__ = __repr__


class Bullet(BaseModel):
    """One line of the Quick Look box, with the source sentences it rests on."""

    text: str
    evidence: list[Span] = Field(default_factory=list, description="Source sentences the bullet cites.")

    def __str__(self) -> str:
        return self.text


class QuickLook(BaseModel):
    """The "Quick Look" box: a title and 5-8 one-line bullets."""

    title: str
    bullets: list[Bullet] = Field(min_length=1, max_length=8)


class Claim(BaseModel):
    """Who claimed what, with the verbatim quote when there is one and where it stands in the source."""

    claimant: str
    role: str | None = Field(default=None, description='The claimant\'s role, e.g. "Kremlin spokesman".')
    claim: str = Field(description="The claim in plain words.")
    quote: str | None = Field(default=None, description="The verbatim quote from the source, if any.")
    quote_span: Span | None = None
    evidence: Span | None = Field(default=None, description="The source sentence the claim comes from.")


class TimelineEvent(BaseModel):
    """A dated event: the time phrase as written, and the date or period it resolves to."""

    when: str = Field(description='The time phrase verbatim from the source, e.g. "Friday", "last month".')
    date: dt.date | None = Field(default=None, description="First day of the resolved period; None if unresolved.")
    granularity: Granularity | None = None
    end: dt.date | None = Field(
        default=None, description='Last day of a span counted back from publication ("in the past 24 hours").'
    )
    event: str
    evidence: Span | None = Field(default=None, description="The source sentence the event comes from.")
    note: str | None = Field(default=None, description="Why the date is unresolved, when it is.")


class Usage(BaseModel):
    """Token usage, summed over every attempt (schema retries and re-asks)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: int = 0

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: Usage) -> Usage:
        """Return the sum of two usages."""
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            attempts=self.attempts + other.attempts,
        )


class SourceInfo(BaseModel):
    """What the summary was made from: the article's metadata and the cleaned text that spans point into."""

    id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: dt.date | None = None
    language: str | None = None
    content_hash: str = Field(description="sha256 of the cleaned text.")
    text: str = Field(description="The cleaned article text; every Span offset points into it.")
    truncated_at: int | None = Field(
        default=None, description="Character offset where an over-long article was cut for the model, if it was."
    )


class Summary(BaseModel):
    """Everything summarizer produces for one article."""

    quick_look: QuickLook | None = None
    claims: list[Claim] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    validation: ValidationReport | None = None
    article: SourceInfo
    tasks: list[Task] = Field(default_factory=lambda: list(ALL_TASKS))
    model: str
    backend: str = Field(description='"openai", "compatible" or "local".')
    weights_sha256: str | None = Field(
        default=None, description="sha256 of the weights that answered, when summarizer served them (local)."
    )
    prompt_version: str
    schema_version: str = SCHEMA_VERSION
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = Field(
        default=0.0, description="Seconds of this summary's own work: preparing, its model calls and checking."
    )
    waited_s: float = Field(
        default=0.0,
        description="Seconds its calls queued behind other work (a batch's concurrency limit, or other processes' "
        "requests at the shared local server): not in latency_s.",
    )
    warnings: list[str] = Field(default_factory=list)

    def __repr__(self) -> str:
        # One line that says what it is; the article and every field are in model_dump() / the views.
        title = self.quick_look.title if self.quick_look else None
        bullets = len(self.quick_look.bullets) if self.quick_look else 0
        ok = self.validation.ok if self.validation is not None else None
        return (
            f"Summary(title={title!r}, bullets={bullets}, claims={len(self.claims)}, timeline={len(self.timeline)},"
            f" ok={ok}, model={self.model!r}, backend={self.backend!r})"
        )

    __str__ = __repr__
