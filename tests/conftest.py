"""Shared fixtures: the seed articles, a FakeLLM-backed Summarizer, and a draft answer that fits seed 000."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.schemas import Article

# A test process starts its own local server and stops it at exit: the shared one would outlive the run (idle
# timeout) and its Popen handle would be collected while running (a ResourceWarning, an error under -W error).
os.environ.setdefault("SUMMARIZER_SERVER_IDLE", "0")

# A run started in the background of a non-interactive shell (`make test &`) inherits SIGINT ignored, and so would
# every CLI a test starts: the Ctrl-C tests would then test what no user at a terminal meets. With Python's own
# handler here, the children start with SIGINT at its default (an exec resets a handled signal, not an ignored one).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "examples" / "articles"
SEED_000 = ARTICLES / "seed_000_newslooks.txt"
SEED_001 = ARTICLES / "seed_001_rki.txt"


@pytest.fixture
def seed_000() -> Article:
    """Seed 000 (Newslooks/AP) with the metadata an editor would pass."""
    return Article(text=SEED_000.read_text(), published_at=dt.date(2025, 4, 18), source="AP", id="seed_000")


@pytest.fixture
def seed_001() -> Article:
    """Seed 001 (rki.news): states its own publication date in the text."""
    return Article(text=SEED_001.read_text(), id="seed_001")


def bench_module(name: str) -> ModuleType:
    """A script of bench/ loaded as a module (bench/ is no package), e.g. the fake OpenAI server latency_server."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def long_paragraphs(path: Path, skip: int = 0, count: int = 2) -> str:
    """``count`` paragraphs of over 30 words of an article, after ``skip`` of them: a short real article, which the
    embedded model briefs in seconds rather than a minute."""
    paragraphs = [p for p in path.read_text().split("\n\n") if len(p.split()) > 30][skip : skip + count]
    assert len(paragraphs) == count
    return "\n\n".join(paragraphs)


def sentence_of(article_text: str, needle: str) -> int:
    """The id of the first cleaned sentence containing ``needle`` (so tests do not hard-code numbering)."""
    from summarizer import Summarizer
    from tests.fakes import FakeLLM

    for s in Summarizer(llm=FakeLLM([])).prepare(article_text).sentences:
        if needle in s.text:
            return s.id
    raise AssertionError(f"no sentence contains {needle!r}")


@pytest.fixture
def seed_000_draft() -> dict[str, Any]:
    """A faithful draft answer for seed 000, citing the sentences it comes from."""
    text = SEED_000.read_text()
    kharkiv = sentence_of(text, "wounded 98 others")
    kryvyi = sentence_of(text, "killed 20 people")
    sumy = sentence_of(text, "left 34 people dead")
    rubio = sentence_of(text, "We are now reaching a point")
    trump = sentence_of(text, "We have a minerals deal")
    peskov = sentence_of(text, "30-day ceasefire")
    rubio_friday = sentence_of(text, "announced Friday")
    return {
        "title": "U.S. may quit Ukraine peace talks without quick progress",
        "bullets": [
            {
                "text": "Rubio says the U.S. may abandon peace efforts unless progress comes within days",
                "cites": [rubio_friday],
            },
            {
                "text": "Cluster munitions in Kharkiv killed one person and wounded 98, including six children",
                "cites": [kharkiv],
            },
            {"text": "A Palm Sunday missile strike in Sumy left 34 people dead", "cites": [sumy]},
            {"text": "An April 4 strike in Kryvyi Rih killed 20 people, including nine children", "cites": [kryvyi]},
            {"text": "Trump confirmed a minerals deal with Ukraine", "cites": [trump]},
            {"text": "The U.S.-backed 30-day ceasefire has expired", "cites": [peskov]},
        ],
        "claims": [
            {
                "who": "Marco Rubio",
                "role": "U.S. Secretary of State",
                "claim": "The U.S. must soon decide whether peace is possible.",
                "cite": rubio,
            },
            {"who": "Donald Trump", "role": "President", "claim": "There is a minerals deal.", "cite": trump},
        ],
        "timeline": [
            {"when": "Friday", "what": "Rubio warns the U.S. may quit the talks", "cite": rubio_friday},
            {"when": "April 4", "what": "Strike in Kryvyi Rih kills 20", "cite": kryvyi},
            {"when": "last month", "what": "Both sides agreed to the 30-day ceasefire in principle", "cite": peskov},
        ],
    }


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """pytest-recording's settings for every cassette: scrubbed of secrets, matched on method, path and body."""
    from tests.vcr_settings import vcr_config_dict

    return vcr_config_dict()


@pytest.fixture
def recorded_summarizer(record_mode: str) -> Iterator[Summarizer]:
    """A Summarizer that sends exactly what the embedded default sends (local kind: JSON mode + grammar).

    Replay (record mode "none"): requests are answered from the cassette and nothing connects, so any URL will do.
    Recording: the embedded model's server is started and stopped afterwards.
    """
    from summarizer import local
    from summarizer.llm import Backend, InstructorLLM

    url = "http://127.0.0.1:9/v1" if record_mode == "none" else local.ensure_server().base_url
    yield Summarizer(llm=InstructorLLM(Backend("local", local.MODEL_ALIAS, url, None, timeout=900, max_retries=0)))
    if record_mode != "none":
        local.shutdown()
