"""Coverage of the Quick Look box: when the model writes fewer bullets than a box needs, add the most salient
sentences it left out, each compressed (summarizer.compress) and checked against the sentence it comes from.

A small model summarises the first paragraphs and stops at five lines; an editor's box covers the lede, the main
statements by named people, the key figures and the main developments. Salience is what a reader would state: a
sentence is central when its words recur across the article (the story's subject); it weighs more when it carries a
figure or a named speaker's statement, and a little more when it comes early. Each added line must bring words the
box does not have yet (a distinct fact from a distinct sentence), so the picks spread over the article.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from summarizer import attribution, sentences
from summarizer.compress import compress
from summarizer.schemas import Bullet, Summary
from summarizer.validate import check_fields
from summarizer.validate.words import content_stems

__all__ = ["MIN_BULLETS", "MIN_WORDS", "salience", "top_up"]

#: A box of an article longer than MIN_WORDS words holds at least this many bullets (the format's 5–8, less thin).
MIN_BULLETS = 6
MIN_WORDS = 300
#: An added line longer than this is no one-line bullet: the sentence is passed over.
MAX_LINE_WORDS = 34
#: The share of an added line's content words the box must not hold yet.
MIN_NOVELTY = 0.5

# A sentence that opens on a pronoun or a connective leans on the one before it: out of context it misleads.
_LEANS = re.compile(r"^\W*(?:he|she|it|they|this|that|these|those|but|and|so|yet|still|also|however|meanwhile)\b", re.I)
_FIGURE = re.compile(r"\d")


def salience(sents: list[sentences.Sentence], spoken: set[int] | None = None) -> list[float]:
    """A score per sentence: how central its words are to the article, plus a figure, a named speaker's statement
    (``spoken``: the start offsets of sentences that attribute a statement to a named person), an early place."""
    words = [content_stems(s.text) for s in sents]
    n = len(sents)
    df = Counter(w for ws in words for w in ws)
    central = []
    for ws in words:
        # Words shared with other sentences, weighted by rarity: the story's subject recurs, a detail does not.
        mass = math.fsum((df[w] - 1) * math.log((n + 1) / df[w]) for w in ws)
        central.append(mass / math.sqrt(len(ws)) if ws else 0.0)
    top = max(central, default=0.0) or 1.0
    scores = []
    for i, s in enumerate(sents):
        score = central[i] / top + 0.2 * (1 - i / max(n, 1))
        if _FIGURE.search(s.text):
            score += 0.25
        if spoken is not None and s.start in spoken:
            score += 0.25
        scores.append(score)
    return scores


def top_up(summary: Summary, seen: list[sentences.Sentence]) -> bool:
    """Add bullets from the most salient sentences no bullet covers until the box holds MIN_BULLETS (articles over
    MIN_WORDS words only); each added line passes the check against its sentence, and is named in the warnings."""
    ql = summary.quick_look
    source = summary.article.text
    if ql is None or len(ql.bullets) >= MIN_BULLETS or len(source.split()) <= MIN_WORDS or len(seen) < 2:
        return False
    cited = {(e.start, e.end) for b in ql.bullets for e in b.evidence}
    box = content_stems(ql.title).union(*(content_stems(b.text) for b in ql.bullets))
    # The claim list already names each sentence's speaker (assemble.py, by rule): no second reading of them.
    spoken = {c.evidence.start for c in summary.claims if c.evidence is not None}
    if "claims" not in summary.tasks:
        people = attribution.people_of(source)
        spoken = {
            s.start for i, s in enumerate(seen) if (w := attribution.speaker(source, seen, i, people)) and w.person
        }
    scores = salience(seen, spoken)
    had = len(ql.bullets)
    for i in sorted(range(len(seen)), key=lambda k: (-scores[k], k)):
        if len(ql.bullets) >= MIN_BULLETS:
            break
        sent = seen[i]
        if (sent.start, sent.end) in cited or _LEANS.match(sent.text) or sent.text.rstrip().endswith("?"):
            continue
        words = content_stems(sent.text)
        if len(words) < 4 or len(words - box) / len(words) < MIN_NOVELTY:
            continue
        line = compress(sent.text)
        if len(line.split()) > MAX_LINE_WORDS:
            continue
        field = f"quick_look.bullets[{len(ql.bullets)}]"
        if not check_fields(source, [(field, line)], aligned={field: [sent.span()]}).ok:
            continue
        ql.bullets.append(Bullet(text=line, evidence=[sent.span()]))
        box |= words
        summary.warnings.append(
            f"Bullet {len(ql.bullets)} added from [S{sent.id}]: the box held {had} bullet(s), and no bullet covered "
            "this sentence, one of the article's most salient."
        )
    return len(ql.bullets) > had
