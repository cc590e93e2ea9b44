"""The Python API in a few lines: summarise, read the parts, look at the check, use another backend.

Run: python examples/usage.py   (uses the embedded local model unless OPENAI_API_KEY / OPENAI_BASE_URL are set)
"""

from __future__ import annotations

from pathlib import Path

from summarizer import Article, Summarizer, check, summarize

ARTICLE = Path(__file__).resolve().parent / "articles" / "seed_001_rki.txt"


def main() -> None:
    # 1. One call. A str is accepted as the text; an Article carries metadata (seed 001 states its own date).
    summary = summarize(Article(text=ARTICLE.read_text(encoding="utf-8"), source="rki.news"))
    assert summary.quick_look is not None
    print(summary.quick_look.title)
    for bullet in summary.quick_look.bullets:
        print(" -", bullet.text)

    # 2. Claims carry verbatim quotes cut from the source, with their character spans.
    for claim in summary.claims:
        print(f"{claim.claimant}: {claim.claim}  quote={claim.quote!r}")

    # 3. Timeline phrases are resolved against the publication date, with their granularity.
    for event in summary.timeline:
        print(event.date, event.granularity, event.when, "-", event.event)

    # 4. Every number, quote and date was checked against the source.
    assert summary.validation is not None
    print("all figures traced:", summary.validation.ok)
    for finding in summary.validation.errors():
        print("  unsupported:", finding.field, finding.text, "-", finding.reason)

    # 5. The same check works on any summary, ours or not.
    report = check(ARTICLE.read_text(encoding="utf-8"), "Rubio gave the talks 30 days; the deal is due by April 26.")
    print("third-party summary ok?", report.ok)

    # 6. Other backends: Summarizer(base_url="http://127.0.0.1:8000/v1", model="qwen2.5") for vLLM/Ollama/llama.cpp,
    #    or set OPENAI_API_KEY for OpenAI. Only the timeline, and drop what cannot be traced:
    only_dates = Summarizer(tasks=["timeline"], policy="drop")
    print(len(only_dates.summarize(ARTICLE.read_text(encoding="utf-8")).timeline), "dated events")


if __name__ == "__main__":
    main()
