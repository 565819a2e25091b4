"""Exports persist across steps, so a variable that makes a later read-only command run a program
must be judged when it is set."""

from pathlib import Path

from nlsh.safety.risk import Risk
from nlsh.safety.shell_risk import assess_command


def risk(line: str) -> Risk:
    return assess_command(line, Path("/tmp")).risk


def test_exported_variables_that_make_later_commands_run_programs_are_unknown():
    # The shell tool keeps exports for later steps, where a read-only `less` or `git log` would run them.
    assert risk("export LESSOPEN='|sh -c x %s'") == Risk.UNKNOWN
    assert risk("export GIT_CONFIG_GLOBAL=/tmp/evil") == Risk.UNKNOWN
    assert risk("export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0=x") == Risk.UNKNOWN
    assert risk("export GREETING=hi") == Risk.READ
