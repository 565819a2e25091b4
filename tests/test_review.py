"""Plan review in the REPL, driven by keys through prompt-toolkit's pipe input: Enter runs, e edits
(the edit is assessed again and remembered as a correction), x explains, n and Ctrl-C cancel."""

import io
import os
import signal
import threading
from dataclasses import dataclass

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from nlsh.exitcodes import ExitCode
from nlsh.store.history import HistoryStore
from nlsh.ui.repl import Repl
from nlsh.ui.review import PlanReviewer
from sessionkit import Answers, harness, shell_plan

KILL_LINE = "\x15"  # Ctrl-U: the prefilled command is wiped before typing the new one


@dataclass
class Part:
    text: str
    meaning: str


@pytest.fixture
def pipe():
    with create_pipe_input() as inp:
        yield inp


@pytest.fixture
def store(tmp_path):
    with HistoryStore.open(tmp_path / "history.db") as s:
        yield s


def drive(h, pipe, keys: str, explainer=None):
    err = Console(file=io.StringIO(), width=120)
    h.session.io.err = err
    options = {"explainer": explainer} if explainer else {}
    h.session.io.reviewer = PlanReviewer(err, input=pipe, output=DummyOutput(), **options)
    pipe.send_text(keys)
    code = Repl(h.session, err, input=pipe, output=DummyOutput()).loop()
    return code, err.file.getvalue()


def decisions(store):
    return [(r["text"], r["decision"]) for r in reversed(store.search())]


def test_the_plan_is_shown_with_its_class_and_enter_runs_it(tmp_path, pipe, store):
    h = harness(tmp_path, shell_plan("echo hello"), store=store)
    code, err = drive(h, pipe, "say hello\r\r\x04")
    assert "1. echo hello  [read]" in err
    assert h.out.getvalue() == "hello\n"
    assert code == ExitCode.OK
    assert decisions(store) == [("say hello", "ran")]


def test_n_cancels_and_nothing_runs(tmp_path, pipe, store):
    (tmp_path / "keep").write_text("x")
    h = harness(tmp_path, shell_plan("rm keep"), store=store)
    code, err = drive(h, pipe, "delete keep\rn\x04")
    assert (tmp_path / "keep").exists()
    assert code == ExitCode.REFUSED
    assert "1. rm keep  [destructive]  rm deletes files\n" in err
    assert "cancelled; nothing ran" in err
    assert decisions(store) == [("delete keep", "cancelled")]


def test_enter_on_a_risky_plan_still_asks_as_the_policy_says(tmp_path, pipe):
    (tmp_path / "doomed").write_text("x")
    answers = Answers([True])
    h = harness(tmp_path, shell_plan("rm doomed"), answers=answers)
    drive(h, pipe, "delete doomed\r\r\x04")
    assert answers.questions == ["Run step 1 [destructive]: rm doomed ?"]
    assert not (tmp_path / "doomed").exists()


def test_e_edits_the_command_and_the_edit_runs(tmp_path, pipe, store):
    h = harness(tmp_path, shell_plan("echo planned"), store=store)
    code, err = drive(h, pipe, f"say something\re{KILL_LINE}echo edited\r\r\x04")
    assert h.out.getvalue() == "edited\n"
    assert "1. echo edited  [read]" in err  # the edit is shown again before it runs
    assert decisions(store) == [("say something", "edited")]


def test_an_edit_is_assessed_again_never_trusted(tmp_path, pipe):
    (tmp_path / "precious").write_text("x")
    answers = Answers([False])
    h = harness(tmp_path, shell_plan("ls"), answers=answers)
    code, err = drive(h, pipe, f"show me the files\re{KILL_LINE}rm precious\r\r\x04")
    assert "1. rm precious  [destructive]" in err
    assert answers.questions == ["Run step 1 [destructive]: rm precious ?"]
    assert (tmp_path / "precious").exists()
    assert code == ExitCode.REFUSED


