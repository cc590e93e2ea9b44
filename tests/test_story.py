"""summarize_story over the FakeLLM: merged Quick Look, claims by claimant, one timeline, discrepancies, store reuse."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from summarizer import cli
from summarizer.api import Summarizer
from summarizer.batch import store_key
from summarizer.errors import InputError, LLMError
from summarizer.schemas import Article, Usage
from summarizer.store import Store
from summarizer.story import Discrepancy, StoryBrief, render_story, summarize_story
from summarizer.story.drafts import StoryDraft
from summarizer.story.sources import with_date
from tests.conftest import SEED_000, SEED_001, sentence_of
from tests.fakes import FakeLLM

APRIL_18 = dt.date(2025, 4, 18)


def story_main(args: list[str], *, out: Any, err: Any) -> int:
    """``summarizer story ARGS`` through the real CLI entry point."""
    return cli.main(["story", *args], out=out, err=err)


@pytest.fixture
def seed_001_draft() -> dict[str, Any]:
    """A faithful draft answer for seed 001 (rki.news), citing the sentences it comes from."""
    text = SEED_001.read_text()
    warned = sentence_of(text, "has warned that Washington")
    quote = sentence_of(text, "We're not going to continue")
    peskov = sentence_of(text, "Kremlin spokesperson Dmitry Peskov")
    strikes = sentence_of(text, "killing two people")
    vance = sentence_of(text, "We feel hopeful")
    memo = sentence_of(text, "signed a memorandum of intent")
    finalized = sentence_of(text, "expected to be finalized by April 26")
    moratorium = sentence_of(text, "30-day Russian moratorium")
    return {
        "title": "U.S. to quit Ukraine peace talks without swift progress, Rubio says",
        "bullets": [
            {"text": "Rubio warns the U.S. will abandon its ceasefire efforts within days", "cites": [warned]},
            {"text": "Russian missile strikes on Friday killed two people, Zelensky says", "cites": [strikes]},
            {"text": "Ukraine and the U.S. signed a memorandum of intent on an investment fund", "cites": [memo]},
            {"text": "The deal is expected to be finalized by April 26", "cites": [finalized]},
            {"text": "A 30-day Russian moratorium on attacking energy infrastructure lapses", "cites": [moratorium]},
        ],
        "claims": [
            {
                "who": "U.S. Secretary of State Marco Rubio",
                "role": "U.S. Secretary of State",
                "claim": "The U.S. will not continue the effort for weeks and months.",
                "cite": quote,
            },
            {
                "who": "Dmitry Peskov",
                "role": "Kremlin spokesperson",
                "claim": "Russia is open to dialogue.",
                "cite": peskov,
            },
            {
                "who": "JD Vance",
                "role": "Vice President",
                "claim": "The brutal war can be brought to a close.",
                "cite": vance,
            },
        ],
        "timeline": [
            {"when": "April 18", "what": "Rubio warns the U.S. will abandon its efforts", "cite": warned},
            {"when": "Friday", "what": "Russian missile strikes kill two people", "cite": strikes},
            {"when": "April 26", "what": "The deal is expected to be finalized", "cite": finalized},
        ],
    }


def story_answer(a: dict[str, int], b: dict[str, int]) -> dict[str, Any]:
    """The story call's answer, citing sentences of A (seed 000) and B (seed 001) by id."""
    return {
        "title": "U.S. threatens to quit Ukraine talks as Russian strikes go on",
        "bullets": [
            {
                "text": "Rubio says the U.S. may abandon peace efforts within days without progress",
                "cites": [f"A{a['rubio']}", f"B{b['warned']}"],
            },
            {"text": "Russian strikes on Friday killed two people, Zelensky says", "cites": [f"B{b['strikes']}"]},
            {"text": "Cluster munitions in Kharkiv killed one person and wounded 98", "cites": [f"[A{a['kharkiv']}]"]},
            {"text": "The U.S. and Ukraine signed a memorandum of intent", "cites": [f"A{a['memo']}", f"B{b['memo']}"]},
            {"text": "Peskov says Russia is open to dialogue", "cites": ["A99", "Z3"]},  # no known sentence: set aside
        ],
        "conflicts": [
            {
                "topic": "death toll",
                "versions": [
                    {"cite": f"A{a['kharkiv']}", "says": "killed one person"},
                    {"cite": f"B{b['strikes']}", "says": "killing two people"},
                ],
            },
            {
                "topic": "ceasefire length",  # the model's invention: both say 30-day
                "versions": [
                    {"cite": f"A{a['ceasefire']}", "says": "30-day ceasefire"},
                    {"cite": f"B{b['moratorium']}", "says": "30-day Russian moratorium"},
                ],
            },
        ],
    }


