"""The option check: an option the program's own manual does not list gets one repair round, for a
plan of any risk (nothing is run). Judged from this machine's real man pages."""

from __future__ import annotations

import shutil

import pytest

from nlsh.kernel import manuals
from nlsh.kernel.levers import plan_check
from nlsh.kernel.option_check import OptionCheck, unknown_options
from nlsh.kernel.plan import Plan, Step
from nlsh.kernel.planner import Planner
from nlsh.models.base import Prompt
from nlsh.models.scripted import ScriptedModel
from nlsh.tools.registry import load_registry
from sessionkit import harness, printed_with_and_without, shell_plan

needs_man = pytest.mark.skipif(
    shutil.which("man") is None or any(manuals.man_page(p) is None for p in ("tar", "find", "ls", "sort", "chmod")),
    reason="man pages are not installed")


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch, tmp_path):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "home"))  # parsed manuals cached apart from the user's
    manuals._manual.cache_clear()
    yield
    manuals._manual.cache_clear()


def unknown(line: str, tmp_path) -> list[tuple[str, str]]:
    return [(u.program, u.option) for u in unknown_options(line, tmp_path)]


@needs_man
@pytest.mark.parametrize("line, found", [
    ("tar -czf out.tgz --time=2023-01-01 src", [("tar", "--time")]),
    ("ls --frobnicate", [("ls", "--frobnicate")]),
    ("find . -name '*.c' -frob", [("find", "-frob")]),
    ("cat notes.txt | sort --bogus-key", [("sort", "--bogus-key")]),  # every program of a pipeline
    ("find . -exec rm {} | sort --bogus-key", [("sort", "--bogus-key")]),  # -exec ends with its command
    ("ls --frobnicate -l --frobnicate", [("ls", "--frobnicate")]),  # said once
])
def test_an_option_the_manual_does_not_list_is_found(line, found, tmp_path):
    assert unknown(line, tmp_path) == found


@needs_man
@pytest.mark.parametrize("line", [
    "tar -czvf out.tgz src",  # a cluster of short options
    "ls -la --color=auto",
    "find . -type f -name '*.py' -exec wc -l {} \\; -print",  # wc's -l is not find's
    "find . -maxdepth 1 -empty -o -newer x",  # find's one-dash words and its operators
    "head -5 notes.txt",  # -NUM: a count, not an option name
    "kill -9 1234",
    "kill -TERM 1234",  # a signal's name
    "sed -i.bak 's/a/b/' notes.txt",  # an optional value attached
    "sort -k 2,2 -t, notes.csv",
    "grep -rn --include='*.py' TODO .",
    "du --max-depth=1 -h .",
    "chmod -x run.sh",  # a mode, not an option
    "find . -newermt 2024-01-01",  # the manual writes -newerXY
    "ls -$flags notes.txt",  # an expansion: not the option bash will pass
    "test -v HOME && echo ---",  # bash's own test and echo, not the programs' man pages
    "some-program-that-is-not-installed --whatever",
    "echo 'unbalanced",  # bash cannot parse it: the trial or bash says so, not this check
    "echo " + "a" * 300,  # a word no file system takes as a name
    "ls --\udcff",  # not valid UTF-8: the classifier says so
])
def test_what_the_manuals_list_is_not_questioned(line, tmp_path):
    assert unknown(line, tmp_path) == []


@needs_man
@pytest.mark.skipif(manuals.man_page("git") is None, reason="git's man page is not installed")
def test_a_program_that_takes_a_command_is_not_judged(tmp_path):
    assert unknown("git --frobnicate status", tmp_path) == []


@needs_man
def test_a_plan_with_an_unknown_option_gets_one_repair_round_whatever_its_risk(tmp_path):
    model = ScriptedModel([shell_plan("tar -czf out.tgz --time=2023-01-01 src"),
                           shell_plan("tar -czf out.tgz --mtime=2023-01-01 src")])
    registry = load_registry()
    plan, _ = Planner(model, registry, OptionCheck(tmp_path)).plan(
        Prompt("system", [{"role": "user", "content": "archive src dated 2023-01-01"}], registry.specs()))
    assert plan.steps[0].args["command"] == "tar -czf out.tgz --mtime=2023-01-01 src"
    repair = model.prompts[1].messages[-1]["content"]
    assert "tar has no option --time (" in repair and "man tar(1)" in repair


@needs_man
def test_a_plan_whose_options_exist_is_asked_for_once(tmp_path):
    model = ScriptedModel([shell_plan("ls -la")])
    registry = load_registry()
    plan, _ = Planner(model, registry, OptionCheck(tmp_path)).plan(
        Prompt("system", [{"role": "user", "content": "list everything"}], registry.specs()))
    assert plan.steps[0].args["command"] == "ls -la" and len(model.prompts) == 1
    assert OptionCheck(tmp_path)(Plan(steps=[Step("list_directory", {"path": "."})])) is None


@needs_man
def test_with_verification_the_option_check_speaks_first(tmp_path):
    check = plan_check(("options", "verify"), tmp_path, lambda step: None, piped=False)
    message = check(Plan(steps=[Step("shell", {"command": "ls --frobnicate"})]))
    assert "ls has no option --frobnicate" in message and "I tried" not in message


@needs_man
def test_the_session_checks_options_with_the_lever_on_and_not_off(tmp_path):
    on, off = printed_with_and_without("options", tmp_path, "show all files",
                                       shell_plan("ls --frobnicate"), shell_plan("ls -a"))
    assert on == "ls -a\n" and off == "ls --frobnicate\n"


@needs_man
def test_an_option_still_unknown_after_the_repair_is_said_on_stderr(tmp_path):
    stubborn = harness(tmp_path, shell_plan("ls --frobnicate"), shell_plan("ls --frobnicate"),
                       print_only=True, levers=("options",))
    stubborn.run("show all files")
    assert stubborn.out.getvalue() == "ls --frobnicate\n"  # the person decides; stdout is the plan only
    assert "note: ls has no option --frobnicate" in stubborn.err.getvalue()
    repaired = harness(tmp_path, shell_plan("ls --frobnicate"), shell_plan("ls -a"), print_only=True,
                       levers=("options",))
    repaired.run("show all files")
    assert "no option" not in repaired.err.getvalue()


def test_the_check_runs_no_program_for_its_help_text(tmp_path, monkeypatch):
    """It comes before any review: an installed program without a man page is not run to read its
    --help (the person's `x` may do that later, in the sandbox), so its options are not judged."""
    import os
    import stat

    installed = tmp_path / "sysbin"
    installed.mkdir()
    marker = tmp_path / "ran"
    script = installed / "zorpify"
    options = "".join(f"echo '  -{c}, --{c}{c}   do {c}'\n" for c in "abcdefz")  # enough to be judged
    script.write_text(f"#!/bin/sh\ntouch {marker}\necho 'Usage: zorpify [OPTION]'\n{options}")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{installed}:{os.environ['PATH']}")
    monkeypatch.setattr(manuals, "SYSTEM_DIRS", frozenset({str(installed)}))
    monkeypatch.setattr("nlsh.safety.sandbox.available", lambda: False)
    assert unknown("zorpify --frobnicate", tmp_path) == [] and not marker.exists()
    assert manuals.manual("zorpify").option("--zz") is not None and marker.exists()  # x would run it
    # once x has read it, a later nlsh's check may use the cached text (and still runs nothing)
    marker.unlink()
    manuals._manual.cache_clear()
    assert unknown("zorpify --frobnicate -z", tmp_path / "elsewhere") == [("zorpify", "--frobnicate")]
    assert not marker.exists()
