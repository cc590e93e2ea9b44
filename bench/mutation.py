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


TARGETS: dict[str, Target] = {
    "store": Target("summarizer/store.py", ("tests/test_store.py", "tests/test_batch.py")),
    # Error translation and key masking: the rest of llm.py (request building, the openai seam) is not mutated.
    "masking": Target(
        "summarizer/llm.py",
        ("tests/test_secrets.py", "tests/test_faults.py", "tests/test_llm.py"),
        (
            "x__mask__*",
            "x__guard_logs__*",
            "x__scrub_chain__*",
            "x__chain__*",
            "xǁ_MaskSecretsǁfilter__*",
            "xǁInstructorLLMǁ_translate__*",
        ),
    ),
    "numbers": Target("summarizer/validate/numbers.py", ("tests/test_validate_numbers.py", "tests/test_fuzz.py")),
    "verdicts": Target(
        "summarizer/validate/check.py",
        ("tests/test_validate_check.py", "tests/test_validate_rules.py"),
        ("x__check_number__*", "x__verdict_for_value__*", "x__check_one__*", "x_check__*"),
    ),
}

#: Mutants that cannot change behaviour, by mutmut name, with the reason. They are left out of the score.
EQUIVALENT: dict[str, str] = {}

#: What the scratch copy needs besides the package and the tests (fixtures read examples/, tests load bench/).
COPY = ("summarizer", "tests", "prompts", "schemas", "bench", "examples", "README.md")


def _config(target: Target) -> str:
    """The [tool.mutmut] table for one target, appended to the scratch copy's pyproject.toml."""
    tests = ", ".join(f'"{t}"' for t in target.tests)
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["summarizer"]\n'
        f'only_mutate = ["{target.module}"]\n'
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
        'pytest_add_cli_args = ["-m", "not local_model and not slow", "-p", "no:cacheprovider", "-q"]\n'
        'also_copy = ["prompts", "schemas", "bench", "examples", "README.md"]\n'
        "use_git_change_detection = false\n"
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


def run_target(name: str, target: Target, keep: bool = False) -> tuple[int, int, list[str]]:
    """Run mutmut on one target; return (killed, counted, surviving mutant names) and write the report."""
    folder = _scratch(target)
    started = time.monotonic()
    try:
        _mutmut(folder, "run", *(f"summarizer.{Path(target.module).stem}.{f}" for f in target.functions))
        results = dict(_RESULT.findall(_mutmut(folder, "results", "--all", "true")))
        module = "summarizer." + target.module.removesuffix(".py").replace("/", ".").removeprefix("summarizer.")
        ours = {
            m: status
            for m, status in results.items()
            if m.startswith(module + ".")
            and (not target.functions or any(fnmatch.fnmatch(m, f"{module}.{f}") for f in target.functions))
        }
        survived = sorted(m for m, s in ours.items() if s != "killed" and m not in EQUIVALENT)
        equivalent = sorted(m for m in ours if m in EQUIVALENT)
        counted = len(ours) - len(equivalent)
        killed = sum(1 for m, s in ours.items() if s == "killed" and m not in EQUIVALENT)
        OUT.mkdir(parents=True, exist_ok=True)
        lines = [
            f"# mutation testing: {name} ({target.module})",
            f"# tests: {', '.join(target.tests)}",
            f"# functions: {', '.join(target.functions) or 'all'}",
            f"# killed {killed} of {counted} ({100 * killed / counted if counted else 0:.1f} %); "
            f"{len(equivalent)} equivalent left out; {time.monotonic() - started:.0f} s",
            "",
        ]
        for m in equivalent:
            lines.append(f"## equivalent: {m}\n# {EQUIVALENT[m]}\n")
        for m in survived:
            lines.append(f"## {ours[m]}: {m}")
            lines.append(_mutmut(folder, "show", m).rstrip())
            lines.append("")
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
        killed, counted, survived = run_target(name, TARGETS[name], keep=args.keep)
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
