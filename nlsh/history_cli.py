"""`nlsh history`: list and search past requests, show one, import bash / zsh / fish history.

`nlsh history WORDS [--since X] [--until X] [--when X] [--cwd D] [--failed] [--json] [--limit N]`
searches; times accept English ("last week", "yesterday 3pm", "2 hours ago") or ISO dates.
`nlsh history import [--from bash|zsh|fish] [FILE]` and `nlsh history show ID` are subcommands; a
query that is one of their names goes after `--` (or use `nlsh history list import`)."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, List, Optional

import typer
from typer.core import TyperGroup

from nlsh.exitcodes import ExitCode

DEFAULT_LIMIT = 50
SUBCOMMANDS = ("list", "show", "import")  # a query named like one of these goes after `--`


class _ListByDefault(TyperGroup):
    """Anything that is not a subcommand name (or --help) is handed to `list`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["list", *args]
        return super().parse_args(ctx, args)


history_app = typer.Typer(
    cls=_ListByDefault,
    help="List, search and import past requests.",
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _fail(message: str, code: ExitCode) -> typer.Exit:
    typer.echo(f"nlsh history: {message}", err=True)
    return typer.Exit(int(code))


def _open_store():
    from nlsh.paths import history_db
    from nlsh.store.history import HistoryStore, StoreError

    try:
        return HistoryStore.open(history_db())
    except StoreError as exc:
        raise _fail(str(exc), ExitCode.STEP_FAILED) from None


def _time_range(since: str | None, until: str | None, when: str | None) -> tuple[datetime | None, datetime | None]:
    from nlsh.timeparse import parse_bound, parse_when

    now = datetime.now()
    start = end = None
    try:
        if when:
            start, end = parse_when(when, now)
        if since:
            start = parse_bound(since, now, end=False)
        if until:
            end = parse_bound(until, now, end=True)
    except ValueError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    return start, end


def _write_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    from nlsh.tools.context import Result
    from nlsh.ui.render import write_result

    write_result(Result(rows=rows), sys.stdout, as_json=as_json, terminal=sys.stdout.isatty())


@history_app.command("list")
def list_command(
    query: Optional[List[str]] = typer.Argument(None, help="Words to find in requests and the commands they ran."),
    since: Optional[str] = typer.Option(None, "--since", help='From this time: "yesterday", "2 hours ago", "2024-05-01", ...'),
    until: Optional[str] = typer.Option(None, "--until", help='Up to this time ("--until yesterday" includes yesterday).'),
    when: Optional[str] = typer.Option(None, "--when", help='Within this period: "last week", "on Monday", "this morning", ...'),
    cwd: Optional[str] = typer.Option(None, "--cwd", help="Only requests made in this directory or below it."),
    failed: bool = typer.Option(False, "--failed", help="Only requests that failed (--outcome failed)."),
    outcome: Optional[str] = typer.Option(None, "--outcome", metavar="OUTCOME", help="Only requests that failed, were refused, or succeeded."),
    files: Optional[str] = typer.Option(None, "--files", metavar="WHAT", help="Only requests that deleted, or changed, files."),
    as_json: bool = typer.Option(False, "--json", help="All fields as JSON."),
    limit: int = typer.Option(DEFAULT_LIMIT, "--limit", "-n", min=1, help="At most this many, newest first."),
) -> None:
    """List past requests, newest first; with words, search them (a word also finds longer words it
    starts: deploy finds deployed)."""
    from nlsh.store.history import StoreError
    from nlsh.store.recall import FILES, OUTCOMES, Filter

    if outcome is not None and outcome not in OUTCOMES:
        raise _fail(f"--outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}", ExitCode.USAGE)
    if files is not None and files not in FILES:
        raise _fail(f"--files must be one of {', '.join(FILES)}, not {files!r}", ExitCode.USAGE)
    start, end = _time_range(since, until, when)
    directory = os.path.normpath(os.path.abspath(os.path.expanduser(cwd))) if cwd else None
    store = _open_store()
    try:
        found = store.find(Filter(" ".join(query or []) or None, prefix=True, since=start, until=end, cwd=directory,
                                  outcome=outcome or ("failed" if failed else None), files=files, limit=limit))
    except StoreError as exc:
        raise _fail(str(exc), ExitCode.STEP_FAILED) from None
    finally:
        store.close()
    if as_json:
        _write_rows(found, True)
        return
    _write_rows([
        {"id": e["id"], "time": e["time"], "exit": "" if e["exit_code"] is None else e["exit_code"],
         "decision": e["decision"], "cwd": e["cwd"], "request": e["text"], "commands": "; ".join(e["commands"])}
        for e in found
    ], False)


@history_app.command("show")
def show_command(
    request_id: int = typer.Argument(..., metavar="ID", help="The id shown by `nlsh history`."),
    as_json: bool = typer.Option(False, "--json", help="As JSON."),
) -> None:
    """Show one past request: its plan and every step with its output excerpt."""
    from nlsh.store.history import StoreError

    store = _open_store()
    try:
        entry = store.get(request_id)
    except StoreError as exc:
        raise _fail(str(exc), ExitCode.STEP_FAILED) from None
    finally:
        store.close()
    if entry is None:
        raise _fail(f"no request {request_id}", ExitCode.USAGE)
    if as_json:
        _write_rows([entry], True)
        return
    summary = {k: entry[k] for k in ("id", "time", "cwd", "decision", "exit_code", "text")}
    _write_rows([summary], False)
    if entry["steps"]:
        _write_rows([{"step": s["index"], "tool": s["tool"], "exit": s["exit_code"],
                      "command": s["command"] or "", "output": (s["output"] or "")[:200]} for s in entry["steps"]], False)


@history_app.command("import")
def import_command(
    file: Optional[Path] = typer.Argument(None, help="The history file (default: the shell's usual one)."),
    shell: Optional[str] = typer.Option(None, "--from", help="bash, zsh or fish (default: from the file name or $SHELL)."),
) -> None:
    """Import bash, zsh (extended format too) or fish history, so it can be searched and recalled."""
    from nlsh.store.history import StoreError
    from nlsh.store.importers import SHELLS, default_file, guess_shell, import_file

    if shell is not None and shell not in SHELLS:
        raise _fail(f"--from must be one of {', '.join(SHELLS)}, not {shell!r}", ExitCode.USAGE)
    shell = shell or guess_shell(file, os.environ)
    path = file or default_file(shell, os.environ)
    if not path.is_file():
        raise _fail(f"no {shell} history file at {path}", ExitCode.USAGE)
    store = _open_store()
    try:
        added, skipped = import_file(store, path, shell)
    except (StoreError, OSError) as exc:
        raise _fail(str(exc), ExitCode.STEP_FAILED) from None
    finally:
        store.close()
    typer.echo(f"imported {added} {shell} command{'' if added == 1 else 's'} from {path}"
               + (f" ({skipped} already there or repeated)" if skipped else ""), err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(history_app, name="history")
