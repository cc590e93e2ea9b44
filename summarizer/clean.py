"""From raw input (plain text, HTML or bytes) to clean article text and the metadata found in it.

Bad input is refused here with an InputError that says what is wrong; nothing is silently cut.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from typing import Any

from summarizer import chrome, glyphs, guard
from summarizer.errors import ConfigError, InputError

#: Above this many characters the input is refused outright (a 300-page book is not an article).
MAX_INPUT_CHARS = 2_000_000

_HTML_HINT = re.compile(
    r"<\s*(html|body|article|p|div|span|h[1-6]|br|script|head|meta|section|table|tr|td|th|ul|ol|li)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r
_CJK = re.compile("[\u3040-\u9fff\uac00-\ud7af]")

_PUBLISHED = re.compile(
    r"^\s*(?:published|posted|first published|date published)(?: on)?\s*:?\s+(?P<date>[^\n]{6,60}?)\s*$",
    re.I | re.M,
)


@dataclass
class Cleaned:
    """Clean article text plus what cleaning learned about it."""

    text: str
    title: str | None = None
    published_at: dt.date | None = None
    removed_lines: int = 0
    removed: list[chrome.Removed] = field(default_factory=list)
    was_html: bool = False
    warnings: list[str] = field(default_factory=list)


def _is_utf16_text(data: bytes) -> bool:
    """A UTF-16 byte-order mark followed by readable text (Windows tools write such files)."""
    try:
        sample = data[:8192].decode("utf-16", errors="strict")
    except UnicodeDecodeError:
        return False
    return bool(sample.strip()) and not _CONTROL.search(sample)


def decode(data: bytes | str) -> str:
    """Decode bytes as UTF-8 (BOM allowed) and refuse binary data with a clear InputError."""
    if isinstance(data, str):
        text = data
    else:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff") and _is_utf16_text(data):
            raise InputError("The input is UTF-16 text; convert it to UTF-8 first (e.g. iconv -f UTF-16 -t UTF-8).")
        if b"\x00" in data[:8192]:
            raise InputError("The input looks binary (it holds NUL bytes), not article text.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"The input is not UTF-8 text (bad byte at offset {exc.start}). Convert it to UTF-8 first."
            ) from exc
    control = len(_CONTROL.findall(text, 0, 8192))
    if "\x00" in text[:8192] or control > max(8, len(text[:8192]) // 50):
        raise InputError("The input looks binary (too many control characters), not article text.")
    return text


def looks_like_html(text: str) -> bool:
    """True when the text carries enough markup to be a web page or fragment."""
    return len(_HTML_HINT.findall(text[:20000])) >= 2


# Elements a browser does not render as text: their content never reaches the prompt (a page can hide a note to
# the summariser in them). Attributes (alt, title) are not text either.
_HIDDEN_TAGS = ("script", "style", "template", "noscript", "svg", "iframe", "object")
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$)"
    r"|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)|(?:height|width)\s*:\s*0(?:px)?\s*;.*overflow\s*:\s*hidden"
    r"|clip\s*:\s*rect\(\s*0",
    re.I,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_TEXT_ATTRIBUTES = ("alt", "title", "aria-label", "aria-description", "data-summary", "placeholder", "value")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return repr(text[:100] + ("…" if len(text) > 100 else ""))


def _hidden(el: Any) -> bool:
    """True for an element a browser does not render as text."""
    return bool(
        el.tag in _HIDDEN_TAGS
        or el.get("hidden") is not None
        or (el.get("aria-hidden") or "").strip().lower() == "true"
        or _HIDDEN_STYLE.search(el.get("style") or "")
        or (el.tag == "input" and (el.get("type") or "").lower() == "hidden")
    )


def unhide(html: str) -> tuple[str, list[str]]:
    """The page without what a reader never sees (comments, hidden elements, text in attributes), and a warning
    listing what was taken out when it held any text. The <head> stays: trafilatura reads the date from it."""
    import lxml.etree
    import lxml.html

    # lxml refuses control characters, the form feed included (they render as nothing, or as a space)
    html = _CONTROL.sub("", html).replace("\x0c", " ")
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return _COMMENT.sub(" ", html), []
    removed: list[str] = []
    for node in list(root.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        if (node.text or "").strip():
            removed.append(f"comment {_excerpt(node.text or '')}")
        node.drop_tree()
    body = root.find("body")
    for el in list(body.iter() if body is not None else []):
        if not isinstance(el.tag, str) or el is body:
            continue
        if _hidden(el):
            words = el.text_content().strip()
            if words and el.tag not in ("script", "style", "svg"):
                removed.append(f"<{el.tag}> {_excerpt(words)}")
            el.drop_tree()  # keeps the tail: the visible text after a hidden span stays in its paragraph
            continue
        for name in _TEXT_ATTRIBUTES:
            words = el.attrib.pop(name, None)
            if words and guard.is_instruction(words):
                removed.append(f"{name}= {_excerpt(words)}")  # image descriptions are dropped without a word
    warnings = []
    if removed:
        warnings.append(
            f"Left out {len(removed)} piece(s) of the page that a reader does not see (comments, hidden elements, "
            "attributes): " + " | ".join(removed[:10])
        )
    return str(lxml.html.tostring(root, encoding="unicode")), warnings


def _from_html(html: str) -> Cleaned:
    try:
        import trafilatura
    except ImportError as exc:
        raise ConfigError("HTML input needs trafilatura: pip install 'summarizer[html]'") from exc
    html, hidden = unhide(html)
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True, favor_precision=True
    )
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    title = getattr(doc, "title", None) if doc is not None else None
    date = getattr(doc, "date", None) if doc is not None else None
    if not text.strip():
        # trafilatura found no main content (a fragment, or broken markup): fall back to the visible text.
        stripped = re.sub(r"(?is)<(script|style|noscript|template)\b.*?(</\1\s*>|$)", " ", html)
        text = unescape(_TAG.sub(" ", stripped))
        text = re.sub(r"[ \t]+", " ", text)
        text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    published = None
    if date:
        try:
            published = dt.date.fromisoformat(str(date)[:10])
        except ValueError:
            published = None
    return Cleaned(text=text, title=title or None, published_at=published, was_html=True, warnings=hidden)


def strip_chrome(text: str) -> tuple[str, list[chrome.Removed]]:
    """Drop whole lines of page chrome (captions, share bars, sign-up boxes, related links, the site's own summary
    box: see chrome.py); return the text and the lines removed, with what each was."""
    removed = chrome.find(text)
    gone = {r.line for r in removed}
    kept = [line.rstrip() for i, line in enumerate(text.splitlines()) if i not in gone]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return cleaned, removed


def find_published(text: str) -> dt.date | None:
    """The publication date the article states about itself ("Published on April 18, 2025"), if any."""
    match = _PUBLISHED.search(text[:3000])
    if not match:
        return None
    import dateparser

    parsed = dateparser.parse(match.group("date"), languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


def _first_heading(text: str) -> str | None:
    """The headline of a plain-text article: its first line, when that line reads like a headline."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = first.lstrip("#").strip()
    if not title or len(title.split()) > 20 or title[-1] in '.!?"”':
        return None
    return title


