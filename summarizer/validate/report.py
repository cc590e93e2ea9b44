"""The models of a validation report: what was checked, against which source span, with what outcome."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

Kind = Literal["number", "quote", "date", "certainty", "negation", "direction", "period", "attribution"]
Status = Literal["supported", "derived", "unsupported"]

#: The confidence of a derived item: a stated rule holds, but the figure or words are not written in the source.
DERIVED_CONFIDENCE = 0.5


class Span(BaseModel):
    """A character range ``[start, end)`` in a text, with the text it covers."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Finding(BaseModel):
    """One checked item in one output field, and its verdict: a number, quote or date, or a frame finding
    (certainty, negation, direction, period, attribution: the words are in the source, their meaning is not)."""

    kind: Kind
    field: str = Field(description='Where in the output, e.g. "quick_look.bullets[2]" or "text".')
    text: str = Field(description="The item as written in the output.")
    span: Span | None = Field(default=None, description="Where the item stands in the output field.")
    status: Status
    source_spans: list[Span] = Field(default_factory=list, description="Source spans that support it.")
    reason: str = ""
    value: float | None = Field(default=None, description="The numeric value read, for numbers.")
    confidence: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="How strongly the source supports the item: for a supported number, how well the context of "
        "its source figure matches the output's (1 = the same words around it, near 0 = the figure is there but "
        "among other words); 1 for a verbatim quote; 0.5 when derived by a rule; 0 when unsupported. Low values "
        "among supported items are the ones to read first.",
    )


class ValidationReport(BaseModel):
    """Every number, quote and date of an output, checked against its source."""

    findings: list[Finding] = Field(default_factory=list)
    policy: Literal["report", "drop", "reask"] = "report"
    dropped: list[str] = Field(default_factory=list, description="Output items removed under the drop policy.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """True when nothing is unsupported."""
        return not any(f.status == "unsupported" for f in self.findings)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def support(self) -> float:
        """The weakest confidence among the findings (1.0 when there is nothing to check): a score for ranking."""
        return min((f.confidence for f in self.findings if f.confidence is not None), default=1.0)

    def errors(self) -> list[Finding]:
        """The unsupported findings."""
        return [f for f in self.findings if f.status == "unsupported"]
