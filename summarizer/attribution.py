"""Who says what in an article, by rule: each sentence's speaker, by name and role, and the words attributed.

The small local model lists only one or two of an article's statements, and sometimes names a pronoun, a
possessive or an entity the sentence only mentions as the claimant. The speaker is read here from the sentence
itself ("Rubio told reporters", "said Kremlin spokesman Dmitry Peskov", "according to Mayor Ihor Terekhov"), with
"he said" resolved to the person the previous sentences name when they name one, and the role taken from where the
article introduces the person ("U.S. Secretary of State Marco Rubio").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from summarizer.sentences import Sentence, quote_in
from summarizer.validate.report import Span

_VERBS = (
    r"said|says|say|told|tells|added|adds|stated|states|warned|warns|confirmed|confirms|announced|announces|"
    r"acknowledged|acknowledges|insisted|insists|argued|argues|noted|notes|claimed|claims|declared|explained|urged|"
    r"vowed|wrote|writes|asked|replied|answered|denied|denies|alleged|alleges|testified|recalled|predicted|"
    r"cautioned|conceded|admitted|stressed|emphasized|emphasised|reported|posted|maintained|countered"
)
# After the verb comes the speaker only for verbs without a listener ("said Rubio"; "told reporters" is no speaker).
_VERBS_BEFORE_SPEAKER = (
    r"said|says|added|adds|wrote|writes|explained|noted|insisted|argued|stated|declared|recalled|warned|asked|"
    r"replied|continued"
)
_CONNECTORS = {"of", "de", "da", "van", "von", "bin", "al", "la", "le", "du", "der", "del", "y"}
#: Title nouns: a run of words ending in one of these before a name is the name's role.
TITLES = frozenset(
    (
        "president",
        "presidents",
        "vice",
        "vp",
        "secretary",
        "minister",
        "premier",
        "chancellor",
        "mayor",
        "governor",
        "senator",
        "sen.",
        "rep.",
        "representative",
        "congressman",
        "congresswoman",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "lawyer",
        "attorney",
        "prosecutor",
        "prosecutors",
        "judge",
        "justice",
        "ambassador",
        "envoy",
        "general",
        "gen.",
        "admiral",
        "commander",
        "chief",
        "director",
        "ceo",
        "chairman",
        "chairwoman",
        "chair",
        "head",
        "leader",
        "officer",
        "official",
        "adviser",
        "advisor",
        "analyst",
        "economist",
        "professor",
        "prof.",
        "dr.",
        "doctor",
        "mr.",
        "mrs.",
        "ms.",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "cardinal",
        "bishop",
        "rabbi",
        "imam",
        "pastor",
        "detective",
        "sheriff",
        "inspector",
        "commissioner",
        "superintendent",
        "sgt.",
        "sergeant",
        "capt.",
        "captain",
        "lt.",
        "lieutenant",
        "col.",
        "colonel",
        "coach",
        "manager",
        "founder",
        "executive",
        "speaker",
        "deputy",
        "counsel",
        "solicitor",
        "barrister",
        "researcher",
        "scientist",
        "correspondent",
        "editor",
        "historian",
        "secretary-general",
        "aide",
        "negotiator",
        "diplomat",
        "boss",
        "owner",
        "partner",
        "member",
        "mp",
        "officials",
        "sources",
        "authorities",
        "police",
        "witnesses",
        "residents",
        "experts",
        "analysts",
        "lawmakers",
        "diplomats",
        "investigators",
        "spokespeople",
        "photographer",
        "reporter",
        "writer",
        "singer",
        "actor",
        "actress",
        "artist",
        "musician",
        "teacher",
        "student",
        "nurse",
        "pilot",
        "resident",
        "witness",
        "survivor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "researchers",
        "scientists",
        "doctors",
        "economists",
        "campaigners",
        "activists",
        "protesters",
        "critics",
    )
)
#: Words that qualify a title ("Foreign Minister", "defence lawyer", "U.S. Treasury Secretary"), never a name.
_QUALIFIERS = frozenset(
    (
        "state",
        "foreign",
        "economy",
        "treasury",
        "defense",
        "defence",
        "interior",
        "justice",
        "finance",
        "health",
        "prime",
        "former",
        "deputy",
        "acting",
        "interim",
        "senior",
        "top",
        "lead",
        "chief",
        "assistant",
        "district",
        "federal",
        "crown",
        "press",
        "white",
        "house",
        "kremlin",
        "u.s.",
        "us",
        "uk",
        "u.k.",
        "un",
        "u.n.",
        "eu",
        "nato",
        "national",
        "security",
        "affairs",
        "public",
        "prosecution",
        "police",
        "military",
        "army",
        "union",
        "party",
        "opposition",
        "presidential",
        "parliamentary",
        "the",
        "a",
        "an",
        "energy",
        "trade",
        "education",
        "labor",
        "labour",
        "homeland",
        "environment",
        "agriculture",
        "transport",
        "communications",
        "culture",
        "sports",
        "general",
        "attorney-general",
        "minority",
        "majority",
        "republican",
        "democratic",
        "democrat",
        "conservative",
        "labour",
        "liberal",
        "green",
        "regional",
        "city",
        "county",
        "state's",
    )
)
_ROLE_WORDS = TITLES | _QUALIFIERS
_NOT_NAMES = frozenset(
    (
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "but",
        "and",
        "meanwhile",
        "however",
        "because",
        "it",
        "we",
        "i",
        "this",
        "that",
        "these",
        "those",
        "there",
        "then",
        "when",
        "while",
        "after",
        "before",
        "as",
        "if",
        "so",
        "also",
        "still",
        "yet",
        "now",
        "earlier",
        "later",
        "today",
        "yesterday",
        "tonight",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "reporters",
        "journalists",
        "for",
        "with",
        "to",
        "from",
        "by",
        "one",
        "two",
        "three",
        "some",
        "many",
        "others",
        "i",
        "i’ve",
        "i've",
        "we",
        "you",
        "both",
        "neither",
        "either",
        "each",
        "responding",
        "speaking",
        "asked",
        "despite",
        "amid",
        "according",
        "although",
        "though",
        "since",
        "last",
        "next",
    )
)
#: News outlets a sentence may cite; they report what others said, so they are never the claimant.
_OUTLET_NAMES = frozenset(
    n.strip()
    for n in [
        "ap",
        "associated press",
        "the associated press",
        "reuters",
        "afp",
        "cnn",
        "bbc",
        "nbc",
        "nbc news",
        "cbs",
        "cbs news",
        "abc",
        "abc news",
        "fox news",
        "npr",
        "bloomberg",
        "politico",
        "axios",
        "the new york times",
        "new york times",
        "the washington post",
        "washington post",
        "the guardian",
        "guardian",
        "al jazeera",
        "tass",
        "interfax",
        "ria novosti",
        "sky news",
        "daily mail",
        "the wall street journal",
        "wall street journal",
        "wsj",
        "newslooks",
        "xinhua",
        "kyodo",
        "yonhap",
        "dpa",
        "ansa",
        "efe",
        "le monde",
        "der spiegel",
        "cnbc",
        "msnbc",
        "usa today",
        "the telegraph",
        "the independent",
        "the times",
        "state media",
        "state television",
    ]
)
_ABBREVIATIONS = frozenset(
    [
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "gen.",
        "sen.",
        "rep.",
        "gov.",
        "lt.",
        "col.",
        "sgt.",
        "capt.",
        "st.",
        "jr.",
        "sr.",
        "prof.",
        "rev.",
        "hon.",
        "adm.",
        "maj.",
        "cpl.",
    ]
)
_HONORIFICS = frozenset(("mr", "mrs", "ms", "miss", "dr", "sir", "dame", "madam"))
#: Last words of a publication's name.
_OUTLET_WORDS = frozenset(
    (
        "daily",
        "times",
        "post",
        "news",
        "online",
        "herald",
        "journal",
        "telegraph",
        "gazette",
        "tribune",
        "agency",
        "television",
        "tv",
        "radio",
        "press",
        "media",
        "magazine",
        "broadcasting",
        "network",
        "channel",
    )
)
_TOKEN = re.compile(r"[A-Za-z][\w’'.-]*")
_PRONOUN_SUBJECT = re.compile(rf"\b(?P<p>he|she)\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+)?(?:{_VERBS})\b", re.I)
_WORD_RUN = re.compile(r"(?:[A-Za-z][\w’'.-]*)(?:[ \t]+[A-Za-z][\w’'.-]*)*")
_QUOTES = re.compile(r"[“\"][^“”\"]*[”\"]|“[^”]*$|‘(?:[^‘’]|’(?=[A-Za-z]))*(?:’(?![A-Za-z])|$)")


@dataclass(frozen=True)
class Person:
    """A person the article names: the fullest form of the name and the role it gives them, if any."""

    name: str
    role: str | None


@dataclass(frozen=True)
class Speaker:
    """The speaker of a sentence, or why none could be named (``person`` None and ``problem`` set)."""

    person: Person | None
    problem: str | None = None


@dataclass(frozen=True)
class Attributed:
    """A statement the article attributes to a named speaker: the quotation (if quoted) or the reported words."""

    speaker: str
    role: str | None
    quote: Span | None
    sentence: Sentence
    said: str = ""


def same_person(who: str, person: Person) -> bool:
    """True when the name ``who`` (as a model or a reader wrote it) shares a word with the person's name."""
    names = {w.lower().strip(".,’'") for w in person.name.split()}
    return bool(names & {w.lower().strip(".,’'") for w in who.replace("’s", "").replace("'s", "").split()})


