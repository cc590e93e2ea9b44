"""Generate the JSON Schema of every public model into schemas/ (run: python -m summarizer.schema_export)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from summarizer.schemas import Article, Claim, QuickLook, Summary, TimelineEvent
from summarizer.story import StoryBrief
from summarizer.validate.report import ValidationReport

PUBLIC_MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "quick_look": QuickLook,
    "claim": Claim,
    "timeline_event": TimelineEvent,
    "validation_report": ValidationReport,
    "summary": Summary,
    "story_brief": StoryBrief,
}


def render_all() -> dict[str, str]:
    """File name -> JSON text for every public model (validation mode for inputs, serialization for outputs)."""
    out = {}
    for name, model in PUBLIC_MODELS.items():
        schema = model.model_json_schema(mode="validation" if model is Article else "serialization")
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the schemas into the given folder (default: the checkout's schemas/)."""
    args = argv if argv is not None else sys.argv[1:]
    folder = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in render_all().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(folder / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
