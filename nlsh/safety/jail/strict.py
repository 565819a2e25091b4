"""Strict mode, for machines with neither Landlock nor bubblewrap: nothing in the kernel stands behind
the classifier, so a step runs without a yes only when every command in it is a plain looker from a
short list and the whole line is literal. Everything else needs the person at the terminal."""

from __future__ import annotations

from .clearance import Clearance

PLAIN_LOOKERS = frozenset("""
ls cat head tail wc grep egrep fgrep cut sort tr nl ps pgrep df du free uptime id whoami uname pwd
echo stat realpath readlink basename dirname md5sum sha256sum diff cmp seq
""".split())


def _sort_writes(arg: str) -> bool:
    """sort's options that write or run something: -o (also bundled: -ro), --output and
    --compress-program however abbreviated."""
    if arg.startswith("--"):
        return arg.startswith(("--o", "--c"))
    return arg.startswith("-") and "o" in arg


def refusal(command: str, clearance: Clearance | None) -> str | None:
    """Why strict mode will not run `command` without a yes, or None when it may."""
    if clearance not in (None, Clearance.FULL, Clearance.READ):
        return (f"--allow {clearance.value} needs a kernel jail, and this machine has neither Landlock "
                "nor bubblewrap: answer at the terminal instead")
    if clearance != Clearance.READ:
        return None
    from nlsh.safety.shell_risk import simple_commands

    argvs = simple_commands(command)
    why = ("strict mode (no kernel jail here): without a yes, only literal lines of "
           + ", ".join(sorted(PLAIN_LOOKERS)[:8]) + ", ... run")
    if not argvs:
        return why
    for argv in argvs:
        if argv[0] not in PLAIN_LOOKERS:
            return why
        if argv[0] == "sort" and any(_sort_writes(a) for a in argv[1:]):
            return why
    return None
