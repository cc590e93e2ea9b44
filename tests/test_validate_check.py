"""Checking a summary's numbers and quotes against its source: supported, derived, unsupported."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from summarizer.validate import Finding, ValidationReport, check, check_fields
from summarizer.validate.cli import run_check
from summarizer.validate.report import Span

# A short synthetic article (written for these tests).
ARTICLE = (
    "Mary Lane became the face of the wartime poster campaign. "
    "The 92-year-old died this week at her home in Vermont, her family said. "
    "As a 19-year-old telephone operator, Lane posed for the painting that became the cover of the magazine "
    "on May 29, 1943. "
    "She was paid $10 for two mornings of work. "
    "The original painting sold at auction in 2002 for $4.96 million. "
    "A museum said 4,987 people visited the exhibition in its first week, and 1,234,567 people have seen it since. "
    "Turnout at the reopening rose 34% compared with last year, the curator said. "
    "The storm killed 20 people and injured 12 others in the town, officials said. "
    '"We never expected this many visitors," the curator said.'
)


def numbers(report: ValidationReport) -> list[Finding]:
    return [f for f in report.findings if f.kind in ("number", "date")]


def only(report: ValidationReport) -> Finding:
    assert len(report.findings) == 1, report.findings
    return report.findings[0]


# --- supported -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "summary",
    [
        "Lane was a 19-year-old telephone operator at the time.",
        "Lane died at the age of 92.",
        "The cover appeared on May 29, 1943.",
        "She earned $10 for two mornings.",
        "The storm killed 20 people.",
        "The storm injured 12 people.",
        "Turnout rose 34 per cent.",
        "The painting was sold in 2002.",
    ],
)
def test_supported(summary: str) -> None:
    report = check(ARTICLE, summary)
    assert report.ok, report.errors()
    assert numbers(report)
    assert all(f.status == "supported" for f in numbers(report))
    for f in numbers(report):
        assert f.source_spans
        for sp in f.source_spans:
            assert ARTICLE[sp.start : sp.end] == sp.text


def test_finding_fields() -> None:
    text = "The storm killed 20 people."
    f = only(check(ARTICLE, text, field="quick_look.bullets[0]"))
    assert f.kind == "number"
    assert f.field == "quick_look.bullets[0]"
    assert f.text == "20"
    assert f.value == 20
    assert f.span is not None and text[f.span.start : f.span.end] == "20"
    assert f.reason.startswith("found in source")
    assert "killed 20 people" in f.reason


# --- derived -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "word"),
    [
        ("Nearly 5,000 people visited in the first week.", "nearly"),
        ("More than 4,000 people visited in the first week.", "more than"),
        ("About 1.2 million people have seen the exhibition.", "1,234,567"),
        ("The painting sold for $5 million.", "4.96"),
        ("The storm killed or injured 32 people.", "+"),
    ],
)
def test_derived(summary: str, word: str) -> None:
    f = numbers(check(ARTICLE, summary))[0]
    assert f.status == "derived", f
    assert word in f.reason
    assert f.source_spans


def test_scale_and_currency_conversions_are_the_same_value() -> None:
    source = "The deal is worth $1.2bn, officials said, and 1,200 million shares changed hands."
    for summary in ("The deal is worth 1.2 billion dollars.", "The deal is worth $1,200 million.",
                    "1.2 billion shares changed hands."):  # fmt: skip
        report = check(source, summary)
        assert report.ok, (summary, report.errors())


def test_time_unit_conversion() -> None:
    source = "The ban lasts 14 days from Monday."
    f = only(check(source, "A two-week ban starts Monday."))
    assert f.status == "derived"


# --- unsupported ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "summary",
    [
        "The storm killed 25 people.",
        "She was paid $12 for two mornings of work.",
        "Turnout rose 43% at the reopening.",
        "The cover appeared on June 14, 1943.",
        "The painting sold at auction in 2005.",
        "Nearly 9,000 people visited in the first week.",
    ],
)
def test_unsupported(summary: str) -> None:
    report = check(ARTICLE, summary)
    assert not report.ok
    assert report.errors()[0].status == "unsupported"
    assert "does not appear" in report.errors()[0].reason


def test_number_present_only_in_another_context_is_caught() -> None:
    report = check(ARTICLE, "Lane was a 92-year-old telephone operator when she posed.")
    (f,) = report.errors()
    assert f.text == "92-year-old"
    assert "another context" in f.reason
    assert "19-year-old" in f.reason
    # The faithful version passes, and so does 92 used as the age at death.
    assert check(ARTICLE, "Lane was a 19-year-old telephone operator when she posed.").ok
    assert check(ARTICLE, "The 92-year-old died at her home in Vermont.").ok


def test_swapped_count_is_caught() -> None:
    assert check(ARTICLE, "The storm killed 20 people and injured 12.").ok
    report = check(ARTICLE, "The storm killed 12 people in the town.")
    assert not report.ok
    assert "20" in report.errors()[0].reason


def test_currency_must_agree() -> None:
    assert not check(ARTICLE, "She was paid £10 for two mornings of work.").ok


def test_percent_is_not_a_count() -> None:
    assert not check("Officials counted 34 ballots.", "Turnout rose 34%.").ok


# --- quotes --------------------------------------------------------------------------------------------------------


def test_quote_found_with_other_quote_marks() -> None:
    report = check(ARTICLE, "The curator said: “We never expected this many visitors.”")
    (f,) = report.findings
    assert f.kind == "quote"
    assert f.status == "supported"
    assert f.source_spans and "never expected" in f.source_spans[0].text


def test_altered_quote_is_unsupported() -> None:
    report = check(ARTICLE, 'The curator said "we never expected so many visitors".')
    (f,) = report.findings
    assert (f.kind, f.status) == ("quote", "unsupported")


def test_short_scare_quotes_are_not_checked() -> None:
    assert check(ARTICLE, 'The "wartime poster" campaign.').findings == []


def test_quote_with_regex_characters() -> None:
    source = 'The firm said it made "$1.2bn (up 34%) in a single year" last time.'
    assert check(source, 'It made "$1.2bn (up 34%) in a single year".').ok


# --- check_fields --------------------------------------------------------------------------------------------------


def test_check_fields_reports_per_field() -> None:
    report = check_fields(
        ARTICLE,
        [("quick_look.title", "Poster model dies at 92"), ("quick_look.bullets[0]", "Storm kills 25 in town")],
    )
    assert [f.field for f in report.findings] == ["quick_look.title", "quick_look.bullets[0]"]
    assert [f.status for f in report.findings] == ["supported", "unsupported"]
    assert not report.ok


def test_fields_are_checked_apart_with_spans_in_their_own_text() -> None:
    fields = [("a", "The storm killed 20"), ("b", "to 30 people, officials said."), ("c", "May"), ("d", "29, 1943")]
    report = check_fields(ARTICLE, fields)
    # no range "20 to 30" and no date "May 29, 1943" across two fields
    assert [(f.field, f.text) for f in report.findings] == [("a", "20"), ("b", "30"), ("d", "29"), ("d", "1943")]
    for f in report.findings:
        text = dict(fields)[f.field]
        assert f.span is not None and text[f.span.start : f.span.end] == f.text
    alone = check_fields(ARTICLE, [("b", "to 30 people, officials said.")])
    assert alone.findings == [f for f in report.findings if f.field == "b"]


def test_aligned_spans_are_a_hint_not_a_verdict() -> None:
    start = ARTICLE.index("The storm")
    storm = Span(start=start, end=ARTICLE.index(".", start) + 1, text="")
    wrong = Span(start=0, end=ARTICLE.index(".") + 1, text="")
    ok = check_fields(ARTICLE, [("b", "20 killed")], aligned={"b": [storm]})
    assert ok.ok
    # A citation that points at the wrong sentence does not make an absent number supported...
    assert not check_fields(ARTICLE, [("b", "25 killed")], aligned={"b": [wrong]}).ok
    # ...nor hide a number that the source does support elsewhere.
    assert check_fields(ARTICLE, [("b", "The storm killed 20 people")], aligned={"b": [wrong]}).ok


def _sentence_of(phrase: str) -> Span:
    start = ARTICLE.rindex(". ", 0, ARTICLE.index(phrase)) + 2
    return Span(start=start, end=ARTICLE.index(".", ARTICLE.index(phrase)) + 1, text="")


def test_a_verbatim_copy_of_the_cited_sentence_is_supported_at_that_place() -> None:
    cited = _sentence_of("The storm")
    copy = "killed 20 people and injured 12 others"
    report = check_fields(ARTICLE, [("b", copy)], aligned={"b": [cited]})
    assert [(f.text, f.status, f.confidence) for f in report.findings] == [
        ("20", "supported", 1.0),
        ("12", "supported", 1.0),
    ]
    for f in report.findings:
        assert f.span is not None and copy[f.span.start : f.span.end] == f.text
        # The source span is the figure of the copied sentence itself.
        assert [(s.start, s.text) for s in f.source_spans] == [(ARTICLE.index(copy) + f.span.start, f.text)]
        assert "verbatim" in f.reason


def test_only_a_copy_of_a_cited_sentence_takes_the_verbatim_path() -> None:
    copy = "killed 20 people and injured 12 others"
    # Uncited, or citing another sentence: checked in full (same verdicts here, other reasons).
    for aligned in (None, {"b": [_sentence_of("paid $10")]}):
        report = check_fields(ARTICLE, [("b", copy)], aligned=aligned)
        assert report.ok and all("verbatim" not in f.reason for f in report.findings)
    # A figure cut in two by the end of the copy is read in full, not taken from the source's reading.
    cut = "on May 29"
    report = check_fields(ARTICLE, [("b", cut)], aligned={"b": [_sentence_of("telephone operator")]})
    assert [f.text for f in report.findings] == ["May 29"]
    assert "verbatim" not in report.findings[0].reason


def test_empty_summary_is_ok() -> None:
    report = check(ARTICLE, "")
    assert report.ok
    assert report.findings == []


def test_the_word_one_is_not_a_figure() -> None:
    assert check(ARTICLE, "One of the museums said so.").findings == []


# --- seed article --------------------------------------------------------------------------------------------------

SEED = Path(__file__).resolve().parents[1] / "examples" / "articles" / "seed_001_rki.txt"


def test_seed_article() -> None:
    source = SEED.read_text(encoding="utf-8")
    assert check(source, "A 30-day Russian moratorium on strikes on energy infrastructure lapses.").ok
    assert not check(source, "A 60-day Russian moratorium on strikes on energy infrastructure lapses.").ok
    assert check(source, "The minerals deal is expected to be finalized by April 26.").ok
    assert not check(source, "The minerals deal is expected to be finalized by April 29.").ok


# --- CLI entry -----------------------------------------------------------------------------------------------------


def test_run_check_text_and_json(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("The storm killed 20 people.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("The storm killed 25 people.", encoding="utf-8")
    out = io.StringIO()
    assert run_check(str(src), str(good), False, out) == 0
    assert "supported" in out.getvalue()
    assert "confidence 0." in out.getvalue() or "confidence 1.00" in out.getvalue()
    assert "weakest support" in out.getvalue()
    out = io.StringIO()
    assert run_check(str(src), str(bad), False, out) == 1
    assert "unsupported" in out.getvalue() and "25" in out.getvalue()
    out = io.StringIO()
    assert run_check(str(src), str(bad), True, out) == 1
    data = json.loads(out.getvalue())
    assert data["ok"] is False
    assert data["findings"][0]["status"] == "unsupported"
    assert data["findings"][0]["confidence"] == 0.0
    assert data["support"] == 0.0


def test_run_check_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("The storm killed 20 people."))
    assert run_check(str(src), "-", False, io.StringIO()) == 0


def test_run_check_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        run_check(str(tmp_path / "nope.txt"), "-", False, io.StringIO())
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        run_check(str(src), str(tmp_path / "nope.txt"), False, io.StringIO())


def test_confidence_grades_support_and_the_report_keeps_the_weakest() -> None:
    def conf(summary: str, text: str) -> float:
        [f] = [f for f in check(ARTICLE, summary).findings if f.text == text]
        assert f.confidence is not None
        return f.confidence

    in_context = conf("The original painting sold at auction in 2002 for $4.96 million.", "$4.96 million")
    elsewhere = conf("A necklace fetched $4.96 million at a charity dinner.", "$4.96 million")
    assert 0.0 <= elsewhere < in_context <= 1.0
    assert conf("Turnout fell 35% compared with last year.", "35%") == 0.0
    quote = "We never expected this many visitors."
    assert conf(f'The curator said: "{quote}"', quote) == 1.0
    report = check(ARTICLE, "A necklace fetched $4.96 million; the storm killed 20 people, officials said.")
    assert report.ok
    assert report.support == min(f.confidence for f in report.findings if f.confidence is not None) < 1.0
    assert check(ARTICLE, "Nothing to check here.").support == 1.0


def test_run_check_reads_a_pipe(tmp_path: Path) -> None:
    """`summarizer check --source a.txt <(make-summary)`: process substitution hands over a pipe, not a file."""
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    r, w = os.pipe()
    os.write(w, b"The storm killed 25 people.")
    os.close(w)
    try:
        out = io.StringIO()
        assert run_check(str(src), f"/dev/fd/{r}", False, out) == 1
    finally:
        os.close(r)
    assert "'25'" in out.getvalue()
