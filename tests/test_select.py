"""Selection: the greedy command and sampled alternatives are tried side by side in the read-only
sandbox; the output most of them agree on wins, the greedy command on a tie, and a command whose
trial fails has no vote. Anything not read-only, or piped data, leaves the greedy plan alone."""

from __future__ import annotations

import pytest

from nlsh.kernel.plan import Plan, Step
from nlsh.kernel.select import Selector, agreed_output, choose
from nlsh.kernel.verify import run_trials
from nlsh.kernel.verify import Trial
from nlsh.safety import sandbox
from sessionkit import harness, shell_plan

needs_sandbox = pytest.mark.skipif(not sandbox.available(), reason="bubblewrap cannot run here")


def shell(command: str) -> Plan:
    return Plan(steps=[Step("shell", {"command": command})])


def test_the_output_most_commands_agree_on_wins():
    outputs = {"g": "1", "a": "2", "b": "2"}
    assert choose(["g", "a", "b"], outputs) == "a"  # two votes beat one, even the greedy one
    assert choose(["g", "a", "a"], {"g": "1", "a": "2"}) == "a"  # written twice: two votes


def test_a_tie_keeps_the_greedy_command_and_a_failed_trial_has_no_vote():
    assert choose(["g", "a"], {"g": "1", "a": "2"}) == "g"
    assert choose(["g", "a", "b"], {"g": None, "a": "2", "b": None}) == "a"  # the greedy one failed
    assert choose(["g", "a"], {"g": None, "a": None}) == "g"  # nobody votes: nothing to go on
    # Agreeing with the greedy command counts for the greedy command itself.
    assert choose(["g", "a", "b", "c"], {"g": "1", "a": "1", "b": "2", "c": "3"}) == "g"


@pytest.mark.parametrize("trial, vote", [
    (Trial(0, "x  \ny\n\n", ""), "x\ny"),  # trailing blanks and blank edges do not split a vote
    (Trial(1, "", ""), ""),  # a quiet non-zero exit is an answer (grep found nothing)
    (Trial(2, "", "ls: unrecognized option '--bogus'\n"), None),
    (Trial(None, "", ""), None),  # the time ran out: no vote
    (None, None),  # no sandbox here
])
def test_what_a_trial_votes_for(trial, vote):
    assert agreed_output(trial, "ls --bogus") == vote


@needs_sandbox
def test_trials_run_side_by_side_under_one_time_limit(tmp_path):
    (tmp_path / "notes.txt").write_text("one\ntwo\n")
    trials = run_trials(["wc -l < notes.txt", "sleep 5", "echo x > made.txt"], tmp_path, seconds=1.0)
    assert trials[0] == Trial(0, "2\n", "")
    assert trials[1].status is None  # ended at the limit, and the others were not kept waiting
    assert trials[2].status != 0 and not (tmp_path / "made.txt").exists()


@needs_sandbox
def test_a_wrong_greedy_command_is_outvoted(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "app.log").write_text("a\nb\nc\n")
    h = harness(tmp_path)
    selector = Selector(tmp_path, h.session.assess, piped=False)
    samples = ["wc -l < logs/app.log", "cat logs/app.log | wc -l", "wc -l app.log"]
    chosen = selector(shell("wc -l app.log"), lambda count: samples[:count])
    assert chosen.steps[0].args["command"] == "wc -l < logs/app.log"  # both print 3; the first wins


@needs_sandbox
def test_an_alternative_above_read_only_is_never_tried(tmp_path):
    (tmp_path / "notes.txt").write_text("x\n")
    tried = []
    h = harness(tmp_path)
    selector = Selector(tmp_path, h.session.assess, piped=False,
                        trials=lambda commands, cwd: tried.append(commands) or run_trials(commands, cwd))
    chosen = selector(shell("cat nothere.txt"), lambda count: ["rm notes.txt", "cat notes.txt", "rm -rf ."])
    assert tried == [["cat nothere.txt", "cat notes.txt"]]
    assert chosen.steps[0].args["command"] == "cat notes.txt" and (tmp_path / "notes.txt").exists()


@pytest.mark.parametrize("greedy, samples, piped", [
    ("rm notes.txt", ["cat notes.txt"], False),  # the greedy plan itself is above read-only
    ("cat notes.txt", ["head notes.txt"], True),  # piped data: a trial could not see the same input
    ("cat notes.txt", ["cat notes.txt"], False),  # all the same: nothing to try
    ("cat notes.txt", ["rm notes.txt"], False),  # the only other one is never tried
])
def test_what_is_never_tried(tmp_path, greedy, samples, piped):
    tried = []
    h = harness(tmp_path)
    selector = Selector(tmp_path, h.session.assess, piped=piped,
                        trials=lambda commands, cwd: tried.append(commands) or [None] * len(commands))
    plan = shell(greedy)
    assert selector(plan, lambda count: samples) is plan and tried == []


@needs_sandbox
def test_the_session_selects_with_the_lever_on_and_not_off(tmp_path):
    (tmp_path / "notes.txt").write_text("1\n2\n3\n4\n")
    samples = ["wc -l < notes.txt", "wc -l < notes.txt", "cat notes.txt | wc -l"]
    on = harness(tmp_path, shell_plan("wc -w notes.txt"), print_only=True, levers=("select",))
    on.model.samples.append(samples)
    on.run("how many lines are in notes.txt")
    off = harness(tmp_path, shell_plan("wc -w notes.txt"), print_only=True)
    off.model.samples.append(samples)
    off.run("how many lines are in notes.txt")
    assert on.out.getvalue() == "wc -l < notes.txt\n" and off.out.getvalue() == "wc -w notes.txt\n"
