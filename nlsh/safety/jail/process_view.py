"""Steps that ask which process owns what (ss -p, netstat -p, lsof, fuser) read other processes'
/proc/PID/fd, which Landlock forbids outside its domain: under it they answer with the owners left
out, and say nothing. Such a line runs instead in bubblewrap's read-only view of the real machine,
chosen from the parsed command, never by the model.

That view can read other processes' descriptors only in nlsh's own user namespace, that is as root
(with every capability dropped but CAP_SYS_PTRACE, so it cannot remount itself writable); elsewhere
the line stays under Landlock and nlsh says once that owners are hidden."""

from __future__ import annotations

import os

from . import bwrap
from .strict import PLAIN_LOOKERS

OWNER_FLAGS = {"ss": ("p", "--processes"), "netstat": ("p", "--program")}
ALWAYS_INSPECT = frozenset({"lsof", "fuser"})
# What the view may run alongside: plain lookers, and the inspectors without their killing options.
KILLING = {"ss": ("K", "--kill"), "fuser": ("k", "--kill")}
KEPT_CAPABILITIES = ("CAP_SYS_PTRACE",)
HIDDEN_NOTE = ("the read jail hides which process owns a socket or file (ss -p, lsof, fuser); "
               "answer at the terminal to see the owners")


def _has_flag(argv: list[str], short: str, long: str) -> bool:
    for arg in argv[1:]:
        if arg == "--":
            return False
        if arg.startswith("--"):
            if arg == long or (len(arg) > 3 and long.startswith(arg)):
                return True
        elif arg.startswith("-") and short in arg[1:]:
            return True
    return False


def _inspects(argv: list[str]) -> bool:
    name = os.path.basename(argv[0])
    if name in ALWAYS_INSPECT:
        return True
    flags = OWNER_FLAGS.get(name)
    return flags is not None and _has_flag(argv, *flags)


def _harmless(argv: list[str]) -> bool:
    name = os.path.basename(argv[0])
    if name in KILLING and _has_flag(argv, *KILLING[name]):
        return False
    return name in PLAIN_LOOKERS or name in ALWAYS_INSPECT or name in OWNER_FLAGS


def wanted(argvs: list[list[str]] | None) -> bool:
    """The line (its literal simple commands; None when it is not literal) asks about process
    owners, and runs nothing but lookers."""
    if not argvs:
        return False
    return any(_inspects(a) for a in argvs) and all(_harmless(a) for a in argvs)


def arguments(scratch) -> list[str] | None:
    """bubblewrap's argv prefix for the view, or None when it cannot show other processes here."""
    found = bwrap.usable()
    if found is None or os.geteuid() != 0:
        return None
    return bwrap.arguments(found, scratch, [], [], keep=KEPT_CAPABILITIES)
