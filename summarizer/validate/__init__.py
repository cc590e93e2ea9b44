"""Deterministic checks of a summary against its source: numbers, quotations (and, elsewhere, dates)."""

from __future__ import annotations

from summarizer.validate.check import check, check_fields
from summarizer.validate.numbers import Number, read_numbers
from summarizer.validate.quotes import find_quote
from summarizer.validate.report import Finding, Span, ValidationReport

__all__ = ["Finding", "Number", "Span", "ValidationReport", "check", "check_fields", "find_quote", "read_numbers"]
