"""Arguments every CLI command shares: file arguments ("-" is stdin or stdout; a bad path is a one-line usage
error) and the API key option."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from summarizer.errors import ConfigError

#: The file argument that means stdin for an input and stdout for an output.
STDIO = "-"


def add_key_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--key``: the API key for the backend (the environment's OPENAI_API_KEY when not given)."""
    parser.add_argument(
        "--key",
        metavar="KEY",
        help="API key for the backend (default: env OPENAI_API_KEY, which the process list does not show); never "
        "printed or logged",
    )


class FileArgumentError(ConfigError):
    """A file argument names a folder, a missing or an unreadable file (the CLI exits 2 with this one line)."""


def _reason(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if isinstance(exc, NotADirectoryError):
        return "a part of the path is a file, not a folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def cannot_read(path: str | os.PathLike[str], exc: OSError) -> FileArgumentError:
    """The one-line error for an input that cannot be read."""
    return FileArgumentError(f"cannot read {os.fspath(path)}: {_reason(exc)}")


def copy_stdin(to: BinaryIO) -> None:
    """Copy all of stdin to ``to`` in chunks (a text-only stand-in for stdin is encoded as UTF-8)."""
    try:
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is not None:
            shutil.copyfileobj(buffer, to)
        else:
            to.write(sys.stdin.read().encode())
    except (OSError, AttributeError) as exc:  # stdin closed (None) or not readable
        raise FileArgumentError(f"cannot read stdin (-): {exc}") from None


def stdin_bytes() -> bytes:
    """All of stdin, as bytes."""
    data = io.BytesIO()
    copy_stdin(data)
    return data.getvalue()


def read_bytes(path: str) -> bytes:
    """The bytes of a file argument; "-" reads stdin."""
    if path == STDIO:
        return stdin_bytes()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise cannot_read(path, exc) from None


def check_readable(path: str, *, folder_ok: bool = False) -> None:
    """Refuse a missing path, or a folder where a file is wanted, before any work starts."""
    target = Path(path)
    try:
        if target.is_dir():
            if folder_ok:
                return
            raise IsADirectoryError(21, "Is a directory", path)
        if not target.exists():
            raise FileNotFoundError(2, "No such file", path)
        if target.is_file():  # a pipe (<(cmd)) is not opened here: what it holds would be lost
            with open(target, "rb"):
                pass
    except OSError as exc:
        raise cannot_read(path, exc) from None


def single_stdin(*paths: str) -> None:
    """Stdin can be read once: refuse two "-" inputs in one command."""
    if sum(p == STDIO for p in paths) > 1:
        raise FileArgumentError("stdin (-) can be read only once; give the other inputs as files")


@contextlib.contextmanager
def input_path(path: str, *, folder_ok: bool = False) -> Iterator[str]:
    """A path the library can open: "-" copies stdin to a temporary file (streamed, for the run); others are checked."""
    if path != STDIO:
        check_readable(path, folder_ok=folder_ok)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="summarizer-stdin-") as tmp:
        spool = Path(tmp) / "stdin"
        with open(spool, "wb") as fh:
            copy_stdin(fh)
        yield str(spool)


def check_writable(path: str) -> None:
    """Refuse an output that is a folder or whose folder does not exist, before any work starts."""
    if path == STDIO:
        return
    target = Path(path)
    if target.is_dir():
        raise FileArgumentError(f"cannot write {path}: it is a folder, not a file")
    parent = target.parent
    if not parent.is_dir():
        raise FileArgumentError(f"cannot write {path}: the folder {parent} does not exist")


def check_store(path: str | None) -> None:
    """Refuse a folder as the SQLite result store (--store) before any work starts (a missing folder is made)."""
    if path is not None and Path(path).is_dir():
        raise FileArgumentError(f"cannot use {path} as the result store (--store): it is a folder, not a file")


@contextlib.contextmanager
def output_path(path: str, out: TextIO) -> Iterator[str]:
    """A path the library can write: for "-" a temporary file whose text goes to ``out`` when the run ends."""
    check_writable(path)
    if path != STDIO:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="summarizer-stdout-") as tmp:
        spool = Path(tmp) / "stdout"
        yield str(spool)
        if spool.exists():
            with open(spool, encoding="utf-8") as fh:
                shutil.copyfileobj(fh, out)
            out.flush()
