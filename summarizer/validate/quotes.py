"""Find a quotation in its source: verbatim, up to typography.

A quote matches when it stands in the source word for word. Only these differences are forgiven:

* whitespace: any run of whitespace matches any other run, and a space may appear or vanish next to
  punctuation ("1943 ." matches "1943.");
* quote-mark and apostrophe style: “ ” „ " ' ‘ ’ ` ´ « » ‹ › all match one another;
* dash style: - – — and -- match one another;
* the case of the first letter of the quote (and of the first letter after a marked gap); with ``ignore_case``
  (for an output written all in lower case, which has lost its case), the case of every letter;
* punctuation closing the quote (a final . , ; : ! or ?), which writers move inside or outside quote marks;
* marked gaps: "...", "…", "[...]" and "[…]" match any source text between the parts, in order, of at most
  ``max_gap`` characters.

Everything else in the quote, including regex metacharacters such as "$1.2bn (up 34%)", is matched literally.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.validate.report import Span

__all__ = ["find_quote", "quote_pattern"]

#: The longest stretch of source text one marked gap may stand for.
MAX_GAP = 400

_QUOTE_CHARS = "\"'“”„‟‘’‚‛`´«»‹›″′"
_QUOTE_CLASS = "[" + re.escape(_QUOTE_CHARS) + "]"
_DASH_CLASS = r"(?:--|[-‐‑‒–—―])"
_GAP = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|(?:\.\s*){3}|…)\s*")
_WS = re.compile(r"\s+")
_ALNUM = re.compile(r"[^\W_]")
_EDGE_PUNCT = "." + ",;:!?"


def find_quote(source: str, quote: str, *, max_gap: int = MAX_GAP, ignore_case: bool = False) -> list[Span]:
    """The places where ``quote`` stands in ``source``, as source spans; [] when absent.

    When the quote stands in the source exactly as written (the usual case: most quotes are cut from it), its exact
    occurrences are returned without building a pattern; otherwise every match up to typography."""
    exact = _exact(source, quote)
    if exact:
        return exact
    pattern = quote_pattern(quote, max_gap)
    if pattern is None:
        return []
    if ignore_case:
        pattern = _without_case(pattern)
    return [Span(start=m.start(), end=m.end(), text=m.group()) for m in pattern.finditer(source) if m.end() > m.start()]


def _exact(source: str, quote: str) -> list[Span]:
    """The exact occurrences of the quote's words (edge quote marks and closing punctuation aside), whole words only."""
    text = quote.strip().strip(_QUOTE_CHARS).strip()
    if _GAP.search(text):
        return []
    text = text.rstrip(_EDGE_PUNCT + _QUOTE_CHARS + " ")
    if not any(ch.isalnum() for ch in text):
        return []
    spans: list[Span] = []
    at = source.find(text)
    while at >= 0:
        end = at + len(text)
        # The pattern's edges: no letter or digit may touch a quote that starts or ends with one.
        if not (text[0].isalnum() and at and _ALNUM.match(source, at - 1)) and not (
            text[-1].isalnum() and _ALNUM.match(source, end)
        ):
            spans.append(Span(start=at, end=end, text=text))
        at = source.find(text, at + 1)
    return spans


@lru_cache(maxsize=1024)
def quote_pattern(quote: str, max_gap: int = MAX_GAP) -> re.Pattern[str] | None:
    """The compiled pattern that matches ``quote`` in a source, or None when the quote has no words."""
    text = quote.strip().strip(_QUOTE_CHARS).strip()
    parts = [p for p in _GAP.split(text)]
    # Leading/trailing gaps ("... and then") only mark that the quote was cut: drop them.
    parts = [p.strip() for p in parts]
    while parts and not parts[0]:
        parts.pop(0)
    while parts and not parts[-1]:
        parts.pop()
    parts = [p for p in parts if p]
    if not parts:
        return None
    parts[-1] = parts[-1].rstrip(_EDGE_PUNCT + _QUOTE_CHARS + " ")
    if not any(ch.isalnum() for p in parts for ch in p):
        return None
    body = ("[\\s\\S]{0," + str(max_gap) + "}?").join(_part_regex(p) for p in parts if p)
    # Whole words only at the edges: "he is" must not match inside "the island".
    prefix = r"(?<![^\W_])" if parts[0][:1].isalnum() else ""
    suffix = r"(?![^\W_])" if parts[-1][-1:].isalnum() else ""
    return re.compile(prefix + body + suffix)


@lru_cache(maxsize=1024)
def _without_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern, blind to case."""
    return re.compile(pattern.pattern, pattern.flags | re.IGNORECASE)


def _part_regex(part: str) -> str:
    out: list[str] = []
    prev = ""
    i = 0
    first_letter_done = False
    n = len(part)
    while i < n:
        ch = part[i]
        if ch.isspace():
            j = _WS.match(part, i)
            assert j is not None
            i = j.end()
            nxt = part[i : i + 1]
            # Next to punctuation a space may appear or vanish; between two words it must stay.
            out.append(r"\s+" if prev.isalnum() and nxt.isalnum() else r"\s*")
            prev = " "
            continue
        if ch == "-" and part.startswith("--", i):
            token = _DASH_CLASS
            i += 2
        elif ch in "-‐‑‒–—―":
            token = _DASH_CLASS
            i += 1
        elif ch in _QUOTE_CHARS:
            token = _QUOTE_CLASS
            i += 1
        elif ch.isalpha() and not first_letter_done:
            lo, up = ch.lower(), ch.upper()
            token = "[" + re.escape(lo) + re.escape(up) + "]" if lo != up and len(up) == 1 else re.escape(ch)
            first_letter_done = True
            i += 1
        else:
            token = re.escape(ch)
            i += 1
        if ch.isalnum():
            first_letter_done = True
        is_word = ch.isalnum()
        # A space may appear or vanish between a word and punctuation ("1943 ." vs "1943.").
        if out and prev and prev != " " and (prev.isalnum() != is_word):
            out.append(r"\s*")
        out.append(token)
        prev = ch
    # Collapse "\s*\s+" pairs produced around spaces.
    return "".join(out).replace(r"\s+\s*", r"\s+").replace(r"\s*\s+", r"\s+")