@pytest.fixture
def ids() -> tuple[dict[str, int], dict[str, int]]:
    """Sentence numbers of the seeds that the story answer cites."""
    t0, t1 = SEED_000.read_text(), SEED_001.read_text()
    a = {
        "rubio": sentence_of(t0, "announced Friday"),
        "kharkiv": sentence_of(t0, "wounded 98 others"),
        "sumy": sentence_of(t0, "killing a customer"),
        "memo": sentence_of(t0, "finalized a memorandum"),
        "ceasefire": sentence_of(t0, "30-day ceasefire"),
    }
    b = {
        "warned": sentence_of(t1, "has warned that Washington"),
        "strikes": sentence_of(t1, "killing two people"),
        "memo": sentence_of(t1, "signed a memorandum of intent"),
        "finalized": sentence_of(t1, "expected to be finalized"),
        "moratorium": sentence_of(t1, "30-day Russian moratorium"),
    }
    return a, b


@pytest.fixture
def articles() -> list[Article]:
    """The two seeds as an editor passes them: seed 000's date is not in its text, seed 001 states its own."""
    return [
        Article(text=SEED_000.read_text(), source="Newslooks/AP", id="seed_000"),
        Article(text=SEED_001.read_text(), source="rki.news", id="seed_001"),
    ]


@pytest.fixture
def answers(
    seed_000_draft: dict[str, Any], seed_001_draft: dict[str, Any], ids: tuple[dict[str, int], dict[str, int]]
) -> list[dict[str, Any]]:
    return [seed_000_draft, seed_001_draft, story_answer(*ids)]


def brief_of(articles: list[Article], answers: Sequence[dict[str, Any] | BaseException], **kw: Any) -> StoryBrief:
    llm = FakeLLM(list(answers))
    return summarize_story(articles, summarizer=Summarizer(llm=llm), published=APRIL_18, **kw)


def topics(brief: StoryBrief) -> dict[str, Discrepancy]:
    return {d.topic: d for d in brief.discrepancies}


def casualty(brief: StoryBrief) -> Discrepancy:
    found = [d for d in brief.discrepancies if d.topic.startswith("people killed")]
    assert len(found) == 1, [d.topic for d in brief.discrepancies]
    return found[0]


def minerals(brief: StoryBrief) -> Discrepancy:
    found = [d for d in brief.discrepancies if d.kind == "status" and "minerals" in d.topic]
    assert len(found) == 1, [d.topic for d in brief.discrepancies]
    return found[0]


# -- the discrepancy list ------------------------------------------------------------------------------------


def assert_seed_discrepancies(brief: StoryBrief) -> None:
    """The casualty count (1 + 1 = 2, a sum of parts) and the minerals deal (signed vs expected) are both found."""
    deaths = casualty(brief)
    assert deaths.reconcilable is True and deaths.reconciliation and "sum of parts" in deaths.reconciliation
    said = {(v.source, v.says) for v in deaths.versions}
    assert ("B", "killing two people") in said
    assert {("A", "killed one person"), ("A", "killing a customer")} <= said
    for v in deaths.versions:  # every version points at its own source's text
        text = brief.sources[ord(v.source) - 65].summary.article.text
        assert v.span is not None and text[v.span.start : v.span.end] == v.says
        assert v.evidence is not None and v.evidence.span.start <= v.span.start < v.evidence.span.end
    deal = minerals(brief)
    said_by = {letter: " | ".join(v.says.lower() for v in deal.versions if v.source == letter) for letter in "AB"}
    assert "finalized" in said_by["A"] and "expected to be finalized" in said_by["B"]
    assert deal.reconcilable is True and "different stages" in (deal.reconciliation or "")


