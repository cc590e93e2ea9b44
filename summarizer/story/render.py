"""Views of a story brief: markdown, plain text and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from summarizer.render import plain
from summarizer.story.models import Discrepancy, SourcedSpan, StoryBrief, StoryEvent, Version
from summarizer.story.validation import RANK


def _ids(refs: Iterable[SourcedSpan]) -> str:
    found = [f"{r.source}{r.sentence}" for r in refs if r.sentence is not None]
    return f" [{', '.join(dict.fromkeys(found))}]" if found else ""


def _flags(brief: StoryBrief) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in brief.validation.errors():
        out.setdefault(f.field.removesuffix(".claim"), []).append(f.text)
    return out


def _when(e: StoryEvent) -> str:
    phrases = " / ".join(e.when)
    if e.date is None:
        return f"{phrases} (unresolved)"
    if e.end is not None and e.end != e.date:
        return f"{e.date.isoformat()} to {e.end.isoformat()} ({phrases})"
    shown = {"day": e.date.isoformat(), "week": f"week of {e.date.isoformat()}", "month": e.date.strftime("%Y-%m"),
             "year": e.date.strftime("%Y")}[e.granularity or "day"]  # fmt: skip
    return f"{shown} ({phrases})"


def _verdict(d: Discrepancy) -> str:
    if d.reconcilable is True:
        return f"reconcilable: {d.reconciliation}"
    if d.reconcilable is False:
        return f"conflict: {d.reconciliation}" if d.reconciliation else "conflict"
    return "unresolved: the sources do not say enough to square them"


def markdown(brief: StoryBrief) -> str:
    """Readable markdown: sources, Quick Look, discrepancies, claims by claimant, timeline, then the check."""
    flags = _flags(brief)

    def flag(path: str) -> str:
        items = flags.get(path)
        return f"  ⚠ unsupported: {', '.join(items)}" if items else ""

    lines = [f"## {brief.title} – Story Quick Look{flag('title')}", ""]
    for s in brief.sources:
        date = f", {s.published_at.isoformat()}" if s.published_at else ""
        lines.append(f"- **{s.letter}**: {s.label}{date}{' (summary reused from the store)' if s.cached else ''}")
    lines.append("")
    lines += [f"- {b.text} ({', '.join(b.sources)}){flag(f'quick_look[{i}]')}" for i, b in enumerate(brief.quick_look)]
    lines += ["", "### Where the sources differ", ""]
    for i, d in enumerate(brief.discrepancies):
        lines.append(f"- **{d.topic}** — {_verdict(d)} _(found by {' + '.join(d.found_by)})_")
        by_source: dict[str, list[Version]] = {}
        for v in d.versions:
            by_source.setdefault(v.source, []).append(v)
        for letter, versions in by_source.items():
            said = "; ".join(f"“{v.says}”{_ids([v.evidence] if v.evidence else [])}" for v in versions)
            lines.append(f"  - {letter}: {said}")
        if any(p.startswith(f"discrepancies[{i}]") for p in flags):
            lines.append("  - ⚠ a figure here is not in its source")
    if not brief.discrepancies:
        lines.append("- (none found)")
    lines += ["", "### Claims by claimant", ""]
    for g, group in enumerate(brief.claims):
        who = f"**{group.claimant}**" + (f" ({group.role})" if group.role else "")
        lines.append(f"- {who}")
        for j, c in enumerate(group.claims):
            lines.append(f"  - {c.claim} ({', '.join(c.sources)}){flag(f'claims[{g}].claims[{j}]')}")
            lines += [f"    > {q.source}: “{q.span.text}”" for q in c.quotes]
    if not brief.claims:
        lines.append("- (none found)")
    lines += ["", "### Timeline", ""]
    lines += [f"- **{_when(e)}** — {e.event} ({', '.join(e.sources)}){flag(f'timeline[{i}].event')}"
              for i, e in enumerate(brief.timeline)]  # fmt: skip
    if not brief.timeline:
        lines.append("- (no dated events)")
    lines += ["", footer(brief)]
    return "\n".join(lines)


def footer(brief: StoryBrief) -> str:
    """The check's verdict, model, tokens (and which summaries were reused), time; then warnings."""
    counts = {s: sum(1 for f in brief.validation.findings if f.status == s) for s in RANK}
    u = brief.usage
    reused = f" · reused: {', '.join(brief.reused)}" if brief.reused else ""
    line = (
        f"_check: {counts['supported']} supported, {counts['derived']} derived, {counts['unsupported']} unsupported"
        f" · {brief.model} ({brief.backend}) · {u.prompt_tokens}+{u.completion_tokens} tokens{reused}"
        f" · {brief.latency_s:.1f}s_"
    )
    return line + "".join(f"\n_warning: {w}_" for w in brief.warnings)


def render_story(brief: StoryBrief, fmt: str = "markdown") -> str:
    """The brief as markdown, plain text or JSON."""
    if fmt == "json":
        return json.dumps(brief.model_dump(mode="json"), indent=2, ensure_ascii=False)
    return plain(markdown(brief)) if fmt == "text" else markdown(brief)
