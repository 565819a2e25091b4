"""Verification by running: a read-only plan is tried in the read-only bubblewrap sandbox first;
a usage error or a missing file gets one repair round that shows the model what happened. Nothing
above read-only is ever tried."""

from __future__ import annotations

import pytest

from nlsh.kernel.plan import Plan, Step
from nlsh.kernel.planner import Planner
from nlsh.kernel.verify import Trial, Verifier, run_trial, trouble
from nlsh.models.base import Prompt
from nlsh.models.scripted import ScriptedModel
from nlsh.safety import sandbox
from nlsh.tools.registry import load_registry
from sessionkit import harness, printed_with_and_without, shell_plan

needs_sandbox = pytest.mark.skipif(not sandbox.available(), reason="bubblewrap cannot run here")


def shell(*commands: str) -> Plan:
    return Plan(steps=[Step("shell", {"command": c}) for c in commands])


@pytest.mark.parametrize("trial, wrong", [
    (Trial(1, "", "cat: notes.txt: No such file or directory\n"), True),
    (Trial(0, "0\n", "cat: notes.txt: No such file or directory\n"), True),  # `cat x | wc -l` exits 0
    (Trial(2, "", "ls: unrecognized option '--bogus'\n"), True),
    (Trial(1, "", "awk: line 1: runaway string constant\n"), True),  # an error and nothing else
    (Trial(1, "", ""), False),  # grep found nothing: an answer
    (Trial(1, "/a/b\n", "find: '/root': Permission denied\n"), False),  # warnings beside a result
    (Trial(None, "", ""), False),  # slow is not wrong
    (Trial(1, "", "find: '/proc/4242/task': No such file or directory\n"), False),  # not a file it named
    (Trial(0, "ok\n", ""), False),
])
def test_what_counts_as_a_command_gone_wrong(trial, wrong):
    message = trouble(trial, "cat notes.txt | wc -l")
    assert (message is not None) == wrong
    if wrong:
        assert trial.stderr.strip().splitlines()[0] in message and "corrected command" in message


@needs_sandbox
def test_a_trial_runs_read_only_in_the_sandbox(tmp_path):
    (tmp_path / "notes.txt").write_text("one\ntwo\n")
    assert run_trial("wc -l < notes.txt", tmp_path) == Trial(0, "2\n", "")
    tried = run_trial("echo x > made.txt", tmp_path)
    assert tried.status != 0 and "Read-only file system" in tried.stderr
    assert not (tmp_path / "made.txt").exists()
    assert run_trial("sleep 5", tmp_path, seconds=0.5).status is None


@needs_sandbox
def test_a_failing_read_only_plan_gets_one_repair_round(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "app.log").write_text("a\nb\nc\n")
    model = ScriptedModel([shell_plan("wc -l app.log"), shell_plan("wc -l logs/app.log")])
    registry = load_registry()
    h = harness(tmp_path, print_only=True)
    verifier = Verifier(tmp_path, h.session.assess, piped=False)
    plan, conversation = Planner(model, registry, verifier).plan(Prompt("system", [{"role": "user", "content": "x"}],
                                                                       registry.specs()))
    assert plan.steps[0].args["command"] == "wc -l logs/app.log"
    repair = model.prompts[1].messages[-1]["content"]
    assert "No such file or directory" in repair and "status 1" in repair
    assert conversation.messages[-1]["role"] == "assistant" and "logs/app.log" in conversation.messages[-1]["content"]


def test_a_plan_that_works_is_asked_for_once(tmp_path):
    calls = []
    model = ScriptedModel([shell_plan("echo fine")])
    registry = load_registry()
    h = harness(tmp_path)
    verifier = Verifier(tmp_path, h.session.assess, piped=False, run=lambda c, cwd: calls.append(c) or Trial(0, "fine\n", ""))
    plan, _ = Planner(model, registry, verifier).plan(Prompt("s", [{"role": "user", "content": "x"}], registry.specs()))
    assert calls == ["echo fine"] and len(model.prompts) == 1


@pytest.mark.parametrize("plan, piped", [
    (shell("rm -f notes.txt"), False),  # destructive: never tried, not even in the sandbox
    (shell("cat notes.txt", "touch b"), False),  # one step above read-only is enough
    (shell("cat notes.txt"), True),  # piped data: a trial could not see the same input
    (Plan(steps=[Step("list_directory", {"path": "."})]), False),  # typed tools check their own args
])
def test_what_is_never_tried(tmp_path, plan, piped):
    tried = []
    h = harness(tmp_path)
    verifier = Verifier(tmp_path, h.session.assess, piped=piped, run=lambda c, cwd: tried.append(c))
    assert verifier(plan) is None and tried == []


@needs_sandbox
def test_the_session_repairs_with_verification_on_and_not_off(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.c").write_text("int main;\n")
    on, off = printed_with_and_without("verify", tmp_path, "show main.c",
                                       shell_plan("cat main.c"), shell_plan("cat src/main.c"))
    assert on == "cat src/main.c\n" and off == "cat main.c\n"


@needs_sandbox
def test_trials_see_processes_and_work_inside_another_sandbox(tmp_path):
    """The eval harness (and any container) runs nlsh inside bubblewrap already; a trial must still
    run there, and `ps` in it must work as it would for real."""
    import subprocess
    import sys
    from pathlib import Path

    assert int(run_trial("ps -e --no-headers | wc -l", tmp_path).stdout) > 1
    repo = str(Path(__file__).resolve().parents[1])
    code = ("from pathlib import Path; from nlsh.kernel.verify import run_trial; "
            "t = run_trial('ps -e >/dev/null && cat /missing-file', Path('/')); print(t.status, t.stderr.strip())")
    outer = ["bwrap", "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000", "--die-with-parent",
             "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
             "--ro-bind", repo, repo, "--setenv", "PYTHONPATH", repo, "--", sys.executable, "-c", code]
    done = subprocess.run(outer, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "1 cat: /missing-file: No such file or directory", done.stderr


@needs_sandbox
def test_the_time_limit_ends_everything_the_trial_started(tmp_path):
    import time

    import os
    import subprocess

    # A duration no other process on the machine uses, so pgrep finds only this trial's sleeps.
    sleep = f"sleep 30.{os.getpid():07d}"
    started = time.monotonic()
    assert run_trial(f"{sleep} | cat; {sleep}", tmp_path, seconds=0.5).status is None
    assert time.monotonic() - started < 3
    left = subprocess.run(["pgrep", "-f", sleep], capture_output=True, text=True).stdout.split()
    assert left == []
