"""The shell road: a typed command line runs as typed, with no model call, through the same risk
check and confirmation as any step. An alias of the person's own shell at the start of the line is
expanded first, since nlsh's bash does not read their startup files."""

from __future__ import annotations

import re
from typing import Any

from nlsh.kernel.ask import Ask
from nlsh.kernel.command_index import CommandIndex
from nlsh.kernel.plan import Plan, Step
from nlsh.kernel.roads import announce

_FIRST_WORD = re.compile(r"^(\s*)([^\s;|&<>()]+)")


def ask(session: Any, route: Any) -> Ask:
    command = expand_alias(route.text, CommandIndex.here(session.ctx.env))
    if command != route.text:
        announce(session, f"command line, with your alias: {command}")
    else:
        announce(session, "command line, run as typed (? in front asks in English instead)")
    return Ask(route.text, "shell", plan=Plan([Step("shell", {"command": command})]))


def expand_alias(line: str, index: CommandIndex) -> str:
    match = _FIRST_WORD.match(line)
    if not match:
        return line
    value = index.alias_of(match.group(2))
    if value is None:
        return line
    return line[: match.start(2)] + value + line[match.end(2):]
