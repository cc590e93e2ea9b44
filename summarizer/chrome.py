"""Page chrome in pasted plain text, line by line: what a copied web page carries besides its story.

Video players and captions with running times ("Watch: ... 0:45"), photo credits ("(Julien de Rosa, Pool via AP)"),
share bars, newsletter sign-up boxes, related-link headlines (often in capitals), slugs and bylines, rating widgets,
the site's own summary box. Each rule below looks at one line (and, for a few, at its neighbours and its position)
and names what the line is; a line no rule names is kept. A line that reads as a sentence of reporting is kept
unless a rule says it is a caption or a sign-up box, whose sentences are not the story's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Removed:
    """A line taken out of the article: its number (0-based, in the input), its text and what it was."""

    line: int
    text: str
    reason: str


# Sentence-ending punctuation, closing quotes and brackets included.
_SENTENCE_END = re.compile(r"[.!?…。！？][\"”’)\]」』]*\s*$")
_CJK = re.compile("[\u3040-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")

# Whole lines that are navigation, widgets or labels (as in seed 000 and most news sites).
_LABEL_LINES = [
    r"(previous|next) (article|post|story)",
    r"(latest|related|trending|top|more|recommended|popular|most read|most popular) (news|stories|articles|posts|"
    r"videos|reads)",
    r"(you may|you might) also (like|be interested in)",
    r"more (on|from) [\w .'&-]{1,40}",
    r"menu|home|search|close|open|back to top|skip to (main )?content|skip ad|ad feedback|advertisement|sponsored",
    r"(share|share this( article| story)?|share on \w+|tweet|email|print|comments?|save|gift this article)",
    r"(subscribe|sign up|sign in|log ?in|log ?out|register)( now| today| for free)?!?",
    r"show on website:.*|document date:.*|category:.*|categories:.*|tags?:.*|topics?:.*|filed under:?.*",
    r"(read|continue reading|see|watch|listen)( more| also| here| now| full story)?(:.*)?",
    r"top story\w{0,12}",
    r"story continues below( advertisement)?|scroll to continue( with content)?|continue reading( below)?",
    r"now playing|up next|play video|watch video|video duration.*|duration:? \d{1,2}:\d{2}",
    r"(related|also read|read more|read also|see also|more|recommended):.*",
    r"\d+ min(ute)?s? read|comments? \(\d+\)|\d+ comments?|our standards:.*|listen to (this|the) article.*",
]
_LABEL = re.compile(r"^\s*(?:" + "|".join(_LABEL_LINES) + r")\s*$", re.I)

_RATING = re.compile(
    r"^\s*(how useful was this (article|post)\??|click on a star to rate it!?|rate this (article|story|post).*|"
    r"average rating [\d.]+ ?/ ?\d+\.? ?vote count: ?\d+|no votes so far!? be the first to rate this (article|post)\.?|"
    r"[★☆]{3,}.*|\(?\d+ votes?\)?|rating: ?[\d.]+ ?/ ?\d+.*)\s*$",
    re.I,
)
# "(Julien de Rosa, Pool via AP)", "(AP Photo/Evan Vucci)", "Photograph: Jane Doe/Reuters": who took the picture.
_AGENCIES = r"AP|Associated Press|Reuters|AFP|Getty(?: Images)?|EPA|Shutterstock|Bloomberg|Sipa|Xinhua|Anadolu|dpa"
_CREDIT_END = re.compile(
    rf"\((?=[^()]*\b(?:{_AGENCIES}|Photo|Pool|via|Images|Credit|Courtesy|File)\b)[^()]{{2,90}}\)\s*$", re.I
)
_CREDIT_START = re.compile(
    r"^\s*(?:photo|photograph|picture|image|image source|image caption|caption|credit|photo credit|file photo|"
    r"pictured|illustration|video)\s*[:,|]",
    re.I,
)
_CAPTION_START = re.compile(r"^\s*(?:in this (?:photo|image|picture|handout|file photo)|FILE\s*[-–—]|FILE PHOTO)\b")
# A video player's leftover: a title with its running time ("Rubio speaks in Paris 0:45", "02:13").
_RUNNING_TIME = re.compile(r"(?:^|\s)\d{1,2}:\d{2}(?::\d{2})?\s*$|^\s*\d{1,2}:\d{2}(?::\d{2})?\s(?!\s*[AaPp]\.?[Mm]\b)")
_SHARE_WORDS = frozenset(
    (
        "share",
        "facebook",
        "twitter",
        "x",
        "email",
        "e-mail",
        "print",
        "whatsapp",
        "linkedin",
        "reddit",
        "copy",
        "link",
        "pinterest",
        "telegram",
        "messenger",
        "flipboard",
        "comments",
        "comment",
        "save",
        "gift",
        "this",
        "article",
        "story",
        "on",
        "via",
        "mail",
        "sms",
        "bluesky",
        "threads",
    )
)
_NEWSLETTER = re.compile(
    r"\b(sign up|subscribe|newsletter|enter your email|email address|your inbox|by signing up|privacy policy|"
    r"terms of (?:use|service)|unsubscribe|get the latest|delivered to you|for subscribers)\b",
    re.I,
)
_YOU = re.compile(r"\b(you|your)\b|^\s*(sign up|subscribe|get|join|enter|don[’']t miss)\b", re.I)
_BYLINE = re.compile(
    r"^\s*(?:by|written by|reporting by|words by|story by)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})*(?:\s*[,|•·—–-]\s*[^.!?]{0,60})?\s*$"
    r"|^\s*(?:reporting|writing|editing|additional reporting) by\b.{0,160}$"
    r"|^\s*(?:updated|last updated|posted|published|first published)\s*:?\s+.{0,40}\d{1,2}:\d{2}.{0,30}$",
    re.I,
)
_RIGHTS = re.compile(
    r"^\s*(?:©|copyright\b)|\ball rights reserved\b|may not be published, broadcast, rewritten|"
    r"\bwe use cookies\b|\baccept (?:all )?cookies\b|\bcookie (?:policy|settings)\b",
    re.I,
)
_LINK = re.compile(
    r"^\s*(?:https?://|www\.)\S+\s*$|^\s*(?:click|tap) here\b"
    r"|^\s*[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|news|info|io|co\.uk)\s*$",
    re.I,
)
_FOLLOW = re.compile(r"^\s*(?:follow (?:us|@\w+|\w+ on)|@\w+\s*$|join (?:us|the conversation)|leave a comment)", re.I)
# "Headline/ Outlet/ CITY/ Author/ Edition/ text": an aggregator's slug, the standfirst riding on it.
_SLUG = re.compile(r"^(?:[^/\n]{2,120}/\s){3,}")
# The site's own summary box ("… – Quick Look", "Key Points") followed by bullet lines.
_BOX_HEAD = re.compile(
    r"^.{0,80}\b(quick look|key points|at a glance|highlights|key takeaways|in brief)\s*:?\s*$", re.I
)
_BULLET = re.compile(r"^\s*(?:[•●▪◦‣*-]|\d{1,2}[.)])\s+\S")
# A header after which a site lists links to other stories: the headlines that follow are links too.
_LINKS_HEAD = re.compile(
    r"^\s*(?:(?:latest|related|trending|top|more|recommended|popular|most read|most popular) (?:news|stories|"
    r"articles|posts|videos|reads)|more (?:on|from) [\w .'&-]{1,40}|(?:you may|you might) also (?:like|be "
    r"interested in)|(?:previous|next) (?:article|post|story)|related|read more|see also)\s*:?\s*$",
    re.I,
)


def reads_as_sentence(line: str) -> bool:
    """A line of reporting: it ends like a sentence and has lower-case words, as running text does."""
    if not _SENTENCE_END.search(line):
        return False
    if len(_CJK.findall(line)) >= 10:
        return True  # Chinese and Japanese have no letter case to read
    words = _WORD.findall(line)
    return len(words) >= 6 and sum(1 for w in words if w[0].islower()) >= 3


def is_headline(line: str) -> bool:
    """A short line that does not end like a sentence: a headline, label or link text."""
    stripped = line.strip()
    words = stripped.split()
    if not 0 < len(words) <= 20 or len(stripped) > 160 or _SENTENCE_END.search(stripped):
        return False
    # A line that holds a whole sentence ("… into the collapse. more") is reporting with link text after it.
    return _INNER_SENTENCE.search(stripped) is None


_INNER_SENTENCE = re.compile(r"[a-z0-9][.!?][\"”’)]?\s+\S")


def _in_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) >= 2 and len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def _label(line: str) -> str | None:
    """Navigation, widget labels, link prompts."""
    return "navigation or widget label" if _LABEL.match(line) else None


def _rating(line: str) -> str | None:
    """A rating widget ("How useful was this article?", "Average rating 0 / 5")."""
    return "rating widget" if _RATING.match(line) else None


def _caption(line: str) -> str | None:
    """A photo or video caption: a credit at its end or its start, "In this photo", a running time."""
    if _CREDIT_END.search(line) or _CREDIT_START.match(line) or _CAPTION_START.match(line):
        return "photo caption or credit"
    if _RUNNING_TIME.search(line) and not reads_as_sentence(line):
        return "video caption"
    return None


def _share(line: str) -> str | None:
    """A share bar: nothing but share words ("Share Facebook Twitter Email")."""
    words = [w.lower().strip("|•·:") for w in line.split()]
    words = [w for w in words if w]
    if words and len(words) <= 12 and all(w in _SHARE_WORDS for w in words) and not reads_as_sentence(line):
        return "share bar"
    return None


def _newsletter(line: str) -> str | None:
    """A sign-up box: newsletter words addressed to the reader (not a sentence that reports a subscription)."""
    if _NEWSLETTER.search(line) and (_YOU.search(line) or not reads_as_sentence(line)) and len(line.split()) <= 45:
        return "newsletter sign-up"
    return None


def _byline(line: str) -> str | None:
    """A byline or an update stamp ("By Jane Doe, Associated Press", "Updated 3:45 PM EDT")."""
    return "byline" if _BYLINE.match(line) else None


def _rights(line: str) -> str | None:
    """Copyright notices and cookie banners."""
    return "copyright or cookie notice" if _RIGHTS.search(line) and len(line.split()) <= 40 else None


def _link(line: str) -> str | None:
    """A bare address or a "click here" prompt; social follow prompts."""
    return "link" if _LINK.match(line) or _FOLLOW.match(line) else None


def _slug(line: str) -> str | None:
    """An aggregator's slug line ("Headline/ Outlet/ CITY/ Author/ ..."), with the standfirst on it."""
    return "slug and standfirst" if _SLUG.match(line) else None


