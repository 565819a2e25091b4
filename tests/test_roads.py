"""Each road end to end through a Session with a real history: what runs, what the model is (not)
asked, what is recorded. The scripted model proves where no model call happens (its prompts list
stays empty)."""

from __future__ import annotations

import json

import pytest

from nlsh.exitcodes import ExitCode
from nlsh.store.history import HistoryStore
from nlsh.store.recall import Filter
from sessionkit import Answers, harness, shell_plan


@pytest.fixture
def store(tmp_path_factory):
    with HistoryStore.open(tmp_path_factory.mktemp("db") / "history.db") as opened:
        yield opened


def newest(store) -> dict:
    return store.find(Filter(limit=1))[0]


# --- the shell road --------------------------------------------------------------------------------

def test_a_typed_command_line_runs_as_typed_without_a_model(tmp_path, store):
    (tmp_path / "notes.txt").write_text("x")
    h = harness(tmp_path, store=store)
    assert h.run("ls -la") == ExitCode.OK
    assert "notes.txt" in h.out.getvalue()
    assert h.model.prompts == []
    entry = newest(store)
    assert (entry["road"], entry["commands"], entry["text"]) == ("shell", ["ls -la"], "ls -la")
    assert "command line" in h.err.getvalue()


def test_a_typed_command_line_gets_the_same_risk_check_and_question(tmp_path, store):
    (tmp_path / "data.csv").write_text("x")
    answers = Answers([False])
    h = harness(tmp_path, store=store, answers=answers)
    assert h.run("rm data.csv") == ExitCode.REFUSED
    assert (tmp_path / "data.csv").exists()
    assert "rm data.csv" in answers.questions[0] and "destructive" in answers.questions[0]
    nobody = harness(tmp_path, store=store)  # no terminal to ask
    assert nobody.run("rm data.csv") == ExitCode.REFUSED and (tmp_path / "data.csv").exists()


def test_an_alias_of_the_persons_shell_is_expanded(tmp_path, store, monkeypatch):
    from nlsh.kernel.command_index import person_aliases

    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("alias hello='echo hello from the alias'\n")
    monkeypatch.setenv("HOME", str(home))
    person_aliases.cache_clear()
    h = harness(tmp_path, store=store)
    assert h.run("hello world") == ExitCode.OK
    assert h.out.getvalue() == "hello from the alias world\n"
    assert newest(store)["text"] == "hello world"
    person_aliases.cache_clear()


def test_english_goes_to_the_planner(tmp_path, store):
    h = harness(tmp_path, shell_plan("echo planned"), store=store)
    assert h.run("find large files") == ExitCode.OK
    assert len(h.model.prompts) == 1 and h.out.getvalue() == "planned\n"
    assert newest(store)["road"] == "english"


def test_a_failing_command_keeps_the_end_of_its_error_output(tmp_path, store):
    h = harness(tmp_path, store=store)
    assert h.run("ls no-such-dir") == ExitCode.STEP_FAILED
    (step,) = store.last_with_plan()["steps"]
    assert "no-such-dir" in step["stderr"] and step["exit_code"] == 2


# --- recall ------------------------------------------------------------------------------------------

def test_recall_answers_from_the_history_with_no_model(tmp_path, store):
    harness(tmp_path, shell_plan("echo archived"), store=store).run("archive the quarterly reports")
    harness(tmp_path, store=store).run("ls")
    h = harness(tmp_path, store=store, as_json=True)
    assert h.run("what did I do today") == ExitCode.OK
    rows = json.loads(h.out.getvalue())
    assert [r["request"] for r in rows] == ["ls", "archive the quarterly reports"]
    assert rows[1]["commands"] == ["echo archived"] and rows[1]["outcome"] == "ok"
    assert h.model.prompts == []
    again = harness(tmp_path, store=store, as_json=True)
    again.run("what did I do today")  # the earlier question is not part of the answer
    assert [r["request"] for r in json.loads(again.out.getvalue())] == ["ls", "archive the quarterly reports"]