def _word_count(text: str) -> int:
    """Words by spaces, plus one per two CJK characters (Chinese and Japanese do not put spaces between words)."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


def clean(data: bytes | str) -> Cleaned:
    """Decode, de-HTML and de-chrome an article; raise InputError when nothing usable is left."""
    cached = _clean_text(decode(data))
    return dataclasses.replace(cached, warnings=list(cached.warnings))  # a copy the caller may change


# A batch cleans each article twice in a row, for its store key and for its prompt; HTML extraction is the slow
# part. The last few results are kept (a copy goes out each time); errors are not kept.
@lru_cache(maxsize=4)
def _clean_text(text: str) -> Cleaned:
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(
            f"The input has {len(text):,} characters; the limit is {MAX_INPUT_CHARS:,}. Is it really one article?"
        )
    # Zero-width characters and stray BOMs are invisible: a text of nothing else is empty, not an article. Look-alike
    # letters inside Latin words go too, so what the guard reads is what the model reads.
    text = glyphs.fold(text)
    if not text.strip():
        raise InputError("The article is empty (no text after stripping whitespace).")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result = _from_html(text) if looks_like_html(text) else Cleaned(text=text)
    result.text, result.removed = strip_chrome(result.text)
    result.removed_lines = len(result.removed)
    if result.removed:
        result.warnings.append(chrome.summary(result.removed))
        # A caption or label that addresses the summariser goes out with the chrome; an editor still hears of it as
        # what it is, not only as "a photo caption".
        addressed = [r for r in result.removed if guard.is_instruction(r.text)]
        if addressed:
            result.warnings.append(
                f"Among the page chrome removed, {len(addressed)} line(s) addressed whoever processes the text (a "
                "model, a summary's writer), not reporting; the model did not see them: "
                + " | ".join(f"line {r.line + 1}: {r.text[:160]!r}" for r in addressed)
            )
    if not result.text.strip():
        raise InputError("No article text is left after removing markup and page chrome.")
    if result.published_at is None:
        result.published_at = find_published(result.text)
    if result.title is None:
        result.title = _first_heading(result.text)
    if _word_count(result.text) < 15:
        result.warnings.append(f"The article is very short ({_word_count(result.text)} words); the brief may be thin.")
    return result
