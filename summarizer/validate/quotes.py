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

Quotes
    A quoted passage of MIN_QUOTE_WORDS words or more must stand in the source verbatim (see
    :func:`find_quote`: whitespace, quote-mark style, first-letter case and marked ellipses are
    forgiven, nothing else). A *fragment* — at most MAX_FRAGMENT_WORDS words with no sentence punctuation inside
    ('Hot or Not', 'stole her pet chicken') — is a term, title or scare quote rather than a quotation: when it is
    not verbatim, it is *derived* if every one of its content words (any case, stemmed) stands in the source
    (the spans name each word), and unsupported otherwise. Longer quotations get no such leeway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from summarizer.validate.context import excerpt
from summarizer.validate.report import DERIVED_CONFIDENCE, Finding, Span
from summarizer.validate.words import STOPWORDS, TOKEN, stem

__all__ = [
    "MAX_FRAGMENT_WORDS",
    "MIN_QUOTE_WORDS",
    "check_quote",
    "clear_source_words",
    "find_quote",
    "quote_pattern",
    "quoted_passages",
]

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
    return _plain(source, quote, max_gap, ignore_case) or _across_tags(source, quote, max_gap, ignore_case)


def _plain(source: str, quote: str, max_gap: int, ignore_case: bool) -> list[Span]:
    """The matches of a quote up to typography (no run across speech tags)."""
    pattern = quote_pattern(quote, max_gap)
    if pattern is None:
        return []
    if ignore_case:
        pattern = _without_case(pattern)
    return [Span(start=m.start(), end=m.end(), text=m.group()) for m in pattern.finditer(source) if m.end() > m.start()]


# Between two quoted stretches of one statement, the source's own speech tag: '…spirit," Artez said in a statement.
# "She has…' or '…observation," Nakatani said. He continued: "They…'.
_TAG = re.compile(r"[,.;:!?]?\s*[”\"’']\s*(?P<tag>[^\"“”\n]{1,100}?)\s*[“\"‘']\s*")
_SAYS = re.compile(
    r"\b(?:said|says|added|adds|continued|continues|told|tells|explained|wrote|writes|insisted|noted|stated|"
    r"asked|recalled|went on)\b",
    re.I,
)
#: Where a quote may run across a tag: after a sentence or clause mark and a space.
_CLAUSE_END = re.compile(r"[.,;:!?]\s+")


def _across_tags(source: str, quote: str, max_gap: int, ignore_case: bool, at: int | None = None) -> list[Span]:
    """The spans of a quote that runs on across the source's speech tags between stretches of one statement (each
    stretch verbatim, each tag a verb of saying between quote marks); [] when it does not. With ``at``, the first
    stretch must start there."""
    for cut in _CLAUSE_END.finditer(quote):
        left, right = quote[: cut.start() + 1], quote[cut.end() :]
        if len(right.split()) < 2:
            continue
        for first in _plain(source, left, max_gap, ignore_case):
            if at is not None and first.start != at:
                continue
            tag = _TAG.match(source, first.end)
            if tag is None or not _SAYS.search(tag.group("tag")):
                continue
            rest = [sp for sp in _plain(source, right, max_gap, ignore_case) if sp.start == tag.end()]
            rest = rest[:1] or _across_tags(source, right, max_gap, ignore_case, tag.end())
            if rest:
                return [first, *rest]
    return []


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
    """The regex of one part of a quote between marked gaps (see the module docstring)."""
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


# ---------------------------------------------------------------------------------------------------------------
# Quoted passages of an output, and their verdict

# A straight double quote right after a digit is an inch mark (5'3"), not a quotation mark; a straight single quote
# that opens a clitic ("it 's", "did n't" in tokenized text) is an apostrophe. Tokenized text (PTB style) opens
# quotes with ` or `` and closes them with ' or '': there a straight single quote never opens one.
_QUOTED = re.compile(
    r"“(?P<a>[^“”]{1,800})”|(?<![\d'])\"(?P<b>[^\"]{1,800}?)(?<![\d'])\"|‘(?P<c>[^‘’]{1,800}?)’(?!\w)"
    r"|``(?P<e>[^`'\n]{1,800}?)''|`(?P<f>[^`'\n]{1,800}?)'(?!\w)"
    r"|(?<![\w`])'(?!(?:s|t|re|ll|ve|d|m)\b)(?P<d>[^'\n]{1,800}?)'(?!\w)"
)
_TOKENIZED_QUOTES = re.compile(r"(?:^|\s)`")
# Text that detaches its apostrophes writes a plural possessive "the swans ' 1-1 draw", "three years ' probation": a
# straight single quote after a word in -s is that apostrophe, unless a verb of saying puts a quotation there.
_POSSESSIVE_BEFORE = re.compile(
    r"(?<![\w'’])(?!(?:says|adds|insists|writes|tweets|reads|states|claims|explains|warns|admits|as)\s)[A-Za-z]+s\s+$"
)
_WORD = re.compile(r"\w+")
_SENTENCE_MARK = re.compile(r"[.!?;:]\s")
#: Quoted passages shorter than this many words are scare quotes or names, not quotations.
MIN_QUOTE_WORDS = 3
#: Quoted passages of at most this many words with no sentence punctuation inside are fragments (see the docstring).
MAX_FRAGMENT_WORDS = 4


