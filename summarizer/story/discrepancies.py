"""Discrepancies: the rule-based pass, the model's candidates checked and merged in, and reconciliation."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from summarizer.story.drafts import ConflictDraft, VersionDraft
from summarizer.story.facts import AGREEMENT, DONE, PENDING, Fact, key_words, read_facts
from summarizer.story.models import Discrepancy, Version
from summarizer.story.sources import PreparedSource, resolve_cite
from summarizer.story.words import WORD, stem_word
from summarizer.validate import read_numbers
from summarizer.validate.context import format_figure as _fmt_figure
from summarizer.validate.report import Span


def _common_words(sources: Sequence[PreparedSource]) -> frozenset[str]:
    """Words in more than a quarter of all sentences ("Ukraine", "U.S."): they do not tie two sentences together."""
    counts: dict[str, int] = {}
    total = 0
    for src in sources:
        for sent in src.prep.sentences:
            total += 1
            for w in key_words(sent.text):
                counts[w] = counts.get(w, 0) + 1
    return frozenset(w for w, c in counts.items() if c > max(2, total // 4))


def _version(f: Fact, sources: dict[str, PreparedSource]) -> Version:
    src = sources[f.source]
    return Version(
        source=f.source,
        says=f.phrase,
        value=f.value,
        span=Span(start=f.start, end=f.end, text=f.phrase),
        evidence=src.ref(f.sentence.span()),
    )


def _fmt(x: float | None) -> str:
    return "?" if x is None else _fmt_figure(x)


def _kind_label(kind: str) -> str:
    return {"killed": "people killed", "injured": "people injured", "percent": "percentage"}.get(
        kind, kind.replace("money:", "amount ") if kind.startswith("money:") else kind
    )


def _same_day(a: Fact, b: Fact) -> bool:
    return a.date is not None and a.date == b.date


def _compatible(a: Fact, b: Fact) -> bool:
    return not a.earlier and not b.earlier and (a.date is None or b.date is None or a.date == b.date)


def _sum_of_parts(total: Fact, parts: list[Fact]) -> list[Fact] | None:
    """The smallest set of 2-4 parts (one at least on the total's own day) that adds up to the total."""
    for size in range(2, min(4, len(parts)) + 1):
        for combo in itertools.combinations(parts, size):
            values = [p.value or 0.0 for p in combo]
            if abs(sum(values) - (total.value or 0.0)) < 1e-9 and any(_same_day(p, total) for p in combo):
                return list(combo)
    return None


def _figure_discrepancies(
    facts: list[Fact], sources: dict[str, PreparedSource], common: frozenset[str]
) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    used: set[int] = set()  # id() of facts already placed in a discrepancy
    figures = [f for f in facts if f.value is not None and not f.kind.startswith("status")]
    # 1. A total in one source that is the sum of another source's parts ("killing two people" = 1 + 1).
    for total in figures:
        if total.earlier:
            continue
        others = [f for f in figures if f.kind == total.kind and f.source != total.source and _compatible(f, total)]
        needs_words = total.kind not in ("killed", "injured")
        by_source: dict[str, list[Fact]] = {}
        for f in others:
            if needs_words and not (f.words & total.words) - common:
                continue
            by_source.setdefault(f.source, []).append(f)
        for letter, candidates in sorted(by_source.items()):
            if any(f.value == total.value for f in candidates):
                continue  # the other source states the same figure: they agree
            parts = _sum_of_parts(total, [f for f in candidates if (f.value or 0) < (total.value or 0)])
            if parts is None:
                continue
            sum_text = " + ".join(_fmt(p.value) for p in parts)
            when = f" on {total.date.isoformat()}" if total.date else ""
            out.append(
                Discrepancy(
                    topic=f"{_kind_label(total.kind)}{when}",
                    kind="figure",
                    versions=[_version(total, sources)] + [_version(p, sources) for p in parts],
                    reconcilable=True,
                    reconciliation=(
                        f"sum of parts: {letter} gives {sum_text} = {_fmt(total.value)}, "
                        f"the total {total.source} reports"
                    ),
                    found_by=["rules"],
                )
            )
            used.update({id(total), *(id(p) for p in parts)})
    # 2. Different figures of one kind in sentences about the same thing: casualty counts of the same day;
    #    percentages and money in sentences sharing two telling words ("Acme revenue rose 34%" / "... 31%").
    for a, b in itertools.combinations(figures, 2):
        if a.source == b.source or a.kind != b.kind or a.value == b.value or id(a) in used or id(b) in used:
            continue
        shared = (a.words & b.words) - common
        casualties = a.kind in ("killed", "injured")
        if not _compatible(a, b) or not shared or (casualties and not _same_day(a, b)):
            continue
        if not casualties and len(shared) < 2:
            continue
        if any(f.value == a.value for f in figures if f.source == b.source and f.kind == a.kind):
            continue  # b's source states a's figure too: a different event, not a different count
        close = abs((a.value or 0) - (b.value or 0)) <= 0.05 * max(abs(a.value or 0), abs(b.value or 0))
        out.append(
            Discrepancy(
                topic=_kind_label(a.kind) + (f" on {a.date.isoformat()}" if a.date else ""),
                kind="figure",
                versions=[_version(a, sources), _version(b, sources)],
                reconcilable=True if close else None,
                reconciliation="within 5%: rounding or an update" if close else None,
                found_by=["rules"],
            )
        )
        used.update({id(a), id(b)})
    return out


def _status_discrepancies(
    facts: list[Fact], sources: dict[str, PreparedSource], common: frozenset[str]
) -> list[Discrepancy]:
    """A deal signed/finalised in one source and only expected/proposed in another (sharing key words)."""
    out: list[Discrepancy] = []
    status = [f for f in facts if f.kind.startswith("status")]
    for pending in (f for f in status if f.kind == "status:pending"):
        done_elsewhere: dict[str, list[tuple[Fact, frozenset[str]]]] = {}
        for done in status:
            shared = (done.words & pending.words) - common
            if done.kind == "status:done" and done.source != pending.source and len(shared) >= 2:
                done_elsewhere.setdefault(done.source, []).append((done, shared))
        for letter, dones in sorted(done_elsewhere.items()):
            shared = frozenset().union(*(s for _, s in dones))
            topic = " ".join(_surface(w, pending.sentence.text) for w in sorted(shared, key=lambda w: (w == "deal", w)))
            # The pending source reporting a signed step too (the memorandum): the two describe different stages.
            steps = [
                f
                for f in status
                if f.kind == "status:done"
                and f.source == pending.source
                and any((f.words & d.words) - common for d, _ in dones)
            ]
            versions = [_version(d, sources) for d, _ in dones[:2]] + [_version(pending, sources)]
            out.append(
                Discrepancy(
                    topic=f"status of the {topic}",
                    kind="status",
                    versions=versions,
                    reconcilable=True if steps else None,
                    reconciliation=(
                        f"different stages: {pending.source} also reports a step done (“{steps[0].phrase}” "
                        f"[{pending.source}{steps[0].sentence.id}]) and expects the rest later; "
                        f"{letter} reports it done"
                    )
                    if steps
                    else None,
                    found_by=["rules"],
                )
            )
    return out


def _surface(stem: str, text: str) -> str:
    """The word of ``text`` a stem came from ("mineral" → "minerals"; "deal" → "agreement" when so written)."""
    for w in WORD.findall(text):
        w = str(w)
        s = stem_word(w)
        if s == stem or (stem == "deal" and s in AGREEMENT):
            return w.lower() if not w.isupper() else w
    return stem


def find_discrepancies(sources: Sequence[PreparedSource], facts: list[Fact] | None = None) -> list[Discrepancy]:
    """The rule-based discrepancy pass: no model involved."""
    facts = read_facts(sources) if facts is None else facts
    by_letter = {s.letter: s for s in sources}
    common = _common_words(sources)
    return _figure_discrepancies(facts, by_letter, common) + _status_discrepancies(facts, by_letter, common)


def _model_version(v: VersionDraft, sources: dict[str, PreparedSource]) -> Version | None:
    found = resolve_cite(v.cite, sources)
    if found is None:
        return None
    src, sent = found
    nums = [n for n in read_numbers(v.says) if n.kind in ("count", "money", "percent", "quantity")]
    at = src.text.find(v.says, sent.start, sent.end) if v.says else -1
    span = Span(start=at, end=at + len(v.says), text=v.says) if at >= 0 else None
    return Version(
        source=src.letter, says=v.says, value=nums[0].value if nums else None, span=span, evidence=src.ref(sent.span())
    )


def _differs(versions: list[Version], sources: dict[str, PreparedSource]) -> bool:
    """The cited sentences bear a difference out: other figures, or another deal status."""
    values = {
        v.source: {n.value for n in read_numbers(v.says) if n.kind in ("count", "money", "percent")} for v in versions
    }
    if len({frozenset(x) for x in values.values()}) > 1 and any(values.values()):
        return True
    kinds = set()
    for v in versions:
        if v.evidence is None:
            continue
        t = v.evidence.span.text
        kinds.add("pending" if PENDING.search(t) else "done" if DONE.search(t) else "none")
    return len(kinds) > 1


def _model_reconcile(d: Discrepancy) -> None:
    """Sum of parts among the model's versions: one source's single figure = another's figures added up."""
    by_source: dict[str, list[float]] = {}
    for v in d.versions:
        if v.value is not None:
            by_source.setdefault(v.source, []).append(v.value)
    for a, b in itertools.permutations(by_source, 2):
        if len(by_source[a]) == 1 and len(by_source[b]) >= 2 and abs(sum(by_source[b]) - by_source[a][0]) < 1e-9:
            parts = " + ".join(_fmt(x) for x in by_source[b])
            d.reconcilable = True
            d.reconciliation = f"sum of parts: {b} gives {parts} = {_fmt(by_source[a][0])}, the total {a} reports"
            return


def merge_conflicts(
    rules: list[Discrepancy], drafts: Sequence[ConflictDraft], sources: dict[str, PreparedSource], warnings: list[str]
) -> list[Discrepancy]:
    """Add the model's candidates: into a rule discrepancy citing the same sentence, else on their own if borne out."""
    out = [d.model_copy(deep=True) for d in rules]
    for draft in drafts:
        versions = [v for v in (_model_version(x, sources) for x in draft.versions) if v is not None]
        if len({v.source for v in versions}) < 2:
            warnings.append(f"Set aside a model discrepancy without two sources it can cite: {draft.topic}")
            continue
        cited = {(v.source, v.evidence.sentence) for v in versions if v.evidence}
        home = next(
            (d for d in out if cited & {(v.source, v.evidence.sentence) for v in d.versions if v.evidence}), None
        )
        if home is not None:
            if "model" not in home.found_by:
                home.found_by.append("model")
            continue
        if not _differs(versions, sources):
            warnings.append(f"Set aside a model discrepancy the cited sentences do not bear out: {draft.topic}")
            continue
        d = Discrepancy(topic=draft.topic, kind="figure" if any(v.value is not None for v in versions) else "other",
                        versions=versions, found_by=["model"])  # fmt: skip
        _model_reconcile(d)
        out.append(d)
    return out
