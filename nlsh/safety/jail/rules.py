"""The Landlock ruleset for each clearance, using every right the kernel's ABI knows."""

from __future__ import annotations

from pathlib import Path

from . import landlock as ll
from .clearance import Clearance

READ = ll.READ_FILE | ll.READ_DIR | ll.EXECUTE
# The terminal and /dev/null: output, and the ioctls a program asks its terminal (window size, modes).
TERMINAL = ll.READ_FILE | ll.WRITE_FILE | ll.IOCTL_DEV
TERMINAL_PATHS = ("/dev/null", "/dev/tty", "/dev/pts")
# Creating and appending: nothing that exists is lost (no unlink, rename away, or truncation).
CREATE = ll.MAKE_REG | ll.MAKE_DIR | ll.MAKE_SYM | ll.WRITE_FILE
# Also deleting, renaming and truncating. Never device nodes: root could make a disk's twin.
CHANGE = CREATE | ll.REMOVE_FILE | ll.REMOVE_DIR | ll.TRUNCATE | ll.REFER | ll.MAKE_FIFO | ll.MAKE_SOCK


def ruleset(clearance: Clearance, scratch: Path, roots: list[Path]) -> ll.Ruleset:
    """Reads anywhere; writes to the terminal, /dev/null, the step's own scratch directory ($TMPDIR,
    removed afterwards) and, for a writing clearance, below `roots`; no signals or abstract Unix
    sockets outside the step; no TCP connect or bind unless the clearance is network."""
    handled_net = 0 if clearance == Clearance.NETWORK else ll.NET_BIND_TCP | ll.NET_CONNECT_TCP
    rules = ll.Ruleset(ll.fs_rights(ll.abi()), handled_net, ll.SCOPE_SIGNAL | ll.SCOPE_ABSTRACT_UNIX_SOCKET)
    try:
        rules.allow("/", READ)
        for path in TERMINAL_PATHS:
            rules.allow(path, TERMINAL)
        rules.allow(scratch, CHANGE)
        rights = CHANGE if clearance == Clearance.DESTRUCTIVE else CREATE
        for root in roots:
            rules.allow(root, rights)
    except BaseException:
        rules.close()
        raise
    return rules
