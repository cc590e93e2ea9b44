"""The public entry points: Summarizer, summarize() and asummarize(). Never imports openai (see llm.py)."""

from __future__ import annotations

import asyncio
import bisect
import hashlib
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from summarizer import assemble, checks, clean, guard, sentences
from summarizer.dates import find_time_phrases
from summarizer.drafts import draft_model
from summarizer.errors import ConfigError, InputError
from summarizer.llm import LLM, Backend, Completion, Message, make_llm, resolve_backend
from summarizer.prompts import Prompts, load
from summarizer.schemas import (
    ALL_TASKS,
    Article,
    SourceInfo,
    Summary,
    Task,
    Usage,
)
from summarizer.validate.report import Span

Policy = Literal["report", "drop", "reask"]
ArticleLike = Article | str | bytes

#: Output budget for one answer; a full brief of a long article takes ~900 tokens on the local model.
DEFAULT_MAX_TOKENS = 2000
#: How much article text the model sees, by backend: the local server has an 8k context, hosted ones far more.
ARTICLE_CHAR_BUDGET = {"local": 18_000, "compatible": 60_000, "openai": 200_000}


@dataclass
class Prepared:
    """An article made ready for the model: cleaned text, numbered sentences and the rendered messages."""

    info: SourceInfo
    sentences: list[sentences.Sentence]
    messages: list[Message]
    tasks: list[Task]
    warnings: list[str] = field(default_factory=list)


def as_article(article: ArticleLike) -> Article:
    """Accept an Article, or its text as str/bytes."""
    if isinstance(article, Article):
        return article
    if isinstance(article, bytes | str):
        return Article(text=clean.decode(article))
    raise InputError(f"Expected an Article, str or bytes, got {type(article).__name__}.")


def numbered_sentences(
    text: str, language: str | None, title: str | None
) -> tuple[list[sentences.Sentence], list[Span]]:
    """The sentences the model sees, numbered as it sees them ``[S1] …``, and the spans held out as addressed to
    whoever processes the text (see summarizer.guard).

    The views call it too, to name the sentence numbers a summary's evidence spans stand in.
    """
    # Headings are left out, unless the text is nothing but a heading-like line or two (a fragment).
    sents = sentences.split(text, language or "en", headings=False) or sentences.split(text, language or "en")
    if title and len(sents) > 1 and sents[0].text.lstrip("# ") == title:
        sents = sentences.renumber(sents[1:])  # the headline goes in as "Title:", not as a fact to cite
    held = guard.held_out(text, language or "en")  # every line, headings too: all are reported
    if held:
        # The model never sees them; summary.article.text keeps them, and checks.apply treats them as no source.
        starts = {span.start for span in held}
        sents = sentences.renumber([s for s in sents if s.start not in starts])
    return sents, list(held)


def _cut(sentence: sentences.Sentence, budget: int) -> sentences.Sentence:
    """A first "sentence" longer than the whole budget (a wall of text) is cut at the last space before it."""
    end = sentence.start + budget
    space = sentence.text.rfind(" ", 0, budget)
    if space > budget // 2:
        end = sentence.start + space
    return sentences.Sentence(sentence.id, sentence.start, end, sentence.text[: end - sentence.start])


def _time_phrases(text: str, sents: list[sentences.Sentence]) -> list[tuple[int, list[str]]]:
    """Each sentence's time phrases, from one pass over the text (the prompt lists them for the timeline task)."""
    found = find_time_phrases(text)
    starts = [start for start, _, _ in found]
    out = []
    for s in sents:
        i = bisect.bisect_left(starts, s.start)
        phrases = []
        while i < len(found) and found[i][1] <= s.end:
            phrases.append(found[i][2])
            i += 1
        out.append((s.id, phrases))
    return out