def _clean_token(token: str) -> str:
    # "Terekhov." at a sentence end is "Terekhov"; initials and abbreviations keep their dots ("J.", "U.S.").
    if token.endswith(".") and not re.fullmatch(r"(?:[A-Za-z]\.)+", token) and token.lower() not in _ABBREVIATIONS:
        return token.rstrip(".")
    return token


def _possessive(token: str) -> bool:
    return token.endswith(("'s", "’s", "s'", "s’"))


def split_mention(words: list[str]) -> Person | None:
    """("U.S.", "Secretary", "of", "State", "Marco", "Rubio") -> Person("Marco Rubio", "U.S. Secretary of State").

    The name is the run of capitalised words at the end that are neither titles nor qualifiers; the words before
    it are a role when they hold a title. None when no name is left (a possessive, "Ukrainian officials").
    """
    words = [w for w in words if w]
    while words and words[0].lower() in _NOT_NAMES:
        words = words[1:]
    while words and (words[-1].lower() in _NOT_NAMES or words[-1].lower() in _CONNECTORS):
        words = words[:-1]
    if not words or any(_possessive(w) for w in words[-1:]):
        return None
    if len(words) >= 2 and words[-1].lower() in _OUTLET_WORDS:
        return None  # "People's Daily Online", "the Calder Herald": a publication
    k = len(words)
    while k > 0 and (
        (
            words[k - 1][0].isupper()
            and words[k - 1].lower() not in TITLES
            and words[k - 1].lower() not in _QUALIFIERS
            and not _possessive(words[k - 1])
        )
        or (words[k - 1].lower() in _CONNECTORS and k < len(words))
    ):
        k -= 1
    name, role_words = words[k:], words[:k]
    while name and name[0].lower() in _CONNECTORS:
        role_words, name = [*role_words, name[0]], name[1:]
    if not name:
        return None
    if not any(w.lower() in TITLES for w in role_words):
        if role_words and all(w[0].isupper() for w in role_words) and not any(_possessive(w) for w in role_words):
            name, role_words = role_words + name, []  # "Saudi Arabia": no title, so all of it is the name
        else:
            role_words = []
    full = " ".join(name)
    if full.lower() in _OUTLET_NAMES:
        return None
    role = re.sub(r"^(?:the|a|an)\s+", "", " ".join(role_words).strip(), flags=re.I)
    if role.lower().rstrip(".") in _HONORIFICS:
        role = ""  # "Mr Wang": a courtesy title, not a role
    return Person(full, role or None)


