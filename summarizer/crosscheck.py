"""The public ``check``: a summary's numbers and quotes against its source, each side text, an Article or a file."""

from __future__ import annotations

from pathlib import Path

from summarizer import clean
from summarizer.errors import InputError
from summarizer.schemas import Article
from summarizer.validate import check as check_texts
from summarizer.validate.report import ValidationReport

#: What either side of :func:`check` may be: text (str, or UTF-8 bytes), an Article, or a Path read as a file.
TextLike = str | bytes | Article | Path

#: A str longer than this, or holding a line break, is never taken for a file name.
_NAME_MAX = 1024


def _names_a_file(value: str) -> bool:
    if not value or len(value) > _NAME_MAX or "\n" in value or value != value.strip():
        return False
    try:
        return Path(value).is_file()
    except OSError:  # e.g. a name too long for the file system: not a file
        return False


def _text(value: TextLike, side: str) -> str:
    if isinstance(value, Article):
        return value.text
    if isinstance(value, Path):
        return clean.decode(value.read_bytes())
    if isinstance(value, bytes):
        return clean.decode(value)
    if isinstance(value, str):
        if _names_a_file(value):
            # check("a.txt", "b.txt") would otherwise compare two file names and find nothing wrong.
            raise InputError(
                f"The {side} {value!r} is the name of a file, not its text: pass Path({value!r}) to check its text."
            )
        return value
    raise InputError(f"The {side} must be text (str), an Article or a Path, got {type(value).__name__}.")


def source_text(source: TextLike) -> str:
    """The source as the check reads it: HTML cleaned as ``brief`` cleans it, plain text as given."""
    text = _text(source, "source")
    if not text.strip():
        raise InputError("The source is empty: there is nothing to check the summary against.")
    return clean.clean(text).text if clean.looks_like_html(text) else text


def summary_text(summary: TextLike) -> str:
    """The summary's text; an empty one is refused (an empty summary is not a checked one)."""
    text = _text(summary, "summary")
    if not text.strip():
        raise InputError("The summary is empty: there is nothing to check.")
    return text


def check(source: TextLike, summary: TextLike) -> ValidationReport:
    """Cross-check a summary's numbers, quotes and dates against its source (text, Article or Path on each side)."""
    return check_texts(source_text(source), summary_text(summary))
