"""summarizer.serve's greedy sampler under a grammar: the token llama-cpp-python's own chain picks, for less work.

Run on the embedded model's own vocabulary and llama.cpp's own samplers (the local model is needed): once on
logits made up to walk both paths (the greedy pick allowed, and refused by the grammar), once on the real model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from summarizer import local, serve

pytestmark = [pytest.mark.local_model]

SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "bullets": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 3},
        "year": {"type": "integer"},
    },
    "required": ["title", "bullets", "year"],
}
ANSWER = {"title": "Rates held", "bullets": ["The bank held rates at 4%.", "It cut 1,200 jobs."], "year": 2025}


@pytest.fixture(scope="module")
def llama_cpp() -> Iterator[Any]:
    state = local.status()
    assert state.usable, f"the embedded model is not installed ({state.describe()}); run `make model`"
    import llama_cpp

    yield llama_cpp


@pytest.fixture
def original(llama_cpp: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """llama-cpp-python's own ``Llama._init_sampler``, restored after the test with what the patch replaces."""
    from llama_cpp import _internals

    monkeypatch.setattr(llama_cpp.Llama, "_init_sampler", llama_cpp.Llama._init_sampler)
    monkeypatch.setattr(_internals.LlamaContext, "print_timings", _internals.LlamaContext.print_timings)
    return llama_cpp.Llama._init_sampler


def _pick(llama_cpp: Any, sampler: Any, logits: Any) -> int:
    """What llama_sampler_sample does with ``sampler``'s chain: apply it to every token's logit, then accept."""
    import numpy as np

    n = len(logits)
    cur = (llama_cpp.llama_token_data * n)()
    view = np.ctypeslib.as_array(cur)
    view["id"], view["logit"], view["p"] = np.arange(n, dtype=np.int32), logits, 0.0
    data = llama_cpp.llama_token_data_array(data=cur, size=n, selected=-1, sorted=False)
    llama_cpp.llama_sampler_apply(sampler.sampler, data)
    token = int(cur[data.selected].id)
    sampler.accept(token)
    return token


def test_each_pick_is_the_full_grammars_pick_and_only_refused_picks_see_the_whole_vocabulary(
    llama_cpp: Any, original: Any
) -> None:
    import numpy as np

    serve.check_chosen_token_first(llama_cpp)

    llm = llama_cpp.Llama(model_path=str(local.model_path()), vocab_only=True, verbose=False)
    grammar = llama_cpp.LlamaGrammar.from_json_schema(json.dumps(SCHEMA), verbose=False)
    settings = {"temp": 0.0, "repeat_penalty": 1.1, "grammar": grammar}  # what the server asks for greedy decoding
    reference = original(llm, **settings)  # llama-cpp-python's chain: penalties, the grammar, greedy
    checked = llama_cpp.Llama._init_sampler(llm, **settings)
    assert isinstance(checked, serve.CheckedGreedySampler)

    # Logits that favour the answer's next token; every third step they favour a token the grammar refuses (a
    # letter where JSON wants punctuation, or the end of text before the object closes), so the fallback runs too.
    target = llm.tokenize(json.dumps(ANSWER).encode(), add_bos=False, special=False)
    refused = llm.tokenize(b"zq", add_bos=False, special=False)[0]
    rng = np.random.default_rng(0)
    picked: list[int] = []
    for step in range(len(target) + 5):
        logits = rng.normal(0.0, 1.0, llm.n_vocab()).astype(np.float32)
        if step < len(target):
            logits[target[step]] += 8.0
        if step % 3 == 0:
            logits[refused] += 20.0
            logits[llm.token_eos()] += 19.0
        if step == 4:
            logits[:] = 0.0  # all tied: greedy keeps the first allowed token on both paths
        expected = _pick(llama_cpp, reference, logits)
        assert checked.choose(logits) == expected, (step, picked)
        picked.append(expected)
    assert checked.tokens == len(picked)
    assert 0 < checked.full < checked.tokens  # refused picks only: the first step's "zq" among them


def test_a_greedy_answer_under_a_schema_is_unchanged_token_for_token(llama_cpp: Any, original: Any) -> None:
    llm = llama_cpp.Llama(model_path=str(local.model_path()), n_ctx=1024, verbose=False, seed=0)
    messages = [
        {"role": "system", "content": "Answer in JSON."},
        {"role": "user", "content": "The central bank held rates at 4% in 2025 and cut 1,200 jobs. Brief it."},
    ]

    def answer() -> tuple[str, Any]:
        llm.reset()  # the whole prompt evaluated each time, as the first request of a server
        out = llm.create_chat_completion(
            messages=messages,
            response_format={"type": "json_object", "schema": SCHEMA},
            temperature=0.0,
            repeat_penalty=1.1,
            max_tokens=80,
            seed=0,
        )
        return out["choices"][0]["message"]["content"], llm._sampler

    try:
        before, plain = answer()  # llama-cpp-python's own chain first
        serve.check_chosen_token_first(llama_cpp)
        after, checked = answer()
    finally:
        llm.close()
    assert not isinstance(plain, serve.CheckedGreedySampler)
    assert isinstance(checked, serve.CheckedGreedySampler)
    assert after == before
    assert checked.full < checked.tokens / 2
    json.loads(after)