def _runs(text: str) -> list[tuple[int, list[int], list[str]]]:
    """Runs of words joined by spaces only (a comma, bracket, quote mark or full stop ends a run), with offsets."""
    out = []
    for m in _WORD_RUN.finditer(text):
        tokens: list[str] = []
        offsets: list[int] = []
        for t in re.finditer(r"\S+", m.group()):
            token = _clean_token(t.group())
            tokens.append(token)
            offsets.append(m.start() + t.start())
            if token != t.group():  # "Zelenskyy." ended a sentence: "Talks" after it starts another run
                out.append((offsets[0], offsets, tokens))
                tokens, offsets = [], []
        if tokens:
            out.append((offsets[0], offsets, tokens))
    return out


def _mentions(text: str) -> list[tuple[int, int, Person]]:
    """Every person-like mention in ``text``: the capitalised stretches of each run, split into role and name."""
    out = []
    for _start, offsets, tokens in _runs(text):
        i = 0
        while i < len(tokens):
            if not (tokens[i][0].isupper() or tokens[i].lower() in _ROLE_WORDS):
                i += 1
                continue
            j = i
            while j < len(tokens) and (
                tokens[j][0].isupper()
                or tokens[j].lower() in _ROLE_WORDS
                or (tokens[j].lower() in _CONNECTORS and j + 1 < len(tokens) and tokens[j + 1][0].isupper())
            ):
                j += 1
            person = split_mention(tokens[i:j]) if any(t[0].isupper() for t in tokens[i:j]) else None
            if person is not None:
                out.append((offsets[i], offsets[j - 1] + len(tokens[j - 1]), person))
            i = max(j, i + 1)
    return out


