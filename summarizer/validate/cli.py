"""The body of ``summarizer check``: cross-check a summary file's numbers and quotes against its source."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from summarizer.validate.check import check
from summarizer.validate.report import Finding, ValidationReport

__all__ = ["format_report", "run_check"]

_MARK = {"supported": "ok ", "derived": "~  ", "unsupported": "!! "}


def run_check(source_path: str, summary_path: str, as_json: bool, out: TextIO) -> int:
    """Check the summary at ``summary_path`` ("-" for stdin) against ``source_path``; 0 when ok, 1 when not."""
    source = _read(source_path, allow_stdin=False)
    summary = _read(summary_path, allow_stdin=True)
    report = check(source, summary)
    if as_json:
        out.write(report.model_dump_json(indent=2) + "\n")
    else:
        out.write(format_report(report, source))
    return 0 if report.ok else 1


def format_report(report: ValidationReport, source: str) -> str:
    """A readable report: one block per finding (status, item, reason, source excerpt), then a verdict line."""
    lines: list[str] = []
    for f in report.findings:
        conf = f"  confidence {f.confidence:.2f}" if f.confidence is not None and f.status != "unsupported" else ""
        lines.append(f"{_MARK[f.status]}{f.status:<11} {f.kind:<6} {f.text!r}  [{f.field}]{conf}")
        if f.reason:
            lines.append(f"      {f.reason}")
        excerpt = _excerpt(f, source)
        if excerpt:
            lines.append(f"      source: {excerpt}")
    counts = {s: sum(f.status == s for f in report.findings) for s in ("supported", "derived", "unsupported")}
    verdict = "OK" if report.ok else "NOT OK"
    lines.append(
        f"{verdict}: {len(report.findings)} checked, {counts['supported']} supported, {counts['derived']} derived, "
        f"{counts['unsupported']} unsupported; weakest support {report.support:.2f}"
    )
    return "\n".join(lines) + "\n"


def _excerpt(f: Finding, source: str, width: int = 60) -> str:
    if not f.source_spans:
        return ""
    sp = f.source_spans[0]
    a, b = max(0, sp.start - width), min(len(source), sp.end + width)
    return ("…" if a else "") + " ".join(source[a:b].split()) + ("…" if b < len(source) else "")


def _read(path: str, *, allow_stdin: bool) -> str:
    if allow_stdin and path == "-":
        return sys.stdin.read()
    p = Path(path)
    # Not is_file(): a pipe ("<(cmd)", /dev/stdin) is a fine source too.
    if not p.exists() or p.is_dir():
        raise FileNotFoundError(2, "No such file", path)
    return p.read_text(encoding="utf-8")
