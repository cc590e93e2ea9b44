"""Mutation testing of the modules where a silent bug costs most, with mutmut: print the score per module and write
the surviving mutants to bench/out/.

Each target is a module (optionally only some of its functions) and the test files that guard it. The target is
run in a scratch copy of the checkout (mutmut rewrites the code it mutates into ``mutants/``), under ``nice``, with
only those tests, so a run stays within a shared 2-core machine. Not part of ``make test``: a full run takes
tens of minutes.

    .venv/bin/python bench/mutation.py                 # every target
    .venv/bin/python bench/mutation.py store masking   # some of them
    .venv/bin/python bench/mutation.py --list

Output per target: ``bench/out/mutation-<target>.txt`` (every surviving mutant as a diff, and the equivalent ones
listed in EQUIVALENT with the reason) and one line ``<target>: killed K of N (S %)`` on stdout, where N excludes
the mutants listed as equivalent.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGET_SCORE = 85.0


@dataclass(frozen=True)
class Target:
    """One module, the functions of it to mutate (mutmut name globs; all when empty) and the tests that guard it."""

    module: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()
    #: pytest -k expression of tests left out (slow ones whose behaviour faster tests also pin).
    deselect: str = ""
    #: mutmut's process_isolation: "fork" forks each mutant from the process that ran the whole suite for its
    #: stats, so process-wide state those tests left (the key registry of llm's log filter) hides mutants;
    #: "forkserver" forks from a process that only collected the tests.
    isolation: str = "fork"


TARGETS: dict[str, Target] = {
    # The two-process test (13 s, spawned workers) is left out: the claim rules it relies on are pinned in-process.
    "store": Target("summarizer/store.py", ("tests/test_store.py", "tests/test_batch.py"), deselect="two_processes"),
    # Key masking, and the error translation that builds every message a user sees: the rest of llm.py (request
    # building, the openai seam) is not mutated.
    "masking": Target(
        "summarizer/llm.py",
        ("tests/test_secrets.py",),
        (
            "x__mask__*",
            "x__guard_logs__*",
            "x__scrub_chain__*",
            "x__chain__*",
            "xǁ_MaskSecretsǁfilter__*",
        ),
        isolation="forkserver",
    ),
    "translation": Target(
        "summarizer/llm.py",
        (
            "tests/test_error_messages.py",
            "tests/test_faults.py",
            "tests/test_translation.py",
            "tests/test_llm.py",
            "tests/test_secrets.py",
        ),
        ("xǁInstructorLLMǁ_translate__*",),
        # The stalled body and the async stalled headers take 1-4 s each and end in the same timeout branch as
        # the sync stalled headers, which stays in.
        deselect="stalled and (mid or async)",
        isolation="forkserver",
    ),
    # Every function but _cases, which runs only at import (it builds the word patterns) before mutmut switches a
    # mutant on, so its mutants can never take effect. "forkserver": read_numbers keeps an lru_cache of the texts
    # it read, and under "fork" every mutant is forked from the process whose cache already holds every test text,
    # so the mutated code never runs.
    "numbers": Target(
        "summarizer/validate/numbers.py",
        (
            "tests/test_validate_numbers.py",
            "tests/test_numbers_news.py",
            "tests/test_numbers_grammar.py",
            "tests/test_fuzz.py",
        ),
        (
            "x_read_numbers__*",
            "x_clear_number_cache__*",
            "x__dates__*",
            "x__times__*",
            "x__digit_number__*",
            "x_is_weight__*",
            "x__looks_like_year__*",
            "x__word_numbers__*",
            "x__word_number__*",
            "x__age_unit__*",
            "x__merge_ranges__*",
            "x__range__*",
            "x__scale_of__*",
            # The one scan for number words and the fractions found from their denominators came with speed17,
            # after this list was written: until they were listed, their 45 mutants were neither run nor counted.
            "x__number_words__*",
            "x__fractions__*",
        ),
        isolation="forkserver",
    ),
    "verdicts": Target(
        "summarizer/validate/check.py",
        ("tests/test_verdicts.py", "tests/test_validate_check.py", "tests/test_validate_rules.py"),
        ("x__check_number__*", "x__verdict_for_value__*", "x__check_one__*", "x_check__*"),
    ),
}

#: Mutants that cannot change behaviour, by mutmut name, with the reason. They are left out of the score.
EQUIVALENT: dict[str, str] = {
    "summarizer.store.x__owner_dead__mutmut_24": "PermissionError from kill(pid, 0) needs a process of another "
    "user; the tests run as one user (as root nothing raises it)",
    "summarizer.store.xǁStoreǁclaim__mutmut_26": "'>' to '>=' on a float expiry against time.time(): equal only "
    "at one instant, which no test (or run) can hit on purpose",
    "summarizer.store.xǁStoreǁ__init____mutmut_1": "a default busy timeout of 31 s instead of 30 s",
    "summarizer.store.xǁStoreǁ__init____mutmut_4": "'and' to 'or' before mkdir(exist_ok=True): an existing folder "
    "is left as it is either way",
    "summarizer.store.xǁStoreǁ__init____mutmut_7": "exist_ok only matters when the folder exists, and mkdir runs "
    "only when it does not",
    "summarizer.store.xǁStoreǁ__init____mutmut_9": "as __init____mutmut_7 (exist_ok left out)",
    "summarizer.store.xǁStoreǁ__init____mutmut_11": "as __init____mutmut_7 (exist_ok=False)",
    "summarizer.store.xǁStoreǁ__init____mutmut_16": "the connect() timeout left at its default: the busy_timeout "
    "PRAGMA right after sets the same wait",
    "summarizer.store.xǁStoreǁ__init____mutmut_17": "isolation_level left at its default: every write runs inside "
    "an explicit BEGIN IMMEDIATE, so sqlite3 never opens an implicit transaction",
    "summarizer.store.xǁStoreǁ__init____mutmut_21": "a busy timeout 0.1 % longer (x1001 instead of x1000 ms)",
    "summarizer.validate.numbers.x_is_weight__mutmut_14": "rfind's start None is 0",
    "summarizer.validate.numbers.x_is_weight__mutmut_23": "rfind's start None is 0",
    "summarizer.validate.numbers.x_is_weight__mutmut_21": "a '. ' at index 0 gives sentence start 0, the floor the "
    "window has anyway",
    "summarizer.validate.numbers.x_is_weight__mutmut_30": "a newline at index 0 gives sentence start 0, the floor the "
    "window has anyway",
    "summarizer.validate.numbers.x__range__mutmut_35": "b.kind 'year' never meets hi < 100: a year figure is 1000 or "
    "more",
    "summarizer.validate.numbers.x__range__mutmut_36": "as x__range__mutmut_35",
    "summarizer.validate.numbers.x__range__mutmut_39": "a figure with a thousands comma is 1,000 or more, so never "
    "under 100",
    "summarizer.validate.numbers.x__word_numbers__mutmut_11": "an 'and' that starts a figure yields nothing either "
    "way: the loop breaks on it and moves on by one",
    "summarizer.validate.numbers.x__word_numbers__mutmut_12": "as x__word_numbers__mutmut_11",
    "summarizer.validate.numbers.x__word_numbers__mutmut_22": "have=None is falsy like False",
    "summarizer.validate.numbers.x__word_numbers__mutmut_34": "'a' is never the last word of a match (the pattern puts "
    "a number word after it)",
    "summarizer.validate.numbers.x__word_numbers__mutmut_36": "as x__word_numbers__mutmut_34",
    "summarizer.validate.numbers.x__word_numbers__mutmut_45": "the scale word that must follow 'a' sets have anyway",
    "summarizer.validate.numbers.x__word_numbers__mutmut_86": "the scale word that must follow 'half a' sets have "
    "anyway",
    "summarizer.validate.numbers.x__word_numbers__mutmut_46": "last after 'a' is read only by the scale or dozen that "
    "follows, which checks '' and 'half'",
    "summarizer.validate.numbers.x__word_numbers__mutmut_47": "as x__word_numbers__mutmut_46",
    "summarizer.validate.numbers.x__word_numbers__mutmut_87": "as x__word_numbers__mutmut_46, after 'half a'",
    "summarizer.validate.numbers.x__word_numbers__mutmut_88": "as x__word_numbers__mutmut_46, after 'half a'",
    "summarizer.validate.numbers.x__word_numbers__mutmut_64": "'half a' in a match is always followed by a scale word, "
    "so j + 2 < len holds",
    "summarizer.validate.numbers.x__word_numbers__mutmut_118": "'teen' and 'unit' are read alike by every test of last",
    "summarizer.validate.numbers.x__word_numbers__mutmut_119": "as x__word_numbers__mutmut_118",
    "summarizer.validate.numbers.x__word_numbers__mutmut_123": "as x__word_numbers__mutmut_118 ('ten' as unit)",
    "summarizer.validate.numbers.x__word_numbers__mutmut_158": "last == '' holds exactly when have is False, so 'or' "
    "and 'and' agree",
    "summarizer.validate.numbers.x__word_numbers__mutmut_186": "'and' is never the last word of a match, so j + 1 < "
    "len holds",
    "summarizer.validate.numbers.x__word_numbers__mutmut_190": "as x__word_numbers__mutmut_186",
    "summarizer.validate.numbers.x__word_numbers__mutmut_192": "as x__word_numbers__mutmut_186",
    "summarizer.validate.numbers.x__word_numbers__mutmut_193": "as x__word_numbers__mutmut_186 (the else is never "
    "taken)",
    "summarizer.validate.numbers.x__word_numbers__mutmut_203": "nxt2 '' or 'XXXX' both fail the half/quarter test",
    "summarizer.validate.numbers.x__word_numbers__mutmut_297": "have implies end_j > start_i, so end_j == start_i "
    "never reaches this test",
    "summarizer.validate.numbers.x__word_numbers__mutmut_278": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_279": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_280": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_281": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_282": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_283": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_284": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_285": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_286": "the branch and the else after it both break",
    "summarizer.validate.numbers.x__word_numbers__mutmut_122": "as x__word_numbers__mutmut_118 ('ten' as unit)",
    "summarizer.validate.numbers.x__word_numbers__mutmut_295": "have is False exactly when end_j == start_i, so 'and' "
    "and 'or' agree",
    "summarizer.validate.numbers.x__digit_number__mutmut_88": "2091 fails value % 10 == 0, so the bound 2091 lets no "
    "more decades in than 2090",
    "summarizer.validate.numbers.x__dates__mutmut_4": "the month group holds no dot or space (the dot is outside it), "
    "so rstrip does nothing",
    "summarizer.validate.numbers.x__dates__mutmut_5": "as x__dates__mutmut_4 (lstrip)",
    "summarizer.validate.numbers.x__dates__mutmut_10": "as x__dates__mutmut_4 (rstrip of X and dot)",
    "summarizer.validate.numbers.x__dates__mutmut_237": "a zero month or day fails the 1..12 / 1..31 test after it "
    "anyway",
    "summarizer.validate.numbers.x__dates__mutmut_238": "as x__dates__mutmut_237 (a day past 31 fails that test too)",
    "summarizer.validate.numbers.x__dates__mutmut_243": "as x__dates__mutmut_238",
    "summarizer.validate.numbers.x__times__mutmut_10": "an X before the figure is a letter, skipped by isalnum() "
    "anyway",
    "summarizer.validate.numbers.x__times__mutmut_84": "a time match starts with a digit, so lstrip does nothing, as "
    "rstrip",
    "summarizer.validate.numbers.x__merge_ranges__mutmut_46": "ok_join None is falsy like False",
    "summarizer.llm.xǁInstructorLLMǁ_translate__mutmut_50": "getattr without its default: IncompleteOutputException's "
    "__init__ always sets last_completion, so the default is never read",
    "summarizer.llm.xǁInstructorLLMǁ_translate__mutmut_56": "a missing retry-count header read as str(None), 'None', "
    "which fails isdigit() as '' does",
    "summarizer.llm.xǁInstructorLLMǁ_translate__mutmut_58": "as _translate__mutmut_56 (get() without a default is "
    "get(..., None))",
    "summarizer.llm.xǁInstructorLLMǁ_translate__mutmut_61": "a missing retry-count header read as 'XXXX', which fails "
    "isdigit() as '' does",
    "summarizer.llm.xǁInstructorLLMǁ_translate__mutmut_60": "httpx2 Headers are case-insensitive: "
    "'X-STAINLESS-RETRY-COUNT' reads the same header",
    "summarizer.llm.xǁInstructorLLMǁ_translate__mutmut_176": "httpx2 Headers are case-insensitive: 'RETRY-AFTER' "
    "reads the same header",
    "summarizer.llm.xǁInstructorLLMǁ_translate__mutmut_218": "getattr without its default: a FailedAttempt is a "
    "NamedTuple whose completion field always exists",
    "summarizer.llm.xǁInstructorLLMǁ_translate__mutmut_266": "getattr without its default: reached only when the "
    "test before found last has choices, so the attribute always exists",
    "summarizer.validate.check.x__check_number__mutmut_53": "source_spans=[] left out: Finding's default_factory "
    "gives the same empty list",
    "summarizer.validate.check.x__check_number__mutmut_75": "as x__check_number__mutmut_53 (the other-age finding)",
    "summarizer.validate.check.x__check_number__mutmut_94": "as x__check_number__mutmut_53 (the ratio finding)",
    "summarizer.validate.check.x__check_one__mutmut_71": "as x__check_number__mutmut_53 (the 'one' finding)",
    "summarizer.validate.check.x__check_number__mutmut_111": "number_values(n) is [n.value] for every figure but a "
    "range, so a date gets [n.value] either way",
    "summarizer.validate.check.x__check_number__mutmut_114": "as x__check_number__mutmut_111 (number_values for a "
    "date too)",
    "summarizer.validate.check.x__check_number__mutmut_115": "as x__check_number__mutmut_111 (number_values for a "
    "date too)",
    "summarizer.validate.check.x__verdict_for_value__mutmut_113": "'>=' to '>' against best - 1e-9: they differ only "
    "for a fit equal to that one float, best minus exactly 1e-9, which no sum of word weights lands on",
}
#: mutmut's "timeout" means the tests did not pass in time with the mutant in: it is detected, like "killed".
DETECTED = {"killed", "timeout"}
_SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ON CONFLICT|WHERE|VALUES|PRAGMA|SET|FROM|NULL|COALESCE|excluded)\b", re.I
)


def _case_only_sql(diff: str) -> bool:
    """True when a mutant only changes the letter case of SQL text: SQLite reads keywords and names either way."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return (
        bool(removed)
        and len(removed) == len(added)
        and all(a != b and a.lower() == b.lower() and _SQL.search(a) for a, b in zip(removed, added, strict=True))
    )