# ", the Kremlin spokesman," after a name, or a possessive's "’s": skipped to reach the verb.
_APPOSITION_TAIL = re.compile(r"^\s*,[^,.;“”\"]{1,80},")
_FULL_NAME = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}"
_APPOSITIVE = re.compile(
    rf"(?P<name>{_FULL_NAME}),\s+(?P<role>(?i:the|a|an)\s+[^,.;“”\"]{{3,60}}?),"
    rf"|\b(?P<role2>(?i:the|a|an)\s+[a-z][^,.;“”\"]{{2,50}}?),\s+(?P<name2>{_FULL_NAME}),"
)


class People:
    """The people an article names, so "Rubio" is known as Marco Rubio, U.S. Secretary of State."""

    def __init__(self, text: str) -> None:
        self.full: dict[str, Person] = {}
        mentions = _mentions(text)
        for _, _, p in mentions:
            if len(p.name.split()) < 2:
                continue
            known = self.full.get(p.name)
            if known is None or (p.role and (not known.role or len(p.role) > len(known.role))):
                self.full[p.name] = Person(p.name, p.role or (known.role if known else None))
        self.by_surname: dict[str, Person] = {}
        for p in self.full.values():
            self.by_surname.setdefault(p.name.split()[-1].lower(), p)
        self._roles = {p.name.split()[-1].lower(): p.role for _, _, p in mentions if p.role}
        # "Marc Olier, the defence lawyer," and "the defence lawyer, Marc Olier,": a role in commas
        for m in _APPOSITIVE.finditer(text):
            name, role = m.group("name") or m.group("name2"), _role_words(m.group("role") or m.group("role2"))
            person = self.full.get(name)
            if role and person is not None and not person.role:
                self.full[name] = Person(name, role)
                self.by_surname[name.split()[-1].lower()] = self.full[name]

    def known(self, person: Person) -> Person:
        """The fullest name and role the article gives the person ("Rubio" -> "Marco Rubio")."""
        surname = person.name.split()[-1].lower()
        found = self.full.get(person.name) or self.by_surname.get(surname)
        if found is None and " " not in person.name:
            # "Julia said": a first name the article gave in full once ("Julia Louis-Dreyfus")
            firsts = [p for p in self.full.values() if p.name.split()[0] == person.name]
            found = firsts[0] if len(firsts) == 1 else None
        if found is None:
            return Person(person.name, person.role or self._roles.get(surname))
        return Person(found.name, found.role or person.role or self._roles.get(surname))

    def subjects_in(self, text: str) -> list[Person]:
        """The people a sentence has as its subject: a name followed by a verb ("JD Vance expressed", "Marc
        Olier, the lawyer, said", "Olier and Vasseur met"), not one followed by a preposition or ending it."""
        found = [(a, b, p) for a, b, p in _mentions(text) if self._counts(p)]
        out: list[Person] = []
        for k, (_a, b, p) in enumerate(found):
            rest = _APPOSITION_TAIL.sub("", text[b:], count=1)
            compound = re.match(r"\s+and\s+", rest)
            if compound and k + 1 < len(found):
                rest = _APPOSITION_TAIL.sub("", text[found[k + 1][1] :], count=1)  # "Olier and Vasseur met"
            word = re.match(r"\s*,?\s*([a-z][a-z’'-]*)", rest)  # "..., Marc Olier, said": the name in commas
            if word and word.group(1) not in _FUNCTION_WORDS and word.group(1) not in _NOT_NAMES:
                known = self.known(p)
                if known.name not in [o.name for o in out]:
                    out.append(known)
        return out

    def _counts(self, p: Person) -> bool:
        return len(p.name.split()) >= 2 or bool(p.role) or p.name.lower() in self.by_surname

    def named_in(self, text: str) -> list[Person]:
        """The people a stretch of text names, in order, each once."""
        out: list[Person] = []
        for _, _, p in _mentions(text):
            if len(p.name.split()) < 2 and not p.role and p.name.lower() not in self.by_surname:
                continue  # "Russia", "Kyiv": a single capitalised word is a person only when the article says so
            k = self.known(p)
            if k.name not in [o.name for o in out]:
                out.append(k)
        return out


