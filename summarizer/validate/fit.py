"""How well a source figure fits the context of an output figure, and the rivals that overrule it.

A source number with the same value is scored by how well its context and sentence match the output's (words
weighted by rarity in the source); the best one (a matching head earns a bonus) is the candidate support.

Rivals
    A *rival* — a different-valued source number of the same sort (an age for an age, a count for a count, money
    in a compatible currency, a decade for a decade) — overrules it, and the number is unsupported, when

    * it fits the output context clearly better (by MARGIN, fit at least MIN_COMPETITOR), or, in the same source
      sentence, its local fit is at least 0.5 and better by MARGIN;
    * the candidate hardly fits at all (below LOW_FIT) while the rival fits at least LOW_FIT_RIVAL (not for
      ages: "The 60-year-old ..." refers back and has no context of its own);
    * for plain counts, in another sentence: the candidate quantifies a different noun and the rival quantifies
      the output's noun at no worse overall fit ("Some 53 pukao" when the source has "53 of the statues" and
      "an estimated 100 pukao");
    * the output gives a name's age ("Abbie Conman, 17,") and the source gives that name another age;
    * in best's own sentence, best has no neighbouring word in the output context at all and the rival has some
      (MIN_LOCAL_SAME): "Net migration at 210,000" for "migration ... was 298,000, a rise on the 210,000 figure";
    * the output writes a measure as a modifier of a noun ("a new three-year deal"), best is a span of time
      ("three years after ..."), and the rival is that measure as a modifier ("a new five-year contract").

    A rival never overrules when its value is stated elsewhere in the same output sentence (it is accounted for),
    nor, when best counts a part of a set ("Three of the alleged attackers were killed"), when it is the larger set
    ("four militants who crossed") and lacks a word the output shares with best ("killed three militants"),
    or when the candidate's sentence shares more of the output sentence's other figures than the rival's does
    ("ranked 302 ... from 285 in 2014"). An age never supports a count of things, nor the reverse ("26
    timepieces" is not "the 26 year old"). The Keefe case: "92-year-old telephone operator" when the source says
    she was a 19-year-old telephone operator and died at 92 is unsupported. Evidence spans cited by the model
    (``aligned``) raise the score of their sentences but never replace the whole-source search.
"""

from __future__ import annotations

import math
import re

from summarizer.validate.context import Ctx, Source, Text, number_group, number_values, value_token
from summarizer.validate.numbers import MEASURE_WORDS, Number
from summarizer.validate.words import split, stem

__all__ = [
    "GENERAL_NOUNS",
    "HEAD_BONUS",
    "HINT_BONUS",
    "LOW_FIT",
    "LOW_FIT_RIVAL",
    "MARGIN",
    "MIN_COMPETITOR",
    "MIN_LOCAL_SAME",
    "NEIGHBOR",
    "W_LOCAL",
    "W_SENT",
    "aligned_sentences",
    "bare_money",
    "currency_ok",
    "fit",
    "fit_parts",
    "head_fit",
    "is_partitive",
    "other_casualties",
    "other_generation",
    "rival",
    "role_ok",
    "same_quantity",
    "same_value",
    "unrelated",
]

#: Weights of the local-context fit, the sentence fit and a cited sentence in a number's fit.
W_LOCAL, W_SENT, HINT_BONUS = 0.8, 0.2, 0.15
#: The weight of each word right next to a figure (function words included) in the local fit.
NEIGHBOR = 1.0
#: How much better (0..1) a different-valued source number must fit the context to overrule presence.
MARGIN = 0.25
#: The least fit a competing number needs before it can overrule presence.
MIN_COMPETITOR = 0.2
#: A same-valued source number fitting the context worse than this is overruled by a rival fitting at least
#: LOW_FIT_RIVAL (the figure is present, but only somewhere unrelated).
LOW_FIT, LOW_FIT_RIVAL = 0.12, 0.3
#: Bonus to a same-valued source number that quantifies the same noun, when picking the best one.
HEAD_BONUS = 0.3
#: A rival in best's own sentence overrules a best with no local fit at all when its local fit reaches this.
MIN_LOCAL_SAME = 0.1


