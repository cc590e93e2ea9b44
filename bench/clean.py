"""Line-level precision and recall of the plain-text chrome filter (summarizer/chrome.py).

    .venv/bin/python bench/clean.py            # the two seeds and the marked pages in bench/data/chrome/
    .venv/bin/python bench/clean.py -v         # also every line it got wrong

A chrome line is one the page carries besides its story (captions, share bars, sign-up boxes, related links, ...).
Marked pages flag theirs with a leading "§ " (removed before cleaning); the seeds list theirs in *.chrome files.
Precision: of the lines removed, the share that were chrome. Recall: of the chrome lines, the share removed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from summarizer import chrome

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "chrome"
SEEDS = {
    "seed_000": ROOT / "examples/articles/seed_000_newslooks.txt",
    "seed_001": ROOT / "examples/articles/seed_001_rki.txt",
}
MARK = "§ "


def _cases() -> list[tuple[str, list[str], set[int]]]:
    """(name, lines, chrome line indices) for each seed and marked page."""
    out = []
    for name, path in SEEDS.items():
        lines = path.read_text().splitlines()
        marked = {int(n) - 1 for n in (DATA / f"{name}.chrome").read_text().split()}
        out.append((name, lines, marked))
    for path in sorted(DATA.glob("*.txt")):
        raw = path.read_text().splitlines()
        lines = [line.removeprefix(MARK) for line in raw]
        out.append((path.stem, lines, {i for i, line in enumerate(raw) if line.startswith(MARK)}))
    return out


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    total_tp = total_removed = total_chrome = 0
    print(f"{'page':<18} {'lines':>5} {'chrome':>6} {'removed':>7} {'precision':>9} {'recall':>7}")
    for name, lines, marked in _cases():
        removed = {r.line: r.reason for r in chrome.find("\n".join(lines))}
        tp = len(marked & set(removed))
        total_tp, total_removed, total_chrome = total_tp + tp, total_removed + len(removed), total_chrome + len(marked)
        precision = tp / len(removed) if removed else 1.0
        recall = tp / len(marked) if marked else 1.0
        nonempty = sum(1 for line in lines if line.strip())
        print(f"{name:<18} {nonempty:>5} {len(marked):>6} {len(removed):>7} {precision:>9.3f} {recall:>7.3f}")
        if verbose:
            for i in sorted(set(removed) - marked):
                print(f"    kept line removed ({removed[i]}): {lines[i][:90]!r}")
            for i in sorted(marked - set(removed)):
                print(f"    chrome line kept: {lines[i][:90]!r}")
    precision = total_tp / total_removed if total_removed else 1.0
    recall = total_tp / total_chrome if total_chrome else 1.0
    print(f"{'total':<18} {'':>5} {total_chrome:>6} {total_removed:>7} {precision:>9.3f} {recall:>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
