""""explain that": each part of the last request's commands (or of the command line given, "explain
tar -xzf a.tgz"), from the programs' own documentation; the model is loaded only if some program or
option is documented nowhere on this machine."""

from __future__ import annotations

from typing import Any

from nlsh.exitcodes import ExitCode
from nlsh.kernel.ask import Ask
from nlsh.kernel.roads import announce
from nlsh.kernel.roads.last_request import commands, last_request
from nlsh.tools.context import Result


def ask(session: Any, route: Any) -> Ask:
    given = route.followup.argument if route.followup else ""
    return Ask(route.text, "explain", local=lambda _id: _explain(session, given))


class _ModelWhenNeeded:
    """The session's model, loaded on the first question (most lines need none)."""

    def __init__(self, session: Any):
        self.session = session

    def complete(self, prompt: Any) -> str:
        return self.session.model().complete(prompt)


def _explain(session: Any, given: str) -> ExitCode:
    from nlsh.kernel.explain import explain

    if given:
        lines = [given]
    else:
        last = last_request(session)
        if last is None:
            return ExitCode.USAGE
        lines = commands(last)
        if not lines:
            session.say(f"nlsh: '{last['text']}' ran no command to explain")
            return ExitCode.USAGE
    model = _ModelWhenNeeded(session)
    rows = []
    for number, line in enumerate(lines, 1):
        announce(session, f"explaining {line}" if len(lines) == 1 else f"explaining step {number}: {line}")
        for part in explain(line, model=model, cwd=session.ctx.cwd):
            row = {"part": part.text, "meaning": part.meaning or "(not documented here)", "from": part.source}
            rows.append({"step": number, **row} if len(lines) > 1 else row)
    from nlsh.ui import render

    render.write_result(Result(rows=rows), session.io.out, as_json=session.options.as_json,
                        terminal=session.io.out_is_terminal)
    return ExitCode.OK
