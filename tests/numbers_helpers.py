"""What the number reader's tests share: a fresh read in each test, and a reading as a comparable tuple.

A test module takes both with ``from tests.numbers_helpers import fresh_reads, readings``; ``fresh_reads`` is an
autouse fixture, so importing it is enough.
"""

from __future__ import annotations

import pytest

from summarizer.validate import read_numbers
from summarizer.validate.numbers import clear_number_cache


@pytest.fixture(autouse=True)
def fresh_reads() -> None:
    """Read every text anew in each test, so a test never passes on an answer another test left in the cache."""
    clear_number_cache()


def readings(text: str) -> list[tuple[object, ...]]:
    """Each number as (text, value, kind, unit, currency), rounded so a float reads as written."""
    return [(n.text, round(n.value, 6), n.kind, n.unit, n.currency) for n in read_numbers(text)]
