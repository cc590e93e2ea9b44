"""Views of a Summary for people and programs: markdown, plain text and JSON.

The markdown and text views show what an editor checks before publishing: where the article comes from and its
date, the source sentences each item cites (``[S3]``, numbered as the model saw them), and the check's verdict on
each item (✓, or ⚠ with what could not be traced and why).
"""

from __future__ import annotations

import bisect
import json
import re

from summarizer.schemas import Summary, TimelineEvent
from summarizer.validate.report import Finding, Span

_MARK = {"supported": "✓", "derived": "≈", "unsupported": "✗"}
OK_MARK = "✓"
FLAG_MARK = "⚠"


def _when(event: TimelineEvent) -> str:
    if event.date is None:
        return f"{event.when} (unresolved)"
    if event.end is not None and event.end != event.date:
        return f"{event.date.isoformat()} to {event.end.isoformat()} ({event.when})"
    shown = {
        "day": event.date.isoformat(),
        "week": f"week of {event.date.isoformat()}",
        "month": event.date.strftime("%Y-%m"),
        "year": event.date.strftime("%Y"),
    }[event.granularity or "day"]
    return f"{shown} ({event.when})"


def _item(field: str) -> str:
    """The item a finding belongs to: "claims[0].quote" -> "claims[0]"; Quick Look paths stay whole."""
    return field.rsplit(".", 1)[0] if field.startswith(("claims", "timeline")) else field


#: A dropped item as the report lists it: "claims[2]: …" (its index before the drop).
_DROPPED = re.compile(r"^(quick_look\.bullets|claims|timeline)\[(\d+)\]")


class _Verdicts:
    """The check's verdict per item, and the sentence numbers of evidence spans (as the model saw them)."""

    def __init__(self, summary: Summary) -> None:
        from summarizer.api import numbered_sentences  # late: the views need the numbering, not the pipeline

        report = summary.validation
        self.checked = report is not None
        self.flags: dict[str, list[Finding]] = {}
        for f in report.errors() if report else []:
            self.flags.setdefault(_item(f.field), []).append(f)
        # Findings keep the indices items had before the "drop" policy removed some: map shown items back.
        self.dropped: dict[str, list[int]] = {}
        for line in report.dropped if report else []:
            m = _DROPPED.match(line)
            if m:
                self.dropped.setdefault(m.group(1), []).append(int(m.group(2)))
        info = summary.article
        self.sentences, _ = numbered_sentences(info.text, info.language, info.title)
        self.starts = [s.start for s in self.sentences]

    def cites(self, spans: list[Span]) -> str:
        """ " [S3, S5]": the numbers of the sentences the spans stand in."""
        ids: list[int] = []
        for span in spans:
            i = bisect.bisect_right(self.starts, span.start) - 1
            if i >= 0 and span.start < self.sentences[i].end and self.sentences[i].id not in ids:
                ids.append(self.sentences[i].id)
        return f" [{', '.join(f'S{n}' for n in ids)}]" if ids else ""

    def mark(self, items: str, index: int | None = None) -> str:
        """The verdict on ``items[index]`` as shown (or on the item ``items``): " ✓", or " ⚠" and each finding's
        reason; nothing when the summary was not checked."""
        if not self.checked:
            return ""
        if index is not None:
            for gone in sorted(self.dropped.get(items, [])):
                index += gone <= index
            items = f"{items}[{index}]"
        found = self.flags.get(items)
        if not found:
            return f" {OK_MARK}"
        said = "; ".join(f.reason or f"“{f.text}” is not in the source" for f in found)
        return f" {FLAG_MARK} {said}"


def source_line(summary: Summary) -> str:
    """Where the article comes from and its date: "AP · published 2025-04-18 · seed_000.txt"."""
    info = summary.article
    parts = [info.source or "source not given"]
    if info.published_at:
        parts.append(f"published {info.published_at.isoformat()}")
    else:
        parts.append("no publication date (relative dates left unresolved)")
    parts += [p for p in (info.id, info.url) if p]
    return " · ".join(parts)


