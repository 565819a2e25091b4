"""Request -> validated Plan. Every step is checked against its tool's schema; a reply that fails gets
one repair round with the error shown to the model, then a clear PlanError."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Callable

from nlsh.kernel.plan import Plan, PlanError, parse_reply
from nlsh.models.base import Model, Prompt
from nlsh.tools.registry import ArgumentError, Registry

REPAIR_ROUNDS = 1


def validate(plan: Plan, registry: Registry, allowed: set[str] | None = None) -> Plan:
    """Check every step; return the plan with arguments normalised (defaults filled in)."""
    for i, step in enumerate(plan.steps, 1):
        try:
            tool = registry.get(step.tool)
            if allowed is not None and step.tool not in allowed:
                raise ArgumentError(f"tool {step.tool!r} is not offered for this request")
            step.args = tool.validate(step.args)
        except ArgumentError as exc:
            raise PlanError(f"step {i}: {exc}") from None
    return plan


class Planner:
    def __init__(self, model: Model, registry: Registry, check: Callable[[Plan], str | None] | None = None,
                 choose: Callable[[Plan, Callable[[int], list[str]]], Plan] | None = None):
        self.model = model
        self.registry = registry
        # Looks at a valid plan (kernel/verify.py tries it); what it reports gets one repair round.
        self.check = check
        # Picks among the plan and the model's sampled alternatives (kernel/select.py).
        self.choose = choose

    def plan(self, prompt: Prompt) -> tuple[Plan, Prompt]:
        """Ask the model; return the valid plan and the conversation that produced it."""
        plan, asked = self._ask(prompt)
        alternatives = getattr(self.model, "alternatives", None)
        if self.choose is not None and alternatives is not None:
            chosen = self.choose(plan, lambda count: alternatives(asked, count))
            if chosen is not plan:
                plan = validate(chosen, self.registry, {s.name for s in prompt.tools})
        problem = self.check(plan) if self.check is not None else None
        if problem:
            try:
                plan, asked = self._ask(with_turn(asked, self._as_written(plan), problem))
            except PlanError:
                pass  # the repair was no plan at all: the first plan is still the better answer
        return plan, with_reply(asked, plan)

    def _ask(self, prompt: Prompt) -> tuple[Plan, Prompt]:
        """A valid plan and the conversation it answers (without the reply itself)."""
        allowed = {s.name for s in prompt.tools}
        allow_shell = "shell" in allowed
        for attempt in range(REPAIR_ROUNDS + 1):
            reply = self.model.complete(prompt)
            try:
                plan = validate(parse_reply(reply, allow_shell=allow_shell, bare_shell=self._bare_shell),
                                self.registry, allowed)
            except PlanError as exc:
                if attempt == REPAIR_ROUNDS:
                    raise PlanError(f"{exc} (the model's reply: {_clip(reply)})") from None
                prompt = with_turn(prompt, reply, f"That reply is not a valid plan: {exc}. "
                                   "Answer again with one JSON plan object only.")
                continue
            return plan, prompt
        raise AssertionError("unreachable")

    @property
    def _bare_shell(self) -> bool:
        return getattr(self.model, "tool_profile", "full") == "shell"

    def _as_written(self, plan: Plan) -> str:
        """The plan as the model would have written it: a command line in the shell profile."""
        if self._bare_shell and len(plan.steps) == 1 and plan.steps[0].tool == "shell":
            return plan.steps[0].args["command"]
        return plan.to_json()


def with_reply(prompt: Prompt, plan: Plan) -> Prompt:
    return replace(prompt, messages=prompt.messages + [{"role": "assistant", "content": plan.to_json()}])


def with_turn(prompt: Prompt, reply: str, user: str) -> Prompt:
    messages = prompt.messages + [{"role": "assistant", "content": reply}, {"role": "user", "content": user}]
    return replace(prompt, messages=messages)


def with_results(prompt: Prompt, results: list[tuple[str, str]]) -> Prompt:
    """Feed step results back for an observe round."""
    body = "\n\n".join(f"Result of {label}:\n{summary}" for label, summary in results)
    messages = prompt.messages + [{"role": "user", "content": body + "\n\nContinue: the next steps, or the answer."}]
    return replace(prompt, messages=messages)


def _clip(text: str, limit: int = 200) -> str:
    flat = json.dumps(text)[1:-1]
    return flat if len(flat) <= limit else flat[:limit] + "..."