class Summarizer:
    """Holds the configuration (backend, tasks, policy, prompts) and turns articles into Summaries."""

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        llm: LLM | None = None,
        tasks: Sequence[Task] = ALL_TASKS,
        policy: Policy = "report",
        max_reasks: int = 1,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        max_article_chars: int | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        unknown = [t for t in tasks if t not in ALL_TASKS]
        if unknown or not tasks:
            raise ConfigError(f"Unknown or empty tasks {unknown or list(tasks)}; choose from {list(ALL_TASKS)}.")
        if policy not in ("report", "drop", "reask"):
            raise ConfigError(f"Unknown policy {policy!r}; choose report, drop or reask.")
        self._explicit = (model, base_url, api_key)
        self._llm = llm
        self.tasks: list[Task] = list(tasks)
        self.policy: Policy = policy
        self.max_reasks = max_reasks
        self.max_tokens = max_tokens
        self._max_article_chars = max_article_chars
        self.prompts = prompts or load()

    def __repr__(self) -> str:
        # Says where requests go without starting anything: an unresolved backend is looked up, not built.
        if self._llm is not None:
            backend: Backend | None = self._llm.backend
        else:
            try:
                backend = resolve_backend(*self._explicit)
            except ConfigError:
                backend = None
        where = f"model={backend.model!r}, backend={backend.kind!r}" if backend else "backend=None (none configured)"
        return f"Summarizer({where}, tasks={self.tasks!r}, policy={self.policy!r})"

    def settings(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this configuration on another LLM: ``Summarizer(llm=x, **settings)``."""
        return {
            "tasks": list(self.tasks),
            "policy": self.policy,
            "max_reasks": self.max_reasks,
            "max_tokens": self.max_tokens,
            "max_article_chars": self._max_article_chars,
            "prompts": self.prompts,
        }

    @property
    def llm(self) -> LLM:
        """The model adapter, resolved on first use (so building a Summarizer never starts a server)."""
        if self._llm is None:
            model, base_url, api_key = self._explicit
            self._llm = make_llm(resolve_backend(model, base_url, api_key))
        return self._llm

    @property
    def backend(self) -> Backend:
        """The resolved backend."""
        return self.llm.backend

    # -- steps shared by the sync and async paths -------------------------------------------------

    def prepare(self, article: ArticleLike, tasks: Sequence[Task] | None = None) -> Prepared:
        """Clean the article, number its sentences and render the prompt."""
        art = as_article(article)
        cleaned = clean.clean(art.text)
        text = cleaned.text
        warnings = list(cleaned.warnings)
        budget = self._max_article_chars or ARTICLE_CHAR_BUDGET.get(self.backend.kind, 60_000)
        truncated_at = None
        title = art.title or cleaned.title
        sents, held = numbered_sentences(text, art.language, title)
        if held:
            warnings.append(guard.warning(held))
        if not sents:
            raise InputError(
                "No sentence of reporting is left: the text is empty or only addresses an AI model or its output."
            )
        if len(text) > budget:
            kept = [s for s in sents if s.end <= budget] or [_cut(sents[0], budget)]
            truncated_at = kept[-1].end
            warnings.append(
                f"The article has {len(text):,} characters; the model saw the first {truncated_at:,} "
                f"({len(kept)} of {len(sents)} sentences). Raise max_article_chars for a bigger context."
            )
            sents = kept
        info = SourceInfo(
            id=art.id,
            title=title,
            url=art.url,
            source=art.source,
            published_at=art.published_at or cleaned.published_at,
            language=art.language,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            text=text,
            truncated_at=truncated_at,
        )
        if info.published_at is None and "timeline" in (tasks or self.tasks):
            warnings.append("No publication date is known: relative dates in the timeline are left unresolved.")
        chosen = list(tasks or self.tasks)
        user = self.prompts.render(
            "summary.user.j2",
            title=info.title,
            source=info.source,
            published_at=info.published_at.isoformat() if info.published_at else None,
            sentences=sents,
            tasks=chosen,
            # Time phrases found by code, so the small model cites sentences that really hold a date.
            time_phrases=_time_phrases(text, sents),
        )
        messages: list[Message] = [
            {"role": "system", "content": self.prompts.render("summary.system.j2")},
            {"role": "user", "content": user},
        ]
        return Prepared(info, sents, messages, chosen, warnings)

    def _build(
        self, prep: Prepared, result: Completion[BaseModel], usage: Usage, started: float, queued: float = 0.0
    ) -> Summary:
        summary = to_summary(prep, result.value, self.backend, self.prompts.version, answered_by=result.model)
        summary.usage = usage
        # The item's own time: preparing, its model calls and checking; not the time it queued for a slot or
        # behind other processes' requests at the shared local server.
        summary.latency_s = round(time.perf_counter() - started - queued, 3)
        summary.waited_s = round(queued, 3)
        return summary

    def _reask_messages(self, prep: Prepared, draft: BaseModel, summary: Summary) -> list[Message]:
        """Original prompt + the last answer + only its validation errors: the context stays bounded."""
        problems = checks.problems(summary)
        return [
            *prep.messages,
            {"role": "assistant", "content": draft.model_dump_json()},
            {"role": "user", "content": self.prompts.render("reask.user.j2", problems=problems)},
        ]

    def _done(self, summary: Summary, reasks: int) -> bool:
        return (
            self.policy != "reask" or summary.validation is None or summary.validation.ok or reasks >= self.max_reasks
        )

    # -- public -----------------------------------------------------------------------------------

    def summarize(self, article: ArticleLike, *, tasks: Sequence[Task] | None = None) -> Summary:
        """Summarise one article: one structured call, then the source check (and re-asks under "reask")."""
        started = time.perf_counter()
        prep = self.prepare(article, tasks)
        model = draft_model(prep.tasks)
        messages = prep.messages
        usage = Usage()
        reasks = 0
        queued = 0.0
        while True:
            result = self.llm.create(model, messages, max_tokens=self.max_tokens)
            usage = usage.add(result.usage)
            queued += result.waited_s
            summary = checks.apply(self._build(prep, result, usage, started, queued), self.policy, prep.sentences)
            if self._done(summary, reasks):
                return checks.finish(summary, reasks)
            messages = self._reask_messages(prep, result.value, summary)
            reasks += 1

    async def asummarize(
        self,
        article: ArticleLike,
        *,
        tasks: Sequence[Task] | None = None,
        slot: Callable[[], AbstractAsyncContextManager[object]] | None = None,
        on_usage: Callable[[Usage], None] | None = None,
    ) -> Summary:
        """Async twin of :meth:`summarize`.

        ``slot`` (for batch runs) is entered around each model call and only there: a place under the run's
        concurrency limit is held while a call is in flight, not while the article is prepared or checked, so the
        next call goes out as soon as an answer is in. ``on_usage`` hears each call's usage as soon as it is known.
        """
        started = time.perf_counter()
        prep = self.prepare(article, tasks)
        model = draft_model(prep.tasks)
        messages = prep.messages
        usage = Usage()
        reasks = 0
        queued = 0.0
        while True:
            waiting = time.perf_counter()
            async with slot() if slot is not None else nullcontext():
                queued += time.perf_counter() - waiting
                result = await self.llm.acreate(model, messages, max_tokens=self.max_tokens)
                if on_usage is not None:
                    on_usage(result.usage)
            if slot is not None:
                await asyncio.sleep(0)  # let the call that was waiting for the place go out before this check runs
            usage = usage.add(result.usage)
            queued += result.waited_s
            summary = checks.apply(self._build(prep, result, usage, started, queued), self.policy, prep.sentences)
            if self._done(summary, reasks):
                return checks.finish(summary, reasks)
            messages = self._reask_messages(prep, result.value, summary)
            reasks += 1

    def brief(self, article: ArticleLike) -> Summary:
        """Only the Quick Look box."""
        return self.summarize(article, tasks=["brief"])

    def claims(self, article: ArticleLike) -> Summary:
        """Only the claim list."""
        return self.summarize(article, tasks=["claims"])

    def timeline(self, article: ArticleLike) -> Summary:
        """Only the timeline."""
        return self.summarize(article, tasks=["timeline"])


def to_summary(
    prep: Prepared, draft: BaseModel, backend: Backend, prompt_version: str, *, answered_by: str | None = None
) -> Summary:
    """Map the model's draft onto a Summary for a prepared article (see assemble.to_summary).

    ``answered_by`` is the model the server reported; the Summary names it (else the model asked for), and the
    weights' sha256 where summarizer served them itself.
    """
    summary = assemble.to_summary(prep.info, prep.sentences, prep.tasks, draft, backend, prompt_version, prep.warnings)
    summary.model = answered_by or backend.model
    summary.weights_sha256 = backend.weights_sha256
    return summary


def summarize(
    article: ArticleLike,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    tasks: Sequence[Task] = ALL_TASKS,
    policy: Policy = "report",
) -> Summary:
    """Summarise one article with a one-off Summarizer (see Summarizer for every option)."""
    return Summarizer(model=model, base_url=base_url, api_key=api_key, tasks=tasks, policy=policy).summarize(article)


async def asummarize(
    article: ArticleLike,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    tasks: Sequence[Task] = ALL_TASKS,
    policy: Policy = "report",
) -> Summary:
    """Async twin of :func:`summarize`."""
    s = Summarizer(model=model, base_url=base_url, api_key=api_key, tasks=tasks, policy=policy)
    return await s.asummarize(article)
