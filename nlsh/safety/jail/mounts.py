"""Read-only bind mounts over a few paths, in a private mount namespace of the child only.

Landlock can only add rights below a directory, never take them back for a part of it, so "write
below the cwd, but not its dotfiles" needs a second layer: the child gets its own view of the mounts
in which .git, .envrc, ... are bound read-only over themselves. Root can do that directly; anyone
else through a user namespace mapped to their own ids (where the distribution allows those)."""

from __future__ import annotations

import ctypes
import functools
import os
import subprocess
from pathlib import Path

from .landlock import _libc

_CLONE_NEWNS, _CLONE_NEWUSER = 0x00020000, 0x10000000
_MS_RDONLY, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18
# statvfs flags a remount inside a user namespace must keep (the kernel locks them): nosuid, nodev,
# noexec, noatime, nodiratime share their bit with the mount flag; relatime does not.
_KEPT_FLAGS = 2 | 4 | 8 | 1024 | 2048
_ST_RELATIME, _MS_RELATIME = 4096, 1 << 21


class ReadOnlyBinds:
    """Prepared in the parent (paths, flags, ids); `apply` runs in the child before Landlock."""

    def __init__(self, paths: list[Path]):
        self.binds = []
        for path in paths:
            try:
                flags = os.statvfs(path).f_flag
            except OSError:
                continue
            kept = (flags & _KEPT_FLAGS) | (_MS_RELATIME if flags & _ST_RELATIME else 0)
            self.binds.append((os.fsencode(path), kept))
        self.uid, self.gid = os.geteuid(), os.getegid()

    def apply(self) -> None:
        libc = _libc()
        if self.uid == 0:
            _check(libc.unshare(_CLONE_NEWNS), "unshare the mount namespace")
        else:
            _check(libc.unshare(_CLONE_NEWNS | _CLONE_NEWUSER), "create a user namespace")
            _write(b"/proc/self/setgroups", b"deny")
            _write(b"/proc/self/uid_map", b"%d %d 1" % (self.uid, self.uid))
            _write(b"/proc/self/gid_map", b"%d %d 1" % (self.gid, self.gid))
        # Nothing done below may reach the person's own mounts.
        _check(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None), "make the mounts private")
        for path, kept in self.binds:
            _check(libc.mount(path, path, None, _MS_BIND | _MS_REC, None), "bind " + os.fsdecode(path))
            _check(libc.mount(None, path, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY | kept, None),
                   "make " + os.fsdecode(path) + " read-only")


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"cannot {what}: {os.strerror(errno)}")


def _write(path: bytes, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=None)
def unavailable_reason() -> str | None:
    """Why read-only binds cannot be made here (tried once, in a throwaway child), or None."""
    probe = ReadOnlyBinds([Path("/")])
    try:
        done = subprocess.run(["true"], preexec_fn=probe.apply, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"no private mount namespace for the step ({exc})"
    if done.returncode != 0:
        return "no private mount namespace for the step"
    return None
