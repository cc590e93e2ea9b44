"""Use your own prompt templates: copy prompts/, edit, and point a Summarizer at the copy.

    python examples/custom_prompt.py /path/to/my_prompts

The folder needs the same template names (summary.system.j2, summary.user.j2, task.*.j2, reask.user.j2); a template
that uses a variable the library does not pass fails loudly (jinja2 StrictUndefined) instead of sending blank text.
The prompt version recorded in each Summary (and in the batch store's key) is a digest of the templates, so results
made with edited prompts are never mixed up with the stock ones.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from summarizer import Summarizer
from summarizer.prompts import Prompts, prompts_dir
from summarizer.render import markdown

ARTICLE = Path(__file__).resolve().parent / "articles" / "seed_001_rki.txt"


def main() -> int:
    if len(sys.argv) > 1:
        folder = Path(sys.argv[1])
    else:  # demo: a copy of the stock prompts with a house-style line added to the system prompt
        folder = Path(tempfile.mkdtemp(prefix="prompts-"))
        for template in prompts_dir().glob("*.j2"):
            shutil.copy(template, folder / template.name)
        system = folder / "summary.system.j2"
        system.write_text(system.read_text() + "\nHouse style: write 'per cent', never '%'.\n")
    prompts = Prompts(folder)
    print(f"prompt version {prompts.version} (stock: {Prompts().version})", file=sys.stderr)
    summary = Summarizer(prompts=prompts, tasks=["brief"]).summarize(ARTICLE.read_text(encoding="utf-8"))
    print(markdown(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
