"""File tools that look at one place: list a directory, read a file, disk usage, file info.
Each renders as the shell command line that gives the same answer (what `nlsh --print` shows)."""

from __future__ import annotations

import os
import stat
from collections import deque
from pathlib import Path
from typing import Any, Literal

from nlsh.safety.risk import Risk
from nlsh.tools._fsutil import (
    C_SORT,
    GREP_SNIFF,
    existing,
    friendly_errors,
    group_name,
    head_pipe,
    iso,
    kind,
    looks_binary,
    owner_name,
    qpath,
    relative,
    row,
    sorted_rows,
)
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.registry import tool

FULL_READ_LIMIT = 10 * 1024 * 1024  # beyond this a whole-file read must ask for a part

# --- list_directory -------------------------------------------------------------------------------


def _ls_shell(a: dict[str, Any]) -> str:
    flags = "-l" + ("A" if a.get("all") else "") + {"size": "S", "time": "t"}.get(a.get("sort", "name"), "")
    line = f"ls {flags} {qpath(a.get('path', '.'))}"
    if a.get("limit", 0) > 0:  # ls -l starts a directory listing with a "total" line
        line += f" | grep -v '^total '{head_pipe(a['limit'])}"
    return line


@tool(Risk.READ, shell=_ls_shell)
@friendly_errors
def list_directory(
    ctx: ToolContext,
    path: str = ".",
    all: bool = False,
    sort: Literal["name", "size", "time"] = "name",
    limit: int = 0,
) -> list[dict[str, Any]]:
    """List the entries of a directory (name, type, size, modified). `all` includes hidden entries;
    `sort` by name, size (biggest first) or time (newest first); `limit` keeps the first N."""
    target = existing(ctx, path)
    if not target.is_dir():
        return [row(target, ctx.cwd) | {"mode": stat.filemode(target.lstat().st_mode)}]
    found: list[tuple[Any, dict[str, Any]]] = []
    with os.scandir(target) as entries:
        for entry in entries:
            if entry.name.startswith(".") and not all:
                continue
            st = entry.stat(follow_symlinks=False)
            key: Any = {
                "size": (-st.st_size, entry.name),
                "time": (-st.st_mtime_ns, entry.name),
            }.get(sort, entry.name)
            found.append((key, row(Path(entry.path), ctx.cwd, st) | {"mode": stat.filemode(st.st_mode)}))
    return sorted_rows(found, limit)


# --- read_file ------------------------------------------------------------------------------------


def _read_shell(a: dict[str, Any]) -> str:
    p = qpath(a["path"])
    head, tail, start, end = (a.get(k, 0) for k in ("head", "tail", "start", "end"))
    if head > 0:
        return f"head -n {head} {p}"
    if tail > 0:
        return f"tail -n {tail} {p}"
    if start > 0 and end > 0:
        return f"sed -n {start},{end}p {p}"
    if start > 0:
        return f"tail -n +{start} {p}"
    if end > 0:
        return f"head -n {end} {p}"
    return f"cat {p}"


@tool(Risk.READ, shell=_read_shell)
@friendly_errors
def read_file(ctx: ToolContext, path: str, head: int = 0, tail: int = 0, start: int = 0, end: int = 0) -> str:
    """Read a text file: all of it, its first `head` lines, its last `tail` lines, or the lines from
    `start` to `end` (counted from 1, inclusive)."""
    if min(head, tail, start, end) < 0:
        raise ToolError("head, tail, start and end count lines: they cannot be negative")
    if (head > 0) + (tail > 0) + (start > 0 or end > 0) > 1:
        raise ToolError("give only one of head, tail, or a start/end range")
    if start and end and end < start:
        raise ToolError(f"the range ends (line {end}) before it starts (line {start})")
    target = existing(ctx, path)
    if target.is_dir():
        raise ToolError(f"{path} is a directory: list it with list_directory")
    size = target.stat().st_size
    with open(target, "rb") as f:
        if looks_binary(f.read(GREP_SNIFF)):
            raise ToolError(f"{path} is a binary file ({size} bytes), not text: use file_info to look at it")
        f.seek(0)
        if not (head or tail or start or end) and size > FULL_READ_LIMIT:
            raise ToolError(f"{path} is {size} bytes: read a part of it (head, tail, or start/end)")
        if tail:
            lines = list(deque(f, maxlen=tail))
        else:
            first, last = (1, head) if head else (max(start, 1), end)
            lines = []
            for line_no, line in enumerate(f, 1):
                if last and line_no > last:
                    break
                if line_no >= first:
                    lines.append(line)
    return b"".join(lines).decode("utf-8", errors="replace")


