"""`nlsh undo [N]` and `nlsh undo --list`: put back what a request changed in files."""

from __future__ import annotations

from typing import Optional

import typer

from nlsh.exitcodes import ExitCode


def _list() -> None:
    from nlsh.safety.undo import list_journals

    journals = list_journals()
    if not journals:
        typer.echo("no changes recorded", err=True)
        return
    for j in journals:
        state = "undone" if j["undone"] else "can undo" if j["pending"] == j["changes"] else "partly"
        changes = f"{j['changes']} change" + ("" if j["changes"] == 1 else "s")
        typer.echo(f"{j['number']:>4}  {j['time'][:19].replace('T', ' ')}  {changes:<11} {state:<9} {j['text']}")


def register(app: typer.Typer) -> None:
    @app.command("undo")
    def undo_command(
        number: Optional[int] = typer.Argument(
            None, help="Which change to undo (see --list); by default the last request that changed files."
        ),
        list_: bool = typer.Option(False, "--list", "-l", help="List the recorded changes that can be undone."),
        force: bool = typer.Option(
            False, "--force", "-f",
            help="Also undo paths changed since the change was made (what is there now is kept in the journal).",
        ),
    ) -> None:
        """Put back the files the last request (or change NUMBER) deleted, overwrote, moved or created."""
        from nlsh.safety.undo import NothingToUndo, UndoError, undo

        if list_:
            _list()
            return
        try:
            lines = undo(number, force)
        except NothingToUndo as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(ExitCode.STEP_FAILED) from None
        except UndoError as exc:
            typer.echo(f"nlsh undo: {exc}", err=True)
            raise typer.Exit(ExitCode.USAGE) from None
        for line in lines:
            typer.echo(line)
        if any(line.startswith(("failed", "could not", "left ")) for line in lines):
            raise typer.Exit(ExitCode.STEP_FAILED)
