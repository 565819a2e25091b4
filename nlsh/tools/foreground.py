"""A step run on the person's terminal gets it the way a job-control shell gives it: in a process
group of its own that is the terminal's foreground while it runs. So `less`, `vim` and `top` read the
keys, Ctrl-C goes to the step (not to nlsh), and whatever the step leaves behind can be ended as one
group when it is over.

    hand = Handover.offer(terminal_fd)   # None: nlsh is not in the foreground there
    Popen(..., stdin=terminal_fd, preexec_fn=hand.child_setup)
    ...
    hand.take_back(pid)                  # the terminal is nlsh's again; leftovers are ended"""

from __future__ import annotations

import os
import signal
import time

GRACE = 0.3  # seconds a leftover gets after SIGHUP before SIGKILL


def _set_foreground(fd: int, pgid: int) -> None:
    """tcsetpgrp, which a process outside the foreground may only call with SIGTTOU blocked."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTTOU})
    try:
        os.tcsetpgrp(fd, pgid)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class Handover:
    def __init__(self, fd: int):
        self.fd = fd
        self.own_group = os.getpgrp()

    @classmethod
    def offer(cls, fd: int | None) -> "Handover | None":
        """A handover when `fd` is nlsh's controlling terminal and nlsh is its foreground (not
        `nlsh ... &`), else None: the step then runs as before, without the terminal."""
        if fd is None:
            return None
        try:
            if not os.isatty(fd) or os.tcgetpgrp(fd) != os.getpgrp():
                return None
        except OSError:  # not our controlling terminal
            return None
        return cls(fd)

    def child_setup(self) -> None:
        """Between fork and exec: a group of its own, in the foreground. Done in the child so the
        program never runs a moment in the background (where reading the terminal stops it)."""
        os.setpgid(0, 0)
        _set_foreground(self.fd, os.getpgrp())

    def take_back(self, pgid: int, *, kill: bool = False) -> None:
        """The terminal is nlsh's again, and the step's group is gone: asked with SIGHUP (what a
        closed terminal says; `nohup` outlives it), then killed; at once when `kill`."""
        try:
            _set_foreground(self.fd, self.own_group)
        except OSError:
            pass
        end_group(pgid, at_once=kill)


def end_group(pgid: int, *, at_once: bool = False) -> None:
    if not at_once:
        if not _signal_group(pgid, signal.SIGHUP):
            return
        _signal_group(pgid, signal.SIGCONT)  # a stopped leftover must wake to hear it
        deadline = time.monotonic() + GRACE
        while time.monotonic() < deadline:
            if not _signal_group(pgid, 0):
                return
            time.sleep(0.02)
    _signal_group(pgid, signal.SIGKILL)


def _signal_group(pgid: int, sig: int) -> bool:
    """False when the group has no process left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # a member changed its user (sudo): not ours to end
        return True
    return True
