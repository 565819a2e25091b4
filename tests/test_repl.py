"""The REPL driven through prompt-toolkit's pipe input: real key handling, no terminal needed."""

import io

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from nlsh.exitcodes import ExitCode
from nlsh.ui.repl import Repl
from sessionkit import harness, shell_plan


@pytest.fixture
def pipe():
    with create_pipe_input() as inp:
        yield inp


def drive(h, pipe, keys: str):
    pipe.send_text(keys)
    err = Console(file=io.StringIO(), width=200)
    return Repl(h.session, err, input=pipe, output=DummyOutput()).loop(), err.file.getvalue()


def test_requests_run_until_ctrl_d(tmp_path, pipe):
    h = harness(tmp_path, shell_plan("echo one"), shell_plan("echo two"))
    code, _ = drive(h, pipe, "first\rsecond\r\x04")
    assert code == ExitCode.OK
    assert h.out.getvalue() == "one\ntwo\n"


def test_ctrl_c_clears_the_line_and_the_loop_goes_on(tmp_path, pipe):
    h = harness(tmp_path, shell_plan("echo survived"))
    code, _ = drive(h, pipe, "half typed\x03real request\r\x04")
    assert h.out.getvalue() == "survived\n"
    assert [m.messages[0]["content"].endswith("Request: real request") for m in h.model.prompts] == [True]


def test_a_failing_request_does_not_end_the_repl(tmp_path, pipe):
    h = harness(tmp_path, "{broken", "{broken", shell_plan("echo after"))
    code, _ = drive(h, pipe, "bad\rgood\r\x04")
    assert h.out.getvalue() == "after\n"
    assert code == ExitCode.OK


def test_bang_runs_a_command_line_through_the_risk_check(tmp_path, pipe):
    (tmp_path / "keep").write_text("x")
    h = harness(tmp_path)
    drive(h, pipe, "!echo direct\r!rm keep\r\x04")
    assert h.out.getvalue() == "direct\n"
    assert (tmp_path / "keep").exists()  # no terminal to ask: refused
    assert h.model.prompts == []  # the model was never asked


def test_cd_persists_between_requests(tmp_path, pipe):
    (tmp_path / "inner").mkdir()
    h = harness(tmp_path)
    drive(h, pipe, "!cd inner\r!pwd\r\x04")
    assert h.out.getvalue() == f"{tmp_path / 'inner'}\n"


def test_the_exit_status_of_the_last_request_is_what_the_repl_returns(tmp_path, pipe):
    h = harness(tmp_path)
    code, _ = drive(h, pipe, "!false\r\x04")
    assert code == ExitCode.STEP_FAILED


def test_an_unfinished_command_line_continues_on_enter(tmp_path, pipe):
    h = harness(tmp_path)
    drive(h, pipe, "!echo 'two\rlines'\r!echo a |\rtr a b\r\x04")
    assert h.out.getvalue() == "two\nlines\nb\n"


def test_english_with_an_apostrophe_is_submitted_by_enter(tmp_path, pipe):
    h = harness(tmp_path, shell_plan("echo ok"))
    drive(h, pipe, "what's here\r\x04")
    assert h.model.prompts[0].messages[0]["content"].endswith("Request: what's here")


def test_a_typed_command_line_left_open_continues_on_the_next_line(tmp_path, pipe):
    h = harness(tmp_path)
    drive(h, pipe, "echo 'first\rsecond'\rprintf 'x\\n' |\rwc -l\r\x04")
    assert h.out.getvalue() == "first\nsecond\n1\n"
    assert h.model.prompts == []  # both were command lines: no model


def test_english_with_an_apostrophe_is_not_held_open(tmp_path, pipe):
    h = harness(tmp_path, shell_plan("ls"))
    drive(h, pipe, "what's in here\r\x04")
    assert len(h.model.prompts) == 1
