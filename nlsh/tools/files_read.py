"""File tools that only look: list, find, read, search, disk usage, file info.
Each renders as the shell command line that gives the same answer (what `nlsh --print` shows)."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import time
from collections import deque
from pathlib import Path
from typing import Any, Literal

from nlsh.safety.risk import Risk
from nlsh.tools._fsutil import (
    existing,
    friendly_errors,
    iso,
    kind,
    looks_binary,
    number,
    qpath,
    quote,
    relative,
    row,
    walk,
)
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.registry import tool

FULL_READ_LIMIT = 10 * 1024 * 1024  # beyond this a whole-file read must ask for a part
GREP_SNIFF = 32768  # grep -I decides "binary" from its first buffer; look at as much
C_SORT = "LC_ALL=C sort"  # bytewise order, the same as Python's order of str for UTF-8 names


def _head(n: int) -> str:
    return f" | head -n {n}" if n > 0 else ""


def _sorted_rows(rows: list[tuple[Any, dict[str, Any]]], limit: int) -> list[dict[str, Any]]:
    rows.sort(key=lambda pair: pair[0])
    picked = [r for _, r in rows]
    return picked[:limit] if limit > 0 else picked


# --- list_directory -------------------------------------------------------------------------------


def _ls_shell(a: dict[str, Any]) -> str:
    flags = "-l" + ("A" if a.get("all") else "") + {"size": "S", "time": "t"}.get(a.get("sort", "name"), "")
    line = f"ls {flags} {qpath(a.get('path', '.'))}"
    if a.get("limit", 0) > 0:  # ls -l starts a directory listing with a "total" line
        line += f" | grep -v '^total '{_head(a['limit'])}"
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
    return _sorted_rows(found, limit)


# --- find_files -----------------------------------------------------------------------------------


def _name_pattern(name: str) -> str:
    """A name with wildcards is a glob; a plain word matches anywhere in the name."""
    return name if any(c in name for c in "*?[") else f"*{name}*"


def _find_type(a: dict[str, Any]) -> str:
    if a.get("min_size", 0) > 0 or a.get("max_size", 0) > 0:
        return "file"  # a size filter is about files: directories' own sizes mean nothing to people
    return a.get("type", "any")


def _find_shell(a: dict[str, Any]) -> str:
    parts = ["find", qpath(a.get("path", ".")), "-mindepth 1"]
    if a.get("name"):
        parts.append(f"-iname {quote(_name_pattern(a['name']))}")
    kind_flag = {"file": "f", "dir": "d", "link": "l"}.get(_find_type(a))
    if kind_flag:
        parts.append(f"-type {kind_flag}")
    if a.get("min_size", 0) > 0:
        parts.append(f"-size +{a['min_size'] - 1}c")
    if a.get("max_size", 0) > 0:
        parts.append(f"-size -{a['max_size'] + 1}c")
    if a.get("modified_within_days", 0) > 0:
        parts.append(f"-mmin -{number(a['modified_within_days'] * 1440)}")
    if a.get("older_than_days", 0) > 0:
        parts.append(f"-mmin +{number(a['older_than_days'] * 1440)}")
    sort, limit = a.get("sort", "path"), a.get("limit", 0)
    if sort in ("size", "time"):
        field = "%s" if sort == "size" else "%T@"
        parts.append(f"-printf '{field}\\t%p\\n' | {C_SORT} -k1,1nr | cut -f2-")
    elif limit > 0:
        parts.append(f"| {C_SORT}")
    return " ".join(parts) + _head(limit)


@tool(Risk.READ, shell=_find_shell)
@friendly_errors
def find_files(
    ctx: ToolContext,
    path: str = ".",
    name: str = "",
    type: Literal["any", "file", "dir", "link"] = "any",
    min_size: int = 0,
    max_size: int = 0,
    modified_within_days: float = 0.0,
    older_than_days: float = 0.0,
    sort: Literal["path", "size", "time"] = "path",
    limit: int = 0,
) -> list[dict[str, Any]]:
    """Find files below a directory by name (a glob like `*.py`, or a part of the name; case is
    ignored), type, size in bytes (min_size/max_size; implies files), and age in days. `sort` by path,
    size (biggest first) or time (newest first); `limit` keeps the first N."""
    top = existing(ctx, path)
    pattern = _name_pattern(name).lower() if name else None
    wanted = _find_type({"type": type, "min_size": min_size, "max_size": max_size})
    now = time.time()
    found: list[tuple[Any, dict[str, Any]]] = []
    for entry, st in walk(top):
        if pattern and not fnmatch.fnmatchcase(entry.name.lower(), pattern):
            continue
        if wanted != "any" and kind(st.st_mode) != wanted:
            continue
        if (min_size > 0 and st.st_size < min_size) or (max_size > 0 and st.st_size > max_size):
            continue
        age = now - st.st_mtime
        if modified_within_days > 0 and age >= modified_within_days * 86400:
            continue
        if older_than_days > 0 and age <= older_than_days * 86400:
            continue
        r = row(entry, ctx.cwd, st)
        key: Any = {"size": (-st.st_size, r["path"]), "time": (-st.st_mtime_ns, r["path"])}.get(sort, r["path"])
        found.append((key, r))
    return _sorted_rows(found, limit)


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


# --- search_text ----------------------------------------------------------------------------------


def _grep_shell(a: dict[str, Any]) -> str:
    flags = "-rIH" + ("c" if a.get("count") else "n") + ("E" if a.get("regex") else "F")
    flags += "i" if a.get("ignore_case") else ""
    parts = ["grep", flags]
    if a.get("glob"):
        parts.append(f"--include={quote(a['glob'])}")
    parts += ["-e", quote(a["pattern"]), qpath(a.get("path", "."))]
    line = " ".join(parts)
    if a.get("count"):
        line += " | grep -v ':0$'"
    limit = a.get("limit", 0)
    if limit > 0:
        line += f" | {C_SORT} -t: -k1,1 -k2,2n{_head(limit)}"
    return line


def _matcher(pattern: str, regex: bool, ignore_case: bool):
    try:
        compiled = re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise ToolError(f"bad regular expression {pattern!r}: {exc}") from None
    return compiled.search


def _searched_files(top: Path, glob: str):
    if not top.is_dir():
        yield top  # a file named on the command line is searched even when it is a link
        return
    for entry, st in walk(top):
        # like grep -r: links met while recursing are not followed
        if stat.S_ISREG(st.st_mode) and (not glob or fnmatch.fnmatchcase(entry.name, glob)):
            yield entry


@tool(Risk.READ, shell=_grep_shell)
@friendly_errors
def search_text(
    ctx: ToolContext,
    pattern: str,
    path: str = ".",
    glob: str = "",
    ignore_case: bool = False,
    regex: bool = False,
    count: bool = False,
    limit: int = 0,
) -> list[dict[str, Any]]:
    """Search text files for a pattern (plain text; `regex` for a regular expression), in a file or
    under a directory; `glob` limits the file names searched (`*.py`). Rows are matching lines, or the
    number of matching lines per file with `count`. Binary files are skipped."""
    if not pattern:
        raise ToolError("nothing to search for: the pattern is empty")
    matches = _matcher(pattern, regex, ignore_case)
    found: list[tuple[Any, dict[str, Any]]] = []
    for file in _searched_files(existing(ctx, path), glob):
        try:
            data = file.read_bytes()
        except OSError:
            continue  # unreadable files are skipped, as grep -s would
        if looks_binary(data[:GREP_SNIFF]):
            continue
        shown = relative(file, ctx.cwd)
        lines = data.decode("utf-8", errors="replace").split("\n")
        if lines[-1] == "":
            lines.pop()  # the empty piece after the final newline is not a line
        hits = [(n, text) for n, text in enumerate(lines, 1) if matches(text)]
        if count:
            if hits:
                found.append(((shown, 0), {"path": shown, "count": len(hits)}))
            continue
        found += [((shown, n), {"path": shown, "line": n, "text": text}) for n, text in hits]
    return _sorted_rows(found, limit)


# --- disk_usage -----------------------------------------------------------------------------------


def _du_shell(a: dict[str, Any]) -> str:
    line = f"du -a -B1 -d {a.get('depth', 1)} {qpath(a.get('path', '.'))} | {C_SORT} -k1,1nr"
    return line + _head(a.get("limit", 0))


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
    return _sorted_rows(found, limit)


# --- file_info ------------------------------------------------------------------------------------


def _owner(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (KeyError, ImportError):
        return str(uid)


def _group(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (KeyError, ImportError):
        return str(gid)


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
        "owner": _owner(st.st_uid),
        "group": _group(st.st_gid),
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


TOOLS = [list_directory, find_files, read_file, search_text, disk_usage, file_info]
