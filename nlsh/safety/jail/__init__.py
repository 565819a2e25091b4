"""Enforce what the policy decided: each shell step runs in a kernel jail that matches its clearance.

    with confine(Clearance.READ, cwd) as jail:
        subprocess.run(jail.argv(argv), env=jail.environ(env), preexec_fn=jail.preexec, ...)

Backends, best first: Landlock (applied in the child between fork and exec, so nlsh itself is never
confined), bubblewrap with read-only binds, or none: then nlsh says so once and runs in strict mode
(strict.py). NLSH_JAIL=landlock|bubblewrap|none picks one (for tests and for comparing them)."""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable

from . import bwrap, landlock, mounts, rules
from .clearance import Clearance, JailError, dotted_or_foreign, protected_entries, writable_roots

__all__ = ["Clearance", "JailError", "backend", "check_typed_target", "confine", "describe"]

BACKENDS = ("landlock", "bubblewrap", "none")


@functools.lru_cache(maxsize=None)
def backend() -> str:
    """The jail this machine gives: the best available, unless NLSH_JAIL asks for one."""
    wanted = os.environ.get("NLSH_JAIL", "").strip().lower()
    if wanted and wanted not in BACKENDS:
        raise JailError(f"NLSH_JAIL={wanted!r} is not one of {', '.join(BACKENDS)}")
    if wanted in ("", "landlock") and landlock.abi() >= 1:
        return "landlock"
    if wanted in ("", "bubblewrap") and bwrap.usable():
        return "bubblewrap"
    if wanted and wanted != "none":
        raise JailError(f"NLSH_JAIL={wanted} asks for a jail this machine does not have")
    return "none"


def describe() -> str:
    """One line for `nlsh` to show once, and for the README's numbers."""
    name = backend()
    if name == "landlock":
        return f"Landlock ABI {landlock.abi()}"
    if name == "bubblewrap":
        return "bubblewrap (files only: no Landlock in this kernel)"
    return "none (no Landlock, no bubblewrap): strict mode"


_said: set[str] = set()


def say_once(message: str) -> None:
    if message not in _said:
        _said.add(message)
        print(f"nlsh: {message}", file=sys.stderr)


class Confined:
    """One step's jail: a scratch $TMPDIR of its own, and either a preexec hook (Landlock) or an
    argv prefix (bubblewrap)."""

    def __init__(self, clearance: Clearance, cwd: Path):
        self.clearance = clearance
        self.scratch = Path(tempfile.mkdtemp(prefix="nlsh-step-"))
        self.preexec: Callable[[], None] | None = None
        self._prefix: list[str] = []
        self._ruleset: landlock.Ruleset | None = None
        try:
            self._build(cwd)
        except BaseException:
            self.close()
            raise

    def _build(self, cwd: Path) -> None:
        if self.clearance == Clearance.FULL:
            return
        roots = writable_roots(self.clearance, cwd)
        protected = [p for root in roots for p in protected_entries(root)]
        name = backend()
        if name == "landlock":
            self._ruleset = rules.ruleset(self.clearance, self.scratch, roots)
            self.preexec = self._landlock_hook(roots, protected)
        elif name == "bubblewrap":
            self._prefix = bwrap.arguments(bwrap.usable() or "bwrap", self.scratch, roots, protected)
        else:
            say_once("no kernel jail here (no Landlock, no bubblewrap): strict mode, only plain "
                     "read-only commands run without a yes")

    def _landlock_hook(self, roots: list[Path], protected: list[Path]) -> Callable[[], None]:
        """Landlock, under a mount view that is read-only but for the scratch directory and the
        roots (what Landlock cannot cover: chmod, chown, utime, and the dotfiles below the roots)."""
        ruleset = self._ruleset
        assert ruleset is not None
        why = mounts.unavailable_reason()
        if why:
            if protected:
                raise JailError(f"cannot keep {protected[0]} and the other dotfiles read-only here ({why}); "
                                "answer at the terminal instead of --allow")
            say_once(f"{why}: Landlock alone guards the steps (it cannot stop chmod, chown or touch -d)")
            return ruleset.restrict_self
        view = mounts.MountView(all_read_only=True, writable=roots + [self.scratch], read_only=protected)

        def hook() -> None:
            view.apply()
            ruleset.restrict_self()

        return hook

    @property
    def strict(self) -> bool:
        """No kernel stands behind the decision: the classifier alone must carry it."""
        return self.clearance != Clearance.FULL and backend() == "none"

    def argv(self, argv: list[str]) -> list[str]:
        return self._prefix + argv

    def environ(self, env: dict[str, str]) -> dict[str, str]:
        return {**env, "TMPDIR": str(self.scratch)} if self.clearance != Clearance.FULL else env

    def close(self) -> None:
        if self._ruleset is not None:
            self._ruleset.close()
            self._ruleset = None
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> "Confined":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def confine(clearance: Clearance | None, cwd: Path) -> Confined:
    """The jail for one step; None (a tool run outside a session) means no jail."""
    return Confined(clearance or Clearance.FULL, cwd)


def check_typed_target(clearance: Clearance | None, cwd: Path, path: Path, *, removes: bool) -> None:
    """The same rule for typed tools, which run inside nlsh: raise JailError unless the clearance
    lets a step change `path`."""
    if clearance in (None, Clearance.FULL):
        return
    if clearance == Clearance.READ:
        raise JailError(f"a step judged read-only may not change {path}")
    if removes and clearance != Clearance.DESTRUCTIVE:
        raise JailError(f"--allow {clearance.value} does not cover deleting or replacing {path}")
    problem = dotted_or_foreign(path, writable_roots(clearance, cwd))
    if problem:
        raise JailError(f"--allow {clearance.value} does not cover this: {problem}")
