"""The dispatcher in all three modes with the real nlsh: one-shot and pipe stage as subprocesses,
the REPL through prompt-toolkit's pipe input. A scripted model with no replies shows that no model
was asked (it would answer "done")."""

from __future__ import annotations

import io
import json

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from nlsh.store.history import HistoryStore
from nlsh.ui.repl import Repl
from sessionkit import harness, shell_plan


def test_one_shot_command_line_runs_without_a_model(nlsh, script, tmp_path):
    result = nlsh("--model", script(), "echo", "hello", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hello\n"
    assert b"command line" in result.stderr


def test_one_shot_recall_writes_rows_and_json(nlsh, script, tmp_path):
    assert nlsh("--model", script(shell_plan("echo archived")), "archive the reports", cwd=tmp_path).returncode == 0
    rows = nlsh("--model", script(), "what did I do today", cwd=tmp_path)
    assert rows.returncode == 0, rows.stderr
    (line,) = rows.stdout.decode().splitlines()  # stdout is a pipe: one tab-separated row
    assert line.split("\t")[2:5] == ["archive the reports", "echo archived", "ok"]
    as_json = nlsh("--model", script(), "--json", "what did I do today", cwd=tmp_path)
    assert [r["request"] for r in json.loads(as_json.stdout)] == ["archive the reports"]


def test_pipe_stage_recall_and_command_line(nlsh, script, tmp_path):
    nlsh("--model", script(shell_plan("echo archived")), "archive the reports", cwd=tmp_path)
    rows = nlsh("--model", script(), "what did I do today", cwd=tmp_path, input=b"some data\n")
    assert b"archive the reports" in rows.stdout
    counted = nlsh("--model", script(), "grep -c x", cwd=tmp_path, input=b"x\ny\nx\n")
    assert counted.stdout == b"2\n"  # the typed command read the piped data


def test_one_shot_undo_without_a_terminal_is_refused_unless_yes(nlsh, script, tmp_path):
    (tmp_path / "data.csv").write_text("keep")
    deleted = nlsh("--model", script(shell_plan("rm data.csv")), "--yes", "delete the csv files", cwd=tmp_path)
    assert deleted.returncode == 0 and not (tmp_path / "data.csv").exists()
    refused = nlsh("--model", script(), "undo that", cwd=tmp_path)
    assert refused.returncode == 3 and not (tmp_path / "data.csv").exists()
    assert b"puts back data.csv (deleted)" in refused.stderr
    undone = nlsh("--model", script(), "--yes", "undo that", cwd=tmp_path)
    assert undone.returncode == 0, undone.stderr
    assert (tmp_path / "data.csv").read_text() == "keep"


def test_repl_routes_each_line(tmp_path, tmp_path_factory):
    (tmp_path / "notes.txt").write_text("x")
    with HistoryStore.open(tmp_path_factory.mktemp("db") / "history.db") as store:
        h = harness(tmp_path, shell_plan("echo planned"), store=store, as_json=True)
        with create_pipe_input() as keys:
            keys.send_text("ls\rlist the files the slow way\rwhat did I do today\r\x04")
            err = Console(file=io.StringIO(), width=200)
            Repl(h.session, err, input=keys, output=DummyOutput()).loop()
    typed, planned, recalled = (json.loads(line) for line in h.out.getvalue().splitlines())
    assert typed == {"output": "notes.txt\n", "exit_code": 0}
    assert planned == {"output": "planned\n", "exit_code": 0}
    assert [(r["request"], r["road"]) for r in recalled] == [("list the files the slow way", "english"), ("ls", "shell")]
    assert len(h.model.prompts) == 1  # only the English request reached the model