def test_recall_is_a_table_on_a_terminal_and_rows_on_a_pipe(tmp_path, store):
    harness(tmp_path, store=store).run("ls no-such-dir")
    on_pipe = harness(tmp_path, store=store)
    on_pipe.run("which commands failed today")
    (row,) = on_pipe.out.getvalue().splitlines()
    when, where, request, commands, outcome, files = row.split("\t")
    assert (request, commands, outcome) == ("ls no-such-dir", "ls no-such-dir", "failed (exit 2)")
    on_terminal = harness(tmp_path, store=store)
    on_terminal.session.io.out_is_terminal = True
    on_terminal.run("which commands failed today")
    header = on_terminal.out.getvalue().splitlines()[0].split()
    assert header == ["when", "where", "request", "commands", "outcome", "files"]


def test_recall_under_print_gives_the_history_command(tmp_path, store):
    h = harness(tmp_path, store=store, print_only=True)
    h.run("which commands failed yesterday")
    assert h.out.getvalue() == "nlsh history --when yesterday --outcome failed\n"


# --- follow-ups -------------------------------------------------------------------------------------

def test_why_and_fix_use_the_failed_command_its_status_and_its_error_output(tmp_path, store):
    h = harness(tmp_path, shell_plan("ls no-such-dir"), shell_plan("ls ."), store=store)
    assert h.run("list the missing folder") == ExitCode.STEP_FAILED
    assert h.run("why did that fail") == ExitCode.OK
    said = h.out.getvalue()
    assert "`ls no-such-dir` exited with status 2: a usage error" in said and "No such file" in said
    assert len(h.model.prompts) == 1  # why needs no model
    assert h.run("fix it") == ExitCode.OK
    asked = h.model.prompts[1].messages[-1]["content"]
    assert "list the missing folder" in asked and "ls no-such-dir" in asked
    assert "Exit status: 2" in asked and "No such file" in asked
    assert newest(store)["road"] == "fix"


def test_fix_after_a_success_says_there_is_nothing_to_fix(tmp_path, store):
    h = harness(tmp_path, store=store)
    h.run("echo fine")
    assert h.run("fix it") == ExitCode.USAGE
    assert "did not fail" in h.err.getvalue() and h.model.prompts == []


def test_explain_that_explains_the_last_command_from_its_documentation(tmp_path, store):
    h = harness(tmp_path, store=store, as_json=True)
    h.run("pwd -L")
    h.out.truncate(0), h.out.seek(0)
    assert h.run("explain that") == ExitCode.OK
    rows = json.loads(h.out.getvalue())
    assert rows[0]["part"] == "pwd" and rows[0]["from"] and rows[1]["part"] == "-L"
    assert h.model.prompts == []


def test_explain_a_given_command_line(tmp_path, store):
    h = harness(tmp_path, store=store, as_json=True)
    h.run("explain cd -P /tmp")
    rows = json.loads(h.out.getvalue())
    assert [r["part"] for r in rows] == ["cd", "-P", "/tmp"]
    assert rows[0]["from"] == "bash help" and "directory" in rows[0]["meaning"]


def test_do_it_again_repeats_the_plan_through_the_same_question(tmp_path, store):
    answers = Answers([True, True])
    h = harness(tmp_path, shell_plan("echo x >> count.txt"), store=store, answers=answers)
    h.run("add a line to count.txt")
    h.run("explain that")  # a question in between is passed over
    assert h.run("do it again") == ExitCode.OK
    assert (tmp_path / "count.txt").read_text() == "x\nx\n"
    assert len(h.model.prompts) == 1 and len(answers.questions) == 2


def test_now_the_same_for_swaps_the_file_pattern_without_a_model(tmp_path, store):
    for name in ("a.csv", "b.md", "c.txt"):
        (tmp_path / name).write_text("x")
    h = harness(tmp_path, shell_plan("rm -- *.csv"), store=store, answers=Answers([True, True]))
    h.run("delete the csv files")
    assert h.run("now the same for *.md") == ExitCode.OK
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]
    assert len(h.model.prompts) == 1 and newest(store)["commands"] == ["rm -- *.md"]


def test_an_amendment_no_rule_covers_goes_to_the_planner_with_what_ran(tmp_path, store):
    h = harness(tmp_path, shell_plan("ls"), shell_plan("ls -S"), store=store)
    h.run("list the files")
    h.run("now sort them by size")
    asked = h.model.prompts[1].messages[-1]["content"]
    assert "list the files" in asked and "That ran: ls" in asked and "now sort them by size" in asked


def test_cancel_runs_nothing(tmp_path, store):
    h = harness(tmp_path, store=store)
    assert h.run("never mind") == ExitCode.OK
    assert h.model.prompts == [] and "nothing was cancelled" in h.err.getvalue()


