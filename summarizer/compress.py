"""A deterministic short form of a source sentence that keeps what it commits to: hedges, conditions, negation and
who said it. The fallback for a headline line the model wrote unfaithfully (see checks.repair_headlines).

Only material a reader can drop without changing the claim goes: the dateline ("PARIS (AP) —"), parentheses, a
non-restrictive relative clause set off by commas (", who …,"), and a trailing participle clause (", underscoring
…"). Conditions ("unless …", "if …") and attributions ("…, Rubio said") are never cut.
"""

from __future__ import annotations

import re

__all__ = ["compress", "headline"]

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


# "U.S. Secretary of State Marco Rubio", "Kremlin spokesman Dmitry Peskov", "President Donald Trump": a role written
# before a full name. A headline names the person by surname.
_ROLE = (
    r"(?:President|Vice President|Prime Minister|Minister|Secretary|Chancellor|Governor|Mayor|Senator|"
    r"Representative|Rep\.|Sen\.|Gov\.|spokesman|spokeswoman|spokesperson|chief|director|Director|Chief|"
    r"Ambassador|General|Gen\.|Judge|Prosecutor|prosecutor|Commissioner|Police Chief)"
)
_ROLED_NAME = re.compile(
    rf"(?:(?:[A-Z][\w.’'-]*|of|the|for)\s+){{0,5}}?{_ROLE}(?:\s+(?:of|for)(?:\s+[A-Z][\w.’'-]*){{1,3}}?)?"
    r"(?:\s+[A-Z][a-z’'-]+)?(?:\s+[A-Z]\.)?\s+(?P<surname>[A-Z][a-z’'-]+)\b(?!\s+(?:of|for)\b)"
)
# "announces that", "said on Friday that": a headline says "says".
_SAYS_THAT = re.compile(
    r"\b(?:announce[sd]?|sa(?:ys|id)|warn(?:s|ed)?|state[sd]?|declare[sd]?)(?:\s+on\s+\w+)?\s+that\b"
)


def headline(line: str) -> str:
    """``line`` as a headline: a role before a full name cut to the surname ("U.S. Secretary of State Marco Rubio"
    → "Rubio"), "announces that" → "says", no full stop; hedges, conditions, negations and attributions stay."""
    text = _ROLED_NAME.sub(lambda m: m.group("surname"), line, count=1)
    text = _SAYS_THAT.sub("says", text, count=1)
    return " ".join(text.split()).rstrip(" .")
