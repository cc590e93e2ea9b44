"""The story prompt: per source its points and the sentences they cite, numbered [A3], [B2]."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from summarizer.api import Summarizer
from summarizer.llm import Message
from summarizer.story.facts import Fact
from summarizer.story.sources import PreparedSource
from summarizer.validate.report import Span

#: Characters of source material in the story prompt (~4 characters a token): keeps the prompt near 2,000 tokens,
#: since the local model reads only ~100 tokens/s.
STORY_PROMPT_CHARS = 7_000
#: A sentence shown to the story model is cut after this many characters (headline junk can run long).
SENTENCE_CHARS = 320


def _cited_ids(source: PreparedSource) -> list[int]:
    """Sentence numbers the source's own summary cites: bullets first (most telling), then claims and timeline."""
    s = source.summary
    spans: list[Span | None] = [e for b in (s.quick_look.bullets if s.quick_look else []) for e in b.evidence]
    spans += [c.evidence for c in s.claims] + [e.evidence for e in s.timeline]
    out: list[int] = []
    for span in spans:
        sent = source.sentence_at(span)
        if sent is not None and sent.id not in out:
            out.append(sent.id)
    return out


def _points(source: PreparedSource) -> list[str]:
    """The source's bullets, claims and timeline as one line each, with their sentence ids."""
    s, L = source.summary, source.letter

    def ids(spans: Iterable[Span | None]) -> str:
        found = [f"{L}{sent.id}" for sent in (source.sentence_at(sp) for sp in spans) if sent is not None]
        return f" [{', '.join(found)}]" if found else ""

    lines = [f"{b.text}{ids(b.evidence)}" for b in (s.quick_look.bullets if s.quick_look else [])]
    lines += [f"{c.claimant} claims: {c.claim}{ids([c.evidence])}" for c in s.claims]
    lines += [f"{e.when}: {e.event}{ids([e.evidence])}" for e in s.timeline]
    return lines


def _sentence_lines(source: PreparedSource, wanted: list[int], budget: int) -> list[str]:
    """The wanted sentences in article order, as "[A8] text", within a character budget (earlier wants first)."""
    by_id = {s.id: s for s in source.prep.sentences}
    kept: list[int] = []
    used = 0
    for sid in wanted:
        sent = by_id.get(sid)
        if sent is None or sid in kept:
            continue
        cost = min(len(sent.text), SENTENCE_CHARS) + 8
        if used + cost > budget:
            continue
        kept.append(sid)
        used += cost
    lines = []
    for sid in sorted(kept):
        text = by_id[sid].text
        lines.append(f"[{source.letter}{sid}] {text if len(text) <= SENTENCE_CHARS else text[:SENTENCE_CHARS] + '…'}")
    return lines


def story_messages(summarizer: Summarizer, sources: Sequence[PreparedSource], facts: Sequence[Fact]) -> list[Message]:
    """The story call's messages: per source its points and the sentences they cite, within the prompt budget."""
    budget = STORY_PROMPT_CHARS // max(1, len(sources))
    blocks = []
    for src in sources:
        points = _points(src)
        # The points cost budget too; the least telling (timeline, then claims) go first when it runs short.
        while points and sum(len(p) + 3 for p in points) > budget // 2:
            points.pop()
        left = budget - sum(len(p) + 3 for p in points)
        # Sentences holding figures or deal status come right after the cited ones: they are what conflicts are made of.
        flagged = [f.sentence.id for f in facts if f.source == src.letter]
        wanted = _cited_ids(src)
        wanted = wanted[:8] + flagged + wanted[8:]
        blocks.append(
            {
                "letter": src.letter,
                "label": src.label,
                "published": src.published.isoformat() if src.published else None,
                "points": points,
                "lines": _sentence_lines(src, wanted, left),
            }
        )
    return [
        {"role": "system", "content": summarizer.prompts.render("story.system.j2")},
        {"role": "user", "content": summarizer.prompts.render("story.user.j2", sources=blocks)},
    ]
