"""Steps that need the person's terminal, on a real one (tmux): a pager reads the keys, and neither
its end nor Ctrl-C leaves any of the step's processes running."""

import os
import shutil
import time

import pytest

from shellkit import ShellPane, missing


def running(argv: list[str]) -> list[int]:
    """The pids whose command line is exactly `argv`."""
    wanted = "\0".join(argv).encode() + b"\0"
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read() == wanted:
                    found.append(int(pid))
        except OSError:
            continue
    return found


def gone(argv: list[str], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while running(argv) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not running(argv)


@pytest.fixture
def repl(tmp_path, nlsh_home, script):
    for program in ("bash", "less"):
        if missing(program) or shutil.which(program) is None:
            pytest.skip(missing(program) or f"{program} is not installed")
    work = tmp_path / "work"
    work.mkdir()
    (work / "app.log").write_text("".join(f"line {n}\n" for n in range(1, 501)))
    pane = ShellPane("bash", tmp_path / "home", work, script(), nlsh_home)
    pane.type("nlsh")
    pane.keys("Enter")
    pane.wait_for("nlsh>")
    yield pane
    pane.close()


def test_less_reads_the_keyboard_and_quits_with_q(repl):
    # The background sleep is the step's too: it must not outlive the step.
    leftover = ["sleep", "86401"]
    repl.type("sleep 86401 & less app.log")
    repl.keys("Enter")
    repl.wait_for("line 20")
    assert running(["less", "app.log"]) and running(leftover), repl.screen()
    repl.keys("G")  # a key only the pager understands: to the end of the file
    repl.wait_for("line 500")
    repl.keys("q")
    assert gone(["less", "app.log"]), repl.screen()
    assert gone(leftover), "a background job of the step outlived it"
    repl.wait_for(r"exit 0", pattern=True)
    repl.type("wc -l app.log")  # the keyboard is nlsh's again
    repl.keys("Enter")
    repl.wait_for("500 app.log")


def test_ctrl_c_cancels_the_step_and_ends_its_processes(repl):
    pager, sleeper = ["less", "app.log"], ["sleep", "86402"]
    repl.type("sleep 86402")
    repl.keys("Enter")
    deadline = time.monotonic() + 20
    while not running(sleeper) and time.monotonic() < deadline:
        time.sleep(0.1)
    repl.keys("C-c")
    repl.wait_for("nlsh: cancelled")
    assert gone(sleeper), repl.screen()
    repl.type("less app.log")  # the terminal is nlsh's again, and can be handed over again
    repl.keys("Enter")
    repl.wait_for("line 20")
    repl.keys("q")
    assert gone(pager), repl.screen()
