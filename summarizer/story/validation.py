"""Validation of a story brief: every number against the source it is attributed to."""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.story.models import SourcedSpan, StoryBrief
from summarizer.story.sources import PreparedSource
from summarizer.validate import check_fields
from summarizer.validate.report import Finding, ValidationReport

RANK = {"supported": 0, "derived": 1, "unsupported": 2}


def _check_item(
    path: str, text: str, letters: Iterable[str], refs: list[SourcedSpan], sources: dict[str, PreparedSource]
) -> list[Finding]:
    """Check ``text`` against each attributed source; per figure keep the best verdict, naming its source."""
    best: dict[tuple[int, int], Finding] = {}
    for letter in sorted({*letters, *(r.source for r in refs)}):
        src = sources.get(letter)
        if src is None:
            continue
        aligned = {path: [r.span for r in refs if r.source == letter]}
        for f in check_fields(src.text, [(path, text)], aligned=aligned).findings:
            key = (f.span.start, f.span.end) if f.span else (0, 0)
            tagged = f.model_copy(update={"reason": f"source {letter}: {f.reason}"})
            if key not in best or RANK[f.status] < RANK[best[key].status]:
                best[key] = tagged
    return [best[k] for k in sorted(best)]


def validate_story(brief: StoryBrief, sources: dict[str, PreparedSource]) -> ValidationReport:
    """Every number and quote of the brief, checked against the sources each item cites."""
    findings = _check_item("title", brief.title, sources, [], sources)  # the headline may draw on any source
    for i, b in enumerate(brief.quick_look):
        findings += _check_item(f"quick_look[{i}]", b.text, b.sources, b.evidence, sources)
    for g, group in enumerate(brief.claims):
        for j, c in enumerate(group.claims):
            findings += _check_item(f"claims[{g}].claims[{j}].claim", c.claim, c.sources, c.evidence, sources)
    for i, e in enumerate(brief.timeline):
        findings += _check_item(f"timeline[{i}].event", e.event, e.sources, e.evidence, sources)
    for i, d in enumerate(brief.discrepancies):
        for j, v in enumerate(d.versions):
            refs = [v.evidence] if v.evidence else []
            findings += _check_item(f"discrepancies[{i}].versions[{j}]", v.says, [v.source], refs, sources)
    return ValidationReport(findings=findings)


def drop_unsupported_versions(brief: StoryBrief, report: ValidationReport) -> None:
    """A model-written version whose figure the source does not hold is set aside (rules quote the source itself)."""
    bad = {f.field for f in report.errors() if f.field.startswith("discrepancies[")}
    kept = []
    for i, d in enumerate(brief.discrepancies):
        if d.found_by == ["model"]:
            versions = [v for j, v in enumerate(d.versions) if f"discrepancies[{i}].versions[{j}]" not in bad]
            if len(versions) < len(d.versions):
                brief.warnings.append(f"Set aside model version(s) with figures their source does not hold: {d.topic}")
                d.versions = versions
            if len({v.source for v in d.versions}) < 2:
                continue
        kept.append(d)
    brief.discrepancies = kept
