"""Claims by claimant: one group per person, whatever name variant each source uses."""

from __future__ import annotations

import difflib
import string
from collections.abc import Sequence

from summarizer.story.models import ClaimGroup, StoryClaim
from summarizer.story.sources import PreparedSource
from summarizer.story.words import content_words, jaccard
from summarizer.validate.words import split as _split

_TITLE_WORDS = frozenset(
    _split(
        "u.s us president vice vp secretary state minister prime foreign economy defense defence treasury spokesman "
        "spokesperson spokeswoman mayor governor senator sen rep gen general chancellor envoy ambassador chief "
        "kremlin white house official officials the of mr mrs ms dr"
    )
)


def _surname(name: str) -> str:
    words = [w.strip(string.punctuation + "’") for w in name.split()]
    names = [w for w in words if w and w.lower() not in _TITLE_WORDS]
    return (names[-1] if names else words[-1] if words else name).lower()


def _display(names: list[str]) -> str:
    """The plainest full name: title words dropped, at least two words when any variant has them."""

    def bare(n: str) -> str:
        words = n.split()
        while len(words) > 1 and words[0].strip(".,").lower() in _TITLE_WORDS:
            words.pop(0)
        return " ".join(words)

    bares = sorted({bare(n) for n in names}, key=lambda n: (-min(len(n.split()), 2), len(n)))
    return bares[0] if bares else names[0]


def _same_person(a: str, b: str) -> bool:
    # "Zelensky"/"Zelenskyy": transliterations differ by a letter or two.
    return a == b or (len(a) > 4 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)


def group_claims(sources: Sequence[PreparedSource]) -> list[ClaimGroup]:
    """Claims by normalised claimant; alike claims (word or quote overlap) from several sources become one."""
    groups: list[tuple[str, list[str], list[str | None], list[tuple[set[str], StoryClaim]]]] = []
    for src in sources:
        for c in src.summary.claims:
            key = _surname(c.claimant)
            group = next((g for g in groups if _same_person(g[0], key)), None)
            if group is None:
                group = (key, [], [], [])
                groups.append(group)
            group[1].append(c.claimant)
            group[2].append(c.role)
            quote = src.ref(c.quote_span) if c.quote_span else None
            evidence = src.ref(c.evidence)
            words = content_words(c.quote or c.claim)
            twin = next(
                (
                    m
                    for m in group[3]
                    if jaccard(m[0], words) >= 0.4 or jaccard(content_words(m[1].claim), content_words(c.claim)) >= 0.5
                ),
                None,
            )
            if twin is None:
                twin = (words, StoryClaim(claim=c.claim, sources=[]))
                group[3].append(twin)
            story_claim = twin[1]
            if src.letter not in story_claim.sources:
                story_claim.sources.append(src.letter)
                if quote is not None:
                    story_claim.quotes.append(quote)
            if evidence is not None:
                story_claim.evidence.append(evidence)
    out = []
    for _, names, roles, claims in groups:
        items = [c for _, c in claims]
        out.append(
            ClaimGroup(
                claimant=_display(names),
                role=next((r for r in roles if r), None),
                names=sorted(set(names)),
                sources=sorted({s for c in items for s in c.sources}),
                claims=items,
            )
        )
    out.sort(key=lambda g: (-len(g.sources), -len(g.claims)))
    return out
