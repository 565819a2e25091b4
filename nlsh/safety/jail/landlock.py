"""Landlock through ctypes: three system calls and their structures (linux/landlock.h).

No maintained binding exists on PyPI (the `landlock` package is a 2025 development release), and the
interface is small and stable. A ruleset is built in nlsh's own process; `restrict_self` is the only
call made in the child between fork and exec, so nothing here allocates or imports there."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import platform

# Syscall numbers: the same on every architecture that has Landlock (allocated after the unification).
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
_PR_SET_NO_NEW_PRIVS = 38

# File system rights, with the ABI that introduced them.
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER = 1 << 13  # ABI 2: link or rename into another directory
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5
_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1, 5: (1 << 16) - 1}
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # the only ones a file rule may carry

# Network rights (ABI 4) and scopes (ABI 6).
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # __attribute__((packed)) in the kernel header
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class LandlockError(OSError):
    pass


@functools.lru_cache(maxsize=None)
def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    libc.prctl.restype = ctypes.c_int
    return libc


def _syscall(number: int, *args: object) -> int:
    result = _libc().syscall(ctypes.c_long(number), *args)
    if result < 0:
        errno = ctypes.get_errno()
        raise LandlockError(errno, os.strerror(errno))
    return result


@functools.lru_cache(maxsize=None)
def abi() -> int:
    """The Landlock ABI version the kernel offers; 0 when it has none (too old, or disabled)."""
    if platform.system() != "Linux":
        return 0
    try:
        return _syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    except (LandlockError, OSError, AttributeError):
        return 0


def fs_rights(version: int) -> int:
    """Every file system right the given ABI knows: handling them all denies what no rule grants."""
    return _FS_BY_ABI.get(version, _FS_BY_ABI[5]) if version > 0 else 0


class Ruleset:
    """An open Landlock ruleset (a file descriptor). Build it in the parent, apply it in the child."""

    def __init__(self, handled_fs: int, handled_net: int = 0, scoped: int = 0):
        version = abi()
        if version < 1:
            raise LandlockError(0, "Landlock is not available")
        attr = _RulesetAttr(handled_fs, handled_net if version >= 4 else 0, scoped if version >= 6 else 0)
        size = 24 if version >= 6 else 16 if version >= 4 else 8  # older kernels reject unknown fields
        self.handled_fs = handled_fs
        self.fd = _syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))

    def allow(self, path: str | os.PathLike[str], rights: int) -> None:
        """Grant `rights` (limited to what is handled) on `path` and everything below it. A missing
        path is skipped: there is nothing there to grant."""
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except (FileNotFoundError, NotADirectoryError):
            return
        try:
            if not os.path.isdir(path):
                rights &= FILE_RIGHTS
            rule = _PathBeneathAttr(rights & self.handled_fs, fd)
            if rule.allowed_access:
                _syscall(_ADD_RULE, ctypes.c_int(self.fd), ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule),
                         ctypes.c_uint32(0))
        finally:
            os.close(fd)

    def restrict_self(self) -> None:
        """Enter the ruleset's domain for good (with no_new_privs, so setuid programs cannot leave it).
        Called in the child between fork and exec."""
        libc = _libc()
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise LandlockError(ctypes.get_errno(), "cannot set no_new_privs")
        _syscall(_RESTRICT_SELF, ctypes.c_int(self.fd), ctypes.c_uint32(0))

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
