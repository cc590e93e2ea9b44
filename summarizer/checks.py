"""Apply the validation layer to a Summary and carry out the policy (report, drop, reask)."""

from __future__ import annotations

import re

from summarizer import coverage, provenance, sentences
from summarizer.compress import compress
from summarizer.schemas import Bullet, Summary
from summarizer.validate import check_fields, find_quote
from summarizer.validate.frames import FRAME_KINDS
from summarizer.validate.report import Finding, Span, ValidationReport


def summary_fields(summary: Summary) -> tuple[list[tuple[str, str]], dict[str, list[Span]]]:
    """Every free-text field of the summary, with the source sentences its item cites (alignment hints)."""
    fields: list[tuple[str, str]] = []
    aligned: dict[str, list[Span]] = {}
    if summary.quick_look:
        fields.append(("quick_look.title", summary.quick_look.title))
        for i, bullet in enumerate(summary.quick_look.bullets):
            path = f"quick_look.bullets[{i}]"
            fields.append((path, bullet.text))
            aligned[path] = list(bullet.evidence)
    for i, claim in enumerate(summary.claims):
        path = f"claims[{i}].claim"
        fields.append((path, claim.claim))
        if claim.evidence:
            aligned[path] = [claim.evidence]
    for i, event in enumerate(summary.timeline):
        path = f"timeline[{i}].event"
        fields.append((path, event.event))
        if event.evidence:
            aligned[path] = [event.evidence]
    return fields, aligned


def _quote_findings(summary: Summary, source: str) -> list[Finding]:
    out = []
    for i, claim in enumerate(summary.claims):
        if not claim.quote:
            continue
        spans = find_quote(source, claim.quote)
        out.append(
            Finding(
                kind="quote",
                field=f"claims[{i}].quote",
                text=claim.quote,
                span=Span(start=0, end=len(claim.quote), text=claim.quote),
                status="supported" if spans else "unsupported",
                source_spans=spans,
                reason="verbatim in the source" if spans else "not found verbatim in the source",
                confidence=1.0 if spans else 0.0,
            )
        )
    return out


def _date_findings(summary: Summary, source: str) -> list[Finding]:
    """A timeline phrase must stand in the sentence it cites (or at least in the source)."""
    out = []
    for i, event in enumerate(summary.timeline):
        phrase = event.when.strip()
        pattern = re.compile(r"\b" + re.escape(phrase).replace(r"\ ", r"\s+") + r"\b", re.I) if phrase else None
        spans: list[Span] = []
        where = ""
        if pattern and event.evidence:
            m = pattern.search(source, event.evidence.start, event.evidence.end)
            if m:
                spans, where = [Span(start=m.start(), end=m.end(), text=m.group())], "in the cited sentence"
        if pattern and not spans and event.evidence is None:
            # No citation to hold it to: the phrase standing anywhere in the source is the best we can check.
            m = pattern.search(source)
            if m:
                spans = [Span(start=m.start(), end=m.end(), text=m.group())]
                where = "in the source (no sentence cited)"
        if spans:
            resolved = f"{event.date.isoformat()} ({event.granularity})" if event.date else f"unresolved: {event.note}"
            reason = f"time phrase found {where}; resolved to {resolved}"
        elif event.evidence is not None:
            reason = "the time phrase is not in the sentence the event cites"
        else:
            reason = "the time phrase does not occur in the source"
        out.append(
            Finding(
                kind="date",
                field=f"timeline[{i}].when",
                text=event.when,
                span=Span(start=0, end=len(event.when), text=event.when),
                status="supported" if spans else "unsupported",
                source_spans=spans,
                reason=reason,
                confidence=1.0 if spans else 0.0,
            )
        )
    return out


def validate(summary: Summary) -> ValidationReport:
    """Check every number, quote and time phrase of a summary against its cleaned source text, less the sentences
    addressed to the summariser (blanked: they are no source)."""
    source = provenance.blank(summary.article.text, provenance.held_spans(summary))
    fields, aligned = summary_fields(summary)
    report = check_fields(source, fields, aligned=aligned)
    report.findings.extend(_quote_findings(summary, source))
    report.findings.extend(_date_findings(summary, source))
    provenance.mark(report, summary)
    return report


_ITEM = re.compile(r"^(quick_look\.bullets|claims|timeline)\[(\d+)\]")


def _drop(summary: Summary, report: ValidationReport) -> None:
    """Remove items holding an unsupported finding, and say so in the report."""
    doomed: dict[str, set[int]] = {"quick_look.bullets": set(), "claims": set(), "timeline": set()}
    for finding in report.errors():
        m = _ITEM.match(finding.field)
        if m:
            doomed[m.group(1)].add(int(m.group(2)))
    if summary.quick_look and doomed["quick_look.bullets"]:
        keep = [b for i, b in enumerate(summary.quick_look.bullets) if i not in doomed["quick_look.bullets"]]
        if keep:
            report.dropped += [
                f"quick_look.bullets[{i}]: {summary.quick_look.bullets[i].text}"
                for i in sorted(doomed["quick_look.bullets"])
            ]
            summary.quick_look.bullets = keep
        else:
            summary.warnings.append("Every bullet had an unsupported item; none were dropped so the box is not empty.")
    if doomed["claims"]:
        report.dropped += [f"claims[{i}]: {summary.claims[i].claim}" for i in sorted(doomed["claims"])]
        summary.claims = [c for i, c in enumerate(summary.claims) if i not in doomed["claims"]]
    if doomed["timeline"]:
        report.dropped += [f"timeline[{i}]: {summary.timeline[i].event}" for i in sorted(doomed["timeline"])]
        summary.timeline = [e for i, e in enumerate(summary.timeline) if i not in doomed["timeline"]]


