"""summarizer: typed, checked briefs of news articles — Quick Look, claims and timeline, every figure traced."""

import importlib.metadata

from summarizer.api import Summarizer, asummarize, summarize
from summarizer.batch import BatchResult, asummarize_many, summarize_many
from summarizer.crosscheck import check
from summarizer.errors import (
    ConfigError,
    InputError,
    LLMError,
    LocalModelError,
    OutputValidationError,
    SummarizerError,
    TruncatedOutputError,
)
from summarizer.prompts import Prompts
from summarizer.schemas import Article, Bullet, Claim, QuickLook, Summary, TimelineEvent, Usage
from summarizer.story import StoryBrief, summarize_story
from summarizer.validate.report import Finding, Span, ValidationReport

try:
    __version__ = importlib.metadata.version("summarizer")
except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Article",
    "BatchResult",
    "Bullet",
    "Claim",
    "ConfigError",
    "Finding",
    "InputError",
    "LLMError",
    "LocalModelError",
    "OutputValidationError",
    "Prompts",
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
    "__version__",
    "asummarize",
    "asummarize_many",
    "check",
    "summarize",
    "summarize_many",
    "summarize_story",
]
