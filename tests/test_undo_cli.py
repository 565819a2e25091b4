"""`nlsh undo` from the command line: in-process through typer's runner, and end to end with the real
nlsh running a scripted plan that deletes, overwrites and moves files."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from nlsh.exitcodes import ExitCode
from nlsh.safety.undo import Journal
from nlsh.undo_cli import register


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("version")  # a second command, so typer keeps `undo` as a subcommand name
    def version() -> None:
        pass

    return app


def test_undo_list_undo_and_undo_again(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("precious")
    journal = Journal.open(5, "throw away the notes")
    journal.trash(tmp_path / "notes.txt")
    runner = CliRunner()

    listed = runner.invoke(app, ["undo", "--list"])
    assert listed.exit_code == 0 and "throw away the notes" in listed.output and "can undo" in listed.output

    done = runner.invoke(app, ["undo"])
    assert done.exit_code == 0, done.output
    assert "restored notes.txt (deleted)" in done.output
    assert (tmp_path / "notes.txt").read_text() == "precious"

    again = runner.invoke(app, ["undo"])
    assert again.exit_code == ExitCode.STEP_FAILED and "already undone" in again.output
    assert "undone" in runner.invoke(app, ["undo", "--list"]).output


def test_undo_unknown_number_and_empty_journal(app):
    runner = CliRunner()
    missing = runner.invoke(app, ["undo", "9"])
    assert missing.exit_code == ExitCode.USAGE and "no change number 9" in missing.output
    nothing = runner.invoke(app, ["undo"])
    assert nothing.exit_code == ExitCode.STEP_FAILED and "nothing to undo" in nothing.output


def test_end_to_end_delete_overwrite_move_then_undo(nlsh, script, tmp_path):
    work = tmp_path / "work"
    (work / "build").mkdir(parents=True)
    (work / "build" / "out.o").write_bytes(b"\x7fELF\x00object")
    (work / "config.ini").write_text("[old]\nkey=1\n")
    (work / "draft.md").write_text("draft\n")
    before = {p.relative_to(work): p.read_bytes() for p in work.rglob("*") if p.is_file()}
    plan = {"steps": [
        {"tool": "delete", "args": {"path": "build", "recursive": True}},
        {"tool": "write_file", "args": {"path": "config.ini", "content": "[new]\n"}},
        {"tool": "move", "args": {"source": "draft.md", "destination": "final.md"}},
    ]}
    ran = nlsh("--yes", "--model", script(plan), "tidy up", cwd=work)
    assert ran.returncode == 0, ran.stderr
    assert not (work / "build").exists() and (work / "final.md").exists()

    undone = nlsh("undo", cwd=work)
    assert undone.returncode == 0, undone.stderr
    assert {p.relative_to(work): p.read_bytes() for p in work.rglob("*") if p.is_file()} == before
    assert "restored build (deleted)" in undone.stdout.decode() and "moved final.md back to draft.md" in undone.stdout.decode()

    again = nlsh("undo", cwd=work)
    assert again.returncode == ExitCode.STEP_FAILED and "nothing to undo" in again.stderr.decode()


def test_end_to_end_later_edits_survive_undo_unless_forced(nlsh, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    assert nlsh("--yes", "--", "touch", "created.txt", cwd=work).returncode == 0
    (work / "created.txt").write_text("user work")
    kept = nlsh("undo", cwd=work)
    assert kept.returncode == ExitCode.STEP_FAILED
    assert "left created.txt alone" in kept.stdout.decode() and (work / "created.txt").read_text() == "user work"
    listed = nlsh("undo", "--list", cwd=work).stdout.decode()
    assert "can undo" in listed

    forced = nlsh("undo", "--force", cwd=work)
    assert forced.returncode == 0, forced.stderr
    out = forced.stdout.decode()
    assert "removed created.txt" in out and not (work / "created.txt").exists()
    assert open(out.split("it is kept in ")[1].strip()).read() == "user work"


def test_end_to_end_a_write_that_did_not_happen_is_not_undone(nlsh, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    ran = nlsh("--yes", "--", "false && echo x > never.txt", cwd=work)
    assert ran.returncode != 0 and not (work / "never.txt").exists()
    (work / "never.txt").write_text("precious")
    undone = nlsh("undo", cwd=work)
    assert undone.returncode == ExitCode.STEP_FAILED and "nothing to undo" in undone.stderr.decode()
    assert (work / "never.txt").read_text() == "precious"
