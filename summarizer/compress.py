"""A deterministic short form of a source sentence that keeps what it commits to: hedges, conditions, negation and
who said it. The fallback for a headline line the model wrote unfaithfully (see checks.repair_headlines).

Only material a reader can drop without changing the claim goes: the dateline ("PARIS (AP) —"), parentheses, a
non-restrictive relative clause set off by commas (", who …,"), and a trailing participle clause (", underscoring
…"). Conditions ("unless …", "if …") and attributions ("…, Rubio said") are never cut.
"""

from __future__ import annotations

import re

__all__ = ["compress"]

_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .]+)?\s*\((?:AP|Reuters|AFP|CNN|UPI)\)\s*(?:[-—–]\s*)?"
)
_PARENS = re.compile(r"\s*\([^()]{1,80}\)")
_RELATIVE = re.compile(r",\s+(?:who|which|whose)\b[^,;]{1,120},")
_UNCLOSED = re.compile(r"[“\"]([^”\"]*)$")
_TRAILING = re.compile(
    r",[”\"’]?\s+(?:underscoring|highlighting|marking|adding|saying|citing|signalling|signaling|raising|noting|prompting|"
    r"leaving|making|bringing|sparking|following|amid|after|as)\b[^;]*$"
)
_KEEP = re.compile(r"\b(?:unless|if|may|might|could|would|not|never|no|said|says|told|according)\b", re.I)


def compress(sentence: str) -> str:
    """``sentence`` without its dateline, parentheses, non-restrictive relative clauses and trailing participle
    clause, unless the part to cut holds a hedge, condition, negation or attribution."""
    text = _DATELINE.sub("", sentence.strip())
    text = _PARENS.sub("", text)
    for pattern in (_RELATIVE, _TRAILING):
        m = pattern.search(text)
        if m is not None and not _KEEP.search(m.group()):
            text = text[: m.start()] + text[m.end() :]
    text = " ".join(text.split()).rstrip(" ,;:")
    if _UNCLOSED.search(text):
        text += "”"  # the cut fell after a closing comma: close the quotation it opened
    if text and text[-1] not in '.!?"”':
        text += "."
    return text[:1].upper() + text[1:]
