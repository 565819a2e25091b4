"""The roads a line can take after dispatch, one module each. Every road turns the route into an
Ask for the session: a plan to run (through the same risk check and confirmation as any plan), a
text for the planner, or a local answer that needs no plan."""

from __future__ import annotations

from typing import Any

from nlsh.exitcodes import ExitCode


def answer(session: Any, route: Any) -> ExitCode:
    from nlsh.kernel.roads import command_line, explain_last, recall, repair, repeat, undo

    if route.road == "english":
        from nlsh.kernel.ask import Ask

        return session.perform(Ask(route.text))
    builders = {"shell": command_line.ask, "recall": recall.ask, "undo": undo.ask, "fix": repair.fix,
                "why": repair.why, "notmeant": repair.not_meant, "explain": explain_last.ask,
                "again": repeat.again, "amend": repeat.amend, "cancel": repeat.cancel}
    return session.perform(builders[route.road](session, route))


def announce(session: Any, message: str) -> None:
    """The road taken, in one dim line on stderr. It quotes the person's words, past commands and file
    names: never markup, and nothing in it may drive the terminal."""
    from rich.text import Text

    from nlsh.safety.display import neutralize

    session.io.err.print(Text(neutralize(f"nlsh: {message}"), style="dim"))