def markdown(summary: Summary) -> str:
    """Readable markdown: the Quick Look box, claims, timeline, each item with its cited sentences and verdict."""
    v = _Verdicts(summary)
    lines: list[str] = []
    if summary.quick_look:
        lines.append(f"## {summary.quick_look.title} – Quick Look")
    lines += [f"_{source_line(summary)}_", ""]
    if summary.quick_look:
        if v.flags.get("quick_look.title"):
            lines += [f"title:{v.mark('quick_look.title')}", ""]
        for i, b in enumerate(summary.quick_look.bullets):
            lines.append(f"- {b.text}{v.cites(b.evidence)}{v.mark('quick_look.bullets', i)}")
        lines.append("")
    if "claims" in summary.tasks:
        lines += ["### Claims", ""]
        for i, c in enumerate(summary.claims):
            who = f"**{c.claimant}**" + (f" ({c.role})" if c.role else "")
            cited = v.cites([c.evidence] if c.evidence else [])
            lines.append(f"- {who}: {c.claim}{cited}{v.mark('claims', i)}")
            if c.quote:
                lines.append(f"  > “{c.quote}”")
        if not summary.claims:
            lines.append("- (none found)")
        lines.append("")
    if "timeline" in summary.tasks:
        lines += ["### Timeline", ""]
        for i, e in enumerate(summary.timeline):
            cited = v.cites([e.evidence] if e.evidence else [])
            lines.append(f"- **{_when(e)}** — {e.event}{cited}{v.mark('timeline', i)}")
        if not summary.timeline:
            lines.append("- (no dated events)")
        lines.append("")
    lines.append(footer(summary))
    return "\n".join(lines)


_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_QUOTE = re.compile(r"^([ \t]*)> ", re.M)


def plain(markdown_text: str) -> str:
    """Markdown views as plain text: heading hashes, bold and italic marks and quote markers out, words kept."""
    out = _HEADING.sub("", markdown_text)
    out = _BOLD.sub(r"\1", out)
    out = _ITALIC.sub(r"\1", out)
    return _QUOTE.sub(r"\1  ", out)


def text(summary: Summary) -> str:
    """Plain text without markup: the markdown view's words, lines and marks."""
    return plain(markdown(summary))


def footer(summary: Summary) -> str:
    """One line: verdict, model (and the local weights' sha256), tokens and time; then items dropped, warnings."""
    v = summary.validation
    if v is None:
        verdict = "not checked"
    else:
        counts = {s: sum(1 for f in v.findings if f.status == s) for s in _MARK}
        verdict = (
            f"check: {counts['supported']} supported, {counts['derived']} derived, {counts['unsupported']} unsupported"
        )
    u = summary.usage
    answered = f"{summary.model} ({summary.backend})"
    if summary.weights_sha256:
        # The embedded model's name alone does not say which file answered: the weights' hash does.
        answered = f"{summary.model} ({summary.backend}, weights sha256 {summary.weights_sha256[:12]}…)"
    line = f"_{verdict} · {answered} · {u.prompt_tokens}+{u.completion_tokens} tokens · {summary.latency_s:.1f}s_"
    dropped = [f"\n_dropped as unsupported: {d}_" for d in (v.dropped if v else [])]
    warnings = [f"\n_warning: {w}_" for w in summary.warnings]
    return line + "".join(dropped) + "".join(warnings)


def as_json(summary: Summary) -> str:
    """The whole Summary as JSON."""
    return json.dumps(summary.model_dump(mode="json"), indent=2, ensure_ascii=False)


def render(summary: Summary, fmt: str) -> str:
    """Dispatch on format name: markdown, text or json."""
    if fmt == "json":
        return as_json(summary)
    if fmt == "text":
        return text(summary)
    return markdown(summary)