#: What the scratch copy needs besides the package and the tests (fixtures read examples/, tests load bench/).
COPY = ("summarizer", "tests", "prompts", "schemas", "bench", "examples", "README.md")


def _config(target: Target) -> str:
    """The [tool.mutmut] table for one target, appended to the scratch copy's pyproject.toml."""
    tests = ", ".join(f'"{t}"' for t in target.tests)
    deselect = f', "-k", "not ({target.deselect})"' if target.deselect else ""
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["summarizer"]\n'
        f'only_mutate = ["{target.module}"]\n'
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
        f'pytest_add_cli_args = ["-m", "not local_model and not slow", "-p", "no:cacheprovider", "-q"{deselect}]\n'
        'also_copy = ["prompts", "schemas", "bench", "examples", "README.md"]\n'
        "use_git_change_detection = false\n"
        f'process_isolation = "{target.isolation}"\n'
    )


def _scratch(target: Target) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="summarizer-mutation-"))
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, folder / name, ignore=shutil.ignore_patterns("__pycache__", "out", ".hypothesis"))
        elif src.exists():
            shutil.copy2(src, folder / name)
    (folder / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text() + _config(target))
    return folder


def _mutmut(folder: Path, *args: str) -> str:
    exe = Path(sys.executable).with_name("mutmut")
    cmd = ["nice", "-n", "15", str(exe), *args]
    env = {**os.environ, "PYTHONPATH": str(folder)}
    proc = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"mutmut {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        )
    return proc.stdout