_CRUMB = re.compile(r"^[^.!?]{1,40}(?:\s(?:\||›|»|>|/)\s[^.!?]{1,40}){2,}$")


def _breadcrumb(line: str) -> str | None:
    """A breadcrumb or section bar ("Home | World | Courts")."""
    return "navigation or widget label" if _CRUMB.match(line) and is_headline(line) else None


def _capitals(line: str) -> str | None:
    """A related-link headline in capitals ("RUSSIA RENEWS ATTACKS ON KHARKIV")."""
    return "headline in capitals" if _in_capitals(line) and is_headline(line) else None


#: Tried in order on every line; the first that names the line removes it.
RULES: list[Callable[[str], str | None]] = [
    _label,
    _rating,
    _caption,
    _share,
    _newsletter,
    _byline,
    _rights,
    _link,
    _slug,
    _breadcrumb,
    _capitals,
]


#: A line longer than this is a paragraph of the story, never chrome (captions and sign-up boxes are shorter).
MAX_CHROME_WORDS = 70


def find(text: str) -> list[Removed]:
    """The chrome lines of a plain-text article, each with what it is."""
    lines = text.splitlines()
    out: list[Removed] = []
    in_box = False
    in_links = False
    first = next((i for i, line in enumerate(lines) if line.strip()), -1)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if in_box:
            if _BULLET.match(line):
                out.append(Removed(i, stripped, "the site's own summary box"))
                continue
            in_box = False
        if _BOX_HEAD.match(line):
            out.append(Removed(i, stripped, "the site's own summary box"))
            in_box = True
            continue
        if len(stripped.split()) > MAX_CHROME_WORDS:
            in_links = False
            continue  # a paragraph (or a whole article on one line) is never chrome, whatever it ends with
        reason = next((r for rule in RULES if (r := rule(stripped))), None)
        if reason is None and in_links and is_headline(stripped):
            reason = "related-link headline"
        in_links = bool(_LINKS_HEAD.match(line)) or (in_links and reason is not None)
        if reason == "headline in capitals" and i == first:
            reason = None  # the article's own headline, set in capitals
        if reason:
            out.append(Removed(i, stripped, reason))
    out += _standfirst(lines, {r.line for r in out})
    return sorted(out + _trailing(lines, {r.line for r in out}), key=lambda r: r.line)