_HEADLINE = re.compile(r"^quick_look\.(?:title|bullets\[(\d+)\])$")


def repair_headlines(summary: Summary, report: ValidationReport, seen: list[sentences.Sentence] | None = None) -> bool:
    """Rewrite each title or bullet whose frame check failed (a hedge, condition, negation, direction, period or
    attribution lost) as a compression of the source sentence it misreads, when that compression passes the
    check; a bullet that cannot be repaired, or that quotes words the source does not hold, is left out. Both are
    said in the warnings. True if anything changed.

    The small local model turns "may abandon … unless progress is made" into "will abandon"; the reader sees the
    headline lines first, so they are the ones that must not misstate the source."""
    ql = summary.quick_look
    if ql is None:
        return False
    source = summary.article.text
    sents = sentences.split(source)
    changed = False
    doomed: set[int] = set()
    done: set[str] = set()
    rewritten: list[tuple[int, str]] = []  # (bullet index, the rest of its warning): numbered once lines are out
    for finding in report.errors():
        m = _HEADLINE.match(finding.field)
        if m is not None and m.group(1) is not None and finding.kind == "quote" and finding.field not in done:
            # A quotation the source does not hold is put in someone's mouth (the small model borrows its prompt's
            # example): no rewording makes it true, so the line goes, and the box is topped up from the source.
            done.add(finding.field)
            i = int(m.group(1))
            doomed.add(i)
            summary.warnings.append(
                f"Bullet {i + 1} left out because its quotation ({finding.text!r}) is not in the source "
                f"(was {ql.bullets[i].text!r})."
            )
            changed = True
            continue
        if m is None or finding.kind not in FRAME_KINDS or finding.field in done or not finding.source_spans:
            continue
        done.add(finding.field)
        at = finding.source_spans[0].start
        sent = next((x for x in sents if x.start <= at < x.end), None)
        if sent is None:
            continue
        line = compress(sent.text)
        ok = check_fields(source, [(finding.field, line)], aligned={finding.field: [sent.span()]}).ok
        old = finding.text
        shown = _shown_id(sent, seen)
        if m.group(1) is None:
            if ok:
                ql.title = line
                summary.warnings.append(f"Title rewritten from [S{shown}]. The model wrote {old!r}: {finding.reason}.")
                changed = True
            continue
        i = int(m.group(1))
        if ok:
            ql.bullets[i] = Bullet(text=line, evidence=[sent.span()])
            rewritten.append((i, f"rewritten from [S{shown}]. The model wrote {old!r}: {finding.reason}."))
        else:
            doomed.add(i)
            summary.warnings.append(f"Bullet {i + 1} left out because {finding.reason} (was {old!r}).")
        changed = True
    if doomed and len(doomed) < len(ql.bullets):
        ql.bullets = [b for i, b in enumerate(ql.bullets) if i not in doomed]
    else:
        doomed = set()
    # A rewritten line is named by its place in the box the editor sees, after the lines left out.
    for i, rest in rewritten:
        summary.warnings.append(f"Bullet {i + 1 - sum(d < i for d in doomed)} {rest}")
    return changed


def _shown_id(sent: sentences.Sentence, seen: list[sentences.Sentence] | None) -> int:
    """The number the views give a source sentence: that of the sentence the model saw at the same place (page
    chrome removed before the model saw the article shifts the numbering), else its own."""
    return next((x.id for x in seen or [] if x.start <= sent.start < x.end), sent.id)


def apply(summary: Summary, policy: str, seen: list[sentences.Sentence] | None = None) -> Summary:
    """Validate the summary, repair unfaithful headline lines, top up a thin box from ``seen`` (the sentences the
    model saw) and, under "drop", remove what is unsupported. Lines that copy text addressed to the summariser go
    under every policy."""
    provenance.drop_copies(summary)
    report = validate(summary)
    repaired = repair_headlines(summary, report, seen)
    if (seen and coverage.top_up(summary, seen)) or repaired:
        report = validate(summary)
    report.policy = policy  # type: ignore[assignment]
    if policy == "drop" and not report.ok:
        _drop(summary, report)
    summary.validation = report
    return summary


def problems(summary: Summary) -> list[str]:
    """The validation errors as short sentences for a re-ask prompt."""
    report = summary.validation
    if report is None:
        return []
    return [f'{f.field}: "{f.text}" — {f.reason}' for f in report.errors()]


def finish(summary: Summary, reasks: int) -> Summary:
    """Record how many re-asks were spent and warn when unsupported items remain."""
    report = summary.validation
    if reasks:
        summary.warnings.append(f"Re-asked the model {reasks} time(s) with the validation errors.")
    if report is not None and not report.ok and report.policy != "drop":
        summary.warnings.append(
            f"{len(report.errors())} item(s) could not be traced to the source: see validation for each one."
        )
    return summary
