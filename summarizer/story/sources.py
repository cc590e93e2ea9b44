"""The sources of a story while its brief is built: each article's prepared sentences and own Summary."""

from __future__ import annotations

import datetime as dt
import os
import string
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer import clean
from summarizer.api import Prepared, Summarizer
from summarizer.errors import InputError
from summarizer.schemas import Article, Summary, Usage
from summarizer.sentences import Sentence
from summarizer.store import Store
from summarizer.story.drafts import CITE
from summarizer.story.models import SourcedSpan
from summarizer.validate.report import Span


@dataclass
class PreparedSource:
    """A source while the brief is built: its prepared sentences and Summary."""

    letter: str
    label: str
    prep: Prepared
    summary: Summary
    cached: bool
    usage: Usage

    @property
    def text(self) -> str:
        return self.summary.article.text

    @property
    def published(self) -> dt.date | None:
        return self.summary.article.published_at

    def sentence_at(self, span: Span | None) -> Sentence | None:
        """The prepared sentence a span starts in."""
        if span is None:
            return None
        for s in self.prep.sentences:
            if s.start <= span.start < s.end:
                return s
        return None

    def ref(self, span: Span | None) -> SourcedSpan | None:
        """A span of this source, with its sentence number."""
        if span is None:
            return None
        sent = self.sentence_at(span)
        return SourcedSpan(source=self.letter, sentence=sent.id if sent else None, span=span)


def with_date(article: Article, published: dt.date | None) -> Article:
    """The article with ``published`` as its date when it neither carries one nor states one in its text."""
    if published is None or article.published_at is not None or clean.clean(article.text).published_at is not None:
        return article
    return article.model_copy(update={"published_at": published})


def _label(article: Article, letter: str) -> str:
    return article.source or article.id or article.title or f"Source {letter}"


def _summary_for(summarizer: Summarizer, article: Article, store: Store | None) -> tuple[Summary, bool]:
    """The article's Summary from the store (batch's key), else a new one, which is then stored."""
    from summarizer.batch import store_key  # late: batch pulls in asyncio machinery the story path rarely needs

    key = store_key(summarizer, article) if store is not None else None
    if store is not None and key is not None:
        stored = store.result(key)
        if stored is not None:
            return stored.summary(), True
    summary = summarizer.summarize(article)
    if store is not None and key is not None:
        store.put_result(key, summary, item_id=article.id)
    return summary, False


def resolve_cite(cite: str, sources: dict[str, PreparedSource]) -> tuple[PreparedSource, Sentence] | None:
    """The source and sentence a citation like "A4" names, or None when it names none."""
    m = CITE.fullmatch(cite)
    if m is None or m.group(1) not in sources:
        return None
    src = sources[m.group(1)]
    sent = next((s for s in src.prep.sentences if s.id == int(m.group(2))), None)
    return (src, sent) if sent is not None else None


def open_store(store: Store | str | os.PathLike[str] | None) -> tuple[Store | None, bool]:
    """The store to use (opened from a path when given one), and whether this call opened it (and so closes it)."""
    if store is None or isinstance(store, Store):
        return store, False
    return Store(store), True


def gather_sources(summarizer: Summarizer, articles: Sequence[Article], store: Store | None) -> list[PreparedSource]:
    """Each article summarized (or read back from the store), lettered A, B, C … in order."""
    out = []
    for i, article in enumerate(articles):
        letter = string.ascii_uppercase[i]
        summary, cached = _summary_for(summarizer, article, store)
        prep = summarizer.prepare(article, summary.tasks)
        if prep.info.content_hash != summary.article.content_hash:
            raise InputError(f"Source {letter}: the stored summary was made from another text.")
        usage = Usage() if cached else summary.usage
        out.append(PreparedSource(letter, _label(article, letter), prep, summary, cached, usage))
    return out
