"""The REPL on a real terminal (tmux), started from bash set up as the README says: a plan is
reviewed, edited and run; and one session with the real default model where it is installed."""

import time

import pytest

from nlsh.models import gguf_store
from nlsh.models.catalog import CATALOG, DEFAULT_LOCAL
from shellkit import ShellPane, missing


@pytest.fixture
def repl(tmp_path, nlsh_home):
    if missing("bash"):
        pytest.skip(missing("bash"))
    panes = []

    def start(model):
        work = tmp_path / "work"
        work.mkdir(exist_ok=True)
        pane = ShellPane("bash", tmp_path / "home", work, model, nlsh_home)
        panes.append(pane)
        pane.type("nlsh")
        pane.keys("Enter")
        pane.wait_for("nlsh>")
        return pane, work

    yield start
    for pane in panes:
        pane.close()


def test_review_edit_and_run_on_a_real_terminal(repl, script):
    pane, work = repl(script({"steps": [{"tool": "shell", "args": {"command": "rm victim"}}]}))
    (work / "victim").write_text("x")
    pane.type("delete the victim file")
    pane.keys("Enter")
    pane.wait_for("1. rm victim  [destructive]")
    pane.wait_for("Enter run")
    pane.keys("e")
    pane.wait_for("edit> rm victim")
    pane.keys("C-u")
    pane.type("echo kept > note")
    pane.keys("Enter")
    pane.wait_for("1. echo kept > note  [write]")
    pane.keys("Enter")  # run; a write step is still asked about, on the terminal
    pane.wait_for("[y/N]")
    pane.type("y")
    pane.keys("Enter")
    deadline = time.monotonic() + 30
    while not (work / "note").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (work / "victim").exists(), pane.screen()
    assert (work / "note").read_text() == "kept\n", pane.screen()
    pane.keys("C-d")
    pane.wait_for("$")


@pytest.mark.skipif(not gguf_store.part_paths(CATALOG[DEFAULT_LOCAL]), reason="the default model is not installed")
def test_a_session_with_the_real_default_model(repl):
    pytest.importorskip("llama_cpp")
    pane, work = repl(DEFAULT_LOCAL)
    (work / "alpha.txt").write_text("x\n")
    (work / "beta.log").write_text("x\n")
    pane.type("list the files here")
    pane.keys("Enter")
    pane.wait_for("Enter run", timeout=600)  # the first run assembles and loads the model
    pane.keys("Enter")
    screen = pane.wait_for("beta.log", timeout=60)
    assert "alpha.txt" in screen
    assert "(ready)" in pane.wait_for("(ready)")  # the toolbar knows the model is loaded now
    pane.keys("C-d")
