"""The built wheel carries prompts/ and schemas/ and works installed outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [path] = out.glob("summarizer-*.whl")
    return path


def test_wheel_holds_prompts_schemas_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "prompts").glob("*.j2"):
        assert f"summarizer/_data/prompts/{template.name}" in names
    for schema in (ROOT / "schemas").glob("*.json"):
        assert f"summarizer/_data/schemas/{schema.name}" in names
    assert "summarizer/py.typed" in names
    assert not any(n.startswith(("tests/", "examples/")) for n in names)


def test_installed_wheel_works_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import summarizer, pathlib\n"
        "from summarizer import summarize, Article, check\n"
        "from summarizer.prompts import prompts_dir, Prompts\n"
        f"assert pathlib.Path(summarizer.__file__).is_relative_to(pathlib.Path(r'{target}')), summarizer.__file__\n"
        f"assert prompts_dir().is_relative_to(pathlib.Path(r'{target}')), prompts_dir()\n"
        "print(Prompts().render('summary.system.j2').splitlines()[0])\n"
        "print(check('Officials said 34 people died.', 'It killed 43 people.').ok)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "You are a careful news editor. You write short, neutral briefs strictly from one article.",
        "False",
    ]
