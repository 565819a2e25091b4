"""Undo: what a request's tools delete, overwrite, move or create is put back byte for byte, once."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from nlsh import paths
from nlsh.safety import undo as undo_module
from nlsh.safety.undo import Journal, NothingToUndo, UndoError, list_journals, undo
from nlsh.tools.context import ToolContext
from nlsh.tools.files import TOOLS

BY_NAME = {t.name: t for t in TOOLS}
OLD = 1_600_000_000


def state(root: Path) -> dict[str, tuple]:
    """Type, bytes, permission bits, mtime (files) and link targets of every entry below ROOT."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            rel = str(p.relative_to(root))
            st = p.lstat()
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = ("dir", st.st_mode & 0o7777)
            else:
                out[rel] = ("file", p.read_bytes(), st.st_mode & 0o7777, st.st_mtime_ns)
    return out


@pytest.fixture
def work(tmp_path) -> Path:
    root = tmp_path / "work"
    for name, data in {"notes.txt": b"keep me\n", "data.bin": bytes(range(256)) * 40,
                       "proj/a.py": b"print(1)\n", "proj/lib/b.py": b"\x00\x01binary\xff",
                       "other/x.txt": b"x\n"}.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        os.utime(p, (OLD, OLD))
    (root / "proj" / "lib" / "b.py").chmod(0o600)
    (root / "proj" / "link").symlink_to("a.py")
    (root / "alias.txt").symlink_to("notes.txt")
    (root / "proj" / "empty").mkdir()
    return root


def request(root: Path, *steps: tuple[str, dict], text: str = "a request", request_id: int | None = None) -> Journal:
    """Run tool steps the way the session does: one journal per request, set on the context."""
    ctx = ToolContext(cwd=root, journal=Journal.open(request_id, text))
    for name, args in steps:
        tool = BY_NAME[name]
        tool.run(ctx, tool.validate(args))
        ctx.journal.settle()
    return ctx.journal


CHANGES = {
    "delete file": [("delete", {"path": "notes.txt"})],
    "delete tree": [("delete", {"path": "proj", "recursive": True})],
    "delete link": [("delete", {"path": "proj/link"})],
    "overwrite": [("write_file", {"path": "data.bin", "content": "gone"})],
    "write through link": [("write_file", {"path": "alias.txt", "content": "through"})],
    "append": [("write_file", {"path": "notes.txt", "content": "more", "append": True})],
    "create": [("write_file", {"path": "new.txt", "content": "fresh"})],
    "move file": [("move", {"source": "notes.txt", "destination": "renamed.txt"})],
    "move onto file": [("move", {"source": "notes.txt", "destination": "other/x.txt"})],
    "move tree": [("move", {"source": "proj", "destination": "other"})],
    "copy onto file": [("copy", {"source": "notes.txt", "destination": "data.bin"})],
    "copy tree merge": [("copy", {"source": "proj", "destination": "other"}),
                        ("copy", {"source": "proj", "destination": "other"})],
    "mkdir": [("make_directory", {"path": "a/b/c"})],
    "several": [("write_file", {"path": "notes.txt", "content": "v2"}), ("write_file", {"path": "notes.txt", "content": "v3"}),
                ("move", {"source": "notes.txt", "destination": "proj"}), ("delete", {"path": "proj", "recursive": True}),
                ("write_file", {"path": "proj", "content": "a file where a tree was"})],
}


@pytest.mark.parametrize("steps", CHANGES.values(), ids=CHANGES.keys())
def test_undo_restores_byte_for_byte(work, steps):
    before = state(work)
    request(work, *steps)
    assert state(work) != before  # the request did change something
    lines = undo()
    assert state(work) == before
    assert lines and all(not line.startswith(("failed", "could not")) for line in lines)


def test_undo_twice_says_nothing_to_undo(work):
    request(work, ("delete", {"path": "notes.txt"}))
    undo()
    with pytest.raises(NothingToUndo, match="already undone"):
        undo()
    with pytest.raises(NothingToUndo):
        undo(1)
    assert (work / "notes.txt").read_bytes() == b"keep me\n"


