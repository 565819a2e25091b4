"""The file tools that change things, against real files. Each change is made twice on identical
trees, once by the tool and once by the shell line it renders (run with bash), and the two trees must
end up the same. Risk assessment is checked from the arguments."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nlsh.safety.risk import Risk
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.files import TOOLS

BY_NAME = {t.name: t for t in TOOLS}
OLD = 1_600_000_000  # a fixed mtime, so copies that keep times can be compared exactly


def call(ctx: ToolContext, name: str, /, **args):
    tool = BY_NAME[name]
    return tool.run(ctx, tool.validate(args)).rows


def assess(ctx: ToolContext, name: str, /, **args):
    tool = BY_NAME[name]
    return tool.assess(tool.validate(args), ctx)


def run_shell(cwd: Path, name: str, /, **args) -> subprocess.CompletedProcess:
    tool = BY_NAME[name]
    line = tool.as_shell(tool.validate(args))
    return subprocess.run(["bash", "--noprofile", "--norc", "-c", line], cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def state(root: Path) -> dict[str, tuple]:
    """Everything that matters about a tree: type, bytes, permission bits, link targets."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = ("dir", p.stat().st_mode & 0o777)
            else:
                out[rel] = ("file", p.read_bytes(), p.stat().st_mode & 0o777)
    return out


def build(root: Path) -> ToolContext:
    root.mkdir()
    for name, data in {
        "a.txt": b"alpha\n",
        "b.txt": b"bravo bytes \x00\xff\n",
        "dir/one.txt": b"one\n",
        "dir/sub/two.txt": b"two\n",
        "full/x.txt": b"x\n",
    }.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        os.utime(p, (OLD, OLD))
    (root / "dir" / "sub" / "run.sh").write_bytes(b"#!/bin/sh\n")
    (root / "dir" / "sub" / "run.sh").chmod(0o750)
    (root / "dir" / "link").symlink_to("one.txt")
    (root / "empty").mkdir()
    (root / "to-empty").symlink_to("empty")
    return ToolContext(cwd=root)


@pytest.fixture
def twins(tmp_path):
    """Two identical trees: one for the tool, one for the shell line."""
    return build(tmp_path / "tool"), build(tmp_path / "shell")


def same_effect(twins, name: str, **args) -> dict[str, tuple]:
    tool_ctx, shell_ctx = twins
    call(tool_ctx, name, **args)
    done = run_shell(shell_ctx.cwd, name, **args)
    assert done.returncode == 0, done.stderr
    after = state(tool_ctx.cwd)
    assert after == state(shell_ctx.cwd)
    return after


# --- write_file -----------------------------------------------------------------------------------

TRICKY = "it's \"quoted\"\n$(touch pwned) `id` \\n %s %d\n-leading\nünïcödé ✓\n"


