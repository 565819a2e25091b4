"""Trying a read-only command before it is shown or run: in the bubblewrap sandbox (nothing
writable, no network, a time limit), where a wrong guess costs nothing. What went wrong (a usage
error, a missing file, an error and no output) is put to the model once, to repair its command.

Only plans whose every step is a shell command assessed read-only are tried; never with data piped
in (the trial could not give the command the same input)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from nlsh.kernel.plan import Plan
from nlsh.safety.risk import Assessment, Risk

TRIAL_SECONDS = 2.0
ERROR_CHARS = 400  # of stderr shown to the model
MISSING = "No such file or directory"
WALKING = "Permission denied"
# What a command prints when it was called wrongly, whatever its exit status (a pipeline's status is
# its last command's, so `cat missing | wc -l` exits 0).
CALLED_WRONGLY = ("invalid option", "unrecognized option", "illegal option",
                  "unknown option", "invalid argument", "Usage:", "usage:", "command not found",
                  "syntax error", "missing operand", "unknown predicate", "paths must precede expression")


@dataclass
class Trial:
    status: int | None  # None: the time limit ended it
    stdout: str
    stderr: str


def run_trial(command: str, cwd: Path, seconds: float = TRIAL_SECONDS) -> Trial | None:
    """Run `command` with bash in the read-only sandbox; None when the sandbox cannot run here."""
    return run_trials([command], cwd, seconds)[0]


def run_trials(commands: list[str], cwd: Path, seconds: float = TRIAL_SECONDS) -> list[Trial | None]:
    """Each command run with bash in the read-only sandbox, all at once under one time limit
    (kernel/select.py compares several); None for each when the sandbox cannot run here."""
    from nlsh.safety import sandbox

    try:
        argvs = [sandbox.wrap_trial(["bash", "-c", command], cwd) for command in commands]
    except sandbox.SandboxUnavailable:
        return [None] * len(commands)
    processes = [subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, start_new_session=True) for argv in argvs]
    deadline = time.monotonic() + seconds
    return [_finish(process, deadline) for process in processes]


def _finish(process: subprocess.Popen, deadline: float) -> Trial:
    try:
        out, err = process.communicate(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the whole group: bwrap, bash and what bash started
        process.wait()
        process.stdout.close()  # not read to the end: a process that left the group may hold them
        process.stderr.close()
        return Trial(None, "", "")
    return Trial(process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


def trouble(trial: Trial, command: str) -> str | None:
    """What the trial says is wrong with the command, in words for the model; None when nothing is."""
    if trial.status is None:
        return None  # slow is not wrong: a long search may be exactly what was asked
    errors = trial.stderr.strip()
    if not errors:
        return None  # a quiet non-zero status is an answer (grep found nothing, test was false)
    lines = errors.splitlines()
    if not any(_called_wrongly(line, command) for line in lines):
        if trial.status == 0 or trial.stdout.strip():
            return None  # warnings beside a result
        if all(WALKING in line or MISSING in line for line in lines):
            return None  # what a walk over the whole system meets (unreadable or vanished entries)
    clipped = errors if len(errors) <= ERROR_CHARS else errors[:ERROR_CHARS] + " ..."
    return (f"I tried that command where it could change nothing. It exited with status {trial.status} "
            f"and printed this error:\n{clipped}\nWrite the corrected command line only.")


def _called_wrongly(line: str, command: str) -> bool:
    """A missing file counts only when the command names it: `find /` meets processes that end while
    it walks /proc ("No such file or directory") without anything being wrong with it."""
    if MISSING in line:
        named = [part.strip().strip("'\"`") for part in line.split(":")[1:-1]]
        return any(name and name in command for name in named)
    return any(sign in line for sign in CALLED_WRONGLY)


class Verifier:
    """The planner's check: a message for the model when the plan's trial went wrong, else None."""

    def __init__(self, cwd: Path, assess: Callable[..., Assessment], piped: bool,
                 run: Callable[[str, Path], Trial | None] = run_trial):
        self.cwd = cwd
        self.assess = assess
        self.piped = piped
        self.run = run

    def __call__(self, plan: Plan) -> str | None:
        if self.piped or not plan.steps or any(step.tool != "shell" for step in plan.steps):
            return None
        if any(self.assess(step).risk > Risk.READ for step in plan.steps):
            return None  # never run anything above read-only, even in the sandbox
        command = "\n".join(step.args["command"] for step in plan.steps)
        trial = self.run(command, self.cwd)
        return trouble(trial, command) if trial is not None else None
