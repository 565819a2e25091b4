"""The fallback where Landlock is missing: bubblewrap with read-only binds of the whole file system.
Unlike `nlsh --sandbox` it keeps the real process and network view (ps, ss and df describe the
machine), so it cannot stop signals or connections: it guards files only."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path


def arguments(bwrap: str, scratch: Path, roots: list[Path], protected: list[Path]) -> list[str]:
    argv = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--bind", str(scratch), str(scratch)]
    for root in roots:
        argv += ["--bind", str(root), str(root)]
    for path in protected:  # after the roots: bound over them
        argv += ["--ro-bind", str(path), str(path)]
    return argv + ["--die-with-parent", "--"]


@functools.lru_cache(maxsize=None)
def usable() -> str | None:
    """The bwrap binary when it can make its mount namespace here, else None (tried once)."""
    found = shutil.which("bwrap")
    if found is None:
        return None
    try:
        done = subprocess.run(arguments(found, Path("/tmp"), [], []) + ["true"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return found if done.returncode == 0 else None
