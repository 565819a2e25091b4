"""The undo road: "undo that", "undo the last two", "put back the files I deleted", "restore
data.csv" pick changes from nlsh's undo journal, say what undoing them puts back, and run
`nlsh undo N` for each as a plan: the same risk check and confirmation as any step."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from nlsh.exitcodes import ExitCode
from nlsh.kernel.ask import Ask
from nlsh.kernel.plan import Plan, Step
from nlsh.kernel.roads import announce
from nlsh.kernel.undo_request import UndoRequest

SHOWN_ENTRIES = 5


def ask(session: Any, route: Any) -> Ask:
    from nlsh.safety.undo import UndoError

    try:
        chosen = choose(route.undo, session.ctx.cwd, datetime.now().astimezone())
    except (UndoError, ValueError) as exc:
        return _nothing(session, route.text, str(exc))
    if not chosen:
        return _nothing(session, route.text, "no recorded change matches" if route.undo != UndoRequest()
                        else "no change was recorded (see nlsh undo --list)")
    for journal in chosen:
        announce(session, f"undo change {journal.seq} from {journal.created[:16].replace('T', ' ')}, "
                          f"'{journal.text}': " + "; ".join(what_it_restores(journal, session.ctx.cwd)))
    steps = [Step("shell", {"command": f"nlsh undo {journal.seq}"}) for journal in chosen]
    return Ask(route.text, "undo", plan=Plan(steps))


def _nothing(session: Any, text: str, why: str) -> Ask:
    def say(_id: Any) -> ExitCode:
        session.say(f"nlsh: nothing to undo: {why}")
        return ExitCode.STEP_FAILED

    return Ask(text, "undo", local=say)


def choose(request: UndoRequest, cwd: Path, now: datetime) -> list[Any]:
    """The journals to undo, newest first."""
    from nlsh.safety.undo import Journal, list_journals

    journals = [Journal.load(j["number"]) for j in reversed(list_journals()) if not j["undone"]]
    if request.path:
        target = os.path.normpath(cwd / os.path.expanduser(request.path))
        named = [j for j in journals if any(e["path"] == target or os.path.basename(e["path"]) == request.path
                                           for e in j.entries)]
        return named[:1]
    if request.deleted:
        journals = [j for j in journals if any(_deleted(e) for e in j.entries)]
    if request.when:
        from nlsh.timeparse import parse_when

        start, end = parse_when(request.when, now.replace(tzinfo=None))
        return [j for j in journals if start <= _created(j) < end]
    return journals[:request.count]


def _created(journal: Any) -> datetime:
    return datetime.fromisoformat(journal.created).astimezone().replace(tzinfo=None)


def _deleted(entry: dict[str, Any]) -> bool:
    """A deletion: trashed by a tool, or kept before a shell step and gone now."""
    return entry["op"] == "trash" or (entry["op"] == "keep" and entry.get("existed") and not os.path.lexists(entry["path"]))


def what_it_restores(journal: Any, cwd: Path) -> list[str]:
    lines = []
    for entry in reversed(journal.entries):
        path = _shown(entry["path"], cwd)
        if entry["op"] == "moved":
            lines.append(f"moves {_shown(entry['to'], cwd)} back to {path}")
        elif entry["op"] == "keep" and not entry.get("existed"):
            lines.append(f"removes {path} (it did not exist before)")
        elif _deleted(entry):
            lines.append(f"puts back {path} (deleted)")
        else:
            lines.append(f"puts back the earlier {path}")
    if len(lines) > SHOWN_ENTRIES:
        lines = lines[:SHOWN_ENTRIES] + [f"and {len(lines) - SHOWN_ENTRIES} more"]
    return lines


def _shown(path: str, cwd: Path) -> str:
    relative = os.path.relpath(path, cwd)
    return path if relative.startswith("..") else relative