@pytest.mark.parametrize("args", [
    {"path": "new.txt", "content": TRICKY},
    {"path": "a.txt", "content": "replaced"},
    {"path": "a.txt", "content": TRICKY, "append": True},
    {"path": "-dash", "content": "-n"},
    {"path": "dir/empty-content.txt", "content": ""},
], ids=["new", "overwrite", "append", "dash", "empty"])
def test_write_file_same_as_printf(twins, args):
    after = same_effect(twins, "write_file", **args)
    assert "pwned" not in after
    assert after[args["path"].lstrip("./")][1].endswith(args["content"].encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
       name=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"), min_size=1, max_size=12))
def test_rendered_write_is_one_line_and_writes_the_same_bytes(tmp_path, content, name):
    assume(name not in (".", "..") and not name.startswith("~"))  # ~ is expanded on purpose: tested below
    line = BY_NAME["write_file"].as_shell({"path": name, "content": content, "append": False})
    assert "\n" not in line
    where = tmp_path / "hypo"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir()
    done = subprocess.run(["bash", "--noprofile", "--norc", "-c", line], cwd=where, capture_output=True, timeout=30)
    assert done.returncode == 0, (line, done.stderr)
    assert [p.name for p in where.iterdir()] == [name]
    assert (where / name).read_bytes() == content.encode()


def test_home_paths_mean_the_same_to_the_tool_and_to_bash(twins, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    call(twins[0], "write_file", path="~/from tool.txt", content="t")
    line = BY_NAME["write_file"].as_shell({"path": "~/from shell.txt", "content": "s", "append": False})
    assert line == "printf %s s > ~/'from shell.txt'"
    subprocess.run(["bash", "--noprofile", "--norc", "-c", line], cwd=twins[1].cwd, check=True)
    assert sorted(p.name for p in home.iterdir()) == ["from shell.txt", "from tool.txt"]


def test_write_file_risk_depends_on_what_is_there(twins):
    ctx, _ = twins
    new = assess(ctx, "write_file", path="new.txt", content="x")
    assert new.risk == Risk.WRITE and new.targets == (str(ctx.cwd / "new.txt"),)
    over = assess(ctx, "write_file", path="a.txt", content="x")
    assert over.risk == Risk.DESTRUCTIVE and "overwrites" in over.reasons[0]
    assert assess(ctx, "write_file", path="a.txt", content="x", append=True).risk == Risk.WRITE


def test_write_file_reports_what_it_did(twins):
    ctx, _ = twins
    assert call(ctx, "write_file", path="n.txt", content="abc")[0] | {"modified": None} == {
        "path": "n.txt", "type": "file", "size": 3, "modified": None, "action": "created"}
    assert call(ctx, "write_file", path="n.txt", content="de", append=True)[0]["action"] == "appended"
    assert (ctx.cwd / "n.txt").read_text() == "abcde"


@pytest.mark.parametrize("path, message", [("dir", "is a directory"), ("nowhere/x.txt", "no such directory")])
def test_write_file_refusals(twins, path, message):
    ctx, _ = twins
    with pytest.raises(ToolError, match=message):
        call(ctx, "write_file", path=path, content="x")


# --- make_directory -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["new", "deep/er/still", "dir", "-opt"])
def test_make_directory_same_as_mkdir_p(twins, path):
    after = same_effect(twins, "make_directory", path=path)
    assert after[path][0] == "dir"


def test_make_directory_onto_a_file_fails(twins):
    with pytest.raises(ToolError, match="not a directory"):
        call(twins[0], "make_directory", path="a.txt")


# --- copy -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    {"source": "a.txt", "destination": "c.txt"},
    {"source": "a.txt", "destination": "b.txt"},
    {"source": "a.txt", "destination": "dir"},
    {"source": "dir", "destination": "copy"},
    {"source": "dir", "destination": "empty"},
    {"source": "dir/link", "destination": "l2"},
], ids=["new", "overwrite", "into-dir", "tree", "tree-into-dir", "link"])
def test_copy_same_as_cp_a(twins, args):
    same_effect(twins, "copy", **args)


def test_copy_tree_twice_merges_like_cp_a(twins):
    same_effect(twins, "copy", source="dir", destination="full")
    after = same_effect(twins, "copy", source="dir", destination="full")  # links and files already there
    assert after["full/dir/link"] == ("link", "one.txt")


def test_copy_keeps_bytes_modes_and_times(twins):
    ctx, _ = twins
    call(ctx, "copy", source="dir", destination="copy")
    copied = ctx.cwd / "copy" / "sub" / "run.sh"
    assert copied.read_bytes() == b"#!/bin/sh\n" and copied.stat().st_mode & 0o777 == 0o750
    assert (ctx.cwd / "copy" / "one.txt").stat().st_mtime == OLD
    assert os.readlink(ctx.cwd / "copy" / "link") == "one.txt"


def test_copy_risk(twins):
    ctx, _ = twins
    assert assess(ctx, "copy", source="a.txt", destination="new.txt").risk == Risk.WRITE
    onto = assess(ctx, "copy", source="a.txt", destination="b.txt")
    assert onto.risk == Risk.DESTRUCTIVE and onto.targets == (str(ctx.cwd / "b.txt"),)


