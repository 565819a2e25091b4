"""What a step's exit status says, in words. Statuses 1 and 2 mean different things to different
programs (2 is "serious trouble" to ls, grep and diff, a usage error to others), so only the error
output can tell a usage error; a negative status is the signal that stopped the program."""

from __future__ import annotations

import re
import signal

COULD_NOT_RUN = -1  # nlsh's own: the step never started
MEANINGS = {
    126: "the program was found but could not be run (permissions?)",
    127: "command not found: it is not installed or not on PATH",
    130: "interrupted (Ctrl-C)", 137: "killed (out of memory, or kill -9)", 143: "terminated (kill)",
    COULD_NOT_RUN: "nlsh could not run it",
}
_USAGE = re.compile(r"\busage:|invalid option|unrecognized option|unknown option|missing operand|"
                    r"requires an argument|extra operand|try '[^']*--help'", re.IGNORECASE)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def ended(code: int) -> str:
    """How a step ended: 'exited with status 2', or 'was stopped by SIGTERM'."""
    if code < 0 and code != COULD_NOT_RUN:
        return f"was stopped by {_signal_name(-code)}"
    return f"exited with status {code}"


def meaning(code: int, error_output: str) -> str:
    if code in MEANINGS:
        return MEANINGS[code]
    if code < 0:
        return f"it was stopped by {_signal_name(-code)}"
    if code > 128:
        return f"killed by {_signal_name(code - 128)}"
    if code in (1, 2) and _USAGE.search(error_output):
        return "a usage error (wrong options or arguments)"
    return "the command reported a failure" + (": what it said is below" if error_output.strip() else "")
