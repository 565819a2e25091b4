"""tools/evalkit: fixture materialisation and the tree snapshot/effect it is scored with."""

import base64
import calendar
import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from evalkit.fixture import FixtureError, materialise  # noqa: E402
from evalkit.snapshot import effect_of, snapshot  # noqa: E402

NOW = 1_700_000_000.0
BINARY = bytes([0, 255, 10, 13, 128, 7])


def manifest(*entries):
    return {"entries": list(entries)}


def test_files_dirs_modes_and_mtimes(tmp_path):
    materialise(manifest(
        {"path": "/tb", "type": "dir", "mode": "0o755", "mtime": "2021-02-03T04:05:06Z"},
        {"path": "/tb/sub", "type": "dir", "mode": "0o700", "mtime": None},
        {"path": "/tb/sub/note.txt", "type": "file", "mode": "0o1553", "mtime": None, "text": "héllo\n"},
        {"path": "/tb/blob.bin", "type": "file", "mode": "0o400", "mtime": "2023-05-31T23:59:59Z",
         "base64": base64.b64encode(BINARY).decode()},
        {"path": "/top.html", "type": "file", "mode": "0o644", "mtime": None, "text": "<p>"},
    ), tmp_path, NOW)
    note = tmp_path / "tb/sub/note.txt"
    blob = tmp_path / "tb/blob.bin"
    assert note.read_bytes() == "héllo\n".encode()
    assert blob.read_bytes() == BINARY
    assert stat.S_IMODE(note.stat().st_mode) == 0o1553  # the sticky bit survives
    assert stat.S_IMODE(blob.stat().st_mode) == 0o400
    assert stat.S_IMODE((tmp_path / "tb/sub").stat().st_mode) == 0o700
    assert blob.stat().st_mtime == calendar.timegm((2023, 5, 31, 23, 59, 59))
    assert note.stat().st_mtime == NOW
    # a directory keeps its own mtime although its children were written after it was made
    assert (tmp_path / "tb").stat().st_mtime == calendar.timegm((2021, 2, 3, 4, 5, 6))
    assert (tmp_path / "top.html").read_text() == "<p>"


def test_sha256_is_checked(tmp_path):
    good = {"path": "/a", "type": "file", "mode": "0o644", "mtime": None, "text": "x",
            "sha256": hashlib.sha256(b"x").hexdigest()}
    materialise(manifest(good), tmp_path / "ok", NOW)
    with pytest.raises(FixtureError):
        materialise(manifest(dict(good, text="y")), tmp_path / "bad", NOW)


def test_paths_cannot_leave_the_root(tmp_path):
    with pytest.raises(FixtureError):
        materialise(manifest({"path": "/../escape", "type": "file", "mode": "0o644",
                              "mtime": None, "text": ""}), tmp_path / "root", NOW)
    assert not (tmp_path / "escape").exists()


def test_effect_sees_added_changed_deleted_and_modes_not_mtimes(tmp_path):
    (tmp_path / "keep.txt").write_text("same")
    (tmp_path / "edit.txt").write_text("old")
    (tmp_path / "gone.txt").write_text("bye")
    (tmp_path / "mode.txt").write_text("m")
    (tmp_path / "mnt").mkdir()
    (tmp_path / "mnt/inside").write_text("not looked at")
    before = snapshot(tmp_path, skip=frozenset({"/mnt"}))
    (tmp_path / "edit.txt").write_text("new")
    (tmp_path / "gone.txt").unlink()
    (tmp_path / "new").mkdir()
    (tmp_path / "new/file").write_bytes(b"")
    os.chmod(tmp_path / "mode.txt", 0o600)
    os.utime(tmp_path / "keep.txt", (1, 1))
    (tmp_path / "mnt/inside").write_text("changed behind a mount point")
    effect = effect_of(before, snapshot(tmp_path, skip=frozenset({"/mnt"})))
    assert sorted(effect) == ["/edit.txt", "/gone.txt", "/mode.txt", "/new", "/new/file"]
    assert effect["/gone.txt"] == ("deleted",)
    assert effect["/new"][0] == "added" and effect["/edit.txt"][0] == "changed"
    assert effect["/edit.txt"][1][2] == hashlib.sha256(b"new").hexdigest()
