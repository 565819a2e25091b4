"""What a path looks like, in a few numbers: enough for undo to tell whether it changed after the step
that made it so. A file: its size, mtime and (when small) a hash of its bytes; a link: its target; a
directory: the same, summed over the tree below it. Missing paths have the fingerprint None."""

from __future__ import annotations

import hashlib
import os
import stat
from typing import Any

HASH_MAX_BYTES = 1024 * 1024  # bigger files are told apart by size and mtime (nanoseconds) alone
TREE_MAX_ENTRIES = 20_000  # past this a tree's fingerprint is marked incomplete


def fingerprint(path: str) -> dict[str, Any] | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return {"type": "unreadable", "error": exc.strerror or str(exc)}
    if stat.S_ISDIR(st.st_mode):
        return _tree(path, st)
    return _one(path, st)


def _one(path: str, st: os.stat_result) -> dict[str, Any]:
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        return {"type": "link", "target": os.readlink(path)}
    if not stat.S_ISREG(mode):
        return {"type": "other", "mode": stat.S_IFMT(mode)}
    found: dict[str, Any] = {"type": "file", "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                             "mode": stat.S_IMODE(mode)}
    if st.st_size <= HASH_MAX_BYTES:
        try:
            with open(path, "rb") as f:
                found["sha256"] = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            pass  # unreadable: size and mtime still tell most changes
    return found


def _tree(path: str, st: os.stat_result) -> dict[str, Any]:
    """Sizes, times and link targets of everything below PATH, hashed into one digest. A tree's file
    bytes are not read: its files' sizes and mtimes change when they are written."""
    digest = hashlib.sha256()
    entries = 0
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(dirs + files):
            full = os.path.join(root, name)
            try:
                inner = os.lstat(full)
            except OSError:
                continue
            target = os.readlink(full) if stat.S_ISLNK(inner.st_mode) else ""
            digest.update(f"{os.path.relpath(full, path)}\0{inner.st_mode}\0{inner.st_size}\0"
                          f"{inner.st_mtime_ns}\0{target}\n".encode("utf-8", "surrogateescape"))
            entries += 1
        if entries > TREE_MAX_ENTRIES:
            return {"type": "dir", "mode": stat.S_IMODE(st.st_mode), "entries": entries, "complete": False}
    return {"type": "dir", "mode": stat.S_IMODE(st.st_mode), "entries": entries, "tree": digest.hexdigest()}


def unchanged(before: dict[str, Any] | None, after: dict[str, Any] | None) -> bool:
    """BEFORE and AFTER surely describe the same thing (an incomplete tree is never sure)."""
    if before is None or after is None:
        return before is after
    return before == after and before.get("complete", True) and before["type"] != "unreadable"