def quoted_passages(text: str) -> Iterator[tuple[int, int, str]]:
    """The quoted passages of MIN_QUOTE_WORDS words or more in ``text``, as (start, end, inner text)."""
    tokenized = _TOKENIZED_QUOTES.search(text) is not None
    at = 0
    while (m := _QUOTED.search(text, at)) is not None:
        name = m.lastgroup
        assert name is not None
        at = m.end()
        if tokenized and name == "d":
            continue
        if name == "d" and _POSSESSIVE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            at = m.start() + 1  # an apostrophe, not a quote mark: a quotation may still open at the next one
            continue
        inner = m.group(name)
        if len(_WORD.findall(inner)) >= MIN_QUOTE_WORDS:
            yield m.start(name), m.end(name), inner


def check_quote(start: int, end: int, quote: str, source: str, field_name: str, *, lowered: bool = False) -> Finding:
    """The verdict on one quoted passage of an output field (at ``start``..``end``) against ``source``.

    Verbatim (up to typography) is supported; a fragment whose content words all stand in the source is derived;
    anything else is unsupported. ``lowered``: the output is all lower case, so case tells nothing."""
    spans = find_quote(source, quote, ignore_case=lowered)
    span = Span(start=start, end=end, text=quote)
    if spans:
        found = excerpt(source, spans[0].start, spans[0].end, 0)
        return Finding(
            kind="quote", field=field_name, text=quote, span=span, status="supported", source_spans=spans[:3],
            reason=f"found verbatim in source: {found!r}", confidence=1.0,
        )  # fmt: skip
    if _is_fragment(quote):
        where = _fragment_words(source, quote)
        if where is not None:
            return Finding(
                kind="quote", field=field_name, text=quote, span=span, status="derived", source_spans=where,
                confidence=DERIVED_CONFIDENCE,
                reason=f"scare-quoted fragment (at most {MAX_FRAGMENT_WORDS} words, no sentence): not verbatim, "
                "but every word of it stands in the source",
            )  # fmt: skip
    return Finding(
        kind="quote", field=field_name, text=quote, span=span, status="unsupported",
        reason="quoted passage not found verbatim in the source", confidence=0.0,
    )  # fmt: skip


def _is_fragment(quote: str) -> bool:
    """A short quoted phrase with no sentence punctuation inside: a term, title or scare quote, not a quotation."""
    body = quote.strip().rstrip(".,;:!?'\"’”")
    return len(_WORD.findall(body)) <= MAX_FRAGMENT_WORDS and not _SENTENCE_MARK.search(body)


def _fragment_words(source: str, quote: str) -> list[Span] | None:
    """The first source occurrence of each content word of ``quote`` (any case, stemmed); None if one is missing."""
    index = _source_words(source)
    spans: list[Span] = []
    for m in TOKEN.finditer(quote):
        w = stem(m.group())
        if w in STOPWORDS or len(w) < 2:
            continue
        at = index.get(w)
        if at is None:
            return None
        spans.append(Span(start=at[0], end=at[1], text=source[at[0] : at[1]]))
    return spans or None


def clear_source_words() -> None:
    """Forget the word index kept per source (for cold-start measurements)."""
    _source_words.cache_clear()


@lru_cache(maxsize=16)
def _source_words(source: str) -> dict[str, tuple[int, int]]:
    """Each stemmed word of ``source`` → where it first stands."""
    index: dict[str, tuple[int, int]] = {}
    for m in TOKEN.finditer(source):
        index.setdefault(stem(m.group()), (m.start(), m.end()))
    return index
