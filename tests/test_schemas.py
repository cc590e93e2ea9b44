"""schemas/ is the contract for pipelines in other languages: it must match the Pydantic models exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.schema_export import PUBLIC_MODELS, render_all
from summarizer.schemas import Article

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@pytest.mark.parametrize("name", sorted(render_all()))
def test_checked_in_schema_matches_the_model(name: str) -> None:
    path = SCHEMAS / name
    assert path.is_file(), f"{path} is missing: run `make schemas`"
    assert path.read_text(encoding="utf-8") == render_all()[name], f"{name} drifted: run `make schemas` and commit"


def test_every_public_model_has_a_schema_file() -> None:
    assert {p.name for p in SCHEMAS.glob("*.schema.json")} == {f"{n}.schema.json" for n in PUBLIC_MODELS}


def test_quick_look_schema_bounds_bullets() -> None:
    schema = json.loads((SCHEMAS / "quick_look.schema.json").read_text())
    assert schema["properties"]["bullets"]["maxItems"] == 8


def test_article_accepts_timestamps_and_strings() -> None:
    a = Article(text="x", published_at="2025-04-18T09:30:00Z")  # type: ignore[arg-type]
    assert a.published_at is not None and a.published_at.isoformat() == "2025-04-18"
    with pytest.raises(ValueError):
        Article(text="x", unknown_field=1)  # type: ignore[call-arg]
