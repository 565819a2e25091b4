"""The child's own view of the mounts: the whole file system read-only, a few paths bound writable
over it, and a few bound read-only again over those.

This is the second layer under Landlock, for what Landlock (up to ABI 7) cannot say: it never
covers chmod, chown, utime or extended attributes, and it can only add rights below a directory,
never take them back for a part of it ("write below the cwd, but not its .git or .envrc"). Root
makes the namespace directly; anyone else through a user namespace mapped to their own ids, where
the distribution allows those. Nothing here reaches the person's own mounts (all are made private
first)."""

from __future__ import annotations

import ctypes
import functools
import os
import subprocess
from pathlib import Path

from .landlock import _libc

_CLONE_NEWNS, _CLONE_NEWUSER = 0x00020000, 0x10000000
_MS_RDONLY, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18
_MOUNT_SETATTR, _AT_RECURSIVE, _MOUNT_ATTR_RDONLY = 442, 0x8000, 1
# statvfs flags a remount inside a user namespace must keep (the kernel locks them): nosuid, nodev,
# noexec, noatime, nodiratime share their bit with the mount flag; relatime does not.
_KEPT_FLAGS = 2 | 4 | 8 | 1024 | 2048
_ST_RELATIME, _MS_RELATIME = 4096, 1 << 21


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _kept_flags(path: Path) -> int | None:
    try:
        flags = os.statvfs(path).f_flag
    except OSError:
        return None
    return (flags & _KEPT_FLAGS) | (_MS_RELATIME if flags & _ST_RELATIME else 0)


class MountView:
    """Prepared in the parent (paths, flags, ids, the attribute block); `apply` runs in the child
    between fork and exec, before Landlock (which forbids mounting)."""

    def __init__(self, *, all_read_only: bool, writable: list[Path] = (), read_only: list[Path] = ()):
        self.all_read_only = all_read_only
        self.binds = []  # (path, flags of the remount)
        for paths, extra in ((writable, 0), (read_only, _MS_RDONLY)):
            for path in paths:
                kept = _kept_flags(path)
                if kept is not None:
                    self.binds.append((os.fsencode(path), kept | extra))
        self.uid, self.gid = os.geteuid(), os.getegid()
        self._attr = _MountAttr(_MOUNT_ATTR_RDONLY, 0, 0, 0)

    def apply(self) -> None:
        libc = _libc()
        if self.uid == 0:
            _check(libc.unshare(_CLONE_NEWNS), "unshare the mount namespace")
        else:
            _check(libc.unshare(_CLONE_NEWNS | _CLONE_NEWUSER), "create a user namespace")
            _write(b"/proc/self/setgroups", b"deny")
            _write(b"/proc/self/uid_map", b"%d %d 1" % (self.uid, self.uid))
            _write(b"/proc/self/gid_map", b"%d %d 1" % (self.gid, self.gid))
        _check(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None), "make the mounts private")
        if self.all_read_only:
            result = libc.syscall(ctypes.c_long(_MOUNT_SETATTR), ctypes.c_int(-100), b"/",
                                  ctypes.c_uint(_AT_RECURSIVE), ctypes.byref(self._attr),
                                  ctypes.c_size_t(ctypes.sizeof(self._attr)))
            _check(result, "make every mount read-only")
        for path, flags in self.binds:
            _check(libc.mount(path, path, None, _MS_BIND | _MS_REC, None), "bind " + os.fsdecode(path))
            _check(libc.mount(None, path, None, _MS_BIND | _MS_REMOUNT | flags, None),
                   "set the mode of " + os.fsdecode(path))
        os.chdir(os.getcwd())  # the working directory was entered before: enter it again through the new binds


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
    """Why the child cannot get a mount view of its own here (tried once, in a throwaway child)."""
    probe = MountView(all_read_only=True, writable=[Path("/tmp")], read_only=[Path("/tmp")])
    try:
        done = subprocess.run(["true"], preexec_fn=probe.apply, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"no private mount namespace for the step ({exc})"
    if done.returncode != 0:
        return "no private mount namespace for the step"
    return None
