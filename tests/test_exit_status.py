"""Exit statuses in words: signals by name, a usage error only when the program said so."""

from nlsh.kernel.exit_status import ended, meaning


def test_how_a_step_ended():
    assert ended(2) == "exited with status 2"
    assert ended(-15) == "was stopped by SIGTERM"
    assert ended(-9) == "was stopped by SIGKILL"
    assert ended(-1) == "exited with status -1"  # nlsh's own "could not run it", not SIGHUP


def test_what_a_status_means():
    assert meaning(2, "ls: cannot access '/nonexistent': No such file or directory") == \
        "the command reported a failure: what it said is below"
    assert meaning(2, "ls: unrecognized option '--nope'\nTry 'ls --help' for more information.") == \
        "a usage error (wrong options or arguments)"
    assert meaning(1, "usage: git [--version]") == "a usage error (wrong options or arguments)"
    assert meaning(1, "") == "the command reported a failure"
    assert meaning(127, "") == "command not found: it is not installed or not on PATH"
    assert meaning(-15, "") == "it was stopped by SIGTERM"
    assert meaning(129, "") == "killed by SIGHUP"