@lru_cache(maxsize=4)
def people_of(text: str) -> People:
    """The People of an article (kept for the last few texts: claims and quotations both read them)."""
    return People(text)


def _masked(sentence: str, quote: Span | None, offset: int) -> str:
    """The sentence with its quotations blanked (same length), so speakers are looked for outside them only."""
    text = _QUOTES.sub(lambda m: " " * len(m.group()), sentence)
    if quote is not None:
        a, b = max(0, quote.start - offset - 1), min(len(sentence), quote.end - offset + 1)
        text = text[:a] + " " * (b - a) + text[b:]
    return text


# Patterns anchored on the verb (found first, by one cheap scan), the speaker read from the words around it:
# a lazy run before every verb would backtrack over each long sentence.
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_VERB_FIRST = re.compile(rf"\b(?:{_VERBS_BEFORE_SPEAKER})\s+(?=[A-Z])")
_ACCORDING = re.compile(r"\baccording to\s+", re.I)
_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|previously|then|again|has|had|have|would|will|reportedly|recently|repeatedly|earlier|"
    r"once))+\s*$"
)
_BOUNDARY = re.compile(r"[,;:()“”\"]")
_WORDS_AFTER = re.compile(r"[A-Za-z][\w’'.-]*(?:[ \t]+[A-Za-z][\w’'.-]*){0,7}")


