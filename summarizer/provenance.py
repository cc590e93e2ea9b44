"""Text addressed to the summariser is no source: it is blanked before the checks, and output that copies it goes.

The guard (summarizer.guard) holds such sentences out of the prompt; this module makes the validation layer agree.
Held-out sentences are found again from the cleaned text itself (the guard is deterministic), so a Summary checked
later, restored from a store or built elsewhere is judged the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer import guard
from summarizer.schemas import Summary
from summarizer.validate.report import Span, ValidationReport

_BLANKABLE = re.compile(r"[^\n]")
# What makes a line a copy of a held-out sentence: a figure, a capitalised name or a quoted phrase of it, or a run of
# five words.
_FIGURE = re.compile(r"\d[\d,.]*\d|\d")
_NAME = re.compile(r"\b[A-Z][\w'’-]{2,}(?:\s+[A-Z][\w'’-]+)*")
_QUOTED = re.compile(r"[\"“‘']([^\"”’']{4,80})[\"”’']")
_WORD = re.compile(r"[\w'’-]+")
_RUN = 5


def held_spans(summary: Summary) -> tuple[Span, ...]:
    """The held-out sentences of the summary's source text."""
    return guard.held_out(summary.article.text, summary.article.language or "en")


def blank(text: str, spans: Sequence[Span]) -> str:
    """The text with each span's characters turned to spaces (line breaks kept): same length, offsets unchanged."""
    if not spans:
        return text
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = _BLANKABLE.sub(" ", text[span.start : span.end])
    return "".join(chars)


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _runs(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + _RUN]) for i in range(len(words) - _RUN + 1)}


def _marks(sentence: str, rest: str) -> list[str]:
    """What in a held-out sentence the rest of the source does not also say: figures, names, quoted phrases."""
    rest_digits = {_digits(m) for m in _FIGURE.findall(rest)}
    out = [m for m in _FIGURE.findall(sentence) if _digits(m) not in rest_digits and len(_digits(m)) > 1]
    out += [m for m in _NAME.findall(sentence) if m.lower() not in rest.lower() and not _common(m)]
    out += [m.strip() for m in _QUOTED.findall(sentence) if m.strip().lower() not in rest.lower()]
    return out


def _common(word: str) -> bool:
    """A capitalised word that is only capitalised because it opens a sentence or note ("Note", "The", "Please")."""
    return len(word.split()) == 1 and word.lower() in _OPENERS


_OPENERS = frozenset(
    [
        "the",
        "note",
        "please",
        "any",
        "all",
        "this",
        "that",
        "these",
        "those",
        "when",
        "whoever",
        "anyone",
        "attention",
        "message",
        "update",
        "updated",
        "correction",
        "summaries",
        "summary",
        "title",
        "headline",
        "bullet",
        "brief",
        "system",
        "assistant",
        "editors",
        "editor",
        "important",
        "dear",
        "begin",
        "state",
        "write",
        "report",
        "use",
        "lead",
        "open",
        "put",
        "say",
        "mention",
        "include",
    ]
)


def copies(line: str, sentence: str, rest: str) -> bool:
    """True when an output line carries something only a held-out sentence says (a figure, name, quoted phrase) or
    a run of five of its words that the rest of the source does not have."""
    low = line.lower()
    for mark in _marks(sentence, rest):
        if _FIGURE.fullmatch(mark):
            if _digits(mark) in {_digits(m) for m in _FIGURE.findall(line)}:
                return True
        elif mark.lower() in low:
            return True
    return bool((_runs(line) & _runs(sentence)) - _runs(rest))


def _lines(summary: Summary) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if summary.quick_look:
        out.append(("quick_look.title", summary.quick_look.title))
        out += [(f"quick_look.bullets[{i}]", b.text) for i, b in enumerate(summary.quick_look.bullets)]
    out += [(f"claims[{i}]", f"{c.claimant} {c.claim} {c.quote or ''}") for i, c in enumerate(summary.claims)]
    out += [(f"timeline[{i}]", e.event) for i, e in enumerate(summary.timeline)]
    return out


def drop_copies(summary: Summary) -> list[str]:
    """Remove every title, bullet, claim and timeline event that copies or follows a held-out sentence; warn about
    each. Returns the fields dropped."""
    spans = held_spans(summary)
    if not spans:
        return []
    text = summary.article.text
    rest = blank(text, spans)
    doomed = [(field, line) for field, line in _lines(summary) if any(copies(line, span.text, rest) for span in spans)]
    if not doomed:
        return []
    fields = {f for f, _ in doomed}
    ql = summary.quick_look
    if ql is not None:
        kept = [b for i, b in enumerate(ql.bullets) if f"quick_look.bullets[{i}]" not in fields]
        if "quick_look.title" in fields:
            ql.title = summary.article.title or (kept[0].text if kept else "")
        if kept:
            ql.bullets = kept
        else:
            summary.quick_look = None
    summary.claims = [c for i, c in enumerate(summary.claims) if f"claims[{i}]" not in fields]
    summary.timeline = [e for i, e in enumerate(summary.timeline) if f"timeline[{i}]" not in fields]
    summary.warnings.append(
        f"Dropped {len(doomed)} line(s) that copy or follow text addressed to the summariser: "
        + " | ".join(f"{field}: {line[:100]!r}" for field, line in doomed)
    )
    return [f for f, _ in doomed]


def mark(report: ValidationReport, summary: Summary) -> None:
    """Give each unsupported finding whose text stands in a held-out sentence the reason that says so."""
    spans = held_spans(summary)
    if not spans:
        return
    for finding in report.errors():
        needle = finding.text.strip().lower()
        digits = _digits(needle) if finding.kind == "number" else ""
        for span in spans:
            held = span.text.lower()
            found = digits in {_digits(m) for m in _FIGURE.findall(held)} if digits else bool(needle) and needle in held
            if found:
                finding.reason = guard.ADDRESSED
                break
