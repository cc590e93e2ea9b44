"""Load and render the Jinja2 templates in prompts/ (strict: a missing variable is an error, never blank text)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from summarizer.errors import ConfigError


def prompts_dir() -> Path:
    """The templates folder: inside the installed wheel, or the checkout's top-level prompts/ in development.

    hatch's force-include puts prompts/ into the wheel as summarizer/_data/prompts; an editable install has no
    such folder (FACTS.md), hence the fallback to the repository root.
    """
    packaged = Path(str(resources.files("summarizer"))) / "_data" / "prompts"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "prompts"
    if checkout.is_dir():
        return checkout
    raise ConfigError(f"Prompt templates not found (looked in {packaged} and {checkout}). Reinstall summarizer.")


_FENCE = re.compile(r"<(/?)(article|source)\b", re.I)


def unfence(text: str) -> str:
    """Neutralise <article>/<source> tags inside article text, so an article cannot close its own fence."""
    return _FENCE.sub(lambda m: f"‹{m.group(1)}{m.group(2)}", text)


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


class Prompts:
    """A folder of templates. ``version`` is a digest of the article templates and ``story_version`` of the story
    templates, so editing a prompt changes the version of what it writes (and the batch store's key)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or prompts_dir()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.folder)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain-text prompts, not HTML
            keep_trailing_newline=False,
            trim_blocks=False,
        )
        self.env.filters["unfence"] = unfence
        # Two versions: a stored article Summary depends only on the article templates, so editing the story
        # prompt must not make a batch store re-pay every article it holds.
        paths = sorted(self.folder.glob("*.j2"))
        self.version = _digest(p for p in paths if not p.name.startswith("story."))
        self.story_version = _digest(p for p in paths if p.name.startswith("story."))

    def render(self, name: str, **variables: Any) -> str:
        """Render ``name`` (e.g. "summary.user.j2"); unknown templates and missing variables raise ConfigError."""
        try:
            return self.env.get_template(name).render(**variables).strip()
        except jinja2.TemplateNotFound as exc:
            raise ConfigError(f"No prompt template {exc.name!r} in {self.folder}.") from exc
        except jinja2.UndefinedError as exc:
            raise ConfigError(f"Prompt template {name!r} needs a variable that was not given: {exc.message}") from exc


@lru_cache(maxsize=4)
def load(folder: str | None = None) -> Prompts:
    """The (cached) prompt set of a folder, default the packaged one."""
    return Prompts(Path(folder) if folder else None)