@pytest.mark.parametrize("source, destination, message", [
    ("a.txt", "a.txt", "same file"),
    ("dir", "dir/sub", "inside itself"),
    ("dir", "a.txt", "non-directory"),
    ("ghost", "x", "no such file"),
    ("a.txt", "nowhere/x", "no such directory"),
])
def test_copy_refusals(twins, source, destination, message):
    ctx, _ = twins
    before = state(ctx.cwd)
    with pytest.raises(ToolError, match=message):
        call(ctx, "copy", source=source, destination=destination)
    assert state(ctx.cwd) == before


# --- move -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    {"source": "a.txt", "destination": "renamed.txt"},
    {"source": "a.txt", "destination": "b.txt"},
    {"source": "a.txt", "destination": "dir"},
    {"source": "dir", "destination": "moved"},
    {"source": "dir", "destination": "full"},
    {"source": "a.txt", "destination": "to-empty"},
], ids=["rename", "replace", "into-dir", "tree", "tree-into-dir", "into-linked-dir"])
def test_move_same_as_mv(twins, args):
    after = same_effect(twins, "move", **args)
    assert args["source"] not in after


def test_move_is_destructive_and_names_both_paths(twins):
    ctx, _ = twins
    a = assess(ctx, "move", source="a.txt", destination="b.txt")
    assert a.risk == Risk.DESTRUCTIVE
    assert a.targets == (str(ctx.cwd / "a.txt"), str(ctx.cwd / "b.txt"))
    assert any("replaces existing" in r for r in a.reasons)


def test_move_onto_a_non_empty_directory_fails_like_mv(twins):
    ctx, shell_ctx = twins
    (ctx.cwd / "full" / "dir").mkdir()
    (ctx.cwd / "full" / "dir" / "keep.txt").write_text("k")
    with pytest.raises(ToolError, match="not empty"):
        call(ctx, "move", source="dir", destination="full")
    assert (ctx.cwd / "dir" / "one.txt").exists()


# --- delete ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    {"path": "a.txt"}, {"path": "dir", "recursive": True}, {"path": "dir/link"}, {"path": "empty", "recursive": True},
])
def test_delete_same_as_rm(twins, args):
    after = same_effect(twins, "delete", **args)
    assert args["path"] not in after


def test_delete_of_a_link_keeps_its_target(twins):
    ctx, _ = twins
    call(ctx, "delete", path="dir/link")
    assert (ctx.cwd / "dir" / "one.txt").read_bytes() == b"one\n"


def test_delete_preview_counts_what_it_would_remove(twins):
    ctx, _ = twins
    a = assess(ctx, "delete", path="dir", recursive=True)
    assert a.risk == Risk.DESTRUCTIVE and a.targets == (str(ctx.cwd / "dir"),)
    assert "5 entries" in a.reasons[0]  # one.txt, link, sub, sub/two.txt, sub/run.sh
    assert "6 B" in assess(ctx, "delete", path="a.txt").reasons[0]


@pytest.mark.parametrize("path, message", [
    ("dir", "recursive"), ("ghost", "no such file"), (".", "current directory"), ("..", "current directory"),
    ("~", "home directory"),
])
def test_delete_refusals(twins, path, message, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # a stand-in: a broken refusal must not cost the real one
    (tmp_path / "home").mkdir()
    ctx, _ = twins
    before = state(ctx.cwd)
    with pytest.raises(ToolError, match=message):
        call(ctx, "delete", path=path, recursive=True if path != "dir" else False)
    assert state(ctx.cwd) == before


def test_delete_refuses_the_root_directory(twins):
    # checked on the guard itself: a test must never be one bug away from deleting /
    from nlsh.tools.files_write import _protected

    assert _protected(Path("/"), twins[0]) == "the root directory"
    assert _protected(twins[0].cwd / "a.txt", twins[0]) is None


def test_change_tools_declare_their_risk():
    declared = {name: BY_NAME[name].risk for name in ("write_file", "make_directory", "copy", "move", "delete")}
    assert declared == {"write_file": Risk.WRITE, "make_directory": Risk.WRITE, "copy": Risk.WRITE,
                        "move": Risk.DESTRUCTIVE, "delete": Risk.DESTRUCTIVE}
