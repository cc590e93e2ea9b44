"""Characters that hide or disguise text: invisible ones out, look-alike letters inside Latin words folded to Latin.

A page can write "sum\u200bmary" or "summаry" (a Cyrillic а) so that a filter reading words misses it while a model
reads it fine. Real text never mixes scripts inside one word, so only such words are folded; Russian or Greek words
stay as they are. The look-alike table is Unicode's confusables list (confusable_homoglyphs).
"""

from __future__ import annotations

import re
import unicodedata

from confusable_homoglyphs import categories, confusables

#: Zero-width and formatting characters (soft hyphen, ZWSP/ZWNJ/ZWJ, direction marks and overrides, word joiners,
#: BOMs, tag characters): invisible on a page, so nothing a reader sees.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff\U000e0000-\U000e007f]")
# Full-width letters and mathematical alphanumerics are compatibility forms of plain ones (NFKC folds them); other
# compatibility forms ("½", "m²", "…") are left alone, since they are how the article writes its figures.
_COMPAT = re.compile("[\uff01-\uff5e\U0001d400-\U0001d7ff]+")
_LOOKALIKE_SCRIPT = re.compile("[\u0370-\u03ff\u0400-\u052f\u13a0-\u13ff\uab70-\uabbf]")
_WORD = re.compile(r"[^\W\d_]+")


def _latin(word: str) -> str:
    """A word mixing Latin with look-alike letters of another script, with those letters made Latin."""
    if not _LOOKALIKE_SCRIPT.search(word) or "LATIN" not in categories.unique_aliases(word):
        return word
    found = confusables.is_confusable(word, greedy=True, preferred_aliases=["latin"]) or []
    table = {}
    for item in found:
        latin = [h["c"] for h in item["homoglyphs"] if h["n"].startswith("LATIN") and len(h["c"]) == 1]
        if latin:
            table[item["character"]] = latin[0]
    return "".join(table.get(ch, ch) for ch in word)


def fold(text: str) -> str:
    """The text without invisible characters, with full-width letters plain and look-alike letters in Latin words
    made Latin."""
    text = INVISIBLE.sub("", text)
    text = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    if _LOOKALIKE_SCRIPT.search(text):
        text = _WORD.sub(lambda m: _latin(m.group()), text)
    return text
