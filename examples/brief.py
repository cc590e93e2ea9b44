"""One-off brief of the seed article on whatever backend is configured (the embedded local model by default).

python examples/brief.py [ARTICLE.txt|.html] [--json]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from summarizer import Article, Summarizer
from summarizer.render import markdown

HERE = Path(__file__).resolve().parent


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else HERE / "articles" / "seed_000_newslooks.txt"
    # Seed 000 does not state its own date in a "Published on" line: pass it, as a CMS would.
    published = dt.date(2025, 4, 18) if path.name.startswith("seed_") else None
    article = Article(text=path.read_text(encoding="utf-8"), published_at=published, source="AP", id=path.name)
    summarizer = Summarizer()
    print(f"Summarising {path.name} with {summarizer.backend.describe()} …", file=sys.stderr, flush=True)
    summary = summarizer.summarize(article)
    if "--json" in sys.argv:
        print(summary.model_dump_json(indent=2))
    else:
        print(markdown(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