def _before(masked: str, at: int) -> tuple[str, str | None, int]:
    """The words before a verb at ``at``: (who, appositive, where who starts) — "Peskov, the spokesman, said"."""
    window_start = max(0, at - 200)
    head = _ADVERBS.sub("", masked[window_start:at]).rstrip()
    appos = None
    if head.endswith(","):
        inner = head[:-1]
        cut = max(inner.rfind(c) for c in ',;:()“”"')
        if cut >= 0 and inner[cut] == ",":
            appos, head = inner[cut + 1 :], inner[:cut]
    cut = max((m.end() for m in _BOUNDARY.finditer(head)), default=0)
    return head[cut:], appos, window_start + cut


def _named(who: str, people: People) -> Person | None:
    """The person a stretch of words ending at (or starting at) a speech verb names."""
    found = _mentions(who)
    if not found:
        return None
    start, end, person = found[-1]
    if re.search(r"\b(?:a|an|one|another|some|any)\s+$", who[:start], re.I):
        return None  # "one Eritrean told", "a West African said": someone unnamed
    after = who[end:].split()
    first = after[0].lower().strip(",.:") if after else ""
    if first[:1].islower() and first not in _FUNCTION_WORDS and not _VERB.fullmatch(first):
        return None  # "Ukrainian officials", "a West African migrant": an adjective of a group, not a name
    single = len(person.name.split()) < 2 and not person.role and person.name.lower() not in people.by_surname
    if single and (person.name.lower() in _NOT_NAMES or person.name.isupper()):
        return None
    return people.known(person)


_FUNCTION_WORDS = frozenset(
    [
        "on",
        "in",
        "at",
        "who",
        "which",
        "that",
        "and",
        "but",
        "as",
        "after",
        "before",
        "during",
        "when",
        "while",
        "to",
        "of",
        "for",
        "with",
        "from",
        "about",
        "last",
        "this",
        "yesterday",
        "today",
        "tonight",
        "earlier",
        "later",
        "also",
    ]
)


def _role_words(text: str) -> str | None:
    """A role written out ("the defence lawyer", "a spokesman for the ministry"), without its article."""
    words = text.split()
    if not words or len(words) > 10 or not any(w.lower().strip(".,") in TITLES for w in words):
        return None
    return re.sub(r"^(?:the|a|an)\s+", "", " ".join(words), flags=re.I)


def speaker(text: str, sents: list[Sentence], index: int, people: People) -> Speaker | None:
    """The speaker of ``sents[index]``: None when the sentence attributes nothing (an event, not a statement)."""
    sent = sents[index]
    quote = quote_in(text, sent)
    masked = _masked(sent.text, quote, sent.start)
    for m in _VERB_FIRST.finditer(masked):
        words = _WORDS_AFTER.match(masked, m.end())
        person = _named(" ".join(words.group().split()[:6]), people) if words else None
        if person is not None:
            return Speaker(person)
    cited = None
    for m in _ACCORDING.finditer(masked):
        words = _WORDS_AFTER.match(masked, m.end())
        who = words.group() if words else ""
        person = _named(who, people) if who else None
        if person is not None:
            return Speaker(person)
        cited = Speaker(None, f"the sentence cites {' '.join(who.split()[:4])!r}, not a named person")
    for m in _VERB.finditer(masked):
        who, appos, start = _before(masked, m.start())
        if not who.strip() and not appos:
            continue
        pronoun = re.search(r"\b(he|she)\s*$", who, re.I)
        if pronoun:
            return _resolve_pronoun(sents, index, people, sent.text[: start + pronoun.start()])
        person = _named(who, people) if who.strip() else None
        if person is None and appos:
            # "The defence lawyer, Marc Olier, said": the name in the commas, the role before them
            person = _named(appos, people)
            role = _role_words(who)
            if person is not None and role and not person.role:
                person = Person(person.name, role)
        elif person is not None and appos and not person.role and (role := _role_words(appos)):
            person = Person(person.name, role)  # "Peskov, the Kremlin spokesman, said"
        if person is not None:
            return Speaker(person)
    if quote is not None and sent.text.lstrip().startswith(("“", '"')) and index > 0:
        # A quotation that opens its sentence with no speaker continues the previous sentence's speaker.
        previous = speaker(text, sents, index - 1, people)
        if previous is not None and previous.person is not None and quote_in(text, sents[index - 1]) is not None:
            return previous
    return cited


