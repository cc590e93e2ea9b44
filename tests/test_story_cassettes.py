"""The story of the two seeds on the real local model, replayed from a cassette (recorded, never hand-edited).

Three requests: seed 000's summary, seed 001's summary, the story call. Replay blocks the network and matches each
request by method, path and body; so a change to the summary or story prompts needs a re-record:
`.venv/bin/pytest tests/test_story_cassettes.py --record-mode=rewrite` (starts the local model; minutes per call).
The assertions hold the structure and the discrepancy detection, not the model's wording.
"""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer import Article, Summarizer
from summarizer.story import StoryBrief, render_story, summarize_story
from tests.conftest import SEED_000, SEED_001

pytestmark = [pytest.mark.vcr, pytest.mark.block_network]

APRIL_18 = dt.date(2025, 4, 18)


def spans_hold(brief: StoryBrief) -> None:
    """Every span of the brief points at the text it quotes, in the source it names."""
    texts = {s.letter: s.summary.article.text for s in brief.sources}
    refs = [e for b in brief.quick_look for e in b.evidence]
    refs += [r for g in brief.claims for c in g.claims for r in (*c.quotes, *c.evidence)]
    refs += [e for ev in brief.timeline for e in ev.evidence]
    refs += [v.evidence for d in brief.discrepancies for v in d.versions if v.evidence]
    for r in refs:
        assert texts[r.source][r.span.start : r.span.end] == r.span.text
    for d in brief.discrepancies:
        for v in d.versions:
            if v.span is not None:
                assert texts[v.source][v.span.start : v.span.end] == v.says


def test_seed_story(recorded_summarizer: Summarizer) -> None:
    articles = [
        Article(text=SEED_000.read_text(), source="Newslooks/AP", id="seed_000"),
        Article(text=SEED_001.read_text(), source="rki.news", id="seed_001"),
    ]
    brief = summarize_story(articles, summarizer=recorded_summarizer, published=APRIL_18)
    print(render_story(brief))  # shown with -s: what the real model's story looks like

    assert [s.letter for s in brief.sources] == ["A", "B"] and brief.reused == []
    assert all(s.published_at == APRIL_18 for s in brief.sources)
    assert brief.usage.attempts >= 3 and brief.usage.completion_tokens > 0  # two summaries and the story call
    assert len(brief.quick_look) >= 3 and all(b.sources and b.evidence for b in brief.quick_look)
    assert brief.validation.findings  # the brief's figures were checked against their sources
    spans_hold(brief)

    # The two differences the issue names, whatever the small model made of them.
    deaths = [d for d in brief.discrepancies if d.topic.startswith("people killed")]
    assert len(deaths) == 1 and deaths[0].reconcilable is True
    said = {(v.source, v.says) for v in deaths[0].versions}
    assert {("A", "killed one person"), ("A", "killing a customer"), ("B", "killing two people")} <= said
    deal = [d for d in brief.discrepancies if d.kind == "status" and "minerals" in d.topic]
    assert len(deal) == 1 and {v.source for v in deal[0].versions} == {"A", "B"}
    assert any("expected to be finalized" in v.says for v in deal[0].versions if v.source == "B")
