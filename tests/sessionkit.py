"""Helpers for driving a Session in-process with the scripted model."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from nlsh.models.scripted import ScriptedModel
from nlsh.session import Options, Session, SessionIO
from nlsh.tools.registry import load_registry


@dataclass
class Answers:
    """The person at the terminal, answering from a list (deterministic stand-in for /dev/tty)."""

    replies: list[bool] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def ask(self, question: str) -> bool:
        self.questions.append(question)
        return self.replies.pop(0) if self.replies else False


@dataclass
class Harness:
    session: Session
    model: ScriptedModel
    out: io.StringIO
    err: io.StringIO

    def run(self, text: str):
        return self.session.run(text)


def harness(cwd: Path, *replies, answers: Answers | None = None, store=None, piped=None, **options) -> Harness:
    out, err = io.StringIO(), io.StringIO()
    model = ScriptedModel(list(replies))
    console = Console(file=err, highlight=False, width=200)
    sio = SessionIO(out=out, err=console, asker=answers, piped=piped)
    session = Session(Options(**options), sio, load_registry(), model=model, store=store, cwd=cwd)
    return Harness(session, model, out, err)


def printed_with_and_without(lever: str, cwd: Path, request: str, *replies) -> tuple[str, str]:
    """What `--print` shows for REQUEST with LEVER on, and with no lever; the model gives the same
    REPLIES both times."""
    shown = []
    for levers in ((lever,), ()):
        h = harness(cwd, *replies, print_only=True, levers=levers)
        h.run(request)
        shown.append(h.out.getvalue())
    return shown[0], shown[1]


def shell_plan(*commands: str, observe: bool = False) -> dict:
    plan: dict = {"steps": [{"tool": "shell", "args": {"command": c}} for c in commands]}
    if observe:
        plan["observe"] = True
    return plan


class Raising:
    """A model whose every call raises: unreachable servers, Ctrl-C while writing, cut-off replies."""

    name = "raising"
    tool_profile = "full"

    def __init__(self, exc: BaseException):
        self.exc = exc

    def complete(self, prompt):
        raise self.exc
