"""The compact models the LLM fills in. Code turns them into the public models of schemas.py.

Kept small on purpose: the local model generates ~22 tokens/s, so the model cites sentence numbers instead of
copying text, and the keys are short.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field, create_model, field_validator

from summarizer.schemas import Task

_SPACED_INITIALS = re.compile(r"\b([A-Z])\. (?=[A-Z]\.)")


def _one_line(value: str) -> str:
    # One line, and "U. S." back to "U.S." (the local model's tokenizer splits initials).
    return _SPACED_INITIALS.sub(r"\1.", " ".join(str(value).split()))


def _one_cite(value: Any) -> Any:
    """Small models often write ``"cite": [7]`` or ``"S7"``; take the first number rather than re-ask."""
    if isinstance(value, list):
        value = value[0] if value else 0
    if isinstance(value, str):
        digits = "".join(ch for ch in value if ch.isdigit())
        return int(digits) if digits else 0
    return 0 if value is None else value


def _many_cites(value: Any) -> Any:
    """Accept a single number or "S3"-style strings where a list of sentence numbers is expected."""
    items = value if isinstance(value, list) else [value]
    return [c for c in (_one_cite(v) for v in items) if isinstance(c, int) and c > 0]


class BulletDraft(BaseModel):
    """One Quick Look bullet and the sentence numbers it rests on."""

    text: str
    cites: list[int] = Field(default_factory=list)

    _line = field_validator("text")(_one_line)
    _cites = field_validator("cites", mode="before")(_many_cites)


class ClaimDraft(BaseModel):
    """Who said what, and the number of the sentence holding it."""

    who: str
    role: str = ""
    claim: str
    cite: int = 0

    _line = field_validator("claim", "who", "role")(_one_line)
    _cite = field_validator("cite", mode="before")(_one_cite)


class EventDraft(BaseModel):
    """A time phrase copied from the article, the event, and its sentence number."""

    when: str
    what: str
    cite: int = 0

    _line = field_validator("when", "what")(_one_line)
    _cite = field_validator("cite", mode="before")(_one_cite)


class Draft(BaseModel):
    """Base of the response models: their JSON Schema is built once per class, not on every request.

    instructor asks for the schema on every call (to put it in the prompt); pydantic rebuilds it each time, which
    costs ~1.5 ms of CPU per article in a batch. A fresh copy is handed out, so no caller can alter the cache.
    """

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The model's JSON Schema (cached per class and arguments)."""
        # The schema is JSON data: parsing its cached text gives an equal, independent copy 5x faster than deepcopy.
        copy: dict[str, Any] = json.loads(_schema(cls, args, tuple(sorted(kwargs.items()))))
        return copy


@lru_cache(maxsize=64)
def _schema(cls: type[Draft], args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> str:
    return json.dumps(super(Draft, cls).model_json_schema(*args, **dict(kwargs)))


def _bullets(value: Any) -> Any:
    # A ninth bullet is cut rather than re-asked: the box holds eight, and a re-ask costs a minute locally.
    return value[:8] if isinstance(value, list) else value


_FIELDS: dict[Task, dict[str, Any]] = {
    "brief": {
        "title": (str, ...),
        # min/max also reach llama.cpp's grammar (local backend), so the local model cannot write 3 bullets.
        "bullets": (list[BulletDraft], Field(min_length=5, max_length=8)),
    },
    "claims": {"claims": (list[ClaimDraft], Field(default_factory=list))},
    "timeline": {"timeline": (list[EventDraft], Field(default_factory=list))},
}


def draft_model(tasks: Sequence[Task]) -> type[BaseModel]:
    """The response model for a set of tasks (only the fields those tasks need, in a fixed order).

    Cached: one class per task set, so instructor and pydantic see a stable model (and batch skips rebuilding it).
    Citations of sentence numbers that do not exist are ignored later, when the draft is anchored (assemble.py).
    """
    return _draft_model(tuple(t for t in ("brief", "claims", "timeline") if t in tasks))


@lru_cache(maxsize=8)
def _draft_model(tasks: tuple[Task, ...]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for task in tasks:
        fields.update(_FIELDS[task])
    validators: dict[str, Any] = {}
    if "bullets" in fields:
        validators["cap_bullets"] = field_validator("bullets", mode="before")(_bullets)
    model: type[BaseModel] = create_model(
        "Draft_" + "_".join(tasks), __base__=Draft, __validators__=validators, **fields
    )
    return model
