"""summarize_many / asummarize_many over the FakeLLM: one result per input, streaming, store, budget."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from summarizer.api import Summarizer
from summarizer.batch import (
    BatchInput,
    BatchResult,
    Price,
    Tally,
    asummarize_many,
    count_inputs,
    effective_concurrency,
    load_prices,
    read_folder,
    read_inputs,
    read_jsonl,
    summarize_many,
)
from summarizer.errors import ConfigError, LLMError
from summarizer.llm import Backend, Completion, Message
from summarizer.schemas import Article, Usage
from summarizer.store import Store
from tests.fakes import FakeLLM

T = TypeVar("T", bound=BaseModel)

DRAFT: dict[str, Any] = {
    "title": "Council approves parks",
    "bullets": [{"text": f"Point {letter}", "cites": [1]} for letter in "abcde"],  # no figure: the check passes
}


def article(i: int) -> Article:
    """A small distinct article (its number appears in the text, so every one has its own store key)."""
    return Article(
        id=f"a{i}",
        text=f"The council approved plan number {i} on Monday. Officials said it would take two years.",
    )


def fake(n: int = 100, **kw: Any) -> FakeLLM:
    return FakeLLM([dict(DRAFT) for _ in range(n)], **kw)


class SlowFake(FakeLLM):
    """A FakeLLM whose async calls take a moment and record how many ran at once."""

    def __init__(self, n: int, delay: float = 0.005) -> None:
        super().__init__([dict(DRAFT) for _ in range(n)])
        self.delay = delay
        self.running = 0
        self.peak = 0

    async def acreate(
        self,
        response_model: type[T],
        messages: list[Message],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(self.delay)  # simulated latency, not a wait for an assertion
            return self.create(response_model, messages, max_tokens=max_tokens)
        finally:
            self.running -= 1


def test_every_input_ends_as_exactly_one_result() -> None:
    llm = fake()
    inputs: list[Any] = [article(i) for i in range(10)]
    inputs.insert(3, BatchInput("broken", error=None))  # no article and no error: still one (error) result
    inputs.append("The mayor said on Friday that 12 roads would close.")  # a plain string gets its position as id
    results = list(summarize_many(inputs, summarizer=Summarizer(llm=llm), concurrency=4))
    assert len(results) == len(inputs)
    assert sorted(r.index for r in results) == list(range(len(inputs)))
    by_index = {r.index: r for r in results}
    assert by_index[3].status == "error" and by_index[3].id == "broken"
    assert by_index[len(inputs) - 1].id == str(len(inputs))
    assert by_index[0].id == "a0" and by_index[0].summary is not None
    assert by_index[0].summary.quick_look is not None
    assert by_index[0].usage.prompt_tokens == 1000 and not by_index[0].cached
    assert len(llm.calls) == 11


def test_a_failing_item_becomes_an_error_record_and_the_batch_goes_on() -> None:
    answers: list[dict[str, Any] | BaseException] = [dict(DRAFT) for _ in range(5)]
    answers[2] = LLMError("The provider answered HTTP 500", status_code=500)
    llm = FakeLLM(answers)
    results = list(summarize_many([article(i) for i in range(5)], summarizer=Summarizer(llm=llm), concurrency=1))
    errors = [r for r in results if r.status == "error"]
    assert len(results) == 5 and len(errors) == 1
    assert errors[0].error is not None
    assert errors[0].error.type == "LLMError" and errors[0].error.status_code == 500
    line = json.loads(errors[0].to_line())
    assert line["status"] == "error" and line["error"]["type"] == "LLMError" and "summary" not in line


def test_ordered_results_come_in_input_order() -> None:
    llm = SlowFake(30)
    results = list(summarize_many([article(i) for i in range(30)], summarizer=Summarizer(llm=llm), ordered=True))
    assert [r.index for r in results] == list(range(30))
    assert [r.id for r in results] == [f"a{i}" for i in range(30)]


async def test_async_concurrency_is_bounded_and_used() -> None:
    llm = SlowFake(40, delay=0.01)
    results = [r async for r in asummarize_many([article(i) for i in range(40)], summarizer=Summarizer(llm=llm))]
    assert len(results) == 40
    assert llm.peak == 8


def test_the_input_is_streamed_not_materialised() -> None:
    pulled = 0

    def source() -> Iterator[Article]:
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield article(i)

    stream = summarize_many(source(), summarizer=Summarizer(llm=fake(1000)), concurrency=4)
    first = next(stream)
    assert first.ok
    assert pulled <= 4 * 2 + 4 + 1  # the in-flight window, not the whole input
    stream.close()


def test_the_local_backend_is_capped_at_one_request() -> None:
    llm = fake(backend=Backend("local", "qwen", None, None))
    assert effective_concurrency(Summarizer(llm=llm), 16) == 1
    with pytest.raises(ConfigError):
        effective_concurrency(Summarizer(llm=fake()), 0)


def test_a_finished_batch_reruns_from_the_store_without_calls(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    llm = fake()
    first = list(summarize_many([article(i) for i in range(6)], summarizer=Summarizer(llm=llm), store=path))
    assert all(r.ok and not r.cached for r in first) and len(llm.calls) == 6
    again = fake(0)
    second = list(summarize_many([article(i) for i in range(6)], summarizer=Summarizer(llm=again), store=path))
    assert all(r.ok and r.cached for r in second) and again.calls == []
    assert {r.id for r in second} == {f"a{i}" for i in range(6)}
    assert second[0].usage.prompt_tokens == 1000  # the stored cost of the item


def test_stored_errors_are_retried_on_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    llm = FakeLLM([LLMError("HTTP 503", status_code=503), dict(DRAFT)])
    first = list(summarize_many([article(0), article(1)], summarizer=Summarizer(llm=llm), store=path, concurrency=1))
    assert sorted(r.status for r in first) == ["error", "ok"]
    retry = fake(1)
    second = list(summarize_many([article(0), article(1)], summarizer=Summarizer(llm=retry), store=path))
    assert all(r.ok for r in second) and len(retry.calls) == 1
    assert sorted(r.cached for r in second) == [False, True]


def test_repeated_articles_in_one_run_are_paid_once(tmp_path: Path) -> None:
    llm = SlowFake(10)
    items = [article(1), article(1).model_copy(update={"id": "copy"}), article(1)]
    results = list(summarize_many(items, summarizer=Summarizer(llm=llm), store=tmp_path / "s.db"))
    assert len(results) == 3 and all(r.ok for r in results)
    assert len(llm.calls) == 1
    assert {r.id for r in results} == {"a1", "copy"}


def test_a_different_configuration_is_not_served_from_the_store(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    list(summarize_many([article(0)], summarizer=Summarizer(llm=fake()), store=path))
    other = fake()
    results = list(summarize_many([article(0)], summarizer=Summarizer(llm=other, tasks=["brief"]), store=path))
    assert not results[0].cached and len(other.calls) == 1
    dated = fake()
    later = article(0).model_copy(update={"published_at": "2025-04-18"})
    assert not next(iter(summarize_many([later], summarizer=Summarizer(llm=dated), store=path))).cached


def test_the_token_budget_stops_new_calls_and_the_rest_stays_resumable(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    llm = fake()  # 1,200 tokens per item
    items = [article(i) for i in range(10)]
    results = list(
        summarize_many(items, summarizer=Summarizer(llm=llm), concurrency=1, store=path, max_tokens_budget=2500)
    )
    assert len(results) == 10
    statuses = [r.status for r in sorted(results, key=lambda r: r.index)]
    assert statuses == ["ok"] * 3 + ["skipped"] * 7  # 3 x 1,200 crosses 2,500; in-flight work is never cut
    assert len(llm.calls) == 3
    skipped = next(r for r in results if r.status == "skipped")
    assert skipped.error is not None and skipped.error.type == "BudgetExhausted"
    with Store(path) as store:
        assert store.stats().ok == 3 and store.stats().claimed == 0
    rest = fake()
    again = list(summarize_many(items, summarizer=Summarizer(llm=rest), store=path))
    assert all(r.ok for r in again) and len(rest.calls) == 7


def test_the_api_key_is_never_stored(tmp_path: Path) -> None:
    secret = "sk-test-SECRET-0123456789"
    llm = fake(backend=Backend("openai", "gpt-4o-mini", "https://api.openai.com/v1", secret))
    list(summarize_many([article(0)], summarizer=Summarizer(llm=llm), store=tmp_path / "s.db"))
    for file in tmp_path.iterdir():
        assert secret.encode() not in file.read_bytes()


def test_jsonl_reader_turns_bad_lines_into_error_inputs(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": "Some text here."}),
        "",
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps(["a list"]),
        json.dumps({"text": "No id, so its position (1-based, blank lines left out) is the id."}),
        json.dumps({"id": "x", "text": "t", "unknown": 1}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = list(read_jsonl(path))
    assert [i.id for i in items] == ["ok1", "2", "3", "4", "5", "x"]
    assert [i.error is None for i in items] == [True, False, False, False, True, False]
    assert items[1].error is not None and "line 3" in items[1].error.message
    assert count_inputs(path) == 6
    results = list(summarize_many(items, summarizer=Summarizer(llm=fake())))
    assert len(results) == 6 and sum(r.ok for r in results) == 2
    assert all(r.id == str(r.index + 1) for r in results if r.id != "ok1" and r.id != "x")


def test_folder_reader_takes_txt_and_html_files_named_by_file(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("The mayor said 5 roads close.")
    (tmp_path / "a.html").write_text("<html><body><p>Hello.</p></body></html>")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "notes.md").write_text("ignored")
    items = list(read_inputs(tmp_path))
    assert [i.id for i in items] == ["a.html", "b.txt", "bin.txt"]
    assert items[2].error is not None and items[2].error.type == "InputError"
    assert count_inputs(tmp_path) == 3
    assert next(iter(read_folder(tmp_path))).article is not None


def test_tally_counts_costs_and_explains_a_budget_stop(tmp_path: Path) -> None:
    tally = Tally()
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=100_000, attempts=1)
    tally.add(BatchResult(id="a", index=0, status="ok", usage=usage))
    tally.add(BatchResult(id="b", index=1, status="ok", usage=usage, cached=True))
    tally.add(BatchResult(id="c", index=2, status="skipped"))
    line = tally.line(Price(0.15, 0.60), budget=5000)
    assert "3 inputs (1 from the store): 2 ok, 0 flagged, 0 failed" in line
    assert "$0.2100" in line  # the cached item costs nothing this run
    assert "1 not started: token budget 5,000 spent" in line
    prices = tmp_path / "p.json"
    prices.write_text(json.dumps({"gpt-4o-mini": {"input": 0.15, "output": 0.6}}))
    assert load_prices(prices)["gpt-4o-mini"] == Price(0.15, 0.6)
    prices.write_text("[]")
    with pytest.raises(ConfigError):
        load_prices(prices)


def test_the_batch_subcommand_passes_every_word_to_run_batch() -> None:
    import argparse

    from summarizer.batch_cli import add_batch_parser

    parser = argparse.ArgumentParser(prog="summarizer")
    add_batch_parser(parser.add_subparsers(dest="command", required=True))
    for words in (["-o", "out.jsonl", "in.jsonl"], ["in.jsonl", "-o", "o", "--ordered"], ["prepare", "in", "-o", "r"]):
        assert parser.parse_args(["batch", *words]).batch_args == words


def test_a_run_freezes_the_startup_heap_only_while_it_runs() -> None:
    import gc

    assert gc.get_freeze_count() == 0
    during: list[int] = []
    for _ in summarize_many([article(i) for i in range(3)], summarizer=Summarizer(llm=fake()), concurrency=2):
        during.append(gc.get_freeze_count())
    # Everything that existed at the start is out of the collector's way during the run, and back after it.
    assert during and all(n > 1000 for n in during)
    assert gc.get_freeze_count() == 0


def test_a_heap_the_process_froze_itself_stays_frozen() -> None:
    import gc

    gc.freeze()
    try:
        before = gc.get_freeze_count()
        assert all(r.ok for r in summarize_many([article(0)], summarizer=Summarizer(llm=fake())))
        # Still frozen (a few frozen objects are freed by reference counting meanwhile): the run did not unfreeze.
        assert gc.get_freeze_count() > 0.9 * before
    finally:
        gc.unfreeze()


def test_the_concurrency_limit_holds_model_calls_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import summarizer.api

    events: list[str] = []
    llm = fake()
    real_create = llm.create

    def create(*args: Any, **kwargs: Any) -> Any:
        events.append("call")
        return real_create(*args, **kwargs)

    real_apply = summarizer.api.checks.apply

    def apply(summary: Any, policy: str, seen: Any = None) -> Any:
        events.append("check")
        return real_apply(summary, policy, seen)

    monkeypatch.setattr(llm, "create", create)
    monkeypatch.setattr(summarizer.api.checks, "apply", apply)
    results = list(summarize_many([article(i) for i in range(3)], summarizer=Summarizer(llm=llm), concurrency=1))
    assert all(r.ok for r in results)
    # The next call goes out as soon as an answer is in; checking it does not hold the only place.
    assert events[:2] == ["call", "call"]
    assert events.count("call") == events.count("check") == 3


def test_each_html_page_is_extracted_once_per_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import summarizer.clean

    pages = [
        f"<html><head><title>Plan {i}</title></head><body><article><p>The council approved plan number {i} on "
        f"Monday. Officials said it would take two years and cost {i + 3} million dollars to build.</p></article>"
        "</body></html>"
        for i in range(3)
    ]
    calls: list[int] = []
    extract = summarizer.clean._from_html

    def counted(html: str) -> Any:
        calls.append(1)
        return extract(html)

    monkeypatch.setattr(summarizer.clean, "_from_html", counted)
    results = list(summarize_many(pages, summarizer=Summarizer(llm=fake()), store=tmp_path / "s.db"))
    assert [r.status for r in results] == ["ok"] * 3
    # Once for the store key and the prompt together, not once each.
    assert len(calls) == 3
    # The cleaned result handed out is a copy: changing it does not change the next caller's.
    first = summarizer.clean.clean(pages[0])
    first.warnings.append("changed")
    assert "changed" not in summarizer.clean.clean(pages[0]).warnings
