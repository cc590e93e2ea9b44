"""Templates fail loudly on missing variables, and the prompt version tracks their content."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import ConfigError
from summarizer.prompts import Prompts, prompts_dir


def test_missing_variable_fails_loudly() -> None:
    with pytest.raises(ConfigError, match="needs a variable"):
        Prompts().render("summary.user.j2", title=None, source=None, published_at=None, tasks=["brief"])


def test_unknown_template_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="No prompt template"):
        Prompts().render("nope.j2")


def test_one_file_per_task_and_role() -> None:
    names = {p.name for p in prompts_dir().glob("*.j2")}
    assert {
        "summary.system.j2",
        "summary.user.j2",
        "task.brief.j2",
        "task.claims.j2",
        "task.timeline.j2",
        "reask.user.j2",
    } <= names


def test_version_changes_when_a_template_changes(tmp_path: Path) -> None:
    for p in prompts_dir().glob("*.j2"):
        (tmp_path / p.name).write_text(p.read_text())
    before = Prompts(tmp_path).version
    assert before == Prompts().version
    (tmp_path / "task.brief.j2").write_text("Write bullets.")
    assert Prompts(tmp_path).version != before


def test_editing_the_story_prompt_leaves_stored_article_summaries_valid(tmp_path: Path) -> None:
    for p in prompts_dir().glob("*.j2"):
        (tmp_path / p.name).write_text(p.read_text())
    before = Prompts(tmp_path)
    (tmp_path / "story.system.j2").write_text("Compare the sources.")
    after = Prompts(tmp_path)
    assert after.version == before.version  # the batch store's key for article summaries
    assert after.story_version != before.story_version


def test_article_text_is_never_interpreted_as_a_template() -> None:
    from summarizer.sentences import Sentence

    evil = "{{ 7*7 }} {% for x in range(3) %}boom{% endfor %}"
    out = Prompts().render(
        "summary.user.j2",
        title=None,
        source=None,
        published_at=None,
        sentences=[Sentence(1, 0, len(evil), evil)],
        tasks=["brief"],
    )
    assert evil in out and "49" not in out