def _slots_compete(a: str, b: str) -> bool:
    """True when figures of slots ``a`` and ``b`` can rival each other (an age and a count can)."""
    return a == b or {a, b} == {"age", "count"}


def currency_ok(a: Number, b: Number) -> bool:
    """True when two sums of money may be in one currency ("$" stands for any dollar)."""
    ca, cb = a.currency, b.currency
    if ca is None or cb is None or ca == cb:
        return True
    dollars = {"$", "USD", "AUD", "CAD"}
    return ca in dollars and cb in dollars and "$" in (ca, cb)


def same_value(a: float, b: float) -> bool:
    """True when two values are equal up to float error."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def same_quantity(o: Number, s: Number, value: float) -> bool:
    """True when source number ``s`` states the output value ``value`` as the same sort of quantity."""
    go, gs = number_group(o), number_group(s)
    if go == "plain" and gs == "money" and o.kind == "count":
        return any(same_value(value, v) for v in number_values(s))  # see bare_money: the caller tests the context
    if go == "date":
        if gs != "date" or s.month != o.month:
            return False
        if o.value and s.value and not same_value(o.value, s.value):
            return False
        if o.value and not s.value:
            return False
        return o.year is None or s.year is None or s.year == o.year
    if go != gs:
        return False
    if go == "money" and not currency_ok(o, s):
        return False
    if o.kind == "quantity" and s.kind == "quantity" and o.unit != s.unit:
        return False
    # An age is not a duration or a year: "17-year-old" is not supported by "a 17-year hobby".
    if {o.kind, s.kind} & {"age"} and {o.kind, s.kind} & {"quantity", "year", "decade"}:
        return False
    return any(same_value(value, v) for v in number_values(s))


def fit(o: Ctx, out: Text, s: Ctx, src: Source, hinted: frozenset[int]) -> float:
    """How well source number ``s`` sits in the context of output number ``o``, from 0 to about 1.2."""
    local, sent, hint = fit_parts(o, out, s, src, hinted)
    return W_LOCAL * local + W_SENT * sent + (HINT_BONUS if hint else 0.0)


def fit_parts(o: Ctx, out: Text, s: Ctx, src: Source, hinted: frozenset[int]) -> tuple[float, float, bool]:
    """The local-context fit, the sentence fit (each 0..1) and whether the model cited the source sentence."""
    idf, unk = src.idf, src.unknown_idf
    num = den = 0.0
    for w, wo in o.near.items():
        weight = (NEIGHBOR if w[0] in "<>" else idf.get(w, unk)) * wo
        den += weight
        ws = s.near.get(w)
        if ws is not None:
            num += weight * ws
    local = num / den if den else 0.0
    key = (o.sent, value_token(o.num), s.sent)
    sent = out.fits.get(key)
    if sent is None:
        # The same for every source figure of one source sentence: rivals are scored many times per figure.
        ow = out.sent_words[o.sent] - {key[1]}
        sden = math.fsum(idf.get(w, unk) for w in ow)
        sent = math.fsum(idf.get(w, unk) for w in ow & src.sent_words[s.sent]) / sden if sden else 0.0
        out.fits[key] = sent
    return local, sent, s.sent in hinted


def unrelated(o: Ctx, out: Text, s: Ctx, src: Source, hinted: frozenset[int]) -> bool:
    """A date belongs to an event: when the source sentence holding it shares no word with the output sentence
    and hardly any with the words around it, it dates something else ("his death on April 12" for "arrested by
    police on April 12")."""
    local, sent, hint = fit_parts(o, out, s, src, hinted)
    if hint or sent > 0.0 or local >= LOW_FIT:
        return False
    mine = out.sent_words[o.sent]
    if _kin(mine, src.sent_words[s.sent]):
        return False
    # A sentence whose subject refers back ("The race is scheduled for November 18", "It opened on May 2") dates
    # what the sentences before it name: their words count too.
    a, b = src.sents[s.sent]
    if _ANAPHORIC.match(src.text, a, b):
        before = src.sent_words[max(0, s.sent - 2) : s.sent]
        if any(w[0] != "#" for words in before for w in mine & words):
            return False
    return True


# A sentence opening on a pronoun or a bare definite noun phrase ("The race is …"): its subject is named before it.
_ANAPHORIC = re.compile(
    r"\s*[\"“]?(?:It|This|That|These|Those|They|He|She|The\s+[a-z]+\s+(?:is|was|will|has|had|are|were))\b"
)


def _kin(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two sentences share a word root: a word of six letters or more begun by the same six letters
    ("announced" and "announcement", "scheduled" and "schedule"), which a light stemmer leaves apart."""
    roots = {w[:6] for w in a if len(w) >= 6 and w[0] != "#"}
    return any(w[:6] in roots for w in b if len(w) >= 6 and w[0] != "#")


def rival(o: Ctx, out: Text, src: Source, value: float, best: Ctx, hinted: frozenset[int]) -> Ctx | None:
    """A different-valued source number of the same sort that fits the output context clearly better than ``best``.

    It overrules ``best`` when its fit is at least MIN_COMPETITOR and exceeds best's by MARGIN, or when both stand
    in the same source sentence and its local fit (the words next to the figure) exceeds best's by MARGIN.
    """
    n = o.num
    slot = o.slot
    b_local, b_sent, b_hint = fit_parts(o, out, best, src, hinted)
    b_fit = W_LOCAL * b_local + W_SENT * b_sent + (HINT_BONUS if b_hint else 0.0)
    # Values the output sentence states itself: a source figure with one of those values is accounted for.
    others = [v for x in out.nums if x.sent == o.sent and x is not o for v in x.values]
    # Other figures of the output sentence standing in best's source sentence: strong evidence for best.
    figures = {w for w in out.sent_words[o.sent] if w[0] == "#"} - {value_token(n)}
    # An output sentence often fuses two adjacent source sentences ("25,000 contracted Ebola, with over 10,000
    # deaths"): best's neighbours count too.
    b_shared = len(figures & _around(src, best.sent))
    # Only for plain counts: for a measure ("40-tonne truck") the unit names the quantity, and the noun after it is
    # often a variant word for the same thing ("rig"). A general noun ("100 people", "200 others") names any more
    # specific one ("100 passengers"), on either side ("three people" for "the three spectators"): no miss then.
    head_miss = (
        slot == "count" and bool(o.head and best.head and not o.head & best.head)
        and not (best.head | o.head) & GENERAL_NOUNS
    )  # fmt: skip
    # An age found as an age, or as a bare figure that counts nothing ("He was 59."), is rivalled by ages only.
    age_matched = n.kind == "age" and (best.num.kind == "age" or (best.num.kind == "count" and not best.head))
    ent_miss = bool(o.ent and not o.ent & best.ent)
    # "the five airlines" found as "the five airlines analyzed": the noun says what the figure counts, so only a
    # figure counting that noun can rival it ("a score (86)" in a sentence that fits better cannot).
    counts_same = slot == "count" and bool(o.head) and o.head <= best.head
    # "a new three-year deal": a measure written as a modifier describes its noun; "three years after" does not.
    modifier = (
        n.kind == "quantity" and bool(o.head) and _is_modifier(n) and not _is_modifier(best.num)
        and not _post_modifies(best, o, src) and _DISTANCE_AFTER.match(src.text, best.num.end) is not None
    )  # fmt: skip
    # "Three of the alleged attackers were killed": a part of a set, with what befell it. The output says it of
    # the part when it shares a word next to best that a rival's sentence lacks ("killed three militants"); the
    # set's own size ("four militants who crossed") does not overrule it.
    own = {w for w in o.near if w[0] not in "<>#" and w in best.near} if is_partitive(best, src) else set()
    winner: tuple[float, Ctx] | None = None
    for c in src.nums:
        if c.num.kind == "range" or not _slots_compete(slot, c.slot) or not role_ok(o, c):
            continue  # "died at 59" is not rivalled by "the six films": an age is not a count of things
        if age_matched and c.num.kind != "age":
            continue  # "a 65-year-old grandmother" found as "the 65-year-old": only another age can rival it
        if counts_same and not o.head & c.head:
            continue
        if n.kind == "age" and o.head and not o.ent and c.ent:
            continue  # "his 2-year-old daughter" is not the age of "Mahesh Koiraba, 31,": another person's age
        # Outside dates, _same_quantity is this value test again (after its sort tests): skip the call.
        if any(same_value(value, v) for v in c.values) or (o.group == "date" and same_quantity(n, c.num, value)):
            continue
        if slot == "money" and not currency_ok(n, c.num):
            continue
        if any(same_value(v, x) for v in c.values for x in others):
            continue
        if own and c.sent != best.sent and c.num.value > value and _lacks(src.sent_words[c.sent], own):
            continue  # the whole set ("four militants") of best's part ("three of the attackers were killed")
        local, sent, hint = fit_parts(o, out, c, src, hinted)
        fit = W_LOCAL * local + W_SENT * sent + (HINT_BONUS if hint else 0.0)
        better = fit >= MIN_COMPETITOR and fit > b_fit + MARGIN
        if not better and c.sent == best.sent:
            # In one sentence the words next to each figure tell them apart; when none of best's neighbours is in
            # the output ("Net migration at 210,000" for "migration ... was 298,000, a rise on the 210,000
            # figure"), any of the rival's will do.
            better = (local >= 0.5 and local > b_local + MARGIN) or (b_local == 0.0 and local >= MIN_LOCAL_SAME)
        if not better and slot != "age" and fit >= LOW_FIT_RIVAL and b_fit < LOW_FIT:
            # Not for ages: "The 60-year-old ..." refers back to a person, with no context of its own.
            better = True
        if not better and head_miss and c.sent != best.sent and fit >= b_fit and o.head & c.head:
            better = True  # "53 pukao": best counts something else ("53 of the statues"), c counts pukao
        if not better and modifier and _is_modifier(c.num) and local > 0:
            better = True  # best is a span of time ("three years after"), c the same measure as a modifier
        if not better and ent_miss and o.ent & c.ent:
            better = True  # "Abbie Conman, 17,": the source gives Abbie another age
        if better and b_shared and c.sent != best.sent and len(figures & src.sent_words[c.sent]) < b_shared:
            better = False
        if better and (winner is None or fit > winner[0]):
            winner = (fit, c)
    return winner[1] if winner else None


#: Nouns general enough to name what any count of persons or things counts: "100 people" are "100 passengers".
GENERAL_NOUNS = frozenset(stem(w) for w in split("people persons individuals others ones"))


def _lacks(words: frozenset[str], wanted: set[str]) -> bool:
    """True when some wanted word has no word of the same root among ``words`` ("Israeli" has "Israel")."""
    roots = {w[:6] for w in words}
    return any(w[:6] not in roots for w in wanted)


def is_partitive(c: Ctx, src: Source) -> bool:
    """True when a source count counts a part of a set: "three of the attackers", "two of them"."""
    return c.slot == "count" and _PARTITIVE.match(src.text, c.num.end) is not None  # "7 per cent of them": a share


_PARTITIVE = re.compile(r"\s+of\s+(?:the|these|those|them|its|their|his|her|our)\b", re.I)


def _post_modifies(best: Ctx, o: Ctx, src: Source) -> bool:
    """True when source figure ``best`` follows "<noun> of" for a noun the output measure modifies: "a sentence of
    24 months" describes the sentence as "a 24-month sentence" does."""
    m = _OF_BEFORE.search(src.text, max(0, best.num.start - 40), best.num.start)
    return m is not None and stem(m.group(1)) in o.head


# A span of time that tells how far apart two events are ("three years after", "two weeks later"), not how long
# something lasts ("completed in 26 days"): the only reading a measure written as a modifier can be rivalled from.
_DISTANCE_AFTER = re.compile(r"(?:\s+[a-z]+)?\s+(?:after|ago|before|later|earlier|since|on|into)\b")
_OF_BEFORE = re.compile(r"([A-Za-z]+)\s+of\s+(?:about\s+|up\s+to\s+|nearly\s+|almost\s+)?$")


def _around(src: Source, sent: int) -> frozenset[str]:
    """The words (and figure tokens) of a source sentence and its two neighbours."""
    words = src.sent_words
    return words[sent].union(*words[max(0, sent - 1) : sent], *words[sent + 1 : sent + 2])


def _is_modifier(n: Number) -> bool:
    """A measure written as a compound modifier: "30-day", "five-year"."""
    return n.kind == "quantity" and "-" in n.text


def head_fit(o: Ctx, s: Ctx) -> float | None:
    """The share of the output number's head words that the source number's head repeats (None: no heads)."""
    if not o.head or not s.head:
        return None
    return len(o.head & s.head) / len(o.head)


def other_casualties(o: Ctx, s: Ctx) -> bool:
    """True when one figure counts the dead and the other the injured: a toll of one is never the other's ("nearly
    700 injured" is not "648 killed")."""
    if not o.head or not s.head:
        return False
    return bool(
        (o.head & _DEAD and s.head & _HURT and not s.head & _DEAD)
        or (o.head & _HURT and s.head & _DEAD and not s.head & _HURT)
    )


def other_generation(o: Ctx, s: Ctx) -> bool:
    """True when the two figures count the offspring of kin of different generations: "a mother of two" counts
    children, "a grandmother of two" grandchildren."""
    mine, theirs = _kin_generation(o), _kin_generation(s)
    return mine is not None and theirs is not None and mine != theirs


def _kin_generation(c: Ctx) -> int | None:
    """How many generations down "<kin> of N" counts ("mother of two": 1, "grandmother of two": 2), or None."""
    if c.near.get("<of") != 1.0:
        return None
    return next((g for w, g in _KIN.items() if c.near.get("<" + w) == 0.5), None)


_KIN = {
    stem(w): g
    for words, g in (
        ("mother father mom mum dad parent", 1),
        # "great-grandmother" is read as "grandmother": only the two words before "of" are at hand.
        ("grandmother grandfather grandma grandpa granny grandparent", 2),
    )
    for w in split(words)
}


_DEAD = frozenset(stem(w) for w in split("killed dead deaths died fatalities bodies lives"))
_HURT = frozenset(stem(w) for w in split("injured wounded hurt injuries wounds"))


def bare_money(o: Ctx, s: Ctx) -> bool:
    """A bare figure that counts nothing ("fined 110 and", "costing 30,000 between") may be a sum of money whose
    currency sign the output dropped or lost in encoding (CNN/DM writes "#" for "£"): the same figure as money."""
    if s.group != "money" or o.num.kind != "count" or o.num.currency is not None:
        return False
    return not o.head or bool(o.head & _MONEY_NOUNS)


# Nouns a sum of money is named by: "£85 costs", "a £20 victim surcharge".
_MONEY_NOUNS = frozenset(
    stem(w)
    for w in split(
        "cost costs fine fines fee fees bill price salary wage wages bonus compensation damages payment payout "
        "pension rent tax surcharge levy donation reward ransom"
    )
)


def role_ok(o: Ctx, s: Ctx) -> bool:
    """An age is not a count of things: "26 watches" is not supported by "the 26-year-old", nor the reverse; nor is a
    measure: "seven minutes" is not "seven shots"."""
    for a, b in ((o, s), (s, o)):
        if a.num.kind == "count" and a.head and b.num.kind == "age":
            return False
        if b.num.kind == "quantity" and _counts_things(a):
            return False
    return True


# Words after a figure that make it a measure where the reader, not knowing the unit or its position, reads a
# count: "four nights alone", "eight agonizing months", "40 centimetre-long".
_MEASURE_STEMS = frozenset(
    stem(w) for w in (*MEASURE_WORDS, "night", "nights", "centimetre", "centimetres", "centimeter", "centimeters",
                      "millimetre", "millimetres", "millimeter", "millimeters")
)  # fmt: skip


def _counts_things(c: Ctx) -> bool:
    """True when a figure counts named things ("seven shots"), not a measure ("seven minutes", "eight agonizing
    months": a unit among the two words after it)."""
    if c.num.kind != "count" or not c.head:
        return False
    return not any(w[0] == ">" and w[1:] in _MEASURE_STEMS for w in c.near)


def aligned_sentences(o: Ctx, out: Text, src: Source, k: int) -> list[int]:
    """The ``k`` source sentences sharing the most (idf-weighted) words with the output figure's sentence."""
    ow = out.sent_words[o.sent]
    if not ow:
        return []
    idf, unk = src.idf, src.unknown_idf
    scores = sorted(
        ((math.fsum(idf.get(w, unk) for w in ow & sw), i) for i, sw in enumerate(src.sent_words)), key=lambda t: -t[0]
    )
    return [i for sc, i in scores[:k] if sc > 0]
