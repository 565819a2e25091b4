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
    from nlsh.store.history import StoreError

    try:
        if route.undo.that and session.store is not None:
            chosen, why_none = of_last_request(session.store)
        else:
            chosen = choose(route.undo, session.ctx.cwd, datetime.now().astimezone())
            why_none = ("no recorded change here matches" if route.undo not in (UndoRequest(), UndoRequest(that=True))
                        else "no change was recorded in this directory")
    except (UndoError, ValueError, StoreError) as exc:
        return _nothing(session, route.text, str(exc))
    if not chosen:
        return _nothing(session, route.text, f"{why_none} (nlsh undo --list shows every change that can be undone)")
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


def of_last_request(store: Any) -> tuple[list[Any], str]:
    """"undo that": the changes of the last request (the one a follow-up is about), newest first, or
    none and why. Never an older change: that may be another directory's."""
    from nlsh.kernel.roads.last_request import PASSED_OVER
    from nlsh.safety.undo import Journal, list_journals

    last = store.last_with_plan(skip_roads=PASSED_OVER)
    if last is None:
        return [], "there is no earlier request"
    its = [j for j in reversed(list_journals()) if j["request"] == last["id"]]
    pending = [Journal.load(j["number"]) for j in its if not j["undone"]]
    if pending:
        return pending, ""
    if its:
        return [], f"the last request, '{last['text']}', was already undone"
    return [], f"the last request, '{last['text']}', changed no files"


def choose(request: UndoRequest, cwd: Path, now: datetime) -> list[Any]:
    """The journals to undo, newest first: only changes made in CWD (or below it), unless a file is
    named."""
    from nlsh.safety.undo import Journal, deleted_by, list_journals

    journals = [Journal.load(j["number"]) for j in reversed(list_journals()) if not j["undone"]]
    if request.path:
        target = os.path.normpath(cwd / os.path.expanduser(request.path))
        here = [j for j in journals if any(e["path"] == target for e in j.entries)]
        named = here or [j for j in journals if any(os.path.basename(e["path"]) == request.path for e in j.entries)]
        return named[:1]
    journals = [j for j in journals if any(_inside(e["path"], cwd) for e in j.entries)]
    if request.deleted:
        journals = [j for j in journals if any(deleted_by(e) for e in j.entries)]
    if request.when:
        from nlsh.timeparse import parse_when

        start, end = parse_when(request.when, now.replace(tzinfo=None))
        return [j for j in journals if start <= _created(j) < end]
    return journals[:request.count]


def _inside(path: str, cwd: Path) -> bool:
    return os.path.commonpath([path, str(cwd)]) == str(cwd)


def _created(journal: Any) -> datetime:
    return datetime.fromisoformat(journal.created).astimezone().replace(tzinfo=None)


def what_it_restores(journal: Any, cwd: Path) -> list[str]:
    from nlsh.safety.undo import deleted_by

    lines = []
    for entry in reversed([e for e in journal.entries if not e.get("undone")]):
        path = _shown(entry["path"], cwd)
        if journal.changed_since(entry):
            lines.append(f"leaves {_shown(entry.get('to', entry['path']), cwd)} alone (changed since)")
        elif entry["op"] == "moved":
            lines.append(f"moves {_shown(entry['to'], cwd)} back to {path}")
        elif entry["op"] == "keep" and not entry.get("existed"):
            lines.append(f"removes {path} (it did not exist before)")
        elif deleted_by(entry):
            lines.append(f"puts back {path} (deleted)")
        else:
            lines.append(f"puts back the earlier {path}")
    if len(lines) > SHOWN_ENTRIES:
        lines = lines[:SHOWN_ENTRIES] + [f"and {len(lines) - SHOWN_ENTRIES} more"]
    return lines


def _shown(path: str, cwd: Path) -> str:
    relative = os.path.relpath(path, cwd)
    return path if relative.startswith("..") else relative
