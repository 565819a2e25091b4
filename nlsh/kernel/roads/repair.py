"""Follow-ups about a request that went wrong: "fix it" (the planner gets the failed command, its
exit status and the end of its error output), "why did that fail" (answered from the history, no
model), and "that's not what I meant" (the remembered plan is forgotten and the request planned
afresh, told what was not meant)."""

from __future__ import annotations

import json
from typing import Any

from nlsh.exitcodes import ExitCode
from nlsh.kernel.ask import Ask
from nlsh.kernel.roads import announce
from nlsh.kernel.roads.last_request import commands, error_tail, failed_step, last_request
from nlsh.safety.display import neutralize

# What an exit status usually means, for "why did that fail".
STATUS_MEANINGS = {
    1: "a general failure", 2: "a usage error (wrong options or arguments)",
    126: "the program was found but could not be run (permissions?)",
    127: "command not found: it is not installed or not on PATH",
    130: "interrupted (Ctrl-C)", 137: "killed (out of memory, or kill -9)", 143: "terminated (kill)",
    -1: "nlsh could not run it",
}


def fix(session: Any, route: Any) -> Ask:
    last = last_request(session)
    if last is None:
        return Ask(route.text, "fix", local=lambda _id: ExitCode.USAGE)
    step = failed_step(last)
    if step is None:
        reason = "it was refused, so nothing ran" if last["decision"] == "refused" else "it did not fail"
        session.say(f"nlsh: nothing to fix in '{last['text']}': {reason}. If it did the wrong thing, "
                    "say \"that's not what I meant\".")
        return Ask(route.text, "fix", local=lambda _id: ExitCode.USAGE)
    command = step["command"] or step["tool"]
    announce(session, f"fixing '{last['text']}': `{command}` exited with status {step['exit_code']}")
    prompt = (f"{last['text']}\nThis command was tried and failed: {command}\nExit status: {step['exit_code']}\n"
              f"The end of its error output:\n{error_tail(step) or '(nothing)'}\nWrite a command that works.")
    return Ask(route.text, "fix", prompt_text=prompt, fresh=True, remember=False)


def why(session: Any, route: Any) -> Ask:
    return Ask(route.text, "why", local=lambda _id: _why(session))


def _why(session: Any) -> ExitCode:
    last = last_request(session)
    if last is None:
        return ExitCode.USAGE
    step = failed_step(last)
    facts: dict[str, Any] = {"request": last["text"], "commands": commands(last)}
    if step is None:
        lines = [f"'{last['text']}' was refused: nothing ran." if last["decision"] == "refused"
                 else f"'{last['text']}' did not fail: " + ("every step exited with status 0."
                                                           if last["steps"] else "no step ran.")]
    else:
        code = step["exit_code"]
        meaning = STATUS_MEANINGS.get(code) or (f"killed by signal {code - 128}" if code > 128 else "a failure")
        tail = error_tail(step)
        facts.update(command=step["command"], exit_code=code, meaning=meaning, error_output=tail)
        lines = [f"`{step['command'] or step['tool']}` exited with status {code}: {meaning}."]
        lines += ["It said:", *("  " + line for line in tail.splitlines())] if tail else ["It said nothing on stderr."]
    if session.options.as_json:
        session.io.out.write(json.dumps(facts, ensure_ascii=False) + "\n")
    else:
        text = "\n".join(lines) + "\n"  # it quotes what a command printed: on a terminal, made harmless
        session.io.out.write(neutralize(text) if session.io.out_is_terminal else text)
    session.io.out.flush()
    return ExitCode.OK


def not_meant(session: Any, route: Any) -> Ask:
    from nlsh.store.history import StoreError

    last = last_request(session)
    if last is None:
        return Ask(route.text, "notmeant", local=lambda _id: ExitCode.USAGE)
    forgotten = 0
    if last.get("context_key"):
        try:
            forgotten = session.store.forget_plan(last["text"], last["context_key"])
        except StoreError as exc:
            session.say(f"nlsh: warning: {exc}")
    shown = "; ".join(commands(last)) or "(no command)"
    meant = route.followup.argument if route.followup else ""
    announce(session, ("forgot the plan remembered for" if forgotten else "planning again")
             + f" '{last['text']}' (it was: {shown})")
    # A follow-up ("fix it", "now the same for ...") is asked again as the planner saw it.
    asked = last.get("asked") or last["text"]
    if meant:
        prompt = f"{asked}\nI meant {meant}.\n(Not this: {shown})"
        return Ask(route.text, "notmeant", prompt_text=prompt, fresh=True, remember=False)
    prompt = f"{asked}\n(Not this: {shown} - that is not what the person meant.)"
    if last.get("asked"):
        return Ask(route.text, "notmeant", prompt_text=prompt, fresh=True, remember=False)
    # Asked again under its own words, so a plan that works is what is remembered for them.
    return Ask(last["text"], "notmeant", prompt_text=prompt, fresh=True)
