"""summarize() end to end over a FakeLLM: spans, quotes, dates, usage, policies, tasks and bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from summarizer import Article, InputError, LLMError, Summarizer
from summarizer.schemas import Usage
from tests.fakes import FakeLLM


def make(answers: list[Any], **kw: Any) -> tuple[Summarizer, FakeLLM]:
    fake = FakeLLM(answers)
    return Summarizer(llm=fake, **kw), fake


def test_summary_maps_citations_to_exact_source_spans(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    summarizer, _ = make([seed_000_draft])
    s = summarizer.summarize(seed_000)
    assert s.quick_look is not None
    assert 5 <= len(s.quick_look.bullets) <= 8
    kharkiv = s.quick_look.bullets[1]
    [span] = kharkiv.evidence
    assert s.article.text[span.start : span.end] == span.text
    assert "wounded 98 others" in span.text


def test_claim_quotes_are_cut_verbatim_from_the_cited_sentence(
    seed_000: Article, seed_000_draft: dict[str, Any]
) -> None:
    s = make([seed_000_draft])[0].summarize(seed_000)
    rubio, trump = s.claims[:2]  # the model's claims; quotations it missed follow
    assert rubio.quote == "We are now reaching a point where we need to decide whether this is even possible or not,"
    assert rubio.quote_span is not None
    assert s.article.text[rubio.quote_span.start : rubio.quote_span.end] == rubio.quote
    assert trump.quote == "We have a minerals deal,"
    assert trump.role == "President"
    assert s.validation is not None
    quotes = [f for f in s.validation.findings if f.field.endswith(".quote")]
    assert quotes and all(f.status == "supported" and f.confidence == 1.0 for f in quotes)
    assert all(f.confidence is not None for f in s.validation.findings)


def test_timeline_resolves_relative_dates_against_publication(
    seed_000: Article, seed_000_draft: dict[str, Any]
) -> None:
    s = make([seed_000_draft])[0].summarize(seed_000)
    by_when = {e.when: e for e in s.timeline}
    assert by_when["Friday"].date == dt.date(2025, 4, 18)
    assert by_when["April 4"].date == dt.date(2025, 4, 4)
    assert (by_when["last month"].date, by_when["last month"].granularity) == (dt.date(2025, 3, 1), "month")
    # sorted by date, the model's events among those read from the source
    model = {d["what"] for d in seed_000_draft["timeline"]}
    assert [e.when for e in s.timeline if e.event in model] == ["last month", "April 4", "Friday"]
    dates = [e.date for e in s.timeline if e.date]
    assert dates == sorted(dates)


def test_unknown_publication_date_leaves_relative_dates_unresolved(seed_000_draft: dict[str, Any]) -> None:
    from tests.conftest import SEED_000

    s = make([seed_000_draft])[0].summarize(SEED_000.read_text())  # a bare str: no metadata
    friday = next(e for e in s.timeline if e.when == "Friday")
    assert friday.date is None and friday.note
    assert any("publication date" in w for w in s.warnings)


def test_faithful_draft_passes_validation(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    s = make([seed_000_draft])[0].summarize(seed_000)
    assert s.validation is not None
    assert s.validation.ok, [f.model_dump() for f in s.validation.errors()]
    kinds = {f.kind for f in s.validation.findings}
    assert kinds == {"number", "quote", "date"}


def test_wrong_figure_is_flagged_under_report(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    seed_000_draft["bullets"][1]["text"] = "Cluster munitions in Kharkiv killed one person and wounded 89"
    s = make([seed_000_draft])[0].summarize(seed_000)
    assert s.validation is not None and not s.validation.ok
    [error] = s.validation.errors()
    assert error.field == "quick_look.bullets[1]" and error.text == "89"
    assert any("could not be traced" in w for w in s.warnings)


def test_drop_policy_removes_the_unsupported_bullet(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    seed_000_draft["bullets"][1]["text"] = "Cluster munitions in Kharkiv killed one person and wounded 89"
    s = make([seed_000_draft], policy="drop")[0].summarize(seed_000)
    assert s.quick_look is not None
    assert len(s.quick_look.bullets) == 5
    assert all("89" not in b.text for b in s.quick_look.bullets)
    assert s.validation is not None and s.validation.dropped == [
        "quick_look.bullets[1]: Cluster munitions in Kharkiv killed one person and wounded 89"
    ]


def test_reask_sends_only_the_errors_and_counts_usage_of_every_attempt(
    seed_000: Article, seed_000_draft: dict[str, Any]
) -> None:
    import copy

    bad = copy.deepcopy(seed_000_draft)
    bad["bullets"][1]["text"] = "Cluster munitions in Kharkiv killed one person and wounded 89"
    summarizer, fake = make([bad, seed_000_draft], policy="reask", max_reasks=2)
    s = summarizer.summarize(seed_000)
    assert len(fake.calls) == 2
    first, second = fake.calls
    # bounded context: original two messages + the last answer + one message with the errors
    assert [m["role"] for m in second.messages] == ["system", "user", "assistant", "user"]
    assert second.messages[:2] == first.messages
    assert '"89"' in second.messages[3]["content"] and "wounded 98" not in second.messages[3]["content"]
    assert s.validation is not None and s.validation.ok
    assert s.usage == Usage(prompt_tokens=2000, completion_tokens=400, attempts=2)
    assert any("Re-asked the model 1 time" in w for w in s.warnings)


def test_reask_is_bounded(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    seed_000_draft["bullets"][1]["text"] = "Cluster munitions in Kharkiv killed one person and wounded 89"
    summarizer, fake = make([seed_000_draft] * 5, policy="reask", max_reasks=2)
    s = summarizer.summarize(seed_000)
    assert len(fake.calls) == 3
    assert s.validation is not None and not s.validation.ok


def test_tasks_can_be_asked_for_alone(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    only = {"timeline": seed_000_draft["timeline"]}
    summarizer, fake = make([only])
    s = summarizer.timeline(seed_000)
    assert s.quick_look is None and s.claims == []
    assert {d["what"] for d in seed_000_draft["timeline"]} <= {e.event for e in s.timeline}
    assert set(fake.calls[0].response_model.model_fields) == {"timeline"}
    prompt = fake.calls[0].messages[1]["content"]
    assert '"timeline"' in prompt and '"bullets"' not in prompt


def test_prompt_puts_the_article_first_and_fenced(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    summarizer, fake = make([seed_000_draft])
    summarizer.summarize(seed_000)
    user = fake.calls[0].messages[1]["content"]
    assert user.startswith("<article>")
    assert user.index("</article>") < user.index('"bullets"') < user.index('"claims"') < user.index('"timeline"')
    assert "[S1] " in user and "Published: 2025-04-18" in user
    # page chrome and the site's own summary box never reach the model
    for chrome in ("Previous Article", "How useful was this article", "Vote count", "– Quick Look"):
        assert chrome not in user


def test_too_few_bullets_is_a_schema_error() -> None:
    from pydantic import ValidationError

    from summarizer.drafts import draft_model

    with pytest.raises(ValidationError, match="at least 5 items"):
        draft_model(["brief"]).model_validate({"title": "t", "bullets": [{"text": "a", "cites": [1]}]})


def test_small_model_citation_quirks_are_tolerated(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    from summarizer.drafts import draft_model

    value = draft_model(["claims", "timeline"]).model_validate(
        {
            "claims": [{"who": "A", "claim": "x", "cite": [3]}],
            "timeline": [{"when": "Friday", "what": "y", "cite": "S99"}],
        }
    )
    data = value.model_dump()
    assert (data["claims"][0]["cite"], data["timeline"][0]["cite"]) == (3, 99)
    # a citation of a sentence that does not exist anchors nothing: the bullet then cites the sentence it restates
    seed_000_draft["bullets"][0]["cites"] = [999]
    s = make([seed_000_draft])[0].summarize(seed_000)
    assert s.quick_look is not None
    restated = s.quick_look.bullets[0].evidence
    assert len(restated) == 1 and "Rubio" in restated[0].text
    assert any(w.startswith("bullet 1 ('") and "') cited nothing; its words stand in [S" in w for w in s.warnings)
    # a line that restates no sentence keeps no citation
    seed_000_draft["bullets"][0] = {"text": "Talks resume.", "cites": [999]}
    s = make([seed_000_draft])[0].summarize(seed_000)
    assert s.quick_look is not None and s.quick_look.bullets[0].evidence == []


def test_article_text_is_sent_verbatim_never_templated(seed_000_draft: dict[str, Any]) -> None:
    text = "The {{ n_sentences }} ministers met {% if x %}twice{% endif %} on Friday and agreed on 12 points."
    summarizer, fake = make([seed_000_draft])
    summarizer.summarize(text)
    assert text in fake.calls[0].messages[1]["content"]


def test_long_article_is_truncated_and_says_so(seed_000_draft: dict[str, Any]) -> None:
    from tests.conftest import SEED_000

    text = SEED_000.read_text()
    summarizer, fake = make([seed_000_draft], max_article_chars=3000)
    s = summarizer.summarize(Article(text=text, published_at=dt.date(2025, 4, 18)))
    assert s.article.truncated_at is not None and s.article.truncated_at <= 3000
    assert any("the model saw the first" in w for w in s.warnings)
    assert "Kryvyi Rih" not in fake.calls[0].messages[1]["content"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   \n\t ", "empty"), (b"\x00\x01\x02binary", "binary"), (b"caf\xe9 au lait", "not UTF-8")],
)
def test_bad_input_is_a_clear_input_error(text: str | bytes, message: str) -> None:
    summarizer, fake = make([])
    with pytest.raises(InputError, match=message):
        summarizer.summarize(text)
    assert fake.calls == []


def test_provider_errors_propagate_as_llm_errors(seed_000: Article) -> None:
    summarizer, _ = make([LLMError("The provider answered HTTP 500", status_code=500)])
    with pytest.raises(LLMError) as info:
        summarizer.summarize(seed_000)
    assert info.value.status_code == 500


async def test_asummarize_matches_summarize(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    summarizer, _ = make([seed_000_draft, seed_000_draft])
    a = await summarizer.asummarize(seed_000)
    b = summarizer.summarize(seed_000)
    assert a.model_dump(exclude={"latency_s"}) == b.model_dump(exclude={"latency_s"})
