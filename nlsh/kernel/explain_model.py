"""The model's share of an explanation: a short meaning for the programs and options no
documentation on this machine covers. One small question per part, its answer shown as coming from
the model; everything the documentation covered stays as the documentation says."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nlsh.kernel.explain import MODEL_PARTS, Part
from nlsh.models.base import ModelError, Prompt

SYSTEM = ("You explain one part of a bash command line to the person who is about to run it. "
          "Reply with one short line in plain English saying what that part does in this command line. "
          "No code, no quotes, no preamble.")
MAX_MEANING = 160


def fill_from_model(parts: list[Part], command_line: str, model: Any) -> list[Part]:
    asked = 0
    filled = []
    for part in parts:
        if not part.meaning and part.kind in ("program", "subcommand", "option") and asked < MODEL_PARTS:
            asked += 1
            meaning = _ask(model, command_line, part.text)
            if meaning:
                part = replace(part, meaning=meaning, source="model")
        filled.append(part)
    return filled


def _ask(model: Any, command_line: str, text: str) -> str:
    prompt = Prompt(SYSTEM, [{"role": "user", "content": f"Command line: {command_line}\nPart: {text}\nWhat it does:"}],
                    [], max_tokens=60)
    try:
        reply = model.complete(prompt)
    except ModelError:
        return ""
    return _one_line(reply)


def _one_line(reply: str) -> str:
    """The reply's text: a model in the shell profile wraps its line in a one-step plan, a model
    planning against the tool table may answer in the plan's `answer`."""
    from nlsh.kernel.plan import Plan, PlanError

    text = reply.strip()
    try:
        plan = Plan.from_json(text)
    except PlanError:
        pass
    else:
        if plan.answer:
            text = plan.answer
        elif len(plan.steps) == 1:
            text = str(plan.steps[0].args.get("command", ""))
    line = " ".join(text.split("\n", 1)[0].split()).strip("`\"' ")
    return line if len(line) <= MAX_MEANING else line[: MAX_MEANING - 3].rstrip() + "..."