def test_undo_messages_say_what_was_restored(work, monkeypatch):
    monkeypatch.chdir(work)
    request(work, ("delete", {"path": "notes.txt"}), ("write_file", {"path": "n.txt", "content": "x"}),
            ("move", {"source": "data.bin", "destination": "d.bin"}))
    lines = undo()
    kept = paths.data_dir() / "undo" / "1" / "replaced" / "1-n.txt"
    assert lines == ["moved d.bin back to data.bin", f"removed n.txt (it did not exist before); it is kept in {kept}",
                     "restored notes.txt (deleted)"]
    assert kept.read_text() == "x"


def test_nothing_recorded_means_nothing_to_undo(work):
    request(work, ("list_directory", {}), ("read_file", {"path": "notes.txt"}))
    assert not (paths.data_dir() / "undo").exists() or list_journals() == []
    with pytest.raises(NothingToUndo, match="nothing to undo"):
        undo()


def test_undo_a_given_older_request(work):
    request(work, ("delete", {"path": "notes.txt"}), text="delete the notes", request_id=7)
    request(work, ("delete", {"path": "data.bin"}), text="delete the data", request_id=8)
    listed = list_journals()
    assert [(j["number"], j["request"], j["text"], j["changes"], j["undone"]) for j in listed] == [
        (1, 7, "delete the notes", 1, None), (2, 8, "delete the data", 1, None)]
    undo(1)
    assert (work / "notes.txt").exists() and not (work / "data.bin").exists()
    assert list_journals()[0]["undone"] and not list_journals()[1]["undone"]
    undo()  # the last one is still there to undo
    assert (work / "data.bin").read_bytes() == bytes(range(256)) * 40


def test_unknown_number_is_an_error(work):
    with pytest.raises(UndoError, match="no change number 42"):
        undo(42)


def test_journal_layout_on_disk(work):
    request(work, ("delete", {"path": "notes.txt"}), text="tidy up", request_id=3)
    root = paths.data_dir() / "undo" / "1"
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["text"] == "tidy up" and manifest["request_id"] == 3
    entry = manifest["entries"][0]
    assert entry["op"] == "trash" and entry["path"] == str(work / "notes.txt") and entry["time"]
    assert (root / entry["saved"]).read_bytes() == b"keep me\n"
    info = (root / "info" / (Path(entry["saved"]).name + ".trashinfo")).read_text()
    assert info.startswith("[Trash Info]\nPath=") and "DeletionDate=" in info


def test_undo_never_destroys_what_is_in_the_way(work):
    request(work, ("delete", {"path": "notes.txt"}))
    (work / "notes.txt").write_text("written later")
    undo(force=True)
    assert (work / "notes.txt").read_bytes() == b"keep me\n"
    replaced = list((paths.data_dir() / "undo" / "1" / "replaced").iterdir())
    assert [p.read_text() for p in replaced] == ["written later"]


def test_snapshot_for_a_shell_step(work):
    before = state(work)
    journal = Journal.open(None, "shell step")
    assert journal.snapshot([work / "notes.txt", work / "made.txt", "/dev/null"]) == []
    subprocess.run(["bash", "--noprofile", "--norc", "-c", "echo changed > notes.txt; echo new > made.txt"],
                   cwd=work, check=True)
    journal.settle()
    undo()
    assert state(work) == before


def test_too_big_to_keep_is_said_not_hidden(work, monkeypatch):
    monkeypatch.setattr(undo_module, "KEEP_MAX_BYTES", 100)
    journal = Journal.open(None, "big overwrite")
    assert journal.snapshot([work / "data.bin"]) == [str(work / "data.bin")]
    lines = undo()
    assert lines == [f"could not restore {work / 'data.bin'}: no copy was kept (over 100 bytes)"]


