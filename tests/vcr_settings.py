"""The one vcrpy configuration every cassette is recorded and replayed with, and the scan that proves it scrubs.

pytest-recording takes it through a ``vcr_config`` fixture (``return vcr_config_dict()``); tests/test_secrets.py
records a real exchange with the very same settings and scans the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

#: Request headers that carry credentials or account ids; vcrpy drops them before writing.
FILTER_HEADERS = ["authorization", "cookie", "openai-organization", "openai-project", "x-api-key", "api-key"]
#: Response headers that carry cookies, account ids or per-request ids (noise in diffs, and identifying).
DROP_RESPONSE_HEADERS = {"set-cookie", "x-request-id", "openai-organization", "openai-project", "cf-ray"}
#: Query parameters some compatible servers (Azure, proxies) accept keys in.
FILTER_QUERY = ["api_key", "api-key", "key"]


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop identifying response headers (any letter case) before the response is written to a cassette."""
    headers = response.get("headers") or {}
    for name in [n for n in headers if n.lower() in DROP_RESPONSE_HEADERS]:
        del headers[name]
    return response


def vcr_config_dict() -> dict[str, Any]:
    """Keyword arguments for vcr.VCR / pytest-recording's ``vcr_config``: scrub secrets, readable bodies.

    Requests match on method, path and body (not host or port): the embedded server picks a free port each run.
    """
    return {
        "filter_headers": list(FILTER_HEADERS),
        "filter_query_parameters": list(FILTER_QUERY),
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "path", "body"],
    }


#: What must never be in a cassette, whatever the key: (name, pattern).
SECRET_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("an OpenAI-style key (sk-...)", re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_\-]{12,}")),
    ("a bearer token", re.compile(r"Bearer\s", re.I)),
    ("a Set-Cookie header", re.compile(r"set-cookie", re.I)),
    ("a Cookie header", re.compile(r"^\s*-?\s*['\"]?cookie['\"]?\s*:", re.I | re.M)),
    ("an openai-organization header", re.compile(r"openai-organization", re.I)),
    ("an openai-project header", re.compile(r"openai-project", re.I)),
    ("an organisation id (org-...)", re.compile(r"(?<![A-Za-z0-9])org-[A-Za-z0-9]{12,}")),
]


def secrets_in(text: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Every secret-looking thing in ``text`` (a cassette), described; ``extra`` are literal values to look for."""
    found = [name for name, pattern in SECRET_PATTERNS if pattern.search(text)]
    found += [f"the literal {value[:6]}…" for value in extra if value and value in text]
    return found


def cassette_files(root: Path) -> list[Path]:
    """Every cassette file under ``root`` (YAML or JSON)."""
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