_RESULT = re.compile(r"^\s*(\S+__mutmut_\d+): (.+?)\s*$", re.M)


def run_target(name: str, target: Target, keep: bool = False, workers: int | None = None) -> tuple[int, int, list[str]]:
    """Run mutmut on one target; return (killed, counted, surviving mutant names) and write the report."""
    folder = _scratch(target)
    started = time.monotonic()
    try:
        module = target.module.removesuffix(".py").replace("/", ".")
        children = ("--max-children", str(workers)) if workers else ()
        _mutmut(folder, "run", *children, *(f"{module}.{f}" for f in target.functions))
        results = dict(_RESULT.findall(_mutmut(folder, "results", "--all", "true")))
        ours = {
            m: status
            for m, status in results.items()
            if m.startswith(module + ".")
            and (not target.functions or any(fnmatch.fnmatch(m, f"{module}.{f}") for f in target.functions))
        }
        reasons = {m: EQUIVALENT[m] for m in ours if m in EQUIVALENT}
        diffs = {m: _mutmut(folder, "show", m) for m, s in ours.items() if s not in DETECTED and m not in reasons}
        for m, diff in diffs.items():
            if _case_only_sql(diff):
                reasons[m] = "changes only the letter case of SQL (case-insensitive in SQLite)"
        survived = sorted(m for m, s in ours.items() if s not in DETECTED and m not in reasons)
        equivalent = sorted(reasons)
        counted = len(ours) - len(equivalent)
        killed = sum(1 for m, s in ours.items() if s in DETECTED and m not in reasons)
        OUT.mkdir(parents=True, exist_ok=True)
        lines = [
            f"# mutation testing: {name} ({target.module})",
            f"# tests: {', '.join(target.tests)}",
            f"# functions: {', '.join(target.functions) or 'all'}",
            f"# killed {killed} of {counted} ({100 * killed / counted if counted else 0:.1f} %); "
            f"{len(equivalent)} equivalent left out; {time.monotonic() - started:.0f} s",
            "",
        ]
        for m in survived:
            lines += [f"## {ours[m]}: {m}", diffs[m].rstrip(), ""]
        for m in equivalent:
            lines.append(f"## equivalent: {m} ({reasons[m]})")
        (OUT / f"mutation-{name}.txt").write_text("\n".join(lines) + "\n")
        return killed, counted, survived
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run the named targets (default: all) and print one score line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("targets", nargs="*", help=f"some of: {', '.join(TARGETS)}")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy (to inspect mutants/)")
    parser.add_argument("--workers", type=int, help="mutants run at once (mutmut's default: one per core)")
    args = parser.parse_args(argv)
    if args.list:
        for name, t in TARGETS.items():
            print(f"{name}: {t.module} [{', '.join(t.functions) or 'all'}] <- {', '.join(t.tests)}")
        return 0
    names = args.targets or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {unknown}; choose from {list(TARGETS)}")
    below = 0
    for name in names:
        killed, counted, survived = run_target(name, TARGETS[name], keep=args.keep, workers=args.workers)
        score = 100 * killed / counted if counted else 0.0
        below += score < TARGET_SCORE
        print(
            f"{name}: killed {killed} of {counted} ({score:.1f} %), {len(survived)} survived -> "
            f"bench/out/mutation-{name}.txt",
            flush=True,
        )
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
