"""One request's record in the history: begun when the request starts, its plan, each step, how it
ended. History failing (disk full, read-only, locked) never stops the request: it warns once."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

from nlsh.kernel.plan import Plan, Step
from nlsh.safety.risk import Assessment
from nlsh.tools.context import Result

if TYPE_CHECKING:
    from nlsh.session import Session


class Recorder:
    """Writes one request to the history. History failing (disk full, read-only, locked) never stops
    the request: it warns once and carries on."""

    def __init__(self, session: Session, text: str, road: str | None = None, asked: str | None = None):
        self.session = session
        self.store = session.store
        self.text = text
        self.journal: Any = None
        self.edited = False  # the person changed the plan before it ran
        self.ran: list[str] = []  # command lines of the steps that ran
        self.id = None
        if self.store is not None:
            self.id = self.call(self.store.begin, text, cwd=str(session.ctx.cwd), mode=session.options.mode,
                                model=session.model_name, host=socket.gethostname(), road=road, asked=asked)

    def call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self.store is None:
            return None
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # StoreError, or a bug in the store: either way the request goes on
            self.session.io.err.print(f"nlsh: warning: history was not kept: {exc}", markup=False)
            self.store = None
            return None

    def plan(self, plan: Plan, key: str, remember: bool = True) -> None:
        if self.id is not None:
            self.call(self.store.set_plan, self.id, plan.to_json(), key, replayable=remember)

    def step(self, index: int, step: Step, command: str, assessment: Assessment, result: Result | None,
             seconds: float, output: str) -> None:
        if result is not None:
            self.ran.append(command)
        if self.id is None:
            return
        self.call(self.store.add_step, self.id, index=index, tool=step.tool, args=step.args,
                  command=command, risk=assessment.risk.label,
                  exit_code=None if result is None else (result.exit_code if result.error is None else -1),
                  duration=seconds, output=output, files=list(assessment.targets),
                  stderr=None if result is None else result.stderr)

    def finish(self, decision: str, outcome: str, code: int) -> None:
        if decision == "ran" and self.edited:
            decision = "edited"
        if self.id is not None:
            self.call(self.store.finish, self.id, decision=decision, outcome=outcome, exit_code=int(code))
