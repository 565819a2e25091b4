"""File tools that search below a directory: find files by name, type, size and age; search text in
them. Each renders as the find or grep line that gives the same answer, sorted the same way."""

from __future__ import annotations

import fnmatch
import re
import stat
import time
from pathlib import Path
from typing import Any, Literal

from nlsh.safety.risk import Risk
from nlsh.tools._fsutil import (
    C_SORT,
    GREP_SNIFF,
    existing,
    friendly_errors,
    head_pipe,
    kind,
    looks_binary,
    number,
    qpath,
    quote,
    relative,
    row,
    sorted_rows,
    walk,
)
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.registry import tool

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
    return " ".join(parts) + head_pipe(limit)


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
    return sorted_rows(found, limit)


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
        line += f" | {C_SORT} -t: -k1,1 -k2,2n{head_pipe(limit)}"
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
    return sorted_rows(found, limit)


TOOLS = [find_files, search_text]
