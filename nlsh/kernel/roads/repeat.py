"""Follow-ups that reuse the last plan: "do it again" (the same plan, assessed and confirmed again),
"now the same for *.md" (the plan with its file pattern or place changed, or, when that cannot be
done by rule, the planner told what ran before and what to change), and "cancel"."""

from __future__ import annotations

import json
import os
import re
import shlex
from typing import Any

from nlsh.exitcodes import ExitCode
from nlsh.kernel.ask import Ask
from nlsh.kernel.plan import Plan, Step
from nlsh.kernel.roads import announce
from nlsh.kernel.roads.last_request import commands, last_request, plan_of
from nlsh.kernel.wording import FUNCTION_WORDS, REQUEST_WORDS

_GLOB_EXTENSION = re.compile(r"\*\.([A-Za-z0-9]{1,8})\b")
_NAMED_EXTENSION = re.compile(r"\b(?:the )?([a-z0-9]{1,5}) files\b")
_PLACE = re.compile(r"\b(?:in|for|under|inside) (?:the )?(?P<dir>[~./][^\s]*|[\w.-]+(?= (?:folder|directory|dir)\b))")


def again(session: Any, route: Any) -> Ask:
    last = last_request(session)
    if last is None:
        return Ask(route.text, "again", local=lambda _id: ExitCode.USAGE)
    plan = plan_of(last, session.registry)
    where = "" if last["cwd"] == str(session.ctx.cwd) else f" (it ran in {last['cwd']} before; now here)"
    if plan is None or not plan.steps:
        session.say(f"nlsh: '{last['text']}' had no steps to run again")
        return Ask(route.text, "again", local=lambda _id: ExitCode.USAGE)
    announce(session, f"again: '{last['text']}'{where}")
    if plan.observe:  # it read its own results before finishing: only the planner can do that again
        return Ask(route.text, "again", prompt_text=last["text"], fresh=True, remember=False)
    return Ask(route.text, "again", plan=plan)


def amend(session: Any, route: Any) -> Ask:
    last = last_request(session)
    if last is None:
        return Ask(route.text, "amend", local=lambda _id: ExitCode.USAGE)
    plan = plan_of(last, session.registry)
    changed = amended(plan, route.text, session.ctx.cwd) if plan is not None and not plan.observe else None
    if changed is not None:
        amended_plan, what = changed
        announce(session, f"the plan of '{last['text']}', {what}")
        return Ask(route.text, "amend", plan=amended_plan)
    shown = "; ".join(commands(last)) or "(no command)"
    announce(session, f"changing '{last['text']}' (it ran: {shown})")
    prompt = f"{last['text']}\n(That ran: {shown})\nNow: {route.text}"
    return Ask(route.text, "amend", prompt_text=prompt, fresh=True, remember=False)


def amended(plan: Plan, line: str, cwd: Any) -> tuple[Plan, str] | None:
    """The plan with one file pattern swapped (*.csv -> *.md) or run in another directory, when the
    line asks for exactly that; None when a rule cannot say what to change."""
    new_extension = _new_extension(line)
    if new_extension:
        old = {m.group(1) for s in plan.steps for m in _GLOB_EXTENSION.finditer(json.dumps(s.args))}
        if len(old) == 1 and new_extension not in old:
            (old_extension,) = old
            text = plan.to_json().replace(f"*.{old_extension}", f"*.{new_extension}")
            return Plan.from_json(text), f"with *.{old_extension} as *.{new_extension}"
        return None
    place = _PLACE.search(line)
    if place and all(s.tool == "shell" for s in plan.steps):
        directory = os.path.expanduser(place.group("dir"))
        if not os.path.isdir(os.path.join(cwd, directory)):
            return None
        # a subshell: the cd must not move the person's own directory
        steps = [Step("shell", {"command": f"(cd {shlex.quote(directory)} && {s.args['command']})"}) for s in plan.steps]
        return Plan(steps), f"run in {place.group('dir')}"
    return None


def _new_extension(line: str) -> str | None:
    glob = _GLOB_EXTENSION.search(line)
    if glob:
        return glob.group(1)
    named = _NAMED_EXTENSION.search(line.lower())
    if named and named.group(1) not in FUNCTION_WORDS and named.group(1) not in REQUEST_WORDS:
        return named.group(1)
    return None


def cancel(session: Any, route: Any) -> Ask:
    def nothing(_id: Any) -> ExitCode:
        session.say("nlsh: nothing is waiting to run, so nothing was cancelled"
                    " (\"undo that\" puts back what the last request changed)")
        return ExitCode.OK

    return Ask(route.text, "cancel", local=nothing)
