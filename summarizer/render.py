"""Views of a Summary for people and programs: markdown, plain text and JSON."""

from __future__ import annotations

import json

from summarizer.schemas import Summary, TimelineEvent

_MARK = {"supported": "✓", "derived": "≈", "unsupported": "✗"}


def _when(event: TimelineEvent) -> str:
    if event.date is None:
        return f"{event.when} (unresolved)"
    shown = {
        "day": event.date.isoformat(),
        "week": f"week of {event.date.isoformat()}",
        "month": event.date.strftime("%Y-%m"),
        "year": event.date.strftime("%Y"),
    }[event.granularity or "day"]
    return f"{shown} ({event.when})"


def _flagged(summary: Summary) -> dict[str, list[str]]:
    """Unsupported items per top-level item path (e.g. "quick_look.bullets[2]")."""
    out: dict[str, list[str]] = {}
    if summary.validation:
        for f in summary.validation.errors():
            item = f.field.rsplit(".", 1)[0] if f.field.startswith(("claims", "timeline")) else f.field
            out.setdefault(item, []).append(f.text)
    return out


def markdown(summary: Summary) -> str:
    """Readable markdown: the Quick Look box, claims, timeline, then the check's verdict."""
    flags = _flagged(summary)

    def flag(path: str) -> str:
        items = flags.get(path)
        return f"  ⚠ unsupported: {', '.join(items)}" if items else ""

    lines: list[str] = []
    if summary.quick_look:
        lines += [f"## {summary.quick_look.title} – Quick Look", ""]
        lines += [f"- {b.text}{flag(f'quick_look.bullets[{i}]')}" for i, b in enumerate(summary.quick_look.bullets)]
        lines.append("")
    if "claims" in summary.tasks:
        lines += ["### Claims", ""]
        for i, c in enumerate(summary.claims):
            who = f"**{c.claimant}**" + (f" ({c.role})" if c.role else "")
            lines.append(f"- {who}: {c.claim}{flag(f'claims[{i}]')}")
            if c.quote:
                lines.append(f"  > “{c.quote}”")
        if not summary.claims:
            lines.append("- (none found)")
        lines.append("")
    if "timeline" in summary.tasks:
        lines += ["### Timeline", ""]
        lines += [f"- **{_when(e)}** — {e.event}{flag(f'timeline[{i}]')}" for i, e in enumerate(summary.timeline)]
        if not summary.timeline:
            lines.append("- (no dated events)")
        lines.append("")
    lines.append(footer(summary))
    return "\n".join(lines)


def text(summary: Summary) -> str:
    """Plain text without markup."""
    out = markdown(summary)
    for token in ("## ", "### ", "**"):
        out = out.replace(token, "")
    return out.replace("  > ", "    ")


def footer(summary: Summary) -> str:
    """One line: the check's verdict, model, tokens and time; then any warnings."""
    v = summary.validation
    if v is None:
        verdict = "not checked"
    else:
        counts = {s: sum(1 for f in v.findings if f.status == s) for s in _MARK}
        verdict = (
            f"check: {counts['supported']} supported, {counts['derived']} derived, {counts['unsupported']} unsupported"
        )
    u = summary.usage
    line = (
        f"_{verdict} · {summary.model} ({summary.backend}) · {u.prompt_tokens}+{u.completion_tokens} tokens"
        f" · {summary.latency_s:.1f}s_"
    )
    warnings = [f"\n_warning: {w}_" for w in summary.warnings]
    return line + "".join(warnings)


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
