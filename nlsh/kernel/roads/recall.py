"""The recall road: a question about the person's past with nlsh, answered from the history with no
model call. The answer is what a person wants to read: when, where, the request, the commands, the
outcome, the files touched. A table on a terminal, rows on a pipe, JSON with --json."""

from __future__ import annotations

import os
import shlex
from datetime import datetime
from pathlib import Path
from typing import Any

from nlsh.exitcodes import ExitCode
from nlsh.kernel.ask import Ask
from nlsh.kernel.recall_request import RecallQuery
from nlsh.kernel.roads import announce
from nlsh.tools.context import Result

DEFAULT_ROWS = 50
# Requests answered without doing anything: asking about the past is not part of it.
QUIET_ROADS = ("recall", "why", "explain", "cancel")


def now() -> datetime:
    """The moment relative times are read from (tools/eval_recall.py fixes it)."""
    return datetime.now()


def ask(session: Any, route: Any) -> Ask:
    return Ask(route.text, "recall", local=lambda request_id: answer(session, route.recall, request_id))


def answer(session: Any, query: RecallQuery, request_id: int | None) -> ExitCode:
    from nlsh.store.history import StoreError
    from nlsh.store.recall import Filter

    if session.store is None:
        session.say("nlsh: history is off (--no-history or history = false), so there is nothing to recall")
        return ExitCode.USAGE
    moment = now()
    try:
        since, until = _range(query, moment)
    except ValueError as exc:
        session.say(f"nlsh: {exc}")
        return ExitCode.USAGE
    directory = place_directory(query.place, session.ctx.cwd)
    command = as_command(query, directory)
    if session.options.dry_run or session.options.print_only:
        session.io.out.write(command + "\n")
        return ExitCode.OK
    announce(session, f"from your history: {command}")
    wanted = Filter(" ".join(query.words) or None, prefix=True, since=since, until=until, cwd=directory,
                    outcome=query.outcome, files=query.files, skip_roads=QUIET_ROADS,
                    skip_id=request_id, limit=query.newest or DEFAULT_ROWS)
    try:
        found = session.store.find(wanted)
    except StoreError as exc:
        session.say(f"nlsh: {exc}")
        return ExitCode.STEP_FAILED
    if not found and not session.options.as_json:
        session.say("nlsh: nothing in the history matches")
        return ExitCode.OK
    rows = [full_row(e) for e in found] if session.options.as_json else [readable_row(e, moment) for e in found]
    from nlsh.ui import render

    render.write_result(Result(rows=rows), session.io.out, as_json=session.options.as_json,
                        terminal=session.io.out_is_terminal)
    return ExitCode.OK


def _range(query: RecallQuery, now: datetime) -> tuple[datetime | None, datetime | None]:
    if not query.when:
        return None, None
    from nlsh.timeparse import parse_when

    return parse_when(query.when, now)


def place_directory(place: str | None, cwd: Path) -> str | None:
    if place is None:
        return None
    if place == "here":
        return str(cwd)
    if place == "repo":
        for folder in (cwd, *cwd.parents):
            if (folder / ".git").exists():
                return str(folder)
        return str(cwd)
    return os.path.normpath(cwd / os.path.expanduser(place))


def as_command(query: RecallQuery, directory: str | None) -> str:
    """The `nlsh history` command line that lists the same thing."""
    parts = ["nlsh", "history"]
    if query.when:
        parts += ["--when", shlex.quote(query.when)]
    if directory:
        parts += ["--cwd", shlex.quote(_home(directory))]
    if query.outcome:
        parts += ["--outcome", query.outcome]
    if query.files:
        parts += ["--files", query.files]
    if query.newest:
        parts += ["-n", str(query.newest)]
    if query.words:
        parts += ["--", *(shlex.quote(w) for w in query.words)]
    return " ".join(parts)


def outcome(entry: dict[str, Any]) -> str:
    decision, code = entry["decision"], entry["exit_code"]
    if decision in ("ran", "edited"):
        if code == 0:
            return "ok"
        failed = [e for e in entry.get("exits", []) if e not in (0, None)]
        return f"failed (exit {failed[0]})" if failed else "failed"
    return {"planned": "planned only", "unfinished": "unfinished"}.get(decision, decision)


def readable_row(entry: dict[str, Any], now: datetime) -> dict[str, str]:
    cwd = entry["cwd"]
    return {
        "when": _when(datetime.fromisoformat(entry["time"]), now),
        "where": _home(cwd),
        "request": entry["text"],
        "commands": "; ".join(entry["commands"]),
        "outcome": outcome(entry),
        "files": ", ".join(_relative(f, cwd) for f in entry["files"]),
    }


def full_row(entry: dict[str, Any]) -> dict[str, Any]:
    return {"id": entry["id"], "time": entry["time"], "cwd": entry["cwd"], "request": entry["text"],
            "commands": entry["commands"], "outcome": outcome(entry), "decision": entry["decision"],
            "exit_code": entry["exit_code"], "files": entry["files"], "road": entry.get("road")}


def _when(moment: datetime, now: datetime) -> str:
    days = (now.date() - moment.date()).days
    clock = moment.strftime("%H:%M")
    if days == 0:
        return clock
    if days == 1:
        return f"yesterday {clock}"
    if 1 < days < 7:
        return moment.strftime("%a %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def _home(path: str) -> str:
    home = str(Path.home())
    return "~" + path[len(home):] if path == home or path.startswith(home + "/") else path


def _relative(path: str, cwd: str) -> str:
    return path[len(cwd) + 1:] if cwd and path.startswith(cwd.rstrip("/") + "/") else _home(path)