def test_journals_get_distinct_numbers(work):
    first, second = Journal.open(1, "one"), Journal.open(2, "two")
    first.keep(work / "notes.txt")
    second.keep(work / "data.bin")
    assert {first.seq, second.seq} == {1, 2}


def shell_step(root: Path, command: str, targets: list[str], text: str = "shell step") -> Journal:
    """A shell step the way the session runs one: snapshot its targets, run it, settle the journal."""
    journal = Journal.open(None, text)
    journal.snapshot([root / t for t in targets])
    subprocess.run(["bash", "--noprofile", "--norc", "-c", command], cwd=root)
    journal.settle()
    return journal


def test_a_created_file_edited_later_is_left_alone(work, monkeypatch):
    monkeypatch.chdir(work)
    shell_step(work, "touch created.txt", ["created.txt"])
    (work / "created.txt").write_text("user work")
    lines = undo()
    assert len(lines) == 1 and lines[0].startswith("left created.txt alone: it changed after change 1")
    assert "--force 1" in lines[0]
    assert (work / "created.txt").read_text() == "user work"
    assert list_journals()[0]["undone"] is None and list_journals()[0]["pending"] == 1


def test_force_removes_it_and_keeps_the_content(work, monkeypatch):
    monkeypatch.chdir(work)
    shell_step(work, "touch created.txt", ["created.txt"])
    (work / "created.txt").write_text("user work")
    undo()
    [line] = undo(force=True)
    kept = Path(line.split("it is kept in ")[1])
    assert not (work / "created.txt").exists() and kept.read_text() == "user work"
    with pytest.raises(NothingToUndo, match="already undone"):
        undo(force=True)


def test_an_unchanged_creation_is_still_undone(work):
    shell_step(work, "touch created.txt", ["created.txt"])
    assert undo()[0].startswith("removed")
    assert not (work / "created.txt").exists()


def test_a_blocked_creation_is_not_recorded(work):
    shell_step(work, "false && echo x > never.txt", ["never.txt"])
    assert list_journals() == []  # the step created nothing, so there is nothing to undo
    (work / "never.txt").write_text("precious")
    with pytest.raises(NothingToUndo):
        undo()
    assert (work / "never.txt").read_text() == "precious"


def test_an_untouched_file_is_not_recorded_and_its_copy_is_dropped(work):
    journal = shell_step(work, "true", ["notes.txt", "proj"])
    assert journal.entries == [] and list_journals() == []
    assert not list((journal.directory / "files").iterdir())


def test_a_deleted_file_made_again_later_is_left_alone(work, monkeypatch):
    monkeypatch.chdir(work)
    request(work, ("delete", {"path": "notes.txt"}))
    (work / "notes.txt").write_text("new notes")
    assert undo()[0].startswith("left notes.txt alone")
    assert (work / "notes.txt").read_text() == "new notes"


def test_an_edit_inside_a_created_tree_is_noticed(work, monkeypatch):
    monkeypatch.chdir(work)
    request(work, ("make_directory", {"path": "made/deeper"}))
    (work / "made" / "deeper" / "mine.txt").write_text("mine")
    assert undo()[0].startswith("left made alone")
    assert (work / "made" / "deeper" / "mine.txt").read_text() == "mine"


def test_only_the_changed_part_is_left_for_later(work, monkeypatch):
    monkeypatch.chdir(work)
    request(work, ("delete", {"path": "notes.txt"}), ("write_file", {"path": "data.bin", "content": "new"}))
    (work / "data.bin").write_text("edited by hand")
    lines = undo()
    assert lines[0].startswith("left data.bin alone") and lines[1] == "restored notes.txt (deleted)"
    assert undo(force=True) == [f"restored data.bin as it was before; what was there is kept in "
                                f"{paths.data_dir() / 'undo' / '1' / 'replaced' / '1-data.bin'}"]
    assert (work / "data.bin").read_bytes() == bytes(range(256)) * 40