def test_the_corrected_plan_is_what_the_same_request_replays(tmp_path, pipe, store):
    h = harness(tmp_path, shell_plan("echo wrong"), shell_plan("echo wrong again"), store=store)
    drive(h, pipe, f"greet\re{KILL_LINE}echo right\r\rgreet\r\r\x04")
    assert h.out.getvalue() == "right\nright\n"
    assert len(h.model.prompts) == 1  # the second time, the remembered correction ran


def test_a_correction_becomes_an_example_for_similar_requests(tmp_path, pipe, store):
    h = harness(tmp_path, shell_plan("du -s *"), shell_plan("du -sh * | sort -h"), store=store)
    drive(h, pipe, f"disk usage of folders\re{KILL_LINE}du -sh * | sort -h\r\rdisk usage of folders sorted\r\r\x04")
    shown = h.model.prompts[1].messages[0]["content"]
    assert '"command": "du -sh * | sort -h"' in shown
    assert '"command": "du -s *"' not in shown


def test_an_unchanged_edit_keeps_the_plan_as_planned(tmp_path, pipe, store):
    h = harness(tmp_path, shell_plan("echo same"), store=store)
    drive(h, pipe, "say the same thing\re\r\r\x04")
    assert h.out.getvalue() == "same\n"
    assert decisions(store) == [("say the same thing", "ran")]


def test_x_explains_each_part_then_enter_runs(tmp_path, pipe):
    seen = []

    def explainer(command):
        seen.append(command)
        return [Part("ls", "list directory contents"), Part("-l", "use a long listing format")]

    h = harness(tmp_path, shell_plan("ls -l"))
    code, err = drive(h, pipe, "long listing\rx\r\x04", explainer=explainer)
    assert seen == ["ls -l"]
    assert "list directory contents" in err and "use a long listing format" in err
    assert code == ExitCode.OK


def test_x_explains_from_the_programs_own_manual(tmp_path, pipe):
    import shutil

    if not shutil.which("man") or not shutil.which("sort"):
        pytest.skip("no man pages on this machine")
    h = harness(tmp_path, shell_plan("sort -r notes.txt"))
    (tmp_path / "notes.txt").write_text("a\nb\n")
    code, err = drive(h, pipe, "sort backwards\rx\r\x04")
    assert "1. sort -r notes.txt" in err
    assert "reverse" in err.lower()  # -r, in sort's own words
    assert h.out.getvalue() == "b\na\n" and code == ExitCode.OK


def test_a_failing_explainer_does_not_end_the_review(tmp_path, pipe):
    def explainer(command):
        raise RuntimeError("no manual")

    h = harness(tmp_path, shell_plan("echo still"))
    drive(h, pipe, "go\rx\r\x04", explainer=explainer)
    assert h.out.getvalue() == "still\n"


def test_ctrl_c_in_the_review_cancels_the_request_not_the_repl(tmp_path, pipe, store):
    h = harness(tmp_path, shell_plan("echo first"), shell_plan("echo second"), store=store)
    drive(h, pipe, "one\r\x03two\r\r\x04")
    assert h.out.getvalue() == "second\n"
    assert decisions(store) == [("one", "cancelled"), ("two", "ran")]


def test_ctrl_c_stops_the_running_step_and_the_repl_goes_on(tmp_path, pipe, store):
    h = harness(tmp_path, shell_plan("sleep 30; echo never"), shell_plan("echo after"), store=store)
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        code, err = drive(h, pipe, "take a long nap\r\rsay what comes after\r\r\x04")
    finally:
        timer.cancel()
    assert h.out.getvalue() == "after\n"
    assert decisions(store) == [("take a long nap", "cancelled"), ("say what comes after", "ran")]


def test_a_typed_command_line_is_not_reviewed(tmp_path, pipe):
    h = harness(tmp_path)
    code, err = drive(h, pipe, "!echo direct\r\x04")
    assert h.out.getvalue() == "direct\n"
    assert "e edit" not in err
