"""What a tree holds, and the effect of a run on it: paths added, changed (type, mode, bytes) and deleted.

Modification times are left out on purpose: every write bumps its directory's mtime, so two commands
with the same visible result would differ by how they wrote (a temp file and a rename, say)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

# A path's state: (kind, permission bits, content digest or link target).
State = tuple[str, int, str]


def _digest(path: str) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _state(path: str, info: os.stat_result) -> State:
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        return ("link", 0, os.readlink(path))
    if stat.S_ISDIR(info.st_mode):
        return ("dir", mode, "")
    if stat.S_ISREG(info.st_mode):
        return ("file", mode, _digest(path))
    return ("other", mode, "")


def snapshot(root: Path, skip: frozenset[str] = frozenset()) -> dict[str, State]:
    """Every path under `root` as '/relative/path' -> State; paths in `skip` (mount points of the
    sandbox, such as /usr) are recorded as they are but not entered."""
    root = str(root)
    states: dict[str, State] = {}
    pending = [""]
    while pending:
        relative_dir = pending.pop()
        try:
            names = os.listdir(root + relative_dir)
        except OSError:
            continue
        for name in names:
            relative = f"{relative_dir}/{name}"
            full = root + relative
            try:
                info = os.lstat(full)
            except OSError:
                continue
            if relative in skip:
                states[relative] = ("mount", 0, "")
                continue
            states[relative] = _state(full, info)
            if stat.S_ISDIR(info.st_mode):
                pending.append(relative)
    return states


def effect_of(before: dict[str, State], after: dict[str, State]) -> dict[str, tuple]:
    """path -> ('added', state) | ('changed', state) | ('deleted',)."""
    effect: dict[str, tuple] = {}
    for path, state in after.items():
        if path not in before:
            effect[path] = ("added", state)
        elif before[path] != state:
            effect[path] = ("changed", state)
    for path in before.keys() - after.keys():
        effect[path] = ("deleted",)
    return effect


def describe(effect: dict[str, tuple]) -> list[str]:
    """A short, sorted, human-readable form for the JSON results."""
    return [f"{change[0]} {path}" for path, change in sorted(effect.items())]
