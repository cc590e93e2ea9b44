"""The doors a newcomer tries first (issue 16), and the views an editor reads (issue 12, item 7).

Each test is one door: the names the README shows, --version, check on files and Articles, "-" for stdin and
stdout, a bad path as one line and exit 2, "flagged" batch lines, plain --format text, --key, one-line reprs,
a bad published_at, JSONL errors in words, and the markdown/text views with sources, cited sentences and verdicts.
"""

# The fault_server fixture is imported by name, so test parameters "redefine" it.
# ruff: noqa: F811

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path
from typing import Any

import pytest

import summarizer
from summarizer import Article, InputError, Summarizer, cli
from summarizer.batch import Tally, read_jsonl, summarize_many
from summarizer.clean import clean
from tests.conftest import ROOT, SEED_000, sentence_of
from tests.fakes import FakeLLM, serve_fake
from tests.fault_server import (  # noqa: F401  (fault_server is a fixture)
    TEST_KEY,
    FaultServer,
    completion,
    error,
    fault_server,
)
from tests.test_batch_http import server  # noqa: F401  (a fixture: bench/latency_server.py on 127.0.0.1)
from tests.test_cli import run

README = (ROOT / "README.md").read_text()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, seed_000_draft: dict[str, Any]) -> FakeLLM:
    """A FakeLLM answering seed 000's draft twice, whatever backend this machine would pick."""
    return serve_fake(monkeypatch, FakeLLM([seed_000_draft, seed_000_draft]))


# -- names and version ------------------------------------------------------------------------------------------


def test_every_name_the_readme_calls_imports_from_summarizer() -> None:
    called = set(re.findall(r"`(?:from summarizer import )?([A-Za-z_]\w*)\(", README))
    imported = {n.strip() for line in re.findall(r"from summarizer import ([\w, ]+)", README) for n in line.split(",")}
    names = (called | imported | {"summarize_many", "asummarize_many", "summarize_story", "check"}) - {"open"}
    assert {"summarize_many", "Summarizer", "check"} <= names
    missing = [n for n in sorted(names) if not hasattr(summarizer, n)]
    assert missing == []
    for name in names:
        exec(f"from summarizer import {name}", {})


def test_version_from_package_metadata() -> None:
    assert summarizer.__version__ == importlib.metadata.version("summarizer")
    code, out, err = run(["--version"])
    assert (code, out.strip(), err) == (0, f"summarizer {summarizer.__version__}", "")


# -- check ------------------------------------------------------------------------------------------------------


def test_check_takes_an_article_and_paths(tmp_path: Path) -> None:
    source = Article(text="The council approved 12 parks on Monday.")
    assert summarizer.check(source, "The council approved 12 parks.").ok
    assert not summarizer.check(source, "The council approved 13 parks.").ok
    (tmp_path / "a.txt").write_text(source.text)
    (tmp_path / "b.txt").write_text("The council approved 13 parks.")
    report = summarizer.check(tmp_path / "a.txt", tmp_path / "b.txt")
    assert not report.ok and [f.text for f in report.errors()] == ["13"]
    assert summarizer.check(source, Article(text="It approved 12 parks.")).ok


def test_check_refuses_a_file_name_given_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("The council approved 12 parks.")
    Path("b.txt").write_text("It approved 13 parks.")
    with pytest.raises(InputError, match=r"Path\('a.txt'\)"):
        summarizer.check("a.txt", "b.txt")


def test_check_cleans_an_html_source_as_brief_does() -> None:
    html = (
        "<html><head><title>Parks</title></head><body><nav>Menu</nav><article>"
        "<p>The council approved 12 new parks on Monday, officials said at a meeting downtown.</p>"
        "<p>Work on the first of them starts in May, and the city expects all of them to open within three years.</p>"
        "</article></body></html>"
    )
    report = summarizer.check(html, "The council approved 12 new parks.")
    assert report.ok
    cleaned = clean(html).text
    spans = [s for f in report.findings for s in f.source_spans]
    assert spans and all(cleaned[s.start : s.end] == s.text for s in spans)  # spans point into the cleaned text
    # A figure that is only in the page's markup (a script, an attribute) is not in the article.
    page = html.replace("<nav>", '<script>var views = 4500;</script><nav data-count="250">')
    assert [f.text for f in summarizer.check(page, "It has 4500 views and 250 shares.").errors()] == ["4500", "250"]