def test_not_what_i_meant_forgets_the_remembered_plan_and_plans_again(tmp_path, store):
    first = harness(tmp_path, shell_plan("echo first-plan"), shell_plan("echo second-plan"), store=store)
    first.run("show the word")
    replay = harness(tmp_path, store=store)
    replay.run("show the word")
    assert replay.out.getvalue() == "first-plan\n" and "remembered" in replay.err.getvalue()
    assert "not what I meant" in replay.err.getvalue()  # a replay always says how to undo it
    first.run("that's not what I meant")
    assert "forgot the plan remembered for 'show the word'" in first.err.getvalue()
    assert "Not this: echo first-plan" in first.model.prompts[1].messages[-1]["content"]
    assert first.out.getvalue() == "first-plan\nsecond-plan\n"
    later = harness(tmp_path, store=store)
    later.run("show the word")
    assert later.out.getvalue() == "second-plan\n" and later.model.prompts == []


def test_follow_ups_without_history_say_so(tmp_path):
    h = harness(tmp_path)
    assert h.run("do it again") == ExitCode.USAGE
    assert "history" in h.err.getvalue()


# --- undo ---------------------------------------------------------------------------------------------

def test_undo_that_says_what_it_restores_asks_and_restores(tmp_path, store):
    (tmp_path / "data.csv").write_text("keep me")
    answers = Answers([True, True])
    h = harness(tmp_path, shell_plan("rm data.csv"), store=store, answers=answers)
    h.run("delete the csv files")
    assert not (tmp_path / "data.csv").exists()
    assert h.run("undo that") == ExitCode.OK
    assert "'delete the csv files': puts back data.csv (deleted)" in h.err.getvalue()
    assert answers.questions[1].endswith("nlsh undo 1 ?")
    assert (tmp_path / "data.csv").read_text() == "keep me"
    assert h.model.prompts[1:] == []  # undo needed no model
    assert h.run("undo that") == ExitCode.STEP_FAILED  # change 1 is undone: nothing is left
    assert "nothing to undo" in h.err.getvalue()


def test_undo_picks_changes_by_count_deletion_and_name(tmp_path, store):
    from nlsh.kernel.roads.undo import choose
    from nlsh.kernel.undo_request import UndoRequest
    from nlsh.safety.undo import Journal
    from datetime import datetime

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(name)
    deleting = Journal.open(1, "delete a")
    deleting.trash(tmp_path / "a.txt")
    editing = Journal.open(2, "edit b")
    editing.keep(tmp_path / "b.txt")
    creating = Journal.open(3, "make d")
    creating.keep(tmp_path / "d.txt")
    now = datetime.now().astimezone()
    assert [j.text for j in choose(UndoRequest(count=2), tmp_path, now)] == ["make d", "edit b"]
    assert [j.text for j in choose(UndoRequest(deleted=True), tmp_path, now)] == ["delete a"]
    assert [j.text for j in choose(UndoRequest(path="b.txt"), tmp_path, now)] == ["edit b"]
    assert [j.text for j in choose(UndoRequest(deleted=True, when="today"), tmp_path, now)] == ["delete a"]
    assert choose(UndoRequest(path="zzz.txt"), tmp_path, now) == []


def test_not_what_i_meant_after_a_follow_up_asks_what_the_planner_was_asked(tmp_path, store):
    h = harness(tmp_path, shell_plan("wc -l notes.txt"), shell_plan("wc -l data.csv"), shell_plan("wc -w data.csv"),
                store=store)
    (tmp_path / "notes.txt").write_text("a\n")
    (tmp_path / "data.csv").write_text("b\n")
    h.run("count the lines in notes.txt")
    h.run("now do it for data.csv")
    h.run("that's not what I meant")
    asked = h.model.prompts[2].messages[-1]["content"]
    assert "count the lines in notes.txt" in asked and "Now: now do it for data.csv" in asked
    assert "Not this: wc -l data.csv" in asked
    assert newest(store)["text"] == "that's not what I meant"


def test_why_on_a_terminal_shows_escape_sequences_as_text(tmp_path, store):
    h = harness(tmp_path, store=store)
    h.run("printf 'bad\\033]0;pwned\\007\\n' >&2; exit 1")
    h.session.io.out_is_terminal = True
    h.run("why did that fail")
    said = h.out.getvalue()
    assert "\x1b" not in said and "\\x1b]0;pwned" in said
