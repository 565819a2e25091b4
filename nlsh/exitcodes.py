"""Process exit codes, documented in man/nlsh.1 (a test keeps the two in step)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    STEP_FAILED = 1  # a step ran and failed (its own non-zero status, or an error)
    USAGE = 2  # bad command line
    REFUSED = 3  # the policy refused a step, or the person said no
    NO_MODEL = 4  # no model could be loaded or reached
    BAD_PLAN = 5  # the model's reply was not a valid plan, even after a repair round
    INTERRUPTED = 130  # Ctrl-C