def test_rules_alone_find_both_discrepancies(
    articles: list[Article], seed_000_draft: dict[str, Any], seed_001_draft: dict[str, Any]
) -> None:
    # The story call fails: the rule pass still finds both differences, and the Quick Look falls back to code.
    brief = brief_of(articles, [seed_000_draft, seed_001_draft, LLMError("server down")])
    assert_seed_discrepancies(brief)
    assert all(d.found_by == ["rules"] for d in brief.discrepancies)
    assert any("story call failed" in w for w in brief.warnings)
    assert len(brief.quick_look) >= 3 and all(b.sources for b in brief.quick_look)
    assert brief.title == seed_000_draft["title"]


def test_model_candidates_merge_into_rule_discrepancies(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    brief = brief_of(articles, answers)
    assert_seed_discrepancies(brief)
    assert casualty(brief).found_by == ["rules", "model"]
    # "30-day" in both sources is no difference: the model's invented conflict is set aside.
    assert not any("ceasefire length" in d.topic for d in brief.discrepancies)
    assert any("do not bear out: ceasefire length" in w for w in brief.warnings)
    # Palm Sunday's 34 dead and the April 4 strike's 20 are other events, not versions of the day's toll.
    assert all(v.value not in (34, 20) for d in brief.discrepancies for v in d.versions)
    assert len(brief.discrepancies) == 2


def test_rule_pass_no_false_alarms_on_one_source_twice(seed_000_draft: dict[str, Any]) -> None:
    art = Article(text=SEED_000.read_text(), source="AP", published_at=APRIL_18)
    twin = art.model_copy(update={"source": "AP again"})
    brief = brief_of([art, twin], [seed_000_draft, seed_000_draft, LLMError("no")])
    assert brief.discrepancies == []


def test_model_only_conflict_is_kept_when_figures_differ() -> None:
    a = Article(text="Officials said 12 people were injured in the blast in Lodz on Monday. Repairs began.", source="X")
    b = Article(text="The blast in Lodz injured 15 people on Monday, police said. Roads were closed.", source="Y")
    draft = {"title": "Blast in Lodz", "bullets": [{"text": "A blast hit Lodz", "cites": [1]}] * 5}
    story = {
        "title": "Blast in Lodz",
        "bullets": [{"text": "A blast hit Lodz on Monday", "cites": ["A1", "B1"]}] * 3,
        "conflicts": [
            {
                "topic": "injured",
                "versions": [{"cite": "A1", "says": "12 people"}, {"cite": "B1", "says": "15 people"}],
            },
            {
                "topic": "made up",
                "versions": [{"cite": "A2", "says": "40 people"}, {"cite": "B2", "says": "15 people"}],
            },
        ],
    }
    brief = brief_of([a, b], [draft, draft, story])
    injured = [d for d in brief.discrepancies if d.topic.startswith("people injured")]
    assert injured and injured[0].found_by == ["rules", "model"]
    assert {v.value for v in injured[0].versions} == {12.0, 15.0}
    assert injured[0].reconcilable is None  # no arithmetic squares 12 with 15
    # "40 people" is not in A: that version is set aside, and with one source left, the candidate too.
    assert not any(d.topic == "made up" for d in brief.discrepancies)
    assert any("does not hold" in w for w in brief.warnings)


def test_percent_differences_and_equal_money() -> None:
    a = Article(text="Acme said revenue rose 34% in the quarter, to $1.2bn. Its chief executive resigned.", source="X")
    b = Article(text="Acme revenue rose 31% in the quarter, to $1.2bn, the company said. Shares fell.", source="Y")
    draft = {"title": "Acme results", "bullets": [{"text": "Acme revenue rose", "cites": [1]}] * 5}
    brief = brief_of([a, b], [draft, draft, LLMError("no")])
    kinds = [(d.topic, sorted(v.value or 0 for v in d.versions)) for d in brief.discrepancies]
    assert kinds == [("percentage", [31.0, 34.0])]  # $1.2bn is the same in both


# -- Quick Look, claims, timeline ------------------------------------------------------------------------------


def test_quick_look_lists_supporting_sources(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    brief = brief_of(articles, answers)
    texts = [b.text for b in brief.quick_look]
    assert "Peskov says Russia is open to dialogue" not in texts  # cited no known sentence
    assert any("cites no known sentence" in w for w in brief.warnings)
    rubio = brief.quick_look[0]
    assert rubio.sources == ["A", "B"]
    for b in brief.quick_look:
        for e in b.evidence:
            text = brief.sources[ord(e.source) - 65].summary.article.text
            assert text[e.span.start : e.span.end] == e.span.text
    kharkiv = next(b for b in brief.quick_look if "Kharkiv" in b.text)
    assert kharkiv.sources == ["A"]  # B never mentions Kharkiv, so code does not add it


def test_every_number_checked_against_its_source(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    brief = brief_of(articles, answers)
    fields = {f.field for f in brief.validation.findings}
    assert "quick_look[2]" in fields  # "one person ... 98" checked against A
    assert any(f.startswith("discrepancies[") for f in fields)
    assert brief.validation.ok, [(f.field, f.text, f.reason) for f in brief.validation.errors()]
    assert all(f.reason.startswith("source ") for f in brief.validation.findings)


def test_unsupported_bullet_figure_is_flagged(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    answers[2]["bullets"][1] = {"text": "Russian strikes on Friday killed five people", "cites": ["B6"]}
    answers[2]["title"] = "Strikes kill 40 as U.S. weighs quitting talks"
    brief = brief_of(articles, answers)
    bad = [(f.field, f.text) for f in brief.validation.errors()]
    assert ("quick_look[1]", "five") in bad and ("title", "40") in bad
    assert "⚠ unsupported: five" in render_story(brief)


def test_claims_grouped_by_claimant(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    brief = brief_of(articles, answers)
    groups = {g.claimant: g for g in brief.claims}
    rubio = groups["Marco Rubio"]
    assert rubio.sources == ["A", "B"]
    # each source's claimant is the speaker's name as the article introduces it, the title going to the role
    assert rubio.names == ["Marco Rubio"] and rubio.role == "U.S. Secretary of State"
    quotes = {(q.source, q.span.text[:20]) for c in rubio.claims for q in c.quotes}
    assert ("A", "We are now reaching ") in quotes and ("B", "We're not going to c") in quotes
    assert groups["Donald Trump"].sources == ["A"]
    assert "JD Vance" in groups and "Dmitry Peskov" in groups


def test_claim_groups_merge_name_variants() -> None:
    from summarizer.story.claims import _display, _same_person, _surname

    keys = {_surname(n) for n in ("Marco Rubio", "Rubio", "U.S. Secretary of State Marco Rubio")}
    assert keys == {"rubio"}
    assert _same_person(_surname("Volodymyr Zelensky"), _surname("President Volodymyr Zelenskyy"))
    assert not _same_person(_surname("Donald Trump"), _surname("Marco Rubio"))
    assert _display(["Rubio", "U.S. Secretary of State Marco Rubio", "Marco Rubio"]) == "Marco Rubio"


def test_one_timeline_with_merged_events(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    brief = brief_of(articles, answers)
    dates = [e.date for e in brief.timeline if e.date]
    assert dates == sorted(dates)
    friday = [e for e in brief.timeline if e.date == APRIL_18]
    # Rubio's warning: "Friday" in A, "April 18" in B, one entry; the strikes of that day (B only) stay apart.
    entries = [(e.sources, e.when) for e in friday]
    assert entries[0] == (["A", "B"], ["Friday", "April 18"]) and (["B"], ["Friday"]) in entries
    assert any(e.date == dt.date(2025, 4, 4) and e.sources == ["A"] for e in brief.timeline)
    assert any(e.date == dt.date(2025, 4, 26) and e.sources == ["B"] for e in brief.timeline)


# -- cost: the store, usage ----------------------------------------------------------------------------------


def test_usage_counts_paid_calls_only(articles: list[Article], answers: list[dict[str, Any]], tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    first = brief_of(articles, answers, store=store)
    per_call = Usage(prompt_tokens=1000, completion_tokens=200, attempts=1)
    assert first.usage.prompt_tokens == 3 * per_call.prompt_tokens and first.reused == []
    # Second run: both summaries come from the store, so the story costs one call.
    llm = FakeLLM([answers[2]])
    again = summarize_story(articles, summarizer=Summarizer(llm=llm), store=store, published=APRIL_18)
    assert len(llm.calls) == 1 and llm.calls[0].response_model is StoryDraft
    assert again.reused == ["A", "B"] and all(s.cached and s.usage == Usage() for s in again.sources)
    assert again.usage == per_call
    assert "reused: A, B" in render_story(again)


def test_store_filled_by_batch_is_reused(
    articles: list[Article], answers: list[dict[str, Any]], tmp_path: Path
) -> None:
    summarizer = Summarizer(llm=FakeLLM([answers[0]]))
    art = with_date(articles[0], APRIL_18)
    with Store(tmp_path / "s.sqlite") as store:
        store.put_result(store_key(summarizer, art), summarizer.summarize(art), item_id="seed_000")
        llm = FakeLLM([answers[1], answers[2]])
        brief = summarize_story(articles, summarizer=Summarizer(llm=llm), store=store, published=APRIL_18)
    assert brief.reused == ["A"] and len(llm.calls) == 2
    assert brief.usage.prompt_tokens == 2000


def test_published_applies_only_to_articles_without_a_date(articles: list[Article]) -> None:
    other = dt.date(2030, 1, 1)
    assert with_date(articles[0], other).published_at == other  # seed 000 states no date
    assert with_date(articles[1], other).published_at is None  # seed 001 states its own (the pipeline reads it)
    dated = articles[0].model_copy(update={"published_at": APRIL_18})
    assert with_date(dated, other).published_at == APRIL_18


def test_story_prompt_is_compact_and_numbered(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    llm = FakeLLM(list(answers))
    summarize_story(articles, summarizer=Summarizer(llm=llm), published=APRIL_18)
    story = llm.calls[2]
    user = story.messages[1]["content"]
    kharkiv = sentence_of(SEED_000.read_text(), "wounded 98 others")
    strikes = sentence_of(SEED_001.read_text(), "killing two people")
    deal = sentence_of(SEED_001.read_text(), "expected to be finalized by April 26")
    # the figure and status sentences are shown
    assert f"[A{kharkiv}]" in user and f"[B{strikes}]" in user and f"[B{deal}]" in user
    assert '<source id="A">' in user and "Outlet: rki.news, published 2025-04-18" in user
    chars = sum(len(m["content"]) for m in story.messages)
    assert chars < 2_500 * 4, chars  # ~2,500 tokens at ~4 characters a token
    assert story.max_tokens is not None and story.max_tokens <= 1000


def test_needs_two_articles() -> None:
    with pytest.raises(InputError):
        summarize_story(["only one"], summarizer=Summarizer(llm=FakeLLM([])))


def test_draft_accepts_sloppy_cites() -> None:
    d = StoryDraft.model_validate(
        {
            "title": " A\n title ",
            "bullets": [{"text": "x", "cites": "[a8]"}, {"text": "y", "cites": ["B 2", 3]}, {"text": "z"}] * 3,
            "conflicts": [{"topic": "t", "versions": [{"cite": ["A1"], "says": "1"}, {"cite": "b2", "says": "2"}]}],
        }
    )
    assert d.title == "A title" and len(d.bullets) == 8
    assert d.bullets[0].cites == ["A8"] and d.bullets[1].cites == ["B2"]
    assert [v.cite for v in d.conflicts[0].versions] == ["A1", "B2"]


# -- rendering and CLI -----------------------------------------------------------------------------------------


def test_render_formats(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    brief = brief_of(articles, answers)
    md = render_story(brief, "markdown")
    assert "### Where the sources differ" in md and "sum of parts" in md and "(A, B)" in md
    text = render_story(brief, "text")
    assert "**" not in text and "###" not in text
    data = json.loads(render_story(brief, "json"))
    assert StoryBrief.model_validate(data).discrepancies == brief.discrepancies


def test_cli_story(monkeypatch: pytest.MonkeyPatch, answers: list[dict[str, Any]], tmp_path: Path) -> None:
    llm = FakeLLM(list(answers))
    monkeypatch.setattr("summarizer.story_cli._summarizer", lambda args: Summarizer(llm=llm))
    out, err = io.StringIO(), io.StringIO()
    code = story_main([str(SEED_000), str(SEED_001), "--published", "2025-04-18", "--format", "json"], out=out, err=err)
    assert code == 0, err.getvalue()
    brief = StoryBrief.model_validate_json(out.getvalue())
    assert [s.label for s in brief.sources] == ["seed_000_newslooks.txt", "seed_001_rki.txt"]
    assert brief.sources[0].published_at == APRIL_18 and brief.sources[1].published_at == APRIL_18
    assert_seed_discrepancies(brief)
    # No terminal: a plain line says which article or call the story is on.
    steps = [line for line in err.getvalue().splitlines() if line.startswith("story: ")]
    assert [line.split(" (", 2)[0] if "story call" not in line else line.split(",")[0] for line in steps] == [
        "story: article 1/2",
        "story: article 2/2",
        "story: the story call",
    ]
    assert "(seed_000_newslooks.txt): model call 1" in steps[0] and "(seed_001_rki.txt)" in steps[1]
    # Each line also says how far the story is, as batch's lines do: steps done of articles + the story call,
    # an ETA once one is done, and the tokens of the calls answered so far.
    assert steps[0].endswith("; 0/3 done, ETA ?, 0 tokens)")
    assert "; 1/3 done, ETA " in steps[1] and "; 2/3 done, ETA " in steps[2]
    assert [re.search(r"[1-9][\d,]* tokens\)$", line) is not None for line in steps] == [False, True, True]


class _SlowFake(FakeLLM):
    """A FakeLLM whose every call takes ``delay`` seconds (a slow local model)."""

    delay: float = 0.5

    def create(self, response_model: Any, messages: Any, *, max_tokens: int | None = None) -> Any:
        time.sleep(self.delay)
        return super().create(response_model, messages, max_tokens=max_tokens)


def test_cli_story_without_a_terminal_prints_a_line_at_a_steady_pace_while_a_call_runs(
    monkeypatch: pytest.MonkeyPatch, answers: list[dict[str, Any]]
) -> None:
    llm = _SlowFake(list(answers))
    monkeypatch.setattr("summarizer.story_cli._summarizer", lambda args: Summarizer(llm=llm))
    out, err = io.StringIO(), io.StringIO()
    args = [str(SEED_000), str(SEED_001), "--published", "2025-04-18", "--progress-interval", "0.2"]
    assert story_main(args, out=out, err=err) == 0, err.getvalue()
    steps = [line for line in err.getvalue().splitlines() if line.startswith("story: ")]
    on_first = [line for line in steps if line.startswith("story: article 1/2")]
    assert len(on_first) >= 2  # the step's own line, then heartbeats while its 0.5 s call runs
    assert len(steps) > 3 and "\x1b[" not in err.getvalue()


def test_cli_story_quiet(monkeypatch: pytest.MonkeyPatch, answers: list[dict[str, Any]]) -> None:
    llm = FakeLLM(list(answers))
    monkeypatch.setattr("summarizer.story_cli._summarizer", lambda args: Summarizer(llm=llm))
    out, err = io.StringIO(), io.StringIO()
    code = story_main([str(SEED_000), str(SEED_001), "--published", "2025-04-18", "-q"], out=out, err=err)
    assert code == 0 and err.getvalue() == ""


def test_cli_usage_errors() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert story_main([str(SEED_000)], out=out, err=err) == 2
    assert "at least two" in err.getvalue()
    assert story_main([str(SEED_000), "/no/such/file.txt"], out=out, err=err) == 2
    assert story_main([str(SEED_000), str(SEED_001), "--published", "April"], out=out, err=err) == 2


def test_money_differences_within_rounding() -> None:
    a = Article(text="The city approved a budget of $1.23bn for schools on Monday.", source="X")
    b = Article(text="On Monday the city approved a schools budget of $1.2bn, officials said.", source="Y")
    draft = {"title": "Budget", "bullets": [{"text": "A budget was approved", "cites": [1]}] * 5}
    brief = brief_of([a, b], [draft, draft, LLMError("no")])
    [d] = brief.discrepancies
    assert d.topic == "amount USD" or d.topic.startswith("amount")
    assert d.reconcilable is True and "rounding" in (d.reconciliation or "")


def test_short_quick_look_is_topped_up(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    answers[2]["bullets"] = answers[2]["bullets"][:3]
    brief = brief_of(articles, answers)
    assert len(brief.quick_look) == 5
    assert [b.text for b in brief.quick_look[:3]] == [b["text"] for b in answers[2]["bullets"]]
    assert any("3 bullet(s); 2 added" in w for w in brief.warnings)
    assert all(b.sources and b.evidence for b in brief.quick_look)


def test_story_lines_get_the_sources_abbreviations_back(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    # The local model wrote "the U. might play" and "U. S." in the story cassette.
    summit = sentence_of(SEED_000.read_text(), "postwar security guarantees")
    answers[2]["title"] = "U. S. may quit the talks"
    answers[2]["bullets"][0] = {"text": "Rubio declined to say what role the U. might play", "cites": [f"A{summit}"]}
    brief = brief_of(articles, answers)
    assert brief.title == "U.S. may quit the talks"
    assert brief.quick_look[0].text == "Rubio declined to say what role the U.S. might play"


def test_a_span_of_the_story_timeline_keeps_both_ends(articles: list[Article], answers: list[dict[str, Any]]) -> None:
    # "in the past 24 hours" of a Friday report is Thursday to Friday: the story entry and its view keep both ends.
    text = SEED_000.read_text()
    vance = sentence_of(text, "in the past 24 hours")
    answers[0]["timeline"].append(
        {"when": "in the past 24 hours", "what": "Real progress was made, Vance suggested", "cite": vance}
    )
    brief = brief_of(articles, answers)
    [span] = [e for e in brief.timeline if "in the past 24 hours" in e.when]
    assert (span.date, span.end) == (dt.date(2025, 4, 17), APRIL_18)
    # A span is not merged with the single day that ends it.
    assert all(e.end is None for e in brief.timeline if e.date == APRIL_18)
    assert "2025-04-17 to 2025-04-18 (in the past 24 hours)" in render_story(brief, "markdown")


def test_story_steps_name_the_step_between_calls_too(answers: list[dict[str, Any]]) -> None:
    from summarizer.story_cli import _narrated, _Steps

    steps = _Steps(io.StringIO(), quiet=True, interval=3600)
    first, second = (Article(text=p.read_text(), id=p.name, published_at=APRIL_18) for p in (SEED_000, SEED_001))
    # Article 1 is briefed once alone, then again within the story: its answer is given twice.
    narrated = _narrated(Summarizer(llm=FakeLLM([answers[0], *answers])), steps, [first.id, second.id])
    narrated.summarize(first)
    # Between article 1's brief and article 2's call the line must not say "model call" of an article that is done.
    assert steps.line().startswith("story: article 1/2 (seed_000_newslooks.txt) briefed, going on (")
    assert "; 1/3 done, ETA " in steps.line()
    summarize_story([first, second], summarizer=narrated)
    assert steps.line().startswith("story: checking the story brief (") and "; 3/3 done, ETA 0s, " in steps.line()
