"""summarizer: typed, checked briefs of news articles — Quick Look, claims and timeline, every figure traced."""

from summarizer.api import Summarizer, asummarize, summarize
from summarizer.errors import (
    ConfigError,
    InputError,
    LLMError,
    LocalModelError,
    OutputValidationError,
    SummarizerError,
    TruncatedOutputError,
)
from summarizer.schemas import Article, Bullet, Claim, QuickLook, Summary, TimelineEvent, Usage
from summarizer.story import StoryBrief, summarize_story
from summarizer.validate import check
from summarizer.validate.report import Finding, Span, ValidationReport

__all__ = [
    "Article",
    "Bullet",
    "Claim",
    "ConfigError",
    "Finding",
    "InputError",
    "LLMError",
    "LocalModelError",
    "OutputValidationError",
    "QuickLook",
    "Span",
    "StoryBrief",
    "Summarizer",
    "SummarizerError",
    "Summary",
    "TimelineEvent",
    "TruncatedOutputError",
    "Usage",
    "ValidationReport",
    "asummarize",
    "check",
    "summarize",
    "summarize_story",
]
