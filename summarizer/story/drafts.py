"""The story model's compact answer: a title, merged bullets and candidate conflicts, citing ids like A8."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, field_validator

CITE = re.compile(r"([A-Za-z])\s*-?\s*(\d+)")


def _cite_ids(value: Any) -> Any:
    """Accept "A8", "[A8]", "a 8" or a list of them; keep well-formed ids only (unknown ids are dropped later)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        m = CITE.search(str(item))
        if m:
            out.append(f"{m.group(1).upper()}{int(m.group(2))}")
    return out


def _first_cite(value: Any) -> Any:
    found = _cite_ids(value)
    return found[0] if found else ""


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


class BulletDraft(BaseModel):
    """A merged bullet and the sentence ids (A8, B1) it rests on."""

    text: str
    cites: list[str] = Field(default_factory=list)

    _line = field_validator("text", mode="before")(_one_line)
    _ids = field_validator("cites", mode="before")(_cite_ids)


class VersionDraft(BaseModel):
    """One source's side of a conflict: the sentence id and what it says."""

    cite: str
    says: str

    _line = field_validator("says", mode="before")(_one_line)
    _id = field_validator("cite", mode="before")(_first_cite)


class ConflictDraft(BaseModel):
    """A candidate discrepancy named by the model."""

    topic: str
    versions: list[VersionDraft] = Field(min_length=2, max_length=4)

    _line = field_validator("topic", mode="before")(_one_line)


def _cap(limit: int) -> Any:
    # Extra items are cut rather than re-asked: a re-ask costs a minute on the local model.
    return lambda value: value[:limit] if isinstance(value, list) else value


class StoryDraft(BaseModel):
    """What the story call returns: a title, merged bullets and candidate conflicts."""

    title: str
    bullets: list[BulletDraft] = Field(min_length=3, max_length=8)
    conflicts: list[ConflictDraft] = Field(default_factory=list, max_length=4)

    _title = field_validator("title", mode="before")(_one_line)
    _bullets = field_validator("bullets", mode="before")(_cap(8))
    _conflicts = field_validator("conflicts", mode="before")(_cap(4))
