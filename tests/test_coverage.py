"""A thin Quick Look box is topped up from the article's most salient sentences it left out (summarizer.coverage)."""

from __future__ import annotations

from summarizer import checks, coverage, sentences
from summarizer.compress import compress
from summarizer.schemas import Bullet, QuickLook, SourceInfo, Summary

# An invented report, written for this test: a lede, figures, named speakers, background, and a pronoun-led line.
ARTICLE = "\n".join(
    [
        "The Harbor City council voted 7-2 on Monday to close the Elm Street library at the end of June.",
        "The library, built in 1931, has served the east side of the city for more than nine decades.",
        "Council members said the building needs repairs that would cost about $4.2 million.",
        "Mayor Ana Ruiz said the council had no choice because the roof of the library is unsafe for children.",
        "Parents and teachers filled the council chamber for three hours to oppose the closure of the library.",
        "It was the largest crowd at a council meeting in years, according to the city clerk.",
        "Librarian Tom Okafor said 40,000 residents borrowed books from the Elm Street library last year.",
        "The council plans to move the library's collection to the main branch downtown, two miles away.",
        "A group of parents has started a petition asking the council to reconsider the closure vote.",
        "The petition had gathered 3,100 signatures by Tuesday evening, organizer Maria Lopez said.",
        "Council member Jae Park, who voted against the closure, said the city had ignored the library for years.",
        "The city budget for the coming year includes no money for new library buildings on the east side.",
        "Residents of the east side have long complained that the city spends less on their neighborhoods.",
        "Ruiz said the council would look for a new site for an east side library within two years.",
        "The closure of the Elm Street library will leave the east side without a public library for the first time.",
        "Local businesses near the library said they feared losing customers once the building closes in June.",
        "The school district said it would open its own libraries to the public on weekday afternoons.",
        "Okafor said the library staff of nine would be moved to other branches and no one would lose a job.",
        "The council will hold a hearing on the future of the library building itself next month.",
        "Some residents have proposed that the building become a community center once the library closes.",
        "The council's vote came after a study found that repairs to the library roof could not wait another year.",
        "The study, paid for by the city, was carried out by an engineering firm from the state capital.",
        "Engineers found water damage in the library's reading room and cracks in two of its outer walls.",
        "The library will stay open on its usual hours until it closes at the end of June, the city said.",
    ]
)


def _summary(bullets: int, text: str = ARTICLE) -> Summary:
    seen = sentences.split(text)
    return Summary(
        article=SourceInfo(text=text, content_hash="x"),
        model="fake",
        backend="fake",
        prompt_version="test",
        quick_look=QuickLook(
            title="Harbor City council votes to close the Elm Street library",
            bullets=[Bullet(text=s.text, evidence=[s.span()]) for s in seen[:bullets]],
        ),
    )


def test_a_thin_box_of_a_long_article_is_topped_up_to_six_from_sentences_no_bullet_cites() -> None:
    assert len(ARTICLE.split()) > coverage.MIN_WORDS
    seen = sentences.split(ARTICLE)
    s = checks.apply(_summary(3), "report", seen)
    assert s.quick_look is not None
    bullets = s.quick_look.bullets
    assert len(bullets) == coverage.MIN_BULLETS
    by_span = {(x.start, x.end): x for x in seen}
    added = bullets[3:]
    for b in added:
        (ev,) = b.evidence
        sent = by_span[(ev.start, ev.end)]
        assert sent.id > 3  # a sentence the model's bullets did not cite
        assert b.text == compress(sent.text)  # its line is the sentence's compression, nothing invented
    assert len({b.evidence[0].start for b in added}) == len(added)  # distinct sentences
    notes = [w for w in s.warnings if " added from [S" in w]
    assert len(notes) == len(added)
    assert s.validation is not None and s.validation.ok


def test_added_lines_avoid_pronoun_led_sentences_and_facts_the_box_already_holds() -> None:
    seen = sentences.split(ARTICLE)
    s = checks.apply(_summary(3), "report", seen)
    assert s.quick_look is not None
    texts = [b.text for b in s.quick_look.bullets[3:]]
    assert not any(t.startswith("It was the largest crowd") for t in texts)  # leans on the sentence before it
    # The closing date is already in the box (bullet 1): "stay open … until it closes at the end of June" adds nothing.
    assert not any(t.startswith("The library will stay open") for t in texts)


def test_figures_and_named_speakers_rank_above_background() -> None:
    seen = sentences.split(ARTICLE)
    scores = coverage.salience(seen, {seen[6].start, seen[3].start})
    by_text = {x.text.split(",")[0][:40]: sc for x, sc in zip(seen, scores, strict=True)}
    speaker_with_figure = scores[6]  # Librarian Tom Okafor said 40,000 residents …
    background = scores[12]  # Residents of the east side have long complained …
    assert speaker_with_figure > background, by_text


def test_a_short_article_or_a_full_box_is_left_alone() -> None:
    short = "\n".join(ARTICLE.splitlines()[:8])
    assert len(short.split()) <= coverage.MIN_WORDS
    s = _summary(3, short)
    assert not coverage.top_up(s, sentences.split(short))
    full = _summary(6)
    assert not coverage.top_up(full, sentences.split(ARTICLE))
    assert full.quick_look is not None and len(full.quick_look.bullets) == 6


def test_without_the_seen_sentences_nothing_is_added() -> None:
    s = checks.apply(_summary(3), "report")
    assert s.quick_look is not None and len(s.quick_look.bullets) == 3