@pytest.mark.parametrize("empty", ["", "   \n"])
def test_an_empty_summary_is_an_input_error(empty: str) -> None:
    with pytest.raises(InputError, match="summary is empty"):
        summarizer.check("The council approved 12 parks.", empty)


def test_cli_check_reads_html_and_refuses_an_empty_summary(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article><p>The council approved 12 new parks on Monday, officials said downtown.</p>"
        "<p>Work on the first starts in May and all should open within three years, the mayor said.</p>"
        "</article></body></html>"
    )
    (tmp_path / "s.txt").write_text("The council approved 12 new parks.")
    code, out, err = run(["check", "--source", str(page), str(tmp_path / "s.txt")])
    assert code == 0, err
    assert "OK: 1 checked" in out and "<p>" not in out
    (tmp_path / "empty.txt").write_text("")
    code, out, err = run(["check", "--source", str(page), str(tmp_path / "empty.txt")])
    assert code == 1 and "summary is empty" in err and "OK" not in out


# -- "-" is stdin/stdout ----------------------------------------------------------------------------------------


def test_brief_with_no_path_reads_a_piped_stdin(fake: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(["brief"], stdin=SEED_000.read_bytes(), monkeypatch=monkeypatch)
    assert code == 0, err
    assert out.startswith("## U.S. may quit") and "wounded 98 others" in fake.calls[0].messages[1]["content"]


def test_check_reads_its_source_from_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("It approved 13 parks.")
    code, out, _ = run(
        ["check", "--source", "-", str(tmp_path / "s.txt")],
        stdin=b"The council approved 12 parks.",
        monkeypatch=monkeypatch,
    )
    assert code == 1 and "NOT OK" in out and "'13'" in out
    code, _, err = run(["check", "--source", "-", "-"], stdin=b"x", monkeypatch=monkeypatch)
    assert code == 2 and "only once" in err


def _jsonl(n: int) -> bytes:
    rows = [{"id": f"a{i}", "text": SEED_000.read_text() + f"\nUpdate {i}: the count rose to {i}."} for i in range(n)]
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def test_batch_reads_stdin_and_writes_stdout(server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["batch", "-", "-o", "-", "--base-url", server.url, "--model", "fake"]
    code, out, err = run(argv, stdin=_jsonl(2), monkeypatch=monkeypatch)
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert sorted(line["id"] for line in lines) == ["a0", "a1"] and all("summary" in line for line in lines)
    assert not Path("-").exists() and not Path("-.partial").exists()
    assert "2 inputs" in err


def test_batch_api_files_take_dash(server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(_jsonl(2))
    backend = ["--base-url", server.url, "--model", "fake"]
    code, requests, err = run(
        ["batch", "prepare", "-", "-o", "-", "--target", "llamacpp", *backend],
        stdin=source.read_bytes(),
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    assert [json.loads(line)["custom_id"][:2] for line in requests.splitlines()] == ["1-", "2-"]
    code, results, err = run(
        ["batch", "run", "-", "-o", "-", "--base-url", server.url], stdin=requests.encode(), monkeypatch=monkeypatch
    )
    assert code == 0, err
    assert len(results.splitlines()) == 2
    (tmp_path / "requests.jsonl").write_text(requests)
    argv = ["batch", "collect", str(tmp_path / "requests.jsonl"), "-", "--source", str(source), "-o", "-", *backend]
    code, out, err = run(argv, stdin=results.encode(), monkeypatch=monkeypatch)
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a0", "a1"]


# -- a bad path is one line and exit 2 --------------------------------------------------------------------------


def _bad_paths(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "folder").mkdir()
    (tmp_path / "a.txt").write_text("The council approved 12 parks.")
    return {
        "folder": str(tmp_path / "folder"),
        "missing": str(tmp_path / "missing.txt"),
        "unreadable": str(tmp_path / "a.txt" / "inside-a-file.txt"),
    }


COMMANDS = [
    ["brief", "{bad}"],
    ["check", "--source", "{bad}", "{ok}"],
    ["check", "--source", "{ok}", "{bad}"],
    ["story", "{ok}", "{bad}"],
    ["batch", "{bad}", "-o", "{out}"],
    ["batch", "prepare", "{bad}", "-o", "{out}"],
    ["batch", "run", "{bad}", "-o", "{out}", "--base-url", "http://127.0.0.1:9/v1"],
    ["batch", "collect", "{bad}", "{ok}", "--source", "{ok}", "-o", "{out}"],
    ["batch", "collect", "{ok}", "{bad}", "--source", "{ok}", "-o", "{out}"],
    ["batch", "collect", "{ok}", "{ok}", "--source", "{bad}", "-o", "{out}"],
]
#: Where a folder is a valid input (a folder of article files), a folder is not a bad path.
FOLDER_INPUTS = {4, 5, 9}
CASES = [
    (argv, kind)
    for i, argv in enumerate(COMMANDS)
    for kind in ("folder", "missing", "unreadable")
    if not (kind == "folder" and i in FOLDER_INPUTS)
]


@pytest.mark.parametrize(("argv", "kind"), CASES, ids=[f"{' '.join(a[:2])}-{a.index('{bad}')}-{k}" for a, k in CASES])
def test_a_bad_input_path_is_one_line_and_exit_2(
    argv: list[str], kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("SUMMARIZER_MODEL", "fake")
    paths = _bad_paths(tmp_path)
    filled = [a.format(bad=paths[kind], ok=str(tmp_path / "a.txt"), out=str(tmp_path / "out.jsonl")) for a in argv]
    code, out, err = run(filled)
    assert code == 2, err
    assert out == "" and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"cannot read {paths[kind]}: " in err


def test_an_output_that_is_a_folder_is_refused_before_any_work(tmp_path: Path, server: Any) -> None:
    (tmp_path / "in.jsonl").write_bytes(_jsonl(1))
    (tmp_path / "outdir").mkdir()
    for argv in (
        ["batch", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "outdir")],
        ["batch", "prepare", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "no" / "such" / "dir" / "r.jsonl")],
    ):
        code, out, err = run([*argv, "--base-url", server.url, "--model", "fake"])
        assert out == ""
        assert code == 2 and "cannot write" in err and len(err.strip().splitlines()) == 1
    assert server.stats.as_dict()["completions"] == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["batch", "{ok}", "-o", "{out}", "--store", "{folder}"],
        ["batch", "collect", "{ok}", "{ok}", "--source", "{ok}", "-o", "{out}", "--store", "{folder}"],
        ["story", "{ok}", "{ok}", "--store", "{folder}"],
    ],
    ids=["batch", "batch collect", "story"],
)
def test_a_folder_as_the_store_is_one_line_and_exit_2(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("SUMMARIZER_MODEL", "fake")
    paths = _bad_paths(tmp_path)
    ok = tmp_path / "in.jsonl"
    ok.write_text('{"text": "The council approved 12 parks."}\n')
    filled = [a.format(ok=ok, out=tmp_path / "out.jsonl", folder=paths["folder"]) for a in argv]
    code, out, err = run(filled)
    assert (code, out) == (2, "") and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert f"cannot use {paths['folder']} as the result store" in err


def test_an_unreadable_file_read_fails_in_one_line(fake: FakeLLM) -> None:
    # /proc/self/mem exists and opens, but reading it from the start fails (EIO): a read error, not a missing file.
    code, out, err = run(["brief", "/proc/self/mem"])
    assert (code, out) == (2, "") and "cannot read /proc/self/mem" in err and "Traceback" not in err


# -- batch status -----------------------------------------------------------------------------------------------


def test_a_brief_whose_check_failed_is_flagged(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    wrong = json.loads(json.dumps(seed_000_draft))
    wrong["bullets"][1]["text"] = "Cluster munitions in Kharkiv killed one person and wounded 498"
    llm = FakeLLM([seed_000_draft, wrong])
    articles = [seed_000, seed_000.model_copy(update={"id": "wrong", "source": "other"})]
    results = list(summarize_many(articles, summarizer=Summarizer(llm=llm), concurrency=1, ordered=True))
    assert [r.status for r in results] == ["ok", "flagged"]
    assert all(r.ok for r in results)  # a summary was produced either way
    assert json.loads(results[1].to_line())["status"] == "flagged"
    tally = Tally()
    for r in results:
        tally.add(r)
    assert "2 inputs (0 from the store): 1 ok, 1 flagged, 0 failed" in tally.line()


# -- --format text ----------------------------------------------------------------------------------------------


def test_text_format_is_plain_text(fake: FakeLLM) -> None:
    code, out, _ = run(["brief", str(SEED_000), "--format", "text", "--published", "2025-04-18"])
    assert code == 0
    assert "#" not in out and "**" not in out and "> " not in out
    assert not re.search(r"(?m)(^|\s)_\S|\S_($|\s)", out)  # no _italic_ marks
    assert "\nClaims\n" in out and "\nTimeline\n" in out
    assert "2025-04-04 (April 4) — " in out


def test_plain_strips_story_markup_whole() -> None:
    from summarizer.render import plain

    md = (
        "## T – Story Quick Look\n\n### Claims by claimant\n\n- **A**: x _(found by numbers)_\n    > A: “q”\n_check: 1_"
    )
    assert (
        plain(md) == "T – Story Quick Look\n\nClaims by claimant\n\n- A: x (found by numbers)\n      A: “q”\ncheck: 1"
    )
    assert plain("_AP · seed_000_newslooks.txt_") == "AP · seed_000_newslooks.txt"


# -- --key ------------------------------------------------------------------------------------------------------


def test_key_option_reaches_the_backend_and_is_never_printed(
    fault_server: FaultServer, seed_000_draft: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fault_server.script(completion(seed_000_draft), error(401, f"bad key {TEST_KEY[:6]}"))
    base = ["brief", str(SEED_000), "--base-url", fault_server.url, "--model", "m", "--key", TEST_KEY]
    code, out, err = run(base)
    assert code == 0, err
    assert fault_server.requests[0].headers["authorization"] == f"Bearer {TEST_KEY}"
    code, out2, err2 = run(base)
    assert code == 1
    assert TEST_KEY not in out + err + out2 + err2


def test_help_lists_key(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["brief"], ["story"], ["batch"], ["batch", "prepare"], ["batch", "collect"], ["batch", "run"]):
        cli.main([*command, "--help"])
        assert "--key KEY" in capsys.readouterr().out, command


# -- reprs ------------------------------------------------------------------------------------------------------


def test_summarizer_and_summary_repr_in_one_line(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    s = Summarizer(llm=FakeLLM([seed_000_draft]), tasks=["brief", "claims"])
    assert repr(s) == "Summarizer(model='fake-model', backend='compatible', tasks=['brief', 'claims'], policy='report')"
    summary = s.summarize(seed_000)
    shown = repr(summary)
    assert "\n" not in shown and len(shown) < 200 and "Kharkiv" not in shown
    assert shown.startswith("Summary(title='U.S. may quit Ukraine peace talks without quick progress', bullets=6,")
    assert "ok=True" in shown and str(summary) == shown
    assert "\n" not in repr(seed_000) and len(repr(seed_000)) < 200


def test_an_unconfigured_summarizer_reprs_without_raising(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("summarizer.local.is_available", lambda: False)
    assert repr(Summarizer()).startswith("Summarizer(backend=None (none configured), tasks=")


# -- published_at -----------------------------------------------------------------------------------------------


def test_a_bad_published_at_is_an_input_error_naming_field_and_value() -> None:
    with pytest.raises(InputError) as caught:
        Article(text="Some text.", published_at="18/04/2025")
    assert "published_at" in str(caught.value) and "'18/04/2025'" in str(caught.value)
    assert Article(text="x", published_at="2025-04-18T09:30:00Z").published_at is not None


# -- JSONL errors -----------------------------------------------------------------------------------------------


def test_jsonl_errors_in_words_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "first", "text": "Fine."}),
                "",
                '{"text": "unterminated',
                json.dumps({"body": "the text is here"}),
                json.dumps({"text": "Fine.", "published_at": "yesterday"}),
                json.dumps({"text": "Fine.", "colour": "red"}),
            ]
        )
        + "\n"
    )
    items = list(read_jsonl(path))
    messages = [i.error.message if i.error else None for i in items]
    assert messages[0] is None
    assert messages[1] == "line 3: not valid JSON (unterminated string starting at column 10)"
    assert messages[2] == "line 4: no 'text' field (has: body)"
    assert messages[3] is not None and messages[3].startswith("line 5: published_at 'yesterday' is not a date")
    assert messages[4] is not None and messages[4].startswith("line 6: unknown field 'colour'")
    assert not any("more)" in (m or "") for m in messages)
    results = list(summarize_many(items, summarizer=Summarizer(llm=FakeLLM([]))))
    no_id = [r for r in results if r.id != "first"]  # the lines without an id: their errors
    assert len(no_id) == 4 and all(r.status == "error" and r.id == str(r.index + 1) for r in no_id)


# -- the views an editor reads (issue 12, item 7) ---------------------------------------------------------------


def test_views_show_source_date_cited_sentences_and_verdicts(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    from summarizer.render import markdown, text

    draft = json.loads(json.dumps(seed_000_draft))
    draft["bullets"][1]["text"] = "Cluster munitions in Kharkiv killed one person and wounded 498"
    summary = Summarizer(llm=FakeLLM([draft])).summarize(seed_000)
    md = markdown(summary)
    assert md.splitlines()[1] == "_AP · published 2025-04-18 · seed_000_"
    bullets = [line for line in md.splitlines() if line.startswith("- ")][: len(draft["bullets"])]
    for line, bullet in zip(bullets, draft["bullets"], strict=True):
        assert f"[S{bullet['cites'][0]}]" in line
    assert bullets[0].endswith(" ✓")
    assert "⚠" in bullets[1] and "498" in bullets[1] and "does not appear in the source" in bullets[1]
    rubio = sentence_of(seed_000.text, "We are now reaching a point")
    assert (
        f"**Marco Rubio** (U.S. Secretary of State): The U.S. must soon decide whether peace is possible. [S{rubio}] ✓"
        in md
    )
    plain_text = text(summary)
    assert plain_text.splitlines()[1] == "AP · published 2025-04-18 · seed_000"
    assert "⚠" in plain_text and "**" not in plain_text and "#" not in plain_text


def test_dropped_items_do_not_move_their_flags_onto_others(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    from summarizer.render import markdown

    draft = json.loads(json.dumps(seed_000_draft))
    draft["bullets"][1]["text"] = "Cluster munitions in Kharkiv killed one person and wounded 498"
    summary = Summarizer(llm=FakeLLM([draft]), policy="drop").summarize(seed_000)
    bullets = [line for line in markdown(summary).splitlines() if line.startswith("- ")][:5]
    assert all(line.endswith(" ✓") for line in bullets), bullets
    assert "dropped as unsupported: quick_look.bullets[1]" in markdown(summary)


def test_a_flagged_title_gets_its_verdict_under_the_heading(seed_000: Article, seed_000_draft: dict[str, Any]) -> None:
    from summarizer.render import markdown

    draft = {**seed_000_draft, "title": "U.S. may quit talks after 45 days"}
    md = markdown(Summarizer(llm=FakeLLM([draft]), tasks=["brief"]).summarize(seed_000))
    assert md.splitlines()[0] == "## U.S. may quit talks after 45 days – Quick Look"  # the heading stays clean
    assert 'title: ⚠ "45" does not appear in the source' in md.splitlines()
