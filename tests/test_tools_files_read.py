"""The read-only file tools against real files, each checked against the shell line it renders
(run for real with bash): the rendered line must give the same answer as the tool."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.files import TOOLS

BY_NAME = {t.name: t for t in TOOLS}
DAY = 86400


def call(ctx: ToolContext, name: str, /, **args):
    tool = BY_NAME[name]
    result = tool.run(ctx, tool.validate(args))
    return result.rows if result.rows is not None else result.text


def shell(ctx: ToolContext, name: str, /, **args) -> str:
    """Run the line the tool renders, in the same directory, and return its stdout."""
    tool = BY_NAME[name]
    line = tool.as_shell(tool.validate(args))
    done = subprocess.run(["bash", "--noprofile", "--norc", "-c", line], cwd=ctx.cwd,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (line, done.stderr)
    return done.stdout


def strip_dot(path: str) -> str:
    return path[2:] if path.startswith("./") else path


@pytest.fixture
def tree(tmp_path) -> ToolContext:
    """A small project with distinct sizes and ages, a hidden file, a link, a binary, odd names."""
    now = time.time()
    files = {
        "notes.txt": "".join(f"line{i} hello\n" if i == 3 else f"line{i}\n" for i in range(1, 11)),
        "big.log": "x" * 20000,
        ".hidden": "secret hello\n",
        "-dash.txt": "dash\n",
        "with space.md": "Hello World\n\nbye\n",
        "it's $(touch pwned).txt": "quoted\n",
        "src/main.py": "import os\nprint('hello')\n",
        "src/util.py": "def hello():\n    return 1\n# hello again\n",
        "src/deep/x.PY": "HELLO\n",
    }
    for i, (name, text) in enumerate(files.items()):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        age = 10 * DAY if name == "big.log" else 60 * (i + 1)  # distinct mtimes, one old file
        os.utime(path, (now - age, now - age))
    (tmp_path / "image.bin").write_bytes(b"hello\0\x01\x02" * 10)
    os.utime(tmp_path / "image.bin", (now - 3000, now - 3000))
    (tmp_path / "link").symlink_to("notes.txt")
    for d, age in (("src/deep", 4000), ("src", 5000)):
        os.utime(tmp_path / d, (now - age, now - age))
    return ToolContext(cwd=tmp_path)


def ls_names(output: str) -> list[str]:
    names = []
    for line in output.splitlines():
        if line.startswith("total "):
            continue
        name = line.split(None, 8)[8]
        names.append(name.split(" -> ")[0] if line.startswith("l") else name)
    return names


# --- list_directory -------------------------------------------------------------------------------


def test_list_directory_matches_ls(tree):
    rows = call(tree, "list_directory")
    assert sorted(r["path"] for r in rows) == sorted(ls_names(shell(tree, "list_directory")))
    assert ".hidden" not in {r["path"] for r in rows}
    kinds = {r["path"]: r["type"] for r in rows}
    assert kinds["src"] == "dir" and kinds["link"] == "link" and kinds["notes.txt"] == "file"
    assert {"path", "type", "size", "modified", "mode"} <= set(rows[0])


def test_list_directory_all_shows_hidden_like_ls_A(tree):
    rows = call(tree, "list_directory", all=True)
    names = sorted(r["path"] for r in rows)
    assert ".hidden" in names and "." not in names
    assert names == sorted(ls_names(shell(tree, "list_directory", all=True)))


@pytest.mark.parametrize("sort", ["size", "time"])
def test_list_directory_sort_orders_like_ls(tree, sort):
    rows = call(tree, "list_directory", sort=sort)
    assert [r["path"] for r in rows] == ls_names(shell(tree, "list_directory", sort=sort))
    if sort == "size":
        assert rows[0]["path"] == "big.log"


def test_list_directory_limit(tree):
    rows = call(tree, "list_directory", sort="size", limit=3)
    assert [r["path"] for r in rows] == ls_names(shell(tree, "list_directory", sort="size", limit=3))
    assert len(rows) == 3


def test_list_directory_of_a_subdirectory_gives_paths_from_the_cwd(tree):
    rows = call(tree, "list_directory", path="src")
    assert {r["path"] for r in rows} == {"src/main.py", "src/util.py", "src/deep"}


def test_list_directory_missing_is_a_clear_error(tree):
    with pytest.raises(ToolError, match="no such file or directory: nope"):
        call(tree, "list_directory", path="nope")


# --- find_files -----------------------------------------------------------------------------------


FIND_CASES = [
    {"name": "*.py"},
    {"name": "note"},
    {"type": "dir"},
    {"type": "link"},
    {"min_size": 10000},
    {"max_size": 6},
    {"older_than_days": 5},
    {"modified_within_days": 1, "type": "file"},
    {"path": "src", "name": "*.py"},
]


@pytest.mark.parametrize("args", FIND_CASES, ids=lambda a: ",".join(f"{k}={v}" for k, v in a.items()))
def test_find_files_matches_find(tree, args):
    rows = call(tree, "find_files", **args)
    found = sorted(strip_dot(p) for p in shell(tree, "find_files", **args).splitlines())
    assert sorted(r["path"] for r in rows) == found
    assert found  # every case finds something, so an empty tool answer cannot pass


def test_find_files_filters_mean_what_they_say(tree):
    assert {r["path"] for r in call(tree, "find_files", name="*.py")} == {"src/main.py", "src/util.py", "src/deep/x.PY"}
    assert {r["path"] for r in call(tree, "find_files", min_size=10000)} == {"big.log"}
    assert {r["path"] for r in call(tree, "find_files", older_than_days=5)} == {"big.log"}
    assert all(r["type"] == "file" for r in call(tree, "find_files", max_size=6))


@pytest.mark.parametrize("sort", ["path", "size", "time"])
def test_find_files_sorted_and_limited_like_the_shell_line(tree, sort):
    rows = call(tree, "find_files", sort=sort, limit=4, type="file")
    assert [r["path"] for r in rows] == [strip_dot(p) for p in
                                         shell(tree, "find_files", sort=sort, limit=4, type="file").splitlines()]
    if sort == "size":
        assert rows[0]["path"] == "big.log"


# --- read_file ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [{}, {"head": 3}, {"tail": 2}, {"start": 2, "end": 4}, {"start": 8}, {"end": 2},
                                  {"head": 100}])
def test_read_file_matches_head_tail_sed_cat(tree, args):
    text = call(tree, "read_file", path="notes.txt", **args)
    assert text == shell(tree, "read_file", path="notes.txt", **args)
    assert text  # not vacuous


def test_read_file_parts_are_the_right_lines(tree):
    assert call(tree, "read_file", path="notes.txt", head=2) == "line1\nline2\n"
    assert call(tree, "read_file", path="notes.txt", tail=1) == "line10\n"
    assert call(tree, "read_file", path="notes.txt", start=3, end=3) == "line3 hello\n"


@pytest.mark.parametrize("name", ["-dash.txt", "with space.md", "it's $(touch pwned).txt"])
def test_read_file_odd_names_are_quoted(tree, name):
    assert call(tree, "read_file", path=name) == shell(tree, "read_file", path=name)
    assert not (tree.cwd / "pwned").exists()


def test_read_file_binary_is_refused(tree):
    with pytest.raises(ToolError, match="binary"):
        call(tree, "read_file", path="image.bin")


@pytest.mark.parametrize("args, message", [
    ({"path": "missing.txt"}, "no such file"),
    ({"path": "src"}, "is a directory"),
    ({"path": "notes.txt", "head": 2, "tail": 2}, "only one"),
    ({"path": "notes.txt", "start": 5, "end": 2}, "before it starts"),
    ({"path": "notes.txt", "head": -1}, "negative"),
])
def test_read_file_bad_requests(tree, args, message):
    with pytest.raises(ToolError, match=message):
        call(tree, "read_file", **args)


# --- search_text ----------------------------------------------------------------------------------


def grep_rows(output: str) -> list[tuple[str, int, str]]:
    rows = []
    for line in output.splitlines():
        path, number, text = line.split(":", 2)
        rows.append((strip_dot(path), int(number), text))
    return rows


SEARCH_CASES = [
    {"pattern": "hello"},
    {"pattern": "hello", "ignore_case": True},
    {"pattern": "hello", "glob": "*.py"},
    {"pattern": "hel+o", "regex": True},
    {"pattern": "print('hello')"},
    {"pattern": "line1", "path": "notes.txt"},
    {"pattern": "^$", "regex": True},  # empty lines: the end of the file is not one
]


@pytest.mark.parametrize("args", SEARCH_CASES, ids=lambda a: ",".join(f"{k}={v}" for k, v in a.items()))
def test_search_text_matches_grep(tree, args):
    rows = call(tree, "search_text", **args)
    expected = sorted(grep_rows(shell(tree, "search_text", **args)))
    assert sorted((r["path"], r["line"], r["text"]) for r in rows) == expected
    assert expected


def test_search_text_skips_binaries_and_links_and_respects_case(tree):
    paths = {r["path"] for r in call(tree, "search_text", pattern="hello")}
    assert "image.bin" not in paths and "link" not in paths
    assert "src/deep/x.PY" not in paths and "with space.md" not in paths
    folded = {r["path"] for r in call(tree, "search_text", pattern="hello", ignore_case=True)}
    assert {"src/deep/x.PY", "with space.md", ".hidden"} <= folded


def test_search_text_count_matches_grep_c(tree):
    rows = call(tree, "search_text", pattern="hello", count=True)
    counts = {strip_dot(line.rsplit(":", 1)[0]): int(line.rsplit(":", 1)[1])
              for line in shell(tree, "search_text", pattern="hello", count=True).splitlines()}
    assert {r["path"]: r["count"] for r in rows} == counts
    assert counts["src/util.py"] == 2


def test_search_text_limit_takes_the_same_first_matches(tree):
    rows = call(tree, "search_text", pattern="hello", limit=3)
    assert [(r["path"], r["line"], r["text"]) for r in rows] == grep_rows(shell(tree, "search_text", pattern="hello", limit=3))
    assert len(rows) == 3


def test_search_text_bad_regex_is_a_clear_error(tree):
    with pytest.raises(ToolError, match="bad regular expression"):
        call(tree, "search_text", pattern="(unclosed", regex=True)


# --- disk_usage -----------------------------------------------------------------------------------


def du_rows(output: str) -> list[tuple[str, int]]:
    return [(strip_dot(line.split("\t", 1)[1]) or ".", int(line.split("\t", 1)[0])) for line in output.splitlines()]


@pytest.mark.parametrize("args", [{}, {"depth": 0}, {"depth": 2}, {"path": "src"}, {"limit": 3}])
def test_disk_usage_matches_du(tree, args):
    rows = call(tree, "disk_usage", **args)
    assert [(r["path"], r["size"]) for r in rows] == du_rows(shell(tree, "disk_usage", **args))


def test_disk_usage_biggest_first_and_total_on_top(tree):
    rows = call(tree, "disk_usage")
    assert rows[0]["path"] == "." and rows[1]["path"] == "big.log"
    assert rows == sorted(rows, key=lambda r: -r["size"])
    assert rows[0]["size"] >= sum(r["size"] for r in rows[1:])


# --- file_info ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["notes.txt", "src", "link"])
def test_file_info_agrees_with_stat(tree, name):
    info = call(tree, "file_info", path=name)[0]
    out = subprocess.run(["stat", "-c", "%s|%A|%U|%h|%i", name], cwd=tree.cwd, capture_output=True, text=True).stdout
    size, mode, owner, links, inode = out.strip().split("|")
    assert (info["size"], info["mode"], info["owner"], info["links"], info["inode"]) == (
        int(size), mode, owner, int(links), int(inode))
    assert "File:" in shell(tree, "file_info", path=name)


def test_file_info_details(tree):
    assert call(tree, "file_info", path="link")[0]["target"] == "notes.txt"
    assert call(tree, "file_info", path="src")[0]["entries"] == 3
    with pytest.raises(ToolError, match="no such file"):
        call(tree, "file_info", path="ghost")


# --- the table as the model sees it ---------------------------------------------------------------


def test_read_tools_are_declared_read_and_have_schemas():
    for name in ("list_directory", "find_files", "read_file", "search_text", "disk_usage", "file_info"):
        spec = BY_NAME[name].spec()
        assert spec.risk == "read" and spec.description
        assert spec.parameters["additionalProperties"] is False
    assert BY_NAME["find_files"].spec().parameters["properties"]["sort"]["enum"] == ["path", "size", "time"]
