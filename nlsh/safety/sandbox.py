"""Run a command under bubblewrap: the whole file system read-only except the working directory and
a private /tmp, no network, its own session and process namespace, and gone when nlsh goes."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

INSTALL_HINT = "install it with `apt-get install bubblewrap` (Debian/Ubuntu) or `dnf install bubblewrap`"


class SandboxUnavailable(Exception):
    """The sandbox cannot run here; the message says why and what to do. Raised without a message,
    it finds out why itself (bwrap missing, or namespaces forbidden)."""

    def __init__(self, message: str | None = None):
        super().__init__(message or unavailable_reason() or "the sandbox is not available")


def _bwrap() -> str:
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(f"the sandbox needs bubblewrap (bwrap), which is not installed: {INSTALL_HINT}")
    return path


@functools.lru_cache(maxsize=None)
def _probe(bwrap: str, own_processes: bool = True) -> str | None:
    """Try the namespaces wrap() asks for once per bwrap binary: containers and hardened kernels
    often forbid them, and the person should hear that before a step runs, not as a cryptic error."""
    argv = _arguments(bwrap, Path("/"), writable=False, own_processes=own_processes) + ["true"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not be started: {exc}"
    if done.returncode != 0:
        detail = done.stderr.strip() or f"exit status {done.returncode}"
        return (
            f"bubblewrap cannot create its namespaces here ({detail}); unprivileged user namespaces "
            "may be disabled (sysctl kernel.unprivileged_userns_clone=1) or a container may forbid them"
        )
    return None


def unavailable_reason(own_processes: bool = True) -> str | None:
    """Why the sandbox cannot run on this machine, or None when it can."""
    try:
        return _probe(_bwrap(), own_processes)
    except SandboxUnavailable as exc:
        return str(exc)


def available() -> bool:
    return unavailable_reason() is None


def _arguments(bwrap: str, cwd: Path, *, writable: bool = True, own_processes: bool = True) -> list[str]:
    argv = [
        bwrap,
        "--ro-bind", "/", "/",  # everything visible, nothing writable (programs, libraries, config)
        "--dev", "/dev",  # a minimal /dev: null, zero, random, tty; no disks
        # the sandbox's own processes only (with --unshare-pid); or the parent's, read-only
        *(["--proc", "/proc"] if own_processes else ["--ro-bind", "/proc", "/proc"]),
        "--tmpfs", "/tmp",  # a private, empty /tmp that vanishes afterwards
    ]
    # After the tmpfs, so a cwd below /tmp is bound over it and stays the real one.
    if writable:
        argv += ["--bind", str(cwd), str(cwd)]
    elif Path(cwd) != Path("/"):
        argv += ["--ro-bind", str(cwd), str(cwd)]
    return argv + [
        "--chdir", str(cwd),
        "--unshare-net",  # only a loopback that is down: no network at all
        *(["--unshare-pid"] if own_processes else []),  # cannot see or signal the person's other processes
        "--unshare-ipc",
        "--unshare-uts",
        # Cannot push keystrokes into the terminal (TIOCSTI). A trial needs no such session: its caller
        # starts it in a session without a terminal, and ends its whole process group at the time limit.
        *(["--new-session"] if own_processes else []),
        "--die-with-parent",
        "--",
    ]


def wrap(argv: list[str], cwd: Path, *, writable: bool = True) -> list[str]:
    """The command line that runs `argv` in the sandbox with `cwd` as its only writable directory
    (not even that for a step judged read-only)."""
    real = _checked(argv, cwd, own_processes=True)
    if real == Path("/"):
        raise SandboxUnavailable("the sandbox will not make / writable; cd to a project directory first")
    return _arguments(_bwrap(), real, writable=writable) + list(argv)


def wrap_trial(argv: list[str], cwd: Path) -> list[str]:
    """The command line for a trial run of a command assessed read-only (kernel/verify.py): nothing
    writable but the private /tmp, no network, and the person's processes in view (the parent's /proc,
    read-only, and its process namespace). So `ps` in a trial sees what the real run would, and trials
    work inside another sandbox too, where no new /proc can be mounted. Still far tighter than the
    real run of a read-only step, which needs no sandbox at all. The caller must start it in a new
    session (no terminal) and end its process group at the time limit: without a process namespace,
    that is what ends everything the command started."""
    return _arguments(_bwrap(), _checked(argv, cwd, own_processes=False), writable=False,
                      own_processes=False) + list(argv)


def _checked(argv: list[str], cwd: Path, own_processes: bool) -> Path:
    if not argv:
        raise ValueError("nothing to run in the sandbox")
    reason = unavailable_reason(own_processes)
    if reason:
        raise SandboxUnavailable(reason)
    real = Path(cwd).resolve()
    if not real.is_dir():
        raise SandboxUnavailable(f"the sandbox's working directory {cwd} does not exist")
    return real