# --- disk_usage -----------------------------------------------------------------------------------


def _du_shell(a: dict[str, Any]) -> str:
    line = f"du -a -B1 -d {a.get('depth', 1)} {qpath(a.get('path', '.'))} | {C_SORT} -k1,1nr"
    return line + head_pipe(a.get("limit", 0))


def _usage(path: Path, st: os.stat_result, depth: int, max_depth: int, seen: set, out: list) -> int:
    """Bytes allocated to PATH and everything below it, counting hard links once, like du."""
    total = 0
    if st.st_nlink < 2 or stat.S_ISDIR(st.st_mode) or (st.st_dev, st.st_ino) not in seen:
        seen.add((st.st_dev, st.st_ino))
        total = st.st_blocks * 512
    if stat.S_ISDIR(st.st_mode):
        try:
            with os.scandir(path) as entries:
                children = [(Path(e.path), e.stat(follow_symlinks=False)) for e in entries]
        except OSError:
            children = []
        for child, child_st in children:
            total += _usage(child, child_st, depth + 1, max_depth, seen, out)
    if depth <= max_depth:
        out.append((path, st, total))
    return total


@tool(Risk.READ, shell=_du_shell)
@friendly_errors
def disk_usage(ctx: ToolContext, path: str = ".", depth: int = 1, limit: int = 0) -> list[dict[str, Any]]:
    """Disk space used by a directory and by each entry in it (down to `depth` levels), biggest
    first, in bytes; the directory itself comes first as the total. `limit` keeps the first N."""
    if depth < 0:
        raise ToolError("depth cannot be negative")
    top = existing(ctx, path)
    measured: list[tuple[Path, os.stat_result, int]] = []
    _usage(top, top.lstat(), 0, depth, set(), measured)
    found = []
    for p, st, size in measured:
        shown = relative(p, ctx.cwd)
        found.append(((-size, shown), {"path": shown, "type": kind(st.st_mode), "size": size}))
    return sorted_rows(found, limit)


# --- file_info ------------------------------------------------------------------------------------


@tool(Risk.READ, shell=lambda a: f"stat {qpath(a['path'])}")
@friendly_errors
def file_info(ctx: ToolContext, path: str) -> dict[str, Any]:
    """Everything about one file: type, size, permissions, owner, times, link target."""
    target = existing(ctx, path)
    st = target.lstat()
    info: dict[str, Any] = row(target, ctx.cwd, st) | {
        "absolute": str(Path(os.path.normpath(target))),
        "mode": stat.filemode(st.st_mode),
        "permissions": oct(stat.S_IMODE(st.st_mode))[2:].zfill(4),
        "owner": owner_name(st.st_uid),
        "group": group_name(st.st_gid),
        "links": st.st_nlink,
        "inode": st.st_ino,
        "accessed": iso(st.st_atime),
        "changed": iso(st.st_ctime),
    }
    if stat.S_ISLNK(st.st_mode):
        info["target"] = os.readlink(target)
    elif stat.S_ISDIR(st.st_mode):
        with os.scandir(target) as entries:
            info["entries"] = sum(1 for _ in entries)
    return info


TOOLS = [list_directory, read_file, disk_usage, file_info]
