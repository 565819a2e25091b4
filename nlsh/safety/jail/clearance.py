"""What a step was allowed to do, as decided by the policy, and the directories that allows it to change."""

from __future__ import annotations

import os
import tempfile
from enum import Enum
from pathlib import Path


class Clearance(Enum):
    """Why a step runs, which is what its jail enforces."""

    READ = "read"  # judged read-only: reads anywhere, writes only its own output
    WRITE = "write"  # --allow write: creates and appends below the cwd and the temp directory
    DESTRUCTIVE = "destructive"  # --allow destructive: also deletes and overwrites there
    NETWORK = "network"  # --allow network: TCP; creates and appends below the cwd only
    FULL = "full"  # the person said yes (terminal, --yes, a command or tool rule): no jail

    @property
    def writes(self) -> bool:
        return self in (Clearance.WRITE, Clearance.DESTRUCTIVE, Clearance.NETWORK)


class JailError(Exception):
    """The step cannot run confined the way its clearance needs; the message says why and what to do."""


def writable_roots(clearance: Clearance, cwd: Path) -> list[Path]:
    """The directories a writing clearance may change below. Raises JailError when the cwd is one
    nobody should write wholesale (the home directory itself holds the dotfiles; / and system
    directories belong to the machine)."""
    if not clearance.writes:
        return []
    real = Path(os.path.realpath(cwd))
    problem = unwritable_reason(real)
    if problem:
        raise JailError(f"--allow {clearance.value} does not cover {real}: {problem}; cd into a project "
                        "directory, or answer at the terminal")
    roots = [real]
    temp = Path(os.path.realpath(tempfile.gettempdir()))
    if clearance != Clearance.NETWORK and temp != real:
        roots.append(temp)
    return roots


def unwritable_reason(real: Path) -> str | None:
    from nlsh.safety.shell_risk.paths import is_critical_tree, sensitive_reason

    home = Path(os.path.realpath(Path.home()))
    if _under(home, real):
        return "it is your home directory or holds it, with your dotfiles"
    if is_critical_tree(real, home) or sensitive_reason(real, home):
        return "it belongs to the system"
    return None


def protected_entries(root: Path) -> list[Path]:
    """Entries right below a writable root that stay read-only: dotfiles and dot-directories
    (.git/hooks, .envrc, ...) and whatever belongs to another user."""
    uid = os.geteuid()
    kept = []
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                try:
                    foreign = entry.stat(follow_symlinks=False).st_uid != uid
                except OSError:
                    continue
                if entry.name.startswith(".") or foreign:
                    kept.append(Path(entry.path))
    except OSError:
        pass
    return kept


def dotted_or_foreign(path: Path, roots: list[Path]) -> str | None:
    """Why a typed tool may not change `path` under a writing clearance, or None when it may."""
    real = Path(os.path.realpath(path.parent)) / path.name
    root = next((r for r in roots if _under(real, r)), None)
    if root is None:
        shown = " or ".join(str(r) for r in roots) or "nowhere"
        return f"{path} is outside {shown}"
    for part in real.relative_to(root).parts:
        if part.startswith("."):
            return f"{path} is or is inside a dotfile ({part})"
    if os.path.lexists(real) and os.lstat(real).st_uid != os.geteuid():
        return f"{path} belongs to another user"
    return None


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
