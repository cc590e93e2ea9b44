"""The merged Quick Look: the model's bullets mapped to sentences, or the sources' own bullets merged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from summarizer.sentences import Sentence, restore_abbreviations
from summarizer.story.drafts import StoryDraft
from summarizer.story.models import SourcedSpan, StoryBullet
from summarizer.story.sources import PreparedSource, resolve_cite
from summarizer.story.words import content_words, jaccard
from summarizer.validate import check_fields

#: A Quick Look shorter than this is topped up with the sources' own bullets (the small model often stops at 3).
QUICK_LOOK_MIN = 5


def _letters(spans: Iterable[SourcedSpan]) -> list[str]:
    return sorted({s.source for s in spans})


def bullets_from_draft(draft: StoryDraft, sources: dict[str, PreparedSource], warnings: list[str]) -> list[StoryBullet]:
    """The model's story bullets with the sentences they cite; one citing no known sentence is set aside, and said."""
    out = []
    for b in draft.bullets:
        refs = [r for r in (_cite_ref(c, sources) for c in b.cites) if r is not None]
        if not refs:
            warnings.append(f"Set aside a merged bullet that cites no known sentence: {b.text}")
            continue
        text = b.text
        for letter in _letters(refs):  # "U. might play" back to the sources' "U.S. might play"
            text = restore_abbreviations(text, sources[letter].text)
        out.append(StoryBullet(text=text, sources=_letters(refs), evidence=refs))
    return out


def _cite_ref(cite: str, sources: dict[str, PreparedSource]) -> SourcedSpan | None:
    found = resolve_cite(cite, sources)
    if found is None:
        return None
    src, sent = found
    return SourcedSpan(source=src.letter, sentence=sent.id, span=sent.span())


def _supported_by(text: str, src: PreparedSource, sent: Sentence) -> bool:
    """No number of ``text`` is unsupported by the source when this sentence is its evidence."""
    report = check_fields(src.text, [("x", text)], aligned={"x": [sent.span()]})
    return report.ok


def add_sources(bullets: list[StoryBullet], sources: Sequence[PreparedSource]) -> None:
    """List a source the model left out when one of its sentences states the bullet (word overlap, same figures)."""
    for b in bullets:
        words = content_words(b.text)
        if len(words) < 3:
            continue
        for src in sources:
            if src.letter in b.sources:
                continue
            best = max(src.prep.sentences, key=lambda s: len(words & content_words(s.text)), default=None)
            if best is None or len(words & content_words(best.text)) < max(3, len(words) // 2):
                continue
            if _supported_by(b.text, src, best):
                b.evidence.append(SourcedSpan(source=src.letter, sentence=best.id, span=best.span()))
                b.sources = _letters(b.evidence)


def merge_bullets(sources: Sequence[PreparedSource], limit: int = 8) -> list[StoryBullet]:
    """The Quick Look without the model: each source's bullets, alike ones (word overlap) merged, by support."""
    merged: list[tuple[set[str], StoryBullet]] = []
    for src in sources:
        for b in src.summary.quick_look.bullets if src.summary.quick_look else []:
            refs = [r for r in (src.ref(e) for e in b.evidence) if r is not None]
            words = content_words(b.text)
            twin = next((m for m in merged if jaccard(m[0], words) >= 0.4), None)
            if twin is not None:
                twin[1].evidence += refs
                twin[1].sources = sorted({*twin[1].sources, src.letter})
                continue
            merged.append((words, StoryBullet(text=b.text, sources=[src.letter], evidence=refs)))
    ranked = sorted(enumerate(merged), key=lambda im: (-len(im[1][1].sources), im[0]))
    return [m[1] for _, m in ranked[:limit]]


def top_up_bullets(bullets: list[StoryBullet], sources: Sequence[PreparedSource]) -> int:
    """Fill a short Quick Look with the sources' own (merged) bullets on other points; return how many were added."""
    taken = [content_words(b.text) for b in bullets]
    added = 0
    for candidate in merge_bullets(sources, limit=20):
        if len(bullets) >= QUICK_LOOK_MIN:
            break
        words = content_words(candidate.text)
        if all(jaccard(words, t) < 0.4 for t in taken):
            bullets.append(candidate)
            taken.append(words)
            added += 1
    return added
