"""Small helpers shared by the file tools: rows, quoting for the shell renderers, error wording."""

from __future__ import annotations

import functools
import os
import re
import shlex
import stat
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from nlsh.tools.context import ToolContext, ToolError

GREP_SNIFF = 32768  # grep -I decides "binary" from its first buffer; look at as much
C_SORT = "LC_ALL=C sort"  # bytewise order, the same as Python's order of str for UTF-8 names


TILDE = re.compile(r"~[A-Za-z0-9._-]*(/|$)")  # the slash must stay unquoted too


def qpath(path: str) -> str:
    """A path quoted for the shell. A relative path starting with '-' gets './' so that ls, find,
    rm, ... cannot take it for an option (find does not understand '--'). A leading ~ stays unquoted:
    the tools expand it (ctx.resolve), so the shell line must too."""
    path = str(path)
    if path.startswith("-"):
        path = "./" + path
    tilde = TILDE.match(path)
    if tilde:
        rest = path[tilde.end():]
        return tilde.group(0) + (quote(rest) if rest else "")
    return quote(path)


def quote(text: str) -> str:
    """One shell word, on one line: text with newlines or control characters becomes bash's $'...'
    (so a rendered step stays one line of `nlsh --print`); anything else is single-quoted as usual."""
    text = str(text)
    if not any(ord(c) < 32 or ord(c) == 127 for c in text):
        return shlex.quote(text)
    named = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    body = "".join(
        named.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c) for c in text
    )
    return f"$'{body}'"


def number(value: float) -> str:
    """A number for a command line: never in scientific notation, no useless decimals."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return "other"


def iso(timestamp: float) -> str:
    """Local time, to the second: what a person compares with the clock on the wall."""
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def relative(path: Path, cwd: Path) -> str:
    """The path as the person would type it from the cwd: relative inside the cwd, absolute outside."""
    path = Path(os.path.normpath(path))
    try:
        rel = path.relative_to(Path(os.path.normpath(cwd)))
    except ValueError:
        return str(path)
    return str(rel) if str(rel) != "" else "."


def row(path: Path, cwd: Path, st: os.stat_result | None = None) -> dict[str, Any]:
    """The common record for one file: path (relative to the cwd), type, size, modified."""
    st = st if st is not None else path.lstat()
    return {
        "path": relative(path, cwd),
        "type": kind(st.st_mode),
        "size": st.st_size,
        "modified": iso(st.st_mtime),
    }


def head_pipe(limit: int) -> str:
    """The `| head -n N` that renders a tool's `limit` (nothing when there is no limit)."""
    return f" | head -n {limit}" if limit > 0 else ""


def sorted_rows(keyed: list[tuple[Any, dict[str, Any]]], limit: int) -> list[dict[str, Any]]:
    """Rows in the order of their keys (the order the rendered `sort` gives), the first LIMIT."""
    keyed.sort(key=lambda pair: pair[0])
    picked = [r for _, r in keyed]
    return picked[:limit] if limit > 0 else picked


def owner_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (KeyError, ImportError):
        return str(uid)


def group_name(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (KeyError, ImportError):
        return str(gid)


def looks_binary(chunk: bytes) -> bool:
    return b"\0" in chunk


def existing(ctx: ToolContext, path: str) -> Path:
    """Resolve a path the tool is about to read or change; it must exist (a dangling link counts)."""
    if not str(path).strip():
        raise ToolError("no path given")
    resolved = ctx.resolve(path)
    if not os.path.lexists(resolved):
        hint = " (patterns are not expanded: give one path, or use find_files)" if any(
            c in str(path) for c in "*?["
        ) else ""
        raise ToolError(f"no such file or directory: {path}{hint}")
    return resolved


def landing_place(source: Path, destination: Path) -> Path:
    """Where cp/mv put SOURCE: inside DESTINATION when that is an existing directory (or a link to
    one: cp and mv follow it too)."""
    if destination.is_dir():
        return destination / source.name
    return destination


def walk(top: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Every entry below TOP (not TOP itself), without following symbolic links, like find and du.
    Unreadable directories are skipped quietly."""
    stack = [top]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            path = Path(entry.path)
            yield path, st
            if stat.S_ISDIR(st.st_mode):
                stack.append(path)


def tree_size(top: Path, cap: int = 100_000) -> tuple[int, int, bool]:
    """(entries, bytes, complete) below and including TOP; stops counting after CAP entries so a
    preview stays cheap."""
    st = top.lstat()
    if not stat.S_ISDIR(st.st_mode):
        return 1, st.st_size, True
    count, total = 0, 0
    for _, entry_st in walk(top):
        count += 1
        total += entry_st.st_size
        if count >= cap:
            return count, total, False
    return count, total, True


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def human_size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the OS errors a person can meet (permission denied, not a directory, ...) into ToolError
    with a readable message instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ToolError:
            raise
        except OSError as exc:
            where = exc.filename if exc.filename is not None else ""
            message = exc.strerror or str(exc)
            raise ToolError(f"{where}: {message}" if where else message) from None

    return wrapper
