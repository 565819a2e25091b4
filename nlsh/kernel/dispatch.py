"""The first arrow of a request's path: which road a line takes, decided here in milliseconds and
before any model call.

1. `!` forces the shell road, `?` forces English.
2. A follow-up about the last request: fix it, why did that fail, explain that, do it again, now the
   same for *.md, cancel, that's not what I meant.
3. nlsh's own state: undo ("undo that", "put back the files I deleted").
4. nlsh's own memory: recall ("what did I do yesterday", "which commands failed this week").
5. A shell command line (judged from its parse, what can run here and its words) runs as typed.
6. Everything else is English for the planner.

No model takes part: the roads are chosen by rules, and a typed command line still goes through
the same risk check and confirmation as any step the model plans."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlsh.exitcodes import ExitCode
from nlsh.kernel.command_index import CommandIndex
from nlsh.kernel.followups import FollowUp, parse_followup
from nlsh.kernel.line_shape import judge
from nlsh.kernel.recall_request import RecallQuery, parse_recall
from nlsh.kernel.undo_request import UndoRequest, parse_undo
from nlsh.kernel.wording import normalize

SHELL, ENGLISH, RECALL, UNDO = "shell", "english", "recall", "undo"


@dataclass(frozen=True)
class Route:
    road: str  # shell, english, recall, undo, or a follow-up: fix, why, explain, again, amend, cancel, notmeant
    text: str  # the line, without a forcing ! or ?
    why: str  # what decided it, in a few words
    recall: RecallQuery | None = None
    undo: UndoRequest | None = None
    followup: FollowUp | None = None


def route(line: str, index: CommandIndex, cwd: Path) -> Route:
    stripped = line.strip()
    if stripped.startswith("!"):
        return Route(SHELL, stripped[1:].strip(), "! runs it as a command line")
    if stripped.startswith("?"):
        return Route(ENGLISH, stripped[1:].strip(), "? asks in English")
    normal = normalize(stripped)
    followup = parse_followup(normal, stripped, lambda text: judge(text, index, cwd).command)
    if followup is not None:
        return Route(followup.kind, stripped, "about the last request", followup=followup)
    undo = parse_undo(normal, stripped)
    if undo is not None:
        return Route(UNDO, stripped, "nlsh's undo journal", undo=undo)
    recall = parse_recall(normal, stripped)
    if recall is not None:
        return Route(RECALL, stripped, "nlsh's history", recall=recall)
    shape = judge(stripped, index, cwd)
    return Route(SHELL if shape.command else ENGLISH, stripped, shape.why)


def take(session: Any, line: str) -> ExitCode:
    """Route LINE and answer it on its road, through SESSION (its IO, history and step path)."""
    from nlsh.kernel import roads

    chosen = route(line, CommandIndex.here(session.ctx.env), session.ctx.cwd)
    if not chosen.text:
        session.say("nlsh: nothing after the ! or ?; say what you want done")
        return ExitCode.USAGE
    return roads.answer(session, chosen)
