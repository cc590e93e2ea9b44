"""What the JSON grammar costs a token, by how many candidates it is matched against (no model run: vocabulary only).

    python bench/grammar_cost.py [--article PATH]

Walks llama.cpp's grammar for the brief's schema (as the local backend sends it) along a schema-valid answer to
seed 000 (bench/latency_server.py's draft of the prompt's own sentences, tokenized by the model's tokenizer) and
times, at each token, the grammar matched against the whole vocabulary (llama-cpp-python's chain), against the 40
best candidates (a top-k before the grammar) and against the one greedy pick (summarizer.serve's check), each with
the answer's token among the candidates. Also for a leaner schema: no 5-8 bound on the bullets. Prints milliseconds
per token and the seconds a 404-token brief would spend. Run it under ``flock /tmp/summarizer-model.lock``.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency_server import draft_for  # noqa: E402

BRIEF_TOKENS = 404  # seed 000's brief, generated


def _walk(llama_cpp: Any, llm: Any, grammar: Any, tokens: list[int], width: int) -> float:
    """Seconds per token matching the grammar against ``width`` candidates (the answer's token first)."""
    import numpy as np
    from llama_cpp import _internals

    sampler = _internals.LlamaSampler()
    sampler.add_grammar(llm._model, grammar)
    n = llm.n_vocab()
    cur = (llama_cpp.llama_token_data * width)()
    view = np.ctypeslib.as_array(cur)
    spent = 0.0
    for token in tokens:
        others = np.arange(width, dtype=np.int32)
        others[0] = token
        if width > 1:
            others[1:] = (token + 1 + np.arange(width - 1)) % n
        view["id"], view["logit"], view["p"] = others, 0.0, 0.0
        data = llama_cpp.llama_token_data_array(data=cur, size=width, selected=-1, sorted=False)
        started = time.perf_counter()
        llama_cpp.llama_sampler_apply(sampler.sampler, ctypes.byref(data))
        spent += time.perf_counter() - started
        assert view["logit"][0] != float("-inf"), "the answer left the grammar"
        sampler.accept(token)
    sampler.close()
    return spent / len(tokens)


def _in_grammar_order(value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """``value`` with each object's keys as llama.cpp's grammar wants them: the required ones first, then the rest."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if isinstance(value, list):
        return [_in_grammar_order(v, schema.get("items", {}), defs) for v in value]
    if not isinstance(value, dict):
        return value
    props = schema.get("properties", {})
    required = schema.get("required", [])
    order = required + [k for k in props if k not in required]
    return {k: _in_grammar_order(value[k], props[k], defs) for k in order if k in value}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, default=ROOT / "examples" / "articles" / "seed_000_newslooks.txt")
    args = parser.parse_args()

    import llama_cpp

    from summarizer import Article, Summarizer, local
    from summarizer.api import draft_model

    s = Summarizer(llm=None)
    prep = s.prepare(Article(text=args.article.read_text(), published_at=dt.date(2025, 4, 18), source="AP"))
    model = draft_model(prep.tasks)
    schema = model.model_json_schema()
    draft = model.model_validate(draft_for(prep.messages[-1]["content"])).model_dump(mode="json")
    answer = json.dumps(_in_grammar_order(draft, schema, schema.get("$defs", {})), separators=(",", ":"))
    lean = json.loads(json.dumps(schema))
    lean["properties"]["bullets"].pop("minItems")
    lean["properties"]["bullets"].pop("maxItems")

    llm = llama_cpp.Llama(model_path=str(local.model_path()), vocab_only=True, verbose=False)
    tokens = llm.tokenize(answer.encode(), add_bos=False, special=False)
    print(f"answer: {len(answer)} characters, {len(tokens)} tokens; vocabulary {llm.n_vocab():,} tokens")
    for name, variant in (("schema as sent", schema), ("no bullet bounds", lean)):
        grammar = llama_cpp.LlamaGrammar.from_json_schema(json.dumps(variant), verbose=False)
        for width, label in ((llm.n_vocab(), "whole vocabulary"), (40, "top 40"), (1, "greedy pick only")):
            per = _walk(llama_cpp, llm, grammar, tokens, width)
            print(
                f"{name:17} | {label:16} | {1000 * per:8.3f} ms a token | {per * BRIEF_TOKENS:6.2f} s a "
                f"{BRIEF_TOKENS}-token brief"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
