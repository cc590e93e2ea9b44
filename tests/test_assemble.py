"""Anchoring the model's draft in the source: time phrases, attributions, spans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from summarizer import Article, Summarizer
from summarizer.assemble import MAX_CLAIMS, MAX_EVENTS
from summarizer.dates import find_time_phrases
from tests.conftest import sentence_of
from tests.fakes import FakeLLM


def run(article: Article, draft: dict[str, Any]) -> Any:
    return Summarizer(llm=FakeLLM([draft]), tasks=["claims", "timeline"]).summarize(article)


def test_time_phrases_found_in_news_copy() -> None:
    text = (
        "On Thursday, April 17, 2025, talks began. A strike on Friday morning followed an April 4 attack, "
        "after a Palm Sunday strike. Talks resumed in March after a February meeting and will go on next week; "
        "the deal is due by April 26. It may close soon."
    )
    phrases = [p for _, _, p in find_time_phrases(text)]
    assert phrases == [
        "Thursday, April 17, 2025",
        "Friday morning",
        "April 4",
        "Palm Sunday",
        "in March",
        "February",
        "next week",
        "April 26",
    ]


def test_paraphrased_date_is_replaced_by_the_cited_sentences_phrase(seed_000: Article) -> None:
    kryvyi = sentence_of(seed_000.text, "killed 20 people")
    draft = {"claims": [], "timeline": [{"when": "Friday, April 4, 2025", "what": "Strike kills 20", "cite": kryvyi}]}
    s = run(seed_000, draft)
    [event] = [e for e in s.timeline if e.event == "Strike kills 20"]
    assert (event.when, event.date) == ("April 4", dt.date(2025, 4, 4))
    assert sum(e.evidence is not None and "killed 20 people" in e.evidence.text for e in s.timeline) == 1
    assert any("the model wrote 'Friday, April 4, 2025'" in w for w in s.warnings)
    assert s.validation is not None and s.validation.ok


def test_an_event_paired_with_another_time_takes_the_cited_sentences_event(seed_000: Article) -> None:
    # The local model wrote this (the demo): its Rubio event, dated Thursday, citing the "next week" sentence.
    london = sentence_of(seed_000.text, "London next week")
    what = "Marco Rubio announces U.S. will abandon peace efforts with Russia"
    draft = {"claims": [], "timeline": [{"when": "Thursday, April 17, 2025", "what": what, "cite": london}]}
    s = run(seed_000, draft)
    [event] = [e for e in s.timeline if e.when == "next week"]
    assert event.event != what and "next round scheduled for London next week" in event.event
    assert event.date is not None and event.date.isoformat() == "2025-04-21"
    assert any("takes that sentence's event" in w for w in s.warnings)


def test_phrase_in_the_cited_sentence_is_kept(seed_000: Article) -> None:
    sumy = sentence_of(seed_000.text, "bakery Friday morning")
    draft = {"claims": [], "timeline": [{"when": "Friday morning", "what": "Drone hits a bakery", "cite": sumy}]}
    [event] = [e for e in run(seed_000, draft).timeline if e.event == "Drone hits a bakery"]
    assert (event.when, event.date, event.granularity) == ("Friday morning", dt.date(2025, 4, 18), "day")


def test_claims_without_attribution_in_the_cited_sentence_are_set_aside(seed_000: Article) -> None:
    attack = sentence_of(seed_000.text, "Russian forces launched renewed attacks")
    peskov = sentence_of(seed_000.text, "Peskov told reporters")
    draft = {
        "claims": [
            {"who": "Russian forces", "role": "", "claim": "Attacks were launched.", "cite": attack},
            {
                "who": "Dmitry Peskov",
                "role": "Kremlin spokesman",
                "claim": "Russia is open to dialogue.",
                "cite": peskov,
            },
        ],
        "timeline": [],
    }
    s = run(seed_000, draft)
    claimants = [c.claimant for c in s.claims]
    assert claimants[0] == "Dmitry Peskov" and "Russian forces" not in claimants  # model claims come first
    assert s.claims[0].quote and s.claims[0].quote.startswith("Russia is striving toward resolving this conflict")
    assert any("Set aside a claim" in w and "Russian forces" in w for w in s.warnings)


def test_a_quoted_phrase_of_the_writer_is_not_the_claims_quote(seed_000: Article) -> None:
    # "… may abandon peace efforts … unless progress is made “within days,”": two quoted words inside the writer's
    # sentence are no quotation of Rubio's statement; the claim stands on its sentence, without a quote.
    lede = sentence_of(seed_000.text, "may abandon peace efforts")
    draft = {"claims": [{"who": "Marco Rubio", "claim": "The U.S. may abandon peace efforts.", "cite": lede}]}
    s = run(seed_000, {**draft, "timeline": []})
    assert s.claims[0].claimant == "Marco Rubio"
    assert s.claims[0].quote is None and s.claims[0].quote_span is None
    assert s.claims[0].evidence is not None and "within days" in s.claims[0].evidence.text


def test_pronoun_attribution_looks_back_two_sentences(seed_000: Article) -> None:
    he_said = sentence_of(seed_000.text, "move the ball on this")
    draft = {"claims": [{"who": "Marco Rubio", "claim": "Europe can help.", "cite": he_said}], "timeline": []}
    s = run(seed_000, draft)
    assert s.claims[0].claimant == "Marco Rubio"
    assert s.claims[0].quote == "The U.K. and France and Germany can help us move the ball on this,"


def test_headings_and_the_headline_are_not_numbered_as_sentences(seed_001: Article) -> None:
    prep = Summarizer(llm=FakeLLM([])).prepare(seed_001)
    assert prep.info.title == "US to withdraw from Ukraine peace talks without Swift progress: Rubio"
    texts = [s.text for s in prep.sentences]
    assert texts[0].startswith("PARIS, April 18, U.S. Secretary of State Marco Rubio")
    assert [s.id for s in prep.sentences] == list(range(1, len(texts) + 1))
    # a sentence broken over two lines is not mistaken for a heading
    assert any(t.startswith("U.S. Vice President JD Vance expressed cautious optimism") for t in texts)


def test_section_titles_are_left_out(seed_000: Article) -> None:
    texts = [s.text for s in Summarizer(llm=FakeLLM([])).prepare(seed_000).sentences]
    for heading in ("Deep Looks", "Minerals Deal Moving Forward Alongside Peace Framework", "Europe Steps In"):
        assert not any(t.startswith(heading) for t in texts)


def test_timeline_entry_citing_a_sentence_without_time_is_set_aside(seed_000: Article) -> None:
    plain = sentence_of(seed_000.text, "Rubio acknowledged their contributions")
    draft = {"claims": [], "timeline": [{"when": "Friday", "what": "Rubio thanks Europe", "cite": plain}]}
    s = run(seed_000, draft)
    assert "Rubio thanks Europe" not in [e.event for e in s.timeline]
    assert any("has no time phrase" in w for w in s.warnings)


def test_attributed_quotations_the_model_missed_are_added(seed_000: Article) -> None:
    s = run(seed_000, {"claims": [], "timeline": []})
    quoted = [c for c in s.claims if c.quote]
    by_speaker = {c.claimant: c for c in quoted}
    assert {"Marco Rubio", "Donald Trump", "JD Vance", "Dmitry Peskov"} <= set(by_speaker)
    trump = by_speaker["Donald Trump"]
    assert (trump.role, trump.quote) == ("President", "We have a minerals deal,")
    assert trump.quote_span is not None and s.article.text[trump.quote_span.start : trump.quote_span.end] == trump.quote
    # fragments lifted into reported speech are not statements of their own
    assert not any(c.quote and c.quote.startswith("in the coming days") for c in s.claims)
    assert s.validation is not None and all(f.status == "supported" for f in s.validation.findings if f.kind == "quote")


def test_seed_000_direct_quotations_are_all_offered_with_verbatim_quotes(seed_000: Article) -> None:
    s = run(seed_000, {"claims": [], "timeline": []})  # the model listed no claim at all
    quoted = [(c.claimant, c.role, c.quote) for c in s.claims if c.quote]
    rubio = ("Marco Rubio", "U.S. Secretary of State")
    assert quoted == [
        (*rubio, "We are now reaching a point where we need to decide whether this is even possible or not,"),
        (
            *rubio,
            "Because if it’s not, then I think we’re just going to move on. It’s not our war. "
            "We have other priorities to focus on.",
        ),
        ("Donald Trump", "President", "We have a minerals deal,"),
        (
            "JD Vance",
            "Vice President",
            "I won’t prejudge them, but we do feel optimistic that we can hopefully bring this war, this very "
            "brutal war, to a close,",
        ),
        (
            "Dmitry Peskov",
            "Kremlin spokesman",
            "Russia is striving toward resolving this conflict, securing its own interests, and is open to dialogue,",
        ),
        (*rubio, "The U.K. and France and Germany can help us move the ball on this,"),  # "he said": Rubio
    ]
    for c in s.claims:
        assert c.evidence is not None
        if c.quote_span:
            assert s.article.text[c.quote_span.start : c.quote_span.end] == c.quote
    # statements reported without quote marks are claims too, by their named speaker, in the article's words
    reported = {(c.claimant, c.claim) for c in s.claims if not c.quote}
    assert any(w == "Dmitry Peskov" and t.startswith("No direct talks between Presidents Trump") for w, t in reported)
    assert any(w == "Ihor Terekhov" and "killed one person and wounded 98 others" in t for w, t in reported)
    # an unnamed source ("according to Ukrainian officials") is no claimant
    assert not any(c.claimant == "Ukrainian" or "officials" in c.claimant for c in s.claims)
    assert len(s.claims) <= MAX_CLAIMS


def test_a_quotation_the_model_already_lists_is_not_added_twice(seed_000: Article) -> None:
    peskov = sentence_of(seed_000.text, "Peskov told reporters")
    draft = {
        "claims": [{"who": "Dmitry Peskov", "claim": "Russia is open to dialogue.", "cite": peskov}],
        "timeline": [],
    }
    s = run(seed_000, draft)
    from_sentence = [c for c in s.claims if c.evidence and "Peskov told reporters" in c.evidence.text]
    assert [c.claim for c in from_sentence] == ["Russia is open to dialogue."]


def test_no_claims_are_added_when_claims_were_not_asked_for(seed_000: Article) -> None:
    s = Summarizer(llm=FakeLLM([{"timeline": []}]), tasks=["timeline"]).summarize(seed_000)
    assert s.claims == []


def test_model_text_gets_its_initials_back() -> None:
    from summarizer.drafts import draft_model

    value = draft_model(["claims"]).model_validate({"claims": [{"who": "U. S. envoy", "claim": "The U. S. left."}]})
    assert value.model_dump()["claims"][0] == {"who": "U.S. envoy", "role": "", "claim": "The U.S. left.", "cite": 0}


def test_an_event_its_cited_sentence_does_not_describe_is_set_aside(seed_000: Article) -> None:
    kryvyi = sentence_of(seed_000.text, "killed 20 people")
    draft = {
        "claims": [],
        "timeline": [
            {"when": "April 4", "what": "Marco Rubio announces the U.S. may quit peace efforts", "cite": kryvyi},
            {"when": "April 4", "what": "Strike in Kryvyi Rih kills 20", "cite": kryvyi},
        ],
    }
    s = run(seed_000, draft)
    events = [e.event for e in s.timeline]
    assert "Strike in Kryvyi Rih kills 20" in events and not any("Marco Rubio announces" in e for e in events)
    assert any("does not describe" in w and "Marco Rubio" in w for w in s.warnings)


def test_dated_sentences_the_model_left_out_join_the_timeline_in_their_own_words(seed_000: Article) -> None:
    s = run(seed_000, {"claims": [], "timeline": []})
    by_when = {e.when: e for e in s.timeline}
    assert by_when["Friday morning"].date == dt.date(2025, 4, 18)
    assert by_when["Friday morning"].event == "a Russian drone struck a bakery Friday morning"
    assert by_when["last month"].event.startswith("Peskov acknowledged that the U.S.-backed 30-day ceasefire")
    assert by_when["April 4"].date == dt.date(2025, 4, 4)
    # a sentence that opens with a quotation keeps both its quote marks
    assert by_when["Thursday"].event == "“We have a minerals deal,” President Donald Trump confirmed Thursday"
    # photo captions date a picture, not an event; every entry stands in its own sentence
    assert not any("photo" in e.event for e in s.timeline)
    assert len(s.timeline) <= MAX_EVENTS
    for e in s.timeline:
        assert e.evidence is not None and e.when in e.evidence.text
        assert e.event.rstrip(" …").split()[-1] in e.evidence.text
    dates = [e.date for e in s.timeline if e.date]
    assert dates == sorted(dates)


def test_every_time_phrase_of_seed_000_is_an_entry_or_left_out_with_a_reason(seed_000: Article) -> None:
    from tests.test_dates import SEED_000_PHRASES

    s = run(seed_000, {"claims": [], "timeline": []})
    by_when = {e.when: e for e in s.timeline}
    for phrase, date, granularity in SEED_000_PHRASES:
        assert (by_when[phrase].date, by_when[phrase].granularity) == (date, granularity), phrase
    assert "a Palm Sunday missile strike in the same city left 34 people dead" in by_when["Palm Sunday"].event
    assert "drone struck a bakery" in by_when["Friday morning"].event  # one sentence, two events, two entries
    [left] = [w for w in s.warnings if "left out" in w and w.startswith("Timeline")]
    assert "'within hours of'" in left and "counts from another event" in left
    assert "'in recent months'" in left and "vague" in left
    # the photo captions (and the dates they carry) never reach the model
    assert "Thursday, April 17, 2025" not in s.article.text
    assert any(w.startswith("Removed") and "photo caption" in w for w in s.warnings)
    phrases = {p for _, _, p in find_time_phrases(s.article.text)}
    assert all(p in by_when or repr(p) in left for p in phrases)
    for e in s.timeline:
        assert e.evidence is not None and e.when in e.evidence.text
        assert any(p == e.when for p in phrases)


def test_a_word_that_is_no_time_phrase_is_replaced_by_the_sentences_own(seed_000: Article) -> None:
    # The local model wrote these (the story cassette): a place and a noun as the "when" of an entry.
    paris = sentence_of(seed_000.text, "first high-level meeting")
    summit = sentence_of(seed_000.text, "postwar security guarantees")
    draft = {
        "claims": [],
        "timeline": [
            {"when": "Paris", "what": "The Paris talks were the first high-level meeting", "cite": paris},
            {"when": "summit", "what": "The summit addressed postwar security guarantees", "cite": summit},
        ],
    }
    s = run(seed_000, draft)
    assert not any(e.when in ("Paris", "summit") for e in s.timeline)
    assert any("has no time phrase (the model wrote 'Paris')" in w for w in s.warnings)
    assert any("has no time phrase (the model wrote 'summit')" in w for w in s.warnings)


def test_since_starts_a_span_and_does_not_date_the_event() -> None:
    text = (
        "Maria Lopez, who had led the company since 2019, died on Tuesday, her family said.\n"
        "The firm has been under investigation since March.\n"
        "A hearing took place on 14 March 2024 in London.\n"
    )
    s = run(Article(text=text, published_at=dt.date(2025, 4, 18)), {"claims": [], "timeline": []})
    by_when = {e.when: e for e in s.timeline}
    assert by_when["Tuesday"].date == dt.date(2025, 4, 15)
    assert "since 2019" not in by_when and "since March" not in by_when
    assert by_when["14 March 2024"].date == dt.date(2024, 3, 14)  # day first, and the day kept
    [left] = [w for w in s.warnings if "left out" in w]
    assert "'since 2019'" in left and "starts a span" in left


def test_a_model_entry_dated_by_since_takes_the_sentences_dating_phrase() -> None:
    text = "Maria Lopez, who had led the company since 2019, died on Tuesday, her family said.\n"
    draft = {"claims": [], "timeline": [{"when": "since 2019", "what": "Maria Lopez died", "cite": 1}]}
    s = run(Article(text=text, published_at=dt.date(2025, 4, 18)), draft)
    [event] = s.timeline
    assert (event.when, event.event, event.date) == ("Tuesday", "Maria Lopez died", dt.date(2025, 4, 15))


def test_within_counts_from_publication_only_for_what_lies_ahead() -> None:
    text = (
        "All of the girls died within 24 hours, the hospital said on Monday.\n"
        "The council will decide within days whether the bridge reopens.\n"
    )
    s = run(Article(text=text, published_at=dt.date(2025, 4, 18)), {"claims": [], "timeline": []})
    whens = {e.when: e for e in s.timeline}
    assert "within 24 hours" not in whens and whens["within days"].date == dt.date(2025, 4, 18)
    assert any("'within 24 hours'" in w and "counts from an event" in w for w in s.warnings)


def test_a_title_that_copies_the_lede_whole_loses_its_trailing_clause_but_keeps_its_condition(
    seed_000: Article,
) -> None:
    long_title = (
        "U.S. Secretary of State Marco Rubio announces that Washington may abandon peace efforts between Russia and "
        "Ukraine unless progress is made within days, underscoring growing impatience in the Trump administration "
        "after months of stalled negotiations."
    )
    lede = sentence_of(seed_000.text, "may abandon peace efforts")
    draft = {"title": long_title, "bullets": [{"text": "Rubio spoke in Paris.", "cites": [lede]}] * 5}
    s = Summarizer(llm=FakeLLM([draft]), tasks=["brief"]).summarize(seed_000)
    assert s.quick_look is not None
    title = s.quick_look.title
    assert "underscoring" not in title and not title.endswith(".")
    assert "may abandon" in title and "unless progress is made within days" in title
    assert title.startswith("Rubio says Washington")  # still over 12 words: in headline form


def test_a_bullet_cites_the_sentence_it_restates_not_a_neighbour() -> None:
    from summarizer import sentences
    from summarizer.assemble import recite

    text = (
        "Rubio said Washington may abandon peace efforts unless progress is made within days. "
        "Both Kyiv and Moscow accused each other of violating the ceasefire. "
        "Ukraine's economy minister signed a memorandum on minerals with Treasury Secretary Scott Bessent."
    )
    by_id = {s.id: s for s in sentences.split(text)}
    notes: list[str] = []
    line = "Economy minister signed a minerals memorandum with Treasury Secretary Bessent."
    assert recite(line, [1], by_id, 4, notes) == [3]
    assert notes == [
        "bullet 4 ('Economy minister signed a minerals memorandum…') cited [S1]; its words stand in [S3], "
        "which it now cites"
    ]
    # A citation that holds the line's words is kept, even where another sentence shares some of them.
    notes.clear()
    assert recite("Kyiv and Moscow accused each other of violating the ceasefire.", [2], by_id, 1, notes) == [2]
    assert notes == []


def test_a_title_over_twelve_words_loses_its_aside(seed_000: Article) -> None:
    # 15 words, within the old 18-word allowance: the relative clause set off by commas goes, the claim stays.
    long_title = "Rubio, who met European officials in Paris, says U.S. may abandon Ukraine peace efforts"
    lede = sentence_of(seed_000.text, "may abandon peace efforts")
    draft = {"title": long_title, "bullets": [{"text": "Rubio spoke in Paris.", "cites": [lede]}] * 5}
    s = Summarizer(llm=FakeLLM([draft]), tasks=["brief"]).summarize(seed_000)
    assert s.quick_look is not None
    assert s.quick_look.title == "Rubio says U.S. may abandon Ukraine peace efforts"


def test_a_timeline_entry_citing_no_sentence_is_anchored_to_its_phrase_or_set_aside(seed_000: Article) -> None:
    draft = {
        "timeline": [
            {"when": "Palm Sunday", "what": "A missile strike in Sumy left 34 people dead", "cite": 999},
            {"when": "Christmas", "what": "Leaders met in Geneva", "cite": 999},
        ]
    }
    s = Summarizer(llm=FakeLLM([draft]), tasks=["timeline"]).summarize(seed_000)
    palm = [e for e in s.timeline if e.when == "Palm Sunday"]
    assert palm and palm[0].evidence is not None and "Palm Sunday" in palm[0].evidence.text
    assert palm[0].date == dt.date(2025, 4, 13)
    assert not any(e.when == "Christmas" for e in s.timeline)
    assert any("'Palm Sunday' cited no sentence" in w for w in s.warnings)
    set_aside = "Set aside a timeline entry that cites no sentence holding 'Christmas'"
    assert any(w.startswith(set_aside) for w in s.warnings)
    # Every entry shipped has its evidence.
    assert all(e.evidence is not None for e in s.timeline)