def _resolve_pronoun(sents: list[Sentence], index: int, people: People, before: str) -> Speaker:
    """ "he said" is the person the nearest sentence before has as its subject, when there is exactly one.

    A sentence that only mentions people ("Giorgia Meloni in Rome.", the tail of a line broken after "Prime
    Minister") is passed over for one whose subject is a person; with no subject in reach, the nearest sentence
    naming exactly one person is taken.
    """
    contexts = [before, *(sents[i].text for i in range(index - 1, max(-1, index - 3), -1))]
    for pick in (people.subjects_in, people.named_in):
        for context in contexts:
            named = pick(context)
            if len(named) == 1:
                return Speaker(named[0])
            if len(named) > 1:
                names = ", ".join(p.name for p in named)
                return Speaker(None, f"'he/she' could be any of {names}")
    return Speaker(None, "'he/she' names no one the previous sentences name")


_LISTENER = r"(?:reporters|journalists|the \w+|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
_REPORTED = re.compile(
    rf"\b(?:{_VERBS})\s+(?:{_LISTENER}\s+)?that\s+(?P<that>.+)$"
    rf"|\b(?:said|says|added|told\s+(?:reporters|journalists|[A-Z][\w’'.-]*))\s+(?P<plain>(?!that\b).{{12,}})$",
)


def reported(sentence: str, masked: str) -> str | None:
    """The words a sentence reports without quote marks ("said (that) ...", "... , according to X")."""
    if m := _REPORTED.search(masked):
        group = "that" if m.group("that") else "plain"
        said = sentence[m.start(group) : m.end(group)].strip(" .")
        return said if len(said.split()) >= 4 else None
    if m := _ACCORDING.search(masked):
        said = sentence[: m.start()].strip(" ,.")
        return said if len(said.split()) >= 4 else None
    return None


def is_statement(quote: Span, sentence: Sentence) -> bool:
    """A quotation that is a statement: five words or more, or one that opens its sentence ("“We have a deal,”")."""
    words = len(quote.text.split())
    opens = sentence.text.lstrip()[:1] in ("“", '"') and quote.start - sentence.start <= 1 + len(sentence.text) - len(
        sentence.text.lstrip()
    )
    return words >= 5 or (opens and words >= 2)


def find(text: str, sents: list[Sentence], problems: list[str] | None = None) -> list[Attributed]:
    """Every statement the article attributes to a named speaker: quotations first (verbatim), then reported words.

    A statement whose "he said" cannot be resolved to one person is left out, with the reason in ``problems``.
    """
    people = people_of(text)
    quoted: list[Attributed] = []
    plain: list[Attributed] = []
    for i, sent in enumerate(sents):
        who = speaker(text, sents, i, people)
        if who is None:
            continue
        quote = quote_in(text, sent)
        statement = quote is not None and is_statement(quote, sent)
        said = None if statement else reported(sent.text, _masked(sent.text, quote, sent.start))
        if not statement and said is None:
            continue
        if who.person is None:
            if problems is not None and who.problem and "'he/she'" in who.problem:
                problems.append(f"Set aside a statement whose speaker is unclear ({who.problem}): {sent.text[:90]}")
            continue
        item = Attributed(who.person.name, who.person.role, quote if statement else None, sent, said or "")
        (quoted if statement else plain).append(item)
    return quoted + plain