def _standfirst(lines: list[str], removed: set[int]) -> list[Removed]:
    """The line under the headline that reads as a sentence but does not end as one: the site's standfirst."""
    kept = [i for i, line in enumerate(lines) if line.strip() and i not in removed]
    if len(kept) < 2 or not is_headline(lines[kept[0]]):
        return []
    after = kept[1]
    line = lines[after].strip()
    words = _WORD.findall(line)
    if is_headline(line) and len(words) >= 8 and sum(1 for w in words if w[0].islower()) >= 4:
        return [Removed(after, line, "standfirst")]
    return []


def _trailing(lines: list[str], removed: set[int]) -> list[Removed]:
    """Headline-like lines after the story's last sentence: links to other stories, footers."""
    out: list[Removed] = []
    for i in range(len(lines) - 1, -1, -1):
        stripped = lines[i].strip()
        if not stripped or i in removed:
            continue
        if not is_headline(stripped):
            return out[::-1]
        out.append(Removed(i, stripped, "related-link headline after the story"))
    return []  # no sentence before them: the lines are the text itself (a fragment, a list), not a footer


def summary(removed: list[Removed]) -> str:
    """One line for the cleaning record: how many lines of what kind, and where (1-based line numbers)."""
    counts = Counter(r.reason for r in removed)
    kinds = ", ".join(f"{n} {reason}" for reason, n in counts.most_common())
    lines = ", ".join(str(r.line + 1) for r in removed[:30]) + (" …" if len(removed) > 30 else "")
    return f"Removed {len(removed)} line(s) of page chrome before the model saw the article: {kinds} (lines {lines})."
